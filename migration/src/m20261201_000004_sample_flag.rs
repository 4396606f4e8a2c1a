//! `sample` on every catalogue record and on search documents: illustrative
//! records are told apart by a stored, indexed flag rather than by the wording
//! of their free-text `source`, so lists and search can leave them out.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every table whose rows are catalogue records, plus the search documents built from them.
const TABLES: &[&str] = &[
    "industry_sector",
    "pathway",
    "certification",
    "funding_program",
    "work_based_learning_type",
    "district",
    "school",
    "regional_program",
    "program_site",
    "jpa_membership",
    "funding_option",
    "college",
    "industry_partner",
    "course",
    "term",
    "course_offering",
    "dual_enrollment_agreement",
    "articulation",
    "industry_partnership",
    "opportunity",
    "search_document",
];

fn index_name(table: &str) -> String {
    format!("ix_{table}_sample")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(*table)
                        .add_column(boolean("sample").default(false))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(index_name(table))
                        .table(*table)
                        .col("sample")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            manager
                .drop_index(
                    Index::drop()
                        .name(index_name(table))
                        .table(*table)
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(*table)
                        .drop_column("sample")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
