//! Bulk imports in the formats partners already have: the CDE public schools
//! file, and CSV or JSON catalogues (one layout per kind, see
//! `docs/import.md`). Every import is one transaction through the write path
//! ([`crate::changes::Writer`]): upserted by natural key, idempotent, scoped
//! to the caller like mutations, audited and in the change feed, and
//! all-or-nothing unless `partial` is asked for.
//!
//! - [`table`] reads a file into rows and typed cells that collect rejections;
//! - [`lookup`] resolves the codes and names rows use, once per file;
//! - [`plan`] is the shared write step (reject, skip unchanged, create in bulk, update);
//! - [`pubschls`] and [`catalog`] are the kinds; [`report`] is what comes back.

pub mod catalog;
pub mod fixture;
pub mod lookup;
pub mod plan;
pub mod pubschls;
pub mod report;
pub mod table;

use sea_orm::DatabaseConnection;

use crate::{auth::Caller, changes::Writer, error::ApiError};
pub use report::{Console, ImportReport, Progress, Rejection, Silent};
pub use table::Format;

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportKind {
    /// The CDE public schools and districts file (`pubschls.txt`, tab-separated).
    Pubschls,
    /// Terms of a program.
    Terms,
    /// Sites where a program teaches.
    Sites,
    /// Courses of a program.
    Courses,
    /// Certifications a course prepares for (links).
    #[value(name = "course_certifications")]
    CourseCertifications,
    /// Courses to complete before a course (links).
    #[value(name = "course_prerequisites")]
    CoursePrerequisites,
    /// Offerings (sections) of courses in terms.
    Offerings,
    /// JPA member districts of a program.
    Memberships,
    /// Dual-enrollment (CCAP) and articulation agreements with colleges.
    Agreements,
    /// College credit for courses (articulation, dual enrollment).
    Articulations,
    /// Industry partners (employers).
    Partners,
    /// The industry sectors a partner works in (links).
    #[value(name = "partner_sectors")]
    PartnerSectors,
    /// Partners tied to pathways, programs and courses.
    Partnerships,
    /// Internships, job shadows and other opportunities.
    Opportunities,
    /// Courses a district (or one of its schools) teaches itself.
    #[value(name = "district_courses")]
    DistrictCourses,
    /// Pathways a district or school runs itself (programs of study).
    #[value(name = "school_pathways")]
    SchoolPathways,
    /// The course sequences and feeder courses of school pathways (links).
    #[value(name = "school_pathway_courses")]
    SchoolPathwayCourses,
    /// Counts a source states for a whole district.
    #[value(name = "district_facts")]
    DistrictFacts,
    /// Organisations that recruit, prepare or support CTE teachers.
    #[value(name = "educator_organizations")]
    EducatorOrganizations,
    /// Their programs (recruitment, credential preparation, mentorship).
    #[value(name = "educator_programs")]
    EducatorPrograms,
    /// The sectors an educator program serves (links).
    #[value(name = "educator_program_sectors")]
    EducatorProgramSectors,
    /// Educator programs' partnerships with districts.
    #[value(name = "educator_partnerships")]
    EducatorPartnerships,
    /// CTE teaching openings at districts and schools.
    #[value(name = "teaching_openings")]
    TeachingOpenings,
    /// Public role contacts of ROC/Ps, schools and educator programs.
    Contacts,
    /// The whole catalogue as `cte-hub export json` writes it.
    Catalog,
}

impl ImportKind {
    /// The catalogue kinds, in the order a whole-catalogue import applies them (each may refer
    /// to the ones before).
    pub const CATALOG_ORDER: [ImportKind; 23] = [
        ImportKind::Terms,
        ImportKind::Sites,
        ImportKind::Courses,
        ImportKind::CourseCertifications,
        ImportKind::CoursePrerequisites,
        ImportKind::Offerings,
        ImportKind::Memberships,
        ImportKind::Agreements,
        ImportKind::Articulations,
        ImportKind::Partners,
        ImportKind::PartnerSectors,
        ImportKind::Partnerships,
        ImportKind::Opportunities,
        ImportKind::DistrictCourses,
        ImportKind::SchoolPathways,
        ImportKind::SchoolPathwayCourses,
        ImportKind::DistrictFacts,
        ImportKind::EducatorOrganizations,
        ImportKind::EducatorPrograms,
        ImportKind::EducatorProgramSectors,
        ImportKind::EducatorPartnerships,
        ImportKind::TeachingOpenings,
        ImportKind::Contacts,
    ];

    /// The name in commands and URLs.
    pub fn name(self) -> &'static str {
        match self {
            ImportKind::Pubschls => "pubschls",
            ImportKind::Terms => "terms",
            ImportKind::Sites => "sites",
            ImportKind::Courses => "courses",
            ImportKind::CourseCertifications => "course_certifications",
            ImportKind::CoursePrerequisites => "course_prerequisites",
            ImportKind::Offerings => "offerings",
            ImportKind::Memberships => "memberships",
            ImportKind::Agreements => "agreements",
            ImportKind::Articulations => "articulations",
            ImportKind::Partners => "partners",
            ImportKind::PartnerSectors => "partner_sectors",
            ImportKind::Partnerships => "partnerships",
            ImportKind::Opportunities => "opportunities",
            ImportKind::DistrictCourses => "district_courses",
            ImportKind::SchoolPathways => "school_pathways",
            ImportKind::SchoolPathwayCourses => "school_pathway_courses",
            ImportKind::DistrictFacts => "district_facts",
            ImportKind::EducatorOrganizations => "educator_organizations",
            ImportKind::EducatorPrograms => "educator_programs",
            ImportKind::EducatorProgramSectors => "educator_program_sectors",
            ImportKind::EducatorPartnerships => "educator_partnerships",
            ImportKind::TeachingOpenings => "teaching_openings",
            ImportKind::Contacts => "contacts",
            ImportKind::Catalog => "catalog",
        }
    }

    /// Parses a name from a URL.
    pub fn parse(name: &str) -> Option<ImportKind> {
        [ImportKind::Pubschls, ImportKind::Catalog]
            .into_iter()
            .chain(Self::CATALOG_ORDER)
            .find(|k| k.name() == name)
    }
}

/// Why an import could not run at all (rows that are wrong are rejections in the report).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not in the format it claims (not CSV, not JSON, empty).
    #[error("{0}")]
    Unreadable(String),
    /// The caller, the database or the write path refused.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A row the write path refused while writing (reported like a rejection).
    #[error("line {}: {}", .0.line, .0.reason)]
    Row(Rejection),
}

/// One import to run.
pub struct ImportRequest<'a> {
    /// What the file holds.
    pub kind: ImportKind,
    /// The file as received (its encoding is detected).
    pub bytes: &'a [u8],
    /// The file format; guessed from the kind when not given (CSV for catalogue kinds).
    pub format: Option<Format>,
    /// Do everything, report, then roll back.
    pub dry_run: bool,
    /// Write the valid rows even when some are rejected.
    pub partial: bool,
}

/// The caller may import: authenticated, with the editor or admin role (a reader can change
/// nothing). Checked by [`run`], and by `POST /import` before it reads the file.
pub fn require_importer(caller: &Caller) -> Result<(), ImportError> {
    let principal = crate::auth::scope::require_principal(caller)?;
    if !principal.has(crate::auth::Role::Admin) && !principal.has(crate::auth::Role::Editor) {
        return Err(ImportError::Api(ApiError::Forbidden(format!(
            "{} may not import: the token has no editor or admin role",
            principal.sub
        ))));
    }
    Ok(())
}

/// Runs one import file in one transaction and reports what it did.
pub async fn run(
    db: &DatabaseConnection,
    caller: &Caller,
    request_id: Option<String>,
    request: ImportRequest<'_>,
    progress: &dyn Progress,
) -> Result<ImportReport, ImportError> {
    // Readers can change nothing: refuse them before taking the write lock.
    require_importer(caller)?;
    let writer = Writer::begin(db, caller, request_id).await?;
    let mut report = ImportReport {
        kind: request.kind.name().to_owned(),
        dry_run: request.dry_run,
        partial: request.partial,
        ..Default::default()
    };
    match request.kind {
        ImportKind::Pubschls => {
            pubschls::import(&writer, request.bytes, &mut report, progress).await?;
        }
        ImportKind::Catalog => {
            let text = pubschls::decode(request.bytes)?;
            let mut document: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| ImportError::Unreadable(format!("not JSON: {e}")))?;
            match document.get("format").and_then(serde_json::Value::as_str) {
                Some(catalog::FORMAT) => {}
                other => {
                    return Err(ImportError::Unreadable(format!(
                        "not a CTE Hub catalogue export: \"format\" is {other:?}, expected \"{}\"",
                        catalog::FORMAT
                    )))
                }
            }
            let mut lookups = lookup::Lookups::load(writer.txn()).await?;
            for kind in ImportKind::CATALOG_ORDER {
                let Some(section) = document.get_mut(kind.name()).map(serde_json::Value::take)
                else {
                    continue;
                };
                let table = table::Table::from_json(section)?;
                if table.is_empty() {
                    // An empty section has no header to check and nothing to do.
                    continue;
                }
                let before = report.rejections.len();
                catalog::import(&writer, kind, &table, &mut lookups, &mut report, progress).await?;
                for r in &mut report.rejections[before..] {
                    r.column = Some(format!(
                        "{}.{}",
                        kind.name(),
                        r.column.as_deref().unwrap_or("*")
                    ));
                }
            }
        }
        kind => {
            let text = pubschls::decode(request.bytes)?;
            let format = request.format.unwrap_or(Format::Csv);
            let table = table::Table::read(&text, format, &[])?;
            let mut lookups = lookup::Lookups::load(writer.txn()).await?;
            catalog::import(&writer, kind, &table, &mut lookups, &mut report, progress).await?;
        }
    }
    report.rejections.sort_by_key(|r| r.line);
    let keep = !request.dry_run
        && (report.rejected == 0 || request.partial)
        && report.created + report.updated > 0;
    if keep {
        writer.commit().await?;
    } else {
        writer.rollback().await?;
    }
    report.written = keep;
    report.conclude();
    Ok(report)
}
