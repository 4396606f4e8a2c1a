//! Full-text search over pathways, courses, programs, colleges and partners.
//!
//! One `search_document` row per searchable record (kept current by the API's
//! `search::reindex` functions). The index itself differs per database, the
//! one place the schema does: SQLite gets an external-content FTS5 table kept
//! in sync by triggers; PostgreSQL gets a generated, weighted `tsvector`
//! column with a GIN index.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, DatabaseBackend},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &str = r#"
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_document', content_rowid='id', tokenize='porter unicode61');
CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
  INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
  INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
  INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
"#;

const SQLITE_DOWN: &str = r#"
DROP TRIGGER IF EXISTS search_document_au;
DROP TRIGGER IF EXISTS search_document_ad;
DROP TRIGGER IF EXISTS search_document_ai;
DROP TABLE IF EXISTS search_fts;
"#;

const POSTGRES_UP: &str = r#"
ALTER TABLE search_document ADD COLUMN document tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(body, '')), 'B')
) STORED;
CREATE INDEX ix_search_document_document ON search_document USING GIN (document);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("search_document")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string("kind"))
                    .col(integer("record_id"))
                    .col(text("title"))
                    .col(text("body"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_search_document_kind_record_id")
                    .table("search_document")
                    .col("kind")
                    .col("record_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Sqlite => db.execute_unprepared(SQLITE_UP).await.map(|_| ()),
            DatabaseBackend::Postgres => db.execute_unprepared(POSTGRES_UP).await.map(|_| ()),
            _ => Ok(()),
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            db.execute_unprepared(SQLITE_DOWN).await?;
        }
        manager
            .drop_table(
                Table::drop()
                    .table("search_document")
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
