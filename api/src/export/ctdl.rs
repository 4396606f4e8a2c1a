//! The catalogue in Credential Engine's Credential Transparency Description
//! Language (CTDL), as JSON-LD: programs as `ceterms:CredentialOrganization`,
//! pathways as `ceterms:Pathway` whose parts are `ceterms:CourseComponent`s,
//! courses as `ceterms:Course`, certifications as `ceterms:Certification`, the
//! pathways districts and schools run as `ceterms:LearningProgram`s; organisations that prepare
//! or support CTE teachers as `ceterms:CredentialOrganization`s, their programs as
//! `ceterms:LearningProgram`s and CTE teaching openings as `ceterms:Job`s.
//! Nodes are named by `urn:cte-hub:` ids; CTE Hub holds no registry CTIDs and
//! never invents them. Sample records are left out: a file meant for a public registry must
//! not carry illustrative courses as if they were real.

use std::collections::HashMap;

use entity::{
    certification, course, course_certification, district, educator_organization, educator_program,
    industry_sector, pathway, regional_program, school, school_pathway, teaching_opening,
};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::{json, Value};

use crate::error::ApiResult;

/// The JSON-LD context Credential Engine publishes for CTDL.
pub const CONTEXT: &str = "https://credreg.net/ctdl/schema/context/json";

fn lang(text: &str) -> Value {
    json!({ "en-US": text })
}

fn id(kind: &str, key: &str) -> String {
    format!("urn:cte-hub:{kind}:{key}")
}

/// Inserts `key` only when there is a value (CTDL leaves unknown properties out).
fn put(node: &mut Value, key: &str, value: Option<Value>) {
    if let (Some(object), Some(value)) = (node.as_object_mut(), value) {
        object.insert(key.to_owned(), value);
    }
}

/// A node with what every CTDL node here may carry: type, id, name, description, web page.
fn node(
    kind: &str,
    at: String,
    name: &str,
    description: Option<&str>,
    webpage: Option<&str>,
) -> Value {
    let mut node = json!({ "@type": kind, "@id": at, "ceterms:name": lang(name) });
    put(&mut node, "ceterms:description", description.map(lang));
    put(
        &mut node,
        "ceterms:subjectWebpage",
        webpage.map(|w| Value::String(w.to_owned())),
    );
    node
}

/// The JSON-LD document.
pub async fn catalog(db: &impl ConnectionTrait) -> ApiResult<Value> {
    let programs = regional_program::Entity::find().all(db).await?;
    let sectors: HashMap<i32, industry_sector::Model> = industry_sector::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let pathways = pathway::Entity::find().all(db).await?;
    let courses = course::Entity::find().all(db).await?;
    let certifications: HashMap<i32, certification::Model> = certification::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut certs_of: HashMap<i32, Vec<String>> = HashMap::new();
    for link in course_certification::Entity::find().all(db).await? {
        if let Some(cert) = certifications.get(&link.certification_id) {
            certs_of
                .entry(link.course_id)
                .or_default()
                .push(id("certification", &cert.code));
        }
    }
    let program_codes: HashMap<i32, &str> =
        programs.iter().map(|p| (p.id, p.code.as_str())).collect();

    let mut graph = Vec::new();
    for p in programs
        .iter()
        .filter(|p| p.deleted_at.is_none() && !p.sample)
    {
        let mut node = json!({
            "@type": "ceterms:CredentialOrganization",
            "@id": id("program", &p.code),
            "ceterms:name": lang(&p.name),
        });
        put(
            &mut node,
            "ceterms:subjectWebpage",
            p.website.clone().map(Value::String),
        );
        put(
            &mut node,
            "ceterms:description",
            p.description.as_deref().map(lang),
        );
        graph.push(node);
    }
    let mut courses_of: HashMap<i32, Vec<&course::Model>> = HashMap::new();
    // ROC/P courses: a district's own course has no CTDL organisation here yet.
    for c in courses
        .iter()
        .filter(|c| c.deleted_at.is_none() && !c.sample && c.program_id.is_some())
    {
        if let Some(pathway) = c.pathway_id {
            courses_of.entry(pathway).or_default().push(c);
        }
        let program = c
            .program_id
            .and_then(|p| program_codes.get(&p).copied())
            .unwrap_or("");
        let mut node = json!({
            "@type": "ceterms:Course",
            "@id": id("course", &format!("{program}/{}", c.code)),
            "ceterms:name": lang(&c.title),
            "ceterms:codedNotation": c.code,
            "ceterms:offeredBy": [id("program", program)],
        });
        put(
            &mut node,
            "ceterms:description",
            c.description.as_deref().map(lang),
        );
        if let Some(certs) = certs_of.get(&c.id) {
            put(
                &mut node,
                "ceterms:isPreparationFor",
                Some(json!([{
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:targetCredential": certs,
                }])),
            );
        }
        graph.push(node);
    }
    for p in pathways
        .iter()
        .filter(|p| p.deleted_at.is_none() && !p.sample)
    {
        let mut node = json!({
            "@type": "ceterms:Pathway",
            "@id": id("pathway", &p.code),
            "ceterms:name": lang(&p.name),
        });
        put(
            &mut node,
            "ceterms:description",
            p.description.as_deref().map(lang),
        );
        if let Some(sector) = sectors.get(&p.sector_id) {
            put(
                &mut node,
                "ceterms:industryType",
                Some(json!([{
                    "@type": "ceterms:CredentialAlignmentObject",
                    "ceterms:framework": "https://www.cde.ca.gov/ci/ct/sf/ctemcstandards.asp",
                    "ceterms:frameworkName": lang("California CTE Model Curriculum Standards industry sectors"),
                    "ceterms:codedNotation": sector.code,
                    "ceterms:targetNodeName": lang(&sector.name),
                }])),
            );
        }
        let mut parts: Vec<Value> = Vec::new();
        for c in courses_of.get(&p.id).into_iter().flatten() {
            let program = c
                .program_id
                .and_then(|p| program_codes.get(&p).copied())
                .unwrap_or("");
            parts.push(json!({
                "@type": "ceterms:CourseComponent",
                "@id": id("component", &format!("{}/{program}/{}", p.code, c.code)),
                "ceterms:name": lang(&c.title),
                "ceterms:componentDesignation": [c.level.to_lowercase()],
                "ceterms:proxyFor": id("course", &format!("{program}/{}", c.code)),
            }));
        }
        parts.sort_by_cached_key(|v| v.to_string());
        if !parts.is_empty() {
            put(&mut node, "ceterms:hasPart", Some(Value::Array(parts)));
        }
        graph.push(node);
    }
    let mut certs: Vec<&certification::Model> = certifications
        .values()
        .filter(|c| c.deleted_at.is_none() && !c.sample)
        .collect();
    certs.sort_by(|a, b| a.code.cmp(&b.code));
    for c in certs {
        let mut node = json!({
            "@type": "ceterms:Certification",
            "@id": id("certification", &c.code),
            "ceterms:name": lang(&c.name),
        });
        put(
            &mut node,
            "ceterms:subjectWebpage",
            c.url.clone().map(Value::String),
        );
        put(
            &mut node,
            "ceterms:description",
            c.description.as_deref().map(lang),
        );
        if let Some(issuer) = &c.issuer {
            put(
                &mut node,
                "ceterms:ownedBy",
                Some(
                    json!([{ "@type": "ceterms:CredentialOrganization", "ceterms:name": lang(issuer) }]),
                ),
            );
        }
        graph.push(node);
    }
    // Programs of study districts and schools run, offered by the district, at the school.
    let districts: HashMap<i32, district::Model> = district::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let schools: HashMap<i32, school::Model> = school::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut programs_of_study = school_pathway::Entity::find().all(db).await?;
    programs_of_study.retain(|p| p.deleted_at.is_none() && !p.sample);
    programs_of_study.sort_by(|a, b| a.code.cmp(&b.code));
    for p in programs_of_study {
        let mut node = json!({
            "@type": "ceterms:LearningProgram",
            "@id": id("school-pathway", &p.code),
            "ceterms:name": lang(&p.local_name),
        });
        put(
            &mut node,
            "ceterms:description",
            p.description.as_deref().map(lang),
        );
        if let Some(d) = districts.get(&p.district_id) {
            put(
                &mut node,
                "ceterms:offeredBy",
                Some(
                    json!([{ "@type": "ceterms:CredentialOrganization", "ceterms:name": lang(&d.name) }]),
                ),
            );
        }
        if let Some(s) = p.school_id.and_then(|id| schools.get(&id)) {
            put(
                &mut node,
                "ceterms:availableAt",
                Some(json!([{ "@type": "ceterms:Place", "ceterms:name": lang(&s.name) }])),
            );
        }
        graph.push(node);
    }
    educators(db, &districts, &schools, &mut graph).await?;
    Ok(json!({ "@context": CONTEXT, "@graph": graph }))
}

/// Organisations that prepare or support CTE teachers, their programs, and CTE teaching
/// openings still open (offered by the district, at the school when one is named).
async fn educators(
    db: &impl ConnectionTrait,
    districts: &HashMap<i32, district::Model>,
    schools: &HashMap<i32, school::Model>,
    graph: &mut Vec<Value>,
) -> ApiResult<()> {
    let mut organizations = educator_organization::Entity::find().all(db).await?;
    organizations.retain(|o| o.deleted_at.is_none() && !o.sample);
    organizations.sort_by(|a, b| a.code.cmp(&b.code));
    let organization_ids: HashMap<i32, String> = organizations
        .iter()
        .map(|o| (o.id, id("educator-organization", &o.code)))
        .collect();
    for o in &organizations {
        let mut org = node(
            "ceterms:CredentialOrganization",
            id("educator-organization", &o.code),
            &o.name,
            o.description.as_deref(),
            o.website.as_deref(),
        );
        put(
            &mut org,
            "ceterms:foundingDate",
            o.founded_year.map(|y| Value::String(y.to_string())),
        );
        graph.push(org);
    }
    let mut programs = educator_program::Entity::find().all(db).await?;
    // A program whose organisation is left out (sample or deleted) goes too: it would be
    // offered by nobody.
    programs.retain(|p| {
        p.deleted_at.is_none() && !p.sample && organization_ids.contains_key(&p.organization_id)
    });
    programs.sort_by(|a, b| a.code.cmp(&b.code));
    for p in programs {
        let mut program = node(
            "ceterms:LearningProgram",
            id("educator-program", &p.code),
            &p.name,
            p.description.as_deref(),
            p.registration_url.as_deref(),
        );
        put(
            &mut program,
            "ceterms:offeredBy",
            organization_ids
                .get(&p.organization_id)
                .map(|o| json!([{ "@id": o }])),
        );
        graph.push(program);
    }
    let mut openings = teaching_opening::Entity::find().all(db).await?;
    // Only openings still open: a registry must not list a job whose apply-by date has passed.
    let today = chrono::Utc::now().date_naive();
    openings
        .retain(|o| o.deleted_at.is_none() && !o.sample && o.apply_by.is_none_or(|by| by >= today));
    openings.sort_by(|a, b| a.code.cmp(&b.code));
    for o in openings {
        let mut job = node(
            "ceterms:Job",
            id("teaching-opening", &o.code),
            &o.title,
            o.description.as_deref(),
            o.apply_url.as_deref(),
        );
        put(
            &mut job,
            "ceterms:offeredBy",
            districts.get(&o.district_id).map(|d| {
                json!([{ "@type": "ceterms:CredentialOrganization", "ceterms:name": lang(&d.name) }])
            }),
        );
        put(
            &mut job,
            "ceterms:availableAt",
            o.school_id
                .and_then(|id| schools.get(&id))
                .map(|s| json!([{ "@type": "ceterms:Place", "ceterms:name": lang(&s.name) }])),
        );
        put(
            &mut job,
            "ceterms:requires",
            o.credential_required.as_deref().map(|c| {
                json!([{ "@type": "ceterms:ConditionProfile", "ceterms:description": lang(c) }])
            }),
        );
        graph.push(job);
    }
    Ok(())
}
