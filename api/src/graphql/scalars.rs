//! Scalars with the names our clients expect (`Date` rather than chrono's `NaiveDate`).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar date in ISO 8601 form, `YYYY-MM-DD` (e.g. `2026-11-23`).
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => {
                let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                    InputValueError::custom(format!("'{s}' is not a date (YYYY-MM-DD)"))
                })?;
                // The years stored dates may have: far dates are typos, and PostgreSQL
                // refuses some of them with an internal error.
                let years = crate::changes::validate::DATE_YEARS;
                if !years.contains(&chrono::Datelike::year(&date)) {
                    return Err(InputValueError::custom(format!(
                        "'{s}' is not a plausible date: the year must be from {} to {}",
                        years.start(),
                        years.end()
                    )));
                }
                Ok(Date(date))
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// Splits a stored `;`- or `,`-separated list.
pub fn stored_list(stored: &str) -> Vec<String> {
    stored
        .split([';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
