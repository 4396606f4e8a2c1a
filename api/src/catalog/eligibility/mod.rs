//! Eligibility: "I am in grade G at school S (or district D): which ROC/P
//! offerings can I take, what do they cost me, who can pay?"
//!
//! The one place that decides it. `eligibility`, `CourseOffering.costFor` and
//! the `freeForDistrict` / `eligibleFor` offering filters all ask this module.
//! Rules come from data only (program policy, memberships with dates, course
//! overrides, offering fees, term transportation, funding options); every
//! answer carries reasons a counselor can read.

pub mod query;
pub mod rules;
pub mod store;
pub mod types;
