//! Keeps `search_document` current: one row per searchable record, rebuilt in
//! the same transaction as the writes that change what is searchable.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, PaginatorTrait};

/// Record kinds in the index, as stored in `search_document.kind`.
pub const PATHWAY: &str = "pathway";
pub const COURSE: &str = "course";
pub const PROGRAM: &str = "program";
pub const COLLEGE: &str = "college";
pub const PARTNER: &str = "partner";
pub const SCHOOL_PATHWAY: &str = "school_pathway";
pub const EDUCATOR_ORGANIZATION: &str = "educator_organization";
pub const EDUCATOR_PROGRAM: &str = "educator_program";

/// One `INSERT ... SELECT` per kind (kind, the alias of its record table, SQL); plain SQL that
/// runs on both databases.
const DOCUMENTS: &[(&str, &str, &str)] = &[
    (PATHWAY, "p",
     "INSERT INTO search_document (kind, record_id, sample, title, body) \
     SELECT 'pathway', p.id, p.sample, p.name, COALESCE(p.aliases, '') || ' ' || COALESCE(p.description, '') || ' ' || s.name \
     FROM pathway p JOIN industry_sector s ON s.id = p.sector_id WHERE p.deleted_at IS NULL"),
    (COURSE, "c",
     "INSERT INTO search_document (kind, record_id, sample, title, body) \
     SELECT 'course', c.id, c.sample, c.title, COALESCE(c.description, '') || ' ' || c.code || ' ' || COALESCE(c.catalog_school, '') \
     || ' ' || COALESCE(p.name, '') || ' ' || COALESCE(p.aliases, '') || ' ' || COALESCE(r.short_name, r.name, d.name, '') \
     FROM course c LEFT JOIN regional_program r ON r.id = c.program_id LEFT JOIN district d ON d.id = c.district_id \
     LEFT JOIN pathway p ON p.id = c.pathway_id \
     WHERE c.deleted_at IS NULL"),
    (PROGRAM, "r",
     "INSERT INTO search_document (kind, record_id, sample, title, body) \
     SELECT 'program', r.id, r.sample, r.name, COALESCE(r.short_name, '') || ' ' || COALESCE(r.description, '') || ' ' \
     || COALESCE(r.city, '') || ' ' || r.catalog_schools FROM regional_program r WHERE r.deleted_at IS NULL"),
    (COLLEGE, "c",
     "INSERT INTO search_document (kind, record_id, sample, title, body) \
     SELECT 'college', c.id, c.sample, c.name, COALESCE(c.college_district, '') || ' ' || COALESCE(c.city, '') \
     FROM college c WHERE c.deleted_at IS NULL"),
    (PARTNER, "i",
     "INSERT INTO search_document (kind, record_id, sample, title, body) \
     SELECT 'partner', i.id, i.sample, i.name, COALESCE(i.description, '') || ' ' || COALESCE(i.city, '') \
     FROM industry_partner i WHERE i.deleted_at IS NULL"),
    (SCHOOL_PATHWAY, "sp",
     "INSERT INTO search_document (kind, record_id, sample, title, body) \
     SELECT 'school_pathway', sp.id, sp.sample, sp.local_name, COALESCE(sp.description, '') || ' ' \
     || COALESCE(s.name, '') || ' ' || COALESCE(s.city, '') || ' ' || d.name || ' ' || COALESCE(p.name, '') \
     || ' ' || COALESCE(p.aliases, '') \
     FROM school_pathway sp JOIN district d ON d.id = sp.district_id LEFT JOIN school s ON s.id = sp.school_id \
     LEFT JOIN pathway p ON p.id = sp.pathway_id WHERE sp.deleted_at IS NULL"),
    (EDUCATOR_ORGANIZATION, "o",
     "INSERT INTO search_document (kind, record_id, sample, title, body) \
     SELECT 'educator_organization', o.id, o.sample, o.name, COALESCE(o.description, '') || ' ' || COALESCE(o.city, '') \
     FROM educator_organization o WHERE o.deleted_at IS NULL"),
    (EDUCATOR_PROGRAM, "e",
     "INSERT INTO search_document (kind, record_id, sample, title, body) \
     SELECT 'educator_program', e.id, e.sample, e.name, COALESCE(e.description, '') || ' ' || COALESCE(e.serves, '') \
     || ' ' || o.name FROM educator_program e JOIN educator_organization o ON o.id = e.organization_id \
     WHERE e.deleted_at IS NULL"),
];

/// Rebuilds the whole index (a few statements; run inside the writer's transaction).
pub async fn reindex<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    db.execute_unprepared("DELETE FROM search_document").await?;
    for (_, _, sql) in DOCUMENTS {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

/// Rebuilds the document of one record (gone when the record is deleted), inside the writer's
/// transaction, so search never shows what the catalogue does not.
pub async fn refresh<C: ConnectionTrait>(db: &C, kind: &str, record_id: i32) -> Result<(), DbErr> {
    if let Some((kind, alias, sql)) = DOCUMENTS.iter().find(|(k, _, _)| *k == kind) {
        // `kind` is one of the constants above and `record_id` an integer: nothing to escape.
        db.execute_unprepared(&format!(
            "DELETE FROM search_document WHERE kind = '{kind}' AND record_id = {record_id}"
        ))
        .await?;
        db.execute_unprepared(&format!("{sql} AND {alias}.id = {record_id}"))
            .await?;
    }
    Ok(())
}

/// Builds the index when a catalogue exists but was never indexed (a database
/// seeded before search existed).
pub async fn ensure<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    if entity::search_document::Entity::find().count(db).await? == 0
        && entity::pathway::Entity::find().count(db).await? > 0
    {
        reindex(db).await?;
    }
    Ok(())
}
