//! Batch loaders of the partners area.

use crate::relation;
use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use entity::{industry_partner, industry_partnership, industry_sector, opportunity};
use sea_orm::{DatabaseConnection, DbErr, FromQueryResult, QueryResult};

use super::store;
use crate::{
    error::LoadError,
    graphql::{
        nested,
        nested::{ById, Relation},
        Loaders,
    },
    paging::{CursorKey, SortValue},
};

relation!(
    /// A partner's partnerships (one per pathway), in id order.
    PartnershipsOfPartner: industry_partnership by partner_id, sorted by id as int
);

relation!(
    /// A pathway's industry partnerships, in id order.
    PartnershipsOfPathway: industry_partnership by pathway_id, sorted by id as int
);

relation!(
    /// A partner's opportunities, by title.
    OpportunitiesOfPartner: opportunity by partner_id, sorted by title as text
);

/// The sectors each partner works in (at most 15).
pub struct SectorsOfPartner(DatabaseConnection);

impl Loader<i32> for SectorsOfPartner {
    type Value = Vec<industry_sector::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        store::sectors_of_partners(&self.0, keys)
            .await
            .map_err(|e| Arc::new(e.into()))
    }
}

/// A partner seen through one of its partnerships: which pathway, offering what.
#[derive(Clone, Debug)]
pub struct PartnerInPathway {
    pub pathway_key: i32,
    pub partner: industry_partner::Model,
}

impl FromQueryResult for PartnerInPathway {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(PartnerInPathway {
            pathway_key: res.try_get(pre, "pathway_key")?,
            partner: industry_partner::Model::from_query_result(res, pre)?,
        })
    }
}

/// Partners of a pathway, by name (optionally only those offering a kind).
pub struct PartnersOfPathwayPages;
impl Relation for PartnersOfPathwayPages {
    type Model = PartnerInPathway;
    const TABLE: &'static str = "(SELECT p.*, ps.pathway_id AS pathway_key, ps.kinds AS partnership_kinds, \
         (p.sample OR ps.sample) AS listed_sample \
         FROM industry_partner p JOIN industry_partnership ps ON ps.partner_id = p.id WHERE ps.deleted_at IS NULL)";
    /// A real partner by an illustrative partnership is a sample pairing.
    const SAMPLE_COLUMN: &'static str = "listed_sample";
    const PARENT_COLUMN: &'static str = "pathway_key";
    const SORT_COLUMN: &'static str = "name";
    fn parent(row: &Self::Model) -> i32 {
        row.pathway_key
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Text(row.partner.name.clone()),
            id: row.partner.id,
        }
    }
}

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let db = &loaders.db;
    let request = request
        .data(loaders.batch(ById::<industry_partner::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<industry_partnership::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<opportunity::Entity>::new(db.clone())))
        .data(loaders.batch(SectorsOfPartner(db.clone())));
    let request = nested::register::<PartnershipsOfPathway>(request, loaders);
    let request = nested::register::<PartnershipsOfPartner>(request, loaders);
    let request = nested::register::<PartnersOfPathwayPages>(request, loaders);
    nested::register::<OpportunitiesOfPartner>(request, loaders)
}
