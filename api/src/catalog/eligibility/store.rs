//! Fetches the facts a decision needs: who the student is (district, school)
//! and, for the programs asked about, memberships, funding options and sections.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    course, course_offering, district, funding_option, jpa_membership, regional_program, school,
    term,
};
use sea_orm::{
    sea_query::Query, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::{
    catalog::districts::store as districts,
    codes::LeaCode,
    error::{ApiError, ApiResult},
};

/// Most sections returned per program in one eligibility answer.
pub const MAX_OFFERINGS: u64 = 100;

/// Resolves "district X" or "school Y" (exactly one) to the student's district.
pub async fn student_district(
    db: &DatabaseConnection,
    district_cds: Option<&str>,
    school_cds: Option<&str>,
    field_prefix: &str,
) -> ApiResult<(district::Model, Option<school::Model>)> {
    district_or_school(
        db,
        district_cds,
        school_cds,
        &format!("{field_prefix}districtCdsCode"),
        &format!("{field_prefix}schoolCdsCode"),
    )
    .await
}

/// [`student_district`] with the arguments' own names (e.g. `forDistrict`, `forSchool`).
pub async fn district_or_school(
    db: &DatabaseConnection,
    district_cds: Option<&str>,
    school_cds: Option<&str>,
    district_field: &str,
    school_field: &str,
) -> ApiResult<(district::Model, Option<school::Model>)> {
    match (district_cds, school_cds) {
        (Some(_), Some(_)) | (None, None) => Err(ApiError::bad_input(
            district_field,
            format!(
                "give exactly one of {} or {}",
                last_part(district_field),
                last_part(school_field)
            ),
        )),
        (Some(raw), None) => {
            let cds = LeaCode::parse_district(district_field, raw)?;
            let district = districts::district_by_code(db, &cds)
                .await?
                .ok_or_else(|| ApiError::NotFound(format!("no district has {}", cds.describe())))?;
            Ok((district, None))
        }
        (None, Some(raw)) => {
            let cds = LeaCode::parse_school(school_field, raw)?;
            let school = districts::school_by_code(db, &cds)
                .await?
                .ok_or_else(|| ApiError::NotFound(format!("no school has {}", cds.describe())))?;
            let district = district::Entity::find_by_id(school.district_id)
                .one(db)
                .await?
                .ok_or_else(|| {
                    ApiError::Internal(format!("school {} has no district", school.id))
                })?;
            Ok((district, Some(school)))
        }
    }
}

/// `input.districtCdsCode` → `districtCdsCode`: the argument's own name, for messages.
fn last_part(field: &str) -> &str {
    field.rsplit('.').next().unwrap_or(field)
}

/// Everything about the programs a district's student may ask about.
pub struct ProgramWorld {
    pub programs: Vec<regional_program::Model>,
    pub memberships: Vec<jpa_membership::Model>,
    pub funding: HashMap<i32, Vec<funding_option::Model>>,
}

/// Loads open programs (or just `program_code`), the district's memberships and funding options.
pub async fn program_world(
    db: &DatabaseConnection,
    district_id: i32,
    program_code: Option<&str>,
) -> ApiResult<ProgramWorld> {
    let mut select = regional_program::Entity::find()
        .filter(regional_program::Column::DeletedAt.is_null())
        .order_by_asc(regional_program::Column::Name)
        .order_by_asc(regional_program::Column::Id);
    if let Some(code) = program_code {
        select = select.filter(regional_program::Column::Code.eq(code));
    }
    let programs = select.all(db).await?;
    if let (Some(code), true) = (program_code, programs.is_empty()) {
        return Err(ApiError::NotFound(format!("no ROC/P has code {code}")));
    }
    let ids: Vec<i32> = programs.iter().map(|p| p.id).collect();
    let memberships = jpa_membership::Entity::find()
        .filter(jpa_membership::Column::DistrictId.eq(district_id))
        .filter(jpa_membership::Column::ProgramId.is_in(ids.clone()))
        .filter(jpa_membership::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    let mut funding: HashMap<i32, Vec<funding_option::Model>> = HashMap::new();
    for option in funding_option::Entity::find()
        .filter(funding_option::Column::ProgramId.is_in(ids))
        .filter(funding_option::Column::DeletedAt.is_null())
        .order_by_asc(funding_option::Column::Name)
        .all(db)
        .await?
    {
        funding.entry(option.program_id).or_default().push(option);
    }
    Ok(ProgramWorld {
        programs,
        memberships,
        funding,
    })
}

/// A program's sections in terms not yet over on `on`, with their courses and terms.
pub async fn current_offerings(
    db: &DatabaseConnection,
    program_id: i32,
    on: NaiveDate,
    real_only: bool,
) -> ApiResult<Vec<(course_offering::Model, course::Model, term::Model)>> {
    let mut offerings =
        course_offering::Entity::find().filter(course_offering::Column::DeletedAt.is_null());
    if real_only {
        offerings = offerings.filter(course_offering::Column::Sample.eq(false));
    }
    let offerings = offerings
        .filter(
            course_offering::Column::CourseId.in_subquery(
                Query::select()
                    .column(course::Column::Id)
                    .from(course::Entity)
                    .and_where(course::Column::ProgramId.eq(program_id))
                    .and_where(course::Column::DeletedAt.is_null())
                    .to_owned(),
            ),
        )
        .filter(
            course_offering::Column::TermId.in_subquery(
                Query::select()
                    .column(term::Column::Id)
                    .from(term::Entity)
                    .and_where(term::Column::EndsOn.gte(on))
                    .and_where(term::Column::DeletedAt.is_null())
                    .to_owned(),
            ),
        )
        .order_by_asc(course_offering::Column::Id)
        .limit(MAX_OFFERINGS)
        .all(db)
        .await?;
    let course_ids: Vec<i32> = offerings.iter().map(|o| o.course_id).collect();
    let term_ids: Vec<i32> = offerings.iter().map(|o| o.term_id).collect();
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let terms: HashMap<i32, term::Model> = term::Entity::find()
        .filter(term::Column::Id.is_in(term_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    Ok(offerings
        .into_iter()
        .filter_map(|o| {
            let c = courses.get(&o.course_id)?.clone();
            let t = terms.get(&o.term_id)?.clone();
            Some((o, c, t))
        })
        .collect())
}

/// The live pathways district `district_id` runs itself and their schools: two statements.
/// At most 100, the student's school's first, then district-wide ones, then the district's
/// other schools, each by name.
pub async fn district_pathways(
    db: &DatabaseConnection,
    district_id: i32,
    student_school: Option<i32>,
) -> ApiResult<(
    Vec<entity::school_pathway::Model>,
    HashMap<i32, school::Model>,
)> {
    use entity::school_pathway;
    let mut rows = school_pathway::Entity::find()
        .filter(school_pathway::Column::DistrictId.eq(district_id))
        .filter(school_pathway::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    let rank = |p: &school_pathway::Model| match p.school_id {
        Some(id) if Some(id) == student_school => 0,
        None => 1,
        Some(_) => 2,
    };
    rows.sort_by(|a, b| (rank(a), &a.local_name, a.id).cmp(&(rank(b), &b.local_name, b.id)));
    rows.truncate(100);
    let schools = school::Entity::find()
        .filter(school::Column::Id.is_in(rows.iter().filter_map(|p| p.school_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    Ok((rows, schools))
}
