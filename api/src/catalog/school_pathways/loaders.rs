//! Batch loaders of school pathways: one statement per level, whatever the page size.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use entity::{course, school, school_pathway, school_pathway_course};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    error::LoadError,
    graphql::{
        nested::{self, Children},
        relay::{CursorKey, Page, PageRequest, SortValue},
        Loaders,
    },
    relation,
};

relation!(
    /// The pathways a district runs (at any of its schools or district-wide), by name.
    PathwaysOfDistrict: school_pathway by district_id, sorted by local_name as text
);

relation!(
    /// The counts a source states for a district, by code.
    FactsOfDistrict: district_fact by district_id, sorted by code as text
);

relation!(
    /// The pathways a school runs, by name.
    PathwaysOfSchool: school_pathway by optional school_id, sorted by local_name as text
);

/// A school pathway's courses (`feeder`: the middle-school exploration courses instead of
/// the sequence), ordered INTRODUCTORY, CONCENTRATOR, CAPSTONE, then by title.
pub struct CoursesOfSchoolPathway(pub DatabaseConnection);

impl Loader<(i32, bool)> for CoursesOfSchoolPathway {
    type Value = Vec<course::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(i32, bool)],
    ) -> Result<HashMap<(i32, bool), Self::Value>, Self::Error> {
        let links = school_pathway_course::Entity::find()
            .filter(
                school_pathway_course::Column::SchoolPathwayId
                    .is_in(keys.iter().map(|(id, _)| *id)),
            )
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(e.into()))?;
        let courses: HashMap<i32, course::Model> = course::Entity::find()
            .filter(course::Column::Id.is_in(links.iter().map(|l| l.course_id)))
            .filter(course::Column::DeletedAt.is_null())
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(e.into()))?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let mut out: HashMap<(i32, bool), Vec<course::Model>> = HashMap::new();
        for link in links {
            if let Some(c) = courses.get(&link.course_id) {
                out.entry((link.school_pathway_id, link.feeder))
                    .or_default()
                    .push(c.clone());
            }
        }
        for list in out.values_mut() {
            list.sort_by(|a, b| {
                (level_rank(&a.level), &a.title, a.id).cmp(&(level_rank(&b.level), &b.title, b.id))
            });
        }
        Ok(out)
    }
}

/// The place of a stored course level in a pathway's sequence.
fn level_rank(level: &str) -> u8 {
    match level {
        "INTRODUCTORY" => 0,
        "CONCENTRATOR" => 1,
        "CAPSTONE" => 2,
        _ => 3,
    }
}

/// A point and radius for `Pathway.offeredAt(near:)`, as bits so it can be a loader key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NearKey {
    pub lat: u64,
    pub lng: u64,
    pub radius_km: u64,
}

impl NearKey {
    pub fn new(lat: f64, lng: f64, radius_km: f64) -> Self {
        NearKey {
            lat: lat.to_bits(),
            lng: lng.to_bits(),
            radius_km: radius_km.to_bits(),
        }
    }
}

/// One page of `Pathway.offeredAt`: the pathway, an optional district and place, the page.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OfferedAtKey {
    pub pathway_id: i32,
    pub district_id: Option<i32>,
    pub near: Option<NearKey>,
    pub req: PageRequest,
}

/// Where pathways are offered: two statements (the programs of every pathway asked, their
/// schools) for all pathways of a level; filtering, distances and paging happen here, so
/// the order is the same on both databases.
pub struct OfferedAt(pub DatabaseConnection);

/// A school pathway and, with `near`, its school's distance in kilometres.
pub type OfferedAtRow = (school_pathway::Model, Option<f64>);

impl Loader<OfferedAtKey> for OfferedAt {
    type Value = Page<OfferedAtRow>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[OfferedAtKey],
    ) -> Result<HashMap<OfferedAtKey, Self::Value>, Self::Error> {
        let rows = school_pathway::Entity::find()
            .filter(school_pathway::Column::PathwayId.is_in(keys.iter().map(|k| k.pathway_id)))
            .filter(school_pathway::Column::DeletedAt.is_null())
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(e.into()))?;
        let schools: HashMap<i32, school::Model> = if keys.iter().any(|k| k.near.is_some()) {
            school::Entity::find()
                .filter(school::Column::Id.is_in(rows.iter().filter_map(|r| r.school_id)))
                .all(&self.0)
                .await
                .map_err(|e| Arc::new(e.into()))?
                .into_iter()
                .map(|s| (s.id, s))
                .collect()
        } else {
            HashMap::new()
        };
        let mut out = HashMap::new();
        for key in keys {
            let mut keyed: Vec<(CursorKey, OfferedAtRow)> = rows
                .iter()
                .filter(|r| r.pathway_id == Some(key.pathway_id))
                .filter(|r| key.district_id.is_none_or(|d| r.district_id == d))
                .filter_map(|r| match key.near {
                    None => Some((
                        CursorKey {
                            sort: SortValue::Text(r.local_name.clone()),
                            id: r.id,
                        },
                        (r.clone(), None),
                    )),
                    Some(near) => {
                        let school = schools.get(&r.school_id?)?;
                        let d = crate::catalog::offerings::store::distance_km(
                            f64::from_bits(near.lat),
                            f64::from_bits(near.lng),
                            school.lat?,
                            school.lng?,
                        );
                        (d <= f64::from_bits(near.radius_km)).then(|| {
                            (
                                CursorKey {
                                    sort: SortValue::Int((d * 1000.0).round() as i64),
                                    id: r.id,
                                },
                                (r.clone(), Some(d)),
                            )
                        })
                    }
                })
                .collect();
            keyed.sort_by(|a, b| crate::catalog::offerings::store::compare_keys(&a.0, &b.0));
            let page = crate::catalog::offerings::store::page_in_memory(keyed, &key.req)
                .map_err(Arc::new)?;
            out.insert(key.clone(), page);
        }
        Ok(out)
    }
}

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let db = loaders.db.clone();
    let request = request
        .data(loaders.batch(nested::ById::<school_pathway::Entity>::new(db.clone())))
        .data(
            loaders.batch(nested::ById::<entity::district_fact::Entity>::new(
                db.clone(),
            )),
        )
        .data(loaders.batch(CoursesOfSchoolPathway(db.clone())))
        .data(loaders.batch(OfferedAt(db.clone())))
        .data(loaders.batch(Children::<FactsOfDistrict>::new(db)));
    let request = nested::register::<PathwaysOfDistrict>(request, loaders);
    nested::register::<PathwaysOfSchool>(request, loaders)
}
