//! The columns of courses (a ROC/P's and a district's own) and of their certification and
//! prerequisite links (see [`crate::fields`]).

use crate::vocabulary::Stored;
use crate::{
    fields::{opt, req, Field, RecordKind, Target, Value, SAMPLE, SOURCE, SOURCE_UPDATED_AT},
    vocabulary::{AgArea, CourseLevel},
};

/// The columns every course has, after its owner, code and (for a district's) school.
const DETAILS_HEAD: [Field; 4] = [
    req("title", Value::Text, "title students see"),
    req(
        "level",
        Value::Choice(CourseLevel::stored_names),
        "INTRODUCTORY, CONCENTRATOR or CAPSTONE",
    ),
    opt(
        "pathway",
        Value::Ref(Target::Pathway),
        "pathway code, name or older name (case and punctuation ignored)",
    )
    .stored("pathway_id")
    .input("pathwayCode"),
    opt(
        "state_course_code",
        Value::Text,
        "CALPADS state course code (never invent one)",
    ),
];

/// A ROC/P's course.
pub const COURSES: RecordKind = RecordKind::new(
    "courses",
    Some("Course"),
    Some(("CreateCourseInput", "UpdateCourseInput")),
    &[
        req("program", Value::Ref(Target::Program), "program code")
            .stored("program_id")
            .input("programCode"),
        req("code", Value::Text, "course code, unique in the program").by_hand(),
        DETAILS_HEAD[0],
        DETAILS_HEAD[1],
        DETAILS_HEAD[2],
        DETAILS_HEAD[3],
        opt("description", Value::Text, "up to 5,000 characters"),
        opt("catalog_school", Value::Text, "school that lists it"),
        opt("hours", Value::Int, "instructional hours"),
        opt("high_school_credits", Value::Int, "high-school credits"),
        opt(
            "ag_area",
            Value::Choice(AgArea::stored_names),
            "UC/CSU A-G area: A to G",
        ),
        opt("uc_approved_year", Value::Int, "year UC approved it"),
        opt("honors", Value::Flag(false), "true/false"),
        opt("min_grade", Value::Int, "lowest grade, 7-12"),
        opt("min_age", Value::Int, "minimum age"),
        opt("ctso", Value::Text, "career technical student organisation"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// A district's own course.
pub const DISTRICT_COURSES: RecordKind = RecordKind::new(
    "district_courses",
    Some("Course"),
    Some(("CreateCourseInput", "UpdateCourseInput")),
    &[
        req(
            "district",
            Value::Ref(Target::District),
            "district CDS code (or `code`)",
        )
        .stored("district_id")
        .input("districtCdsCode"),
        req("code", Value::Text, "course code, unique in the district").by_hand(),
        opt(
            "school",
            Value::Ref(Target::School),
            "CDS code (or `code`) of the district's school that teaches it",
        )
        .stored("school_id")
        .input("schoolCdsCode"),
        DETAILS_HEAD[0],
        DETAILS_HEAD[1],
        DETAILS_HEAD[2],
        DETAILS_HEAD[3],
        opt("description", Value::Text, "up to 5,000 characters"),
        opt("hours", Value::Int, "instructional hours"),
        opt("high_school_credits", Value::Int, "high-school credits"),
        opt(
            "ag_area",
            Value::Choice(AgArea::stored_names),
            "UC/CSU A-G area: A to G",
        ),
        opt("uc_approved_year", Value::Int, "year UC approved it"),
        opt("honors", Value::Flag(false), "true/false"),
        opt("min_grade", Value::Int, "lowest grade, 7-12"),
        opt("min_age", Value::Int, "minimum age"),
        opt("ctso", Value::Text, "career technical student organisation"),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);

/// A link: a certification a course prepares for.
pub const COURSE_CERTIFICATIONS: RecordKind = RecordKind::new(
    "course_certifications",
    None,
    None,
    &[
        req(
            "program",
            Value::Ref(Target::CourseProgram),
            "program code of the course",
        )
        .stored("course_id"),
        req(
            "course_code",
            Value::Ref(Target::Course),
            "course code in the program",
        )
        .stored("course_id"),
        req(
            "certification",
            Value::Ref(Target::Certification),
            "certification code (a reference record, e.g. CNA)",
        )
        .stored("certification_id"),
    ],
);

/// A link: a course to complete before another.
pub const COURSE_PREREQUISITES: RecordKind = RecordKind::new(
    "course_prerequisites",
    None,
    None,
    &[
        req(
            "program",
            Value::Ref(Target::CourseProgram),
            "program code of the course",
        )
        .stored("course_id"),
        req(
            "course_code",
            Value::Ref(Target::Course),
            "course code in the program",
        )
        .stored("course_id"),
        opt(
            "prerequisite_program",
            Value::Ref(Target::CourseProgram),
            "program code of the course to complete first (default: the same program)",
        )
        .stored("prerequisite_id"),
        req(
            "prerequisite_code",
            Value::Ref(Target::Course),
            "course code of the course to complete first",
        )
        .stored("prerequisite_id"),
    ],
);
