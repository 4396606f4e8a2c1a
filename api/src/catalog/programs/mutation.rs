//! Mutations of the records a ROC/P owns besides its courses: terms, sites,
//! JPA memberships and funding options, with the rules each row must follow.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, ID};
use entity::{funding_option, jpa_membership, program_site, term};
use sea_orm::ConnectionTrait;

use super::types::{
    FundingOption, FundingOptionKind, JpaMembership, ProgramSite, SiteKind, Term, TermKind,
};
use crate::vocabulary::Stored;
use crate::{
    catalog::eligibility::rules::DatePrecision,
    changes::{refs, validate, Record},
    error::ApiResult,
    graphql::{
        mutation::{apply, delete_record, resolve_maybe, set, writer, DeletedRecord},
        scalars::Date,
    },
    ids::NodeType,
    new_record,
};

impl Record for term::Entity {
    const NODE: NodeType = NodeType::Term;
    const LABEL: &'static str = "term";
    const DEPENDENTS: &'static [(&'static str, &'static str)] = &[("course_offering", "term_id")];

    async fn owners<C: ConnectionTrait>(db: &C, m: &term::Model) -> ApiResult<Vec<String>> {
        Ok(vec![refs::program_owner(db, m.program_id).await?])
    }

    fn validate(m: &term::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("name", &m.name, 200)?;
        validate::date_order("startsOn", Some(m.starts_on), "endsOn", Some(m.ends_on))
    }

    fn key(m: &term::Model) -> i32 {
        m.id
    }
}

impl Record for program_site::Entity {
    const NODE: NodeType = NodeType::ProgramSite;
    const LABEL: &'static str = "site";
    const DEPENDENTS: &'static [(&'static str, &'static str)] = &[("course_offering", "site_id")];

    async fn owners<C: ConnectionTrait>(db: &C, m: &program_site::Model) -> ApiResult<Vec<String>> {
        Ok(vec![refs::program_owner(db, m.program_id).await?])
    }

    fn validate(m: &program_site::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("name", &m.name, 200)?;
        validate::optional_text("address", m.address.as_deref(), 300)?;
        validate::optional_text("city", m.city.as_deref(), 100)?;
        validate::coordinates(m.lat, m.lng)
    }

    fn key(m: &program_site::Model) -> i32 {
        m.id
    }
}

impl Record for jpa_membership::Entity {
    const NODE: NodeType = NodeType::JpaMembership;
    const LABEL: &'static str = "JPA membership";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &jpa_membership::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![refs::program_owner(db, m.program_id).await?])
    }

    fn validate(m: &jpa_membership::Model) -> ApiResult<()> {
        validate::optional_text("notes", m.notes.as_deref(), 2000)?;
        validate::date_order("joinedOn", Some(m.joined_on), "withdrawnOn", m.withdrawn_on)
    }

    fn key(m: &jpa_membership::Model) -> i32 {
        m.id
    }
}

impl Record for funding_option::Entity {
    const NODE: NodeType = NodeType::FundingOption;
    const LABEL: &'static str = "funding option";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &funding_option::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![refs::program_owner(db, m.program_id).await?])
    }

    fn validate(m: &funding_option::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("name", &m.name, 200)?;
        validate::optional_text("description", m.description.as_deref(), 5000)?;
        validate::optional_text("eligibilityNotes", m.eligibility_notes.as_deref(), 2000)?;
        validate::url("url", m.url.as_deref())
    }

    fn key(m: &funding_option::Model) -> i32 {
        m.id
    }
}

/// A new term of a program.
#[derive(InputObject)]
pub struct CreateTermInput {
    /// The program (code) whose term it is.
    pub program_code: String,
    /// Code, unique within the program (1-40 letters, digits, `_`, `-`, `.`), e.g. `2026-FALL`.
    pub code: String,
    /// Name students see, e.g. "Fall 2026" (at most 200 characters).
    pub name: String,
    /// First day (YYYY-MM-DD).
    pub starts_on: Date,
    /// Last day (YYYY-MM-DD, not before `startsOn`).
    pub ends_on: Date,
    /// Semester, quarter, summer or supplemental.
    pub kind: TermKind,
    /// Whether member students get bus transportation this term (default true).
    #[graphql(default = true)]
    pub transportation_available: bool,
    /// Where the facts come from: a URL, statute or reference; start it with "Sample data:"
    /// when details are illustrative.
    pub source: Option<String>,
}

/// Changes to a term; omitted fields stay.
#[derive(InputObject)]
pub struct UpdateTermInput {
    /// New code, unique within the program (1-40 letters, digits, `_`, `-`, `.`); omit to keep.
    pub code: Option<String>,
    /// New name, e.g. "Fall 2026"; omit to keep.
    pub name: Option<String>,
    /// First day (YYYY-MM-DD); omit to keep.
    pub starts_on: Option<Date>,
    /// Last day (YYYY-MM-DD, not before `startsOn`); omit to keep.
    pub ends_on: Option<Date>,
    /// Semester, quarter, summer or supplemental; omit to keep.
    pub kind: Option<TermKind>,
    /// Whether member students get bus transportation this term; omit to keep.
    pub transportation_available: Option<bool>,
    /// Where the facts come from (a URL, statute or reference); omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// A new teaching site of a program.
#[derive(InputObject)]
pub struct CreateProgramSiteInput {
    /// The ROC/P it belongs to (program code, e.g. `SOCAL_ROC`); editors may only name their
    /// own.
    pub program_code: String,
    /// Code, unique within the program (1-40 letters, digits, `_`, `-`, `.`).
    pub code: String,
    /// Name, e.g. "SoCal ROC campus" (at most 200 characters).
    pub name: String,
    /// Central campus, member high school or other.
    pub kind: SiteKind,
    /// The school it is at (school CDS code or `code`), for member high-school classrooms.
    pub school_cds_code: Option<String>,
    /// Street address (at most 300 characters).
    pub address: Option<String>,
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

/// Changes to a site; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateProgramSiteInput {
    /// New code, unique within the program (1-40 letters, digits, `_`, `-`, `.`); omit to keep.
    pub code: Option<String>,
    /// New name (at most 200 characters); omit to keep.
    pub name: Option<String>,
    /// Central campus, member high school or other; omit to keep.
    pub kind: Option<SiteKind>,
    /// The school it is at (school CDS code or `code`); omit to keep, null to clear.
    pub school_cds_code: MaybeUndefined<String>,
    /// Street address (at most 300 characters); omit to keep, null to clear.
    pub address: MaybeUndefined<String>,
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

/// A district joining a program's joint powers agreement.
#[derive(InputObject)]
pub struct CreateJpaMembershipInput {
    /// The ROC/P whose JPA the district joins (program code, e.g. `SOCAL_ROC`).
    pub program_code: String,
    /// The member district's CDS code (14 digits ending in 0000000), or its `code` when it has none.
    pub district_cds_code: String,
    /// When the district joined (YYYY-MM-DD).
    pub joined_on: Date,
    /// How precisely `joinedOn` is known (default DAY); with MONTH, YEAR or UNKNOWN the day
    /// given is a placeholder and answers do not state it.
    #[graphql(default)]
    pub joined_on_precision: DatePrecision,
    /// When it left (YYYY-MM-DD, not before `joinedOn`); null while still a member.
    pub withdrawn_on: Option<Date>,
    /// Whether its students pay no tuition (default true).
    #[graphql(default = true)]
    pub covers_tuition: bool,
    /// Whether its students pay no materials fee (default true).
    #[graphql(default = true)]
    pub covers_materials: bool,
    /// Whether its students get bus transportation (default true).
    #[graphql(default = true)]
    pub covers_transportation: bool,
    /// Notes on the membership (at most 2000 characters).
    pub notes: Option<String>,
    /// Where the facts come from: a URL, statute or reference; start it with "Sample data:"
    /// when details are illustrative.
    pub source: Option<String>,
}

/// Changes to a membership; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateJpaMembershipInput {
    /// When the district joined (YYYY-MM-DD); omit to keep.
    pub joined_on: Option<Date>,
    /// How precisely `joinedOn` is known; omit to keep.
    pub joined_on_precision: Option<DatePrecision>,
    /// When it left (YYYY-MM-DD, not before `joinedOn`); omit to keep, null while still a
    /// member.
    pub withdrawn_on: MaybeUndefined<Date>,
    /// Whether its students pay no tuition; omit to keep.
    pub covers_tuition: Option<bool>,
    /// Whether its students pay no materials fee; omit to keep.
    pub covers_materials: Option<bool>,
    /// Whether its students get bus transportation; omit to keep.
    pub covers_transportation: Option<bool>,
    /// Notes on the membership (at most 2000 characters); omit to keep, null to clear.
    pub notes: MaybeUndefined<String>,
    /// Where the facts come from (a URL, statute or reference); omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// A new way non-member students can get a program paid for.
#[derive(InputObject)]
pub struct CreateFundingOptionInput {
    /// The ROC/P it belongs to (program code, e.g. `SOCAL_ROC`); editors may only name their
    /// own.
    pub program_code: String,
    /// Code, unique within the program (1-40 letters, digits, `_`, `-`, `.`).
    pub code: String,
    /// Name, e.g. "South Bay Workforce Investment Board" (at most 200 characters).
    pub name: String,
    /// Workforce board, rehabilitation, self-pay, scholarship or other.
    pub kind: FundingOptionKind,
    /// What it pays for (at most 5000 characters).
    pub description: Option<String>,
    /// Where to apply (http or https).
    pub url: Option<String>,
    /// Who qualifies, in the funder's words (at most 2000 characters).
    pub eligibility_notes: Option<String>,
    /// Where the facts come from: a URL, statute or reference; start it with "Sample data:"
    /// when details are illustrative.
    pub source: Option<String>,
}

/// Changes to a funding option; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateFundingOptionInput {
    /// New code, unique within the program (1-40 letters, digits, `_`, `-`, `.`); omit to keep.
    pub code: Option<String>,
    /// New name (at most 200 characters); omit to keep.
    pub name: Option<String>,
    /// Workforce board, rehabilitation, self-pay, scholarship or other; omit to keep.
    pub kind: Option<FundingOptionKind>,
    /// What it pays for (at most 5000 characters); omit to keep, null to clear.
    pub description: MaybeUndefined<String>,
    /// Where to apply (http or https); omit to keep, null to clear.
    pub url: MaybeUndefined<String>,
    /// Who qualifies (at most 2000 characters); omit to keep, null to clear.
    pub eligibility_notes: MaybeUndefined<String>,
    /// Where the facts come from (a URL, statute or reference); omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// Mutations of terms, sites, memberships and funding options.
#[derive(Default)]
pub struct ProgramMutation;

#[Object]
impl ProgramMutation {
    /// Adds a term to a program.
    async fn create_term(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new term.")] input: CreateTermInput,
    ) -> Result<Term> {
        let writer = writer(ctx).await?;
        let program_id =
            refs::program_id(writer.txn(), "input.programCode", &input.program_code).await?;
        let model = new_record!(
            term::Model {
                program_id,
                code: input.code.trim().to_owned(),
                name: input.name.trim().to_owned(),
                starts_on: input.starts_on.0,
                ends_on: input.ends_on.0,
                kind: input.kind.as_stored().to_owned(),
                transportation_available: input.transportation_available,
            },
            input.source
        );
        let saved = writer.create::<term::Entity>(model).await?;
        writer.commit().await?;
        Ok(Term::from(saved))
    }

    /// Changes a term (`expectedVersion`: the version you read).
    async fn update_term(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The term's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the term has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateTermInput,
    ) -> Result<Term> {
        let key = refs::node_key("id", &id, NodeType::Term)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<term::Entity>(key, expected_version, |m| {
                set(&mut m.code, input.code.map(|c| c.trim().to_owned()));
                set(&mut m.name, input.name.map(|n| n.trim().to_owned()));
                set(&mut m.starts_on, input.starts_on.map(|d| d.0));
                set(&mut m.ends_on, input.ends_on.map(|d| d.0));
                set(&mut m.kind, input.kind.map(|k| k.as_stored().to_owned()));
                set(
                    &mut m.transportation_available,
                    input.transportation_available,
                );
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(Term::from(saved))
    }

    /// Deletes a term no live offering uses.
    async fn delete_term(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The term's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the term has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<term::Entity>(ctx, &id, expected_version).await?)
    }

    /// Adds a teaching site to a program.
    async fn create_program_site(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new program site.")] input: CreateProgramSiteInput,
    ) -> Result<ProgramSite> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let program_id = refs::program_id(db, "input.programCode", &input.program_code).await?;
        let school_id = match &input.school_cds_code {
            Some(cds) => Some(refs::school_id(db, "input.schoolCdsCode", cds).await?),
            None => None,
        };
        let model = new_record!(
            program_site::Model {
                program_id,
                code: input.code.trim().to_owned(),
                name: input.name.trim().to_owned(),
                kind: input.kind.as_stored().to_owned(),
                school_id,
                address: input.address,
                city: input.city,
                lat: input.lat,
                lng: input.lng,
            },
            input.source
        );
        let saved = writer.create::<program_site::Entity>(model).await?;
        writer.commit().await?;
        Ok(ProgramSite::from(saved))
    }

    /// Changes a site.
    async fn update_program_site(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The program site's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the program site has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateProgramSiteInput,
    ) -> Result<ProgramSite> {
        let key = refs::node_key("id", &id, NodeType::ProgramSite)?;
        let writer = writer(ctx).await?;
        let txn = writer.txn();
        let school_id = resolve_maybe(input.school_cds_code, |cds| async move {
            refs::school_id(txn, "input.schoolCdsCode", &cds).await
        })
        .await?;
        let saved = writer
            .update::<program_site::Entity>(key, expected_version, |m| {
                set(&mut m.code, input.code.map(|c| c.trim().to_owned()));
                set(&mut m.name, input.name.map(|n| n.trim().to_owned()));
                set(&mut m.kind, input.kind.map(|k| k.as_stored().to_owned()));
                apply(&mut m.school_id, school_id);
                apply(&mut m.address, input.address);
                apply(&mut m.city, input.city);
                apply(&mut m.lat, input.lat);
                apply(&mut m.lng, input.lng);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(ProgramSite::from(saved))
    }

    /// Deletes a site no live offering uses.
    async fn delete_program_site(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The program site's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the program site has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<program_site::Entity>(ctx, &id, expected_version).await?)
    }

    /// Records a district joining a program's JPA (its students then attend free, per the
    /// benefits it covers).
    async fn create_jpa_membership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new JPA membership.")] input: CreateJpaMembershipInput,
    ) -> Result<JpaMembership> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let program_id = refs::program_id(db, "input.programCode", &input.program_code).await?;
        let district_id =
            refs::district_id(db, "input.districtCdsCode", &input.district_cds_code).await?;
        let model = new_record!(
            jpa_membership::Model {
                program_id,
                district_id,
                joined_on: input.joined_on.0,
                joined_on_precision: input.joined_on_precision.as_stored().to_owned(),
                withdrawn_on: input.withdrawn_on.map(|d| d.0),
                covers_tuition: input.covers_tuition,
                covers_materials: input.covers_materials,
                covers_transportation: input.covers_transportation,
                notes: input.notes,
            },
            input.source
        );
        let saved = writer.create::<jpa_membership::Entity>(model).await?;
        writer.commit().await?;
        Ok(JpaMembership::from(saved))
    }

    /// Changes a membership (e.g. records a withdrawal date).
    async fn update_jpa_membership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The JPA membership's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the JPA membership has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateJpaMembershipInput,
    ) -> Result<JpaMembership> {
        let key = refs::node_key("id", &id, NodeType::JpaMembership)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<jpa_membership::Entity>(key, expected_version, |m| {
                set(&mut m.joined_on, input.joined_on.map(|d| d.0));
                set(
                    &mut m.joined_on_precision,
                    input.joined_on_precision.map(|p| p.as_stored().to_owned()),
                );
                apply(&mut m.withdrawn_on, input.withdrawn_on.map_value(|d| d.0));
                set(&mut m.covers_tuition, input.covers_tuition);
                set(&mut m.covers_materials, input.covers_materials);
                set(&mut m.covers_transportation, input.covers_transportation);
                apply(&mut m.notes, input.notes);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(JpaMembership::from(saved))
    }

    /// Deletes a membership recorded by mistake (a district that left gets `withdrawnOn` instead).
    async fn delete_jpa_membership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The JPA membership's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the JPA membership has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<jpa_membership::Entity>(ctx, &id, expected_version).await?)
    }

    /// Adds a funding option to a program.
    async fn create_funding_option(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new funding option.")] input: CreateFundingOptionInput,
    ) -> Result<FundingOption> {
        let writer = writer(ctx).await?;
        let program_id =
            refs::program_id(writer.txn(), "input.programCode", &input.program_code).await?;
        let model = new_record!(
            funding_option::Model {
                program_id,
                code: input.code.trim().to_owned(),
                name: input.name.trim().to_owned(),
                kind: input.kind.as_stored().to_owned(),
                description: input.description,
                url: input.url,
                eligibility_notes: input.eligibility_notes,
            },
            input.source
        );
        let saved = writer.create::<funding_option::Entity>(model).await?;
        writer.commit().await?;
        Ok(FundingOption::from(saved))
    }

    /// Changes a funding option.
    async fn update_funding_option(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding option's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the funding option has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateFundingOptionInput,
    ) -> Result<FundingOption> {
        let key = refs::node_key("id", &id, NodeType::FundingOption)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<funding_option::Entity>(key, expected_version, |m| {
                set(&mut m.code, input.code.map(|c| c.trim().to_owned()));
                set(&mut m.name, input.name.map(|n| n.trim().to_owned()));
                set(&mut m.kind, input.kind.map(|k| k.as_stored().to_owned()));
                apply(&mut m.description, input.description);
                apply(&mut m.url, input.url);
                apply(&mut m.eligibility_notes, input.eligibility_notes);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(FundingOption::from(saved))
    }

    /// Deletes a funding option.
    async fn delete_funding_option(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding option's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the funding option has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<funding_option::Entity>(ctx, &id, expected_version).await?)
    }
}
