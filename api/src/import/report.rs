//! What an import tells the person who ran it: counts, every rejected row with
//! its line, column and reason, and progress while it runs.

use std::{fmt, io::IsTerminal};

use serde::Serialize;

/// One row (or the header) that could not be imported.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    /// The file's line (1 = the header) for CSV and tab-separated files; the record's
    /// position (1 = first) in a JSON array.
    pub line: usize,
    /// The column (CSV header or JSON key) at fault, when one is.
    pub column: Option<String>,
    /// What is wrong, in words a spreadsheet owner can act on.
    pub reason: String,
}

/// The outcome of one import file. Counts are what the file does (or would do, in a dry run
/// or when a rejection stopped it): `written` says whether anything was kept.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// The import kind (`pubschls`, `courses`, ...).
    pub kind: String,
    /// Everything was checked and rolled back.
    pub dry_run: bool,
    /// Valid rows were to be written even if others were rejected.
    pub partial: bool,
    /// Whether the changes were committed.
    pub written: bool,
    /// Data rows in the file (the header not counted).
    pub rows_read: usize,
    /// Records the file adds.
    pub created: usize,
    /// Records whose fields the file changes (each gets a new version).
    pub updated: usize,
    /// Rows that match what is stored: nothing written for them.
    pub unchanged: usize,
    /// Rows refused (a row with several problems counts once).
    pub rejected: usize,
    /// The problems found, by line: the first [`MAX_LISTED_REJECTIONS`] of them.
    pub rejections: Vec<Rejection>,
    /// Problems found but not listed, past [`MAX_LISTED_REJECTIONS`] (a file with a million
    /// bad cells must not become a report of a million lines).
    pub rejections_omitted: usize,
    /// One sentence for people.
    pub summary: String,
}

/// The most problems one report lists; the rest are counted in `rejectionsOmitted`.
pub const MAX_LISTED_REJECTIONS: usize = 1_000;

impl ImportReport {
    /// Records a problem: listed while there is room, counted after that.
    pub fn reject(&mut self, rejection: Rejection) {
        if self.rejections.len() < MAX_LISTED_REJECTIONS {
            self.rejections.push(rejection);
        } else {
            self.rejections_omitted += 1;
        }
    }

    /// Records every problem of `rejections` (see [`ImportReport::reject`]).
    pub fn reject_all(&mut self, rejections: impl IntoIterator<Item = Rejection>) {
        for rejection in rejections {
            self.reject(rejection);
        }
    }

    /// Writes the summary sentence from the counts; called once the import has decided.
    pub(super) fn conclude(&mut self) {
        let rows = self.rows_read;
        let counts = format!(
            "{rows} row(s) read: {} created, {} updated, {} unchanged, {} rejected",
            self.created, self.updated, self.unchanged, self.rejected
        );
        self.summary = if self.dry_run {
            format!("dry run, nothing written; {counts}")
        } else if self.rejected == 0 && self.has_rejections() {
            format!("nothing written because the header was refused; {counts}")
        } else if self.rejected > 0 && !self.partial {
            format!(
                "nothing written because {} row(s) were rejected (use --partial to write the valid rows); {counts}",
                self.rejected
            )
        } else if self.created + self.updated == 0 {
            format!("nothing to change, the catalogue already matches the file; {counts}")
        } else {
            counts
        };
    }

    /// Whether the exit code should say something went wrong: a rejected row, or a refused
    /// header (which rejects the file even when it has no rows).
    pub fn has_rejections(&self) -> bool {
        self.rejected > 0 || !self.rejections.is_empty() || self.rejections_omitted > 0
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.kind, self.summary)?;
        for r in &self.rejections {
            match &r.column {
                Some(column) => writeln!(f, "  line {}, column {column}: {}", r.line, r.reason)?,
                None => writeln!(f, "  line {}: {}", r.line, r.reason)?,
            }
        }
        Ok(())
    }
}

/// Where an import reports how far it got: a bar on a terminal, plain lines in logs and CI,
/// nothing over HTTP.
pub trait Progress: Send + Sync {
    /// A new stage of `total` steps begins.
    fn stage(&self, name: &str, total: usize);
    /// `n` more steps of the current stage are done.
    fn advance(&self, n: usize);
    /// The current stage is over.
    fn finish(&self);
}

/// No progress output (HTTP imports, tests).
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &str, _: usize) {}
    fn advance(&self, _: usize) {}
    fn finish(&self) {}
}

/// Progress on standard error: an indicatif bar when it is a terminal, one line per stage
/// otherwise.
pub struct Console {
    bar: std::sync::Mutex<Option<indicatif::ProgressBar>>,
    terminal: bool,
}

impl Console {
    /// Chooses the bar or plain lines from whether stderr is a terminal.
    pub fn new() -> Self {
        Console {
            bar: std::sync::Mutex::new(None),
            terminal: std::io::stderr().is_terminal(),
        }
    }
}

impl Default for Console {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for Console {
    fn stage(&self, name: &str, total: usize) {
        if !self.terminal {
            eprintln!("{name}: {total} row(s)");
            return;
        }
        let bar = indicatif::ProgressBar::new(total as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len} {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(name.to_owned());
        if let Ok(mut slot) = self.bar.lock() {
            *slot = Some(bar);
        }
    }

    fn advance(&self, n: usize) {
        if let Ok(slot) = self.bar.lock() {
            if let Some(bar) = slot.as_ref() {
                bar.inc(n as u64);
            }
        }
    }

    fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock() {
            if let Some(bar) = slot.take() {
                bar.finish();
            }
        }
    }
}
