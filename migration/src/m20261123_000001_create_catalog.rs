//! The whole catalogue schema as of the first release: reference data, organisations,
//! catalogue, dual enrollment and work-based learning.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables in creation order (parents before children); dropped in reverse.
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
    "industry_partner_sector",
    "course",
    "course_certification",
    "course_prerequisite",
    "term",
    "course_offering",
    "dual_enrollment_agreement",
    "articulation",
    "industry_partnership",
    "opportunity",
];

/// Columns every catalogue record carries: timestamps, optimistic-concurrency version,
/// provenance and a soft-delete marker.
fn with_record_columns(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
        .col(timestamp_with_time_zone("updated_at").default(Expr::current_timestamp()))
        .col(integer("version").default(1))
        .col(text_null("source"))
        .col(date_null("source_updated_at"))
        .col(timestamp_with_time_zone_null("deleted_at"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // industry_sector: One of California's 15 CTE industry sectors; the top of the catalogue tree.
        let mut table = Table::create()
            .table("industry_sector")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(string("name"));
        table.col(text("aliases").default(""));
        table.col(text_null("description"));
        table.col(integer("sort_order").default(0));
        with_record_columns(&mut table);
        manager.create_table(table).await?;

        // pathway: A career pathway of the CTE Model Curriculum Standards: a sequence of courses inside one sector.
        let mut table = Table::create()
            .table("pathway")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("sector_id"));
        table.col(string_uniq("code"));
        table.col(string_null("calpads_code"));
        table.col(string("name"));
        table.col(text("aliases").default(""));
        table.col(text_null("description"));
        table.col(integer("sort_order").default(0));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_pathway_sector_id")
                .from("pathway", "sector_id")
                .to("industry_sector", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_pathway_sector_id_name")
                    .table("pathway")
                    .col("sector_id")
                    .col("name")
                    .to_owned(),
            )
            .await?;

        // certification: An industry-recognized certification or state licence a course prepares for.
        let mut table = Table::create()
            .table("certification")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(string("name"));
        table.col(string_null("issuer"));
        table.col(string_null("url"));
        table.col(text_null("description"));
        with_record_columns(&mut table);
        manager.create_table(table).await?;

        // funding_program: A way CTE is paid for (CTEIG, Strong Workforce, Perkins V, ...), kept as reference.
        let mut table = Table::create()
            .table("funding_program")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(string("name"));
        table.col(string("kind"));
        table.col(text_null("description"));
        table.col(string_null("url"));
        with_record_columns(&mut table);
        manager.create_table(table).await?;

        // work_based_learning_type: A CALPADS work-based-learning type code (10 Internship, ...).
        let mut table = Table::create()
            .table("work_based_learning_type")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(string("name"));
        with_record_columns(&mut table);
        manager.create_table(table).await?;

        // district: A California school district (LEA), keyed by its 14-digit CDS code.
        let mut table = Table::create()
            .table("district")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("cds_code"));
        table.col(string("name"));
        table.col(string("county"));
        table.col(string_null("nces_id"));
        table.col(string_null("website"));
        table.col(string("status").default("ACTIVE"));
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_district_name")
                    .table("district")
                    .col("name")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_district_county")
                    .table("district")
                    .col("county")
                    .to_owned(),
            )
            .await?;

        // school: A school; eligibility asked by school resolves to its district.
        let mut table = Table::create()
            .table("school")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("cds_code"));
        table.col(integer("district_id"));
        table.col(string("name"));
        table.col(string_null("city"));
        table.col(double_null("lat"));
        table.col(double_null("lng"));
        table.col(integer_null("grade_low"));
        table.col(integer_null("grade_high"));
        table.col(string_null("nces_id"));
        table.col(string("status").default("ACTIVE"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_school_district_id")
                .from("school", "district_id")
                .to("district", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_school_district_id")
                    .table("school")
                    .col("district_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_school_name")
                    .table("school")
                    .col("name")
                    .to_owned(),
            )
            .await?;

        // regional_program: A Regional Occupational Center/Program (ROC/P) with its eligibility policy.
        let mut table = Table::create()
            .table("regional_program")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(string("name"));
        table.col(string_null("short_name"));
        table.col(string_null("website"));
        table.col(string("governance"));
        table.col(string_null("city"));
        table.col(integer_null("founded_year"));
        table.col(text_null("description"));
        table.col(text("catalog_schools").default(""));
        table.col(integer_null("min_grade"));
        table.col(integer_null("max_grade"));
        table.col(integer_null("min_age"));
        table.col(boolean("adults_allowed").default(false));
        table.col(boolean("non_members_allowed").default(false));
        table.col(text_null("policy_notes"));
        table.col(date_null("closed_on"));
        with_record_columns(&mut table);
        manager.create_table(table).await?;

        // program_site: A place where a ROC/P teaches: its central campus or a member high school.
        let mut table = Table::create()
            .table("program_site")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("program_id"));
        table.col(string("code"));
        table.col(string("name"));
        table.col(string("kind"));
        table.col(integer_null("school_id"));
        table.col(string_null("address"));
        table.col(string_null("city"));
        table.col(double_null("lat"));
        table.col(double_null("lng"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_program_site_program_id")
                .from("program_site", "program_id")
                .to("regional_program", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_program_site_school_id")
                .from("program_site", "school_id")
                .to("school", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_program_site_program_id_code")
                    .table("program_site")
                    .col("program_id")
                    .col("code")
                    .unique()
                    .to_owned(),
            )
            .await?;

        // jpa_membership: A district's membership in a ROC/P's joint powers agreement, with dates and covered benefits.
        let mut table = Table::create()
            .table("jpa_membership")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("program_id"));
        table.col(integer("district_id"));
        table.col(date("joined_on"));
        table.col(date_null("withdrawn_on"));
        table.col(boolean("covers_tuition").default(true));
        table.col(boolean("covers_materials").default(true));
        table.col(boolean("covers_transportation").default(true));
        table.col(text_null("notes"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_jpa_membership_program_id")
                .from("jpa_membership", "program_id")
                .to("regional_program", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_jpa_membership_district_id")
                .from("jpa_membership", "district_id")
                .to("district", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_jpa_membership_district_id")
                    .table("jpa_membership")
                    .col("district_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_jpa_membership_program_id")
                    .table("jpa_membership")
                    .col("program_id")
                    .to_owned(),
            )
            .await?;

        // funding_option: Who can pay for a non-member student at a ROC/P (workforce board, rehabilitation, self-pay, ...).
        let mut table = Table::create()
            .table("funding_option")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("program_id"));
        table.col(string("code"));
        table.col(string("name"));
        table.col(string("kind"));
        table.col(text_null("description"));
        table.col(string_null("url"));
        table.col(text_null("eligibility_notes"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_funding_option_program_id")
                .from("funding_option", "program_id")
                .to("regional_program", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_funding_option_program_id_code")
                    .table("funding_option")
                    .col("program_id")
                    .col("code")
                    .unique()
                    .to_owned(),
            )
            .await?;

        // college: A dual-enrollment partner college or university.
        let mut table = Table::create()
            .table("college")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(string_null("ipeds_id").unique_key());
        table.col(string("name"));
        table.col(string_null("college_district"));
        table.col(string_null("website"));
        table.col(string("kind"));
        table.col(string_null("city"));
        table.col(double_null("lat"));
        table.col(double_null("lng"));
        with_record_columns(&mut table);
        manager.create_table(table).await?;

        // industry_partner: An employer or industry association that works with pathways.
        let mut table = Table::create()
            .table("industry_partner")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(string("name"));
        table.col(string_null("website"));
        table.col(string_null("naics_code"));
        table.col(text_null("description"));
        table.col(string_null("contact_email"));
        table.col(string_null("contact_phone"));
        table.col(string_null("city"));
        table.col(double_null("lat"));
        table.col(double_null("lng"));
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_industry_partner_name")
                    .table("industry_partner")
                    .col("name")
                    .to_owned(),
            )
            .await?;

        // industry_partner_sector: Which sectors an industry partner works in.
        let mut table = Table::create()
            .table("industry_partner_sector")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("partner_id"));
        table.col(integer("sector_id"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_industry_partner_sector_partner_id")
                .from("industry_partner_sector", "partner_id")
                .to("industry_partner", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_industry_partner_sector_sector_id")
                .from("industry_partner_sector", "sector_id")
                .to("industry_sector", "id"),
        );
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_industry_partner_sector_partner_id_sector_id")
                    .table("industry_partner_sector")
                    .col("partner_id")
                    .col("sector_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_industry_partner_sector_sector_id")
                    .table("industry_partner_sector")
                    .col("sector_id")
                    .to_owned(),
            )
            .await?;

        // course: A course in a ROC/P's catalogue, one step of a pathway.
        let mut table = Table::create()
            .table("course")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("program_id"));
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
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_course_program_id_code")
                    .table("course")
                    .col("program_id")
                    .col("code")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_course_pathway_id_level")
                    .table("course")
                    .col("pathway_id")
                    .col("level")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_course_ag_area")
                    .table("course")
                    .col("ag_area")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_course_title")
                    .table("course")
                    .col("title")
                    .to_owned(),
            )
            .await?;

        // course_certification: A certification a course prepares for.
        let mut table = Table::create()
            .table("course_certification")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("course_id"));
        table.col(integer("certification_id"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_course_certification_course_id")
                .from("course_certification", "course_id")
                .to("course", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_course_certification_certification_id")
                .from("course_certification", "certification_id")
                .to("certification", "id"),
        );
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_course_certification_course_id_certification_id")
                    .table("course_certification")
                    .col("course_id")
                    .col("certification_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_course_certification_certification_id")
                    .table("course_certification")
                    .col("certification_id")
                    .to_owned(),
            )
            .await?;

        // course_prerequisite: A course that must be completed before another.
        let mut table = Table::create()
            .table("course_prerequisite")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("course_id"));
        table.col(integer("prerequisite_id"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_course_prerequisite_course_id")
                .from("course_prerequisite", "course_id")
                .to("course", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_course_prerequisite_prerequisite_id")
                .from("course_prerequisite", "prerequisite_id")
                .to("course", "id"),
        );
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_course_prerequisite_course_id_prerequisite_id")
                    .table("course_prerequisite")
                    .col("course_id")
                    .col("prerequisite_id")
                    .unique()
                    .to_owned(),
            )
            .await?;

        // term: A ROC/P's term (semester, quarter, summer, supplemental).
        let mut table = Table::create()
            .table("term")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("program_id"));
        table.col(string("code"));
        table.col(string("name"));
        table.col(date("starts_on"));
        table.col(date("ends_on"));
        table.col(string("kind"));
        table.col(boolean("transportation_available").default(true));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_term_program_id")
                .from("term", "program_id")
                .to("regional_program", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_term_program_id_code")
                    .table("term")
                    .col("program_id")
                    .col("code")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_term_starts_on_ends_on")
                    .table("term")
                    .col("starts_on")
                    .col("ends_on")
                    .to_owned(),
            )
            .await?;

        // course_offering: One section of a course in a term at a site: what a student actually enrols in.
        let mut table = Table::create()
            .table("course_offering")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("course_id"));
        table.col(integer("term_id"));
        table.col(integer_null("site_id"));
        table.col(string("section"));
        table.col(string("schedule"));
        table.col(string_null("meeting_days"));
        table.col(string_null("start_time"));
        table.col(string_null("end_time"));
        table.col(string("modality"));
        table.col(integer_null("capacity"));
        table.col(integer_null("seats_available"));
        table.col(string("status"));
        table.col(boolean("transportation_provided").default(false));
        table.col(integer("tuition_cents").default(0));
        table.col(integer("materials_fee_cents").default(0));
        table.col(string_null("instructor_name"));
        table.col(date_null("enrollment_opens_on"));
        table.col(date_null("enrollment_closes_on"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_course_offering_course_id")
                .from("course_offering", "course_id")
                .to("course", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_course_offering_term_id")
                .from("course_offering", "term_id")
                .to("term", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_course_offering_site_id")
                .from("course_offering", "site_id")
                .to("program_site", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_course_offering_course_id_term_id_section")
                    .table("course_offering")
                    .col("course_id")
                    .col("term_id")
                    .col("section")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_course_offering_term_id")
                    .table("course_offering")
                    .col("term_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_course_offering_site_id")
                    .table("course_offering")
                    .col("site_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_course_offering_schedule")
                    .table("course_offering")
                    .col("schedule")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_course_offering_status")
                    .table("course_offering")
                    .col("status")
                    .to_owned(),
            )
            .await?;

        // dual_enrollment_agreement: An agreement between a college and a district or ROC/P (CCAP, articulation).
        let mut table = Table::create()
            .table("dual_enrollment_agreement")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(string("name"));
        table.col(integer("college_id"));
        table.col(integer_null("district_id"));
        table.col(integer_null("program_id"));
        table.col(string("kind"));
        table.col(date_null("approved_on"));
        table.col(date_null("starts_on"));
        table.col(date_null("ends_on"));
        table.col(string_null("url"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_dual_enrollment_agreement_college_id")
                .from("dual_enrollment_agreement", "college_id")
                .to("college", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_dual_enrollment_agreement_district_id")
                .from("dual_enrollment_agreement", "district_id")
                .to("district", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_dual_enrollment_agreement_program_id")
                .from("dual_enrollment_agreement", "program_id")
                .to("regional_program", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_dual_enrollment_agreement_college_id")
                    .table("dual_enrollment_agreement")
                    .col("college_id")
                    .to_owned(),
            )
            .await?;

        // articulation: College credit for a course: the college course it counts as, units and years.
        let mut table = Table::create()
            .table("articulation")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("course_id"));
        table.col(integer("college_id"));
        table.col(integer_null("agreement_id"));
        table.col(string("kind"));
        table.col(string("college_course_code"));
        table.col(string_null("college_course_title"));
        table.col(double_null("units"));
        table.col(string_null("valid_from"));
        table.col(string_null("valid_to"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_articulation_course_id")
                .from("articulation", "course_id")
                .to("course", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_articulation_college_id")
                .from("articulation", "college_id")
                .to("college", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_articulation_agreement_id")
                .from("articulation", "agreement_id")
                .to("dual_enrollment_agreement", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_articulation_course_id")
                    .table("articulation")
                    .col("course_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_articulation_college_id")
                    .table("articulation")
                    .col("college_id")
                    .to_owned(),
            )
            .await?;

        // industry_partnership: An industry partner's tie to a pathway (optionally a program or course) and what it offers.
        let mut table = Table::create()
            .table("industry_partnership")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(integer("partner_id"));
        table.col(integer("pathway_id"));
        table.col(integer_null("program_id"));
        table.col(integer_null("course_id"));
        table.col(text("kinds").default(""));
        table.col(date_null("started_on"));
        table.col(text_null("notes"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_industry_partnership_partner_id")
                .from("industry_partnership", "partner_id")
                .to("industry_partner", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_industry_partnership_pathway_id")
                .from("industry_partnership", "pathway_id")
                .to("pathway", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_industry_partnership_program_id")
                .from("industry_partnership", "program_id")
                .to("regional_program", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_industry_partnership_course_id")
                .from("industry_partnership", "course_id")
                .to("course", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_industry_partnership_pathway_id")
                    .table("industry_partnership")
                    .col("pathway_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_industry_partnership_partner_id")
                    .table("industry_partnership")
                    .col("partner_id")
                    .to_owned(),
            )
            .await?;

        // opportunity: A concrete work-based-learning opening offered by an industry partner.
        let mut table = Table::create()
            .table("opportunity")
            .if_not_exists()
            .col(pk_auto("id"))
            .to_owned();
        table.col(string_uniq("code"));
        table.col(integer("partner_id"));
        table.col(integer_null("pathway_id"));
        table.col(string("kind"));
        table.col(string_null("wbl_type_code"));
        table.col(string("title"));
        table.col(text_null("description"));
        table.col(boolean("paid").default(false));
        table.col(integer_null("hourly_wage_cents"));
        table.col(integer_null("hours"));
        table.col(integer_null("min_grade"));
        table.col(integer_null("min_age"));
        table.col(text("clearances").default(""));
        table.col(integer_null("seats"));
        table.col(date_null("starts_on"));
        table.col(date_null("apply_by"));
        table.col(string_null("apply_url"));
        table.col(string_null("location_name"));
        table.col(string_null("city"));
        table.col(double_null("lat"));
        table.col(double_null("lng"));
        table.foreign_key(
            ForeignKey::create()
                .name("fk_opportunity_partner_id")
                .from("opportunity", "partner_id")
                .to("industry_partner", "id"),
        );
        table.foreign_key(
            ForeignKey::create()
                .name("fk_opportunity_pathway_id")
                .from("opportunity", "pathway_id")
                .to("pathway", "id"),
        );
        with_record_columns(&mut table);
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_opportunity_pathway_id")
                    .table("opportunity")
                    .col("pathway_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_opportunity_partner_id")
                    .table("opportunity")
                    .col("partner_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_opportunity_kind")
                    .table("opportunity")
                    .col("kind")
                    .to_owned(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            manager
                .drop_table(Table::drop().table(*table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
