//! The columns of a course offering, a section of a course in a term (see
//! [`crate::fields`]).

use crate::vocabulary::Stored;
use crate::{
    fields::{opt, req, RecordKind, Target, Value, SAMPLE, SOURCE, SOURCE_UPDATED_AT},
    vocabulary::{Modality, OfferingStatus, Schedule},
};

/// A section of a ROC/P course in a term.
pub const OFFERINGS: RecordKind = RecordKind::new(
    "offerings",
    Some("CourseOffering"),
    Some(("CreateCourseOfferingInput", "UpdateCourseOfferingInput")),
    &[
        req("program", Value::Ref(Target::CourseProgram), "program code").stored("course_id"),
        req(
            "course_code",
            Value::Ref(Target::Course),
            "course code in the program",
        )
        .stored("course_id")
        .input("courseId"),
        req(
            "term_code",
            Value::Ref(Target::Term),
            "term code in the program",
        )
        .stored("term_id")
        .input("termCode"),
        req(
            "section",
            Value::Text,
            "section, unique per course and term",
        )
        .by_hand(),
        opt(
            "site_code",
            Value::Ref(Target::Site),
            "site code in the program",
        )
        .stored("site_id")
        .input("siteCode"),
        req(
            "schedule",
            Value::Choice(Schedule::stored_names),
            "SCHOOL_DAY, AFTER_SCHOOL, EVENING, SATURDAY or ONLINE_ASYNC",
        ),
        opt("meeting_days", Value::List, "MON;TUE;... ").by_hand(),
        opt("start_time", Value::Text, "HH:MM"),
        opt("end_time", Value::Text, "HH:MM"),
        req(
            "modality",
            Value::Choice(Modality::stored_names),
            "IN_PERSON, HYBRID or ONLINE",
        ),
        opt("capacity", Value::Int, "seats in all"),
        opt(
            "seats_available",
            Value::Int,
            "open seats, at most capacity",
        ),
        req(
            "status",
            Value::Choice(OfferingStatus::stored_names),
            "OPEN, WAITLIST, FULL or CANCELLED",
        ),
        opt("transportation_provided", Value::Flag(false), "true/false"),
        opt(
            "tuition_cents",
            Value::IntOr(0),
            "tuition for non-members, in cents (default 0)",
        ),
        opt(
            "materials_fee_cents",
            Value::IntOr(0),
            "materials fee in cents (default 0)",
        ),
        opt("instructor_name", Value::Text, "instructor"),
        opt("enrollment_opens_on", Value::Date, "YYYY-MM-DD"),
        opt("enrollment_closes_on", Value::Date, "YYYY-MM-DD"),
        opt(
            "registration_url",
            Value::Text,
            "where to sign up for the section (http or https)",
        ),
        SOURCE,
        SOURCE_UPDATED_AT,
        SAMPLE,
    ],
);
