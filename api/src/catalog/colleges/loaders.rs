//! Batch loaders of the colleges area.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use entity::{articulation, college, course, dual_enrollment_agreement};
use sea_orm::{
    sea_query::Query, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use crate::{
    error::LoadError,
    graphql::{
        nested::{self, ById, Relation},
        relay::{CursorKey, SortValue},
        Loaders,
    },
};

macro_rules! by_id_relation {
    ($name:ident, $doc:literal, $entity:ident, $table:literal, $parent:literal, $field:ident) => {
        #[doc = $doc]
        pub struct $name;
        impl Relation for $name {
            type Entity = $entity::Entity;
            type Model = $entity::Model;
            const TABLE: &'static str = $table;
            const PARENT_COLUMN: &'static str = $parent;
            const SORT_COLUMN: &'static str = "id";
            fn parent(row: &Self::Model) -> i32 {
                row.$field
            }
            fn cursor(row: &Self::Model) -> CursorKey {
                CursorKey {
                    sort: SortValue::Int(row.id.into()),
                    id: row.id,
                }
            }
        }
    };
}

by_id_relation!(
    ArticulationsOfCollege,
    "College credit a college gives.",
    articulation,
    "articulation",
    "college_id",
    college_id
);
by_id_relation!(
    ArticulationsOfCourse,
    "College credit a course earns.",
    articulation,
    "articulation",
    "course_id",
    course_id
);
by_id_relation!(
    AgreementsOfCollege,
    "A college's agreements.",
    dual_enrollment_agreement,
    "dual_enrollment_agreement",
    "college_id",
    college_id
);

/// College credit reachable through each pathway's courses (a short list per pathway).
pub struct CollegeCreditOfPathway(DatabaseConnection);

impl Loader<i32> for CollegeCreditOfPathway {
    type Value = Vec<articulation::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let courses: HashMap<i32, i32> = course::Entity::find()
            .filter(course::Column::PathwayId.is_in(keys.iter().copied()))
            .filter(course::Column::DeletedAt.is_null())
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(e.into()))?
            .into_iter()
            .filter_map(|c| Some((c.id, c.pathway_id?)))
            .collect();
        let rows = articulation::Entity::find()
            .filter(articulation::Column::DeletedAt.is_null())
            .filter(
                articulation::Column::CourseId.in_subquery(
                    Query::select()
                        .column(course::Column::Id)
                        .from(course::Entity)
                        .and_where(course::Column::PathwayId.is_in(keys.iter().copied()))
                        .to_owned(),
                ),
            )
            .order_by_asc(articulation::Column::Id)
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(e.into()))?;
        let mut out: HashMap<i32, Vec<articulation::Model>> = HashMap::new();
        for row in rows {
            if let Some(pathway) = courses.get(&row.course_id) {
                out.entry(*pathway).or_default().push(row);
            }
        }
        Ok(out)
    }
}

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let db = &loaders.db;
    let request = request
        .data(loaders.batch(ById::<college::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<dual_enrollment_agreement::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<articulation::Entity>::new(db.clone())))
        .data(loaders.batch(CollegeCreditOfPathway(db.clone())));
    let request = nested::register::<ArticulationsOfCollege>(request, loaders);
    let request = nested::register::<ArticulationsOfCourse>(request, loaders);
    nested::register::<AgreementsOfCollege>(request, loaders)
}
