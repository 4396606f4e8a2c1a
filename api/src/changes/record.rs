//! What the write path needs to know about each kind of partner-owned record.

use std::future::Future;

use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel};

use crate::{error::ApiResult, ids::NodeType};

/// A catalogue table whose rows partners change through mutations and imports.
///
/// Implemented by each area next to its mutations; used only by
/// [`super::Writer`], which applies the same steps to every kind.
pub trait Record:
    EntityTrait<Model: IntoActiveModel<<Self as EntityTrait>::ActiveModel> + Sync, ActiveModel: Send>
{
    /// The GraphQL type of the record (change feed and audit log name it).
    const NODE: NodeType;
    /// How a person calls one, for messages ("course", "JPA membership").
    const LABEL: &'static str;
    /// `(table, column)` of live rows that point at a record: a delete is refused while they exist.
    const DEPENDENTS: &'static [(&'static str, &'static str)] = &[];
    /// The search index kind to refresh when a record changes.
    const SEARCH_KIND: Option<&'static str> = None;

    /// The organisations that own a row (program code, district CDS code, college IPEDS id or
    /// code, industry partner code): the only editors who may change it.
    fn owners<C: ConnectionTrait>(
        db: &C,
        model: &Self::Model,
    ) -> impl Future<Output = ApiResult<Vec<String>>> + Send;

    /// Rules on the whole record, checked after an update merges into it; errors name the
    /// `input.` field.
    fn validate(model: &Self::Model) -> ApiResult<()>;

    /// The row's key.
    fn key(model: &Self::Model) -> i32;
}
