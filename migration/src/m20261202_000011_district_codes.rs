//! Districts and schools without a CDS code on record (issue 16): William S. Hart,
//! Coachella Valley and Oroville have sourced CTE facts but no public source for
//! their CDS codes, and an official code must never be invented.
//!
//! Every district and school gets a `code`, its key in CTE Hub: the CDS code when it
//! has one (so every existing reference still matches), else a short name such as
//! `HART_UHSD`. `cds_code` becomes optional and stays unique where present.
//!
//! A district's `county` becomes optional too: the sources for Hart and Coachella Valley
//! do not name it.
//!
//! Done by renaming columns and adding new, nullable ones: SQLite can neither drop NOT NULL
//! nor drop a UNIQUE column, and a rename keeps every foreign key.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &["district", "school"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            db.execute_unprepared("ALTER TABLE district ALTER COLUMN county DROP NOT NULL")
                .await?;
        } else {
            for statement in [
                "DROP INDEX ix_district_county",
                "ALTER TABLE district RENAME COLUMN county TO county_required",
                "ALTER TABLE district ADD COLUMN county varchar NULL",
                "UPDATE district SET county = county_required",
                "ALTER TABLE district DROP COLUMN county_required",
                "CREATE INDEX ix_district_county ON district (county)",
            ] {
                db.execute_unprepared(statement).await?;
            }
        }
        // A county a down migration had to store as '' is unknown again.
        db.execute_unprepared("UPDATE district SET county = NULL WHERE county = ''")
            .await?;
        for table in TABLES {
            for statement in [
                format!("ALTER TABLE {table} RENAME COLUMN cds_code TO code"),
                format!("ALTER TABLE {table} ADD COLUMN cds_code varchar NULL"),
                // Only CDS codes: a short code a down migration left in the key column is not one.
                format!(
                    "UPDATE {table} SET cds_code = code WHERE length(code) = 14 \
                     AND code >= '00000000000000' AND code <= '99999999999999'"
                ),
                format!("CREATE UNIQUE INDEX ux_{table}_cds_code ON {table} (cds_code)"),
            ] {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    /// A district or school without a CDS code keeps its short code in the old key column.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in TABLES {
            for statement in [
                format!("DROP INDEX ux_{table}_cds_code"),
                format!("ALTER TABLE {table} DROP COLUMN cds_code"),
                format!("ALTER TABLE {table} RENAME COLUMN code TO cds_code"),
            ] {
                db.execute_unprepared(&statement).await?;
            }
        }
        db.execute_unprepared("UPDATE district SET county = '' WHERE county IS NULL")
            .await?;
        if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            db.execute_unprepared("ALTER TABLE district ALTER COLUMN county SET NOT NULL")
                .await?;
        } else {
            for statement in [
                "DROP INDEX ix_district_county",
                "ALTER TABLE district RENAME COLUMN county TO county_optional",
                "ALTER TABLE district ADD COLUMN county varchar NOT NULL DEFAULT ''",
                "UPDATE district SET county = county_optional",
                "ALTER TABLE district DROP COLUMN county_optional",
                "CREATE INDEX ix_district_county ON district (county)",
            ] {
                db.execute_unprepared(statement).await?;
            }
        }
        Ok(())
    }
}
