//! The rule that public contacts reach a desk, never a person: CTE Hub holds
//! role phones, role addresses and pages (the CDE schools file's administrator
//! names and e-mails are exactly what it must not hold). Pure functions, so the
//! rule is tested here and applied by the write path to mutations and imports.

use crate::error::{ApiError, ApiResult};

/// Words that make a label or an address local part a desk rather than a person.
const ROLE_WORDS: &[&str] = &[
    "academy",
    "admin",
    "administration",
    "admission",
    "admissions",
    "attendance",
    "career",
    "careers",
    "center",
    "centre",
    "contact",
    "contacts",
    "coordinator",
    "counsel",
    "counseling",
    "counselling",
    "counselor",
    "counselors",
    "counsellor",
    "cte",
    "department",
    "dept",
    "desk",
    "district",
    "education",
    "enroll",
    "enrollment",
    "enrolment",
    "front",
    "general",
    "hello",
    "help",
    "hotline",
    "hr",
    "info",
    "information",
    "jobs",
    "main",
    "mentors",
    "mentorship",
    "office",
    "outreach",
    "partners",
    "partnerships",
    "pathways",
    "program",
    "programs",
    "reception",
    "recruiting",
    "recruitment",
    "register",
    "registrar",
    "registration",
    "roc",
    "rop",
    "school",
    "services",
    "staff",
    "student",
    "students",
    "support",
    "teachers",
    "team",
];

/// Honorifics that only ever precede a person's name.
const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "prof", "mx"];

fn is_role_word(word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    ROLE_WORDS.contains(&word.as_str())
}

/// Whether a label reads like a person's name ("Maria Lopez", "Dr. Chen") rather than a desk
/// ("CTE office", "Counseling Center").
pub fn looks_like_person(label: &str) -> bool {
    let words: Vec<&str> = label
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words
        .iter()
        .any(|w| HONORIFICS.contains(&w.trim_end_matches('.').to_ascii_lowercase().as_str()))
    {
        return true;
    }
    if words
        .iter()
        .any(|w| w.split(|c: char| !c.is_alphanumeric()).any(is_role_word))
    {
        return false;
    }
    // Two to four capitalised words and nothing else: a first and last name.
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            // "Jean-Luc", "D'Angelo": every part capitalised.
            w.split(['-', '\'']).all(|part| {
                let mut chars = part.chars();
                chars.next().is_some_and(char::is_uppercase)
                    && chars.all(|c| c.is_lowercase() || c == '.')
            })
        })
}

/// Whether an e-mail address is a person's (`maria.lopez@`, `m_lopez@`) rather than a desk's
/// (`cte-office@`, `counseling@`).
pub fn looks_like_personal_email(email: &str) -> bool {
    let Some((local, _)) = email.split_once('@') else {
        return false;
    };
    let parts: Vec<&str> = local
        .split(['.', '_', '-', '+'])
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && parts.iter().all(|p| p.chars().all(char::is_alphabetic))
        && !parts.iter().any(|p| is_role_word(p))
}

/// A phone number: digits with the usual punctuation and an optional extension, 7 to 15 digits.
pub fn phone(field: &str, value: Option<&str>) -> ApiResult<()> {
    let Some(value) = value else { return Ok(()) };
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.' | 'x' | 'X')
            || "ext".contains(c)
    });
    if allowed && (7..=15).contains(&digits) && value.chars().count() <= 40 {
        Ok(())
    } else {
        Err(ApiError::bad_input(
            field,
            format!("'{value}' is not a phone number: 7 to 15 digits, e.g. (310) 555-0100"),
        ))
    }
}

/// A role contact's label and address: a desk, never a person.
pub fn role_contact(label: Option<&str>, email: Option<&str>) -> ApiResult<()> {
    if let Some(label) = label.filter(|l| looks_like_person(l)) {
        return Err(ApiError::bad_input(
            "input.label",
            format!(
                "'{label}' looks like a person's name: contacts name a desk (e.g. \"CTE office\"), never a person"
            ),
        ));
    }
    if let Some(email) = email.filter(|e| looks_like_personal_email(e)) {
        return Err(ApiError::bad_input(
            "input.email",
            format!(
                "'{email}' looks like a person's address: give the desk's role address (e.g. cte-office@...)"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_desks_not_people() {
        for person in [
            "Maria Lopez",
            "Dr. Chen",
            "Ms Alvarez",
            "Jean-Luc Picard",
            "Amy Kim",
        ] {
            assert!(looks_like_person(person), "{person}");
        }
        for desk in [
            "CTE office",
            "Counseling Center",
            "Main Office",
            "Front desk",
            "CTE Coordinator",
            "Enrollment",
            "Registrar",
        ] {
            assert!(!looks_like_person(desk), "{desk}");
        }
    }

    #[test]
    fn addresses_are_role_addresses() {
        for person in [
            "maria.lopez@example.org",
            "m_lopez@example.org",
            "amy.kim@encorps.org",
        ] {
            assert!(looks_like_personal_email(person), "{person}");
        }
        for desk in [
            "cte-office@example.org",
            "counseling@example.org",
            "info@example.org",
            "cte.coordinator@example.org",
            "room101@example.org",
        ] {
            assert!(!looks_like_personal_email(desk), "{desk}");
        }
        assert!(role_contact(Some("Maria Lopez"), None).is_err());
        assert!(role_contact(Some("CTE office"), Some("cte@example.org")).is_ok());
        let err = role_contact(None, Some("maria.lopez@example.org")).expect_err("person");
        assert!(err.to_string().starts_with("input.email:"), "{err}");
    }

    #[test]
    fn phones_are_numbers() {
        assert!(phone("input.phone", Some("(310) 555-0100")).is_ok());
        assert!(phone("input.phone", Some("+1 310 555 0100 ext 12")).is_ok());
        assert!(phone("input.phone", Some("call Maria")).is_err());
        assert!(phone("input.phone", Some("123")).is_err());
    }
}
