//! GraphQL types of industry partners, partnerships and opportunities.

use crate::batch::DataLoader;
pub use crate::vocabulary::PartnershipKind;
use crate::vocabulary::Stored;
use async_graphql::{ComplexObject, Context, Result, SimpleObject, ID};
use entity::{industry_partner, industry_partnership, opportunity, pathway, regional_program};

use super::loaders::{OpportunitiesOfPartner, PartnershipsOfPartner, SectorsOfPartner};
use crate::{
    catalog::{
        pathways::types::{IndustrySector, Pathway},
        programs::types::RegionalProgram,
    },
    connection_types,
    error::from_load,
    graphql::{
        nested,
        nested::{by_id, required},
        provenance::Provenance,
        scalars::{stored_list, Date},
    },
    ids,
    ids::NodeType,
    paging::PageRequest,
    provenance,
};

/// An employer or industry association.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct IndustryPartner {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable CTE Hub code, e.g. `HONDA_PACT`; also the `org` of the partner's own editors.
    pub code: String,
    /// Name ("(sample)" marks an illustrative partner).
    pub name: String,
    /// Public website.
    pub website: Option<String>,
    /// NAICS industry code, where known.
    pub naics_code: Option<String>,
    /// What it does.
    pub description: Option<String>,
    /// A role address for schools (never a person's private data).
    pub contact_email: Option<String>,
    /// A role phone number for schools (never a person's private number).
    pub contact_phone: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Latitude in decimal degrees (WGS 84), where known.
    pub lat: Option<f64>,
    /// Longitude in decimal degrees (WGS 84), where known.
    pub lng: Option<f64>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub key: i32,
}

impl From<industry_partner::Model> for IndustryPartner {
    fn from(mut row: industry_partner::Model) -> Self {
        IndustryPartner {
            id: ids::encode(NodeType::IndustryPartner, row.id),
            provenance: provenance!(row),
            key: row.id,
            code: row.code,
            name: row.name,
            website: row.website,
            naics_code: row.naics_code,
            description: row.description,
            contact_email: row.contact_email,
            contact_phone: row.contact_phone,
            city: row.city,
            lat: row.lat,
            lng: row.lng,
        }
    }
}

#[ComplexObject]
impl IndustryPartner {
    /// Sectors it works in.
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<IndustrySector>> {
        let rows = ctx
            .data_unchecked::<DataLoader<SectorsOfPartner>>()
            .load_one(self.key)
            .await
            .map_err(from_load)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(Into::into).collect())
    }
    /// Its ties to pathways and what each offers.
    async fn partnerships(
        &self,
        ctx: &Context<'_>,
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
    ) -> Result<IndustryPartnershipConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(IndustryPartnershipConnection(
            nested::child_page::<PartnershipsOfPartner>(
                ctx,
                self.key,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(IndustryPartnership::from),
        ))
    }
    /// Its work-based-learning openings, by title.
    async fn opportunities(
        &self,
        ctx: &Context<'_>,
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
        Ok(OpportunityConnection(
            nested::child_page::<OpportunitiesOfPartner>(
                ctx,
                self.key,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(Opportunity::from),
        ))
    }
}

connection_types!(
    IndustryPartner,
    IndustryPartnerConnection,
    IndustryPartnerEdge,
    "A page of industry partners."
);

/// An industry partner's tie to a pathway.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct IndustryPartnership {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// What the partner offers in this pathway.
    pub kinds: Vec<PartnershipKind>,
    /// Since when.
    pub started_on: Option<Date>,
    /// Notes on the partnership, e.g. which schools and colleges take part.
    pub notes: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub row: industry_partnership::Model,
}

impl From<industry_partnership::Model> for IndustryPartnership {
    fn from(mut row: industry_partnership::Model) -> Self {
        IndustryPartnership {
            id: ids::encode(NodeType::IndustryPartnership, row.id),
            provenance: provenance!(row),
            kinds: stored_list(&row.kinds)
                .iter()
                .map(|k| Stored::read_stored(k))
                .collect(),
            started_on: row.started_on.map(Date),
            notes: row.notes.clone(),
            row,
        }
    }
}

#[ComplexObject]
impl IndustryPartnership {
    /// The partner.
    async fn partner(&self, ctx: &Context<'_>) -> Result<IndustryPartner> {
        Ok(
            required::<industry_partner::Entity>(ctx, self.row.partner_id, "partner")
                .await?
                .into(),
        )
    }
    /// The pathway.
    async fn pathway(&self, ctx: &Context<'_>) -> Result<Pathway> {
        Ok(
            required::<pathway::Entity>(ctx, self.row.pathway_id, "pathway")
                .await?
                .into(),
        )
    }
    /// The ROC/P it works with, when it is one program's partner.
    async fn program(&self, ctx: &Context<'_>) -> Result<Option<RegionalProgram>> {
        match self.row.program_id {
            Some(id) => Ok(by_id::<regional_program::Entity>(ctx, id)
                .await?
                .map(Into::into)),
            None => Ok(None),
        }
    }
}

connection_types!(
    IndustryPartnership,
    IndustryPartnershipConnection,
    IndustryPartnershipEdge,
    "A page of partnerships."
);

/// A concrete work-based-learning opening.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Opportunity {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable CTE Hub code, e.g. `OPP-0001`.
    pub code: String,
    /// Internship, job shadow, ...
    pub kind: PartnershipKind,
    /// CALPADS work-based-learning type code where one applies (10 Internship, ...).
    pub calpads_work_based_learning_code: Option<String>,
    /// The title students see, e.g. "Clinical medical assistant intern".
    pub title: String,
    /// What the student does.
    pub description: Option<String>,
    /// Whether it is paid.
    pub paid: bool,
    /// Hourly wage in cents, when paid.
    pub hourly_wage_cents: Option<i32>,
    /// Total hours.
    pub hours: Option<i32>,
    /// Lowest grade it takes (7-12).
    pub min_grade: Option<i32>,
    /// Lowest age it takes, in years.
    pub min_age: Option<i32>,
    /// Clearances needed (TB test, background check, work permit).
    pub clearances: Vec<String>,
    /// How many students it takes.
    pub seats: Option<i32>,
    /// The day it starts.
    pub starts_on: Option<Date>,
    /// The last day to apply.
    pub apply_by: Option<Date>,
    /// Where to apply.
    pub apply_url: Option<String>,
    /// Where it happens.
    pub location_name: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Latitude (decimal degrees).
    pub lat: Option<f64>,
    /// Longitude (decimal degrees).
    pub lng: Option<f64>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub row: opportunity::Model,
}

impl From<opportunity::Model> for Opportunity {
    fn from(mut row: opportunity::Model) -> Self {
        Opportunity {
            id: ids::encode(NodeType::Opportunity, row.id),
            provenance: provenance!(row),
            code: row.code.clone(),
            kind: Stored::read_stored(&row.kind),
            calpads_work_based_learning_code: row.wbl_type_code.clone(),
            title: row.title.clone(),
            description: row.description.clone(),
            paid: row.paid,
            hourly_wage_cents: row.hourly_wage_cents,
            hours: row.hours,
            min_grade: row.min_grade,
            min_age: row.min_age,
            clearances: stored_list(&row.clearances),
            seats: row.seats,
            starts_on: row.starts_on.map(Date),
            apply_by: row.apply_by.map(Date),
            apply_url: row.apply_url.clone(),
            location_name: row.location_name.clone(),
            city: row.city.clone(),
            lat: row.lat,
            lng: row.lng,
            row,
        }
    }
}

#[ComplexObject]
impl Opportunity {
    /// The employer offering it.
    async fn partner(&self, ctx: &Context<'_>) -> Result<IndustryPartner> {
        Ok(
            required::<industry_partner::Entity>(ctx, self.row.partner_id, "partner")
                .await?
                .into(),
        )
    }
    /// The pathway it belongs to.
    async fn pathway(&self, ctx: &Context<'_>) -> Result<Option<Pathway>> {
        match self.row.pathway_id {
            Some(id) => Ok(by_id::<pathway::Entity>(ctx, id).await?.map(Into::into)),
            None => Ok(None),
        }
    }
}

connection_types!(
    Opportunity,
    OpportunityConnection,
    OpportunityEdge,
    "A page of opportunities."
);
