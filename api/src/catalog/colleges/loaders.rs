//! Batch loaders of the colleges area.

use crate::relation;
use entity::{articulation, college, dual_enrollment_agreement};

use crate::{
    graphql::{
        nested,
        nested::{ById, Relation},
        Loaders,
    },
    paging::{CursorKey, SortValue},
};

relation!(
    /// College credit a college gives, in id order.
    ArticulationsOfCollege: articulation by college_id, sorted by id as int
);
relation!(
    /// College credit a course earns, in id order.
    ArticulationsOfCourse: articulation by course_id, sorted by id as int
);
relation!(
    /// A college's agreements, in id order.
    AgreementsOfCollege: dual_enrollment_agreement by college_id, sorted by id as int
);

/// An articulation seen from the pathway of its course.
#[derive(Clone, Debug)]
pub struct ArticulationInPathway {
    pub pathway_key: i32,
    pub articulation: articulation::Model,
}

impl sea_orm::FromQueryResult for ArticulationInPathway {
    fn from_query_result(res: &sea_orm::QueryResult, pre: &str) -> Result<Self, sea_orm::DbErr> {
        Ok(ArticulationInPathway {
            pathway_key: res.try_get(pre, "pathway_key")?,
            articulation: articulation::Model::from_query_result(res, pre)?,
        })
    }
}

/// College credit reachable through a pathway's courses, in id order.
pub struct ArticulationsOfPathway;
impl Relation for ArticulationsOfPathway {
    type Model = ArticulationInPathway;
    const TABLE: &'static str = "(SELECT a.*, c.pathway_id AS pathway_key, \
         (a.sample OR c.sample) AS listed_sample FROM articulation a \
         JOIN course c ON c.id = a.course_id WHERE c.deleted_at IS NULL)";
    /// Credit through a sample course is sample too.
    const SAMPLE_COLUMN: &'static str = "listed_sample";
    const PARENT_COLUMN: &'static str = "pathway_key";
    const SORT_COLUMN: &'static str = "id";
    fn parent(row: &Self::Model) -> i32 {
        row.pathway_key
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Int(row.articulation.id.into()),
            id: row.articulation.id,
        }
    }
}

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let db = &loaders.db;
    let request = request
        .data(loaders.reference_by_id::<college::Entity>())
        .data(loaders.batch(ById::<dual_enrollment_agreement::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<articulation::Entity>::new(db.clone())))
        .data(loaders.batch(super::credit::ScopedCredit(db.clone())));
    let request = nested::register::<ArticulationsOfCollege>(request, loaders);
    let request = nested::register::<ArticulationsOfCourse>(request, loaders);
    let request = nested::register::<ArticulationsOfPathway>(request, loaders);
    nested::register::<AgreementsOfCollege>(request, loaders)
}

/// The student of a `forDistrict`/`forSchool`/`onDate` argument set, or None when none was
/// given (then the list is every articulation recorded). The district is looked up through
/// the request's loaders, so a list of parents asking for the same student costs one statement.
pub async fn student_scope(
    ctx: &async_graphql::Context<'_>,
    for_district: Option<String>,
    for_school: Option<String>,
    on_date: Option<chrono::NaiveDate>,
) -> async_graphql::Result<Option<super::credit::CreditFor>> {
    use crate::{
        catalog::offerings::loaders::{DistrictByCode, SchoolByCode},
        codes::LeaCode,
        error::{from_load, ApiError},
    };
    if for_district.is_none() && for_school.is_none() && on_date.is_none() {
        return Ok(None);
    }
    let district_id = match (for_district, for_school) {
        (None, None) => None,
        (Some(raw), None) => {
            let cds = LeaCode::parse_district("forDistrict", &raw)?;
            let district = ctx
                .data_unchecked::<crate::batch::DataLoader<DistrictByCode>>()
                .load_one(cds.as_str().to_owned())
                .await
                .map_err(from_load)?
                .ok_or_else(|| ApiError::NotFound(format!("no district has {}", cds.describe())))?;
            Some(district.id)
        }
        (None, Some(raw)) => {
            let cds = LeaCode::parse_school("forSchool", &raw)?;
            let school = ctx
                .data_unchecked::<crate::batch::DataLoader<SchoolByCode>>()
                .load_one(cds.as_str().to_owned())
                .await
                .map_err(from_load)?
                .ok_or_else(|| ApiError::NotFound(format!("no school has {}", cds.describe())))?;
            Some(school.district_id)
        }
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_input(
                "forDistrict",
                "give exactly one of forDistrict or forSchool",
            )
            .into())
        }
    };
    Ok(Some(super::credit::CreditFor {
        district_id,
        on: on_date.unwrap_or_else(|| chrono::Utc::now().date_naive()),
    }))
}
