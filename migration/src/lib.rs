//! Schema migrations, the only way the database schema changes.
//!
//! Every migration must run on both SQLite (the embedded default) and PostgreSQL
//! (production); the integration tests run them up, down and up again on both.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_catalog;
mod m20261123_000002_search_index;
mod m20261123_000003_changes_and_clients;
mod m20261201_000004_membership_date_precision;
mod m20261201_000004_sample_flag;
mod m20261202_000005_school_pathways;
mod m20261202_000010_educators;
mod m20261202_000011_district_codes;

/// All migrations in the order they apply.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_catalog::Migration),
            Box::new(m20261123_000002_search_index::Migration),
            Box::new(m20261123_000003_changes_and_clients::Migration),
            Box::new(m20261201_000004_sample_flag::Migration),
            Box::new(m20261201_000004_membership_date_precision::Migration),
            Box::new(m20261202_000005_school_pathways::Migration),
            Box::new(m20261202_000010_educators::Migration),
            Box::new(m20261202_000011_district_codes::Migration),
        ]
    }
}
