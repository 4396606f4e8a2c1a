//! Batch loaders of the offerings area: who is asking, resolved once per request.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use entity::{district, school};
use sea_orm::DatabaseConnection;

use crate::{catalog::districts::store as districts, error::LoadError, graphql::Loaders};

/// Districts by key: CDS code, or short code where none (for `costFor` on every section of a page).
pub struct DistrictByCode(DatabaseConnection);

impl Loader<String> for DistrictByCode {
    type Value = district::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = districts::live_districts_by_code(&self.0, keys.to_vec())
            .await
            .map_err(|e| Arc::new(e.into()))?;
        Ok(rows.into_iter().map(|r| (r.code.clone(), r)).collect())
    }
}

/// Schools by key: CDS code, or short code where none.
pub struct SchoolByCode(DatabaseConnection);

impl Loader<String> for SchoolByCode {
    type Value = school::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = districts::live_schools_by_code(&self.0, keys.to_vec())
            .await
            .map_err(|e| Arc::new(e.into()))?;
        Ok(rows.into_iter().map(|r| (r.code.clone(), r)).collect())
    }
}

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    request
        .data(loaders.batch(DistrictByCode(loaders.db.clone())))
        .data(loaders.batch(SchoolByCode(loaders.db.clone())))
}
