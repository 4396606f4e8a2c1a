//! Root fields for districts and schools.

use async_graphql::{Context, InputObject, Object, Result};
use sea_orm::DatabaseConnection;

use super::{
    store::{self, DistrictCriteria, SchoolCriteria},
    types::{District, DistrictConnection, School, SchoolConnection},
};
use crate::{
    catalog::programs::store as programs,
    codes::LeaCode,
    graphql::scalars::Date,
    paging::{Page, PageRequest},
};

/// Filters for `districts`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct DistrictFilter {
    /// Case-insensitive text in the name.
    pub search: Option<String>,
    /// County name, e.g. "Los Angeles".
    pub county: Option<String>,
    /// Only JPA members of this ROC/P (program code) on `onDate`.
    pub member_of: Option<String>,
    /// The date membership is checked on (default today).
    pub on_date: Option<Date>,
}

/// Filters for `schools`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct SchoolFilter {
    /// Only schools of this district (CDS code, or its `code` when it has none).
    pub district_cds_code: Option<String>,
    /// Case-insensitive text in the name or city.
    pub search: Option<String>,
}

/// District and school root fields.
#[derive(Default)]
pub struct DistrictQuery;

#[Object]
impl DistrictQuery {
    /// School districts, by name.
    async fn districts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<DistrictFilter>,
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
    ) -> Result<DistrictConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let filter = filter.unwrap_or_default();
        let mut criteria = DistrictCriteria {
            search: filter.search,
            county: filter.county,
            on_date: filter.on_date.map(|d| d.0),
            exclude_sample: !crate::graphql::provenance::include_sample(ctx, include_sample),
            ..Default::default()
        };
        if let Some(code) = filter.member_of {
            match programs::program_by_code(db, code.trim()).await? {
                Some(program) => criteria.member_of_program_id = Some(program.id),
                None => return Ok(DistrictConnection(Page::empty())),
            }
        }
        Ok(DistrictConnection(
            store::districts_page(db, &criteria, &req)
                .await?
                .map(District::from),
        ))
    }

    /// A district by its CDS code (or, for one with no CDS code on record, its `code`); null
    /// when unknown.
    async fn district(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The district's 14-digit CDS code from the CDE, ending in 0000000 (e.g. `19645350000000`); for a district with no CDS code on record, its `code` (e.g. `HART_UHSD`)."
        )]
        cds_code: String,
    ) -> Result<Option<District>> {
        let cds = LeaCode::parse_district("cdsCode", &cds_code)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(store::district_by_code(db, &cds).await?.map(Into::into))
    }

    /// Schools, by name.
    async fn schools(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<SchoolFilter>,
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
    ) -> Result<SchoolConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let filter = filter.unwrap_or_default();
        let mut criteria = SchoolCriteria {
            search: filter.search,
            exclude_sample: !crate::graphql::provenance::include_sample(ctx, include_sample),
            ..Default::default()
        };
        if let Some(raw) = filter.district_cds_code {
            let cds = LeaCode::parse_district("filter.districtCdsCode", &raw)?;
            match store::district_by_code(db, &cds).await? {
                Some(district) => criteria.district_id = Some(district.id),
                None => return Ok(SchoolConnection(Page::empty())),
            }
        }
        Ok(SchoolConnection(
            store::schools_page(db, &criteria, &req)
                .await?
                .map(School::from),
        ))
    }

    /// A school by its CDS code (or, for one with no CDS code on record, its `code`); null when
    /// unknown.
    async fn school(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The school's 14-digit CDS code from the CDE (e.g. `19645351932763`); for a school with no CDS code on record, its `code` (e.g. `OROVILLE_HIGH`)."
        )]
        cds_code: String,
    ) -> Result<Option<School>> {
        let cds = LeaCode::parse_school("cdsCode", &cds_code)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(store::school_by_code(db, &cds).await?.map(Into::into))
    }
}
