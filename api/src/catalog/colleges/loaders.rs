//! Batch loaders of the colleges area.

use crate::relation;
use entity::{articulation, college, dual_enrollment_agreement};

use crate::graphql::{
    nested::{self, ById, Relation},
    relay::{CursorKey, SortValue},
    Loaders,
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
