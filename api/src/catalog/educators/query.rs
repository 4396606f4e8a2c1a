//! Root fields for educator organisations, educator programs and teaching openings.

use async_graphql::{Context, InputObject, Object, Result, ID};
use entity::{educator_organization, educator_program, educator_program_sector, teaching_opening};
use sea_orm::{
    sea_query::{Expr, Func, Query},
    ColumnTrait, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter,
};

use super::types::{
    EducatorOrganization, EducatorOrganizationConnection, EducatorOrganizationKind,
    EducatorProgram, EducatorProgramConnection, EducatorProgramKind, TeachingOpening,
    TeachingOpeningConnection,
};
use crate::{
    catalog::{
        districts::store as districts, pathways::store as pathways, programs::store::like_pattern,
    },
    codes::CdsCode,
    error::ApiError,
    graphql::{
        ids::{self, NodeType},
        relay::{self, CursorKey, Keyset, Page, PageRequest, SortValue},
        scalars::{enum_name, Date},
    },
};

/// Filters for `educatorOrganizations`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct EducatorOrganizationFilter {
    /// Nonprofit, district or college.
    pub kind: Option<EducatorOrganizationKind>,
    /// Case-insensitive text in the name or description.
    pub search: Option<String>,
}

/// Filters for `educatorPrograms`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct EducatorProgramFilter {
    /// Recruitment, credential preparation or mentorship.
    pub kind: Option<EducatorProgramKind>,
    /// Serves teachers of this sector (sector code).
    pub sector_code: Option<String>,
    /// Run by this organisation (global ID).
    pub organization_id: Option<ID>,
}

/// Filters for `teachingOpenings`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct TeachingOpeningFilter {
    /// In this sector (sector code).
    pub sector_code: Option<String>,
    /// In this pathway (pathway code).
    pub pathway_code: Option<String>,
    /// At this district (14-digit CDS code).
    pub district_cds_code: Option<String>,
    /// Still open for applications on this date.
    pub open_on: Option<Date>,
}

/// Educator root fields.
#[derive(Default)]
pub struct EducatorQuery;

#[Object]
impl EducatorQuery {
    /// Organisations that recruit, prepare or support CTE teachers, by name.
    #[allow(clippy::too_many_arguments)]
    async fn educator_organizations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<EducatorOrganizationFilter>,
        #[graphql(desc = "Page size from the start, or after `after`: 0-100, default 20.")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor, e.g. the last page's `pageInfo.endCursor`.")]
        after: Option<String>,
        #[graphql(desc = "Page size from the end, or before `before`: 0-100.")] last: Option<i32>,
        #[graphql(desc = "End before this cursor, e.g. the next page's `pageInfo.startCursor`.")]
        before: Option<String>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<EducatorOrganizationConnection> {
        use educator_organization::Column as C;
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let mut select = educator_organization::Entity::find().filter(C::DeletedAt.is_null());
        if !crate::graphql::provenance::include_sample(ctx, include_sample) {
            select = select.filter(C::Sample.eq(false));
        }
        if let Some(kind) = f.kind {
            select = select.filter(C::Kind.eq(enum_name(kind)));
        }
        if let Some(search) = f.search.as_deref().filter(|s| !s.trim().is_empty()) {
            let pattern = like_pattern(search);
            select = select.filter(
                Expr::expr(Func::lower(Expr::col(C::Name)))
                    .like(pattern.clone())
                    .or(Expr::expr(Func::lower(Expr::col(C::Description))).like(pattern)),
            );
        }
        let order = Keyset {
            sort: C::Name,
            id: C::Id,
            descending: false,
        };
        let page = relay::fetch_page(db, select, order, &req, |o| CursorKey {
            sort: SortValue::Text(o.name.clone()),
            id: o.id,
        })
        .await?;
        Ok(EducatorOrganizationConnection(
            page.map(EducatorOrganization::from),
        ))
    }

    /// Programs that recruit, prepare or mentor CTE teachers, by name.
    #[allow(clippy::too_many_arguments)]
    async fn educator_programs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<EducatorProgramFilter>,
        #[graphql(desc = "Page size from the start, or after `after`: 0-100, default 20.")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor, e.g. the last page's `pageInfo.endCursor`.")]
        after: Option<String>,
        #[graphql(desc = "Page size from the end, or before `before`: 0-100.")] last: Option<i32>,
        #[graphql(desc = "End before this cursor, e.g. the next page's `pageInfo.startCursor`.")]
        before: Option<String>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<EducatorProgramConnection> {
        use educator_program::Column as C;
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let mut select = educator_program::Entity::find().filter(C::DeletedAt.is_null());
        if !crate::graphql::provenance::include_sample(ctx, include_sample) {
            select = select.filter(C::Sample.eq(false));
        }
        if let Some(kind) = f.kind {
            select = select.filter(C::Kind.eq(enum_name(kind)));
        }
        if let Some(code) = f.sector_code {
            let Some(sector) = pathways::sector_by_code(db, code.trim()).await? else {
                return Ok(EducatorProgramConnection(Page::empty()));
            };
            select = select.filter(
                C::Id.in_subquery(
                    Query::select()
                        .column(educator_program_sector::Column::ProgramId)
                        .from(educator_program_sector::Entity)
                        .and_where(educator_program_sector::Column::SectorId.eq(sector.id))
                        .to_owned(),
                ),
            );
        }
        if let Some(id) = f.organization_id {
            match ids::decode("filter.organizationId", &id)? {
                (NodeType::EducatorOrganization, key) => {
                    select = select.filter(C::OrganizationId.eq(key))
                }
                _ => {
                    return Err(ApiError::bad_input(
                        "filter.organizationId",
                        "is not an EducatorOrganization ID",
                    )
                    .into())
                }
            }
        }
        let order = Keyset {
            sort: C::Name,
            id: C::Id,
            descending: false,
        };
        let page = relay::fetch_page(db, select, order, &req, |p| CursorKey {
            sort: SortValue::Text(p.name.clone()),
            id: p.id,
        })
        .await?;
        Ok(EducatorProgramConnection(page.map(EducatorProgram::from)))
    }

    /// Open CTE teaching positions at districts and schools, by title.
    #[allow(clippy::too_many_arguments)]
    async fn teaching_openings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<TeachingOpeningFilter>,
        #[graphql(desc = "Page size from the start, or after `after`: 0-100, default 20.")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor, e.g. the last page's `pageInfo.endCursor`.")]
        after: Option<String>,
        #[graphql(desc = "Page size from the end, or before `before`: 0-100.")] last: Option<i32>,
        #[graphql(desc = "End before this cursor, e.g. the next page's `pageInfo.startCursor`.")]
        before: Option<String>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<TeachingOpeningConnection> {
        use teaching_opening::Column as C;
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let mut select = teaching_opening::Entity::find().filter(C::DeletedAt.is_null());
        if !crate::graphql::provenance::include_sample(ctx, include_sample) {
            select = select.filter(C::Sample.eq(false));
        }
        if let Some(code) = f.sector_code {
            let Some(sector) = pathways::sector_by_code(db, code.trim()).await? else {
                return Ok(TeachingOpeningConnection(Page::empty()));
            };
            select = select.filter(C::SectorId.eq(sector.id));
        }
        if let Some(code) = f.pathway_code {
            let Some(found) = pathways::pathway_by_code(db, code.trim()).await? else {
                return Ok(TeachingOpeningConnection(Page::empty()));
            };
            select = select.filter(C::PathwayId.eq(found.id));
        }
        if let Some(cds) = f.district_cds_code {
            let code = CdsCode::parse_district("filter.districtCdsCode", &cds)?;
            let Some(found) = districts::district_by_cds(db, &code).await? else {
                return Ok(TeachingOpeningConnection(Page::empty()));
            };
            select = select.filter(C::DistrictId.eq(found.id));
        }
        if let Some(on) = f.open_on {
            select = select.filter(C::ApplyBy.is_null().or(C::ApplyBy.gte(on.0)));
        }
        let order = Keyset {
            sort: C::Title,
            id: C::Id,
            descending: false,
        };
        let page = relay::fetch_page(db, select, order, &req, |o| CursorKey {
            sort: SortValue::Text(o.title.clone()),
            id: o.id,
        })
        .await?;
        Ok(TeachingOpeningConnection(page.map(TeachingOpening::from)))
    }
}
