//! Opaque global IDs: base64url of `Type:key`, stable across restarts and databases.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

use crate::error::ApiError;

/// Declares the node types once: the enum, its list and its GraphQL names.
macro_rules! node_types {
    ($($name:ident),* $(,)?) => {
        /// The object types that have global IDs; the name is the GraphQL type name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum NodeType {
            $($name,)*
        }

        impl NodeType {
            const ALL: &'static [NodeType] = &[$(NodeType::$name,)*];

            /// The node type of a GraphQL type name.
            pub fn from_name(name: &str) -> Option<NodeType> {
                Self::ALL.iter().copied().find(|t| t.name() == name)
            }

            /// The GraphQL type name encoded in the ID.
            pub fn name(self) -> &'static str {
                match self {
                    $(NodeType::$name => stringify!($name),)*
                }
            }
        }
    };
}

node_types!(
    IndustrySector,
    Pathway,
    Certification,
    RegionalProgram,
    ProgramSite,
    JpaMembership,
    FundingOption,
    Term,
    District,
    School,
    Course,
    CourseOffering,
    College,
    DualEnrollmentAgreement,
    Articulation,
    IndustryPartner,
    IndustryPartnership,
    Opportunity,
    FundingProgram,
    SchoolPathway,
    DistrictFact,
    EducatorOrganization,
    EducatorProgram,
    EducatorPartnership,
    TeachingOpening,
    Contact,
);

/// Encodes the global ID of a record.
pub fn encode(node_type: NodeType, key: i32) -> async_graphql::ID {
    async_graphql::ID(URL_SAFE_NO_PAD.encode(format!("{}:{key}", node_type.name())))
}

/// Decodes a global ID; anything malformed is `BAD_USER_INPUT` on `field`.
pub fn decode(field: &str, id: &str) -> Result<(NodeType, i32), ApiError> {
    let malformed = || ApiError::bad_input(field, format!("'{id}' is not a CTE Hub ID"));
    let bytes = URL_SAFE_NO_PAD
        .decode(id.trim_end_matches('='))
        .map_err(|_| malformed())?;
    let text = String::from_utf8(bytes).map_err(|_| malformed())?;
    let (type_name, key) = text.split_once(':').ok_or_else(malformed)?;
    let node_type = NodeType::ALL
        .iter()
        .copied()
        .find(|t| t.name() == type_name)
        .ok_or_else(malformed)?;
    let key = key.parse::<i32>().map_err(|_| malformed())?;
    Ok((node_type, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let id = encode(NodeType::Pathway, 42);
        assert_eq!(decode("id", &id).unwrap(), (NodeType::Pathway, 42));
        assert!(decode("id", "not-an-id!").is_err());
        assert!(decode("id", &URL_SAFE_NO_PAD.encode("Nope:1")).is_err());
        assert!(decode("id", &URL_SAFE_NO_PAD.encode("Pathway:x")).is_err());
    }
}
