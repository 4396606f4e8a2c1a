//! The columns of dual-enrollment agreements and course articulations (see
//! [`crate::fields`]).

use crate::vocabulary::Stored;
use crate::{
    fields::{opt, req, RecordKind, Target, Value, SAMPLE, SOURCE, SOURCE_UPDATED_AT},
    vocabulary::ArticulationKind,
};

/// A dual-enrollment (CCAP) or articulation agreement with a college.
pub const AGREEMENTS: RecordKind = RecordKind::new(
    "agreements",
    Some("DualEnrollmentAgreement"),
    Some((
        "CreateDualEnrollmentAgreementInput",
        "UpdateDualEnrollmentAgreementInput",
    )),
    &[
        req("code", Value::Text, "agreement code, unique").by_hand(),
        req("name", Value::Text, "agreement name"),
        req(
            "college",
            Value::Ref(Target::College),
            "college code or 6-digit IPEDS id",
        )
        .stored("college_id")
        .input("college"),
        opt(
            "district_cds",
            Value::Ref(Target::District),
            "CDS code (or `code`) of the partner district, when one",
        )
        .stored("district_id")
        .input("districtCdsCode"),
        opt(
            "program",
            Value::Ref(Target::Program),
            "program code, when a ROC/P is the partner",
        )
        .stored("program_id")
        .input("programCode"),
        req(
            "kind",
            Value::Choice(ArticulationKind::stored_names),
            "CCAP, ARTICULATION or CONCURRENT",
        ),
        opt("approved_on", Value::Date, "YYYY-MM-DD"),
        opt("starts_on", Value::Date, "YYYY-MM-DD"),
        opt("ends_on", Value::Date, "YYYY-MM-DD, not before starts_on"),
        opt("url", Value::Text, "https URL of the agreement"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// College credit a high-school course earns.
pub const ARTICULATIONS: RecordKind = RecordKind::new(
    "articulations",
    Some("Articulation"),
    Some(("CreateArticulationInput", "UpdateArticulationInput")),
    &[
        req(
            "program",
            Value::Ref(Target::CourseProgram),
            "program code of the high-school course",
        )
        .stored("course_id"),
        req(
            "course_code",
            Value::Ref(Target::Course),
            "course code in the program",
        )
        .stored("course_id")
        .input("courseId"),
        req(
            "college",
            Value::Ref(Target::College),
            "college code or 6-digit IPEDS id",
        )
        .stored("college_id")
        .input("college"),
        req(
            "college_course_code",
            Value::Text,
            "the college's course code",
        )
        .by_hand(),
        req(
            "kind",
            Value::Choice(ArticulationKind::stored_names),
            "CCAP, ARTICULATION or CONCURRENT",
        ),
        opt(
            "college_course_title",
            Value::Text,
            "the college's course title",
        ),
        opt("units", Value::Float, "college units, 0-30"),
        opt(
            "agreement_code",
            Value::Ref(Target::Agreement),
            "dual-enrollment (CCAP) agreement code",
        )
        .stored("agreement_id")
        .input("agreementCode"),
        opt("valid_from", Value::Text, "first term or year it applies"),
        opt("valid_to", Value::Text, "last term or year it applies"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);
