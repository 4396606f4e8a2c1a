//! Batch loaders of school pathways: one statement per level, whatever the page size.

use std::{collections::HashMap, sync::Arc};

use async_graphql::{dataloader::Loader, Context};
use entity::{course, school, school_pathway};
use sea_orm::DatabaseConnection;

use crate::batch::DataLoader;
use crate::vocabulary::{CourseLevel, Stored};
use crate::{
    catalog::offerings::{loaders::DistrictByCode, query::NearInput},
    codes::LeaCode,
    error::{from_load, ApiError, LoadError},
    graphql::{nested, nested::Children, Loaders},
    paging::{CursorKey, Page, PageRequest, SortValue},
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

/// One course list of a school pathway: the pathway, whether its feeder courses (the
/// middle-school exploration courses) instead of the sequence, whether sample courses are
/// left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CoursesKey {
    pub school_pathway_id: i32,
    pub feeder: bool,
    pub real_only: bool,
}

/// A school pathway's courses, ordered INTRODUCTORY, CONCENTRATOR, CAPSTONE, then by title.
pub struct CoursesOfSchoolPathway(pub DatabaseConnection);

impl Loader<CoursesKey> for CoursesOfSchoolPathway {
    type Value = Vec<course::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CoursesKey],
    ) -> Result<HashMap<CoursesKey, Self::Value>, Self::Error> {
        let (links, courses) =
            super::store::courses_of(&self.0, keys.iter().map(|k| k.school_pathway_id))
                .await
                .map_err(Arc::new)?;
        let mut out: HashMap<CoursesKey, Vec<course::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for link in links {
            let Some(c) = courses.get(&link.course_id) else {
                continue;
            };
            for real_only in [false, true] {
                if real_only && c.sample {
                    continue;
                }
                let key = CoursesKey {
                    school_pathway_id: link.school_pathway_id,
                    feeder: link.feeder,
                    real_only,
                };
                if let Some(list) = out.get_mut(&key) {
                    list.push(c.clone());
                }
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

/// The place of a stored course level in a pathway's sequence (unknown ones last).
fn level_rank(level: &str) -> u8 {
    CourseLevel::from_stored(level).map_or(u8::MAX, |level| level as u8)
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
    /// Leave sample school pathways out.
    pub real_only: bool,
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
        let rows = super::store::running(&self.0, keys.iter().map(|k| k.pathway_id))
            .await
            .map_err(Arc::new)?;
        let schools: HashMap<i32, school::Model> = if keys.iter().any(|k| k.near.is_some()) {
            super::store::schools(&self.0, rows.iter().filter_map(|r| r.school_id))
                .await
                .map_err(Arc::new)?
        } else {
            HashMap::new()
        };
        let mut out = HashMap::new();
        for key in keys {
            let mut keyed: Vec<(CursorKey, OfferedAtRow)> = rows
                .iter()
                .filter(|r| r.pathway_id == Some(key.pathway_id))
                .filter(|r| key.district_id.is_none_or(|d| r.district_id == d))
                .filter(|r| !(key.real_only && r.sample))
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

/// `Pathway.offeredAt`: the schools and districts that run `pathway_id`, in a district
/// and within `near` of a place when given (then nearest first, by the schools' own
/// coordinates; district-wide programs have no place and are left out).
pub async fn offered_at(
    ctx: &Context<'_>,
    pathway_id: i32,
    near: Option<NearInput>,
    district: Option<String>,
    real_only: bool,
    req: PageRequest,
) -> async_graphql::Result<Page<OfferedAtRow>> {
    let near = match near {
        Some(n) => {
            check_near(&n)?;
            Some(NearKey::new(n.lat, n.lng, n.radius_km))
        }
        None => None,
    };
    let district_id = match district {
        Some(raw) => {
            let cds = LeaCode::parse_district("district", &raw)?;
            match ctx
                .data_unchecked::<DataLoader<DistrictByCode>>()
                .load_one(cds.as_str().to_owned())
                .await
                .map_err(from_load)?
            {
                Some(d) => Some(d.id),
                // An unknown district matches nothing, like any other filter value.
                None => return Ok(Page::empty()),
            }
        }
        None => None,
    };
    let req = req.bound(&format!(
        "offeredAt {pathway_id} {district_id:?} {near:?} real_only {real_only}"
    ))?;
    Ok(ctx
        .data_unchecked::<DataLoader<OfferedAt>>()
        .load_one(OfferedAtKey {
            pathway_id,
            district_id,
            near,
            real_only,
            req,
        })
        .await
        .map_err(from_load)?
        .unwrap_or_else(Page::empty))
}

/// The same bounds as the `near` filter of `offerings`.
fn check_near(near: &NearInput) -> Result<(), ApiError> {
    if !(-90.0..=90.0).contains(&near.lat) {
        return Err(ApiError::bad_input("near.lat", "must be -90 to 90"));
    }
    if !(-180.0..=180.0).contains(&near.lng) {
        return Err(ApiError::bad_input("near.lng", "must be -180 to 180"));
    }
    if !(near.radius_km > 0.0 && near.radius_km <= 200.0) {
        return Err(ApiError::bad_input(
            "near.radiusKm",
            "must be more than 0 and at most 200",
        ));
    }
    Ok(())
}
