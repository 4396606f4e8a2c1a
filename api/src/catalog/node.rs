//! The Relay `Node` interface and the `node`/`nodes` root fields.

use async_graphql::{Context, Interface, Object, Result, ID};

use crate::{
    catalog::{
        colleges::types::{Articulation, College, DualEnrollmentAgreement},
        courses::types::{Certification, Course},
        districts::types::{District, School},
        educators::types::{
            Contact, EducatorOrganization, EducatorPartnership, EducatorProgram, TeachingOpening,
        },
        funding::types::FundingProgram,
        offerings::types::CourseOffering,
        partners::types::{IndustryPartner, IndustryPartnership, Opportunity},
        pathways::types::{IndustrySector, Pathway},
        programs::types::{FundingOption, JpaMembership, ProgramSite, RegionalProgram, Term},
        school_pathways::types::{DistrictFact, SchoolPathway},
    },
    error::ApiError,
};
use crate::{graphql::nested::by_id, ids, ids::NodeType};

/// Largest number of IDs `nodes` takes in one call.
pub const MAX_NODES: usize = 100;

/// Any object with a global ID.
#[allow(clippy::large_enum_variant)] // built per resolved node and dropped at once
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Opaque global ID, stable across restarts."
))]
pub enum Node {
    IndustrySector(IndustrySector),
    Pathway(Pathway),
    RegionalProgram(RegionalProgram),
    ProgramSite(ProgramSite),
    JpaMembership(JpaMembership),
    FundingOption(FundingOption),
    Term(Term),
    District(District),
    School(School),
    Certification(Certification),
    Course(Course),
    CourseOffering(CourseOffering),
    College(College),
    DualEnrollmentAgreement(DualEnrollmentAgreement),
    Articulation(Articulation),
    IndustryPartner(IndustryPartner),
    IndustryPartnership(IndustryPartnership),
    Opportunity(Opportunity),
    FundingProgram(FundingProgram),
    SchoolPathway(SchoolPathway),
    DistrictFact(DistrictFact),
    EducatorOrganization(EducatorOrganization),
    EducatorProgram(EducatorProgram),
    EducatorPartnership(EducatorPartnership),
    TeachingOpening(TeachingOpening),
    Contact(Contact),
}

/// Loads a row by id through its area's loader and wraps it as a node.
macro_rules! load {
    ($ctx:expr, $key:expr, $entity:path, $variant:ident) => {
        by_id::<$entity>($ctx, $key)
            .await?
            .map(|row| Node::$variant(row.into()))
    };
}

async fn load_node(ctx: &Context<'_>, field: &str, id: &ID) -> Result<Option<Node>> {
    let (node_type, key) = ids::decode(field, id)?;
    Ok(match node_type {
        NodeType::IndustrySector => {
            load!(ctx, key, entity::industry_sector::Entity, IndustrySector)
        }
        NodeType::Pathway => load!(ctx, key, entity::pathway::Entity, Pathway),
        NodeType::RegionalProgram => {
            load!(ctx, key, entity::regional_program::Entity, RegionalProgram)
        }
        NodeType::ProgramSite => load!(ctx, key, entity::program_site::Entity, ProgramSite),
        NodeType::JpaMembership => load!(ctx, key, entity::jpa_membership::Entity, JpaMembership),
        NodeType::FundingOption => load!(ctx, key, entity::funding_option::Entity, FundingOption),
        NodeType::Term => load!(ctx, key, entity::term::Entity, Term),
        NodeType::District => load!(ctx, key, entity::district::Entity, District),
        NodeType::School => load!(ctx, key, entity::school::Entity, School),
        NodeType::Certification => load!(ctx, key, entity::certification::Entity, Certification),
        NodeType::FundingProgram => {
            load!(ctx, key, entity::funding_program::Entity, FundingProgram)
        }
        NodeType::Course => load!(ctx, key, entity::course::Entity, Course),
        NodeType::CourseOffering => {
            load!(ctx, key, entity::course_offering::Entity, CourseOffering)
        }
        NodeType::College => load!(ctx, key, entity::college::Entity, College),
        NodeType::DualEnrollmentAgreement => {
            load!(
                ctx,
                key,
                entity::dual_enrollment_agreement::Entity,
                DualEnrollmentAgreement
            )
        }
        NodeType::Articulation => load!(ctx, key, entity::articulation::Entity, Articulation),
        NodeType::IndustryPartner => {
            load!(ctx, key, entity::industry_partner::Entity, IndustryPartner)
        }
        NodeType::IndustryPartnership => load!(
            ctx,
            key,
            entity::industry_partnership::Entity,
            IndustryPartnership
        ),
        NodeType::Opportunity => load!(ctx, key, entity::opportunity::Entity, Opportunity),
        NodeType::SchoolPathway => {
            load!(ctx, key, entity::school_pathway::Entity, SchoolPathway)
        }
        NodeType::DistrictFact => load!(ctx, key, entity::district_fact::Entity, DistrictFact),
        NodeType::EducatorOrganization => load!(
            ctx,
            key,
            entity::educator_organization::Entity,
            EducatorOrganization
        ),
        NodeType::EducatorProgram => {
            load!(ctx, key, entity::educator_program::Entity, EducatorProgram)
        }
        NodeType::EducatorPartnership => load!(
            ctx,
            key,
            entity::educator_partnership::Entity,
            EducatorPartnership
        ),
        NodeType::TeachingOpening => {
            load!(ctx, key, entity::teaching_opening::Entity, TeachingOpening)
        }
        NodeType::Contact => load!(ctx, key, entity::contact::Entity, Contact),
    })
}

/// `node` and `nodes`.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by global ID; null when it does not exist (a malformed ID is an error).
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID, as returned in any object's `id` field.")] id: ID,
    ) -> Result<Option<Node>> {
        load_node(ctx, "id", &id).await
    }

    /// Up to 100 objects by global ID, in the order asked; null where one does not exist.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 100 global IDs, as returned in objects' `id` fields.")] ids: Vec<
            ID,
        >,
    ) -> Result<Vec<Option<Node>>> {
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
