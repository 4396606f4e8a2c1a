//! The Relay `Node` interface and the `node`/`nodes` root fields.

use async_graphql::{dataloader::DataLoader, Context, Interface, Object, Result, ID};

use super::ids::{self, NodeType};
use crate::{
    catalog::pathways::{
        loaders::{PathwayById, SectorById},
        types::{IndustrySector, Pathway},
    },
    error::{from_load, ApiError},
};

/// Largest number of IDs `nodes` takes in one call.
pub const MAX_NODES: usize = 100;

/// Any object with a global ID.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Opaque global ID, stable across restarts."
))]
pub enum Node {
    IndustrySector(IndustrySector),
    Pathway(Pathway),
}

async fn load_node(ctx: &Context<'_>, field: &str, id: &ID) -> Result<Option<Node>> {
    let (node_type, key) = ids::decode(field, id)?;
    Ok(match node_type {
        NodeType::IndustrySector => ctx
            .data_unchecked::<DataLoader<SectorById>>()
            .load_one(key)
            .await
            .map_err(from_load)?
            .map(|m| Node::IndustrySector(IndustrySector(m))),
        NodeType::Pathway => ctx
            .data_unchecked::<DataLoader<PathwayById>>()
            .load_one(key)
            .await
            .map_err(from_load)?
            .map(|m| Node::Pathway(Pathway(m))),
    })
}

/// `node` and `nodes`.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by global ID; null when it does not exist (a malformed ID is an error).
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        load_node(ctx, "id", &id).await
    }

    /// Up to 100 objects by global ID, in the order asked; null where one does not exist.
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(ApiError::bad_input(
                "ids",
                format!("at most {MAX_NODES} IDs (got {})", ids.len()),
            )
            .into());
        }
        // All lookups of one type go through the same loader, so this is one statement per type.
        futures::future::try_join_all(ids.iter().map(|id| load_node(ctx, "ids", id))).await
    }
}
