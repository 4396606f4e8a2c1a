//! GraphQL types of funding programs.

use async_graphql::{Enum, SimpleObject, ID};
use entity::funding_program;

use crate::vocabulary::Stored;
use crate::{connection_types, graphql::provenance::Provenance, ids, ids::NodeType, provenance};

/// Who pays a funding program.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum FundingProgramKind {
    /// A California state grant, e.g. CTEIG.
    #[default]
    StateGrant,
    /// A federal grant, e.g. Perkins V.
    FederalGrant,
}

/// A state or federal grant that pays for CTE programs (not for one student: see `FundingOption`).
#[derive(SimpleObject, Clone)]
pub struct FundingProgram {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable code, e.g. `CTEIG`.
    pub code: String,
    /// Name, e.g. "Career Technical Education Incentive Grant".
    pub name: String,
    /// State or federal grant.
    pub kind: FundingProgramKind,
    /// What it pays for and what it asks in return (e.g. a local match).
    pub description: Option<String>,
    /// The administering agency's page about it, where known.
    pub url: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
}

impl From<funding_program::Model> for FundingProgram {
    fn from(mut row: funding_program::Model) -> Self {
        FundingProgram {
            id: ids::encode(NodeType::FundingProgram, row.id),
            provenance: provenance!(row),
            code: row.code,
            name: row.name,
            kind: Stored::read_stored(&row.kind),
            description: row.description,
            url: row.url,
        }
    }
}

connection_types!(
    FundingProgram,
    FundingProgramConnection,
    FundingProgramEdge,
    "A page of funding programs."
);
