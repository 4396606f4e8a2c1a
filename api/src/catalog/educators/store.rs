//! SQL of the educators area: the root lists, the sectors of educator programs, and the
//! look-ups the write rules need (owners, codes, a school's district, stored sector links).

use std::collections::HashMap;

use entity::{
    educator_organization, educator_program, educator_program_sector, industry_sector, school,
    teaching_opening,
};
use sea_orm::{
    sea_query::Query, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    ExprTrait, QueryFilter,
};

use crate::{
    catalog::{pathways::store::live_sectors_by_id, programs::store::text_in},
    error::ApiResult,
    paging,
    paging::{CursorKey, Keyset, Page, PageRequest, SortValue},
};

/// Filters on the `educatorOrganizations` list.
#[derive(Default, Debug, Clone)]
pub struct OrganizationCriteria {
    /// The stored kind (`NONPROFIT`, ...).
    pub kind: Option<String>,
    /// Text in the name or description, any case.
    pub search: Option<String>,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

/// One page of educator organisations, by name.
pub async fn organizations_page(
    db: &DatabaseConnection,
    criteria: &OrganizationCriteria,
    req: &PageRequest,
) -> ApiResult<Page<educator_organization::Model>> {
    use educator_organization::Column as C;
    let mut select = educator_organization::Entity::find().filter(C::DeletedAt.is_null());
    if criteria.exclude_sample {
        select = select.filter(C::Sample.eq(false));
    }
    if let Some(kind) = &criteria.kind {
        select = select.filter(C::Kind.eq(kind.clone()));
    }
    if let Some(search) = text_in(criteria.search.as_deref(), &[C::Name, C::Description]) {
        select = select.filter(search);
    }
    let order = Keyset {
        sort: C::Name,
        id: C::Id,
        descending: false,
    };
    paging::fetch_page(db, select, order, req, |o| CursorKey {
        sort: SortValue::Text(o.name.clone()),
        id: o.id,
    })
    .await
}

/// Filters on the `educatorPrograms` list (codes and IDs already resolved).
#[derive(Default, Debug, Clone)]
pub struct ProgramCriteria {
    /// The stored kind (`MENTORSHIP`, ...).
    pub kind: Option<String>,
    /// Serves this sector.
    pub sector_id: Option<i32>,
    /// Run by this organisation.
    pub organization_id: Option<i32>,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

/// One page of educator programs, by name.
pub async fn programs_page(
    db: &DatabaseConnection,
    criteria: &ProgramCriteria,
    req: &PageRequest,
) -> ApiResult<Page<educator_program::Model>> {
    use educator_program::Column as C;
    let mut select = educator_program::Entity::find().filter(C::DeletedAt.is_null());
    if criteria.exclude_sample {
        select = select.filter(C::Sample.eq(false));
    }
    if let Some(kind) = &criteria.kind {
        select = select.filter(C::Kind.eq(kind.clone()));
    }
    if let Some(sector_id) = criteria.sector_id {
        select = select.filter(
            C::Id.in_subquery(
                Query::select()
                    .column(educator_program_sector::Column::ProgramId)
                    .from(educator_program_sector::Entity)
                    .and_where(educator_program_sector::Column::SectorId.eq(sector_id))
                    .to_owned(),
            ),
        );
    }
    if let Some(organization_id) = criteria.organization_id {
        select = select.filter(C::OrganizationId.eq(organization_id));
    }
    let order = Keyset {
        sort: C::Name,
        id: C::Id,
        descending: false,
    };
    paging::fetch_page(db, select, order, req, |p| CursorKey {
        sort: SortValue::Text(p.name.clone()),
        id: p.id,
    })
    .await
}

/// Filters on the `teachingOpenings` list (codes already resolved).
#[derive(Default, Debug, Clone)]
pub struct OpeningCriteria {
    /// In this sector.
    pub sector_id: Option<i32>,
    /// In this pathway.
    pub pathway_id: Option<i32>,
    /// At this district.
    pub district_id: Option<i32>,
    /// Still open for applications on this date (no apply-by date counts as open).
    pub open_on: Option<chrono::NaiveDate>,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

/// One page of teaching openings, by title.
pub async fn openings_page(
    db: &DatabaseConnection,
    criteria: &OpeningCriteria,
    req: &PageRequest,
) -> ApiResult<Page<teaching_opening::Model>> {
    use teaching_opening::Column as C;
    let mut select = teaching_opening::Entity::find().filter(C::DeletedAt.is_null());
    if criteria.exclude_sample {
        select = select.filter(C::Sample.eq(false));
    }
    if let Some(id) = criteria.sector_id {
        select = select.filter(C::SectorId.eq(id));
    }
    if let Some(id) = criteria.pathway_id {
        select = select.filter(C::PathwayId.eq(id));
    }
    if let Some(id) = criteria.district_id {
        select = select.filter(C::DistrictId.eq(id));
    }
    if let Some(on) = criteria.open_on {
        select = select.filter(C::ApplyBy.is_null().or(C::ApplyBy.gte(on)));
    }
    let order = Keyset {
        sort: C::Title,
        id: C::Id,
        descending: false,
    };
    paging::fetch_page(db, select, order, req, |o| CursorKey {
        sort: SortValue::Text(o.title.clone()),
        id: o.id,
    })
    .await
}

/// The live sectors of each educator program in `programs`, in two statements.
pub async fn sectors_of_programs(
    db: &DatabaseConnection,
    programs: &[i32],
) -> Result<HashMap<i32, Vec<industry_sector::Model>>, DbErr> {
    let links = educator_program_sector::Entity::find()
        .filter(educator_program_sector::Column::ProgramId.is_in(programs.iter().copied()))
        .all(db)
        .await?;
    let sectors = live_sectors_by_id(db, links.iter().map(|l| l.sector_id)).await?;
    let mut out: HashMap<i32, Vec<industry_sector::Model>> = HashMap::new();
    for link in links {
        if let Some(sector) = sectors.get(&link.sector_id) {
            out.entry(link.program_id).or_default().push(sector.clone());
        }
    }
    Ok(out)
}

/// A school by id (deleted or not: the write rules check where it is).
pub async fn school(db: &impl ConnectionTrait, id: i32) -> ApiResult<Option<school::Model>> {
    Ok(school::Entity::find_by_id(id).one(db).await?)
}

/// An educator organisation by id.
pub async fn organization(
    db: &impl ConnectionTrait,
    id: i32,
) -> ApiResult<Option<educator_organization::Model>> {
    Ok(educator_organization::Entity::find_by_id(id)
        .one(db)
        .await?)
}

/// An educator program by id.
pub async fn program(
    db: &impl ConnectionTrait,
    id: i32,
) -> ApiResult<Option<educator_program::Model>> {
    Ok(educator_program::Entity::find_by_id(id).one(db).await?)
}

/// The id of the live educator organisation whose code is `code` (exactly, once trimmed).
pub async fn organization_by_code(db: &impl ConnectionTrait, code: &str) -> ApiResult<Option<i32>> {
    Ok(educator_organization::Entity::find()
        .filter(educator_organization::Column::DeletedAt.is_null())
        .filter(educator_organization::Column::Code.eq(crate::resolve::code(code)))
        .one(db)
        .await?
        .map(|o| o.id))
}

/// The id of the live educator program whose code is `code` (exactly, once trimmed).
pub async fn program_by_code(db: &impl ConnectionTrait, code: &str) -> ApiResult<Option<i32>> {
    Ok(educator_program::Entity::find()
        .filter(educator_program::Column::DeletedAt.is_null())
        .filter(educator_program::Column::Code.eq(crate::resolve::code(code)))
        .one(db)
        .await?
        .map(|p| p.id))
}

/// The stored sector links of an educator program.
pub async fn sector_links(
    db: &impl ConnectionTrait,
    program_id: i32,
) -> ApiResult<Vec<educator_program_sector::Model>> {
    Ok(educator_program_sector::Entity::find()
        .filter(educator_program_sector::Column::ProgramId.eq(program_id))
        .all(db)
        .await?)
}
