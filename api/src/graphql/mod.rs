//! What every GraphQL resolver shares: document limits and cost, Relay connections over
//! [`crate::paging`], generic nested loaders, provenance, the reference snapshot, scalars, and
//! the per-request loader settings ([`Loaders`]). The schema itself is assembled above the
//! catalogue, in [`crate::schema`].

pub mod cost;
pub mod guard;
pub mod mutation;
pub mod nested;
pub mod provenance;
pub mod reference;
pub mod scalars;
pub mod shared;

use std::{sync::Arc, time::Duration};

use sea_orm::DatabaseConnection;

use self::reference::ReferenceCache;
use crate::batch::DataLoader;

/// What every area needs to build its per-request loaders.
pub struct Loaders {
    pub db: DatabaseConnection,
    pub delay: Duration,
    /// The snapshot of reference tables (sectors, pathways, programs, colleges, certifications).
    pub reference: Option<Arc<ReferenceCache>>,
}

impl Loaders {
    /// The by-id loader of a reference table (see [`reference`]).
    pub fn reference_by_id<E>(&self) -> DataLoader<nested::ById<E>>
    where
        E: sea_orm::EntityTrait,
        E::Model: Clone + Send + Sync + 'static,
    {
        self.batch(nested::ById::reference(
            self.db.clone(),
            self.reference.clone(),
        ))
    }

    /// A per-request batch loader with the configured batching window.
    pub fn batch<T: Send + Sync + 'static>(&self, loader: T) -> DataLoader<T> {
        DataLoader::new(loader, self.delay)
    }
}
