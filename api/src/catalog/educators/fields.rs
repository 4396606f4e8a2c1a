//! The columns of educator organisations, their programs and sectors, district partnerships,
//! teaching openings and role contacts (see [`crate::fields`]).

use crate::vocabulary::Stored;
use crate::{
    fields::{opt, req, RecordKind, Target, Value, SAMPLE, SOURCE, SOURCE_UPDATED_AT},
    vocabulary::{ContactRole, EducatorOrganizationKind, EducatorProgramKind},
};

/// An organisation that recruits, prepares or mentors CTE teachers.
pub const EDUCATOR_ORGANIZATIONS: RecordKind = RecordKind::new(
    "educator_organizations",
    Some("EducatorOrganization"),
    Some((
        "CreateEducatorOrganizationInput",
        "UpdateEducatorOrganizationInput",
    )),
    &[
        req(
            "code",
            Value::Text,
            "educator organisation code (its organisation key)",
        )
        .by_hand(),
        req("name", Value::Text, "name"),
        req(
            "kind",
            Value::Choice(EducatorOrganizationKind::stored_names),
            "NONPROFIT, DISTRICT or COLLEGE",
        ),
        opt(
            "description",
            Value::Text,
            "what it does, up to 5,000 characters",
        ),
        opt("founded_year", Value::Int, "year founded"),
        opt("website", Value::Text, "https URL"),
        opt("city", Value::Text, "city"),
        opt(
            "district_cds",
            Value::Ref(Target::District),
            "CDS code (or `code`), for a district's own program",
        )
        .stored("district_id")
        .input("districtCdsCode"),
        opt(
            "professionals_recruited",
            Value::Int,
            "cumulative count, as the source gives it",
        ),
        opt(
            "students_reached",
            Value::Int,
            "cumulative count, as the source gives it",
        ),
        opt(
            "partner_schools",
            Value::Int,
            "cumulative count, as the source gives it",
        ),
        opt(
            "counts_wording",
            Value::Text,
            "the source's wording of the counts and their date",
        ),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// A program of an educator organisation.
pub const EDUCATOR_PROGRAMS: RecordKind = RecordKind::new(
    "educator_programs",
    Some("EducatorProgram"),
    Some(("CreateEducatorProgramInput", "UpdateEducatorProgramInput")),
    &[
        req("code", Value::Text, "educator program code, unique").by_hand(),
        req(
            "organization",
            Value::Ref(Target::EducatorOrganization),
            "educator organisation code",
        )
        .stored("organization_id")
        .input("organizationCode"),
        req("name", Value::Text, "name"),
        req(
            "kind",
            Value::Choice(EducatorProgramKind::stored_names),
            "RECRUITMENT, CREDENTIAL_PREPARATION or MENTORSHIP",
        ),
        opt("description", Value::Text, "up to 5,000 characters"),
        opt("serves", Value::Text, "whom it serves"),
        opt("compensation", Value::Text, "how participants are paid"),
        opt(
            "meeting_cadence",
            Value::Text,
            "how often participants meet, e.g. monthly",
        ),
        opt("cohort_size", Value::Int, "participants per cohort"),
        opt(
            "registration_url",
            Value::Text,
            "where to sign up (https URL)",
        ),
        opt("enrollment_opens_on", Value::Date, "YYYY-MM-DD"),
        opt("enrollment_closes_on", Value::Date, "YYYY-MM-DD"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// A link: an industry sector an educator program serves.
pub const EDUCATOR_PROGRAM_SECTORS: RecordKind = RecordKind::new(
    "educator_program_sectors",
    None,
    Some(("CreateEducatorProgramInput", "UpdateEducatorProgramInput")),
    &[
        req(
            "program",
            Value::Ref(Target::EducatorProgram),
            "educator program code",
        )
        .stored("program_id"),
        req("sector", Value::Ref(Target::Sector), "industry sector code")
            .stored("sector_id")
            .input("sectorCodes"),
    ],
);

/// An educator program working with a district.
pub const EDUCATOR_PARTNERSHIPS: RecordKind = RecordKind::new(
    "educator_partnerships",
    Some("EducatorPartnership"),
    Some((
        "CreateEducatorPartnershipInput",
        "UpdateEducatorPartnershipInput",
    )),
    &[
        req("code", Value::Text, "partnership code, unique").by_hand(),
        req(
            "program",
            Value::Ref(Target::EducatorProgram),
            "educator program code",
        )
        .stored("program_id")
        .input("programCode"),
        req(
            "district_cds",
            Value::Ref(Target::District),
            "CDS code (or `code`) of the district",
        )
        .stored("district_id")
        .input("districtCdsCode"),
        opt("announced_on", Value::Date, "YYYY-MM-DD"),
        opt("first_school_year", Value::Text, "e.g. 2024-25"),
        opt("last_school_year", Value::Text, "e.g. 2025-26"),
        opt(
            "starts_wording",
            Value::Text,
            "when it starts, in the source's words",
        ),
        opt("funders", Value::Names, "who pays, separated by ';'"),
        opt(
            "new_teachers_per_year",
            Value::Int,
            "new CTE teachers each year",
        ),
        opt("mentors_per_year", Value::Int, "mentor teachers each year"),
        opt(
            "expected_students",
            Value::Int,
            "students expected to benefit",
        ),
        opt(
            "expected_students_wording",
            Value::Text,
            "the source's wording of that number",
        ),
        opt("notes", Value::Text, "up to 5,000 characters"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// A district's opening for a CTE teacher.
pub const TEACHING_OPENINGS: RecordKind = RecordKind::new(
    "teaching_openings",
    Some("TeachingOpening"),
    Some(("CreateTeachingOpeningInput", "UpdateTeachingOpeningInput")),
    &[
        req("code", Value::Text, "opening code, unique").by_hand(),
        req(
            "district_cds",
            Value::Ref(Target::District),
            "CDS code (or `code`) of the hiring district",
        )
        .stored("district_id")
        .input("districtCdsCode"),
        opt(
            "school_cds",
            Value::Ref(Target::School),
            "CDS code (or `code`) of the school, in the district",
        )
        .stored("school_id")
        .input("schoolCdsCode"),
        opt(
            "sector",
            Value::Ref(Target::Sector),
            "industry sector code (needed when no pathway is given)",
        )
        .stored("sector_id")
        .input("sectorCode"),
        opt(
            "pathway",
            Value::Ref(Target::Pathway),
            "pathway code, name or older name",
        )
        .stored("pathway_id")
        .input("pathwayCode"),
        req("title", Value::Text, "title"),
        opt("description", Value::Text, "up to 5,000 characters"),
        opt(
            "credential_required",
            Value::Text,
            "e.g. CTE Designated Subjects credential",
        ),
        opt("apply_by", Value::Date, "YYYY-MM-DD"),
        opt("apply_url", Value::Text, "https URL"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// A role contact (a desk, never a person) of a ROC/P, school or educator program.
pub const CONTACTS: RecordKind = RecordKind::new(
    "contacts",
    Some("Contact"),
    Some(("CreateContactInput", "UpdateContactInput")),
    &[
        opt(
            "program",
            Value::Ref(Target::Program),
            "ROC/P program code (give exactly one of program, school_cds, educator_program)",
        )
        .stored("program_id")
        .input("programCode"),
        opt(
            "school_cds",
            Value::Ref(Target::School),
            "CDS code (or `code`) of the school",
        )
        .stored("school_id")
        .input("schoolCdsCode"),
        opt(
            "educator_program",
            Value::Ref(Target::EducatorProgram),
            "educator program code",
        )
        .stored("educator_program_id")
        .input("educatorProgramCode"),
        req(
            "role",
            Value::Choice(ContactRole::stored_names),
            "OFFICE, COUNSELOR_DESK, CTE_COORDINATOR, ENROLLMENT or RECRUITMENT",
        )
        .by_hand(),
        opt(
            "label",
            Value::Text,
            "the desk's name, e.g. CTE office (never a person's name)",
        )
        .by_hand(),
        opt("phone", Value::Text, "the desk's phone"),
        opt(
            "email",
            Value::Text,
            "the desk's role address (never a person's)",
        ),
        opt("url", Value::Text, "the desk's page (https URL)"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);
