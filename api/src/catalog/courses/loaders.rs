//! Batch loaders of the courses area.

use crate::relation;
use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{certification, course, course_offering};
use sea_orm::DatabaseConnection;

use super::store;

use crate::{
    error::LoadError,
    graphql::{
        nested,
        nested::{ById, Relation},
        Loaders,
    },
    paging::{CursorKey, SortValue},
};

/// A pathway's courses, by title (filtered by level when asked).
pub struct CoursesOfPathway;
impl Relation for CoursesOfPathway {
    type Model = course::Model;
    const TABLE: &'static str = "course";
    const PARENT_COLUMN: &'static str = "pathway_id";
    const SORT_COLUMN: &'static str = "title";
    fn parent(row: &Self::Model) -> i32 {
        row.pathway_id.unwrap_or_default()
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Text(row.title.clone()),
            id: row.id,
        }
    }
}

relation!(
    /// A program's courses, by title.
    CoursesOfProgram: course by optional program_id, sorted by title as text
);

relation!(
    /// A course's sections, in id order.
    OfferingsOfCourse: course_offering by course_id, sorted by id as int
);

/// Certifications each course prepares for (a short list per course).
pub struct CertificationsOfCourse(DatabaseConnection);

impl Loader<i32> for CertificationsOfCourse {
    type Value = Vec<certification::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = store::certification_links(&self.0, keys.to_vec())
            .await
            .map_err(|e| std::sync::Arc::new(e.into()))?;
        let mut out: HashMap<i32, Vec<certification::Model>> = HashMap::new();
        for (link, cert) in rows {
            if let Some(cert) = cert.filter(|c| c.deleted_at.is_none()) {
                out.entry(link.course_id).or_default().push(cert);
            }
        }
        Ok(out)
    }
}

/// Certifications a pathway's courses lead to (distinct, a short list per pathway), keyed by
/// (pathway, real courses only): with `includeSample: false` a certification reached only
/// through a sample course is not the pathway's.
pub struct CertificationsOfPathway(DatabaseConnection);

impl Loader<(i32, bool)> for CertificationsOfPathway {
    type Value = Vec<certification::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(i32, bool)],
    ) -> Result<HashMap<(i32, bool), Self::Value>, Self::Error> {
        // (course id, pathway id, sample) of every course of the pathways asked.
        let courses: HashMap<i32, (i32, bool)> =
            store::live_courses_of_pathways(&self.0, keys.iter().map(|k| k.0).collect())
                .await
                .map_err(|e| std::sync::Arc::new(e.into()))?
                .into_iter()
                .filter_map(|c| Some((c.id, (c.pathway_id?, c.sample))))
                .collect();
        let links = store::certification_links(&self.0, courses.keys().copied().collect())
            .await
            .map_err(|e| std::sync::Arc::new(e.into()))?;
        let mut out: HashMap<(i32, bool), Vec<certification::Model>> = HashMap::new();
        for (link, cert) in links {
            let (Some((pathway, course_sample)), Some(cert)) = (courses.get(&link.course_id), cert)
            else {
                continue;
            };
            for real_only in [false, true] {
                if real_only && (*course_sample || cert.sample) {
                    continue;
                }
                let list = out.entry((*pathway, real_only)).or_default();
                if cert.deleted_at.is_none() && !list.iter().any(|c| c.id == cert.id) {
                    list.push(cert.clone());
                }
            }
        }
        Ok(out)
    }
}

/// Courses each course requires first.
pub struct PrerequisitesOfCourse(DatabaseConnection);

impl Loader<i32> for PrerequisitesOfCourse {
    type Value = Vec<course::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let links = store::prerequisite_links(&self.0, keys.to_vec())
            .await
            .map_err(|e| std::sync::Arc::new(e.into()))?;
        let wanted: Vec<i32> = links.iter().map(|l| l.prerequisite_id).collect();
        let courses: HashMap<i32, course::Model> = store::live_courses(&self.0, wanted)
            .await
            .map_err(|e| std::sync::Arc::new(e.into()))?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let mut out: HashMap<i32, Vec<course::Model>> = HashMap::new();
        for link in links {
            if let Some(c) = courses.get(&link.prerequisite_id) {
                out.entry(link.course_id).or_default().push(c.clone());
            }
        }
        Ok(out)
    }
}

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let db = &loaders.db;
    let request = request
        .data(loaders.batch(ById::<course::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<course_offering::Entity>::new(db.clone())))
        .data(loaders.reference_by_id::<certification::Entity>())
        .data(loaders.batch(CertificationsOfCourse(db.clone())))
        .data(loaders.batch(PrerequisitesOfCourse(db.clone())))
        .data(loaders.batch(CertificationsOfPathway(db.clone())));
    let request = nested::register::<CoursesOfPathway>(request, loaders);
    let request = nested::register::<CoursesOfProgram>(request, loaders);
    nested::register::<OfferingsOfCourse>(request, loaders)
}
