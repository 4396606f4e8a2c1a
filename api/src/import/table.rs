//! Reading an import file into rows of named cells, and typed access to a
//! cell that records a [`Rejection`] (line, column, reason) instead of failing.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{report::Rejection, ImportError};

/// The file formats an import reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated, first line the header (UTF-8).
    Csv,
    /// A JSON array of objects keyed like the CSV header (or `{"rows": [...]}`).
    Json,
    /// Tab-separated, first line the header, unquoted (the CDE files).
    Tsv,
}

impl Format {
    /// The format a file name suggests, CSV when it says nothing.
    pub fn from_name(name: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Format::Json
        } else if lower.ends_with(".txt") || lower.ends_with(".tsv") {
            Format::Tsv
        } else {
            Format::Csv
        }
    }

    /// Parses a `format=` value.
    pub fn parse(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "tsv" | "txt" => Some(Format::Tsv),
            _ => None,
        }
    }
}

/// The rows of one file: each cell found by header name (case-insensitive).
pub struct Table {
    columns: HashMap<String, usize>,
    headers: Vec<String>,
    rows: Vec<(usize, Vec<Option<String>>)>,
    /// Cell texts that mean "no value" (the CDE file writes `No Data`).
    empty_markers: &'static [&'static str],
}

impl Table {
    /// Reads `text` in `format`.
    pub fn read(
        text: &str,
        format: Format,
        empty_markers: &'static [&'static str],
    ) -> Result<Table, ImportError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (headers, rows) = match format {
            Format::Csv => delimited(text, b',', true)?,
            Format::Tsv => delimited(text, b'\t', false)?,
            Format::Json => json(text)?,
        };
        Ok(Table::new(headers, rows, empty_markers))
    }

    /// Rows from an already parsed JSON array (a section of a whole-catalogue export).
    pub fn from_json(value: serde_json::Value) -> Result<Table, ImportError> {
        let (headers, rows) = json_value(value)?;
        Ok(Table::new(headers, rows, &[]))
    }

    fn new(
        headers: Vec<String>,
        rows: Vec<(usize, Vec<Option<String>>)>,
        empty_markers: &'static [&'static str],
    ) -> Table {
        let columns = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (normalize_header(h), i))
            .collect();
        Table {
            columns,
            headers,
            rows,
            empty_markers,
        }
    }

    /// The header names as written in the file.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Whether the file has this column.
    pub fn has(&self, column: &str) -> bool {
        self.columns.contains_key(&normalize_header(column))
    }

    /// The number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no data rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every data row.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(move |(line, cells)| Row {
            table: self,
            line: *line,
            cells,
            rejections: Vec::new(),
        })
    }
}

/// A file's header and its data rows, each with its line.
type Parsed = (Vec<String>, Vec<(usize, Vec<Option<String>>)>);

/// `Latitude` and `latitude ` are the same column.
fn normalize_header(name: &str) -> String {
    name.trim().to_ascii_lowercase()
}

/// The widest header a file may have (distinct keys, for JSON).
pub const MAX_COLUMNS: usize = 4_096;

/// The most cells (rows × columns) a file may make: a 20,000-row schools file of 50 columns
/// is 1,000,000; a wide header with many rows would otherwise take gigabytes before the
/// header is even checked.
pub const MAX_CELLS: usize = 5_000_000;

fn too_many_cells(rows: usize, columns: usize) -> Result<(), ImportError> {
    if rows.saturating_mul(columns) > MAX_CELLS {
        return Err(ImportError::Unreadable(format!(
            "the file has more than {MAX_CELLS} cells ({rows} rows of {columns} columns); split it or leave out columns"
        )));
    }
    Ok(())
}

fn delimited(text: &str, delimiter: u8, quoting: bool) -> Result<Parsed, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(quoting)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::Unreadable(format!("the header line cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(ImportError::Unreadable(
            "the file is empty: the first line must name the columns".into(),
        ));
    }
    // No layout comes near this (the CDE schools file has about 50 columns); a wider header
    // is not a catalogue file, and indexing it would only cost memory.
    if headers.len() > MAX_COLUMNS {
        return Err(ImportError::Unreadable(format!(
            "the header has {} columns and no import kind has more than {MAX_COLUMNS}: is this the right file?",
            headers.len()
        )));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            ImportError::Unreadable(format!("line {line} cannot be read: {e}"))
        })?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            // An unquoted comma or a missing cell shifts every later column: refuse the file
            // rather than store values under the wrong names.
            return Err(ImportError::Unreadable(format!(
                "line {line} has {} fields but the header has {} (quote cells that contain the separator)",
                record.len(),
                headers.len()
            )));
        }
        too_many_cells(rows.len() + 1, headers.len())?;
        rows.push((line, record.iter().map(|c| Some(c.to_owned())).collect()));
    }
    Ok((headers, rows))
}

fn json(text: &str) -> Result<Parsed, ImportError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ImportError::Unreadable(format!("not JSON: {e}")))?;
    json_value(value)
}

fn json_value(value: serde_json::Value) -> Result<Parsed, ImportError> {
    use serde_json::Value;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut object) => match object.remove("rows") {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(ImportError::Unreadable(
                    "a JSON import is an array of objects, or an object with a \"rows\" array"
                        .into(),
                ))
            }
        },
        _ => {
            return Err(ImportError::Unreadable(
                "a JSON import is an array of objects".into(),
            ))
        }
    };
    let mut headers: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut objects = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let Value::Object(object) = item else {
            return Err(ImportError::Unreadable(format!(
                "record {} is not an object",
                i + 1
            )));
        };
        for key in object.keys() {
            if !index.contains_key(key) {
                index.insert(key.clone(), headers.len());
                headers.push(key.clone());
            }
        }
        if headers.len() > MAX_COLUMNS {
            return Err(ImportError::Unreadable(format!(
                "the records use more than {MAX_COLUMNS} different keys and no import kind has that many columns: is this the right file?"
            )));
        }
        objects.push(object);
    }
    // Every row gets a cell per key: bound rows × keys before allocating them.
    too_many_cells(objects.len(), headers.len())?;
    let rows = objects
        .into_iter()
        .enumerate()
        .map(|(i, object)| {
            // A key the object does not have stays None: "leave the stored value alone".
            let mut cells = vec![None; headers.len()];
            for (key, value) in object {
                let text = match value {
                    Value::Null => String::new(),
                    Value::String(s) => s,
                    Value::Array(items) => items
                        .iter()
                        .map(|v| match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(";"),
                    other => other.to_string(),
                };
                cells[index[&key]] = Some(text);
            }
            (i + 1, cells)
        })
        .collect();
    Ok((headers, rows))
}

/// One data row; typed getters record what is wrong and return `None`.
pub struct Row<'a> {
    table: &'a Table,
    /// The line (or JSON position) for rejections.
    pub line: usize,
    cells: &'a [Option<String>],
    rejections: Vec<Rejection>,
}

impl<'a> Row<'a> {
    /// Whether this row gives `column` at all (a column absent from the file, or a key absent
    /// from a JSON object, leaves the stored value alone; an empty cell or `null` clears it).
    pub fn has(&self, column: &str) -> bool {
        self.table
            .columns
            .get(&normalize_header(column))
            .and_then(|i| self.cells.get(*i))
            .is_some_and(Option::is_some)
    }

    /// The trimmed text of `column`, `None` when empty or absent.
    pub fn text(&self, column: &str) -> Option<String> {
        let i = *self.table.columns.get(&normalize_header(column))?;
        let value = self.cells.get(i)?.as_deref()?.trim();
        if value.is_empty()
            || self
                .table
                .empty_markers
                .iter()
                .any(|m| value.eq_ignore_ascii_case(m))
        {
            None
        } else {
            Some(value.to_owned())
        }
    }

    /// A required text; a missing one is rejected.
    pub fn required(&mut self, column: &str) -> String {
        match self.text(column) {
            Some(value) => value,
            None => {
                self.reject(column, "is required");
                String::new()
            }
        }
    }

    /// A whole number.
    pub fn int(&mut self, column: &str) -> Option<i32> {
        let raw = self.text(column)?;
        match raw.replace(',', "").parse::<i32>() {
            Ok(v) => Some(v),
            Err(_) => {
                self.reject(column, format!("'{raw}' is not a whole number"));
                None
            }
        }
    }

    /// A decimal number.
    pub fn float(&mut self, column: &str) -> Option<f64> {
        let raw = self.text(column)?;
        match raw.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                self.reject(column, format!("'{raw}' is not a number"));
                None
            }
        }
    }

    /// A yes/no value (`true`/`false`, `yes`/`no`, `y`/`n`, `1`/`0`); `default` when empty.
    pub fn flag(&mut self, column: &str, default: bool) -> bool {
        let Some(raw) = self.text(column) else {
            return default;
        };
        match raw.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => true,
            "false" | "no" | "n" | "0" => false,
            _ => {
                self.reject(
                    column,
                    format!("'{raw}' is not yes/no (true, false, yes, no, 1, 0)"),
                );
                default
            }
        }
    }

    /// A date written `YYYY-MM-DD`.
    pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let raw = self.text(column)?;
        // A date, or the date part of an ISO date-time (`2026-08-17T00:00:00Z`).
        let day = match raw.split_once(['T', ' ']) {
            Some((day, _)) => day,
            None => raw.as_str(),
        };
        match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.reject(column, format!("'{raw}' is not a date written YYYY-MM-DD"));
                None
            }
        }
    }

    /// A required date.
    pub fn required_date(&mut self, column: &str) -> Option<NaiveDate> {
        if self.text(column).is_none() {
            self.reject(column, "is required");
            return None;
        }
        self.date(column)
    }

    /// One of `allowed` (GraphQL enum names), matched ignoring case, spaces and dashes.
    pub fn choice(&mut self, column: &str, allowed: &[&'static str]) -> Option<&'static str> {
        let raw = self.text(column)?;
        self.pick(column, &raw, allowed)
    }

    /// A required choice.
    pub fn required_choice(&mut self, column: &str, allowed: &[&'static str]) -> &'static str {
        match self.text(column) {
            Some(raw) => self.pick(column, &raw, allowed).unwrap_or(""),
            None => {
                self.reject(
                    column,
                    format!("is required: one of {}", allowed.join(", ")),
                );
                ""
            }
        }
    }

    /// Several choices separated by `;` or `,`, stored comma-joined.
    pub fn choices(&mut self, column: &str, allowed: &[&'static str]) -> Vec<&'static str> {
        let Some(raw) = self.text(column) else {
            return Vec::new();
        };
        let mut picked = Vec::new();
        for part in raw
            .split([';', ','])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if let Some(choice) = self.pick(column, part, allowed) {
                if !picked.contains(&choice) {
                    picked.push(choice);
                }
            }
        }
        picked
    }

    fn pick(&mut self, column: &str, raw: &str, allowed: &[&'static str]) -> Option<&'static str> {
        let wanted = raw.trim().to_ascii_uppercase().replace([' ', '-'], "_");
        match allowed.iter().find(|a| **a == wanted) {
            Some(found) => Some(found),
            None => {
                self.reject(
                    column,
                    format!("'{raw}' is not one of {}", allowed.join(", ")),
                );
                None
            }
        }
    }

    /// Records that `column` is wrong on this row.
    pub fn reject(&mut self, column: &str, reason: impl Into<String>) {
        self.rejections.push(Rejection {
            line: self.line,
            column: Some(column.to_owned()),
            reason: reason.into(),
        });
    }

    /// What is wrong with the row so far (and clears it).
    pub fn take_rejections(&mut self) -> Vec<Rejection> {
        std::mem::take(&mut self.rejections)
    }
}

/// Property tests: any bytes and generated files (docs/fuzzing.md).
#[cfg(test)]
#[path = "table_props.rs"]
mod props;
