//! The natural keys an import row names (program code, pathway code, name or alias, CDS code,
//! college code or IPEDS id, partner code, a program's term, site and course codes) resolved
//! to row ids by [`crate::resolve`]'s rule, all read once per file: per-row lookups would make
//! a large file slow. Pathways are the one place a person may type a name (rule 2).

use std::collections::HashMap;

use entity::{
    college, course, district, dual_enrollment_agreement, industry_partner, pathway, program_site,
    regional_program, school, term, work_based_learning_type,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::table::Row;
use crate::{
    error::ApiResult,
    resolve::{self, Codes, Names},
};

/// Ids of every record an import row may name.
#[derive(Default)]
pub struct Lookups {
    programs: Codes,
    program_codes: HashMap<i32, String>,
    pathways: Names,
    pathway_codes: HashMap<i32, String>,
    districts: Codes,
    schools: Codes,
    /// By code and by IPEDS id.
    colleges: Codes,
    partners: Codes,
    agreements: Codes,
    wbl_types: Vec<String>,
    /// A program's terms, sites and courses, by program id.
    terms: HashMap<i32, Codes>,
    sites: HashMap<i32, Codes>,
    courses: HashMap<i32, Codes>,
    /// A district's own courses, by district id.
    district_courses: HashMap<i32, Codes>,
    school_pathways: Codes,
}

/// Codes of one parent's children by parent id: a program's terms, sites and courses
/// (`parent_column` = `program_id`), a district's own courses (`district_id`).
async fn within<E: EntityTrait>(
    db: &impl ConnectionTrait,
    parent_column: &str,
) -> ApiResult<HashMap<i32, Codes>> {
    let mut by_parent: HashMap<i32, Codes> = HashMap::new();
    for (parent, code, id) in resolve::all_keys::<E>(db, "code", Some(parent_column)).await? {
        if let Some(parent) = parent {
            by_parent.entry(parent).or_default().insert(&code, id);
        }
    }
    Ok(by_parent)
}

impl Lookups {
    /// Reads every key once.
    pub async fn load(db: &impl ConnectionTrait) -> ApiResult<Self> {
        let mut lk = Lookups::default();
        for p in regional_program::Entity::find()
            .filter(regional_program::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            lk.programs.insert(&p.code, p.id);
            lk.program_codes.insert(p.id, p.code);
        }
        for p in pathway::Entity::find()
            .filter(pathway::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            lk.pathways
                .insert(&p.code, &p.name, p.aliases.split(';'), p.id);
            lk.pathway_codes.insert(p.id, p.code);
        }
        // Keyed by `code`: the CDS code, or the short code of one that has none.
        lk.districts = Codes::load::<district::Entity>(db, "code").await?;
        lk.schools = Codes::load::<school::Entity>(db, "code").await?;
        lk.colleges = Codes::load::<college::Entity>(db, "code").await?;
        for (_, ipeds, id) in resolve::all_keys::<college::Entity>(db, "ipeds_id", None).await? {
            lk.colleges.insert(&ipeds, id);
        }
        lk.partners = Codes::load::<industry_partner::Entity>(db, "code").await?;
        lk.agreements = Codes::load::<dual_enrollment_agreement::Entity>(db, "code").await?;
        lk.wbl_types = work_based_learning_type::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.code)
            .collect();
        lk.terms = within::<term::Entity>(db, "program_id").await?;
        lk.sites = within::<program_site::Entity>(db, "program_id").await?;
        // ROC/P courses are named by (program, code), a district's own by (district, code).
        lk.courses = within::<course::Entity>(db, "program_id").await?;
        lk.district_courses = within::<course::Entity>(db, "district_id").await?;
        lk.school_pathways = Codes::load::<entity::school_pathway::Entity>(db, "code").await?;
        Ok(lk)
    }

    /// Adds a record this file just created, so later kinds in the same import can name it.
    pub fn add_course(&mut self, program_id: i32, code: &str, id: i32) {
        self.courses.entry(program_id).or_default().insert(code, id);
    }

    /// Adds a district course created by this import.
    pub fn add_district_course(&mut self, district_id: i32, code: &str, id: i32) {
        self.district_courses
            .entry(district_id)
            .or_default()
            .insert(code, id);
    }

    /// Adds a school pathway created by this import.
    pub fn add_school_pathway(&mut self, code: &str, id: i32) {
        self.school_pathways.insert(code, id);
    }

    /// A school pathway by code.
    pub fn school_pathway(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let code = required(row, column)?;
        let found = self.school_pathways.get(&code);
        if found.is_none() {
            row.reject(
                column,
                format!("no school pathway has code '{code}' (import school_pathways first)"),
            );
        }
        found
    }

    /// A district's own course by code.
    pub fn district_course(&self, row: &mut Row<'_>, district: i32, column: &str) -> Option<i32> {
        let code = required(row, column)?;
        let found = self
            .district_courses
            .get(&district)
            .and_then(|c| c.get(&code));
        if found.is_none() {
            row.reject(
                column,
                format!("the district has no course '{code}' (import district_courses first)"),
            );
        }
        found
    }

    /// Adds a term created by this import.
    pub fn add_term(&mut self, program_id: i32, code: &str, id: i32) {
        self.terms.entry(program_id).or_default().insert(code, id);
    }

    /// Adds a site created by this import.
    pub fn add_site(&mut self, program_id: i32, code: &str, id: i32) {
        self.sites.entry(program_id).or_default().insert(code, id);
    }

    /// Adds an agreement created by this import.
    pub fn add_agreement(&mut self, code: &str, id: i32) {
        self.agreements.insert(code, id);
    }

    /// Adds a partner created by this import.
    pub fn add_partner(&mut self, code: &str, id: i32) {
        self.partners.insert(code, id);
    }

    /// The program a row names (by code).
    pub fn program(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let code = required(row, column)?;
        let found = self.programs.get(&code);
        if found.is_none() {
            row.reject(
                column,
                format!(
                    "no program has code '{code}' (known: {})",
                    self.programs.known().join(", ")
                ),
            );
        }
        found
    }

    /// The code of a program, for exports.
    pub fn program_code(&self, id: i32) -> &str {
        self.program_codes
            .get(&id)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The pathway a row names by code, name or an older name, ignoring case and punctuation;
    /// an unknown name is rejected with the closest valid names.
    pub fn pathway(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let name = row.text(column)?;
        match self.pathways.find(&name) {
            Ok(id) => Some(id),
            Err(closest) => {
                row.reject(
                    column,
                    format!(
                        "no pathway is called '{name}'; closest: {}",
                        closest.join("; ")
                    ),
                );
                None
            }
        }
    }

    /// A required pathway.
    pub fn required_pathway(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        if row.text(column).is_none() {
            row.reject(column, "is required");
            return None;
        }
        self.pathway(row, column)
    }

    /// The code of a pathway, for exports.
    pub fn pathway_code(&self, id: i32) -> &str {
        self.pathway_codes
            .get(&id)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The district with this key (its CDS code, or its short code when it has none).
    pub fn district(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let cds = required(row, column)?;
        let found = self.districts.get(&cds);
        if found.is_none() {
            row.reject(
                column,
                format!("no district has {}", crate::codes::describe_key(&cds)),
            );
        }
        found
    }

    /// The school with this key, when given.
    pub fn school(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let cds = row.text(column)?;
        let found = self.schools.get(&cds);
        if found.is_none() {
            row.reject(
                column,
                format!("no school has {}", crate::codes::describe_key(&cds)),
            );
        }
        found
    }

    /// The college with this CTE Hub code or IPEDS id.
    pub fn college(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let key = required(row, column)?;
        let found = self.colleges.get(&key);
        if found.is_none() {
            row.reject(column, format!("no college has code or IPEDS id '{key}'"));
        }
        found
    }

    /// The industry partner with this code.
    pub fn partner(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let code = required(row, column)?;
        let found = self.partners.get(&code);
        if found.is_none() {
            row.reject(column, format!("no industry partner has code '{code}'"));
        }
        found
    }

    /// The dual-enrollment agreement with this code, when given.
    pub fn agreement(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let code = row.text(column)?;
        let found = self.agreements.get(&code);
        if found.is_none() {
            row.reject(
                column,
                format!("no dual-enrollment agreement has code '{code}'"),
            );
        }
        found
    }

    /// A CALPADS work-based-learning type code CTE Hub holds, when given.
    pub fn wbl_type(&self, row: &mut Row<'_>, column: &str) -> Option<String> {
        let code = row.text(column)?;
        if self.wbl_types.iter().any(|t| resolve::same_code(t, &code)) {
            Some(code)
        } else {
            row.reject(
                column,
                format!(
                    "'{code}' is not one of the CALPADS work-based-learning types ({})",
                    self.wbl_types.join(", ")
                ),
            );
            None
        }
    }

    /// A term of `program` by code.
    pub fn term(&self, row: &mut Row<'_>, program: i32, column: &str) -> Option<i32> {
        let code = required(row, column)?;
        let found = self.terms.get(&program).and_then(|c| c.get(&code));
        if found.is_none() {
            row.reject(
                column,
                format!("the program has no term '{code}' (import terms first)"),
            );
        }
        found
    }

    /// A site of `program` by code, when given.
    pub fn site(&self, row: &mut Row<'_>, program: i32, column: &str) -> Option<i32> {
        let code = row.text(column)?;
        let found = self.sites.get(&program).and_then(|c| c.get(&code));
        if found.is_none() {
            row.reject(
                column,
                format!("the program has no site '{code}' (import sites first)"),
            );
        }
        found
    }

    /// A course of `program` by code.
    pub fn course(&self, row: &mut Row<'_>, program: i32, column: &str) -> Option<i32> {
        let code = required(row, column)?;
        self.course_code(row, program, column, code)
    }

    /// A course of `program` by code, when given.
    pub fn optional_course(&self, row: &mut Row<'_>, program: i32, column: &str) -> Option<i32> {
        let code = row.text(column)?;
        self.course_code(row, program, column, code)
    }

    fn course_code(
        &self,
        row: &mut Row<'_>,
        program: i32,
        column: &str,
        code: String,
    ) -> Option<i32> {
        let found = self.courses.get(&program).and_then(|c| c.get(&code));
        if found.is_none() {
            row.reject(
                column,
                format!("the program has no course '{code}' (import courses first)"),
            );
        }
        found
    }
}

fn required(row: &mut Row<'_>, column: &str) -> Option<String> {
    let value = row.text(column);
    if value.is_none() {
        row.reject(column, "is required");
    }
    value
}

/// Keys for the row-mapping unit tests: codes of the seed data, ids made up.
#[cfg(test)]
impl Lookups {
    pub fn sample() -> Self {
        let mut lk = Lookups::default();
        lk.programs.insert("SOCAL_ROC", 1);
        lk.program_codes.insert(1, "SOCAL_ROC".into());
        lk.pathways.insert("PATIENT_CARE", "Patient Care", [], 3);
        lk.pathway_codes.insert(3, "PATIENT_CARE".into());
        lk.districts.insert("19650600000000", 1);
        lk.schools.insert("19650601938752", 1);
        lk.colleges.insert("EL_CAMINO", 1);
        lk.wbl_types = vec!["10".into(), "15".into()];
        lk.add_partner("HONDA_PACT", 1);
        lk.add_agreement("ECC-TORRANCE-CCAP", 1);
        lk.add_term(1, "2026-FALL", 1);
        lk.add_site(1, "TORRANCE", 1);
        lk.add_course(1, "CA-MA100", 1);
        lk.add_course(1, "ED-100", 2);
        lk.add_district_course(1, "HS-MED1", 5);
        lk.add_school_pathway("HS-HEALTH", 1);
        lk
    }
}
