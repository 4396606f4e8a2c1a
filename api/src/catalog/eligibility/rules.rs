//! The decision itself: a pure function of the facts, so it is easy to test
//! and impossible to re-derive differently elsewhere.

use chrono::NaiveDate;
use entity::{
    course, course_offering, district, funding_option, jpa_membership, regional_program, term,
};

use crate::vocabulary::{OfferingStatus, Stored};

/// The answer's headline.
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum EligibilityStatus {
    /// A member district covers it: nothing to pay.
    Free,
    /// May enrol, and pays.
    Tuition,
    /// May enrol; pays unless a funding option covers it.
    FundingAvailable,
    /// May not enrol (see reasons).
    NotEligible,
}

/// Who is asking.
#[derive(Clone, Copy, Debug)]
pub struct Student {
    /// Grade 7-12; None for an adult.
    pub grade: Option<i32>,
    pub adult: bool,
    pub age: Option<i32>,
}

/// A section with what is needed to price it.
pub struct OfferingFacts<'a> {
    pub offering: &'a course_offering::Model,
    pub course: &'a course::Model,
    pub term: &'a term::Model,
}

/// The facts about one program for one student's district.
pub struct ProgramFacts<'a> {
    pub program: &'a regional_program::Model,
    pub district: &'a district::Model,
    /// All of the district's memberships in this program (any dates).
    pub memberships: Vec<&'a jpa_membership::Model>,
    pub funding_options: &'a [funding_option::Model],
    pub on: NaiveDate,
}

/// The decision with its cost breakdown and reasons.
#[derive(Clone, Debug)]
pub struct Decision {
    pub status: EligibilityStatus,
    /// What the student pays in tuition (None at program level: varies by offering).
    pub tuition_cents: Option<i32>,
    pub materials_fee_cents: Option<i32>,
    pub transportation_provided: Option<bool>,
    pub covers_tuition: bool,
    pub covers_materials: bool,
    pub covers_transportation: bool,
    pub covered_by: Option<jpa_membership::Model>,
    pub funding_options: Vec<funding_option::Model>,
    pub reasons: Vec<Reason>,
}

/// One reason an answer gives, worded by [`std::fmt::Display`]. Typed so that the unit tests
/// can require a table row for every kind of reason `decide` can give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    ProgramClosed {
        program: String,
        on: NaiveDate,
    },
    SectionCancelled {
        course: String,
    },
    AdultsPay {
        program: String,
    },
    NoAdults {
        program: String,
    },
    /// `rule` names the course when it overrides the program's policy.
    GradeTooEarly {
        rule: String,
        min: i32,
        grade: i32,
    },
    GradeAboveMax {
        program: String,
        max: i32,
        grade: i32,
    },
    TooYoung {
        rule: String,
        min: i32,
        age: i32,
    },
    AgeNotGiven {
        rule: String,
        min: i32,
    },
    /// `since` is the join date worded by its precision.
    MemberSince {
        district: String,
        program: String,
        since: String,
    },
    MemberSinceUnknownDate {
        district: String,
        program: String,
    },
    Withdrew {
        district: String,
        program: String,
        on: NaiveDate,
    },
    JoinsOn {
        district: String,
        program: String,
        on: NaiveDate,
    },
    /// `when` is a month or a year: the day stored is a placeholder.
    JoinsIn {
        district: String,
        program: String,
        when: String,
    },
    NotRecordedJoinDateUnknown {
        district: String,
        program: String,
        on: NaiveDate,
    },
    NotMember {
        district: String,
        program: String,
    },
    MembersOnly {
        program: String,
    },
    NoBusThisTerm {
        term: String,
        program: String,
    },
    SectionWithoutTransportation,
    TransportationForMembersOnly {
        program: String,
    },
    MembershipWithoutTuition {
        district: String,
    },
    MembershipWithoutMaterials {
        district: String,
    },
    NoFees,
    FundingMayPay {
        names: Vec<String>,
    },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Reason::*;
        match self {
            ProgramClosed { program, on } => write!(f, "{program} closed on {on}."),
            SectionCancelled { course } => write!(f, "This section of {course} is cancelled."),
            AdultsPay { program } => write!(f, "{program} enrols adults, who pay tuition."),
            NoAdults { program } => write!(f, "{program} does not enrol adults."),
            GradeTooEarly { rule, min, grade } => write!(
                f,
                "{rule} admits students in grade {min} or above; grade {grade} is too early."
            ),
            GradeAboveMax { program, max, grade } => write!(
                f,
                "{program} admits students up to grade {max}; grade {grade} is above it."
            ),
            TooYoung { rule, min, age } => write!(
                f,
                "{rule} requires age {min} or older; age {age} is too young."
            ),
            AgeNotGiven { rule, min } => {
                write!(f, "{rule} requires age {min} or older (age not given).")
            }
            MemberSince { district, program, since } => write!(
                f,
                "{district} is a member of the {program} joint powers agreement since {since}."
            ),
            MemberSinceUnknownDate { district, program } => write!(
                f,
                "{district} is a member of the {program} joint powers agreement; the date it joined is not known."
            ),
            Withdrew { district, program, on } => write!(
                f,
                "{district} withdrew from the {program} joint powers agreement on {on}."
            ),
            JoinsOn { district, program, on } => write!(
                f,
                "{district} joins the {program} joint powers agreement on {on}."
            ),
            JoinsIn { district, program, when } => write!(
                f,
                "{district} joins the {program} joint powers agreement in {when}."
            ),
            NotRecordedJoinDateUnknown { district, program, on } => write!(
                f,
                "{district} is not recorded as a member of the {program} joint powers agreement on {on}; \
                 the date it joined is not known."
            ),
            NotMember { district, program } => write!(
                f,
                "{district} is not a member of the {program} joint powers agreement."
            ),
            MembersOnly { program } => {
                write!(f, "{program} serves students of its member districts only.")
            }
            NoBusThisTerm { term, program } => write!(
                f,
                "No bus service in {term}: {program} provides no transportation this term."
            ),
            SectionWithoutTransportation => f.write_str("This section provides no transportation."),
            TransportationForMembersOnly { program } => write!(
                f,
                "{program} provides transportation to member-district students only."
            ),
            MembershipWithoutTuition { district } => {
                write!(f, "{district}'s membership does not cover tuition.")
            }
            MembershipWithoutMaterials { district } => {
                write!(f, "{district}'s membership does not cover materials.")
            }
            NoFees => f.write_str("This section charges no tuition or materials fee."),
            FundingMayPay { names } => write!(f, "These may pay for it: {}.", names.join(", ")),
        }
    }
}

/// How precisely a date is known; answers word a date by its precision and
/// never state a placeholder as an exact day.
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum DatePrecision {
    /// The exact day is known.
    #[default]
    Day,
    /// Only the month is known; the day stored is a placeholder.
    Month,
    /// Only the year is known; month and day stored are placeholders.
    Year,
    /// Not known; the date stored is a placeholder used only to decide membership by date.
    Unknown,
}

impl DatePrecision {
    /// Reads the stored value; anything unrecognised is treated as unknown.
    pub fn read(stored: &str) -> Self {
        Self::from_stored(stored).unwrap_or(DatePrecision::Unknown)
    }

    /// The date as far as it is known ("2024-07-01", "July 2024", "2024"); None when unknown.
    pub fn describe(self, d: NaiveDate) -> Option<String> {
        match self {
            DatePrecision::Day => Some(d.to_string()),
            DatePrecision::Month => Some(d.format("%B %Y").to_string()),
            DatePrecision::Year => Some(d.format("%Y").to_string()),
            DatePrecision::Unknown => None,
        }
    }
}

/// The membership in force on `on`. With several (e.g. a renewal recorded before
/// the old one was closed) the most generous applies: most benefits, then the
/// latest joined, then the latest recorded, so every caller picks the same one.
pub fn active_membership<'a>(
    memberships: &[&'a jpa_membership::Model],
    on: NaiveDate,
) -> Option<&'a jpa_membership::Model> {
    memberships
        .iter()
        .copied()
        .filter(|m| m.joined_on <= on && m.withdrawn_on.is_none_or(|w| w > on))
        .max_by_key(|m| {
            (
                u8::from(m.covers_tuition)
                    + u8::from(m.covers_materials)
                    + u8::from(m.covers_transportation),
                m.joined_on,
                m.id,
            )
        })
}

fn member_since(district: &str, name: &str, m: &jpa_membership::Model) -> Reason {
    let (district, program) = (district.to_owned(), name.to_owned());
    match DatePrecision::read(&m.joined_on_precision).describe(m.joined_on) {
        Some(since) => Reason::MemberSince {
            district,
            program,
            since,
        },
        None => Reason::MemberSinceUnknownDate { district, program },
    }
}

fn joins_later(district: &str, name: &str, m: &jpa_membership::Model, on: NaiveDate) -> Reason {
    let (district, program) = (district.to_owned(), name.to_owned());
    let precision = DatePrecision::read(&m.joined_on_precision);
    match (precision, precision.describe(m.joined_on)) {
        (DatePrecision::Day, _) => Reason::JoinsOn {
            district,
            program,
            on: m.joined_on,
        },
        (_, Some(when)) => Reason::JoinsIn {
            district,
            program,
            when,
        },
        (_, None) => Reason::NotRecordedJoinDateUnknown {
            district,
            program,
            on,
        },
    }
}

fn program_name(p: &regional_program::Model) -> &str {
    p.short_name.as_deref().unwrap_or(&p.name)
}

/// Decides for one program, and for one of its offerings when given.
pub fn decide(
    facts: &ProgramFacts<'_>,
    student: Student,
    offering: Option<&OfferingFacts<'_>>,
) -> Decision {
    let program = facts.program;
    let name = program_name(program);
    let district = &facts.district.name;
    let mut reasons = Vec::new();
    let mut blocked = false;

    if let Some(closed) = program.closed_on.filter(|c| *c <= facts.on) {
        reasons.push(Reason::ProgramClosed {
            program: name.to_owned(),
            on: closed,
        });
        blocked = true;
    }
    if let Some(o) = offering {
        if OfferingStatus::from_stored(&o.offering.status) == Some(OfferingStatus::Cancelled) {
            reasons.push(Reason::SectionCancelled {
                course: o.course.title.clone(),
            });
            blocked = true;
        }
    }

    // Grade and age: the course may override the program's policy.
    let course = offering.map(|o| o.course);
    let (min_grade, grade_rule) = match course.and_then(|c| c.min_grade) {
        Some(g) => (Some(g), course.map(|c| c.title.clone()).unwrap_or_default()),
        None => (program.min_grade, name.to_owned()),
    };
    let (min_age, age_rule) = match course.and_then(|c| c.min_age) {
        Some(a) => (Some(a), course.map(|c| c.title.clone()).unwrap_or_default()),
        None => (program.min_age, name.to_owned()),
    };
    if student.adult {
        if program.adults_allowed {
            reasons.push(Reason::AdultsPay {
                program: name.to_owned(),
            });
        } else {
            reasons.push(Reason::NoAdults {
                program: name.to_owned(),
            });
            blocked = true;
        }
    } else if let Some(grade) = student.grade {
        if let Some(min) = min_grade.filter(|min| grade < *min) {
            reasons.push(Reason::GradeTooEarly {
                rule: grade_rule.clone(),
                min,
                grade,
            });
            blocked = true;
        }
        if let Some(max) = program.max_grade.filter(|max| grade > *max) {
            reasons.push(Reason::GradeAboveMax {
                program: name.to_owned(),
                max,
                grade,
            });
            blocked = true;
        }
    }
    if let Some(min) = min_age {
        match student.age {
            Some(age) if age < min => {
                reasons.push(Reason::TooYoung {
                    rule: age_rule.clone(),
                    min,
                    age,
                });
                blocked = true;
            }
            None if !student.adult => {
                reasons.push(Reason::AgeNotGiven {
                    rule: age_rule.clone(),
                    min,
                });
            }
            _ => {}
        }
    }

    // Membership on the date asked.
    let active = active_membership(&facts.memberships, facts.on);
    let member = active.is_some() && !student.adult;
    match active {
        Some(m) if !student.adult => reasons.push(member_since(district, name, m)),
        _ => {
            if let Some(past) = facts
                .memberships
                .iter()
                .find(|m| m.withdrawn_on.is_some_and(|w| w <= facts.on))
            {
                if let Some(w) = past.withdrawn_on {
                    reasons.push(Reason::Withdrew {
                        district: district.clone(),
                        program: name.to_owned(),
                        on: w,
                    });
                }
            } else if let Some(future) = facts.memberships.iter().find(|m| m.joined_on > facts.on) {
                reasons.push(joins_later(district, name, future, facts.on));
            } else if !student.adult {
                reasons.push(Reason::NotMember {
                    district: district.clone(),
                    program: name.to_owned(),
                });
            }
            if !student.adult && !program.non_members_allowed {
                reasons.push(Reason::MembersOnly {
                    program: name.to_owned(),
                });
                blocked = true;
            }
        }
    }

    if blocked {
        return Decision {
            status: EligibilityStatus::NotEligible,
            tuition_cents: None,
            materials_fee_cents: None,
            transportation_provided: None,
            covers_tuition: false,
            covers_materials: false,
            covers_transportation: false,
            covered_by: None,
            funding_options: Vec::new(),
            reasons,
        };
    }

    let (covers_tuition, covers_materials, covers_transportation) = match (member, active) {
        (true, Some(m)) => (
            m.covers_tuition,
            m.covers_materials,
            m.covers_transportation,
        ),
        _ => (false, false, false),
    };
    let tuition = offering.map(|o| {
        if covers_tuition {
            0
        } else {
            o.offering.tuition_cents
        }
    });
    let materials = offering.map(|o| {
        if covers_materials {
            0
        } else {
            o.offering.materials_fee_cents
        }
    });
    let transportation = match offering {
        Some(o) => {
            let runs = o.offering.transportation_provided && o.term.transportation_available;
            if o.offering.transportation_provided && !o.term.transportation_available {
                reasons.push(Reason::NoBusThisTerm {
                    term: o.term.name.clone(),
                    program: name.to_owned(),
                });
            } else if !o.offering.transportation_provided && covers_transportation {
                reasons.push(Reason::SectionWithoutTransportation);
            } else if runs && !covers_transportation {
                reasons.push(Reason::TransportationForMembersOnly {
                    program: name.to_owned(),
                });
            }
            Some(runs && covers_transportation)
        }
        None => Some(covers_transportation),
    };
    // A benefit is only listed when this section actually provides it.
    let covers_transportation = transportation == Some(true);
    if member {
        if !covers_tuition {
            reasons.push(Reason::MembershipWithoutTuition {
                district: district.clone(),
            });
        }
        if !covers_materials {
            reasons.push(Reason::MembershipWithoutMaterials {
                district: district.clone(),
            });
        }
    }

    let funding: Vec<funding_option::Model> = facts
        .funding_options
        .iter()
        .filter(|f| f.kind != "SELF_PAY")
        .cloned()
        .collect();
    let nothing_to_pay = match (tuition, materials) {
        (Some(t), Some(m)) => t == 0 && m == 0,
        _ => covers_tuition && covers_materials,
    };
    let status = if nothing_to_pay {
        if !member && offering.is_some() {
            reasons.push(Reason::NoFees);
        }
        EligibilityStatus::Free
    } else if member {
        EligibilityStatus::Tuition
    } else if !funding.is_empty() {
        reasons.push(Reason::FundingMayPay {
            names: funding.iter().map(|f| f.name.clone()).collect(),
        });
        EligibilityStatus::FundingAvailable
    } else {
        EligibilityStatus::Tuition
    };
    Decision {
        status,
        tuition_cents: tuition,
        materials_fee_cents: materials,
        transportation_provided: transportation,
        covers_tuition,
        covers_materials,
        covers_transportation,
        covered_by: if member { active.cloned() } else { None },
        funding_options: if status == EligibilityStatus::Free {
            Vec::new()
        } else {
            facts.funding_options.to_vec()
        },
        reasons,
    }
}

/// Where a district's own pathway stands for one of the district's students.
pub struct DistrictPathwayFacts<'a> {
    pub district: &'a district::Model,
    pub program: &'a entity::school_pathway::Model,
    /// The school that runs it, when one does.
    pub school: Option<&'a entity::school::Model>,
    /// The student's own school, when asked by school.
    pub student_school: Option<i32>,
}

/// A district's own pathway for one of its students: free by definition (the district runs
/// it for its own students), unless the student's grade is outside the grades it takes or
/// the learner is an adult.
pub fn decide_district_pathway(
    facts: &DistrictPathwayFacts<'_>,
    student: Student,
) -> (EligibilityStatus, Vec<String>) {
    let p = facts.program;
    let district = &facts.district.name;
    let mut reasons = Vec::new();
    reasons.push(match (facts.school, facts.student_school) {
        (Some(s), Some(own)) if s.id == own => {
            format!("Your school, {}, runs this pathway itself.", s.name)
        }
        (Some(s), _) => format!("{}, a school of {district}, runs this pathway.", s.name),
        (None, _) => format!("{district} runs this pathway district-wide."),
    });
    if student.adult {
        reasons.push(format!(
            "It is part of {district}'s own program for its school students, not adult education."
        ));
        return (EligibilityStatus::NotEligible, reasons);
    }
    if let Some(grade) = student.grade {
        let range = match (p.grade_low, p.grade_high) {
            (Some(low), Some(high)) => format!("grades {low}-{high}"),
            (Some(low), None) => format!("grade {low} and up"),
            (None, Some(high)) => format!("grades up to {high}"),
            (None, None) => String::new(),
        };
        if p.grade_low.is_some_and(|low| grade < low) {
            reasons.push(format!("It takes {range}; grade {grade} is too early."));
            return (EligibilityStatus::NotEligible, reasons);
        }
        if p.grade_high.is_some_and(|high| grade > high) {
            reasons.push(format!("It takes {range}; grade {grade} is past it."));
            return (EligibilityStatus::NotEligible, reasons);
        }
    }
    reasons.push(format!(
        "{district} runs it for its own students: free, with no ROC/P membership needed."
    ));
    (EligibilityStatus::Free, reasons)
}

#[cfg(test)]
mod tests {
    //! Every status and every reason `decide` can give, one row each.

    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    /// The world of one case; each row changes what it needs.
    #[derive(Clone)]
    struct Case {
        program: regional_program::Model,
        memberships: Vec<jpa_membership::Model>,
        funding: Vec<funding_option::Model>,
        course: course::Model,
        offering: course_offering::Model,
        term: term::Model,
        student: Student,
        on: NaiveDate,
        /// Decide for the program only (no section).
        program_level: bool,
    }

    fn base() -> Case {
        Case {
            program: regional_program::Model {
                id: 1,
                name: "Test Regional Occupational Program".into(),
                short_name: Some("TROP".into()),
                min_grade: Some(11),
                max_grade: Some(12),
                min_age: Some(16),
                adults_allowed: true,
                non_members_allowed: true,
                ..Default::default()
            },
            memberships: vec![membership(1, "2010-07-01", "DAY", None, (true, true, true))],
            funding: vec![funding_option::Model {
                id: 1,
                program_id: 1,
                name: "Workforce Board".into(),
                kind: "WORKFORCE_BOARD".into(),
                ..Default::default()
            }],
            course: course::Model {
                id: 1,
                program_id: Some(1),
                title: "Medical Assisting".into(),
                ..Default::default()
            },
            offering: course_offering::Model {
                id: 1,
                course_id: 1,
                term_id: 1,
                status: "OPEN".into(),
                transportation_provided: true,
                tuition_cents: 50_000,
                materials_fee_cents: 10_000,
                ..Default::default()
            },
            term: term::Model {
                id: 1,
                name: "Fall 2026".into(),
                transportation_available: true,
                ..Default::default()
            },
            student: Student {
                grade: Some(11),
                adult: false,
                age: Some(16),
            },
            on: day("2026-09-01"),
            program_level: false,
        }
    }

    fn membership(
        id: i32,
        joined: &str,
        precision: &str,
        withdrawn: Option<&str>,
        (tuition, materials, transportation): (bool, bool, bool),
    ) -> jpa_membership::Model {
        jpa_membership::Model {
            id,
            program_id: 1,
            district_id: 1,
            joined_on: day(joined),
            joined_on_precision: precision.into(),
            withdrawn_on: withdrawn.map(day),
            covers_tuition: tuition,
            covers_materials: materials,
            covers_transportation: transportation,
            ..Default::default()
        }
    }

    fn run(case: &Case) -> Decision {
        let district = district::Model {
            id: 1,
            name: "Test Unified".into(),
            ..Default::default()
        };
        let facts = ProgramFacts {
            program: &case.program,
            district: &district,
            memberships: case.memberships.iter().collect(),
            funding_options: &case.funding,
            on: case.on,
        };
        let offering = OfferingFacts {
            offering: &case.offering,
            course: &case.course,
            term: &case.term,
        };
        decide(
            &facts,
            case.student,
            (!case.program_level).then_some(&offering),
        )
    }

    type Change = fn(&mut Case);

    /// Names every kind of [`Reason`] once. The match is exhaustive, so a new kind does not
    /// compile until it is named here, and then `every_status_and_reason` fails until a row
    /// gives it.
    macro_rules! reason_kinds {
        ($($kind:ident),* $(,)?) => {
            const ALL_REASONS: &[&str] = &[$(stringify!($kind)),*];
            fn kind(reason: &Reason) -> &'static str {
                match reason {
                    $(Reason::$kind { .. } => stringify!($kind),)*
                }
            }
        };
    }

    reason_kinds![
        ProgramClosed,
        SectionCancelled,
        AdultsPay,
        NoAdults,
        GradeTooEarly,
        GradeAboveMax,
        TooYoung,
        AgeNotGiven,
        MemberSince,
        MemberSinceUnknownDate,
        Withdrew,
        JoinsOn,
        JoinsIn,
        NotRecordedJoinDateUnknown,
        NotMember,
        MembersOnly,
        NoBusThisTerm,
        SectionWithoutTransportation,
        TransportationForMembersOnly,
        MembershipWithoutTuition,
        MembershipWithoutMaterials,
        NoFees,
        FundingMayPay,
    ];

    #[test]
    fn every_status_and_reason() {
        use EligibilityStatus::*;
        let non_member: Change = |c| c.memberships.clear();
        let rows: Vec<(&str, Change, EligibilityStatus, &str)> = vec![
            (
                "member, all covered",
                |_| {},
                Free,
                "Test Unified is a member of the TROP joint powers agreement since 2010-07-01.",
            ),
            (
                "member since a month",
                |c| c.memberships[0].joined_on_precision = "MONTH".into(),
                Free,
                "since July 2010.",
            ),
            (
                "member since a year",
                |c| c.memberships[0].joined_on_precision = "YEAR".into(),
                Free,
                "joint powers agreement since 2010.",
            ),
            (
                "member, join date unknown",
                |c| c.memberships[0].joined_on_precision = "UNKNOWN".into(),
                Free,
                "is a member of the TROP joint powers agreement; the date it joined is not known.",
            ),
            (
                "closed program",
                |c| c.program.closed_on = Some(day("2026-06-30")),
                NotEligible,
                "TROP closed on 2026-06-30.",
            ),
            (
                "cancelled section",
                |c| c.offering.status = "CANCELLED".into(),
                NotEligible,
                "This section of Medical Assisting is cancelled.",
            ),
            (
                "adult allowed",
                |c| {
                    c.student = Student { grade: None, adult: true, age: Some(30) };
                },
                FundingAvailable,
                "TROP enrols adults, who pay tuition.",
            ),
            (
                "adult refused",
                |c| {
                    c.program.adults_allowed = false;
                    c.student = Student { grade: None, adult: true, age: Some(30) };
                },
                NotEligible,
                "TROP does not enrol adults.",
            ),
            (
                "grade too early (program)",
                |c| c.student.grade = Some(10),
                NotEligible,
                "TROP admits students in grade 11 or above; grade 10 is too early.",
            ),
            (
                "grade too early (course override)",
                |c| c.course.min_grade = Some(12),
                NotEligible,
                "Medical Assisting admits students in grade 12 or above; grade 11 is too early.",
            ),
            (
                "grade above the program's",
                |c| c.program.max_grade = Some(10),
                NotEligible,
                "TROP admits students up to grade 10; grade 11 is above it.",
            ),
            (
                "too young (course override)",
                |c| c.course.min_age = Some(18),
                NotEligible,
                "Medical Assisting requires age 18 or older; age 16 is too young.",
            ),
            (
                "age not given",
                |c| c.student.age = None,
                Free,
                "TROP requires age 16 or older (age not given).",
            ),
            (
                "withdrew",
                |c| c.memberships[0].withdrawn_on = Some(day("2025-06-30")),
                FundingAvailable,
                "Test Unified withdrew from the TROP joint powers agreement on 2025-06-30.",
            ),
            (
                "joins later, exact day",
                |c| c.memberships[0].joined_on = day("2027-07-01"),
                FundingAvailable,
                "Test Unified joins the TROP joint powers agreement on 2027-07-01.",
            ),
            (
                "joins later, month known",
                |c| {
                    c.memberships[0].joined_on = day("2027-07-01");
                    c.memberships[0].joined_on_precision = "MONTH".into();
                },
                FundingAvailable,
                "joins the TROP joint powers agreement in July 2027.",
            ),
            (
                "joins later, year known",
                |c| {
                    c.memberships[0].joined_on = day("2027-07-01");
                    c.memberships[0].joined_on_precision = "YEAR".into();
                },
                FundingAvailable,
                "joins the TROP joint powers agreement in 2027.",
            ),
            (
                "joins later, date unknown",
                |c| {
                    c.memberships[0].joined_on = day("2027-07-01");
                    c.memberships[0].joined_on_precision = "UNKNOWN".into();
                },
                FundingAvailable,
                "is not recorded as a member of the TROP joint powers agreement on 2026-09-01; the date it joined is not known.",
            ),
            (
                "not a member, funding available",
                non_member,
                FundingAvailable,
                "These may pay for it: Workforce Board.",
            ),
            (
                "not a member, no funding",
                |c| {
                    c.memberships.clear();
                    c.funding.clear();
                },
                Tuition,
                "Test Unified is not a member of the TROP joint powers agreement.",
            ),
            (
                "members only",
                |c| {
                    c.memberships.clear();
                    c.program.non_members_allowed = false;
                },
                NotEligible,
                "TROP serves students of its member districts only.",
            ),
            (
                "no bus this term",
                |c| c.term.transportation_available = false,
                Free,
                "No bus service in Fall 2026: TROP provides no transportation this term.",
            ),
            (
                "section without transportation",
                |c| c.offering.transportation_provided = false,
                Free,
                "This section provides no transportation.",
            ),
            (
                "buses for members only",
                non_member,
                FundingAvailable,
                "TROP provides transportation to member-district students only.",
            ),
            (
                "membership without tuition",
                |c| c.memberships[0].covers_tuition = false,
                Tuition,
                "Test Unified's membership does not cover tuition.",
            ),
            (
                "membership without materials",
                |c| c.memberships[0].covers_materials = false,
                Tuition,
                "Test Unified's membership does not cover materials.",
            ),
            (
                "no fees for a non-member",
                |c| {
                    c.memberships.clear();
                    c.offering.tuition_cents = 0;
                    c.offering.materials_fee_cents = 0;
                },
                Free,
                "This section charges no tuition or materials fee.",
            ),
            (
                "two live memberships: the most generous applies",
                |c| {
                    c.memberships.insert(
                        0,
                        membership(2, "2020-07-01", "DAY", None, (true, false, false)),
                    );
                },
                Free,
                "since 2010-07-01.",
            ),
            (
                "program level, member",
                |c| c.program_level = true,
                Free,
                "is a member of the TROP joint powers agreement since 2010-07-01.",
            ),
            (
                "program level, non-member",
                |c| {
                    c.program_level = true;
                    c.memberships.clear();
                },
                FundingAvailable,
                "These may pay for it: Workforce Board.",
            ),
        ];
        let mut statuses = Vec::new();
        let mut kinds = std::collections::HashSet::new();
        for (name, change, status, reason) in rows {
            let mut case = base();
            change(&mut case);
            let d = run(&case);
            assert_eq!(d.status, status, "{name}: {:?}", d.reasons);
            statuses.push(status);
            let said: Vec<String> = d.reasons.iter().map(ToString::to_string).collect();
            let matched: Vec<&Reason> = d
                .reasons
                .iter()
                .filter(|r| r.to_string().contains(reason))
                .collect();
            assert!(
                !matched.is_empty(),
                "{name}: expected a reason containing {reason:?}, got {said:?}"
            );
            kinds.extend(matched.into_iter().map(kind));
            // No answer states a placeholder day as a fact.
            if case
                .memberships
                .iter()
                .any(|m| m.joined_on_precision != "DAY")
            {
                assert!(
                    !said.iter().any(|r| r.contains("-07-01")),
                    "{name}: {said:?}"
                );
            }
        }
        for item in <EligibilityStatus as async_graphql::resolver_utils::EnumType>::items() {
            assert!(
                statuses.contains(&item.value),
                "no row gives the status {}",
                item.name
            );
        }
        let missing: Vec<&str> = ALL_REASONS
            .iter()
            .copied()
            .filter(|k| !kinds.contains(k))
            .collect();
        assert!(missing.is_empty(), "no row gives the reasons {missing:?}");
    }

    #[test]
    fn benefits_agree_with_what_the_section_provides() {
        for (transport, bus, covers) in [
            (true, true, true),
            (false, true, true),
            (true, false, true),
            (true, true, false),
        ] {
            let mut case = base();
            case.offering.transportation_provided = transport;
            case.term.transportation_available = bus;
            case.memberships[0].covers_transportation = covers;
            let d = run(&case);
            assert_eq!(
                d.covers_transportation,
                d.transportation_provided == Some(true),
                "{transport} {bus} {covers}"
            );
            assert_eq!(d.covers_transportation, transport && bus && covers);
        }
        let mut case = base();
        case.memberships[0].covers_tuition = false;
        let d = run(&case);
        assert!(!d.covers_tuition && d.tuition_cents == Some(50_000));
        assert!(d.covers_materials && d.materials_fee_cents == Some(0));
    }

    #[test]
    fn the_most_generous_live_membership_applies_whatever_the_order() {
        let partial = membership(2, "2020-07-01", "DAY", None, (true, false, false));
        let full = membership(1, "2010-07-01", "DAY", None, (true, true, true));
        let on = day("2026-09-01");
        for list in [vec![&partial, &full], vec![&full, &partial]] {
            assert_eq!(active_membership(&list, on).map(|m| m.id), Some(1));
        }
    }

    fn district_pathway(
        low: Option<i32>,
        high: Option<i32>,
        school: Option<i32>,
    ) -> entity::school_pathway::Model {
        entity::school_pathway::Model {
            id: 1,
            district_id: 7,
            school_id: school,
            local_name: "Health academy".into(),
            grade_low: low,
            grade_high: high,
            ..Default::default()
        }
    }

    #[test]
    fn a_district_pathway_is_free_for_its_students_within_its_grades() {
        let district = district::Model {
            id: 7,
            name: "Bellflower Unified".into(),
            ..Default::default()
        };
        let school = entity::school::Model {
            id: 3,
            district_id: 7,
            name: "Bellflower High".into(),
            ..Default::default()
        };
        let student = |grade: Option<i32>, adult: bool| Student {
            grade,
            adult,
            age: None,
        };
        for (low, high, who, own, expected, says) in [
            (
                Some(10),
                Some(12),
                student(Some(11), false),
                Some(3),
                EligibilityStatus::Free,
                "Your school, Bellflower High",
            ),
            (
                Some(10),
                Some(12),
                student(Some(9), false),
                Some(3),
                EligibilityStatus::NotEligible,
                "grade 9 is too early",
            ),
            (
                Some(9),
                Some(10),
                student(Some(12), false),
                None,
                EligibilityStatus::NotEligible,
                "grade 12 is past it",
            ),
            (
                None,
                None,
                student(Some(9), false),
                Some(4),
                EligibilityStatus::Free,
                "a school of Bellflower Unified",
            ),
            (
                None,
                None,
                student(None, true),
                None,
                EligibilityStatus::NotEligible,
                "not adult education",
            ),
        ] {
            let program = district_pathway(low, high, Some(3));
            let (status, reasons) = decide_district_pathway(
                &DistrictPathwayFacts {
                    district: &district,
                    program: &program,
                    school: Some(&school),
                    student_school: own,
                },
                who,
            );
            assert_eq!(status, expected, "{reasons:?}");
            assert!(reasons.join(" ").contains(says), "{reasons:?}");
        }
        let wide = district_pathway(None, None, None);
        let (status, reasons) = decide_district_pathway(
            &DistrictPathwayFacts {
                district: &district,
                program: &wide,
                school: None,
                student_school: None,
            },
            student(Some(10), false),
        );
        assert_eq!(status, EligibilityStatus::Free);
        assert!(reasons[0].contains("district-wide"), "{reasons:?}");
    }
}
