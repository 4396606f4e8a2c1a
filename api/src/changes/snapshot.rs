//! A record's stored fields as JSON, the same shape in the audit trail, the
//! change feed and the replay test: camelCase column names, every column but
//! the soft-delete marker.
//!
//! Timestamps are RFC 3339 in UTC (`2026-12-01T00:53:43.932293123Z`) with as many fraction
//! digits as the database stored (none, 3, 6 or 9: microseconds on PostgreSQL, nanoseconds on
//! SQLite), dates `YYYY-MM-DD`: a copy parses them back to the exact stored instant.

use chrono::SecondsFormat;
use sea_orm::{
    sea_query::sea_value_to_json_value, EntityTrait, IdenStatic, Iterable, ModelTrait,
    Value as SeaValue,
};
use serde_json::{Map, Value};

/// The fields of `model`.
pub fn of<E: EntityTrait>(model: &E::Model) -> Map<String, Value> {
    let mut fields = Map::new();
    for column in E::Column::iter() {
        let name = column.as_str();
        if name == "deleted_at" {
            continue;
        }
        fields.insert(camel_case(name), json(&model.get(column)));
    }
    fields
}

/// One stored value as the feed writes it: dates and times in ISO 8601 / RFC 3339 at full
/// stored precision (the SQL literal form sea-query would give quotes and cuts to microseconds).
pub fn json(value: &SeaValue) -> Value {
    match value {
        SeaValue::ChronoDateTimeUtc(Some(t)) => {
            Value::String(t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        }
        SeaValue::ChronoDateTimeWithTimeZone(Some(t)) => Value::String(
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        ),
        SeaValue::ChronoDateTime(Some(t)) => {
            Value::String(t.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true))
        }
        SeaValue::ChronoDate(Some(d)) => Value::String(d.format("%Y-%m-%d").to_string()),
        SeaValue::ChronoTime(Some(t)) => Value::String(t.format("%H:%M:%S%.f").to_string()),
        SeaValue::ChronoDateTimeUtc(None)
        | SeaValue::ChronoDateTimeWithTimeZone(None)
        | SeaValue::ChronoDateTime(None)
        | SeaValue::ChronoDate(None)
        | SeaValue::ChronoTime(None) => Value::Null,
        other => sea_value_to_json_value(other),
    }
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

    #[test]
    fn timestamps_are_rfc3339_at_stored_precision() {
        use chrono::{NaiveDate, TimeZone, Utc};
        let nanos = Utc
            .with_ymd_and_hms(2026, 12, 1, 0, 53, 43)
            .single()
            .map(|t| t + chrono::Duration::nanoseconds(932_293_123));
        assert_eq!(
            json(&SeaValue::ChronoDateTimeUtc(nanos)),
            "2026-12-01T00:53:43.932293123Z"
        );
        let micros = nanos.map(|t| t - chrono::Duration::nanoseconds(123));
        assert_eq!(
            json(&SeaValue::ChronoDateTimeUtc(micros)),
            "2026-12-01T00:53:43.932293Z"
        );
        let day = NaiveDate::from_ymd_opt(2027, 1, 4);
        assert_eq!(json(&SeaValue::ChronoDate(day)), "2027-01-04");
        assert_eq!(json(&SeaValue::ChronoDate(None)), Value::Null);
    }
}
