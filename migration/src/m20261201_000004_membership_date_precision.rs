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
            .await?;
        // Seeded rows whose source says the date is a placeholder ("joinedOn approximated:
        // ...": no source gives the day, month or year) were seeded before this column.
        manager
            .exec_stmt(
                Query::update()
                    .table("jpa_membership")
                    .value("joined_on_precision", "UNKNOWN")
                    .and_where(Expr::col("source").like("%joinedOn approximated%"))
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
