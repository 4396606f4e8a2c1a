//! Fields every catalogue record carries: where the fact came from, how fresh
//! it is, and its version for optimistic concurrency.

use async_graphql::{Context, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use crate::graphql::scalars::Date;

/// Record metadata, flattened into every record type.
#[derive(SimpleObject, Clone, Debug)]
pub struct Provenance {
    /// When this record was created in CTE Hub.
    pub created_at: DateTime<Utc>,
    /// When this record last changed in CTE Hub.
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version; updates must name it.
    pub version: i32,
    /// Where the facts of this record come from ("Sample data: ..." marks illustrative details).
    pub source: Option<String>,
    /// When the source was published or read (null only for sample and user-entered records).
    pub source_updated_at: Option<Date>,
    /// True for an illustrative record (the sample catalogue): not a real course, section,
    /// agreement or employer. Lists and `search` leave them out with `includeSample: false`.
    pub sample: bool,
}

impl Provenance {
    /// From the common record columns.
    pub fn new(
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
        version: i32,
        source: Option<String>,
        source_updated_at: Option<NaiveDate>,
        sample: bool,
    ) -> Self {
        Provenance {
            created_at,
            updated_at,
            version,
            source,
            source_updated_at: source_updated_at.map(Date),
            sample,
        }
    }
}

/// Builds a [`Provenance`] from any entity row with the common columns, moving the row's
/// `source` (often a few hundred bytes) instead of copying it: no resolver reads it from the
/// row again.
#[macro_export]
macro_rules! provenance {
    ($row:expr) => {
        $crate::graphql::provenance::Provenance::new(
            $row.created_at,
            $row.updated_at,
            $row.version,
            std::mem::take(&mut $row.source),
            $row.source_updated_at,
            $row.sample,
        )
    };
}

/// Whether this server runs with the sample catalogue (`--seed-sample`): the default of every
/// `includeSample` argument.
#[derive(Clone, Copy, Debug, Default)]
pub struct SampleDefault(pub bool);

/// Whether a list or search includes sample records: the argument, else the server's default.
pub fn include_sample(ctx: &Context<'_>, asked: Option<bool>) -> bool {
    asked.unwrap_or_else(|| {
        ctx.data_opt::<SampleDefault>()
            .copied()
            .unwrap_or_default()
            .0
    })
}

/// Whether a nested list leaves sample records out: `includeSample: false`, or no argument
/// on a server without sample data.
pub fn real_only(ctx: &Context<'_>, asked: Option<bool>) -> bool {
    !include_sample(ctx, asked)
}
