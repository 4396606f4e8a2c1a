//! The whole catalogue out again: as JSON in the import layouts (re-importable:
//! export → import into a database with only the reference records → export
//! gives the same file), and as CTDL JSON-LD for Credential Engine ([`ctdl`]).
//!
//! Rows carry natural keys (program, course and term codes, CDS codes), never
//! database ids or timestamps, and are sorted, so the same catalogue always
//! gives the same bytes. Each row is written column by column from its kind's
//! definition ([`crate::fields`]): a stored value as it is, a reference as the
//! code of the record it names.

pub mod ctdl;

use std::collections::HashMap;

use entity::{
    articulation, certification, college, contact, course, course_certification, course_offering,
    course_prerequisite, district, district_fact, dual_enrollment_agreement, educator_organization,
    educator_partnership, educator_program, educator_program_sector, funding_program,
    industry_partner, industry_partner_sector, industry_partnership, industry_sector,
    jpa_membership, opportunity, pathway, program_site, regional_program, school, school_pathway,
    school_pathway_course, teaching_opening, term,
};
use sea_orm::{ConnectionTrait, EntityTrait, ModelTrait, Value as Stored};
use serde_json::{json, Map, Value};

use crate::{
    changes::write::column,
    error::{ApiError, ApiResult},
    fields::{Field, RecordKind, Target, Value as Holds},
    import::{catalog::record_kind, ImportKind},
};

/// The `format` of an export document, defined beside the layout it names.
pub use crate::import::catalog::FORMAT;

/// A record another names: its code and whether it is live (not deleted).
struct Named {
    code: String,
    live: bool,
}

/// A course: its code, the ROC/P or district that owns it, and whether it is live.
struct CourseCode {
    code: String,
    program: Option<i32>,
    district: Option<i32>,
    live: bool,
}

/// Codes by id of every record a column may name, to write rows with natural keys.
struct Codes {
    by: HashMap<Target, HashMap<i32, Named>>,
    courses: HashMap<i32, CourseCode>,
}

/// Whether a row is a record (its references must all resolve) or a link (written only
/// between live records, what an import can resolve again).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rows {
    Records,
    Links,
}

async fn live<E: EntityTrait>(db: &impl ConnectionTrait) -> ApiResult<Vec<E::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let deleted = column::<E>("deleted_at")?;
    Ok(E::find().filter(deleted.is_null()).all(db).await?)
}

fn int(value: Stored) -> Option<i32> {
    match value {
        Stored::Int(id) => id,
        _ => None,
    }
}

/// Every record of `E` by id: the code in `code` and whether it is live.
async fn named<E: EntityTrait>(
    db: &impl ConnectionTrait,
    code: &str,
) -> ApiResult<HashMap<i32, Named>> {
    let (id, code, deleted) = (
        column::<E>("id")?,
        column::<E>(code)?,
        column::<E>("deleted_at")?,
    );
    Ok(E::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| {
            let Stored::String(Some(code)) = m.get(code) else {
                return None;
            };
            let live = matches!(m.get(deleted), Stored::ChronoDateTimeUtc(None));
            Some((int(m.get(id))?, Named { code, live }))
        })
        .collect())
}

impl Codes {
    async fn load(db: &impl ConnectionTrait) -> ApiResult<Codes> {
        let mut by = HashMap::new();
        by.insert(
            Target::Program,
            named::<regional_program::Entity>(db, "code").await?,
        );
        by.insert(Target::Pathway, named::<pathway::Entity>(db, "code").await?);
        by.insert(
            Target::District,
            named::<district::Entity>(db, "code").await?,
        );
        by.insert(Target::School, named::<school::Entity>(db, "code").await?);
        by.insert(Target::College, named::<college::Entity>(db, "code").await?);
        by.insert(
            Target::Partner,
            named::<industry_partner::Entity>(db, "code").await?,
        );
        by.insert(
            Target::Agreement,
            named::<dual_enrollment_agreement::Entity>(db, "code").await?,
        );
        by.insert(Target::Term, named::<term::Entity>(db, "code").await?);
        by.insert(
            Target::Site,
            named::<program_site::Entity>(db, "code").await?,
        );
        by.insert(
            Target::FundingProgram,
            named::<funding_program::Entity>(db, "code").await?,
        );
        by.insert(
            Target::Sector,
            named::<industry_sector::Entity>(db, "code").await?,
        );
        by.insert(
            Target::Certification,
            named::<certification::Entity>(db, "code").await?,
        );
        by.insert(
            Target::SchoolPathway,
            named::<school_pathway::Entity>(db, "code").await?,
        );
        by.insert(
            Target::EducatorOrganization,
            named::<educator_organization::Entity>(db, "code").await?,
        );
        by.insert(
            Target::EducatorProgram,
            named::<educator_program::Entity>(db, "code").await?,
        );
        let courses = course::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|m| {
                let course = CourseCode {
                    live: m.deleted_at.is_none(),
                    code: m.code,
                    program: m.program_id,
                    district: m.district_id,
                };
                (m.id, course)
            })
            .collect();
        Ok(Codes { by, courses })
    }

    /// The code of the record `target` with id `id`; `None` when there is none to name
    /// (dangling, or, for a link, not live).
    fn code(&self, target: Target, id: i32, rows: Rows) -> Option<Value> {
        let owner = |target: Target, id: Option<i32>| match id {
            Some(id) => self.code(target, id, Rows::Records),
            None => Some(Value::Null),
        };
        let course = || {
            self.courses
                .get(&id)
                .filter(|c| rows == Rows::Records || c.live)
        };
        match target {
            Target::Course => course().map(|c| Value::String(c.code.clone())),
            Target::CourseProgram => owner(Target::Program, course()?.program),
            Target::CourseDistrict => {
                let c = course()?;
                owner(Target::District, c.program.map_or(c.district, |_| None))
            }
            _ => self
                .by
                .get(&target)?
                .get(&id)
                .filter(|n| rows == Rows::Records || n.live)
                .map(|n| Value::String(n.code.clone())),
        }
    }
}

/// `a,b` → `a;b`, as files separate lists; an empty list is null.
fn list(value: &str) -> Value {
    if value.is_empty() {
        Value::Null
    } else {
        Value::String(value.replace(',', ";"))
    }
}

/// One column of a stored row, as the import reads it back.
fn cell(field: &Field, value: Stored) -> ApiResult<Value> {
    Ok(match (field.value, value) {
        (Holds::List | Holds::Choices(_), Stored::String(s)) => {
            s.as_deref().map_or(Value::Null, list)
        }
        (Holds::Names, Stored::String(s)) => match s {
            Some(s) if !s.is_empty() => Value::String(s),
            _ => Value::Null,
        },
        (_, Stored::String(s)) => s.map_or(Value::Null, Value::String),
        (_, Stored::Int(n)) => json!(n),
        (_, Stored::Double(n)) => json!(n),
        (_, Stored::Bool(b)) => json!(b),
        (_, Stored::ChronoDate(d)) => d.map_or(Value::Null, |d| Value::String(d.to_string())),
        (_, other) => {
            return Err(ApiError::Internal(format!(
                "export: {} holds {other:?}, which no import reads",
                field.name
            )))
        }
    })
}

/// One stored row in its kind's layout; `None` for a link to a record that is not live.
fn row<M: ModelTrait>(kind: &RecordKind, rows: Rows, m: &M, c: &Codes) -> ApiResult<Option<Value>> {
    let mut out = Map::new();
    for field in kind.fields {
        let value = match field.stored {
            Some(stored) => m.get(column::<M::Entity>(stored)?),
            None => Stored::Int(None),
        };
        let value = match field.value {
            Holds::Ref(target) => match int(value) {
                None => Value::Null,
                Some(id) => match c.code(target, id, rows) {
                    Some(code) => code,
                    None if rows == Rows::Links => return Ok(None),
                    None => {
                        return Err(ApiError::Internal(format!(
                            "export: {} names a missing record {id}",
                            field.name
                        )))
                    }
                },
            },
            _ => cell(field, value)?,
        };
        out.insert(field.name.to_owned(), value);
    }
    Ok(Some(Value::Object(out)))
}

/// The rows of one kind, from the live records of `E` (or every link row) that `keep` keeps.
async fn section<E: EntityTrait>(
    db: &impl ConnectionTrait,
    kind: ImportKind,
    rows: Rows,
    c: &Codes,
    keep: impl Fn(&E::Model) -> bool,
) -> ApiResult<Vec<Value>> {
    let definition = record_kind(kind)
        .ok_or_else(|| ApiError::Internal(format!("export: {} has no layout", kind.name())))?;
    let models = match rows {
        Rows::Records => live::<E>(db).await?,
        Rows::Links => E::find().all(db).await?,
    };
    let mut out = Vec::with_capacity(models.len());
    for m in &models {
        if keep(m) {
            out.extend(row(definition, rows, m, c)?);
        }
    }
    Ok(out)
}

/// Keeps every row.
fn all<M>(_: &M) -> bool {
    true
}

/// The whole catalogue as one JSON document, every section in its import layout.
pub async fn catalog_json(db: &impl ConnectionTrait) -> ApiResult<Value> {
    use Rows::{Links, Records};
    let c = &Codes::load(db).await?;
    let mut document = Map::new();
    document.insert("format".into(), json!(FORMAT));
    for kind in ImportKind::CATALOG_ORDER {
        let mut rows = match kind {
            ImportKind::Terms => section::<term::Entity>(db, kind, Records, c, all).await?,
            ImportKind::Sites => section::<program_site::Entity>(db, kind, Records, c, all).await?,
            // The course layout is a ROC/P's catalogue; a district's own are district_courses.
            ImportKind::Courses => {
                section::<course::Entity>(db, kind, Records, c, |m| m.program_id.is_some()).await?
            }
            ImportKind::DistrictCourses => {
                section::<course::Entity>(db, kind, Records, c, |m| {
                    m.program_id.is_none() && m.district_id.is_some()
                })
                .await?
            }
            ImportKind::CourseCertifications => {
                section::<course_certification::Entity>(db, kind, Links, c, all).await?
            }
            ImportKind::CoursePrerequisites => {
                section::<course_prerequisite::Entity>(db, kind, Links, c, all).await?
            }
            ImportKind::Offerings => {
                section::<course_offering::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::Memberships => {
                section::<jpa_membership::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::Agreements => {
                section::<dual_enrollment_agreement::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::Articulations => {
                section::<articulation::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::Partners => {
                section::<industry_partner::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::PartnerSectors => {
                section::<industry_partner_sector::Entity>(db, kind, Links, c, all).await?
            }
            ImportKind::Partnerships => {
                section::<industry_partnership::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::Opportunities => {
                section::<opportunity::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::SchoolPathways => {
                section::<school_pathway::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::SchoolPathwayCourses => {
                section::<school_pathway_course::Entity>(db, kind, Links, c, all).await?
            }
            ImportKind::DistrictFacts => {
                section::<district_fact::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::EducatorOrganizations => {
                section::<educator_organization::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::EducatorPrograms => {
                section::<educator_program::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::EducatorProgramSectors => {
                section::<educator_program_sector::Entity>(db, kind, Links, c, all).await?
            }
            ImportKind::EducatorPartnerships => {
                section::<educator_partnership::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::TeachingOpenings => {
                section::<teaching_opening::Entity>(db, kind, Records, c, all).await?
            }
            ImportKind::Contacts => section::<contact::Entity>(db, kind, Records, c, all).await?,
            ImportKind::Pubschls | ImportKind::Catalog => continue,
        };
        rows.sort_by_cached_key(|r| r.to_string());
        document.insert(kind.name().to_owned(), Value::Array(rows));
    }
    Ok(Value::Object(document))
}
