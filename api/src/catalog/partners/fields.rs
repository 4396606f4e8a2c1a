//! The columns of industry partners, their sectors, partnerships and opportunities (see
//! [`crate::fields`]).

use crate::vocabulary::Stored;
use crate::{
    fields::{opt, req, RecordKind, Target, Value, SAMPLE, SOURCE, SOURCE_UPDATED_AT},
    vocabulary::PartnershipKind,
};

/// An employer that works with schools.
pub const PARTNERS: RecordKind = RecordKind::new(
    "partners",
    Some("IndustryPartner"),
    Some(("CreateIndustryPartnerInput", "UpdateIndustryPartnerInput")),
    &[
        req(
            "code",
            Value::Text,
            "industry partner code (its organisation key)",
        )
        .by_hand(),
        req("name", Value::Text, "employer name"),
        opt("website", Value::Text, "https URL"),
        opt("naics_code", Value::Text, "2-6 digit NAICS code"),
        opt("description", Value::Text, "up to 5,000 characters"),
        opt("contact_email", Value::Text, "e-mail for schools"),
        opt("contact_phone", Value::Text, "phone"),
        opt("city", Value::Text, "city"),
        opt("lat", Value::Float, "latitude"),
        opt("lng", Value::Float, "longitude"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// A link: an industry sector a partner works in.
pub const PARTNER_SECTORS: RecordKind = RecordKind::new(
    "partner_sectors",
    None,
    None,
    &[
        req(
            "partner",
            Value::Ref(Target::Partner),
            "industry partner code",
        )
        .stored("partner_id"),
        req(
            "sector",
            Value::Ref(Target::Sector),
            "industry sector code, e.g. HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY",
        )
        .stored("sector_id"),
    ],
);

/// What a partner does with a pathway (and maybe one program or course).
pub const PARTNERSHIPS: RecordKind = RecordKind::new(
    "partnerships",
    Some("IndustryPartnership"),
    Some((
        "CreateIndustryPartnershipInput",
        "UpdateIndustryPartnershipInput",
    )),
    &[
        req("partner", Value::Ref(Target::Partner), "industry partner code")
            .stored("partner_id")
            .input("partnerCode"),
        req(
            "pathway",
            Value::Ref(Target::Pathway),
            "pathway code, name or older name",
        )
        .stored("pathway_id")
        .input("pathwayCode"),
        opt(
            "program",
            Value::Ref(Target::Program),
            "program code, when tied to one program",
        )
        .stored("program_id")
        .input("programCode"),
        opt(
            "course_code",
            Value::Ref(Target::Course),
            "course code in that program",
        )
        .stored("course_id")
        .input("courseId"),
        req(
            "kinds",
            Value::Choices(PartnershipKind::stored_names),
            "one or more of ADVISORY_BOARD, INTERNSHIP, JOB_SHADOW, MENTORSHIP, GUEST_SPEAKER, SITE_TOUR, APPRENTICESHIP, PRE_APPRENTICESHIP, EQUIPMENT_DONATION, CURRICULUM_REVIEW, separated by ';'",
        )
        .by_hand(),
        opt("started_on", Value::Date, "YYYY-MM-DD"),
        opt("notes", Value::Text, "up to 2,000 characters"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// A work-based-learning place a partner offers students.
pub const OPPORTUNITIES: RecordKind = RecordKind::new(
    "opportunities",
    Some("Opportunity"),
    Some(("CreateOpportunityInput", "UpdateOpportunityInput")),
    &[
        req("code", Value::Text, "opportunity code, unique").by_hand(),
        req("partner", Value::Ref(Target::Partner), "industry partner code")
            .stored("partner_id")
            .input("partnerCode"),
        opt(
            "pathway",
            Value::Ref(Target::Pathway),
            "pathway code, name or older name",
        )
        .stored("pathway_id")
        .input("pathwayCode"),
        req(
            "kind",
            Value::Choice(PartnershipKind::stored_names),
            "one of the partnership kinds (INTERNSHIP, JOB_SHADOW, MENTORSHIP, APPRENTICESHIP, ...)",
        ),
        opt(
            "wbl_type",
            Value::Text,
            "CALPADS work-based-learning type code",
        )
        .stored("wbl_type_code")
        .graphql("calpadsWorkBasedLearningCode")
        .by_hand(),
        req("title", Value::Text, "title students see"),
        opt("description", Value::Text, "up to 5,000 characters"),
        opt("paid", Value::Flag(false), "true/false"),
        opt("hourly_wage_cents", Value::Int, "wage in cents (paid only)"),
        opt("hours", Value::Int, "hours in all"),
        opt("min_grade", Value::Int, "lowest grade, 7-12"),
        opt("min_age", Value::Int, "minimum age"),
        opt(
            "clearances",
            Value::List,
            "required clearances separated by ';' (e.g. TB_TEST;LIVE_SCAN)",
        ),
        opt("seats", Value::Int, "places"),
        opt("starts_on", Value::Date, "YYYY-MM-DD"),
        opt("apply_by", Value::Date, "YYYY-MM-DD, not after starts_on"),
        opt("apply_url", Value::Text, "https URL"),
        opt("location_name", Value::Text, "where"),
        opt("city", Value::Text, "city"),
        opt("lat", Value::Float, "latitude"),
        opt("lng", Value::Float, "longitude"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);
