//! Root fields for courses, and the course filters shared with offerings (codes resolved by
//! [`crate::resolve`]'s rule).

use async_graphql::{Context, InputObject, Object, Result};
use entity::{certification, industry_sector, pathway, regional_program};
use sea_orm::DatabaseConnection;

use super::{
    store::{self, CourseCriteria},
    types::{AgArea, Course, CourseConnection, CourseLevel},
};
use crate::{
    error::ApiResult,
    graphql::reference::{find_by_code, ReferenceCache},
    paging::{Page, PageRequest},
    vocabulary::Stored,
};

/// Filters for `courses`; all given filters must hold, lists are OR.
#[derive(InputObject, Default)]
pub struct CourseFilter {
    /// Only courses of this ROC/P (program code, e.g. `SOCAL_ROC`).
    pub program_code: Option<String>,
    /// Only courses of this pathway (pathway code).
    pub pathway_code: Option<String>,
    /// Only courses of this sector (sector code).
    pub sector_code: Option<String>,
    /// Only this step of the pathway sequence.
    pub level: Option<CourseLevel>,
    /// Only A-G approved courses in any of these areas.
    pub ag_area: Option<Vec<AgArea>>,
    /// Only courses with (true) or without (false) college credit.
    pub college_credit: Option<bool>,
    /// Only courses preparing for this certification (code, e.g. `CNA`).
    pub certification: Option<String>,
    /// Full-text search over the course title, description, code, pathway and program (every word, as a prefix).
    pub search: Option<String>,
}

/// The catalogue filters every course-based list shares, as given by a client.
pub struct CourseCodes {
    pub program_code: Option<String>,
    pub pathway_code: Option<String>,
    pub sector_code: Option<String>,
    pub level: Option<CourseLevel>,
    pub ag_area: Option<Vec<AgArea>>,
    pub college_credit: Option<bool>,
    pub certification: Option<String>,
    pub search: Option<String>,
}

/// Resolves codes to ids; `None` when a code names nothing (the list is empty).
pub async fn resolve_criteria(
    db: &DatabaseConnection,
    reference: Option<&ReferenceCache>,
    codes: CourseCodes,
) -> ApiResult<Option<CourseCriteria>> {
    // Codes of reference tables resolve from the snapshot when there is one (no statement),
    // by the one rule of `crate::resolve`.
    let mut criteria = CourseCriteria {
        level: codes.level.map(CourseLevel::as_stored),
        ag_areas: codes
            .ag_area
            .unwrap_or_default()
            .into_iter()
            .map(AgArea::as_stored)
            .collect(),
        college_credit: codes.college_credit,
        search_words: match codes.search.as_deref() {
            Some(text) if !text.trim().is_empty() => {
                crate::catalog::search::store::words("filter.search", text)?
            }
            _ => Vec::new(),
        },
        ..Default::default()
    };
    if let Some(code) = codes.program_code {
        let found = find_by_code::<regional_program::Entity>(reference, db, &code).await?;
        let Some(program) = found else {
            return Ok(None);
        };
        criteria.program_id = Some(program.id);
    }
    if let Some(code) = codes.pathway_code {
        let found = find_by_code::<pathway::Entity>(reference, db, &code).await?;
        let Some(pathway) = found else {
            return Ok(None);
        };
        criteria.pathway_id = Some(pathway.id);
    }
    if let Some(code) = codes.sector_code {
        let found = find_by_code::<industry_sector::Entity>(reference, db, &code).await?;
        let Some(sector) = found else {
            return Ok(None);
        };
        criteria.sector_id = Some(sector.id);
    }
    if let Some(code) = codes.certification {
        // Certifications are read fresh, not from the snapshot.
        let found = crate::resolve::by_code::<certification::Entity>(db, &code).await?;
        let Some(found) = found else { return Ok(None) };
        criteria.certification_id = Some(found.id);
    }
    Ok(Some(criteria))
}

/// Course root fields.
#[derive(Default)]
pub struct CourseQuery;

#[Object]
impl CourseQuery {
    /// Courses of every ROC/P catalogue, by title.
    async fn courses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<CourseFilter>,
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
    ) -> Result<CourseConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let codes = CourseCodes {
            program_code: f.program_code,
            pathway_code: f.pathway_code,
            sector_code: f.sector_code,
            level: f.level,
            ag_area: f.ag_area,
            college_credit: f.college_credit,
            certification: f.certification,
            search: f.search,
        };
        let Some(mut criteria) = resolve_criteria(
            db,
            ctx.data_opt::<std::sync::Arc<ReferenceCache>>()
                .map(|r| r.as_ref()),
            codes,
        )
        .await?
        else {
            return Ok(CourseConnection(Page::empty()));
        };
        criteria.exclude_sample = !crate::graphql::provenance::include_sample(ctx, include_sample);
        Ok(CourseConnection(
            store::courses_page(db, &criteria, &req)
                .await?
                .map(Course::from),
        ))
    }
}
