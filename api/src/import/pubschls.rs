//! The CDE public schools and districts file (`pubschls.txt`): tab-separated,
//! UTF-8 (older copies Windows-1252), parsed by header name. Districts are the
//! rows whose CDS code ends in `0000000`; schools hang off the district in the
//! first seven digits of their code. Administrator names and e-mails (`Adm*`)
//! are personal data and never read.

use std::collections::HashMap;

use chrono::Utc;
use entity::{district, school};

use super::{
    plan::{self, Planned},
    report::{ImportReport, Progress, Rejection},
    table::{Format, Row, Table},
    ImportError,
};
use crate::{changes::Writer, codes::CdsCode};

/// What every imported district and school says about where it came from.
pub const SOURCE: &str = "CDE public schools and districts file (pubschls.txt)";

/// The columns CTE Hub reads; the file has more, which are ignored.
pub const COLUMNS: &[&str] = &[
    "CDSCode",
    "NCESDist",
    "NCESSchool",
    "StatusType",
    "County",
    "District",
    "School",
    "City",
    "Website",
    "GSoffered",
    "GSserved",
    "Latitude",
    "Longitude",
    "LastUpdate",
];

/// Columns without which no row can be read.
const REQUIRED: &[&str] = &["CDSCode", "StatusType", "County", "District", "School"];

/// The file's bytes as text: UTF-8 when they are, Windows-1252 when they have no UTF-8
/// multi-byte character at all (an older CDE copy). A UTF-8 file with a few broken bytes is
/// refused with the line of the first one: decoding it as Windows-1252 would garble every
/// accented name it holds.
pub fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let lossy = String::from_utf8_lossy(bytes);
            let has_utf8_letters = lossy.chars().any(|c| !c.is_ascii() && c != '\u{fffd}');
            if has_utf8_letters {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1;
                Err(ImportError::Unreadable(format!(
                    "line {line}: the file is UTF-8 but has bytes that are not; save it again as UTF-8"
                )))
            } else {
                Ok(encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned())
            }
        }
    }
}

/// Imports the districts, then the schools, of one file.
pub async fn import(
    writer: &Writer,
    bytes: &[u8],
    report: &mut ImportReport,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let table = Table::read(&decode(bytes)?, Format::Tsv, &["No Data"])?;
    report.rows_read = table.len();
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !table.has(c)).collect();
    if !missing.is_empty() {
        report.rejected += table.len();
        report.reject(Rejection {
            line: 1,
            column: None,
            reason: format!(
                "the header lacks {}: is this the CDE pubschls.txt file?",
                missing.join(", ")
            ),
        });
        return Ok(());
    }
    // Deleted rows too (live ones win): a deleted record's code cannot be reused.
    let mut districts: HashMap<String, district::Model> =
        plan::stored::<district::Entity>(writer.txn())
            .await?
            .into_iter()
            .map(|d| (d.cds_code.clone(), d))
            .collect();
    let mut schools: HashMap<String, school::Model> = plan::stored::<school::Entity>(writer.txn())
        .await?
        .into_iter()
        .map(|s| (s.cds_code.clone(), s))
        .collect();

    progress.stage("reading", table.len());
    let now = Utc::now();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut district_rows = Vec::new();
    let mut school_rows = Vec::new();
    for mut row in table.rows() {
        let line = row.line;
        let raw = row.required("CDSCode");
        let code = match CdsCode::parse("CDSCode", &raw) {
            Ok(code) => Some(code),
            Err(e) => {
                if !raw.is_empty() {
                    row.reject("CDSCode", error_reason(e));
                }
                None
            }
        };
        if let Some(code) = &code {
            if let Some(first) = seen.insert(code.as_str().to_owned(), row.line) {
                row.reject("CDSCode", format!("{raw} is also on line {first}"));
            }
        }
        let status = status(&mut row);
        let updated = row.date("LastUpdate");
        let nces_district = nces(&mut row, "NCESDist", 7);
        match code {
            Some(code) if code.is_district() => {
                let stored = districts.get(code.as_str()).cloned();
                let mut m = stored.clone().unwrap_or_else(|| blank_district(now));
                m.cds_code = code.as_str().to_owned();
                m.name = row.required("District");
                m.county = row.required("County");
                m.nces_id = nces_district;
                m.website = website(&row);
                m.status = status.to_owned();
                m.source = Some(SOURCE.to_owned());
                m.source_updated_at = updated;
                finish(&mut row, report, || {
                    district_rows.push(Planned {
                        line,
                        existing: stored,
                        desired: m,
                    })
                });
            }
            Some(code) => {
                let stored = schools.remove(code.as_str());
                let mut m = stored.clone().unwrap_or_else(|| blank_school(now));
                m.cds_code = code.as_str().to_owned();
                m.name = row.required("School");
                m.city = row.text("City");
                m.lat = row.float("Latitude");
                m.lng = row.float("Longitude");
                let grades = row.text("GSoffered").or_else(|| row.text("GSserved"));
                (m.grade_low, m.grade_high) = grades.as_deref().map(grade_span).unwrap_or_default();
                m.nces_id = match (nces_district, nces(&mut row, "NCESSchool", 5)) {
                    (Some(d), Some(s)) => Some(format!("{d}{s}")),
                    _ => None,
                };
                m.status = status.to_owned();
                m.source = Some(SOURCE.to_owned());
                m.source_updated_at = updated;
                let district_code = format!("{}0000000", &code.as_str()[..7]);
                finish(&mut row, report, || {
                    school_rows.push((district_code, stored, m, line))
                });
            }
            None => {
                finish(&mut row, report, || {});
            }
        }
        progress.advance(1);
    }
    progress.finish();

    for saved in plan::write::<district::Entity>(writer, district_rows, report, progress).await? {
        districts.insert(saved.cds_code.clone(), saved);
    }
    let mut planned: Vec<Planned<school::Entity>> = Vec::with_capacity(school_rows.len());
    for (district_code, stored, mut m, line) in school_rows {
        match districts.get(&district_code) {
            Some(d) => {
                m.district_id = d.id;
                planned.push(Planned {
                    line,
                    existing: stored,
                    desired: m,
                });
            }
            None => {
                report.rejected += 1;
                report.reject(Rejection {
                    line,
                    column: Some("CDSCode".into()),
                    reason: format!(
                        "no district has CDS code {district_code}, neither in CTE Hub nor in this file"
                    ),
                });
            }
        }
    }
    plan::write(writer, planned, report, progress).await?;
    Ok(())
}

/// Moves the row's rejections into the report, or hands the row on.
fn finish(row: &mut Row<'_>, report: &mut ImportReport, accept: impl FnOnce()) {
    let rejections = row.take_rejections();
    if rejections.is_empty() {
        accept();
    } else {
        report.rejected += 1;
        report.reject_all(rejections);
    }
}

fn error_reason(err: crate::error::ApiError) -> String {
    match err {
        crate::error::ApiError::BadUserInput { message, .. } => message,
        other => other.to_string(),
    }
}

fn status(row: &mut Row<'_>) -> &'static str {
    match row.text("StatusType").map(|s| s.to_ascii_lowercase()) {
        Some(s) if s == "active" => "ACTIVE",
        Some(s) if s == "closed" => "CLOSED",
        Some(s) if s == "merged" => "MERGED",
        Some(s) if s == "pending" => "PENDING",
        Some(other) => {
            row.reject(
                "StatusType",
                format!("'{other}' is not Active, Closed, Merged or Pending"),
            );
            "ACTIVE"
        }
        None => {
            row.reject("StatusType", "is required");
            "ACTIVE"
        }
    }
}

/// An NCES id part of `digits` digits, or nothing (never guessed).
fn nces(row: &mut Row<'_>, column: &str, digits: usize) -> Option<String> {
    let raw = row.text(column)?;
    if raw.len() == digits && raw.bytes().all(|b| b.is_ascii_digit()) {
        Some(raw)
    } else {
        row.reject(column, format!("'{raw}' is not {digits} digits"));
        None
    }
}

/// The website as the file gives it, made a URL (the file often omits the scheme).
fn website(row: &Row<'_>) -> Option<String> {
    let raw = row.text("Website")?;
    if raw.starts_with("http://") || raw.starts_with("https://") {
        Some(raw)
    } else {
        Some(format!("https://{raw}"))
    }
}

/// `K-12` → (0, 12), `9-12` → (9, 12); pre-K and transitional K count as 0; adult-only or
/// ungraded spans give nothing.
fn grade_span(raw: &str) -> (Option<i32>, Option<i32>) {
    let grade = |g: &str| match g.trim().to_ascii_uppercase().as_str() {
        "K" | "TK" | "P" | "PK" => Some(0),
        other => other.parse::<i32>().ok().filter(|g| (0..=12).contains(g)),
    };
    match raw.split_once('-') {
        Some((low, high)) => match (grade(low), grade(high)) {
            (Some(l), Some(h)) if l <= h => (Some(l), Some(h)),
            _ => (None, None),
        },
        None => match grade(raw) {
            Some(g) => (Some(g), Some(g)),
            None => (None, None),
        },
    }
}

fn blank_district(now: chrono::DateTime<Utc>) -> district::Model {
    district::Model {
        id: 0,
        cds_code: String::new(),
        name: String::new(),
        county: String::new(),
        nces_id: None,
        website: None,
        status: "ACTIVE".into(),
        created_at: now,
        updated_at: now,
        version: 1,
        source: None,
        source_updated_at: None,
        sample: false,
        deleted_at: None,
    }
}

fn blank_school(now: chrono::DateTime<Utc>) -> school::Model {
    school::Model {
        id: 0,
        cds_code: String::new(),
        district_id: 0,
        name: String::new(),
        city: None,
        lat: None,
        lng: None,
        grade_low: None,
        grade_high: None,
        nces_id: None,
        status: "ACTIVE".into(),
        created_at: now,
        updated_at: now,
        version: 1,
        source: None,
        source_updated_at: None,
        sample: false,
        deleted_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_grade_spans() {
        assert_eq!(grade_span("K-12"), (Some(0), Some(12)));
        assert_eq!(grade_span("9-12"), (Some(9), Some(12)));
        assert_eq!(grade_span("Adult"), (None, None));
    }

    #[test]
    fn decodes_windows_1252() {
        assert_eq!(decode(b"Ca\xf1ada").ok().as_deref(), Some("Cañada"));
        assert_eq!(decode("Cañada".as_bytes()).ok().as_deref(), Some("Cañada"));
        let mixed = [&b"Ca\xc3\xb1ada\nBad \xf1"[..]].concat();
        assert!(
            decode(&mixed).is_err(),
            "UTF-8 with a broken byte is refused"
        );
    }
}
