//! SeaORM entities: one module per table, nothing else.
//!
//! The public GraphQL types live in `api` and are mapped from these, so a column
//! change never silently changes the published schema.

pub mod api_client;
pub mod articulation;
pub mod certification;
pub mod change_event;
pub mod college;
pub mod contact;
pub mod course;
pub mod course_certification;
pub mod course_offering;
pub mod course_prerequisite;
pub mod district;
pub mod district_fact;
pub mod dual_enrollment_agreement;
pub mod educator_organization;
pub mod educator_partnership;
pub mod educator_program;
pub mod educator_program_sector;
pub mod funding_option;
pub mod funding_program;
pub mod industry_partner;
pub mod industry_partner_sector;
pub mod industry_partnership;
pub mod industry_sector;
pub mod jpa_membership;
pub mod opportunity;
pub mod pathway;
pub mod program_site;
pub mod regional_program;
pub mod school;
pub mod school_pathway;
pub mod school_pathway_course;
pub mod search_document;
pub mod teaching_opening;
pub mod term;
pub mod work_based_learning_type;
