//! Reads of school pathways that are not a plain parent → children page.

use async_graphql::{dataloader::DataLoader, Context};
use entity::school_pathway;
use sea_orm::{sea_query::Query, ColumnTrait, Condition};

use super::loaders::{NearKey, OfferedAt, OfferedAtKey, OfferedAtRow};
use crate::{
    catalog::offerings::{loaders::DistrictByCds, query::NearInput},
    codes::CdsCode,
    error::{from_load, ApiError},
    graphql::relay::{Page, PageRequest},
};

/// `Pathway.offeredAt`: the schools and districts that run `pathway_id`, in a district
/// and within `near` of a place when given (then nearest first, by the schools' own
/// coordinates; district-wide programs have no place and are left out).
pub async fn offered_at(
    ctx: &Context<'_>,
    pathway_id: i32,
    near: Option<NearInput>,
    district: Option<String>,
    req: PageRequest,
) -> async_graphql::Result<Page<OfferedAtRow>> {
    let near = match near {
        Some(n) => {
            check_near(&n)?;
            Some(NearKey::new(n.lat, n.lng, n.radius_km))
        }
        None => None,
    };
    let district_id = match district {
        Some(raw) => {
            let cds = CdsCode::parse_district("district", &raw)?;
            match ctx
                .data_unchecked::<DataLoader<DistrictByCds>>()
                .load_one(cds.as_str().to_owned())
                .await
                .map_err(from_load)?
            {
                Some(d) => Some(d.id),
                // An unknown district matches nothing, like any other filter value.
                None => return Ok(Page::empty()),
            }
        }
        None => None,
    };
    let req = req.bound(&format!("offeredAt {pathway_id} {district_id:?} {near:?}"))?;
    Ok(ctx
        .data_unchecked::<DataLoader<OfferedAt>>()
        .load_one(OfferedAtKey {
            pathway_id,
            district_id,
            near,
            req,
        })
        .await
        .map_err(from_load)?
        .unwrap_or_else(Page::empty))
}

/// The same bounds as the `near` filter of `offerings`.
fn check_near(near: &NearInput) -> Result<(), ApiError> {
    if !(-90.0..=90.0).contains(&near.lat) {
        return Err(ApiError::bad_input("near.lat", "must be -90 to 90"));
    }
    if !(-180.0..=180.0).contains(&near.lng) {
        return Err(ApiError::bad_input("near.lng", "must be -180 to 180"));
    }
    if !(near.radius_km > 0.0 && near.radius_km <= 200.0) {
        return Err(ApiError::bad_input(
            "near.radiusKm",
            "must be more than 0 and at most 200",
        ));
    }
    Ok(())
}

/// Which school pathways a `pathways` filter asks for (all given must hold).
#[derive(Clone, Debug, Default)]
pub struct OfferedBy {
    pub school_id: Option<i32>,
    pub district_id: Option<i32>,
    pub academy: Option<bool>,
}

impl OfferedBy {
    /// Whether the filter asks anything.
    pub fn is_some(&self) -> bool {
        self.school_id.is_some() || self.district_id.is_some() || self.academy.is_some()
    }

    /// `pathway.id IN (the state pathways of matching live school pathways)`.
    pub fn condition(&self) -> Condition {
        let mut sub = Query::select();
        sub.column(school_pathway::Column::PathwayId)
            .from(school_pathway::Entity)
            .and_where(school_pathway::Column::DeletedAt.is_null())
            .and_where(school_pathway::Column::PathwayId.is_not_null());
        if let Some(id) = self.school_id {
            sub.and_where(school_pathway::Column::SchoolId.eq(id));
        }
        if let Some(id) = self.district_id {
            sub.and_where(school_pathway::Column::DistrictId.eq(id));
        }
        if let Some(academy) = self.academy {
            sub.and_where(school_pathway::Column::Academy.eq(academy));
        }
        Condition::all().add(entity::pathway::Column::Id.in_subquery(sub.to_owned()))
    }
}
