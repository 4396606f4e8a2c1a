//! Batch loaders of the partners area.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use entity::{
    industry_partner, industry_partner_sector, industry_partnership, industry_sector, opportunity,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    error::LoadError,
    graphql::{
        nested::{self, ById, Children, Relation},
        relay::{CursorKey, SortValue},
        Loaders,
    },
};

/// A partner's partnerships (one per pathway), in id order.
pub struct PartnershipsOfPartner;
impl Relation for PartnershipsOfPartner {
    type Entity = industry_partnership::Entity;
    type Model = industry_partnership::Model;
    const TABLE: &'static str = "industry_partnership";
    const PARENT_COLUMN: &'static str = "partner_id";
    const SORT_COLUMN: &'static str = "id";
    fn parent(row: &Self::Model) -> i32 {
        row.partner_id
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Int(row.id.into()),
            id: row.id,
        }
    }
}

/// A pathway's industry partnerships, in id order.
pub struct PartnershipsOfPathway;
impl Relation for PartnershipsOfPathway {
    type Entity = industry_partnership::Entity;
    type Model = industry_partnership::Model;
    const TABLE: &'static str = "industry_partnership";
    const PARENT_COLUMN: &'static str = "pathway_id";
    const SORT_COLUMN: &'static str = "id";
    fn parent(row: &Self::Model) -> i32 {
        row.pathway_id
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Int(row.id.into()),
            id: row.id,
        }
    }
}

/// A partner's opportunities, by title.
pub struct OpportunitiesOfPartner;
impl Relation for OpportunitiesOfPartner {
    type Entity = opportunity::Entity;
    type Model = opportunity::Model;
    const TABLE: &'static str = "opportunity";
    const PARENT_COLUMN: &'static str = "partner_id";
    const SORT_COLUMN: &'static str = "title";
    fn parent(row: &Self::Model) -> i32 {
        row.partner_id
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Text(row.title.clone()),
            id: row.id,
        }
    }
}

/// The sectors each partner works in (at most 15).
pub struct SectorsOfPartner(DatabaseConnection);

impl Loader<i32> for SectorsOfPartner {
    type Value = Vec<industry_sector::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let links = industry_partner_sector::Entity::find()
            .filter(industry_partner_sector::Column::PartnerId.is_in(keys.iter().copied()))
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(e.into()))?;
        let sectors: HashMap<i32, industry_sector::Model> = industry_sector::Entity::find()
            .filter(industry_sector::Column::Id.is_in(links.iter().map(|l| l.sector_id)))
            .filter(industry_sector::Column::DeletedAt.is_null())
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(e.into()))?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let mut out: HashMap<i32, Vec<industry_sector::Model>> = HashMap::new();
        for link in links {
            if let Some(sector) = sectors.get(&link.sector_id) {
                out.entry(link.partner_id).or_default().push(sector.clone());
            }
        }
        // In the published order of the standards.
        out.values_mut()
            .for_each(|sectors| sectors.sort_by_key(|s| (s.sort_order, s.id)));
        Ok(out)
    }
}

/// Partners with a partnership in each pathway, with what each offers there.
pub struct PartnersOfPathway(DatabaseConnection);

impl Loader<i32> for PartnersOfPathway {
    type Value = Vec<(industry_partner::Model, String)>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = industry_partnership::Entity::find()
            .filter(industry_partnership::Column::PathwayId.is_in(keys.iter().copied()))
            .filter(industry_partnership::Column::DeletedAt.is_null())
            .find_also_related(industry_partner::Entity)
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(e.into()))?;
        let mut out: HashMap<i32, Self::Value> = HashMap::new();
        for (link, partner) in rows {
            if let Some(partner) = partner.filter(|p| p.deleted_at.is_none()) {
                out.entry(link.pathway_id)
                    .or_default()
                    .push((partner, link.kinds));
            }
        }
        out.values_mut()
            .for_each(|list| list.sort_by(|a, b| (&a.0.name, a.0.id).cmp(&(&b.0.name, b.0.id))));
        Ok(out)
    }
}

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let db = &loaders.db;
    let request = request
        .data(loaders.batch(ById::<industry_partner::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<industry_partnership::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<opportunity::Entity>::new(db.clone())))
        .data(loaders.batch(SectorsOfPartner(db.clone())))
        .data(loaders.batch(PartnersOfPathway(db.clone())))
        .data(loaders.batch(Children::<PartnershipsOfPartner>::new(db.clone())));
    let request = nested::register::<PartnershipsOfPathway>(request, loaders);
    nested::register::<OpportunitiesOfPartner>(request, loaders)
}
