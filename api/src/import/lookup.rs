//! The natural keys an import row names (program code, pathway name or alias,
//! CDS code, college code or IPEDS id, partner code, a program's term, site and
//! course codes) resolved to row ids, all read once per file: per-row lookups
//! would make a large file slow.

use std::collections::HashMap;

use entity::{
    college, course, district, dual_enrollment_agreement, industry_partner, pathway, program_site,
    regional_program, school, term, work_based_learning_type,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::table::Row;
use crate::error::ApiResult;

/// Names people write in different ways ("Health Science & Medical Technology",
/// "health science and medical technology") compare equal.
pub fn normalize_name(name: &str) -> String {
    name.to_lowercase()
        .replace('&', " and ")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Ids of every record an import row may name.
#[derive(Default)]
pub struct Lookups {
    programs: HashMap<String, i32>,
    program_codes: HashMap<i32, String>,
    pathways: HashMap<String, i32>,
    pathway_names: Vec<String>,
    pathway_codes: HashMap<i32, String>,
    districts: HashMap<String, i32>,
    schools: HashMap<String, i32>,
    colleges: HashMap<String, i32>,
    partners: HashMap<String, i32>,
    agreements: HashMap<String, i32>,
    wbl_types: Vec<String>,
    terms: HashMap<(i32, String), i32>,
    sites: HashMap<(i32, String), i32>,
    courses: HashMap<(i32, String), i32>,
    district_courses: HashMap<(i32, String), i32>,
    school_pathways: HashMap<String, i32>,
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
            lk.programs.insert(p.code.to_ascii_uppercase(), p.id);
            lk.program_codes.insert(p.id, p.code);
        }
        for p in pathway::Entity::find()
            .filter(pathway::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            lk.pathways.insert(normalize_name(&p.code), p.id);
            lk.pathways.insert(normalize_name(&p.name), p.id);
            for alias in p.aliases.split(';').filter(|a| !a.trim().is_empty()) {
                lk.pathways.insert(normalize_name(alias), p.id);
            }
            lk.pathway_names.push(p.name);
            lk.pathway_codes.insert(p.id, p.code);
        }
        for d in district::Entity::find()
            .filter(district::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            lk.districts.insert(d.cds_code, d.id);
        }
        for s in school::Entity::find()
            .filter(school::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            lk.schools.insert(s.cds_code, s.id);
        }
        for c in college::Entity::find()
            .filter(college::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            lk.colleges.insert(c.code.to_ascii_uppercase(), c.id);
            if let Some(ipeds) = c.ipeds_id {
                lk.colleges.insert(ipeds, c.id);
            }
        }
        for p in industry_partner::Entity::find()
            .filter(industry_partner::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            lk.partners.insert(p.code.to_ascii_uppercase(), p.id);
        }
        for a in dual_enrollment_agreement::Entity::find()
            .filter(dual_enrollment_agreement::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            lk.agreements.insert(a.code.to_ascii_uppercase(), a.id);
        }
        lk.wbl_types = work_based_learning_type::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.code)
            .collect();
        for t in term::Entity::find()
            .filter(term::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            lk.terms.insert((t.program_id, t.code), t.id);
        }
        for s in program_site::Entity::find()
            .filter(program_site::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            lk.sites.insert((s.program_id, s.code), s.id);
        }
        for c in course::Entity::find()
            .filter(course::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            // ROC/P courses are named by (program, code), a district's own by (district, code).
            match (c.program_id, c.district_id) {
                (Some(program_id), _) => {
                    lk.courses.insert((program_id, c.code), c.id);
                }
                (None, Some(district_id)) => {
                    lk.district_courses.insert((district_id, c.code), c.id);
                }
                (None, None) => {}
            }
        }
        for p in entity::school_pathway::Entity::find()
            .filter(entity::school_pathway::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            lk.school_pathways.insert(p.code.to_ascii_uppercase(), p.id);
        }
        Ok(lk)
    }

    /// Adds a record this file just created, so later kinds in the same import can name it.
    pub fn add_course(&mut self, program_id: i32, code: &str, id: i32) {
        self.courses.insert((program_id, code.to_owned()), id);
    }

    /// Adds a district course created by this import.
    pub fn add_district_course(&mut self, district_id: i32, code: &str, id: i32) {
        self.district_courses
            .insert((district_id, code.to_owned()), id);
    }

    /// Adds a school pathway created by this import.
    pub fn add_school_pathway(&mut self, code: &str, id: i32) {
        self.school_pathways.insert(code.to_ascii_uppercase(), id);
    }

    /// A school pathway by code.
    pub fn school_pathway(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let code = required(row, column)?;
        let found = self
            .school_pathways
            .get(&code.to_ascii_uppercase())
            .copied();
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
            .get(&(district, code.clone()))
            .copied();
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
        self.terms.insert((program_id, code.to_owned()), id);
    }

    /// Adds a site created by this import.
    pub fn add_site(&mut self, program_id: i32, code: &str, id: i32) {
        self.sites.insert((program_id, code.to_owned()), id);
    }

    /// Adds an agreement created by this import.
    pub fn add_agreement(&mut self, code: &str, id: i32) {
        self.agreements.insert(code.to_ascii_uppercase(), id);
    }

    /// Adds a partner created by this import.
    pub fn add_partner(&mut self, code: &str, id: i32) {
        self.partners.insert(code.to_ascii_uppercase(), id);
    }

    /// The program a row names (by code).
    pub fn program(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let code = required(row, column)?;
        let found = self.programs.get(&code.to_ascii_uppercase()).copied();
        if found.is_none() {
            let mut known: Vec<&str> = self.program_codes.values().map(String::as_str).collect();
            known.sort_unstable();
            row.reject(
                column,
                format!("no program has code '{code}' (known: {})", known.join(", ")),
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
        let found = self.pathways.get(&normalize_name(&name)).copied();
        if found.is_none() {
            row.reject(
                column,
                format!(
                    "no pathway is called '{name}'; closest: {}",
                    closest(&name, &self.pathway_names).join("; ")
                ),
            );
        }
        found
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

    /// The district with this CDS code.
    pub fn district(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let cds = required(row, column)?;
        let found = self.districts.get(&cds).copied();
        if found.is_none() {
            row.reject(column, format!("no district has CDS code '{cds}'"));
        }
        found
    }

    /// The school with this CDS code, when given.
    pub fn school(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let cds = row.text(column)?;
        let found = self.schools.get(&cds).copied();
        if found.is_none() {
            row.reject(column, format!("no school has CDS code '{cds}'"));
        }
        found
    }

    /// The college with this CTE Hub code or IPEDS id.
    pub fn college(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let key = required(row, column)?;
        let found = self.colleges.get(&key.to_ascii_uppercase()).copied();
        if found.is_none() {
            row.reject(column, format!("no college has code or IPEDS id '{key}'"));
        }
        found
    }

    /// The industry partner with this code.
    pub fn partner(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let code = required(row, column)?;
        let found = self.partners.get(&code.to_ascii_uppercase()).copied();
        if found.is_none() {
            row.reject(column, format!("no industry partner has code '{code}'"));
        }
        found
    }

    /// The dual-enrollment agreement with this code, when given.
    pub fn agreement(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let code = row.text(column)?;
        let found = self.agreements.get(&code.to_ascii_uppercase()).copied();
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
        if self.wbl_types.contains(&code) {
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
        let found = self.terms.get(&(program, code.clone())).copied();
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
        let found = self.sites.get(&(program, code.clone())).copied();
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
        let found = self.courses.get(&(program, code.clone())).copied();
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

/// The three valid names most like `name`.
pub fn closest(name: &str, valid: &[String]) -> Vec<String> {
    let wanted = normalize_name(name);
    let mut scored: Vec<(f64, &String)> = valid
        .iter()
        .map(|v| (strsim::jaro_winkler(&wanted, &normalize_name(v)), v))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, v)| v.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_ignoring_case_and_punctuation() {
        assert_eq!(
            normalize_name("Health Science & Medical Technology"),
            normalize_name("health science and medical technology")
        );
    }

    #[test]
    fn suggests_the_closest_names() {
        let valid = vec![
            "Software and Systems Development".to_owned(),
            "Welding".to_owned(),
        ];
        assert_eq!(closest("Software & System Developmnt", &valid)[0], valid[0]);
    }
}
