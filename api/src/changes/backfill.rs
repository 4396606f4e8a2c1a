//! Change events for records loaded outside the write path (reference seed,
//! sample catalogue, synthetic data), so the change feed replayed from the
//! start always rebuilds the whole catalogue, not only what partners edited.

use std::collections::HashSet;

use chrono::Utc;
use entity::*;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QuerySelect, TransactionTrait,
};

use super::{links::Link, snapshot, write};
use crate::ids::NodeType;

/// Appends a CREATE event, by `actor`, for every live record that has none yet; returns how many.
pub async fn record_loaded<C: ConnectionTrait>(db: &C, actor: &str) -> Result<u64, DbErr> {
    db.execute_unprepared("UPDATE change_lock SET writes = writes + 1 WHERE id = 1")
        .await?;
    // Seeds write outside the write path: they announce themselves to every instance's response
    // cache the same way (delivered when the caller commits).
    super::version::announce(db).await?;
    let mut n = 0;
    n += kind::<industry_sector::Entity, C>(db, NodeType::IndustrySector, actor).await?;
    n += kind::<pathway::Entity, C>(db, NodeType::Pathway, actor).await?;
    n += kind::<certification::Entity, C>(db, NodeType::Certification, actor).await?;
    n += kind::<district::Entity, C>(db, NodeType::District, actor).await?;
    n += kind::<school::Entity, C>(db, NodeType::School, actor).await?;
    n += kind::<regional_program::Entity, C>(db, NodeType::RegionalProgram, actor).await?;
    n += kind::<program_site::Entity, C>(db, NodeType::ProgramSite, actor).await?;
    n += kind::<jpa_membership::Entity, C>(db, NodeType::JpaMembership, actor).await?;
    n += kind::<funding_option::Entity, C>(db, NodeType::FundingOption, actor).await?;
    n += kind::<college::Entity, C>(db, NodeType::College, actor).await?;
    n += kind::<industry_partner::Entity, C>(db, NodeType::IndustryPartner, actor).await?;
    n += kind::<course::Entity, C>(db, NodeType::Course, actor).await?;
    n += kind::<term::Entity, C>(db, NodeType::Term, actor).await?;
    n += kind::<course_offering::Entity, C>(db, NodeType::CourseOffering, actor).await?;
    n += kind::<dual_enrollment_agreement::Entity, C>(db, NodeType::DualEnrollmentAgreement, actor)
        .await?;
    n += kind::<articulation::Entity, C>(db, NodeType::Articulation, actor).await?;
    n += kind::<industry_partnership::Entity, C>(db, NodeType::IndustryPartnership, actor).await?;
    n += kind::<opportunity::Entity, C>(db, NodeType::Opportunity, actor).await?;
    n += kind::<school_pathway::Entity, C>(db, NodeType::SchoolPathway, actor).await?;
    n += kind::<district_fact::Entity, C>(db, NodeType::DistrictFact, actor).await?;
    n +=
        kind::<educator_organization::Entity, C>(db, NodeType::EducatorOrganization, actor).await?;
    n += kind::<educator_program::Entity, C>(db, NodeType::EducatorProgram, actor).await?;
    n += kind::<educator_partnership::Entity, C>(db, NodeType::EducatorPartnership, actor).await?;
    n += kind::<teaching_opening::Entity, C>(db, NodeType::TeachingOpening, actor).await?;
    n += kind::<contact::Entity, C>(db, NodeType::Contact, actor).await?;
    n += link::<course_certification::Entity, C>(db, actor).await?;
    n += link::<course_prerequisite::Entity, C>(db, actor).await?;
    n += link::<industry_partner_sector::Entity, C>(db, actor).await?;
    n += link::<school_pathway_course::Entity, C>(db, actor).await?;
    n += link::<educator_program_sector::Entity, C>(db, actor).await?;
    Ok(n)
}

/// At startup: CREATE events for link rows that have none, on a database seeded or written by
/// a version whose change feed had no link tables (so replaying the feed rebuilds them too).
/// One event per link row without one; nothing is written when none is missing, so it is
/// idempotent and a restart costs three counting statements. Returns how many it added.
pub async fn missing_links(db: &DatabaseConnection) -> Result<u64, DbErr> {
    if missing_link_events(db).await? == 0 {
        return Ok(0);
    }
    let txn = db.begin().await?;
    // Under the change lock, like every write: an instance starting at the same time waits,
    // then finds the events already there.
    txn.execute_unprepared("UPDATE change_lock SET writes = writes + 1 WHERE id = 1")
        .await?;
    super::version::announce(&txn).await?;
    let actor = "cte-hub serve (link events backfill)";
    let mut n = link::<course_certification::Entity, _>(&txn, actor).await?;
    n += link::<course_prerequisite::Entity, _>(&txn, actor).await?;
    n += link::<industry_partner_sector::Entity, _>(&txn, actor).await?;
    txn.commit().await?;
    if n > 0 {
        super::version::note_local_write();
    }
    Ok(n)
}

/// How many link rows have no change event.
async fn missing_link_events<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    let mut missing = 0;
    for (table, record_type) in [
        (
            "course_certification",
            <course_certification::Entity as Link>::RECORD_TYPE,
        ),
        (
            "course_prerequisite",
            <course_prerequisite::Entity as Link>::RECORD_TYPE,
        ),
        (
            "industry_partner_sector",
            <industry_partner_sector::Entity as Link>::RECORD_TYPE,
        ),
    ] {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM {table} l WHERE NOT EXISTS (SELECT 1 FROM change_event e \
             WHERE e.record_type = ? AND e.record_key = l.id)"
        );
        let row = db
            .query_one_raw(crate::db::statement(
                db.get_database_backend(),
                &sql,
                vec![record_type.into()],
            ))
            .await?;
        missing += match row {
            Some(row) => row.try_get::<i64>("", "n")?,
            None => 0,
        };
    }
    Ok(missing)
}

/// CREATE events for the rows of a link table that have none yet.
async fn link<E: Link, C: ConnectionTrait>(db: &C, actor: &str) -> Result<u64, DbErr> {
    let known: HashSet<i32> = change_event::Entity::find()
        .select_only()
        .column(change_event::Column::RecordKey)
        .filter(change_event::Column::RecordType.eq(E::RECORD_TYPE))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let now = Utc::now();
    let events: Vec<change_event::ActiveModel> = E::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|row| !known.contains(&E::key(row)))
        .map(|row| change_event::ActiveModel {
            occurred_at: Set(now),
            record_type: Set(E::RECORD_TYPE.to_owned()),
            record_key: Set(E::key(&row)),
            operation: Set(write::CREATE.to_owned()),
            record_version: Set(1),
            actor_sub: Set(Some(actor.to_owned())),
            actor_org: Set(None),
            request_id: Set(None),
            before_state: Set(None),
            after_state: Set(Some(
                serde_json::Value::Object(snapshot::of::<E>(&row)).to_string(),
            )),
            ..Default::default()
        })
        .collect();
    let n = events.len() as u64;
    for chunk in events.chunks(500) {
        change_event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(n)
}

async fn kind<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    node: NodeType,
    actor: &str,
) -> Result<u64, DbErr> {
    let known: HashSet<i32> = change_event::Entity::find()
        .select_only()
        .column(change_event::Column::RecordKey)
        .filter(change_event::Column::RecordType.eq(node.name()))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let (Ok(id), Ok(deleted), Ok(version)) = (
        write::column::<E>("id"),
        write::column::<E>("deleted_at"),
        write::column::<E>("version"),
    ) else {
        return Ok(0);
    };
    let now = Utc::now();
    let events: Vec<change_event::ActiveModel> = E::find()
        .filter(deleted.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            let key = match sea_orm::ModelTrait::get(&row, id) {
                sea_orm::Value::Int(Some(key)) => key,
                _ => return None,
            };
            if known.contains(&key) {
                return None;
            }
            let record_version = match sea_orm::ModelTrait::get(&row, version) {
                sea_orm::Value::Int(Some(v)) => v,
                _ => 1,
            };
            Some(change_event::ActiveModel {
                occurred_at: Set(now),
                record_type: Set(node.name().to_owned()),
                record_key: Set(key),
                operation: Set(write::CREATE.to_owned()),
                record_version: Set(record_version),
                actor_sub: Set(Some(actor.to_owned())),
                actor_org: Set(None),
                request_id: Set(None),
                before_state: Set(None),
                after_state: Set(Some(
                    serde_json::Value::Object(snapshot::of::<E>(&row)).to_string(),
                )),
                ..Default::default()
            })
        })
        .collect();
    let n = events.len() as u64;
    for chunk in events.chunks(500) {
        change_event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(n)
}
