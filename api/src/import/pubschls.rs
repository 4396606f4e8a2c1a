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
use crate::{
    changes::Writer,
    codes::{plain_name, CdsCode},
};

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
            .map(|d| (d.code.clone(), d))
            .collect();
    let mut schools: HashMap<String, school::Model> = plan::stored::<school::Entity>(writer.txn())
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();

    let mut awaiting = Awaiting::new(&districts, &schools);

    progress.stage("reading", table.len());
    let now = Utc::now();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut district_rows = Vec::new();
    let mut school_rows = Vec::new();
    for mut row in table.rows() {
        let line = row.line;
        match read_row(
            &mut row,
            &mut seen,
            &districts,
            &mut schools,
            &mut awaiting,
            now,
        ) {
            Read::District { stored, desired } => finish(&mut row, report, || {
                district_rows.push(Planned {
                    line,
                    existing: stored,
                    desired,
                })
            }),
            Read::School {
                district_code,
                stored,
                desired,
            } => finish(&mut row, report, || {
                school_rows.push((district_code, stored, desired, line))
            }),
            Read::Nothing => finish(&mut row, report, || {}),
        }
        progress.advance(1);
    }
    progress.finish();

    for saved in plan::write::<district::Entity>(writer, district_rows, report, progress).await? {
        districts.insert(saved.code.clone(), saved);
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

/// What one row of the file becomes; the row's rejections stay on the row.
#[derive(Debug)]
enum Read {
    District {
        stored: Option<district::Model>,
        desired: district::Model,
    },
    /// A school, with the CDS code of the district it hangs off.
    School {
        district_code: String,
        stored: Option<school::Model>,
        desired: school::Model,
    },
    /// No usable CDS code.
    Nothing,
}

/// Maps one row onto the stored record of its CDS code (or a new one); `seen` holds the codes
/// of the rows before it (a second row with a code is refused).
fn read_row(
    row: &mut Row<'_>,
    seen: &mut HashMap<String, usize>,
    districts: &HashMap<String, district::Model>,
    schools: &mut HashMap<String, school::Model>,
    awaiting: &mut Awaiting,
    now: chrono::DateTime<Utc>,
) -> Read {
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
    let status = status(row);
    let updated = row.date("LastUpdate");
    let nces_district = nces(row, "NCESDist", 7);
    match code {
        Some(code) if code.is_district() => {
            let stored = districts
                .get(code.as_str())
                .cloned()
                .or_else(|| awaiting.district(row, &code));
            let mut m = stored.clone().unwrap_or_else(|| blank_district(now));
            m.code = code.as_str().to_owned();
            m.cds_code = Some(code.as_str().to_owned());
            m.name = row.required("District");
            m.county = Some(row.required("County"));
            m.nces_id = nces_district;
            m.website = website(row);
            m.status = status.to_owned();
            m.source = Some(SOURCE.to_owned());
            m.source_updated_at = updated;
            Read::District { stored, desired: m }
        }
        Some(code) => {
            let district_code = format!("{}0000000", &code.as_str()[..7]);
            let stored = schools
                .remove(code.as_str())
                .or_else(|| awaiting.school(row, &district_code, districts));
            let mut m = stored.clone().unwrap_or_else(|| blank_school(now));
            m.code = code.as_str().to_owned();
            m.cds_code = Some(code.as_str().to_owned());
            m.name = row.required("School");
            m.city = row.text("City");
            m.lat = row.float("Latitude");
            m.lng = row.float("Longitude");
            let grades = row.text("GSoffered").or_else(|| row.text("GSserved"));
            (m.grade_low, m.grade_high) = grades.as_deref().map(grade_span).unwrap_or_default();
            m.nces_id = match (nces_district, nces(row, "NCESSchool", 5)) {
                (Some(d), Some(s)) => Some(format!("{d}{s}")),
                _ => None,
            };
            m.status = status.to_owned();
            m.source = Some(SOURCE.to_owned());
            m.source_updated_at = updated;
            Read::School {
                district_code,
                stored,
                desired: m,
            }
        }
        None => Read::Nothing,
    }
}

/// Districts and schools with no CDS code yet (keyed by a short code, as no source gave one):
/// a row of the file with the same name (and, for a district, county) gives the record its CDS
/// code, instead of creating a twin beside it. Each is taken at most once.
struct Awaiting {
    /// By plain name.
    districts: HashMap<String, district::Model>,
    /// By plain name.
    schools: HashMap<String, Vec<school::Model>>,
    /// District id -> the CDS code a row of this file gave it.
    adopted: HashMap<i32, String>,
}

impl Awaiting {
    fn new(
        districts: &HashMap<String, district::Model>,
        schools: &HashMap<String, school::Model>,
    ) -> Self {
        let mut awaiting = Awaiting {
            districts: HashMap::new(),
            schools: HashMap::new(),
            adopted: HashMap::new(),
        };
        for d in districts.values() {
            if d.cds_code.is_none() && d.deleted_at.is_none() {
                awaiting.districts.insert(plain_name(&d.name), d.clone());
            }
        }
        for s in schools.values() {
            if s.cds_code.is_none() && s.deleted_at.is_none() {
                awaiting
                    .schools
                    .entry(plain_name(&s.name))
                    .or_default()
                    .push(s.clone());
            }
        }
        awaiting
    }

    /// The waiting district this district row names, if any.
    fn district(&mut self, row: &Row<'_>, code: &CdsCode) -> Option<district::Model> {
        let key = plain_name(&row.text("District")?);
        let county = row.text("County");
        let found = self.districts.get(&key)?;
        if found.county.is_some() && found.county != county {
            return None;
        }
        let found = self.districts.remove(&key)?;
        self.adopted.insert(found.id, code.as_str().to_owned());
        Some(found)
    }

    /// The waiting school this school row names, in the district its CDS code names.
    fn school(
        &mut self,
        row: &Row<'_>,
        district_code: &str,
        districts: &HashMap<String, district::Model>,
    ) -> Option<school::Model> {
        let candidates = self.schools.get_mut(&plain_name(&row.text("School")?))?;
        let stored_district = districts.get(district_code).map(|d| d.id);
        let at = candidates.iter().position(|s| {
            Some(s.district_id) == stored_district
                || self.adopted.get(&s.district_id).map(String::as_str) == Some(district_code)
        })?;
        Some(candidates.swap_remove(at))
    }
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
        code: String::new(),
        cds_code: None,
        name: String::new(),
        county: None,
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
        code: String::new(),
        cds_code: None,
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
    fn plain_names_match_a_source_s_and_the_cde_s_spelling() {
        for (ours, cde) in [
            (
                "William S. Hart Union High School District",
                "William S. Hart Union High",
            ),
            (
                "Coachella Valley Unified School District",
                "Coachella Valley Unified",
            ),
            ("Oroville High School", "Oroville High"),
            ("Oroville  High", "oroville high"),
        ] {
            assert_eq!(plain_name(ours), plain_name(cde), "{ours}");
        }
        assert_ne!(
            plain_name("Oroville High"),
            plain_name("Oroville Union High")
        );
        assert_eq!(plain_name("School"), "school", "a name is never emptied");
    }

    /// A file with the columns CTE Hub reads: a row of Torrance Unified, a row of Torrance
    /// High (codes from docs/data.md), then `row` (column overrides of the school row).
    fn file(row: &[(&str, &str)]) -> String {
        let district = [
            ("CDSCode", "19650600000000"),
            ("NCESDist", "0639420"),
            ("StatusType", "Active"),
            ("County", "Los Angeles"),
            ("District", "Torrance Unified"),
            ("School", "No Data"),
            ("Website", "www.tusd.org"),
            ("LastUpdate", "2024-05-01"),
        ];
        let school = [
            ("CDSCode", "19650601938752"),
            ("StatusType", "Active"),
            ("County", "Los Angeles"),
            ("District", "Torrance Unified"),
            ("School", "Torrance High"),
            ("City", "Torrance"),
            ("GSoffered", "9-12"),
            ("Latitude", "33.8"),
            ("Longitude", "-118.3"),
        ];
        let line = |cells: &[(&str, &str)]| -> String {
            COLUMNS
                .iter()
                .map(|c| {
                    cells
                        .iter()
                        .rev()
                        .find(|(k, _)| k == c)
                        .map_or("", |(_, v)| *v)
                })
                .collect::<Vec<_>>()
                .join("\t")
        };
        let last: Vec<(&str, &str)> = school.iter().chain(row).copied().collect();
        [COLUMNS.join("\t"), line(&district), line(&last)].join("\n")
    }

    /// Reads every row of `text`; the last row's outcome and rejections.
    fn read_last(text: &str) -> (Read, Vec<Rejection>) {
        let table = Table::read(text, Format::Tsv, &["No Data"]).expect("a table");
        let now = Utc::now();
        let (mut seen, districts, mut schools) = (HashMap::new(), HashMap::new(), HashMap::new());
        let mut awaiting = Awaiting::new(&districts, &schools);
        let mut last = (Read::Nothing, Vec::new());
        for mut row in table.rows() {
            let read = read_row(
                &mut row,
                &mut seen,
                &districts,
                &mut schools,
                &mut awaiting,
                now,
            );
            last = (read, row.take_rejections());
        }
        last
    }

    #[test]
    fn a_district_and_a_school_row_map_to_records() {
        let table = Table::read(&file(&[]), Format::Tsv, &["No Data"]).expect("a table");
        let now = Utc::now();
        let (mut seen, districts, mut schools) = (HashMap::new(), HashMap::new(), HashMap::new());
        let mut awaiting = Awaiting::new(&districts, &schools);
        let mut rows = table.rows();
        let mut row = rows.next().expect("the district row");
        match read_row(
            &mut row,
            &mut seen,
            &districts,
            &mut schools,
            &mut awaiting,
            now,
        ) {
            Read::District { stored, desired } => {
                assert!(stored.is_none());
                assert_eq!(desired.cds_code.as_deref(), Some("19650600000000"));
                assert_eq!(desired.name, "Torrance Unified");
                assert_eq!(desired.county.as_deref(), Some("Los Angeles"));
                assert_eq!(desired.nces_id.as_deref(), Some("0639420"));
                assert_eq!(desired.website.as_deref(), Some("https://www.tusd.org"));
                assert_eq!(desired.status, "ACTIVE");
                assert_eq!(desired.source.as_deref(), Some(SOURCE));
                assert_eq!(
                    desired.source_updated_at.map(|d| d.to_string()).as_deref(),
                    Some("2024-05-01")
                );
            }
            other => panic!("expected a district, got {other:?}"),
        }
        assert_eq!(row.take_rejections(), Vec::new());
        let mut row = rows.next().expect("the school row");
        match read_row(
            &mut row,
            &mut seen,
            &districts,
            &mut schools,
            &mut awaiting,
            now,
        ) {
            Read::School {
                district_code,
                stored,
                desired,
            } => {
                assert_eq!(district_code, "19650600000000");
                assert!(stored.is_none());
                assert_eq!(desired.cds_code.as_deref(), Some("19650601938752"));
                assert_eq!(desired.name, "Torrance High");
                assert_eq!(desired.city.as_deref(), Some("Torrance"));
                assert_eq!((desired.grade_low, desired.grade_high), (Some(9), Some(12)));
                assert_eq!((desired.lat, desired.lng), (Some(33.8), Some(-118.3)));
                // No school part of the NCES id: none is made up.
                assert_eq!(desired.nces_id, None);
            }
            other => panic!("expected a school, got {other:?}"),
        }
        assert_eq!(row.take_rejections(), Vec::new());
    }

    #[test]
    fn each_refusal_names_its_column() {
        // What the row shows, its cells, the column refused, the reason.
        type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str);
        let rows: Vec<Case> = vec![
            (
                "CDS code not 14 digits",
                vec![("CDSCode", "1965060193875")],
                "CDSCode",
                "is not a CDS code: expected 14 digits",
            ),
            (
                "CDS code with no county",
                vec![("CDSCode", "99650601938752")],
                "CDSCode",
                "county part 99 is not 01-58",
            ),
            (
                "CDS code missing",
                vec![("CDSCode", "")],
                "CDSCode",
                "is required",
            ),
            (
                "the same CDS code twice",
                vec![("CDSCode", "19650600000000")],
                "CDSCode",
                "19650600000000 is also on line 2",
            ),
            (
                "unknown status",
                vec![("StatusType", "Open")],
                "StatusType",
                "'open' is not Active, Closed, Merged or Pending",
            ),
            (
                "status missing",
                vec![("StatusType", "")],
                "StatusType",
                "is required",
            ),
            (
                "NCES district id not 7 digits",
                vec![("NCESDist", "06394")],
                "NCESDist",
                "'06394' is not 7 digits",
            ),
            (
                "NCES school id not 5 digits",
                vec![("NCESSchool", "1234567")],
                "NCESSchool",
                "'1234567' is not 5 digits",
            ),
            (
                "school name missing",
                vec![("School", "No Data")],
                "School",
                "is required",
            ),
            (
                "latitude not a number",
                vec![("Latitude", "north")],
                "Latitude",
                "'north' is not a number",
            ),
            (
                "last update not a date",
                vec![("LastUpdate", "05/01/2024")],
                "LastUpdate",
                "is not a date written YYYY-MM-DD",
            ),
        ];
        for (name, change, column, reason) in rows {
            let (_, rejections) = read_last(&file(&change));
            assert!(
                rejections
                    .iter()
                    .any(|r| r.column.as_deref() == Some(column) && r.reason.contains(reason)),
                "{name}: expected {column}: {reason:?}, got {rejections:?}"
            );
        }
    }

    #[test]
    fn a_closed_school_keeps_its_status() {
        let (read, rejections) = read_last(&file(&[("StatusType", "Closed")]));
        assert_eq!(rejections, Vec::new());
        assert!(matches!(read, Read::School { desired, .. } if desired.status == "CLOSED"));
    }

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
