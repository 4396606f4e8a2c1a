//! The decision itself: a pure function of the facts, so it is easy to test
//! and impossible to re-derive differently elsewhere.

use chrono::NaiveDate;
use entity::{
    course, course_offering, district, funding_option, jpa_membership, regional_program, term,
};

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
    pub reasons: Vec<String>,
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
    pub fn from_stored(s: &str) -> Self {
        match s {
            "DAY" => DatePrecision::Day,
            "MONTH" => DatePrecision::Month,
            "YEAR" => DatePrecision::Year,
            _ => DatePrecision::Unknown,
        }
    }

    /// The value stored in the database.
    pub fn as_stored(self) -> &'static str {
        match self {
            DatePrecision::Day => "DAY",
            DatePrecision::Month => "MONTH",
            DatePrecision::Year => "YEAR",
            DatePrecision::Unknown => "UNKNOWN",
        }
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

fn member_since(district: &str, name: &str, m: &jpa_membership::Model) -> String {
    match DatePrecision::from_stored(&m.joined_on_precision).describe(m.joined_on) {
        Some(when) => format!(
            "{district} is a member of the {name} joint powers agreement since {when}."
        ),
        None => format!(
            "{district} is a member of the {name} joint powers agreement; the date it joined is not known."
        ),
    }
}

fn joins_later(district: &str, name: &str, m: &jpa_membership::Model, on: NaiveDate) -> String {
    match DatePrecision::from_stored(&m.joined_on_precision) {
        DatePrecision::Day => format!(
            "{district} joins the {name} joint powers agreement on {}.",
            m.joined_on
        ),
        DatePrecision::Month => format!(
            "{district} joins the {name} joint powers agreement in {}.",
            m.joined_on.format("%B %Y")
        ),
        DatePrecision::Year => format!(
            "{district} joins the {name} joint powers agreement in {}.",
            m.joined_on.format("%Y")
        ),
        DatePrecision::Unknown => format!(
            "{district} is not recorded as a member of the {name} joint powers agreement on {on}; \
             the date it joined is not known."
        ),
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
        reasons.push(format!("{name} closed on {closed}."));
        blocked = true;
    }
    if let Some(o) = offering {
        if o.offering.status == "CANCELLED" {
            reasons.push(format!("This section of {} is cancelled.", o.course.title));
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
            reasons.push(format!("{name} enrols adults, who pay tuition."));
        } else {
            reasons.push(format!("{name} does not enrol adults."));
            blocked = true;
        }
    } else if let Some(grade) = student.grade {
        if let Some(min) = min_grade.filter(|min| grade < *min) {
            reasons.push(format!(
                "{grade_rule} admits students in grade {min} or above; grade {grade} is too early."
            ));
            blocked = true;
        }
        if let Some(max) = program.max_grade.filter(|max| grade > *max) {
            reasons.push(format!(
                "{name} admits students up to grade {max}; grade {grade} is above it."
            ));
            blocked = true;
        }
    }
    if let Some(min) = min_age {
        match student.age {
            Some(age) if age < min => {
                reasons.push(format!(
                    "{age_rule} requires age {min} or older; age {age} is too young."
                ));
                blocked = true;
            }
            None if !student.adult => {
                reasons.push(format!(
                    "{age_rule} requires age {min} or older (age not given)."
                ));
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
                    reasons.push(format!(
                        "{district} withdrew from the {name} joint powers agreement on {w}."
                    ));
                }
            } else if let Some(future) = facts.memberships.iter().find(|m| m.joined_on > facts.on) {
                reasons.push(joins_later(district, name, future, facts.on));
            } else if !student.adult {
                reasons.push(format!(
                    "{district} is not a member of the {name} joint powers agreement."
                ));
            }
            if !student.adult && !program.non_members_allowed {
                reasons.push(format!(
                    "{name} serves students of its member districts only."
                ));
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
                reasons.push(format!(
                    "No bus service in {}: {name} provides no transportation this term.",
                    o.term.name
                ));
            } else if !o.offering.transportation_provided && covers_transportation {
                reasons.push("This section provides no transportation.".to_owned());
            } else if runs && !covers_transportation {
                reasons.push(format!(
                    "{name} provides transportation to member-district students only."
                ));
            }
            Some(runs && covers_transportation)
        }
        None => Some(covers_transportation),
    };
    // A benefit is only listed when this section actually provides it.
    let covers_transportation = transportation == Some(true);
    if member {
        if !covers_tuition {
            reasons.push(format!("{district}'s membership does not cover tuition."));
        }
        if !covers_materials {
            reasons.push(format!("{district}'s membership does not cover materials."));
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
            reasons.push("This section charges no tuition or materials fee.".to_owned());
        }
        EligibilityStatus::Free
    } else if member {
        EligibilityStatus::Tuition
    } else if !funding.is_empty() {
        let names: Vec<&str> = funding.iter().map(|f| f.name.as_str()).collect();
        reasons.push(format!("These may pay for it: {}.", names.join(", ")));
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
