//! Root fields for industry partners and opportunities.

use async_graphql::{Context, InputObject, Object, Result, ID};
use sea_orm::DatabaseConnection;

use super::{
    store,
    types::{
        IndustryPartner, IndustryPartnerConnection, Opportunity, OpportunityConnection,
        PartnershipKind,
    },
};
use crate::{
    catalog::pathways::store as pathways,
    codes::Grade,
    error::ApiError,
    graphql::scalars::Date,
    ids,
    ids::NodeType,
    paging::{Page, PageRequest},
    vocabulary::Stored,
};

/// Filters for `industryPartners`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct IndustryPartnerFilter {
    /// Works in this sector (sector code).
    pub sector_code: Option<String>,
    /// Has a partnership in this pathway (pathway code).
    pub pathway_code: Option<String>,
    /// Offers this kind of partnership (in the pathway, when one is given).
    pub kind: Option<PartnershipKind>,
    /// Case-insensitive text in the name or description.
    pub search: Option<String>,
}

/// Filters for `opportunities`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct OpportunityFilter {
    /// Internship, job shadow, ...
    pub kind: Option<PartnershipKind>,
    /// In a pathway of this sector (sector code).
    pub sector_code: Option<String>,
    /// In this pathway (pathway code).
    pub pathway_code: Option<String>,
    /// Offered by this partner (global ID).
    pub partner_id: Option<ID>,
    /// Open to a student in this grade (7-12).
    pub grade: Option<i32>,
    /// Paid (true) or unpaid (false).
    pub paid: Option<bool>,
    /// Still open for applications on this date.
    pub open_on: Option<Date>,
}

/// Partner root fields.
#[derive(Default)]
pub struct PartnerQuery;

#[Object]
impl PartnerQuery {
    /// Employers and industry associations, by name.
    async fn industry_partners(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<IndustryPartnerFilter>,
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
    ) -> Result<IndustryPartnerConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let mut criteria = store::PartnerCriteria {
            kind: f.kind.map(Stored::as_stored),
            search: f.search,
            exclude_sample: !crate::graphql::provenance::include_sample(ctx, include_sample),
            ..Default::default()
        };
        // A code that names nothing matches nothing.
        if let Some(code) = f.sector_code {
            let Some(sector) = pathways::sector_by_code(db, code.trim()).await? else {
                return Ok(IndustryPartnerConnection(Page::empty()));
            };
            criteria.sector_id = Some(sector.id);
        }
        if let Some(code) = f.pathway_code {
            let Some(found) = pathways::pathway_by_code(db, code.trim()).await? else {
                return Ok(IndustryPartnerConnection(Page::empty()));
            };
            criteria.pathway_id = Some(found.id);
        }
        let page = store::partners_page(db, &criteria, &req).await?;
        Ok(IndustryPartnerConnection(page.map(IndustryPartner::from)))
    }

    /// Work-based-learning openings (internships, job shadows, ...), by title.
    async fn opportunities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<OpportunityFilter>,
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
    ) -> Result<OpportunityConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let mut criteria = store::OpportunityCriteria {
            kind: f.kind.map(Stored::as_stored),
            paid: f.paid,
            open_on: f.open_on.map(|on| on.0),
            exclude_sample: !crate::graphql::provenance::include_sample(ctx, include_sample),
            ..Default::default()
        };
        if let Some(code) = f.sector_code {
            let Some(sector) = pathways::sector_by_code(db, code.trim()).await? else {
                return Ok(OpportunityConnection(Page::empty()));
            };
            criteria.sector_id = Some(sector.id);
        }
        if let Some(code) = f.pathway_code {
            let Some(found) = pathways::pathway_by_code(db, code.trim()).await? else {
                return Ok(OpportunityConnection(Page::empty()));
            };
            criteria.pathway_id = Some(found.id);
        }
        if let Some(id) = f.partner_id {
            match ids::decode("filter.partnerId", &id)? {
                (NodeType::IndustryPartner, key) => criteria.partner_id = Some(key),
                _ => {
                    return Err(ApiError::bad_input(
                        "filter.partnerId",
                        "is not an IndustryPartner ID",
                    )
                    .into())
                }
            }
        }
        if let Some(grade) = f.grade {
            criteria.grade = Some(Grade::parse("filter.grade", grade)?.get());
        }
        let page = store::opportunities_page(db, &criteria, &req).await?;
        Ok(OpportunityConnection(page.map(Opportunity::from)))
    }
}
