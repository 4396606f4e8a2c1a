//! Root fields for industry partners and opportunities.

use async_graphql::{Context, InputObject, Object, Result, ID};
use entity::{
    industry_partner, industry_partner_sector, industry_partnership, opportunity, pathway,
};
use sea_orm::{
    sea_query::{Expr, Func, Query},
    ColumnTrait, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter,
};

use super::types::{
    IndustryPartner, IndustryPartnerConnection, Opportunity, OpportunityConnection, PartnershipKind,
};
use crate::vocabulary::Stored;
use crate::{
    catalog::{pathways::store as pathways, programs::store::like_pattern},
    codes::Grade,
    error::ApiError,
    graphql::scalars::Date,
    ids,
    ids::NodeType,
    paging,
    paging::{CursorKey, Keyset, Page, PageRequest, SortValue},
};

/// Filters for `industryPartners`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct IndustryPartnerFilter {
    /// Works in this sector (sector code).
    pub sector_code: Option<String>,
    /// Has a partnership in this pathway (pathway code).
    pub pathway_code: Option<String>,
    /// Offers this kind of partnership (in the pathway, when one is given).
    pub kind: Option<PartnershipKind>,
    /// Case-insensitive text in the name or description.
    pub search: Option<String>,
}

/// Filters for `opportunities`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct OpportunityFilter {
    /// Internship, job shadow, ...
    pub kind: Option<PartnershipKind>,
    /// In a pathway of this sector (sector code).
    pub sector_code: Option<String>,
    /// In this pathway (pathway code).
    pub pathway_code: Option<String>,
    /// Offered by this partner (global ID).
    pub partner_id: Option<ID>,
    /// Open to a student in this grade (7-12).
    pub grade: Option<i32>,
    /// Paid (true) or unpaid (false).
    pub paid: Option<bool>,
    /// Still open for applications on this date.
    pub open_on: Option<Date>,
}

/// Partner root fields.
#[derive(Default)]
pub struct PartnerQuery;

#[Object]
impl PartnerQuery {
    /// Employers and industry associations, by name.
    async fn industry_partners(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<IndustryPartnerFilter>,
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
    ) -> Result<IndustryPartnerConnection> {
        use industry_partner::Column as C;
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let mut select = industry_partner::Entity::find().filter(C::DeletedAt.is_null());
        if !crate::graphql::provenance::include_sample(ctx, include_sample) {
            select = select.filter(C::Sample.eq(false));
        }
        if let Some(code) = f.sector_code {
            let Some(sector) = pathways::sector_by_code(db, code.trim()).await? else {
                return Ok(IndustryPartnerConnection(Page::empty()));
            };
            select = select.filter(
                C::Id.in_subquery(
                    Query::select()
                        .column(industry_partner_sector::Column::PartnerId)
                        .from(industry_partner_sector::Entity)
                        .and_where(industry_partner_sector::Column::SectorId.eq(sector.id))
                        .to_owned(),
                ),
            );
        }
        if f.pathway_code.is_some() || f.kind.is_some() {
            let mut partnerships = Query::select()
                .column(industry_partnership::Column::PartnerId)
                .from(industry_partnership::Entity)
                .and_where(industry_partnership::Column::DeletedAt.is_null())
                .to_owned();
            if let Some(code) = f.pathway_code {
                let Some(found) = pathways::pathway_by_code(db, code.trim()).await? else {
                    return Ok(IndustryPartnerConnection(Page::empty()));
                };
                partnerships.and_where(industry_partnership::Column::PathwayId.eq(found.id));
            }
            if let Some(kind) = f.kind {
                // Kinds are stored comma-separated; match one whole item.
                partnerships.and_where(crate::db::custom_expr(
                    db.get_database_backend(),
                    "(',' || kinds || ',') LIKE ?",
                    vec![format!("%,{},%", kind.as_stored()).into()],
                ));
            }
            select = select.filter(C::Id.in_subquery(partnerships));
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
        let page = paging::fetch_page(db, select, order, &req, |p| CursorKey {
            sort: SortValue::Text(p.name.clone()),
            id: p.id,
        })
        .await?;
        Ok(IndustryPartnerConnection(page.map(IndustryPartner::from)))
    }

    /// Work-based-learning openings (internships, job shadows, ...), by title.
    async fn opportunities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<OpportunityFilter>,
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
    ) -> Result<OpportunityConnection> {
        use opportunity::Column as C;
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let mut select = opportunity::Entity::find().filter(C::DeletedAt.is_null());
        if !crate::graphql::provenance::include_sample(ctx, include_sample) {
            select = select.filter(C::Sample.eq(false));
        }
        if let Some(kind) = f.kind {
            select = select.filter(C::Kind.eq(kind.as_stored()));
        }
        if let Some(code) = f.sector_code {
            let Some(sector) = pathways::sector_by_code(db, code.trim()).await? else {
                return Ok(OpportunityConnection(Page::empty()));
            };
            select = select.filter(
                C::PathwayId.in_subquery(
                    Query::select()
                        .column(pathway::Column::Id)
                        .from(pathway::Entity)
                        .and_where(pathway::Column::SectorId.eq(sector.id))
                        .to_owned(),
                ),
            );
        }
        if let Some(code) = f.pathway_code {
            let Some(found) = pathways::pathway_by_code(db, code.trim()).await? else {
                return Ok(OpportunityConnection(Page::empty()));
            };
            select = select.filter(C::PathwayId.eq(found.id));
        }
        if let Some(id) = f.partner_id {
            match ids::decode("filter.partnerId", &id)? {
                (NodeType::IndustryPartner, key) => select = select.filter(C::PartnerId.eq(key)),
                _ => {
                    return Err(ApiError::bad_input(
                        "filter.partnerId",
                        "is not an IndustryPartner ID",
                    )
                    .into())
                }
            }
        }
        if let Some(grade) = f.grade {
            let grade = Grade::parse("filter.grade", grade)?.get();
            select = select.filter(C::MinGrade.is_null().or(C::MinGrade.lte(grade)));
        }
        if let Some(paid) = f.paid {
            select = select.filter(C::Paid.eq(paid));
        }
        if let Some(on) = f.open_on {
            select = select.filter(C::ApplyBy.is_null().or(C::ApplyBy.gte(on.0)));
        }
        let order = Keyset {
            sort: C::Title,
            id: C::Id,
            descending: false,
        };
        let page = paging::fetch_page(db, select, order, &req, |o| CursorKey {
            sort: SortValue::Text(o.title.clone()),
            id: o.id,
        })
        .await?;
        Ok(OpportunityConnection(page.map(Opportunity::from)))
    }
}
