//! SQL of the partners area: the `industryPartners` and `opportunities` lists (codes and IDs
//! already resolved by the resolvers).

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    industry_partner, industry_partner_sector, industry_partnership, industry_sector, opportunity,
    pathway,
};
use sea_orm::{
    sea_query::Query, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, ExprTrait, QueryFilter,
};

use crate::{
    catalog::{pathways::store::live_sectors_by_id, programs::store::text_in},
    error::ApiResult,
    paging,
    paging::{CursorKey, Keyset, Page, PageRequest, SortValue},
};

/// Filters on the `industryPartners` list.
#[derive(Default, Debug, Clone)]
pub struct PartnerCriteria {
    /// Works in this sector.
    pub sector_id: Option<i32>,
    /// Has a partnership with this pathway.
    pub pathway_id: Option<i32>,
    /// Has a partnership of this stored kind (`INTERNSHIP`, ...).
    pub kind: Option<&'static str>,
    /// Text in the name or description, any case.
    pub search: Option<String>,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

/// One page of industry partners, by name.
pub async fn partners_page(
    db: &DatabaseConnection,
    criteria: &PartnerCriteria,
    req: &PageRequest,
) -> ApiResult<Page<industry_partner::Model>> {
    use industry_partner::Column as C;
    let mut select = industry_partner::Entity::find().filter(C::DeletedAt.is_null());
    if criteria.exclude_sample {
        select = select.filter(C::Sample.eq(false));
    }
    if let Some(sector_id) = criteria.sector_id {
        select = select.filter(
            C::Id.in_subquery(
                Query::select()
                    .column(industry_partner_sector::Column::PartnerId)
                    .from(industry_partner_sector::Entity)
                    .and_where(industry_partner_sector::Column::SectorId.eq(sector_id))
                    .to_owned(),
            ),
        );
    }
    if criteria.pathway_id.is_some() || criteria.kind.is_some() {
        let mut partnerships = Query::select()
            .column(industry_partnership::Column::PartnerId)
            .from(industry_partnership::Entity)
            .and_where(industry_partnership::Column::DeletedAt.is_null())
            .to_owned();
        if let Some(pathway_id) = criteria.pathway_id {
            partnerships.and_where(industry_partnership::Column::PathwayId.eq(pathway_id));
        }
        if let Some(kind) = criteria.kind {
            // Kinds are stored comma-separated; match one whole item.
            partnerships.and_where(crate::db::custom_expr(
                db.get_database_backend(),
                "(',' || kinds || ',') LIKE ?",
                vec![format!("%,{kind},%").into()],
            ));
        }
        select = select.filter(C::Id.in_subquery(partnerships));
    }
    if let Some(search) = text_in(criteria.search.as_deref(), &[C::Name, C::Description]) {
        select = select.filter(search);
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

/// Filters on the `opportunities` list.
#[derive(Default, Debug, Clone)]
pub struct OpportunityCriteria {
    /// Of this stored kind (`INTERNSHIP`, ...).
    pub kind: Option<&'static str>,
    /// In a pathway of this sector.
    pub sector_id: Option<i32>,
    /// In this pathway.
    pub pathway_id: Option<i32>,
    /// Offered by this partner.
    pub partner_id: Option<i32>,
    /// Open to students in this grade.
    pub grade: Option<i32>,
    /// Paid or unpaid.
    pub paid: Option<bool>,
    /// Still taking applications on this day.
    pub open_on: Option<NaiveDate>,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

/// One page of opportunities, by title.
pub async fn opportunities_page(
    db: &DatabaseConnection,
    criteria: &OpportunityCriteria,
    req: &PageRequest,
) -> ApiResult<Page<opportunity::Model>> {
    use opportunity::Column as C;
    let mut select = opportunity::Entity::find().filter(C::DeletedAt.is_null());
    if criteria.exclude_sample {
        select = select.filter(C::Sample.eq(false));
    }
    if let Some(kind) = criteria.kind {
        select = select.filter(C::Kind.eq(kind));
    }
    if let Some(sector_id) = criteria.sector_id {
        select = select.filter(
            C::PathwayId.in_subquery(
                Query::select()
                    .column(pathway::Column::Id)
                    .from(pathway::Entity)
                    .and_where(pathway::Column::SectorId.eq(sector_id))
                    .to_owned(),
            ),
        );
    }
    if let Some(pathway_id) = criteria.pathway_id {
        select = select.filter(C::PathwayId.eq(pathway_id));
    }
    if let Some(partner_id) = criteria.partner_id {
        select = select.filter(C::PartnerId.eq(partner_id));
    }
    if let Some(grade) = criteria.grade {
        select = select.filter(C::MinGrade.is_null().or(C::MinGrade.lte(grade)));
    }
    if let Some(paid) = criteria.paid {
        select = select.filter(C::Paid.eq(paid));
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

/// The live sectors each partner works in, in the published order of the standards, in two
/// statements.
pub async fn sectors_of_partners(
    db: &DatabaseConnection,
    partners: &[i32],
) -> Result<HashMap<i32, Vec<industry_sector::Model>>, DbErr> {
    let links = industry_partner_sector::Entity::find()
        .filter(industry_partner_sector::Column::PartnerId.is_in(partners.iter().copied()))
        .all(db)
        .await?;
    let sectors = live_sectors_by_id(db, links.iter().map(|l| l.sector_id)).await?;
    let mut out: HashMap<i32, Vec<industry_sector::Model>> = HashMap::new();
    for link in links {
        if let Some(sector) = sectors.get(&link.sector_id) {
            out.entry(link.partner_id).or_default().push(sector.clone());
        }
    }
    out.values_mut()
        .for_each(|sectors| sectors.sort_by_key(|s| (s.sort_order, s.id)));
    Ok(out)
}
