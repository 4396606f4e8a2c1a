//! GraphQL types of eligibility answers.

use async_graphql::{InputObject, SimpleObject};

use super::rules::{Decision, EligibilityStatus};
use crate::{
    catalog::{
        districts::types::{District, School},
        offerings::types::CourseOffering,
        programs::types::{Benefit, FundingOption, JpaMembership, RegionalProgram},
        school_pathways::types::SchoolPathway,
    },
    graphql::scalars::Date,
};

/// Who is asking: a student of a district or school, or an adult.
#[derive(InputObject, Clone, Default)]
pub struct EligibilityInput {
    /// The student's district (CDS code, or its `code` when it has none); give this or `schoolCdsCode`.
    pub district_cds_code: Option<String>,
    /// The student's school (CDS code, or its `code` when it has none); its district decides membership.
    pub school_cds_code: Option<String>,
    /// Grade 7-12 (required unless `adult` is true).
    pub grade: Option<i32>,
    /// An adult learner rather than a high-school student.
    #[graphql(default)]
    pub adult: bool,
    /// Age in years, checked against minimum ages.
    pub age: Option<i32>,
    /// The date to decide for (default today); memberships change over time.
    pub on_date: Option<Date>,
    /// Only this ROC/P (program code), with an answer per current section.
    pub program_code: Option<String>,
}

/// The cost breakdown and reasons shared by program- and offering-level answers.
#[derive(SimpleObject, Clone)]
pub struct CostAnswer {
    /// FREE, TUITION, FUNDING_AVAILABLE or NOT_ELIGIBLE.
    pub status: EligibilityStatus,
    /// Tuition the student pays, in cents (null at program level: it varies by section).
    pub tuition_cents: Option<i32>,
    /// Materials fee the student pays, in cents.
    pub materials_fee_cents: Option<i32>,
    /// Tuition plus materials, in cents.
    pub total_cents: Option<i32>,
    /// Whether the student gets transportation.
    pub transportation_provided: Option<bool>,
    /// What the student's district membership gives them here: TUITION and MATERIALS when
    /// it covers them (then paid 0), TRANSPORTATION only when `transportationProvided` is true.
    pub benefits: Vec<Benefit>,
    /// The membership that covers it, when one does (with several in force, the most generous).
    pub covered_by: Option<JpaMembership>,
    /// Who could pay when it is not free.
    pub funding_options: Vec<FundingOption>,
    /// Plain sentences a counselor can read.
    pub reasons: Vec<String>,
}

impl From<Decision> for CostAnswer {
    fn from(d: Decision) -> Self {
        let mut benefits = Vec::new();
        if d.covers_tuition {
            benefits.push(Benefit::Tuition);
        }
        if d.covers_materials {
            benefits.push(Benefit::Materials);
        }
        if d.covers_transportation {
            benefits.push(Benefit::Transportation);
        }
        CostAnswer {
            status: d.status,
            total_cents: match (d.tuition_cents, d.materials_fee_cents) {
                (Some(t), Some(m)) => Some(t + m),
                _ => None,
            },
            tuition_cents: d.tuition_cents,
            materials_fee_cents: d.materials_fee_cents,
            transportation_provided: d.transportation_provided,
            benefits,
            covered_by: d.covered_by.map(Into::into),
            funding_options: d.funding_options.into_iter().map(Into::into).collect(),
            reasons: d.reasons.iter().map(ToString::to_string).collect(),
        }
    }
}

/// One section's answer: what it costs this student, who could pay, and why.
#[derive(SimpleObject, Clone)]
pub struct OfferingCost {
    /// The section.
    pub offering: CourseOffering,
    #[graphql(flatten)]
    pub answer: CostAnswer,
}

/// One ROC/P's answer.
#[derive(SimpleObject, Clone)]
pub struct ProgramEligibility {
    /// The ROC/P.
    pub program: RegionalProgram,
    #[graphql(flatten)]
    pub answer: CostAnswer,
    /// Per-section answers (current and coming terms, at most 100), when `programCode` was given.
    pub offerings: Vec<OfferingCost>,
}

/// The whole answer to "what can I take, what does it cost, who can pay?".
#[derive(SimpleObject, Clone)]
pub struct Eligibility {
    /// The student's district.
    pub district: District,
    /// The student's school, when asked by school.
    pub school: Option<School>,
    /// The grade asked for.
    pub grade: Option<i32>,
    /// Whether asked for an adult.
    pub adult: bool,
    /// The age asked for.
    pub age: Option<i32>,
    /// The date decided for.
    pub on_date: Date,
    /// One answer per ROC/P.
    pub programs: Vec<ProgramEligibility>,
    /// The pathways the student's own district runs itself (at most 100: the student's
    /// school's first, then district-wide ones, then the district's other schools, each by
    /// name), beside the ROC/P answers of `programs`.
    pub district_pathways: Vec<DistrictPathwayEligibility>,
}

/// A pathway the student's own district runs: free, by definition, for its students.
#[derive(SimpleObject, Clone)]
pub struct DistrictPathwayEligibility {
    /// The pathway as the district or school runs it.
    pub school_pathway: SchoolPathway,
    /// FREE, or NOT_ELIGIBLE when the grade is outside the grades it takes (or for an adult).
    pub status: EligibilityStatus,
    /// Whether the student's own school runs it.
    pub at_own_school: bool,
    /// Plain sentences a counselor can read.
    pub reasons: Vec<String>,
}
