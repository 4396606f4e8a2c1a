//! Industry partner, partnership and opportunity mutations. An employer owns
//! its own record, its partnerships (together with the program named in one)
//! and its work-based-learning opportunities.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, ID};
use entity::{industry_partner, industry_partnership, opportunity};
use sea_orm::ConnectionTrait;

use super::types::{IndustryPartner, IndustryPartnership, Opportunity, PartnershipKind};
use crate::vocabulary::Stored;
use crate::{
    changes::{refs, validate, Record},
    error::{ApiError, ApiResult},
    graphql::{
        mutation::{apply, delete_record, resolve_maybe, set, writer, DeletedRecord},
        scalars::Date,
    },
    ids::NodeType,
    new_record,
};

impl Record for industry_partner::Entity {
    const NODE: NodeType = NodeType::IndustryPartner;
    const LABEL: &'static str = "industry partner";
    const DEPENDENTS: &'static [(&'static str, &'static str)] = &[
        ("industry_partnership", "partner_id"),
        ("opportunity", "partner_id"),
    ];
    const SEARCH_KIND: Option<&'static str> = Some(crate::catalog::search::index::PARTNER);

    async fn owners<C: ConnectionTrait>(
        _db: &C,
        m: &industry_partner::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![m.code.clone()])
    }

    fn validate(m: &industry_partner::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("name", &m.name, 200)?;
        validate::url("website", m.website.as_deref())?;
        validate::email("contactEmail", m.contact_email.as_deref())?;
        validate::optional_text("contactPhone", m.contact_phone.as_deref(), 40)?;
        validate::optional_text("description", m.description.as_deref(), 5000)?;
        validate::optional_text("city", m.city.as_deref(), 100)?;
        if let Some(naics) = &m.naics_code {
            if !(2..=6).contains(&naics.len()) || !naics.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ApiError::bad_input(
                    "input.naicsCode",
                    format!("'{naics}' is not a NAICS code: 2 to 6 digits"),
                ));
            }
        }
        validate::coordinates(m.lat, m.lng)
    }

    fn key(m: &industry_partner::Model) -> i32 {
        m.id
    }
}

impl Record for industry_partnership::Entity {
    const NODE: NodeType = NodeType::IndustryPartnership;
    const LABEL: &'static str = "partnership";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &industry_partnership::Model,
    ) -> ApiResult<Vec<String>> {
        let mut owners = vec![refs::partner_owner(db, m.partner_id).await?];
        if let Some(program_id) = m.program_id {
            owners.push(refs::program_owner(db, program_id).await?);
        }
        Ok(owners)
    }

    fn validate(m: &industry_partnership::Model) -> ApiResult<()> {
        if m.kinds.is_empty() {
            return Err(ApiError::bad_input("input.kinds", "name at least one kind"));
        }
        validate::optional_text("notes", m.notes.as_deref(), 2000)
    }

    fn key(m: &industry_partnership::Model) -> i32 {
        m.id
    }
}

impl Record for opportunity::Entity {
    const NODE: NodeType = NodeType::Opportunity;
    const LABEL: &'static str = "opportunity";

    async fn owners<C: ConnectionTrait>(db: &C, m: &opportunity::Model) -> ApiResult<Vec<String>> {
        Ok(vec![refs::partner_owner(db, m.partner_id).await?])
    }

    fn validate(m: &opportunity::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("title", &m.title, 200)?;
        validate::optional_text("description", m.description.as_deref(), 5000)?;
        validate::non_negative("hourlyWageCents", m.hourly_wage_cents.map(i64::from))?;
        validate::non_negative("hours", m.hours.map(i64::from))?;
        validate::non_negative("seats", m.seats.map(i64::from))?;
        validate::grade("minGrade", m.min_grade)?;
        validate::age("minAge", m.min_age)?;
        validate::url("applyUrl", m.apply_url.as_deref())?;
        validate::optional_text("locationName", m.location_name.as_deref(), 200)?;
        validate::optional_text("city", m.city.as_deref(), 100)?;
        if !m.paid && m.hourly_wage_cents.is_some_and(|w| w > 0) {
            return Err(ApiError::bad_input(
                "input.hourlyWageCents",
                "an unpaid opportunity has no wage: set paid to true or clear the wage",
            ));
        }
        validate::date_order("applyBy", m.apply_by, "startsOn", m.starts_on)?;
        validate::coordinates(m.lat, m.lng)
    }

    fn key(m: &opportunity::Model) -> i32 {
        m.id
    }
}

fn kinds(kinds: &[PartnershipKind]) -> String {
    let mut names: Vec<&str> = kinds.iter().map(|k| k.as_stored()).collect();
    names.dedup();
    names.join(",")
}

/// The input field of an opportunity's CALPADS work-based-learning type code.
const FIELD_WBL: &str = "input.calpadsWorkBasedLearningCode";

/// A new employer or industry association.
#[derive(InputObject)]
pub struct CreateIndustryPartnerInput {
    /// Code, unique in CTE Hub (1-40 letters, digits, `_`, `-`, `.`); it is also the `org` of the partner's own
    /// editors.
    pub code: String,
    /// Name (at most 200 characters); put "(sample)" in it for an illustrative partner.
    pub name: String,
    /// Public website (http or https).
    pub website: Option<String>,
    /// NAICS industry code (2–6 digits).
    pub naics_code: Option<String>,
    /// What it does (at most 5000 characters).
    pub description: Option<String>,
    /// A role address schools may write to, e.g. `internships@example.com` (never a person's
    /// private address).
    pub contact_email: Option<String>,
    /// A role phone number for schools (at most 40 characters).
    pub contact_phone: Option<String>,
    /// City (at most 100 characters).
    pub city: Option<String>,
    /// Latitude in decimal degrees (-90 to 90); give `lng` with it.
    pub lat: Option<f64>,
    /// Longitude in decimal degrees (-180 to 180); give `lat` with it.
    pub lng: Option<f64>,
    /// Where the facts come from: a URL, statute or reference; start it with "Sample data:"
    /// when details are illustrative.
    pub source: Option<String>,
}

/// Changes to a partner; omitted fields stay, `null` clears. The code cannot change (it is the
/// partner editors' `org`).
#[derive(InputObject)]
pub struct UpdateIndustryPartnerInput {
    /// New name (at most 200 characters); omit to keep.
    pub name: Option<String>,
    /// Public website (http or https); omit to keep, null to clear.
    pub website: MaybeUndefined<String>,
    /// NAICS industry code (2-6 digits); omit to keep, null to clear.
    pub naics_code: MaybeUndefined<String>,
    /// What it does (at most 5000 characters); omit to keep, null to clear.
    pub description: MaybeUndefined<String>,
    /// A role address schools may write to; omit to keep, null to clear.
    pub contact_email: MaybeUndefined<String>,
    /// A role phone number for schools (at most 40 characters); omit to keep, null to clear.
    pub contact_phone: MaybeUndefined<String>,
    /// City (at most 100 characters); omit to keep, null to clear.
    pub city: MaybeUndefined<String>,
    /// Latitude in decimal degrees (-90 to 90); change `lng` with it; omit to keep, null to
    /// clear.
    pub lat: MaybeUndefined<f64>,
    /// Longitude in decimal degrees (-180 to 180); change `lat` with it; omit to keep, null to
    /// clear.
    pub lng: MaybeUndefined<f64>,
    /// Where the facts come from (a URL, statute or reference); omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// A partner's new tie to a pathway.
#[derive(InputObject)]
pub struct CreateIndustryPartnershipInput {
    /// The partner (its code, e.g. `HONDA_PACT`).
    pub partner_code: String,
    /// The pathway (pathway code, e.g. `PATIENT_CARE`).
    pub pathway_code: String,
    /// The program it works with (code), if any.
    pub program_code: Option<String>,
    /// The course it supports (ID), if any.
    pub course_id: Option<ID>,
    /// What it offers in this pathway (at least one).
    pub kinds: Vec<PartnershipKind>,
    /// Since when (YYYY-MM-DD).
    pub started_on: Option<Date>,
    /// Notes, e.g. which schools and colleges take part (at most 2000 characters).
    pub notes: Option<String>,
    /// Where the facts come from: a URL, statute or reference; start it with "Sample data:"
    /// when details are illustrative.
    pub source: Option<String>,
}

/// Changes to a partnership; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateIndustryPartnershipInput {
    /// What it offers (at least one), replacing the list; omit to keep.
    pub kinds: Option<Vec<PartnershipKind>>,
    /// Since when (YYYY-MM-DD); omit to keep, null to clear.
    pub started_on: MaybeUndefined<Date>,
    /// Notes (at most 2000 characters); omit to keep, null to clear.
    pub notes: MaybeUndefined<String>,
    /// Where the facts come from (a URL, statute or reference); omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// A new work-based-learning opening.
#[derive(InputObject)]
pub struct CreateOpportunityInput {
    /// Code, unique in CTE Hub (1-40 letters, digits, `_`, `-`, `.`), e.g. `OPP-0001`.
    pub code: String,
    /// The partner that offers it (code).
    pub partner_code: String,
    /// The pathway it fits (code).
    pub pathway_code: Option<String>,
    /// What it is: internship, job shadow, apprenticeship, ...
    pub kind: PartnershipKind,
    /// The CALPADS work-based-learning type code (one CTE Hub holds).
    pub calpads_work_based_learning_code: Option<String>,
    /// Title students see, e.g. "Clinical medical assistant intern" (at most 200 characters).
    pub title: String,
    /// What the student does (at most 5000 characters).
    pub description: Option<String>,
    /// Whether it is paid (default false).
    #[graphql(default)]
    pub paid: bool,
    /// Hourly wage in cents (e.g. 1800 for $18.00), only when paid.
    pub hourly_wage_cents: Option<i32>,
    /// Total hours.
    pub hours: Option<i32>,
    /// Lowest grade (7-12).
    pub min_grade: Option<i32>,
    /// Lowest age in years (10-120).
    pub min_age: Option<i32>,
    /// Clearances needed (TB test, Live Scan, ...).
    #[graphql(default)]
    pub clearances: Vec<String>,
    /// How many students it takes.
    pub seats: Option<i32>,
    /// Start date (YYYY-MM-DD).
    pub starts_on: Option<Date>,
    /// Last day to apply (YYYY-MM-DD, not after `startsOn`).
    pub apply_by: Option<Date>,
    /// Where to apply (http or https).
    pub apply_url: Option<String>,
    /// Where it happens, e.g. the clinic or shop (at most 200 characters).
    pub location_name: Option<String>,
    /// City (at most 100 characters).
    pub city: Option<String>,
    /// Latitude in decimal degrees (-90 to 90); give `lng` with it.
    pub lat: Option<f64>,
    /// Longitude in decimal degrees (-180 to 180); give `lat` with it.
    pub lng: Option<f64>,
    /// Where the facts come from: a URL, statute or reference; start it with "Sample data:"
    /// when details are illustrative.
    pub source: Option<String>,
}

/// Changes to an opportunity; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateOpportunityInput {
    /// New code, unique in CTE Hub (1-40 letters, digits, `_`, `-`, `.`); omit to keep.
    pub code: Option<String>,
    /// The pathway it fits (pathway code); omit to keep, null to clear.
    pub pathway_code: MaybeUndefined<String>,
    /// Internship, job shadow, apprenticeship, ...; omit to keep.
    pub kind: Option<PartnershipKind>,
    /// The CALPADS work-based-learning type code (one CTE Hub holds, e.g. `10`); omit to keep,
    /// null to clear.
    pub calpads_work_based_learning_code: MaybeUndefined<String>,
    /// New title (at most 200 characters); omit to keep.
    pub title: Option<String>,
    /// What the student does (at most 5000 characters); omit to keep, null to clear.
    pub description: MaybeUndefined<String>,
    /// Whether it is paid; omit to keep.
    pub paid: Option<bool>,
    /// Hourly wage in cents, only when paid; omit to keep, null to clear.
    pub hourly_wage_cents: MaybeUndefined<i32>,
    /// Total hours; omit to keep, null to clear.
    pub hours: MaybeUndefined<i32>,
    /// Lowest grade (7-12); omit to keep, null to clear.
    pub min_grade: MaybeUndefined<i32>,
    /// Lowest age in years (10-120); omit to keep, null to clear.
    pub min_age: MaybeUndefined<i32>,
    /// Clearances needed (TB test, Live Scan, ...), replacing the list; omit to keep.
    pub clearances: Option<Vec<String>>,
    /// Openings; omit to keep, null to clear.
    pub seats: MaybeUndefined<i32>,
    /// Start date (YYYY-MM-DD); omit to keep, null to clear.
    pub starts_on: MaybeUndefined<Date>,
    /// Last day to apply (YYYY-MM-DD, not after `startsOn`); omit to keep, null to clear.
    pub apply_by: MaybeUndefined<Date>,
    /// Where to apply (http or https); omit to keep, null to clear.
    pub apply_url: MaybeUndefined<String>,
    /// Where it happens (at most 200 characters); omit to keep, null to clear.
    pub location_name: MaybeUndefined<String>,
    /// City (at most 100 characters); omit to keep, null to clear.
    pub city: MaybeUndefined<String>,
    /// Latitude in decimal degrees (-90 to 90); change `lng` with it; omit to keep, null to
    /// clear.
    pub lat: MaybeUndefined<f64>,
    /// Longitude in decimal degrees (-180 to 180); change `lat` with it; omit to keep, null to
    /// clear.
    pub lng: MaybeUndefined<f64>,
    /// Where the facts come from (a URL, statute or reference); omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// Industry partner mutations.
#[derive(Default)]
pub struct PartnerMutation;

#[Object]
impl PartnerMutation {
    /// Adds an industry partner (admins, or an editor whose `org` is the new partner's code).
    async fn create_industry_partner(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new industry partner.")] input: CreateIndustryPartnerInput,
    ) -> Result<IndustryPartner> {
        let writer = writer(ctx).await?;
        let model = new_record!(
            industry_partner::Model {
                code: input.code.trim().to_owned(),
                name: input.name.trim().to_owned(),
                website: input.website,
                naics_code: input.naics_code,
                description: input.description,
                contact_email: input.contact_email,
                contact_phone: input.contact_phone,
                city: input.city,
                lat: input.lat,
                lng: input.lng,
            },
            input.source
        );
        let saved = writer.create::<industry_partner::Entity>(model).await?;
        writer.commit().await?;
        Ok(IndustryPartner::from(saved))
    }

    /// Changes an industry partner.
    async fn update_industry_partner(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The industry partner's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the industry partner has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateIndustryPartnerInput,
    ) -> Result<IndustryPartner> {
        let key = refs::node_key("id", &id, NodeType::IndustryPartner)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<industry_partner::Entity>(key, expected_version, |m| {
                set(&mut m.name, input.name.map(|n| n.trim().to_owned()));
                apply(&mut m.website, input.website);
                apply(&mut m.naics_code, input.naics_code);
                apply(&mut m.description, input.description);
                apply(&mut m.contact_email, input.contact_email);
                apply(&mut m.contact_phone, input.contact_phone);
                apply(&mut m.city, input.city);
                apply(&mut m.lat, input.lat);
                apply(&mut m.lng, input.lng);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(IndustryPartner::from(saved))
    }

    /// Deletes a partner that has no live partnership or opportunity.
    async fn delete_industry_partner(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The industry partner's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the industry partner has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<industry_partner::Entity>(ctx, &id, expected_version).await?)
    }

    /// Ties a partner to a pathway.
    async fn create_industry_partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new industry partnership.")] input: CreateIndustryPartnershipInput,
    ) -> Result<IndustryPartnership> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let partner_id = refs::partner_id(db, "input.partnerCode", &input.partner_code).await?;
        let pathway_id = refs::pathway_id(db, "input.pathwayCode", &input.pathway_code).await?;
        let program_id = match &input.program_code {
            Some(code) => Some(refs::program_id(db, "input.programCode", code).await?),
            None => None,
        };
        let course_id = match &input.course_id {
            Some(id) => Some(refs::program_course(db, "input.courseId", id).await?.id),
            None => None,
        };
        let model = new_record!(
            industry_partnership::Model {
                partner_id,
                pathway_id,
                program_id,
                course_id,
                kinds: kinds(&input.kinds),
                started_on: input.started_on.map(|d| d.0),
                notes: input.notes,
            },
            input.source
        );
        let saved = writer.create::<industry_partnership::Entity>(model).await?;
        writer.commit().await?;
        Ok(IndustryPartnership::from(saved))
    }

    /// Changes a partnership.
    async fn update_industry_partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The industry partnership's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the industry partnership has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateIndustryPartnershipInput,
    ) -> Result<IndustryPartnership> {
        let key = refs::node_key("id", &id, NodeType::IndustryPartnership)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<industry_partnership::Entity>(key, expected_version, |m| {
                set(&mut m.kinds, input.kinds.as_deref().map(kinds));
                apply(&mut m.started_on, input.started_on.map_value(|d| d.0));
                apply(&mut m.notes, input.notes);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(IndustryPartnership::from(saved))
    }

    /// Deletes a partnership.
    async fn delete_industry_partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The industry partnership's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the industry partnership has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<industry_partnership::Entity>(ctx, &id, expected_version).await?)
    }

    /// Posts a work-based-learning opportunity.
    async fn create_opportunity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new opportunity.")] input: CreateOpportunityInput,
    ) -> Result<Opportunity> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let partner_id = refs::partner_id(db, "input.partnerCode", &input.partner_code).await?;
        let pathway_id = match &input.pathway_code {
            Some(code) => Some(refs::pathway_id(db, "input.pathwayCode", code).await?),
            None => None,
        };
        let wbl_type_code = match &input.calpads_work_based_learning_code {
            Some(code) => Some(refs::work_based_learning_type(db, FIELD_WBL, code).await?),
            None => None,
        };
        let model = new_record!(
            opportunity::Model {
                code: input.code.trim().to_owned(),
                partner_id,
                pathway_id,
                kind: input.kind.as_stored().to_owned(),
                wbl_type_code,
                title: input.title.trim().to_owned(),
                description: input.description,
                paid: input.paid,
                hourly_wage_cents: input.hourly_wage_cents,
                hours: input.hours,
                min_grade: input.min_grade,
                min_age: input.min_age,
                clearances: input.clearances.join(","),
                seats: input.seats,
                starts_on: input.starts_on.map(|d| d.0),
                apply_by: input.apply_by.map(|d| d.0),
                apply_url: input.apply_url,
                location_name: input.location_name,
                city: input.city,
                lat: input.lat,
                lng: input.lng,
            },
            input.source
        );
        let saved = writer.create::<opportunity::Entity>(model).await?;
        writer.commit().await?;
        Ok(Opportunity::from(saved))
    }

    /// Changes an opportunity (seats left, dates, ...).
    async fn update_opportunity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The opportunity's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the opportunity has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateOpportunityInput,
    ) -> Result<Opportunity> {
        let key = refs::node_key("id", &id, NodeType::Opportunity)?;
        let writer = writer(ctx).await?;
        let txn = writer.txn();
        let pathway_id = resolve_maybe(input.pathway_code, |code| async move {
            refs::pathway_id(txn, "input.pathwayCode", &code).await
        })
        .await?;
        let wbl_type_code = match input.calpads_work_based_learning_code {
            MaybeUndefined::Value(code) => {
                MaybeUndefined::Value(refs::work_based_learning_type(txn, FIELD_WBL, &code).await?)
            }
            MaybeUndefined::Null => MaybeUndefined::Null,
            MaybeUndefined::Undefined => MaybeUndefined::Undefined,
        };
        let saved = writer
            .update::<opportunity::Entity>(key, expected_version, |m| {
                set(&mut m.code, input.code.map(|c| c.trim().to_owned()));
                apply(&mut m.pathway_id, pathway_id);
                set(&mut m.kind, input.kind.map(|k| k.as_stored().to_owned()));
                apply(&mut m.wbl_type_code, wbl_type_code);
                set(&mut m.title, input.title.map(|t| t.trim().to_owned()));
                apply(&mut m.description, input.description);
                set(&mut m.paid, input.paid);
                apply(&mut m.hourly_wage_cents, input.hourly_wage_cents);
                apply(&mut m.hours, input.hours);
                apply(&mut m.min_grade, input.min_grade);
                apply(&mut m.min_age, input.min_age);
                set(&mut m.clearances, input.clearances.map(|c| c.join(",")));
                apply(&mut m.seats, input.seats);
                apply(&mut m.starts_on, input.starts_on.map_value(|d| d.0));
                apply(&mut m.apply_by, input.apply_by.map_value(|d| d.0));
                apply(&mut m.apply_url, input.apply_url);
                apply(&mut m.location_name, input.location_name);
                apply(&mut m.city, input.city);
                apply(&mut m.lat, input.lat);
                apply(&mut m.lng, input.lng);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(Opportunity::from(saved))
    }

    /// Deletes an opportunity.
    async fn delete_opportunity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The opportunity's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the opportunity has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<opportunity::Entity>(ctx, &id, expected_version).await?)
    }
}
