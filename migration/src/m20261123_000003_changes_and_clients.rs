//! The write side: the change log (audit trail and change feed in one table),
//! the lock row that puts writes in commit order, and registered API clients.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // change_event: one row per create, update or delete of a catalogue record, written in the
        // same transaction as the change. Its id is the change-feed position.
        manager
            .create_table(
                Table::create()
                    .table("change_event")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(timestamp_with_time_zone("occurred_at").default(Expr::current_timestamp()))
                    .col(string("record_type"))
                    .col(integer("record_key"))
                    .col(string("operation"))
                    .col(integer("record_version"))
                    .col(string_null("actor_sub"))
                    .col(string_null("actor_org"))
                    .col(string_null("request_id"))
                    .col(text_null("before_state"))
                    .col(text_null("after_state"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_change_event_record")
                    .table("change_event")
                    .col("record_type")
                    .col("record_key")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_change_event_actor_sub")
                    .table("change_event")
                    .col("actor_sub")
                    .to_owned(),
            )
            .await?;

        // change_lock: a single row every write transaction updates first, so writers run one
        // at a time and change positions are handed out in commit order.
        manager
            .create_table(
                Table::create()
                    .table("change_lock")
                    .if_not_exists()
                    .col(integer("id").primary_key())
                    .col(big_integer("writes").default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table("change_lock")
                    .columns(["id", "writes"])
                    .values_panic([1.into(), 0.into()])
                    .to_owned(),
            )
            .await?;

        // api_client: a partner system registered for the client-credentials flow.
        manager
            .create_table(
                Table::create()
                    .table("api_client")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_uniq("client_id"))
                    .col(string("name"))
                    .col(string("org"))
                    .col(string("roles"))
                    .col(string("secret_hash"))
                    .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["api_client", "change_lock", "change_event"] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
