//! How precisely a membership's join date is known. Sources often give only a
//! year, or no date at all (the seed then records a placeholder), and answers
//! must not state a placeholder as an exact day.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // DAY, MONTH, YEAR or UNKNOWN; existing rows were written as exact days.
        manager
            .alter_table(
                Table::alter()
                    .table("jpa_membership")
                    .add_column(string("joined_on_precision").default("DAY"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("jpa_membership")
                    .drop_column("joined_on_precision")
                    .to_owned(),
            )
            .await
    }
}
