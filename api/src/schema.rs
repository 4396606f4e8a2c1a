//! The schema CTE Hub serves: root types assembled from the catalogue areas, and the
//! per-request batch loaders every execution gets. It sits above the catalogue (which it
//! assembles) and below the HTTP edge and the CLI (which serve and print it).

use std::{sync::Arc, time::Duration};

use async_graphql::{EmptySubscription, MergedObject, Request, Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;

use crate::{
    catalog::{
        colleges, courses, districts, educators, eligibility, funding, node, offerings, partners,
        pathways, programs, school_pathways, search,
    },
    changes,
    config::QueryLimits,
    graphql::{guard, mutation, provenance, reference::ReferenceCache, Loaders},
};

/// Where every read starts: California CTE sectors, pathways, ROC/Ps, districts, courses and
/// sections, eligibility answers, search and the change feed.
#[derive(MergedObject, Default)]
pub struct Query(
    pathways::query::PathwayQuery,
    programs::query::ProgramQuery,
    districts::query::DistrictQuery,
    courses::query::CourseQuery,
    offerings::query::OfferingQuery,
    eligibility::query::EligibilityQuery,
    search::query::SearchQuery,
    colleges::query::CollegeQuery,
    partners::query::PartnerQuery,
    funding::query::FundingQuery,
    educators::query::EducatorQuery,
    node::NodeQuery,
    changes::query::ChangeQuery,
);

/// Changes to the catalogue. Each needs a bearer token with the editor role for an organisation
/// that owns the record (or the admin role); updates and deletes name the `version` they read.
/// Every change shows up in the change feed and the audit log.
#[derive(MergedObject, Default)]
pub struct Mutation(
    courses::mutation::CourseMutation,
    offerings::mutation::OfferingMutation,
    programs::mutation::ProgramMutation,
    colleges::mutation::CollegeMutation,
    partners::mutation::PartnerMutation,
    school_pathways::mutation::SchoolPathwayMutation,
    educators::mutation::EducatorMutation,
);

/// The schema CTE Hub serves.
pub type CteHubSchema = Schema<Query, Mutation, EmptySubscription>;

/// Builds the schema: queries read `db` (a replica when configured), mutations write `write_db`;
/// `sample_data` is the default of every `includeSample` argument.
/// The cost and rate limits are applied before execution by the HTTP handler ([`crate::graphql::cost`]).
pub fn build_schema(
    db: DatabaseConnection,
    write_db: DatabaseConnection,
    limits: &QueryLimits,
    sample_data: bool,
) -> CteHubSchema {
    let mut builder = builder()
        .data(db)
        .data(provenance::SampleDefault(sample_data))
        .data(mutation::WriteDb(write_db))
        // Depth is checked before execution by [`guard`] (introspection apart from data); this
        // is upstream's own walk, kept as a second bound at the same limit.
        .limit_recursive_depth(guard::MAX_WALK_DEPTH);
    if !limits.suggestions {
        builder = builder.disable_suggestions();
    }
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The root types, with descriptions for the scalars that come from libraries (theirs speak to
/// Rust developers, ours to app developers).
fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .override_output_type_description::<chrono::DateTime<chrono::Utc>>(
            "A moment in time: an RFC 3339 (ISO 8601) timestamp in UTC, e.g. \
             `2026-11-23T17:05:00.123456+00:00`.",
        )
        .override_output_type_description::<serde_json::Value>(
            "Any JSON value; the field that returns it says what shape to expect.",
        )
}

/// The schema with no data attached: enough for its SDL and introspection, never for queries
/// that read the database.
pub fn schema_without_data() -> CteHubSchema {
    builder().finish()
}

/// The SDL of the served schema (what `schema.graphql` must contain).
pub fn sdl() -> String {
    schema_without_data().sdl()
}

/// Attaches the per-request batch loaders of every area.
pub fn with_loaders(
    request: Request,
    db: &DatabaseConnection,
    delay: Duration,
    reference: &Arc<ReferenceCache>,
) -> Request {
    let loaders = Loaders {
        db: db.clone(),
        delay,
        reference: Some(reference.clone()),
    };
    let request = request.data(reference.clone());
    let request = pathways::loaders::register(request, &loaders);
    let request = programs::loaders::register(request, &loaders);
    let request = districts::loaders::register(request, &loaders);
    let request = courses::loaders::register(request, &loaders);
    let request = offerings::loaders::register(request, &loaders);
    let request = colleges::loaders::register(request, &loaders);
    let request = funding::loaders::register(request, &loaders);
    let request = school_pathways::loaders::register(request, &loaders);
    let request = educators::loaders::register(request, &loaders);
    partners::loaders::register(request, &loaders)
}
