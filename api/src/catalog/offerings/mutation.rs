//! Offering mutations: the sections a program runs of its courses. Owned by
//! the program that teaches the course.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, ID};
use entity::course_offering;
use sea_orm::ConnectionTrait;

use super::types::{CourseOffering, Modality, OfferingStatus, Schedule};
use crate::vocabulary::Stored;
use crate::{
    changes::{refs, validate, Record},
    error::{ApiError, ApiResult},
    graphql::{
        mutation::{apply, delete_record, resolve_maybe, set, writer, DeletedRecord},
        scalars::Date,
    },
    ids::NodeType,
    new_record,
};

const WEEKDAYS: [&str; 7] = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

fn valid_time(value: &str) -> bool {
    chrono::NaiveTime::parse_from_str(value, "%H:%M").is_ok()
}

impl Record for course_offering::Entity {
    const NODE: NodeType = NodeType::CourseOffering;
    const LABEL: &'static str = "offering";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &course_offering::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![refs::course_owner(db, m.course_id).await?])
    }

    fn validate(m: &course_offering::Model) -> ApiResult<()> {
        validate::text("section", &m.section, 20)?;
        validate::non_negative("capacity", m.capacity.map(i64::from))?;
        validate::non_negative("seatsAvailable", m.seats_available.map(i64::from))?;
        validate::non_negative("tuitionCents", Some(m.tuition_cents.into()))?;
        validate::non_negative("materialsFeeCents", Some(m.materials_fee_cents.into()))?;
        validate::optional_text("instructorName", m.instructor_name.as_deref(), 200)?;
        if let (Some(seats), Some(capacity)) = (m.seats_available, m.capacity) {
            if seats > capacity {
                return Err(ApiError::bad_input(
                    "input.seatsAvailable",
                    format!("{seats} open seats is more than the capacity of {capacity}"),
                ));
            }
        }
        if let Some(days) = &m.meeting_days {
            for day in days.split(',') {
                if !WEEKDAYS.contains(&day) {
                    return Err(ApiError::bad_input(
                        "input.meetingDays",
                        format!("'{day}' is not a weekday: use MON, TUE, WED, THU, FRI, SAT, SUN"),
                    ));
                }
            }
        }
        for (name, time) in [("startTime", &m.start_time), ("endTime", &m.end_time)] {
            if let Some(time) = time {
                if !valid_time(time) {
                    return Err(ApiError::bad_input(
                        format!("input.{name}"),
                        format!("'{time}' is not a time of day (HH:MM, 24-hour)"),
                    ));
                }
            }
        }
        if let (Some(start), Some(end)) = (&m.start_time, &m.end_time) {
            if start >= end {
                return Err(ApiError::bad_input(
                    "input.endTime",
                    format!("endTime ({end}) is not after startTime ({start})"),
                ));
            }
        }
        validate::url("registrationUrl", m.registration_url.as_deref())?;
        validate::date_order(
            "enrollmentOpensOn",
            m.enrollment_opens_on,
            "enrollmentClosesOn",
            m.enrollment_closes_on,
        )
    }

    fn key(m: &course_offering::Model) -> i32 {
        m.id
    }
}

fn meeting_days(days: Vec<String>) -> Option<String> {
    let days: Vec<String> = days.iter().map(|d| d.trim().to_ascii_uppercase()).collect();
    Some(days.join(",")).filter(|d| !d.is_empty())
}

/// A new section of a course.
#[derive(InputObject)]
pub struct CreateCourseOfferingInput {
    /// The course (its ID); the offering belongs to the course's program.
    pub course_id: ID,
    /// The term (code of a term of the course's program).
    pub term_code: String,
    /// The site (code of a site of the course's program).
    pub site_code: Option<String>,
    /// Section label, e.g. `01`.
    pub section: String,
    /// When it meets: school day, after school, evening, Saturday or online at the student's
    /// pace.
    pub schedule: Schedule,
    /// In person, hybrid or online.
    pub modality: Modality,
    /// Whether it takes students: open, waitlist, full or cancelled.
    pub status: OfferingStatus,
    /// Days it meets: MON, TUE, WED, THU, FRI, SAT, SUN (default none).
    #[graphql(default)]
    pub meeting_days: Vec<String>,
    /// Start time, `HH:MM` 24-hour local time (e.g. `08:00`).
    pub start_time: Option<String>,
    /// End time, `HH:MM` 24-hour local time, after `startTime`.
    pub end_time: Option<String>,
    /// Seats in all.
    pub capacity: Option<i32>,
    /// Seats still open (not more than `capacity`).
    pub seats_available: Option<i32>,
    /// Whether the program runs transportation to it for member-district students (default
    /// false).
    #[graphql(default)]
    pub transportation_provided: bool,
    /// Tuition a student who is not covered pays, in cents (default 0).
    #[graphql(default)]
    pub tuition_cents: i32,
    /// Materials fee a student who is not covered pays, in cents (default 0).
    #[graphql(default)]
    pub materials_fee_cents: i32,
    /// The instructor, when published (at most 200 characters).
    pub instructor_name: Option<String>,
    /// The day enrolment opens (YYYY-MM-DD).
    pub enrollment_opens_on: Option<Date>,
    /// The day enrolment closes (YYYY-MM-DD, not before `enrollmentOpensOn`).
    pub enrollment_closes_on: Option<Date>,
    /// Where to sign up for this section (http or https).
    pub registration_url: Option<String>,
    /// Where the facts come from: a URL, statute or reference; start it with "Sample data:"
    /// when details are illustrative.
    pub source: Option<String>,
}

/// Changes to an offering; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateCourseOfferingInput {
    /// The term (code of a term of the course's program, e.g. `2026-FALL`); omit to keep.
    pub term_code: Option<String>,
    /// The site (code of a site of the course's program); omit to keep, null to clear.
    pub site_code: MaybeUndefined<String>,
    /// Section label, e.g. `01` (at most 20 characters); omit to keep.
    pub section: Option<String>,
    /// When it meets; omit to keep.
    pub schedule: Option<Schedule>,
    /// In person, hybrid or online; omit to keep.
    pub modality: Option<Modality>,
    /// Open, waitlist, full or cancelled; omit to keep.
    pub status: Option<OfferingStatus>,
    /// Days it meets (MON, TUE, WED, THU, FRI, SAT, SUN), replacing the list; omit to keep.
    pub meeting_days: Option<Vec<String>>,
    /// Start time, `HH:MM` 24-hour local time; omit to keep, null to clear.
    pub start_time: MaybeUndefined<String>,
    /// End time, `HH:MM` 24-hour local time, after `startTime`; omit to keep, null to clear.
    pub end_time: MaybeUndefined<String>,
    /// Seats in all; omit to keep, null to clear.
    pub capacity: MaybeUndefined<i32>,
    /// Seats still open (not more than `capacity`); omit to keep, null to clear.
    pub seats_available: MaybeUndefined<i32>,
    /// Whether the program runs transportation to it for member-district students; omit to
    /// keep.
    pub transportation_provided: Option<bool>,
    /// What a student who is not covered pays, in cents; omit to keep.
    pub tuition_cents: Option<i32>,
    /// Materials fee a student who is not covered pays, in cents; omit to keep.
    pub materials_fee_cents: Option<i32>,
    /// The instructor (at most 200 characters); omit to keep, null to clear.
    pub instructor_name: MaybeUndefined<String>,
    /// The day enrolment opens (YYYY-MM-DD); omit to keep, null to clear.
    pub enrollment_opens_on: MaybeUndefined<Date>,
    /// The day enrolment closes (YYYY-MM-DD); omit to keep, null to clear.
    pub enrollment_closes_on: MaybeUndefined<Date>,
    /// Where to sign up for this section (http or https); omit to keep, null to clear.
    pub registration_url: MaybeUndefined<String>,
    /// Where the facts come from (a URL, statute or reference); omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// The ROC/P of a course that gets sections: a district's own course has no terms or sites.
fn program_of_course(course: &entity::course::Model) -> ApiResult<i32> {
    course.program_id.ok_or_else(|| {
        ApiError::bad_input(
            "input.courseId",
            "this is a district's own course: sections are listed for ROC/P courses only",
        )
    })
}

/// Offering mutations.
#[derive(Default)]
pub struct OfferingMutation;

#[Object]
impl OfferingMutation {
    /// Adds a section of a course in one of its program's terms.
    async fn create_course_offering(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new course section.")] input: CreateCourseOfferingInput,
    ) -> Result<CourseOffering> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let course = refs::program_course(db, "input.courseId", &input.course_id).await?;
        let program_id = program_of_course(&course)?;
        let term_id = refs::term_id(db, "input.termCode", program_id, &input.term_code).await?;
        let site_id = match &input.site_code {
            Some(code) => Some(refs::site_id(db, "input.siteCode", program_id, code).await?),
            None => None,
        };
        let model = new_record!(
            course_offering::Model {
                course_id: course.id,
                term_id,
                site_id,
                section: input.section.trim().to_owned(),
                schedule: input.schedule.as_stored().to_owned(),
                meeting_days: meeting_days(input.meeting_days),
                start_time: input.start_time,
                end_time: input.end_time,
                modality: input.modality.as_stored().to_owned(),
                capacity: input.capacity,
                seats_available: input.seats_available,
                status: input.status.as_stored().to_owned(),
                transportation_provided: input.transportation_provided,
                tuition_cents: input.tuition_cents,
                materials_fee_cents: input.materials_fee_cents,
                instructor_name: input.instructor_name,
                enrollment_opens_on: input.enrollment_opens_on.map(|d| d.0),
                enrollment_closes_on: input.enrollment_closes_on.map(|d| d.0),
                registration_url: input.registration_url,
            },
            input.source
        );
        let saved = writer.create::<course_offering::Entity>(model).await?;
        writer.commit().await?;
        Ok(CourseOffering::from(saved))
    }

    /// Changes an offering (seats, status, times, ...).
    async fn update_course_offering(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course section's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the course section has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateCourseOfferingInput,
    ) -> Result<CourseOffering> {
        let key = refs::node_key("id", &id, NodeType::CourseOffering)?;
        let writer = writer(ctx).await?;
        let txn = writer.txn();
        // Terms and sites are looked up in the program of the offering's course.
        let program_id = refs::program_of_offering(txn, key).await?;
        let term_id = match &input.term_code {
            Some(code) => Some(refs::term_id(txn, "input.termCode", program_id, code).await?),
            None => None,
        };
        let site_id = resolve_maybe(input.site_code, |code| async move {
            refs::site_id(txn, "input.siteCode", program_id, &code).await
        })
        .await?;
        let saved = writer
            .update::<course_offering::Entity>(key, expected_version, |m| {
                set(&mut m.term_id, term_id);
                apply(&mut m.site_id, site_id);
                set(&mut m.section, input.section.map(|s| s.trim().to_owned()));
                set(
                    &mut m.schedule,
                    input.schedule.map(|v| v.as_stored().to_owned()),
                );
                set(
                    &mut m.modality,
                    input.modality.map(|v| v.as_stored().to_owned()),
                );
                set(
                    &mut m.status,
                    input.status.map(|v| v.as_stored().to_owned()),
                );
                if let Some(days) = input.meeting_days {
                    m.meeting_days = meeting_days(days);
                }
                apply(&mut m.start_time, input.start_time);
                apply(&mut m.end_time, input.end_time);
                apply(&mut m.capacity, input.capacity);
                apply(&mut m.seats_available, input.seats_available);
                set(
                    &mut m.transportation_provided,
                    input.transportation_provided,
                );
                set(&mut m.tuition_cents, input.tuition_cents);
                set(&mut m.materials_fee_cents, input.materials_fee_cents);
                apply(&mut m.instructor_name, input.instructor_name);
                apply(
                    &mut m.enrollment_opens_on,
                    input.enrollment_opens_on.map_value(|d| d.0),
                );
                apply(
                    &mut m.enrollment_closes_on,
                    input.enrollment_closes_on.map_value(|d| d.0),
                );
                apply(&mut m.registration_url, input.registration_url);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(CourseOffering::from(saved))
    }

    /// Deletes an offering.
    async fn delete_course_offering(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course section's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the course section has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<course_offering::Entity>(ctx, &id, expected_version).await?)
    }
}
