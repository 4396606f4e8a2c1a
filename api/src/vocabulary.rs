//! The closed lists of values the catalogue uses (course levels, A-G areas, schedules,
//! modalities, statuses, kinds of sites, terms, articulations and partnerships, educator
//! organisations and programs, contact roles): stored as text, served as GraphQL enums, read
//! by imports. They sit below the store and the resolvers, so imports, seeds and the GraphQL
//! types all name the same definition.
//!
//! [`Stored`] is the one conversion between a value and its stored text (its GraphQL name):
//! create and update inputs, filters, imports, seeds and the resolvers all go through it, and
//! no code outside it compares stored text with a value's name.

use async_graphql::{resolver_utils::EnumType, Enum};

/// A closed list stored as text: every GraphQL enum of the catalogue, whose stored value is its
/// GraphQL name (`AFTER_SCHOOL`). Implemented for every such enum.
pub trait Stored: EnumType + Copy + PartialEq + 'static {
    /// The stored text of a value.
    fn as_stored(self) -> &'static str {
        Self::items()
            .iter()
            .find(|item| item.value == self)
            .map_or("", |item| item.name)
    }

    /// The value a stored text names, `None` when it names none.
    fn from_stored(stored: &str) -> Option<Self> {
        Self::items()
            .iter()
            .find(|item| item.name == stored)
            .map(|item| item.value)
    }

    /// Reads a stored value for an answer. Stored values are written through validated paths
    /// only; an unknown one is logged and read as the default rather than failing the answer.
    fn read_stored(stored: &str) -> Self
    where
        Self: Default,
    {
        Self::from_stored(stored).unwrap_or_else(|| {
            tracing::warn!(
                value = stored,
                r#type = std::any::type_name::<Self>(),
                "unknown stored enum value"
            );
            Self::default()
        })
    }

    /// Every stored text, in the enum's order (import layouts and docs list them).
    fn stored_names() -> Vec<&'static str> {
        Self::items().iter().map(|item| item.name).collect()
    }
}

impl<T: EnumType + Copy + PartialEq + 'static> Stored for T {}

/// Kinds of college credit.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum ArticulationKind {
    /// CCAP dual enrollment (Education Code 76004): college course, no fees.
    Ccap,
    /// Articulated course: credit by exam or agreement.
    #[default]
    Articulation,
    /// Concurrent enrollment in a college course.
    Concurrent,
}

/// Where a course sits in its pathway's sequence.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum CourseLevel {
    /// First course of a pathway.
    #[default]
    Introductory,
    /// Second course: completing it makes a Perkins V concentrator.
    Concentrator,
    /// Final course, often taught at a ROC/P.
    Capstone,
}

/// UC/CSU A-G subject areas.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AgArea {
    /// History / Social Science.
    A,
    /// English.
    B,
    /// Mathematics.
    C,
    /// Laboratory Science.
    D,
    /// Language other than English.
    E,
    /// Visual and Performing Arts.
    F,
    /// College-Preparatory Elective.
    G,
}

/// When a section meets.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum Schedule {
    /// During the school day.
    #[default]
    SchoolDay,
    /// After school.
    AfterSchool,
    /// In the evening.
    Evening,
    /// On Saturdays.
    Saturday,
    /// Online, at the student's own pace.
    OnlineAsync,
}

/// How a section is taught.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum Modality {
    /// In a classroom or lab.
    #[default]
    InPerson,
    /// Partly online.
    Hybrid,
    /// Fully online.
    Online,
}

/// Whether a section takes students.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum OfferingStatus {
    /// Seats are open.
    #[default]
    Open,
    /// Full, with a waiting list.
    Waitlist,
    /// Full.
    Full,
    /// Will not run.
    Cancelled,
}

/// What an employer does with a pathway.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum PartnershipKind {
    /// Sits on the program's industry advisory board.
    AdvisoryBoard,
    /// Takes interns.
    #[default]
    Internship,
    /// Hosts job shadows.
    JobShadow,
    /// Mentors students.
    Mentorship,
    /// Sends guest speakers.
    GuestSpeaker,
    /// Hosts site tours.
    SiteTour,
    /// Registered apprenticeship.
    Apprenticeship,
    /// Pre-apprenticeship.
    PreApprenticeship,
    /// Donates equipment.
    EquipmentDonation,
    /// Reviews curriculum.
    CurriculumReview,
}

/// What kind of place a site is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum SiteKind {
    /// The program's own campus.
    CentralCampus,
    /// A classroom at a member district's high school.
    MemberHighSchool,
    /// Anywhere else (a college, an employer, online).
    #[default]
    Other,
}

/// Kinds of terms.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum TermKind {
    /// A semester.
    #[default]
    Semester,
    /// A quarter.
    Quarter,
    /// Summer session.
    Summer,
    /// After school, evening or weekend session.
    Supplemental,
}

/// What completing a program of study earns a student.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum CompletionAward {
    /// A certificate of completion from the district (e.g. Hart: concentrator + capstone).
    #[default]
    CertificateOfCompletion,
    /// An industry-recognised certification.
    IndustryCertification,
    /// College credit, through the agreement named in `creditAgreement` when known.
    CollegeCredit,
}

/// When a district's pathway classes meet.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum PathwaySchedule {
    /// During the regular school day.
    #[default]
    SchoolDay,
    /// After school (e.g. Hart's Extended Day Program).
    ExtendedDay,
    /// On Saturdays.
    Saturday,
}

/// What a district fact counts.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum DistrictFactKind {
    /// CTE pathways the district runs (its own count, not the state's 58).
    #[default]
    Pathways,
    /// Schools the pathways run at.
    Schools,
    /// State industry sectors offered (`outOf` is 15).
    Sectors,
    /// Middle-school feeder programmes.
    FeederPrograms,
}

/// What kind of organisation prepares or supports the teachers.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum EducatorOrganizationKind {
    /// A nonprofit, e.g. EnCorps.
    #[default]
    Nonprofit,
    /// A school district running its own teacher program.
    District,
    /// A college or university.
    College,
}

/// What an educator program does for teachers.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum EducatorProgramKind {
    /// Recruits industry professionals into CTE teaching.
    #[default]
    Recruitment,
    /// Prepares teachers for a credential (e.g. the CTE Designated Subjects credential).
    CredentialPreparation,
    /// Pairs new CTE teachers with experienced mentor teachers.
    Mentorship,
}

/// Which desk a public contact reaches (a role, never a person).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum ContactRole {
    /// The main office.
    #[default]
    Office,
    /// The counselors' desk.
    CounselorDesk,
    /// The CTE coordinator's office.
    CteCoordinator,
    /// Enrolment and registration.
    Enrollment,
    /// Recruitment of teachers or mentors.
    Recruitment,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value reads back from its stored text, and nothing else reads as a value.
    fn round_trips<T: Stored + std::fmt::Debug>() {
        for name in T::stored_names() {
            let value = T::from_stored(name).expect("a listed name reads");
            assert_eq!(value.as_stored(), name);
        }
        assert_eq!(T::from_stored("not-a-value"), None);
        assert_eq!(T::from_stored(""), None);
    }

    #[test]
    fn every_list_round_trips_through_its_stored_text() {
        round_trips::<ArticulationKind>();
        round_trips::<CourseLevel>();
        round_trips::<AgArea>();
        round_trips::<Schedule>();
        round_trips::<Modality>();
        round_trips::<OfferingStatus>();
        round_trips::<PartnershipKind>();
        round_trips::<SiteKind>();
        round_trips::<TermKind>();
        round_trips::<CompletionAward>();
        round_trips::<PathwaySchedule>();
        round_trips::<DistrictFactKind>();
        round_trips::<EducatorOrganizationKind>();
        round_trips::<EducatorProgramKind>();
        round_trips::<ContactRole>();
    }

    #[test]
    fn stored_text_is_the_graphql_name() {
        assert_eq!(Schedule::AfterSchool.as_stored(), "AFTER_SCHOOL");
        assert_eq!(
            PartnershipKind::from_stored("PRE_APPRENTICESHIP"),
            Some(PartnershipKind::PreApprenticeship)
        );
        assert_eq!(AgArea::G.as_stored(), "G");
        // An unknown stored value reads as the default instead of failing an answer.
        assert_eq!(OfferingStatus::read_stored("CLOSED?"), OfferingStatus::Open);
        // Course levels are ordered as a pathway's sequence.
        assert!((CourseLevel::Introductory as u8) < (CourseLevel::Capstone as u8));
    }
}
