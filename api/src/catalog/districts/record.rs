//! What the write path needs to know about districts and schools, which only
//! the CDE public schools import changes: a district owns itself and its
//! schools (an editor whose `org` is a district's CDS code may import that
//! district's rows), everything else is for admins.

use entity::{district, school};
use sea_orm::ConnectionTrait;

use crate::{
    changes::{refs, validate, Record},
    codes::{is_short_code, CdsCode},
    error::{ApiError, ApiResult},
    ids::NodeType,
};

/// The statuses the CDE file gives a district or school, as stored.
pub const STATUSES: &[&str] = &["ACTIVE", "CLOSED", "MERGED", "PENDING"];

fn status(value: &str) -> ApiResult<()> {
    if STATUSES.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::bad_input(
            "input.status",
            format!("'{value}' is not one of {}", STATUSES.join(", ")),
        ))
    }
}

/// A district's or school's keys: with a CDS code, its `code` is that CDS code (so every
/// reference by CDS code finds it); without one, a short code that is not digits.
fn keys(
    prefix: &str,
    code: &str,
    cds: Option<&str>,
    parse: fn(&str, &str) -> ApiResult<CdsCode>,
) -> ApiResult<()> {
    match cds {
        Some(cds) => {
            parse(&format!("{prefix}.cdsCode"), cds)?;
            if code != cds {
                return Err(ApiError::bad_input(
                    format!("{prefix}.code"),
                    format!("'{code}' must be the CDS code '{cds}' when one is given"),
                ));
            }
            Ok(())
        }
        None if is_short_code(code) => Ok(()),
        None => Err(ApiError::bad_input(
            format!("{prefix}.code"),
            format!("'{code}' is not a short code (a capital letter, then 1 to 39 capital letters, digits or _)"),
        )),
    }
}

impl Record for district::Entity {
    const NODE: NodeType = NodeType::District;
    const LABEL: &'static str = "district";
    const DEPENDENTS: &'static [(&'static str, &'static str)] = &[
        ("school", "district_id"),
        ("jpa_membership", "district_id"),
        ("educator_partnership", "district_id"),
        ("teaching_opening", "district_id"),
    ];

    async fn owners<C: ConnectionTrait>(_db: &C, m: &district::Model) -> ApiResult<Vec<String>> {
        Ok(vec![m.code.clone()])
    }

    fn validate(m: &district::Model) -> ApiResult<()> {
        keys(
            "input",
            &m.code,
            m.cds_code.as_deref(),
            CdsCode::parse_district,
        )?;
        validate::text("name", &m.name, 200)?;
        validate::optional_text("county", m.county.as_deref(), 100)?;
        validate::url("website", m.website.as_deref())?;
        status(&m.status)
    }

    fn key(m: &district::Model) -> i32 {
        m.id
    }
}

impl Record for school::Entity {
    const NODE: NodeType = NodeType::School;
    const LABEL: &'static str = "school";
    const DEPENDENTS: &'static [(&'static str, &'static str)] =
        &[("teaching_opening", "school_id"), ("contact", "school_id")];

    async fn owners<C: ConnectionTrait>(db: &C, m: &school::Model) -> ApiResult<Vec<String>> {
        Ok(vec![refs::district_owner(db, m.district_id).await?])
    }

    fn validate(m: &school::Model) -> ApiResult<()> {
        keys(
            "input",
            &m.code,
            m.cds_code.as_deref(),
            CdsCode::parse_school,
        )?;
        validate::text("name", &m.name, 200)?;
        validate::optional_text("city", m.city.as_deref(), 100)?;
        validate::coordinates(m.lat, m.lng)?;
        if let (Some(low), Some(high)) = (m.grade_low, m.grade_high) {
            if low > high {
                return Err(ApiError::bad_input(
                    "input.gradeHigh",
                    format!("gradeHigh ({high}) is below gradeLow ({low})"),
                ));
            }
        }
        status(&m.status)
    }

    fn key(m: &school::Model) -> i32 {
        m.id
    }
}
