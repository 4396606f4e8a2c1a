//! The one place full-text matching is written per database.

use sea_orm::{DatabaseBackend, DatabaseConnection, FromQueryResult, Value};

use crate::{
    db::statement,
    error::{ApiError, ApiResult},
};

/// The words of a search, lower-cased, letters and digits only (so no search
/// syntax of either database can be injected).
pub fn words(field: &str, raw: &str) -> ApiResult<Vec<String>> {
    let words: Vec<String> = raw
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return Err(ApiError::bad_input(field, "must contain at least one word"));
    }
    Ok(words)
}

/// The kind of course documents, for course and offering filters.
pub const COURSE_KIND: &str = super::index::COURSE;

/// The match argument for the backend: every word, each as a prefix.
fn match_argument(backend: DatabaseBackend, words: &[String]) -> String {
    match backend {
        DatabaseBackend::Postgres => words
            .iter()
            .map(|w| format!("{w}:*"))
            .collect::<Vec<_>>()
            .join(" & "),
        _ => words
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// SQL selecting the `record_id`s of one kind that match, for `id IN (...)` filters.
/// Uses `?` placeholders; one value.
pub fn matching_ids(
    backend: DatabaseBackend,
    kind: &str,
    words: &[String],
) -> (String, Vec<Value>) {
    let value = Value::String(Some(match_argument(backend, words)));
    let sql = match backend {
        DatabaseBackend::Postgres => format!(
            "SELECT d.record_id FROM search_document d WHERE d.kind = '{kind}' AND d.document @@ to_tsquery('english', ?)"
        ),
        _ => format!(
            "SELECT d.record_id FROM search_fts JOIN search_document d ON d.id = search_fts.rowid \
             WHERE search_fts MATCH ? AND d.kind = '{kind}'"
        ),
    };
    (sql, vec![value])
}

/// One ranked hit.
#[derive(FromQueryResult, Debug, Clone)]
pub struct Hit {
    pub kind: String,
    pub record_id: i32,
}

/// The best `limit` hits across kinds, best first (ties by kind and id).
/// Sample records are left out unless `include_sample`.
pub async fn ranked(
    db: &DatabaseConnection,
    words: &[String],
    include_sample: bool,
    limit: u64,
) -> ApiResult<Vec<Hit>> {
    let backend = db.get_database_backend();
    // `d.sample IN (FALSE, ?)`: the bound value adds TRUE when sample records are wanted.
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT d.kind, d.record_id FROM search_document d, to_tsquery('english', ?) q \
             WHERE d.document @@ q AND d.sample IN (FALSE, ?) \
             ORDER BY ts_rank(d.document, q) DESC, d.kind, d.record_id LIMIT ?"
        }
        _ => {
            "SELECT d.kind, d.record_id FROM search_fts JOIN search_document d ON d.id = search_fts.rowid \
             WHERE search_fts MATCH ? AND d.sample IN (0, ?) \
             ORDER BY bm25(search_fts, 10.0, 1.0), d.kind, d.record_id LIMIT ?"
        }
    };
    let values = vec![
        Value::String(Some(match_argument(backend, words))),
        Value::Bool(Some(include_sample)),
        Value::BigInt(Some(limit as i64)),
    ];
    Ok(Hit::find_by_statement(statement(backend, sql, values))
        .all(db)
        .await?)
}
