//! The columns of the pathways districts and schools run themselves, their courses, and
//! district facts (see [`crate::fields`]).

use crate::vocabulary::Stored;
use crate::{
    fields::{opt, req, RecordKind, Target, Value, SAMPLE, SOURCE, SOURCE_UPDATED_AT},
    vocabulary::{CompletionAward, DistrictFactKind, PathwaySchedule},
};

/// A pathway a district or one of its schools runs (a program of study).
pub const SCHOOL_PATHWAYS: RecordKind = RecordKind::new(
    "school_pathways",
    Some("SchoolPathway"),
    Some(("CreateSchoolPathwayInput", "UpdateSchoolPathwayInput")),
    &[
        req("code", Value::Text, "school pathway code, unique").by_hand(),
        req(
            "district",
            Value::Ref(Target::District),
            "CDS code (or `code`) of the district that runs it",
        )
        .stored("district_id")
        .input("districtCdsCode"),
        opt(
            "school",
            Value::Ref(Target::School),
            "CDS code (or `code`) of the school that runs it (empty: district-wide)",
        )
        .stored("school_id")
        .input("schoolCdsCode"),
        opt(
            "pathway",
            Value::Ref(Target::Pathway),
            "state pathway code, name or older name (empty: only the district's own label)",
        )
        .stored("pathway_id")
        .input("pathwayCode"),
        opt(
            "pathway_inferred",
            Value::Flag(false),
            "true/false: the link to the state pathway is your reading, not the source's",
        ),
        req("local_name", Value::Text, "the name the district uses"),
        opt("description", Value::Text, "up to 5,000 characters"),
        opt(
            "earns",
            Value::Choices(CompletionAward::stored_names),
            "separated by ';': CERTIFICATE_OF_COMPLETION, INDUSTRY_CERTIFICATION, COLLEGE_CREDIT",
        ),
        opt(
            "credit_agreement",
            Value::Ref(Target::Agreement),
            "agreement code its college credit comes through",
        )
        .stored("credit_agreement_id")
        .input("creditAgreementCode"),
        opt(
            "schedules",
            Value::Choices(PathwaySchedule::stored_names),
            "separated by ';': SCHOOL_DAY, EXTENDED_DAY, SATURDAY",
        ),
        opt("ctso", Value::Text, "career technical student organisation"),
        opt("grade_low", Value::Int, "lowest grade, 7-12"),
        opt("grade_high", Value::Int, "highest grade, 7-12"),
        opt(
            "academy",
            Value::Flag(false),
            "true/false: a California Partnership Academy",
        ),
        opt(
            "academy_funding",
            Value::Ref(Target::FundingProgram),
            "funding program code of the academy, e.g. CPA",
        )
        .stored("academy_funding_program_id")
        .input("academyFundingCode"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// A link: a course in a school pathway's sequence (or a feeder course).
pub const SCHOOL_PATHWAY_COURSES: RecordKind = RecordKind::new(
    "school_pathway_courses",
    None,
    None,
    &[
        req(
            "school_pathway",
            Value::Ref(Target::SchoolPathway),
            "school pathway code",
        )
        .stored("school_pathway_id"),
        opt(
            "program",
            Value::Ref(Target::CourseProgram),
            "program code, for a ROC/P course",
        )
        .stored("course_id"),
        opt(
            "district",
            Value::Ref(Target::CourseDistrict),
            "district CDS code (or `code`), for a district's own course",
        )
        .stored("course_id"),
        req(
            "course_code",
            Value::Ref(Target::Course),
            "course code in that program or district",
        )
        .stored("course_id"),
        opt(
            "feeder",
            Value::Flag(false),
            "true/false: a middle-school exploration course, not a step of the sequence",
        )
        .by_hand(),
    ],
);

/// A count a source states for a whole district.
pub const DISTRICT_FACTS: RecordKind = RecordKind::new(
    "district_facts",
    Some("DistrictFact"),
    Some(("CreateDistrictFactInput", "UpdateDistrictFactInput")),
    &[
        req("code", Value::Text, "district fact code, unique").by_hand(),
        req(
            "district",
            Value::Ref(Target::District),
            "district CDS code (or `code`)",
        )
        .stored("district_id")
        .input("districtCdsCode"),
        req(
            "kind",
            Value::Choice(DistrictFactKind::stored_names),
            "PATHWAYS, SCHOOLS, SECTORS or FEEDER_PROGRAMS",
        ),
        req("count", Value::Int, "the number the source gives"),
        opt(
            "out_of",
            Value::Int,
            "the whole it is part of (13 of 15 sectors: 15)",
        ),
        req(
            "statement",
            Value::Text,
            "the fact in words, as the source states it",
        ),
        req(
            "source",
            Value::Text,
            "where the fact comes from (a URL, or a publication's title, publisher and date)",
        )
        // Shown, nullable, with every record's provenance.
        .no_graphql(),
        SAMPLE,
    ],
);
