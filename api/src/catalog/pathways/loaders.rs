//! Per-request batch loaders for sectors and pathways: one statement per level
//! of a query, whatever the page size.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use entity::{industry_sector, pathway};
use sea_orm::DatabaseConnection;

use super::store;
use crate::{
    error::LoadError,
    graphql::{
        relay::{Page, PageRequest},
        Loaders,
    },
};

/// Sectors by id (a pathway's sector, `node`).
pub struct SectorById(DatabaseConnection);

impl Loader<i32> for SectorById {
    type Value = industry_sector::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = store::sectors_by_ids(&self.0, keys).await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// Pathways by id (`node`, a course's pathway).
pub struct PathwayById(DatabaseConnection);

impl Loader<i32> for PathwayById {
    type Value = pathway::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = store::pathways_by_ids(&self.0, keys).await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// A page of pathways per sector, keyed by sector and page request.
pub struct PathwaysOfSector(DatabaseConnection);

impl Loader<(i32, PageRequest)> for PathwaysOfSector {
    type Value = Page<pathway::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(i32, PageRequest)],
    ) -> Result<HashMap<(i32, PageRequest), Self::Value>, Self::Error> {
        // Usually every sector in a response asks the same page: one statement.
        let mut by_request: HashMap<&PageRequest, Vec<i32>> = HashMap::new();
        for (sector, req) in keys {
            by_request.entry(req).or_default().push(*sector);
        }
        let mut out = HashMap::new();
        for (req, sectors) in by_request {
            for (sector, page) in store::pathways_of_sectors(&self.0, &sectors, req).await? {
                out.insert((sector, req.clone()), page);
            }
        }
        Ok(out)
    }
}

/// How many pathways each sector has, for nested `totalCount`.
pub struct PathwayCountOfSector(DatabaseConnection);

impl Loader<i32> for PathwayCountOfSector {
    type Value = u64;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, u64>, Self::Error> {
        Ok(store::pathway_counts_of_sectors(&self.0, keys).await?)
    }
}

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let db = &loaders.db;
    request
        .data(loaders.batch(SectorById(db.clone())))
        .data(loaders.batch(PathwayById(db.clone())))
        .data(loaders.batch(PathwaysOfSector(db.clone())))
        .data(Arc::new(loaders.batch(PathwayCountOfSector(db.clone()))))
        .data(
            loaders.batch(crate::graphql::nested::ById::<industry_sector::Entity>::new(db.clone())),
        )
        .data(
            loaders.batch(crate::graphql::nested::ById::<pathway::Entity>::new(
                db.clone(),
            )),
        )
}
