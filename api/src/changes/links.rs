//! Link tables (a course's certifications and prerequisites, a partner's or an
//! educator program's sectors): rows that only join two records. They have no version or
//! soft-delete marker, so they are added and removed whole, through
//! [`super::Writer::link`] and [`super::Writer::unlink`], and the change feed
//! gives them `CREATE` and `DELETE` events like any record (its `record` is
//! `{id, <left>Id, <right>Id}`), so replaying it rebuilds them too.

use std::future::Future;

use entity::{
    course_certification, course_prerequisite, educator_program_sector, industry_partner_sector,
};
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel};

use super::refs;
use crate::error::ApiResult;

/// A table that links two records.
pub trait Link:
    EntityTrait<Model: IntoActiveModel<<Self as EntityTrait>::ActiveModel> + Sync, ActiveModel: Send>
{
    /// The `recordType` of its change-feed events.
    const RECORD_TYPE: &'static str;
    /// How a person calls one, for messages.
    const LABEL: &'static str;

    /// The organisations that may add or remove the link (those owning its first record).
    fn owners<C: ConnectionTrait>(
        db: &C,
        model: &Self::Model,
    ) -> impl Future<Output = ApiResult<Vec<String>>> + Send;

    /// The row's key.
    fn key(model: &Self::Model) -> i32;
}

impl Link for course_certification::Entity {
    const RECORD_TYPE: &'static str = "CourseCertification";
    const LABEL: &'static str = "course certification";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &course_certification::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![refs::course_owner(db, m.course_id).await?])
    }

    fn key(m: &course_certification::Model) -> i32 {
        m.id
    }
}

impl Link for course_prerequisite::Entity {
    const RECORD_TYPE: &'static str = "CoursePrerequisite";
    const LABEL: &'static str = "course prerequisite";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &course_prerequisite::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![refs::course_owner(db, m.course_id).await?])
    }

    fn key(m: &course_prerequisite::Model) -> i32 {
        m.id
    }
}

impl Link for industry_partner_sector::Entity {
    const RECORD_TYPE: &'static str = "IndustryPartnerSector";
    const LABEL: &'static str = "partner sector";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &industry_partner_sector::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![refs::partner_owner(db, m.partner_id).await?])
    }

    fn key(m: &industry_partner_sector::Model) -> i32 {
        m.id
    }
}

/// The `recordType` of every link table, for readers of the feed.
pub const RECORD_TYPES: [&str; 5] = [
    <course_certification::Entity as Link>::RECORD_TYPE,
    <course_prerequisite::Entity as Link>::RECORD_TYPE,
    <industry_partner_sector::Entity as Link>::RECORD_TYPE,
    <entity::school_pathway_course::Entity as Link>::RECORD_TYPE,
    <educator_program_sector::Entity as Link>::RECORD_TYPE,
];
