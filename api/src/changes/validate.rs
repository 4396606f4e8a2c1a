//! Input rules every kind of record shares, each naming the `input.` field it
//! refuses, so a client can point at the exact box on its form.

use chrono::{Datelike, NaiveDate};
use sea_orm::{EntityTrait, IdenStatic, Iterable, ModelTrait, Value};

use super::Record;
use crate::error::{ApiError, ApiResult};

/// The longest `source` a record may give: a URL or a publication's title, publisher and date.
pub const MAX_SOURCE_CHARS: usize = 1_000;

/// The years a stored date may fall in: anything else is a typo (or an attack on date maths).
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// The rules every record obeys whatever its kind, then the kind's own ([`Record::validate`]).
/// Mutations and imports both come through here, so they refuse the same values.
pub fn record<E: Record>(model: &E::Model) -> ApiResult<()> {
    for column in <E as EntityTrait>::Column::iter() {
        let name = column.as_str();
        match model.get(column) {
            Value::String(Some(text)) => {
                stored_text(&camel(name), &text)?;
                if name == "source" {
                    source(&text)?;
                }
            }
            Value::ChronoDate(Some(date)) if !DATE_YEARS.contains(&date.year()) => {
                return Err(ApiError::bad_input(
                    field(&camel(name)),
                    format!(
                        "{date} is not a plausible date: the year must be from {} to {}",
                        DATE_YEARS.start(),
                        DATE_YEARS.end()
                    ),
                ));
            }
            _ => {}
        }
    }
    E::validate(model)
}

/// Whether a character may not be stored in any text: NUL and the other C0 and C1 controls
/// (tab, line feed and carriage return excepted), bidirectional embeddings, overrides and
/// isolates and marks (they make a name display differently from how it sorts and matches:
/// U+202E turns "gnp.exe" into "exe.png"), and invisible characters: zero-width space, soft
/// hyphen, word joiner and invisible operators, BOM, Hangul fillers (a name of U+3164 looks
/// empty) and tag characters.
/// Zero-width joiners (U+200C, U+200D) stay: scripts and emoji need them.
pub fn forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{00AD}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FEFF}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{3164}'
                | '\u{FFA0}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// Refuses a text holding a [`forbidden_char`], naming the field, the character and where it is.
pub fn stored_text(name: &str, value: &str) -> ApiResult<()> {
    match value.chars().enumerate().find(|(_, c)| forbidden_char(*c)) {
        Some((position, c)) => Err(ApiError::bad_input(
            field(name),
            format!(
                "contains the invisible or control character U+{:04X} at character {}; remove it",
                u32::from(c),
                position + 1
            ),
        )),
        None => Ok(()),
    }
}

/// A `source`: not blank, at most [`MAX_SOURCE_CHARS`] characters.
pub fn source(value: &str) -> ApiResult<()> {
    if value.trim().is_empty() {
        return Err(ApiError::bad_input(
            field("source"),
            "must name where the fact comes from (a URL or a publication), or be left out",
        ));
    }
    optional_text("source", Some(value), MAX_SOURCE_CHARS)
}

/// `joined_on` → `joinedOn`: the input field a column is written through.
fn camel(column: &str) -> String {
    let mut out = String::with_capacity(column.len());
    let mut upper = false;
    for c in column.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn field(name: &str) -> String {
    format!("input.{name}")
}

/// A required text: trimmed, not empty, at most `max` characters.
pub fn text(name: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.trim().is_empty() {
        return Err(ApiError::bad_input(field(name), "must not be empty"));
    }
    optional_text(name, Some(value), max)
}

/// An optional text of at most `max` characters.
pub fn optional_text(name: &str, value: Option<&str>, max: usize) -> ApiResult<()> {
    match value {
        Some(v) if v.chars().count() > max => Err(ApiError::bad_input(
            field(name),
            format!(
                "must be at most {max} characters (got {})",
                v.chars().count()
            ),
        )),
        _ => Ok(()),
    }
}

/// A code: 1–40 characters of letters, digits, `_`, `-` and `.`.
pub fn code(name: &str, value: &str) -> ApiResult<()> {
    let ok = !value.is_empty()
        && value.len() <= 40
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_input(
            field(name),
            format!("'{value}' is not a code: 1-40 letters, digits, '_', '-' or '.'"),
        ))
    }
}

/// A school grade, 7–12.
pub fn grade(name: &str, value: Option<i32>) -> ApiResult<()> {
    match value {
        Some(g) if !(7..=12).contains(&g) => Err(ApiError::bad_input(
            field(name),
            format!("must be a grade from 7 to 12 (got {g})"),
        )),
        _ => Ok(()),
    }
}

/// An age in years, 10–120.
pub fn age(name: &str, value: Option<i32>) -> ApiResult<()> {
    match value {
        Some(a) if !(10..=120).contains(&a) => Err(ApiError::bad_input(
            field(name),
            format!("must be an age from 10 to 120 (got {a})"),
        )),
        _ => Ok(()),
    }
}

/// Money in cents, seats, hours: never negative.
pub fn non_negative(name: &str, value: Option<i64>) -> ApiResult<()> {
    match value {
        Some(n) if n < 0 => Err(ApiError::bad_input(
            field(name),
            format!("must not be negative (got {n})"),
        )),
        _ => Ok(()),
    }
}

/// An `http(s)` URL.
pub fn url(name: &str, value: Option<&str>) -> ApiResult<()> {
    let Some(value) = value else { return Ok(()) };
    match url::Url::parse(value) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host().is_some()
                && value.len() <= 500 =>
        {
            Ok(())
        }
        _ => Err(ApiError::bad_input(
            field(name),
            format!("'{value}' is not an http(s) URL"),
        )),
    }
}

/// An e-mail address (one `@`, a dotted domain, no spaces).
pub fn email(name: &str, value: Option<&str>) -> ApiResult<()> {
    let Some(value) = value else { return Ok(()) };
    let ok = value.len() <= 254
        && !value.contains(char::is_whitespace)
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        });
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_input(
            field(name),
            format!("'{value}' is not an e-mail address"),
        ))
    }
}

/// An IPEDS unit id: 6 digits.
pub fn ipeds(name: &str, value: Option<&str>) -> ApiResult<()> {
    match value {
        Some(v) if v.len() != 6 || !v.bytes().all(|b| b.is_ascii_digit()) => {
            Err(ApiError::bad_input(
                field(name),
                format!("'{v}' is not an IPEDS id: expected 6 digits"),
            ))
        }
        _ => Ok(()),
    }
}

/// An IPEDS id given as a key (the field is named as the client sent it).
pub fn ipeds_key(field: &str, value: &str) -> ApiResult<()> {
    if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ApiError::bad_input(
            field,
            format!("'{value}' is not an IPEDS id: expected 6 digits"),
        ))
    }
}

/// `start` is not after `end` (both optional).
pub fn date_order(
    start_name: &str,
    start: Option<NaiveDate>,
    end_name: &str,
    end: Option<NaiveDate>,
) -> ApiResult<()> {
    match (start, end) {
        (Some(s), Some(e)) if s > e => Err(ApiError::bad_input(
            field(end_name),
            format!("{end_name} ({e}) is before {start_name} ({s})"),
        )),
        _ => Ok(()),
    }
}

/// A latitude and longitude, both or neither, in range.
pub fn coordinates(lat: Option<f64>, lng: Option<f64>) -> ApiResult<()> {
    match (lat, lng) {
        (Some(lat), _) if !(-90.0..=90.0).contains(&lat) => Err(ApiError::bad_input(
            field("lat"),
            "must be between -90 and 90",
        )),
        (_, Some(lng)) if !(-180.0..=180.0).contains(&lng) => Err(ApiError::bad_input(
            field("lng"),
            "must be between -180 and 180",
        )),
        (Some(_), None) | (None, Some(_)) => Err(ApiError::bad_input(
            field("lng"),
            "give lat and lng together",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_partners_mistype() {
        assert!(email("contactEmail", Some("jobs@example.org")).is_ok());
        assert!(email("contactEmail", Some("jobs at example")).is_err());
        assert!(url("website", Some("https://example.org/x")).is_ok());
        assert!(url("website", Some("javascript:alert(1)")).is_err());
        assert!(grade("minGrade", Some(6)).is_err());
        assert!(ipeds("ipedsId", Some("12345")).is_err());
        assert!(non_negative("tuitionCents", Some(-1)).is_err());
        assert!(code("code", "HS-101").is_ok());
        assert!(code("code", "bad code").is_err());
    }

    #[test]
    fn refuses_invisible_and_control_characters_naming_the_field() {
        for bad in [
            "a\0b",
            "bell\u{7}",
            "esc\u{1b}[31m",
            "gnp\u{202E}exe",
            "zero\u{200B}width",
            "\u{FEFF}bom",
            "c1\u{85}",
            "rlm\u{200F}",
            "soft\u{AD}hyphen",
            "\u{3164}",
            "tag\u{E0041}",
        ] {
            let err = stored_text("name", bad).expect_err(bad);
            assert_eq!(err.code(), "BAD_USER_INPUT");
            assert!(err.to_string().starts_with("input.name: contains"), "{err}");
        }
        for good in [
            "Patient Care",
            "line one\nline two\tand a tab",
            "Café ñ 中文",
            "👩\u{200D}🔧",
        ] {
            assert!(stored_text("name", good).is_ok(), "{good}");
        }
        assert!(source("  ").is_err());
        assert!(source(&"x".repeat(MAX_SOURCE_CHARS + 1)).is_err());
        assert!(source("https://www.cde.ca.gov/ds/si/ds/pubschls.asp").is_ok());
        assert_eq!(camel("joined_on"), "joinedOn");
        assert_eq!(camel("source"), "source");
    }
}
