//! The `search` root field: one ranked list across record types.

use async_graphql::{Context, Object, Result, Union};
use sea_orm::DatabaseConnection;

use super::{index, store};
use crate::{
    catalog::{
        colleges::types::College,
        courses::types::Course,
        educators::types::{EducatorOrganization, EducatorProgram},
        partners::types::IndustryPartner,
        pathways::types::Pathway,
        programs::types::RegionalProgram,
        school_pathways::types::SchoolPathway,
    },
    error::ApiError,
    graphql::nested::by_id,
    paging::MAX_PAGE_SIZE,
};

/// A search hit: any searchable record.
#[allow(clippy::large_enum_variant)] // built per hit (at most 100) and dropped at once
#[derive(Union, Clone)]
pub enum SearchResult {
    Pathway(Pathway),
    Course(Course),
    RegionalProgram(RegionalProgram),
    College(College),
    IndustryPartner(IndustryPartner),
    SchoolPathway(SchoolPathway),
    EducatorOrganization(EducatorOrganization),
    EducatorProgram(EducatorProgram),
}

/// Search root field.
#[derive(Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Full-text search over pathways, courses, ROC/Ps, colleges, industry partners, the
    /// pathways districts and schools run, educator organisations and educator programs (every
    /// word must match, each as a prefix), best match
    /// first; at most 100 results.
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The words to look for, e.g. \"patient care\"; every word must match, each as a prefix."
        )]
        query: String,
        #[graphql(desc = "How many results to return: 0-100, default 20.")] first: Option<i32>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<Vec<SearchResult>> {
        let limit = match first {
            None => 20,
            Some(n) if (0..=MAX_PAGE_SIZE as i32).contains(&n) => n as u64,
            Some(n) => {
                return Err(ApiError::bad_input(
                    "first",
                    format!("must be 0 to {MAX_PAGE_SIZE} (got {n})"),
                )
                .into())
            }
        };
        let words = store::words("query", &query)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let include = crate::graphql::provenance::include_sample(ctx, include_sample);
        let hits = store::ranked(db, &words, include, limit).await?;
        // Each kind loads through its batch loader: one statement per kind.
        let results = futures::future::try_join_all(hits.iter().map(|hit| async move {
            Ok::<_, async_graphql::Error>(match hit.kind.as_str() {
                index::PATHWAY => by_id::<entity::pathway::Entity>(ctx, hit.record_id)
                    .await?
                    .map(|r| SearchResult::Pathway(r.into())),
                index::COURSE => by_id::<entity::course::Entity>(ctx, hit.record_id)
                    .await?
                    .map(|r| SearchResult::Course(r.into())),
                index::PROGRAM => by_id::<entity::regional_program::Entity>(ctx, hit.record_id)
                    .await?
                    .map(|r| SearchResult::RegionalProgram(r.into())),
                index::COLLEGE => by_id::<entity::college::Entity>(ctx, hit.record_id)
                    .await?
                    .map(|r| SearchResult::College(r.into())),
                index::PARTNER => by_id::<entity::industry_partner::Entity>(ctx, hit.record_id)
                    .await?
                    .map(|r| SearchResult::IndustryPartner(r.into())),
                index::SCHOOL_PATHWAY => {
                    by_id::<entity::school_pathway::Entity>(ctx, hit.record_id)
                        .await?
                        .map(|r| SearchResult::SchoolPathway(r.into()))
                }
                index::EDUCATOR_ORGANIZATION => {
                    by_id::<entity::educator_organization::Entity>(ctx, hit.record_id)
                        .await?
                        .map(|r| SearchResult::EducatorOrganization(r.into()))
                }
                index::EDUCATOR_PROGRAM => {
                    by_id::<entity::educator_program::Entity>(ctx, hit.record_id)
                        .await?
                        .map(|r| SearchResult::EducatorProgram(r.into()))
                }
                _ => None,
            })
        }))
        .await?;
        Ok(results.into_iter().flatten().collect())
    }
}
