//! The write half shared by every import kind: given, per row, the stored
//! record (if any) and the record the row describes, reject what the write
//! path would refuse, skip what is unchanged, and create (in bulk) or update
//! the rest through [`Writer`], so imports are validated, scoped, versioned,
//! audited and in the change feed exactly like mutations.

use sea_orm::{IdenStatic, Iterable, ModelTrait};

use super::{
    report::{ImportReport, Progress, Rejection},
    ImportError,
};
use crate::{
    changes::{Record, Writer},
    error::ApiError,
};

/// What one row asks for.
pub struct Planned<E: Record> {
    /// Where the row is in the file.
    pub line: usize,
    /// The live record with the row's natural key, when there is one.
    pub existing: Option<E::Model>,
    /// The record as the row describes it (a copy of `existing` with the row's fields set).
    pub desired: E::Model,
}

/// Columns the write path sets itself; a row never changes them.
const BOOKKEEPING: &[&str] = &["id", "version", "created_at", "updated_at", "deleted_at"];

/// Whether the row would change nothing.
fn same<E: Record>(stored: &E::Model, desired: &E::Model) -> bool {
    E::Column::iter()
        .filter(|c| !BOOKKEEPING.contains(&c.as_str()))
        .all(|c| stored.get(c) == desired.get(c))
}

/// Writes the rows, counting them into `report`; returns every record the file now stands for
/// (created, updated and unchanged), for kinds that refer to them next.
pub async fn write<E: Record>(
    writer: &Writer,
    planned: Vec<Planned<E>>,
    report: &mut ImportReport,
    progress: &dyn Progress,
) -> Result<Vec<E::Model>, ImportError> {
    progress.stage(&format!("writing {}s", E::LABEL), planned.len());
    let mut result = Vec::with_capacity(planned.len());
    let mut creates = Vec::new();
    let mut updates = Vec::new();
    let deleted_at = crate::changes::write::column::<E>("deleted_at")?;
    for row in planned {
        if let Some(stored) = &row.existing {
            if !matches!(
                stored.get(deleted_at),
                sea_orm::Value::ChronoDateTimeUtc(None)
            ) {
                report.reject(Rejection {
                    line: row.line,
                    column: None,
                    reason: format!(
                        "a deleted {} has this key (deleted records keep theirs): use another code",
                        E::LABEL
                    ),
                });
                report.rejected += 1;
                continue;
            }
            if same::<E>(stored, &row.desired) {
                // Nothing to write, so nothing to authorize: an editor may re-import a whole
                // export that holds other organisations' rows unchanged.
                report.unchanged += 1;
                result.push(row.existing.unwrap_or(row.desired));
                continue;
            }
        }
        let refused = match crate::changes::validate::record::<E>(&row.desired) {
            Err(e) => Some(e),
            Ok(()) => {
                let before = match &row.existing {
                    Some(stored) => writer.check::<E>(stored).await.err(),
                    None => None,
                };
                match before {
                    Some(e) => Some(e),
                    None => writer.check::<E>(&row.desired).await.err(),
                }
            }
        };
        if let Some(err) = refused {
            report.reject(rejection(row.line, err)?);
            report.rejected += 1;
            continue;
        }
        match row.existing {
            Some(stored) => updates.push((row.line, stored, row.desired)),
            None => creates.push(row.desired),
        }
    }
    report.created += creates.len();
    // Each row was validated and scope-checked above.
    let created = writer.insert_checked::<E>(creates).await?;
    progress.advance(created.len());
    result.extend(created);
    report.updated += updates.len();
    for (line, stored, desired) in updates {
        let version = match stored.get(crate::changes::write::column::<E>("version")?) {
            sea_orm::Value::Int(Some(v)) => v,
            _ => 0,
        };
        let saved = writer
            .update::<E>(E::key(&stored), version, |m| {
                *m = desired;
                Ok(())
            })
            .await
            .map_err(|e| match rejection(line, e) {
                Ok(r) => ImportError::Row(r),
                Err(e) => e,
            })?;
        result.push(saved);
        progress.advance(1);
    }
    progress.finish();
    Ok(result)
}

/// Every row of a kind, deleted ones first, so that a map built from them holds the live
/// record of a key when there is one and the deleted one otherwise (whose key an import cannot
/// reuse: the write path rejects that row).
pub async fn stored<E: crate::changes::Record>(
    db: &impl sea_orm::ConnectionTrait,
) -> Result<Vec<E::Model>, ApiError> {
    use sea_orm::ModelTrait;
    let deleted = crate::changes::write::column::<E>("deleted_at")?;
    let mut rows = E::find().all(db).await?;
    rows.sort_by_key(|m| matches!(m.get(deleted), sea_orm::Value::ChronoDateTimeUtc(None)));
    Ok(rows)
}

/// A refusal of the write path as a rejection of the row; database failures stop the import.
pub fn rejection(line: usize, err: ApiError) -> Result<Rejection, ImportError> {
    match err {
        ApiError::BadUserInput { field, message } => Ok(Rejection {
            line,
            column: Some(column_name(&field)),
            reason: message,
        }),
        ApiError::Forbidden(reason) | ApiError::Conflict(reason) | ApiError::NotFound(reason) => {
            Ok(Rejection {
                line,
                column: None,
                reason,
            })
        }
        other => Err(ImportError::Api(other)),
    }
}

/// `input.startsOn` → `starts_on`, the import's column name.
fn column_name(field: &str) -> String {
    crate::changes::snapshot::snake_case(field.strip_prefix("input.").unwrap_or(field))
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_columns_like_the_file() {
        assert_eq!(super::column_name("input.startsOn"), "starts_on");
        assert_eq!(super::column_name("input.code"), "code");
    }
}
