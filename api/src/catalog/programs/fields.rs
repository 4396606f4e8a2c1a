//! The columns of the records a ROC/P owns besides its courses: terms, sites and JPA
//! memberships (see [`crate::fields`]).

use crate::vocabulary::Stored;
use crate::{
    catalog::eligibility::rules::DatePrecision,
    fields::{opt, req, RecordKind, Target, Value, SAMPLE, SOURCE, SOURCE_UPDATED_AT},
    vocabulary::{SiteKind, TermKind},
};

/// A ROC/P's term.
pub const TERMS: RecordKind = RecordKind::new(
    "terms",
    Some("Term"),
    Some(("CreateTermInput", "UpdateTermInput")),
    &[
        req(
            "program",
            Value::Ref(Target::Program),
            "program code, e.g. SOCAL_ROC",
        )
        .stored("program_id")
        .input("programCode"),
        req(
            "code",
            Value::Text,
            "term code, unique in the program, e.g. 2026-FALL",
        )
        .by_hand(),
        req("name", Value::Text, "name students see"),
        req("starts_on", Value::Date, "first day, YYYY-MM-DD"),
        req(
            "ends_on",
            Value::Date,
            "last day, YYYY-MM-DD, not before starts_on",
        ),
        req(
            "kind",
            Value::Choice(TermKind::stored_names),
            "SEMESTER, QUARTER, SUMMER or SUPPLEMENTAL",
        ),
        opt(
            "transportation_available",
            Value::Flag(false),
            "true/false (default false)",
        ),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// A ROC/P's teaching site.
pub const SITES: RecordKind = RecordKind::new(
    "sites",
    Some("ProgramSite"),
    Some(("CreateProgramSiteInput", "UpdateProgramSiteInput")),
    &[
        req("program", Value::Ref(Target::Program), "program code")
            .stored("program_id")
            .input("programCode"),
        req("code", Value::Text, "site code, unique in the program").by_hand(),
        req("name", Value::Text, "site name"),
        req(
            "kind",
            Value::Choice(SiteKind::stored_names),
            "CENTRAL_CAMPUS, MEMBER_HIGH_SCHOOL or OTHER",
        ),
        opt(
            "school_cds",
            Value::Ref(Target::School),
            "CDS code (or `code`) of the school the site is at",
        )
        .stored("school_id")
        .input("schoolCdsCode"),
        opt("address", Value::Text, "street address"),
        opt("city", Value::Text, "city"),
        opt("lat", Value::Float, "latitude, decimal degrees (with lng)"),
        opt("lng", Value::Float, "longitude, decimal degrees (with lat)"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// A district's membership in a ROC/P's joint powers agreement.
pub const MEMBERSHIPS: RecordKind = RecordKind::new(
    "memberships",
    Some("JpaMembership"),
    Some(("CreateJpaMembershipInput", "UpdateJpaMembershipInput")),
    &[
        req("program", Value::Ref(Target::Program), "program code")
            .stored("program_id")
            .input("programCode"),
        req(
            "district_cds",
            Value::Ref(Target::District),
            "the member district's CDS code (or `code`)",
        )
        .stored("district_id")
        .input("districtCdsCode"),
        req(
            "joined_on",
            Value::Date,
            "YYYY-MM-DD; with program and district the row's key, so a district that left and rejoined has one row per membership",
        )
        .by_hand(),
        opt(
            "joined_on_precision",
            Value::Choice(DatePrecision::stored_names),
            "how precisely joined_on is known: DAY (default), MONTH, YEAR or UNKNOWN",
        )
        .defaulted()
        .by_hand(),
        opt("withdrawn_on", Value::Date, "YYYY-MM-DD, when the district left"),
        // Shown together as the membership's `benefits`.
        opt("covers_tuition", Value::Flag(true), "true/false (default true)").no_graphql(),
        opt("covers_materials", Value::Flag(true), "true/false (default true)").no_graphql(),
        opt(
            "covers_transportation",
            Value::Flag(false),
            "true/false (default false)",
        )
        .no_graphql(),
        opt("notes", Value::Text, "up to 2,000 characters"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);
