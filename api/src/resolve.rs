//! The one code-to-id resolver: how a key that a client or a file gives becomes a record,
//! for mutations ([`crate::changes::refs`]), list filters (`catalog/<area>/query.rs`, from the
//! reference snapshot or the store) and imports ([`crate::import::lookup`]). One rule:
//!
//! 1. **Codes match exactly.** A code (program, pathway, sector, term, site, course, partner,
//!    agreement, certification, funding program; a college's code or IPEDS id; a CDS code)
//!    names the live record whose code is the same text once surrounding spaces are trimmed.
//!    Case counts: codes are identifiers, not words.
//! 2. **Names and older names only where a person types them**: the pathway columns of an
//!    import file take a pathway's code, name or an older name (alias), ignoring case and
//!    punctuation (`&` = `and`); an unknown one is refused with the three closest names.
//! 3. **No guess.** A key that names nothing is refused where it was given (a mutation:
//!    `BAD_USER_INPUT` naming the field; an import row: a rejection naming the column), except
//!    in a list filter, where it matches nothing (an empty list). Deleted records never match.
//!
//! It sits below the areas, the write path and the files (it names only entities and
//! [`crate::error`]), so each of them can use it without a cycle.

use std::{collections::HashMap, str::FromStr};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter, Value};

use crate::error::{ApiError, ApiResult};

/// A code as given, as it is compared: surrounding spaces trimmed, nothing else changed.
pub fn code(given: &str) -> &str {
    given.trim()
}

/// Whether a stored code is the one given (rule 1).
pub fn same_code(stored: &str, given: &str) -> bool {
    stored == code(given)
}

/// Names people write in different ways ("Health Science & Medical Technology",
/// "health science and medical technology") compare equal (rule 2).
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
        .replace('&', " and ")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The three valid names most like `name`: the suggestions of an unknown name.
pub fn closest(name: &str, valid: &[String]) -> Vec<String> {
    let wanted = name_key(name);
    let mut scored: Vec<(f64, &String)> = valid
        .iter()
        .map(|v| (strsim::jaro_winkler(&wanted, &name_key(v)), v))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, v)| v.clone()).collect()
}

/// A column of `E` by its database name.
fn column<E: EntityTrait>(name: &str) -> ApiResult<E::Column> {
    <E::Column as FromStr>::from_str(name).map_err(|_| {
        ApiError::Internal(format!(
            "{} has no column {name}",
            E::default().table_name()
        ))
    })
}

/// The live record of `E` whose `code` is the one given.
pub async fn by_code<E: EntityTrait>(
    db: &impl ConnectionTrait,
    given: &str,
) -> ApiResult<Option<E::Model>> {
    by_key::<E>(db, "code", given, None).await
}

/// The live record of `E` whose `code` is the one given, among the children of one parent
/// (a program's terms, sites and courses: `parent_column` = `program_id`).
pub async fn by_code_within<E: EntityTrait>(
    db: &impl ConnectionTrait,
    parent_column: &str,
    parent: i32,
    given: &str,
) -> ApiResult<Option<E::Model>> {
    by_key::<E>(db, "code", given, Some((parent_column, parent))).await
}

/// The live record of `E` whose `key_column` (a code column: `code`, `cds_code`,
/// `ipeds_id`) is the one given.
pub async fn by_key<E: EntityTrait>(
    db: &impl ConnectionTrait,
    key_column: &str,
    given: &str,
    within: Option<(&str, i32)>,
) -> ApiResult<Option<E::Model>> {
    let mut select = E::find().filter(column::<E>(key_column)?.eq(code(given)));
    if let Ok(deleted_at) = column::<E>("deleted_at") {
        select = select.filter(deleted_at.is_null());
    }
    if let Some((parent_column, parent)) = within {
        select = select.filter(column::<E>(parent_column)?.eq(parent));
    }
    Ok(select.one(db).await?)
}

/// Ids of every live record of `E` by its `key_column` (read once per file: per-row lookups
/// would make a large file slow), with the parent id when `parent_column` is given.
pub async fn all_keys<E: EntityTrait>(
    db: &impl ConnectionTrait,
    key_column: &str,
    parent_column: Option<&str>,
) -> ApiResult<Vec<(Option<i32>, String, i32)>> {
    let (id, key) = (column::<E>("id")?, column::<E>(key_column)?);
    let parent = parent_column.map(column::<E>).transpose()?;
    let mut select = E::find();
    if let Ok(deleted_at) = column::<E>("deleted_at") {
        select = select.filter(deleted_at.is_null());
    }
    Ok(select
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| {
            let parent = match parent.map(|p| m.get(p)) {
                Some(Value::Int(Some(p))) => Some(p),
                Some(_) => return None,
                None => None,
            };
            match (m.get(id), m.get(key)) {
                (Value::Int(Some(id)), Value::String(Some(key))) => Some((parent, key, id)),
                _ => None,
            }
        })
        .collect())
}

/// Codes to ids, read once (rule 1 in memory).
#[derive(Default, Debug)]
pub struct Codes(HashMap<String, i32>);

impl Codes {
    /// Every live record of `E` by `key_column`.
    pub async fn load<E: EntityTrait>(
        db: &impl ConnectionTrait,
        key_column: &str,
    ) -> ApiResult<Self> {
        let mut codes = Codes::default();
        for (_, key, id) in all_keys::<E>(db, key_column, None).await? {
            codes.insert(&key, id);
        }
        Ok(codes)
    }

    /// Adds a code (a record created since loading).
    pub fn insert(&mut self, code: &str, id: i32) {
        self.0.insert(code.to_owned(), id);
    }

    /// The id of the record with the code given.
    pub fn get(&self, given: &str) -> Option<i32> {
        self.0.get(code(given)).copied()
    }

    /// Every code, sorted (a refusal lists them when they are few).
    pub fn known(&self) -> Vec<&str> {
        let mut known: Vec<&str> = self.0.keys().map(String::as_str).collect();
        known.sort_unstable();
        known
    }
}

/// Codes, names and older names to ids, for where a person types a name (rule 2).
#[derive(Default, Debug)]
pub struct Names {
    ids: HashMap<String, i32>,
    names: Vec<String>,
}

impl Names {
    /// Adds a record by its code, its name and each of its older names.
    pub fn insert<'a>(
        &mut self,
        code: &str,
        name: &str,
        aliases: impl IntoIterator<Item = &'a str>,
        id: i32,
    ) {
        self.ids.insert(name_key(code), id);
        self.ids.insert(name_key(name), id);
        for alias in aliases.into_iter().filter(|a| !a.trim().is_empty()) {
            self.ids.insert(name_key(alias), id);
        }
        self.names.push(name.to_owned());
    }

    /// The id of the record with this code, name or older name; else the closest names.
    pub fn find(&self, given: &str) -> Result<i32, Vec<String>> {
        self.ids
            .get(&name_key(given))
            .copied()
            .ok_or_else(|| closest(given, &self.names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_exactly_once_trimmed() {
        let mut codes = Codes::default();
        codes.insert("SOCAL_ROC", 1);
        let rows = [
            ("SOCAL_ROC", Some(1)),
            ("  SOCAL_ROC ", Some(1)),
            ("socal_roc", None),
            ("SOCAL ROC", None),
            ("SOCAL_RO", None),
        ];
        for (given, expected) in rows {
            assert_eq!(codes.get(given), expected, "{given:?}");
            assert_eq!(
                same_code("SOCAL_ROC", given),
                expected.is_some(),
                "{given:?}"
            );
        }
    }

    #[test]
    fn names_match_ignoring_case_and_punctuation_with_suggestions() {
        let mut names = Names::default();
        names.insert(
            "SOFTWARE_AND_SYSTEMS_DEVELOPMENT",
            "Software and Systems Development",
            ["Programming"],
            7,
        );
        names.insert("WELDING", "Welding", [], 8);
        let rows = [
            ("SOFTWARE_AND_SYSTEMS_DEVELOPMENT", Ok(7)),
            ("software & systems development", Ok(7)),
            ("Software and Systems Development", Ok(7)),
            ("programming", Ok(7)),
            ("welding", Ok(8)),
        ];
        for (given, expected) in rows {
            assert_eq!(names.find(given), expected, "{given:?}");
        }
        let suggestions = names.find("Software & System Developmnt").unwrap_err();
        assert_eq!(suggestions[0], "Software and Systems Development");
    }
}
