//! Pathways that districts and schools run themselves (issue 16): a school or
//! district offers a pathway as a program of study (`school_pathway`), with its
//! course sequence (`school_pathway_course`), and the district-level facts a
//! source states (`district_fact`, e.g. "58 pathways across 128 schools").
//!
//! A course now belongs to a ROC/P *or* to a district (and optionally one of its
//! schools): `course.program_id` becomes nullable and a CHECK keeps exactly one
//! owner. SQLite cannot change a column or add a CHECK in place, so there the
//! table is rebuilt inside the migration's transaction, keeping every id.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, DatabaseBackend},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The owner rule, the same text on both databases.
const OWNER_CHECK: &str = "(program_id IS NULL) <> (district_id IS NULL)";

/// Columns every catalogue record carries (as in the first migration, plus `sample`).
fn with_record_columns(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
        .col(timestamp_with_time_zone("updated_at").default(Expr::current_timestamp()))
        .col(integer("version").default(1))
        .col(text_null("source"))
        .col(date_null("source_updated_at"))
        .col(timestamp_with_time_zone_null("deleted_at"))
        .col(boolean("sample").default(false))
}

/// The course columns of the first migration (and `sample`), in their order.
const COURSE_COLUMNS: &str = "id, program_id, pathway_id, code, state_course_code, title, \
    description, level, catalog_school, hours, high_school_credits, ag_area, uc_approved_year, \
    honors, min_grade, min_age, ctso, created_at, updated_at, version, source, \
    source_updated_at, deleted_at, sample";

/// The course table as SQLite rebuilds it; `owned_by_district` adds the district
/// owner and the CHECK (up), without it the table is as before (down).
fn course_table(owned_by_district: bool) -> TableCreateStatement {
    let mut table = Table::create()
        .table("course")
        .col(pk_auto("id"))
        .to_owned();
    if owned_by_district {
        table.col(integer_null("program_id"));
    } else {
        table.col(integer("program_id"));
    }
    table.col(integer_null("pathway_id"));
    table.col(string("code"));
    table.col(string_null("state_course_code"));
    table.col(string("title"));
    table.col(text_null("description"));
    table.col(string("level"));
    table.col(string_null("catalog_school"));
    table.col(integer_null("hours"));
    table.col(integer_null("high_school_credits"));
    table.col(string_null("ag_area"));
    table.col(integer_null("uc_approved_year"));
    table.col(boolean("honors").default(false));
    table.col(integer_null("min_grade"));
    table.col(integer_null("min_age"));
    table.col(string_null("ctso"));
    table.foreign_key(
        ForeignKey::create()
            .name("fk_course_program_id")
            .from("course", "program_id")
            .to("regional_program", "id"),
    );
    table.foreign_key(
        ForeignKey::create()
            .name("fk_course_pathway_id")
            .from("course", "pathway_id")
            .to("pathway", "id"),
    );
    with_record_columns(&mut table);
    if owned_by_district {
        table.col(integer_null("district_id"));
        table.col(integer_null("school_id"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_course_district_id")
                .from("course", "district_id")
                .to("district", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_course_school_id")
                .from("course", "school_id")
                .to("school", "id"),
        );
        table.check(Expr::cust(OWNER_CHECK));
    }
    table
}

/// The course indexes of the earlier migrations (dropped with the table on SQLite).
fn course_indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create()
            .name("ux_course_program_id_code")
            .table("course")
            .col("program_id")
            .col("code")
            .unique()
            .to_owned(),
        Index::create()
            .name("ix_course_pathway_id_level")
            .table("course")
            .col("pathway_id")
            .col("level")
            .to_owned(),
        Index::create()
            .name("ix_course_ag_area")
            .table("course")
            .col("ag_area")
            .to_owned(),
        Index::create()
            .name("ix_course_title")
            .table("course")
            .col("title")
            .to_owned(),
        Index::create()
            .name("ix_course_sample")
            .table("course")
            .col("sample")
            .to_owned(),
    ]
}

/// A district's own course codes are unique within the district.
fn district_course_index() -> IndexCreateStatement {
    Index::create()
        .name("ux_course_district_id_code")
        .table("course")
        .col("district_id")
        .col("code")
        .unique()
        .to_owned()
}

/// Rebuilds `course` on SQLite with `columns` copied. Foreign keys stay on but are
/// deferred to the commit: dropping the old table counts the rows that point at
/// it, and inserting the same ids into the new table counts them back.
async fn rebuild_course_on_sqlite(
    manager: &SchemaManager<'_>,
    owned_by_district: bool,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared("PRAGMA defer_foreign_keys = ON")
        .await?;
    db.execute_unprepared("CREATE TABLE course_rebuild AS SELECT * FROM course")
        .await?;
    db.execute_unprepared("DROP TABLE course").await?;
    manager
        .create_table(course_table(owned_by_district))
        .await?;
    db.execute_unprepared(&format!(
        "INSERT INTO course ({COURSE_COLUMNS}) SELECT {COURSE_COLUMNS} FROM course_rebuild"
    ))
    .await?;
    db.execute_unprepared("DROP TABLE course_rebuild").await?;
    for index in course_indexes() {
        manager.create_index(index).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on both databases, so a failed rebuild leaves the old table.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            rebuild_course_on_sqlite(manager, true).await?;
        } else {
            for statement in [
                "ALTER TABLE course ALTER COLUMN program_id DROP NOT NULL".to_owned(),
                "ALTER TABLE course ADD COLUMN district_id integer NULL \
                 CONSTRAINT fk_course_district_id REFERENCES district (id)"
                    .to_owned(),
                "ALTER TABLE course ADD COLUMN school_id integer NULL \
                 CONSTRAINT fk_course_school_id REFERENCES school (id)"
                    .to_owned(),
                format!("ALTER TABLE course ADD CONSTRAINT ck_course_owner CHECK ({OWNER_CHECK})"),
            ] {
                db.execute_unprepared(&statement).await?;
            }
        }
        manager.create_index(district_course_index()).await?;

        // school_pathway: a district (and optionally one of its schools) runs a pathway
        // as a program of study.
        let mut table = Table::create()
            .table("school_pathway")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(integer("district_id"));
        table.col(integer_null("school_id"));
        // The state pathway; null when the source names only the district's own label.
        table.col(integer_null("pathway_id"));
        // True when the link to the state pathway is CTE Hub's reading, not the source's.
        table.col(boolean("pathway_inferred").default(false));
        table.col(string("local_name"));
        table.col(text_null("description"));
        // Comma-separated CERTIFICATE_OF_COMPLETION, INDUSTRY_CERTIFICATION, COLLEGE_CREDIT.
        table.col(text("earns").default(""));
        table.col(integer_null("credit_agreement_id"));
        // Comma-separated SCHOOL_DAY, EXTENDED_DAY, SATURDAY.
        table.col(text("schedules").default(""));
        table.col(string_null("ctso"));
        table.col(integer_null("grade_low"));
        table.col(integer_null("grade_high"));
        // A California Partnership Academy, and the funding program that pays for it.
        table.col(boolean("academy").default(false));
        table.col(integer_null("academy_funding_program_id"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_school_pathway_district_id")
                .from("school_pathway", "district_id")
                .to("district", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_school_pathway_school_id")
                .from("school_pathway", "school_id")
                .to("school", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_school_pathway_pathway_id")
                .from("school_pathway", "pathway_id")
                .to("pathway", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_school_pathway_credit_agreement_id")
                .from("school_pathway", "credit_agreement_id")
                .to("dual_enrollment_agreement", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_school_pathway_academy_funding_program_id")
                .from("school_pathway", "academy_funding_program_id")
                .to("funding_program", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        for (name, col) in [
            ("ix_school_pathway_district_id", "district_id"),
            ("ix_school_pathway_school_id", "school_id"),
            ("ix_school_pathway_pathway_id", "pathway_id"),
            ("ix_school_pathway_sample", "sample"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("school_pathway")
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        // school_pathway_course: a course of the program's sequence, or a middle-school
        // feeder (exploration) course.
        let mut table = Table::create()
            .table("school_pathway_course")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("school_pathway_id"));
        table.col(integer("course_id"));
        table.col(boolean("feeder").default(false));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_school_pathway_course_school_pathway_id")
                .from("school_pathway_course", "school_pathway_id")
                .to("school_pathway", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_school_pathway_course_course_id")
                .from("school_pathway_course", "course_id")
                .to("course", "id"),
        );
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_school_pathway_course_school_pathway_id_course_id")
                    .table("school_pathway_course")
                    .col("school_pathway_id")
                    .col("course_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_school_pathway_course_course_id")
                    .table("school_pathway_course")
                    .col("course_id")
                    .to_owned(),
            )
            .await?;

        // district_fact: a count a source states for a whole district.
        let mut table = Table::create()
            .table("district_fact")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(integer("district_id"));
        // PATHWAYS, SCHOOLS, SECTORS, FEEDER_PROGRAMS.
        table.col(string("kind"));
        table.col(integer("count"));
        // "13 of 15 sectors": the whole the count is part of, when the source gives one.
        table.col(integer_null("out_of"));
        table.col(text("statement"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_district_fact_district_id")
                .from("district_fact", "district_id")
                .to("district", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_district_fact_district_id")
                    .table("district_fact")
                    .col("district_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["district_fact", "school_pathway_course", "school_pathway"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        // District courses cannot exist without the district owner: remove them and
        // whatever points at them.
        let db = manager.get_connection();
        for (table, column) in [
            ("course_certification", "course_id"),
            ("course_prerequisite", "course_id"),
            ("course_prerequisite", "prerequisite_id"),
            ("course_offering", "course_id"),
            ("articulation", "course_id"),
            ("industry_partnership", "course_id"),
        ] {
            db.execute_unprepared(&format!(
                "DELETE FROM {table} WHERE {column} IN (SELECT id FROM course WHERE program_id IS NULL)"
            ))
            .await?;
        }
        db.execute_unprepared("DELETE FROM course WHERE program_id IS NULL")
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ux_course_district_id_code")
                    .table("course")
                    .to_owned(),
            )
            .await?;
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            rebuild_course_on_sqlite(manager, false).await
        } else {
            for statement in [
                "ALTER TABLE course DROP CONSTRAINT ck_course_owner",
                "ALTER TABLE course DROP COLUMN school_id",
                "ALTER TABLE course DROP COLUMN district_id",
                "ALTER TABLE course ALTER COLUMN program_id SET NOT NULL",
            ] {
                db.execute_unprepared(statement).await?;
            }
            Ok(())
        }
    }
}
