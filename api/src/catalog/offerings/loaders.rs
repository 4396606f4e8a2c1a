//! Batch loaders of the offerings area: who is asking, resolved once per request.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use entity::{district, school};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{error::LoadError, graphql::Loaders};

/// Districts by key: CDS code, or short code where none (for `costFor` on every section of a page).
pub struct DistrictByCode(DatabaseConnection);

impl Loader<String> for DistrictByCode {
    type Value = district::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = district::Entity::find()
            .filter(district::Column::Code.is_in(keys.iter().cloned()))
            .filter(district::Column::DeletedAt.is_null())
            .all(&self.0)
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
        let rows = school::Entity::find()
            .filter(school::Column::Code.is_in(keys.iter().cloned()))
            .filter(school::Column::DeletedAt.is_null())
            .all(&self.0)
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
