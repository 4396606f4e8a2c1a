//! Educator programs and sign-up (issue 16, items 2 and 3): organisations that
//! prepare or support CTE teachers, their programs and the sectors they serve,
//! their partnerships with districts, CTE teaching openings, public role
//! contacts of ROC/Ps, schools and educator programs, and registration links
//! with enrolment windows on ROC/Ps, offerings and educator programs.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// New tables in creation order (parents first); dropped in reverse.
const TABLES: &[&str] = &[
    "educator_organization",
    "educator_program",
    "educator_program_sector",
    "educator_partnership",
    "teaching_opening",
    "contact",
];

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

fn fk(table: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(to, "id")
        .to_owned()
}

fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create()
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(table)
        .to_owned();
    for column in columns {
        index.col(*column);
    }
    index
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // An organisation that recruits, prepares or supports CTE teachers.
        let mut table = Table::create()
            .table("educator_organization")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(string("name"));
        table.col(string("kind"));
        table.col(text_null("description"));
        table.col(integer_null("founded_year"));
        table.col(string_null("website"));
        table.col(string_null("city"));
        table.col(integer_null("district_id"));
        table.col(integer_null("professionals_recruited"));
        table.col(integer_null("students_reached"));
        table.col(integer_null("partner_schools"));
        table.col(text_null("counts_wording"));
        table.foreign_key(&mut fk("educator_organization", "district_id", "district"));
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(index("educator_organization", &["sample"]))
            .await?;

        // One program of an organisation: recruitment, credential preparation or mentorship.
        let mut table = Table::create()
            .table("educator_program")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(integer("organization_id"));
        table.col(string("name"));
        table.col(string("kind"));
        table.col(text_null("description"));
        table.col(text_null("serves"));
        table.col(text_null("compensation"));
        table.col(string_null("meeting_cadence"));
        table.col(integer_null("cohort_size"));
        table.col(string_null("registration_url"));
        table.col(date_null("enrollment_opens_on"));
        table.col(date_null("enrollment_closes_on"));
        table.foreign_key(&mut fk(
            "educator_program",
            "organization_id",
            "educator_organization",
        ));
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(index("educator_program", &["organization_id"]))
            .await?;
        manager
            .create_index(index("educator_program", &["sample"]))
            .await?;

        // The sectors an educator program serves (a link table, like a partner's sectors).
        let mut table = Table::create()
            .table("educator_program_sector")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("program_id"));
        table.col(integer("sector_id"));
        table.foreign_key(&mut fk(
            "educator_program_sector",
            "program_id",
            "educator_program",
        ));
        table.foreign_key(&mut fk(
            "educator_program_sector",
            "sector_id",
            "industry_sector",
        ));
        manager.create_table(table).await?;
        manager
            .create_index(
                index("educator_program_sector", &["program_id", "sector_id"])
                    .unique()
                    .to_owned(),
            )
            .await?;

        // A program's partnership with a district: when, who pays, how many teachers.
        let mut table = Table::create()
            .table("educator_partnership")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(integer("program_id"));
        table.col(integer("district_id"));
        table.col(date_null("announced_on"));
        table.col(string_null("first_school_year"));
        table.col(string_null("last_school_year"));
        table.col(string_null("starts_wording"));
        table.col(text("funders").default(""));
        table.col(integer_null("new_teachers_per_year"));
        table.col(integer_null("mentors_per_year"));
        table.col(integer_null("expected_students"));
        table.col(string_null("expected_students_wording"));
        table.col(text_null("notes"));
        table.foreign_key(&mut fk(
            "educator_partnership",
            "program_id",
            "educator_program",
        ));
        table.foreign_key(&mut fk("educator_partnership", "district_id", "district"));
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(index("educator_partnership", &["program_id"]))
            .await?;
        manager
            .create_index(index("educator_partnership", &["district_id"]))
            .await?;

        // An open CTE teaching position at a district or one of its schools.
        let mut table = Table::create()
            .table("teaching_opening")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(integer("district_id"));
        table.col(integer_null("school_id"));
        table.col(integer("sector_id"));
        table.col(integer_null("pathway_id"));
        table.col(string("title"));
        table.col(text_null("description"));
        table.col(string_null("credential_required"));
        table.col(date_null("apply_by"));
        table.col(string_null("apply_url"));
        table.foreign_key(&mut fk("teaching_opening", "district_id", "district"));
        table.foreign_key(&mut fk("teaching_opening", "school_id", "school"));
        table.foreign_key(&mut fk("teaching_opening", "sector_id", "industry_sector"));
        table.foreign_key(&mut fk("teaching_opening", "pathway_id", "pathway"));
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(index("teaching_opening", &["district_id", "sector_id"]))
            .await?;
        manager
            .create_index(index("teaching_opening", &["sample"]))
            .await?;

        // A public contact by role (never a person) of a ROC/P, a school or an educator program.
        let mut table = Table::create()
            .table("contact")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer_null("program_id"));
        table.col(integer_null("school_id"));
        table.col(integer_null("educator_program_id"));
        table.col(string("role"));
        table.col(string_null("label"));
        table.col(string_null("phone"));
        table.col(string_null("email"));
        table.col(string_null("url"));
        table.foreign_key(&mut fk("contact", "program_id", "regional_program"));
        table.foreign_key(&mut fk("contact", "school_id", "school"));
        table.foreign_key(&mut fk(
            "contact",
            "educator_program_id",
            "educator_program",
        ));
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        for column in ["program_id", "school_id", "educator_program_id"] {
            manager.create_index(index("contact", &[column])).await?;
        }

        // Where and when to sign up, on ROC/Ps and their sections.
        for column in [
            string_null("registration_url"),
            date_null("enrollment_opens_on"),
            date_null("enrollment_closes_on"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("regional_program")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("course_offering")
                    .add_column(string_null("registration_url"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("course_offering")
                    .drop_column("registration_url")
                    .to_owned(),
            )
            .await?;
        for column in [
            "enrollment_closes_on",
            "enrollment_opens_on",
            "registration_url",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("regional_program")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in TABLES.iter().rev() {
            manager
                .drop_table(Table::drop().table(*table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
