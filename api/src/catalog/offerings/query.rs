//! The `offerings` root field: the portal's main list.

use async_graphql::{Context, InputObject, Object, Result};
use chrono::Utc;
use sea_orm::DatabaseConnection;

use super::{
    store::{self, OfferingCriteria},
    types::{CourseOffering, CourseOfferingConnection, Modality, OfferingStatus, Schedule},
};
use crate::vocabulary::Stored;
use crate::{
    catalog::{
        courses::query::{resolve_criteria, CourseCodes},
        districts::store as districts,
        eligibility::{query::student, store::student_district},
    },
    codes::LeaCode,
    error::ApiError,
    graphql::scalars::Date,
    paging::{Page, PageRequest},
    vocabulary::AgArea,
};

/// A student, for the `eligibleFor` filter.
#[derive(InputObject, Default)]
pub struct StudentInput {
    /// The student's district (CDS code, or its `code` when it has none); give this or `schoolCdsCode`.
    pub district_cds_code: Option<String>,
    /// The student's school (CDS code, or its `code` when it has none); its district decides membership.
    pub school_cds_code: Option<String>,
    /// Grade 7-12 (required unless `adult`).
    pub grade: Option<i32>,
    /// An adult learner rather than a high-school student (default false).
    #[graphql(default)]
    pub adult: bool,
    /// Age in years.
    pub age: Option<i32>,
}

/// A place and a radius: only sections within it, nearest first.
#[derive(InputObject, Clone, Copy)]
pub struct NearInput {
    /// Latitude, decimal degrees.
    pub lat: f64,
    /// Longitude, decimal degrees.
    pub lng: f64,
    /// Radius in km (up to 200).
    pub radius_km: f64,
}

/// Filters for `offerings`; all given filters must hold, lists are OR.
#[derive(InputObject, Default)]
pub struct OfferingFilter {
    /// Only sections of courses in this sector (sector code).
    pub sector_code: Option<String>,
    /// Only sections of courses in this pathway (pathway code, e.g. `PATIENT_CARE`).
    pub pathway_code: Option<String>,
    /// Only sections of this ROC/P (program code, e.g. `SOCAL_ROC`).
    pub program_code: Option<String>,
    /// Term code, e.g. `2026-FALL`.
    pub term: Option<String>,
    /// Any of these schedules.
    pub schedule: Option<Vec<Schedule>>,
    /// Any of these modalities.
    pub modality: Option<Vec<Modality>>,
    /// Any of these statuses.
    pub status: Option<Vec<OfferingStatus>>,
    /// A-G approved in any of these areas.
    pub ag_area: Option<Vec<AgArea>>,
    /// With (true) or without (false) college credit that applies on `onDate`: an
    /// articulation under an agreement counts only while the agreement runs and,
    /// with `eligibleFor` (or else `freeForDistrict`), only when it covers that
    /// student's district or the section's ROC/P.
    pub college_credit: Option<bool>,
    /// Preparing for this certification (code, e.g. `CNA`).
    pub certification: Option<String>,
    /// Only open sections with seats left (true), or only those without (false).
    pub has_open_seats: Option<bool>,
    /// Only sections a student of this district (CDS code, or its `code` when it has none) takes free: exactly those
    /// `costFor` answers FREE (for the `eligibleFor` student's grade and age when given).
    pub free_for_district: Option<String>,
    /// Only sections this student may enrol in: exactly those `costFor` does not answer
    /// NOT_ELIGIBLE.
    pub eligible_for: Option<StudentInput>,
    /// Only sections within a radius of a place, ordered nearest first.
    pub near: Option<NearInput>,
    /// The date memberships, agreements and closures are checked on (default today).
    pub on_date: Option<Date>,
    /// Full-text search over the course title, description, code, pathway and program.
    pub search: Option<String>,
}

/// Orderings of `offerings`; ties are broken by id. With `near`, the list is
/// ordered by distance instead.
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum OfferingOrder {
    /// In the order sections were listed.
    #[default]
    Listed,
    /// By course title, A to Z.
    Title,
    /// By the term's start date, soonest first.
    StartDate,
    /// By the tuition a non-member pays, cheapest first.
    Tuition,
}

/// Offering root fields.
#[derive(Default)]
pub struct OfferingQuery;

#[Object]
impl OfferingQuery {
    /// Course sections across every ROC/P, filtered and ordered.
    async fn offerings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<OfferingFilter>,
        #[graphql(
            default,
            desc = "The order of the list (default: as listed; nearest first with `filter.near`)."
        )]
        order_by: OfferingOrder,
        #[graphql(desc = "Page size from the start, or after `after`: 0-100, default 20.")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor, e.g. the last page's `pageInfo.endCursor`.")]
        after: Option<String>,
        #[graphql(desc = "Page size from the end, or before `before`: 0-100.")] last: Option<i32>,
        #[graphql(desc = "End before this cursor, e.g. the next page's `pageInfo.startCursor`.")]
        before: Option<String>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<CourseOfferingConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let on = f
            .on_date
            .map(|d| d.0)
            .unwrap_or_else(|| Utc::now().date_naive());
        let codes = CourseCodes {
            program_code: f.program_code,
            pathway_code: f.pathway_code,
            sector_code: f.sector_code,
            level: None,
            ag_area: f.ag_area,
            // Decided per student by `colleges::credit`, not by the course filter.
            college_credit: None,
            certification: f.certification,
            search: f.search,
        };
        let Some(course) = resolve_criteria(
            db,
            ctx.data_opt::<std::sync::Arc<crate::graphql::reference::ReferenceCache>>()
                .map(|r| r.as_ref()),
            codes,
        )
        .await?
        else {
            return Ok(CourseOfferingConnection(Page::empty()));
        };
        let mut criteria = OfferingCriteria {
            course,
            term_code: f.term,
            schedules: f
                .schedule
                .unwrap_or_default()
                .into_iter()
                .map(Stored::as_stored)
                .collect(),
            modalities: f
                .modality
                .unwrap_or_default()
                .into_iter()
                .map(Stored::as_stored)
                .collect(),
            statuses: f
                .status
                .unwrap_or_default()
                .into_iter()
                .map(Stored::as_stored)
                .collect(),
            has_open_seats: f.has_open_seats,
            exclude_sample: !crate::graphql::provenance::include_sample(ctx, include_sample),
            college_credit: f.college_credit,
            on,
            ..Default::default()
        };
        if let Some(raw) = f.free_for_district {
            let cds = LeaCode::parse_district("filter.freeForDistrict", &raw)?;
            let district = districts::district_by_code(db, &cds)
                .await?
                .ok_or_else(|| ApiError::NotFound(format!("no district has {}", cds.describe())))?;
            criteria.free_for_district = Some(district);
        }
        if let Some(s) = f.eligible_for {
            let who = student(s.grade, s.adult, s.age, "filter.eligibleFor.")?;
            let (district, _) = student_district(
                db,
                s.district_cds_code.as_deref(),
                s.school_cds_code.as_deref(),
                "filter.eligibleFor.",
            )
            .await?;
            criteria.eligible_for = Some((district, who));
        }
        if let Some(near) = f.near {
            if !(-90.0..=90.0).contains(&near.lat) {
                return Err(ApiError::bad_input("filter.near.lat", "must be -90 to 90").into());
            }
            if !(-180.0..=180.0).contains(&near.lng) {
                return Err(ApiError::bad_input("filter.near.lng", "must be -180 to 180").into());
            }
            if !(near.radius_km > 0.0 && near.radius_km <= 200.0) {
                return Err(ApiError::bad_input(
                    "filter.near.radiusKm",
                    "must be more than 0 and at most 200",
                )
                .into());
            }
            let near = store::Near {
                lat: near.lat,
                lng: near.lng,
                radius_km: near.radius_km,
            };
            let page = store::offerings_near(db, &criteria, near, &req).await?;
            return Ok(CourseOfferingConnection(page.map(|(row, distance)| {
                CourseOffering {
                    distance_km: Some((distance * 100.0).round() / 100.0),
                    ..CourseOffering::from(row)
                }
            })));
        }
        let ordering = match order_by {
            OfferingOrder::Listed => store::OfferingOrdering::Listed,
            OfferingOrder::Title => store::OfferingOrdering::Title,
            OfferingOrder::StartDate => store::OfferingOrdering::StartDate,
            OfferingOrder::Tuition => store::OfferingOrdering::Tuition,
        };
        let page = store::offerings_page(db, &criteria, ordering, &req).await?;
        Ok(CourseOfferingConnection(page.map(CourseOffering::from)))
    }
}
