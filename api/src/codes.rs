//! Official codes as newtypes that can only exist valid ("parse, don't
//! validate"): a CDS code, a grade. Parsed once at the edge, with errors that
//! name the field.

use crate::error::ApiError;

/// A 14-digit County-District-School code: 2 county digits (01–58), 5 district
/// digits, 7 school digits (`0000000` for a district itself).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CdsCode(String);

impl CdsCode {
    /// Parses any CDS code (district or school).
    pub fn parse(field: &str, raw: &str) -> Result<Self, ApiError> {
        let code = raw.trim();
        if code.len() != 14 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::bad_input(
                field,
                format!("'{raw}' is not a CDS code: expected 14 digits"),
            ));
        }
        let county: u32 = code[..2].parse().unwrap_or(0);
        if !(1..=58).contains(&county) {
            return Err(ApiError::bad_input(
                field,
                format!("'{raw}' is not a CDS code: county part {county:02} is not 01-58"),
            ));
        }
        Ok(CdsCode(code.to_owned()))
    }

    /// Parses a district's CDS code (school part `0000000`).
    pub fn parse_district(field: &str, raw: &str) -> Result<Self, ApiError> {
        let code = Self::parse(field, raw)?;
        if !code.is_district() {
            return Err(ApiError::bad_input(
                field,
                format!("'{raw}' is a school's CDS code; a district's ends in 0000000"),
            ));
        }
        Ok(code)
    }

    /// Parses a school's CDS code (school part not `0000000`).
    pub fn parse_school(field: &str, raw: &str) -> Result<Self, ApiError> {
        let code = Self::parse(field, raw)?;
        if code.is_district() {
            return Err(ApiError::bad_input(
                field,
                format!("'{raw}' is a district's CDS code, not a school's"),
            ));
        }
        Ok(code)
    }

    /// Whether this is a district's code.
    pub fn is_district(&self) -> bool {
        self.0.ends_with("0000000")
    }

    /// The code as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The key of a district (an LEA) or one of its schools in CTE Hub, as a caller gives it in
/// any `…CdsCode` argument or import column: its CDS code, or, for one with no CDS code on
/// record (no public source gives it, and an official code is never invented), its short
/// code of capital letters, digits and `_`, such as `HART_UHSD`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LeaCode {
    code: String,
}

impl LeaCode {
    /// Parses a district's key.
    pub fn parse_district(field: &str, raw: &str) -> Result<Self, ApiError> {
        Self::parse(field, raw, CdsCode::parse_district)
    }

    /// Parses a school's key.
    pub fn parse_school(field: &str, raw: &str) -> Result<Self, ApiError> {
        Self::parse(field, raw, CdsCode::parse_school)
    }

    fn parse(
        field: &str,
        raw: &str,
        cds: fn(&str, &str) -> Result<CdsCode, ApiError>,
    ) -> Result<Self, ApiError> {
        let code = raw.trim();
        if code.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            return Ok(LeaCode {
                code: cds(field, code)?.as_str().to_owned(),
            });
        }
        if is_short_code(code) {
            Ok(LeaCode {
                code: code.to_owned(),
            })
        } else {
            Err(ApiError::bad_input(
                field,
                format!(
                    "'{raw}' is neither a CDS code (14 digits) nor a short code \
                     (a capital letter, then 1 to 39 capital letters, digits or _)"
                ),
            ))
        }
    }

    /// The key as stored in the `code` column.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// How a message names it: "CDS code '…'" or "code '…'".
    pub fn describe(&self) -> String {
        describe_key(&self.code)
    }
}

/// How a message names a district's or school's key: "CDS code '…'" when it is all digits,
/// else "code '…'".
pub fn describe_key(key: &str) -> String {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()) {
        format!("CDS code '{key}'")
    } else {
        format!("code '{key}'")
    }
}

/// A short code: a capital letter, then 1 to 39 capital letters, digits or `_`.
pub fn is_short_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    (2..=40).contains(&bytes.len())
        && bytes[0].is_ascii_uppercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
}

/// A district's or school's name as the CDE file and a source may both write it, to find a
/// record that has no CDS code yet: lower case, letters and digits only,
/// without a trailing "school district", "district" or "school" ("Oroville High School" and
/// "Oroville High" are the same school).
pub fn plain_name(name: &str) -> String {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut end = words.len();
    for suffix in [&["school", "district"][..], &["district"], &["school"]] {
        if end > suffix.len() && words[end - suffix.len()..end] == *suffix {
            end -= suffix.len();
            break;
        }
    }
    words[..end].join(" ")
}

/// A K-12 grade in the range CTE Hub serves (7–12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Grade(i32);

impl Grade {
    /// Parses a grade, 7 to 12.
    pub fn parse(field: &str, grade: i32) -> Result<Self, ApiError> {
        if (7..=12).contains(&grade) {
            Ok(Grade(grade))
        } else {
            Err(ApiError::bad_input(
                field,
                format!("grade must be 7 to 12 (got {grade}); adults use adult: true"),
            ))
        }
    }

    /// The grade number.
    pub fn get(self) -> i32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cds_codes_are_validated() {
        assert!(CdsCode::parse_district("d", "19650600000000").is_ok());
        assert!(CdsCode::parse_school("s", "19650601938752").is_ok());
        assert!(CdsCode::parse_district("d", "19650601938752").is_err());
        assert!(CdsCode::parse_school("s", "19650600000000").is_err());
        assert!(CdsCode::parse("d", "1965060000000").is_err());
        assert!(CdsCode::parse("d", "99650600000000").is_err());
        assert!(CdsCode::parse("d", "00650600000000").is_err());
        assert!(CdsCode::parse("d", "1965060000000x").is_err());
        assert!(Grade::parse("g", 6).is_err());
        let hart = LeaCode::parse_district("d", "HART_UHSD").unwrap();
        assert_eq!(hart.describe(), "code 'HART_UHSD'");
        let lausd = LeaCode::parse_district("d", " 19647330000000").unwrap();
        assert_eq!(lausd.describe(), "CDS code '19647330000000'");
        assert!(LeaCode::parse_district("d", "19650601938752").is_err());
        assert!(LeaCode::parse_school("s", "ORO_HIGH").is_ok());
        for bad in ["", "h", "hart", "HART-UHSD", "_HART", "HART UHSD", "1HART"] {
            assert!(LeaCode::parse_district("d", bad).is_err(), "{bad}");
        }
        assert_eq!(Grade::parse("g", 11).unwrap().get(), 11);
    }
}
