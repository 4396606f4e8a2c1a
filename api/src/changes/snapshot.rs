//! A record's stored fields as JSON, the same shape in the audit trail, the
//! change feed and the replay test: camelCase column names, every column but
//! the soft-delete marker.

use sea_orm::{sea_query::sea_value_to_json_value, EntityTrait, IdenStatic, Iterable, ModelTrait};
use serde_json::{Map, Value};

/// The fields of `model`.
pub fn of<E: EntityTrait>(model: &E::Model) -> Map<String, Value> {
    let mut fields = Map::new();
    for column in E::Column::iter() {
        let name = column.as_str();
        if name == "deleted_at" {
            continue;
        }
        fields.insert(
            camel_case(name),
            sea_value_to_json_value(&model.get(column)),
        );
    }
    fields
}

/// The fields whose value differs between two snapshots, with their old values.
pub fn changed_before(
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> Map<String, Value> {
    before
        .iter()
        .filter(|(key, value)| {
            !matches!(key.as_str(), "version" | "updatedAt") && after.get(*key) != Some(value)
        })
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

/// `program_id` → `programId`.
pub fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for ch in name.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.push(ch.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// `programId` → `program_id` (the inverse of [`camel_case`]).
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for ch in name.chars() {
        if ch.is_ascii_uppercase() {
            out.push('_');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_cases_columns() {
        assert_eq!(camel_case("program_id"), "programId");
        assert_eq!(camel_case("ag_area"), "agArea");
        assert_eq!(camel_case("id"), "id");
        assert_eq!(snake_case("startsOn"), "starts_on");
    }
}
