//! Lookups the write path shares: natural keys in mutation input to row ids, by the one
//! rule of [`crate::resolve`] (an unknown key is `BAD_USER_INPUT` on that field), and row ids
//! to the organisation keys that own them (for [`crate::auth::scope`]).

use entity::{
    college, course, course_offering, district, dual_enrollment_agreement, industry_partner,
    pathway, program_site, regional_program, school, term, work_based_learning_type,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    codes::LeaCode,
    error::{ApiError, ApiResult},
    ids,
    ids::NodeType,
    resolve,
};

/// The id of the live program with `code` ([`crate::resolve`]'s rule).
pub async fn program_id(db: &impl ConnectionTrait, field: &str, code: &str) -> ApiResult<i32> {
    resolve::by_code::<regional_program::Entity>(db, code)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| ApiError::bad_input(field, format!("no program has code '{code}'")))
}

/// The id of the live pathway with `code` (a code only: names are for import files).
pub async fn pathway_id(db: &impl ConnectionTrait, field: &str, code: &str) -> ApiResult<i32> {
    resolve::by_code::<pathway::Entity>(db, code)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| ApiError::bad_input(field, format!("no pathway has code '{code}'")))
}

/// The id of the live dual-enrollment agreement with `code`.
pub async fn agreement_id(db: &impl ConnectionTrait, field: &str, code: &str) -> ApiResult<i32> {
    resolve::by_code::<dual_enrollment_agreement::Entity>(db, code)
        .await?
        .map(|a| a.id)
        .ok_or_else(|| ApiError::bad_input(field, format!("no agreement has code '{code}'")))
}

/// The CALPADS work-based-learning type `code`, which must be one of the real codes CTE Hub
/// holds.
pub async fn work_based_learning_type(
    db: &impl ConnectionTrait,
    field: &str,
    code: &str,
) -> ApiResult<String> {
    resolve::by_code::<work_based_learning_type::Entity>(db, code)
        .await?
        .map(|t| t.code)
        .ok_or_else(|| {
            ApiError::bad_input(
                field,
                format!("'{code}' is not a CALPADS work-based-learning type code"),
            )
        })
}

/// The program of an offering's course: where its term and site codes are looked up.
pub async fn program_of_offering(db: &impl ConnectionTrait, key: i32) -> ApiResult<i32> {
    let offering = course_offering::Entity::find_by_id(key)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::NotFound("no live offering has this id".into()))?;
    course::Entity::find_by_id(offering.course_id)
        .one(db)
        .await?
        .and_then(|c| c.program_id)
        .ok_or_else(|| ApiError::NotFound("no live offering has this id".into()))
}

/// The id of the live district with key `cds` (its CDS code, or its short code when it has none).
pub async fn district_id(db: &impl ConnectionTrait, field: &str, cds: &str) -> ApiResult<i32> {
    let code = LeaCode::parse_district(field, cds)?;
    resolve::by_key::<district::Entity>(db, "code", code.as_str(), None)
        .await?
        .map(|d| d.id)
        .ok_or_else(|| ApiError::bad_input(field, format!("no district has {}", code.describe())))
}

/// The id of the live school with key `cds` (its CDS code, or its short code when it has none).
pub async fn school_id(db: &impl ConnectionTrait, field: &str, cds: &str) -> ApiResult<i32> {
    let code = LeaCode::parse_school(field, cds)?;
    resolve::by_key::<school::Entity>(db, "code", code.as_str(), None)
        .await?
        .map(|s| s.id)
        .ok_or_else(|| ApiError::bad_input(field, format!("no school has {}", code.describe())))
}

/// The id of the live college whose IPEDS id or CTE Hub code is `key`.
pub async fn college_id(db: &impl ConnectionTrait, field: &str, key: &str) -> ApiResult<i32> {
    let key = resolve::code(key);
    let found = if key.bytes().all(|b| b.is_ascii_digit()) {
        crate::changes::validate::ipeds_key(field, key)?;
        resolve::by_key::<college::Entity>(db, "ipeds_id", key, None).await?
    } else {
        None
    };
    let found = match found {
        Some(college) => Some(college),
        None => resolve::by_code::<college::Entity>(db, key).await?,
    };
    found.map(|c| c.id).ok_or_else(|| {
        ApiError::bad_input(field, format!("no college has IPEDS id or code '{key}'"))
    })
}

/// The id of the live industry partner with `code`.
pub async fn partner_id(db: &impl ConnectionTrait, field: &str, code: &str) -> ApiResult<i32> {
    resolve::by_code::<industry_partner::Entity>(db, code)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| ApiError::bad_input(field, format!("no industry partner has code '{code}'")))
}

/// The key of a global ID that must name a `expected` record.
pub fn node_key(field: &str, id: &str, expected: NodeType) -> ApiResult<i32> {
    let (node_type, key) = ids::decode(field, id)?;
    if node_type != expected {
        return Err(ApiError::bad_input(
            field,
            format!(
                "is the ID of a {}, not of a {}",
                node_type.name(),
                expected.name()
            ),
        ));
    }
    Ok(key)
}

/// The live course a global ID names, for inputs that attach to a course.
pub async fn course(db: &impl ConnectionTrait, field: &str, id: &str) -> ApiResult<course::Model> {
    let key = node_key(field, id, NodeType::Course)?;
    course::Entity::find_by_id(key)
        .filter(course::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::bad_input(field, "no live course has this ID"))
}

/// The live ROC/P course a global ID names: sections, articulations and partnerships attach to
/// ROC/P courses (a district's own course gets college credit through its school pathway's
/// `creditAgreementCode`).
pub async fn program_course(
    db: &impl ConnectionTrait,
    field: &str,
    id: &str,
) -> ApiResult<course::Model> {
    let found = course(db, field, id).await?;
    if found.program_id.is_none() {
        return Err(ApiError::bad_input(
            field,
            "is a district's own course: sections, college credit and partnerships are kept for ROC/P courses (give a school pathway its creditAgreementCode instead)",
        ));
    }
    Ok(found)
}

/// The organisation key of a program: its code.
pub async fn program_owner(db: &impl ConnectionTrait, program_id: i32) -> ApiResult<String> {
    Ok(regional_program::Entity::find_by_id(program_id)
        .one(db)
        .await?
        .map(|p| p.code)
        .unwrap_or_default())
}

/// The organisation keys of a college: its IPEDS id (when it has one) and its code.
pub async fn college_owners(db: &impl ConnectionTrait, college_id: i32) -> ApiResult<Vec<String>> {
    Ok(college::Entity::find_by_id(college_id)
        .one(db)
        .await?
        .map(|c| c.ipeds_id.into_iter().chain([c.code]).collect())
        .unwrap_or_default())
}

/// The organisation key of a district: its key (its CDS code where it has one).
pub async fn district_owner(db: &impl ConnectionTrait, district_id: i32) -> ApiResult<String> {
    Ok(district::Entity::find_by_id(district_id)
        .one(db)
        .await?
        .map(|d| d.code)
        .unwrap_or_default())
}

/// The organisation key of an industry partner: its code.
pub async fn partner_owner(db: &impl ConnectionTrait, partner_id: i32) -> ApiResult<String> {
    Ok(industry_partner::Entity::find_by_id(partner_id)
        .one(db)
        .await?
        .map(|p| p.code)
        .unwrap_or_default())
}

/// The organisation key of the program or district that teaches a course.
pub async fn course_owner(db: &impl ConnectionTrait, course_id: i32) -> ApiResult<String> {
    let Some(course) = course::Entity::find_by_id(course_id).one(db).await? else {
        return Ok(String::new());
    };
    owner_of_course(db, &course).await
}

/// The organisation key of a course's owner: its ROC/P's code, or its district's CDS code.
pub async fn owner_of_course(
    db: &impl ConnectionTrait,
    course: &course::Model,
) -> ApiResult<String> {
    match (course.program_id, course.district_id) {
        (Some(program_id), _) => program_owner(db, program_id).await,
        (None, Some(district_id)) => district_owner(db, district_id).await,
        (None, None) => Ok(String::new()),
    }
}

/// The id of the live school with key `cds`, which must be in district `district_id`.
pub async fn school_in_district(
    db: &impl ConnectionTrait,
    field: &str,
    cds: &str,
    district_id: i32,
) -> ApiResult<i32> {
    let code = LeaCode::parse_school(field, cds)?;
    let school = resolve::by_key::<school::Entity>(db, "code", code.as_str(), None)
        .await?
        .ok_or_else(|| ApiError::bad_input(field, format!("no school has {}", code.describe())))?;
    if school.district_id != district_id {
        return Err(ApiError::bad_input(
            field,
            format!("school '{cds}' is not in the district named"),
        ));
    }
    Ok(school.id)
}

/// The id of the live term `code` of a program.
pub async fn term_id(
    db: &impl ConnectionTrait,
    field: &str,
    program_id: i32,
    code: &str,
) -> ApiResult<i32> {
    resolve::by_code_within::<term::Entity>(db, "program_id", program_id, code)
        .await?
        .map(|t| t.id)
        .ok_or_else(|| {
            ApiError::bad_input(field, format!("the course's program has no term '{code}'"))
        })
}

/// The id of the live site `code` of a program.
pub async fn site_id(
    db: &impl ConnectionTrait,
    field: &str,
    program_id: i32,
    code: &str,
) -> ApiResult<i32> {
    resolve::by_code_within::<program_site::Entity>(db, "program_id", program_id, code)
        .await?
        .map(|s| s.id)
        .ok_or_else(|| {
            ApiError::bad_input(field, format!("the course's program has no site '{code}'"))
        })
}
