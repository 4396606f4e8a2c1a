//! One definition per record kind (`api/src/fields.rs`, stated by each area in
//! `catalog/<area>/fields.rs`) is checked against what restates it: the GraphQL object type's
//! scalar fields, the create and update inputs (schema.graphql, which tests/schema.rs keeps
//! equal to the served schema), and the column tables of docs/import.md. Each failure names the
//! kind and the field.
//!
//! `CTE_HUB_BLESS=1 cargo test -p api --test integration records::` rewrites docs/import.md's column tables
//! from the definitions.

use std::collections::{BTreeMap, BTreeSet};

use api::{
    fields::{Field, RecordKind},
    import::{catalog::record_kind, ImportKind},
};

/// The object and input types of schema.graphql: type name → field name → its type.
fn sdl_types() -> BTreeMap<String, BTreeMap<String, String>> {
    let sdl = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
        .expect("schema.graphql");
    let mut types = BTreeMap::new();
    let mut current: Option<(String, BTreeMap<String, String>)> = None;
    let mut in_description = false;
    for line in sdl.lines() {
        if line.trim() == "\"\"\"" {
            in_description = !in_description;
            continue;
        }
        if in_description {
            continue;
        }
        if let Some(rest) = line
            .strip_prefix("type ")
            .or_else(|| line.strip_prefix("input "))
        {
            let name = rest.split_whitespace().next().unwrap_or_default();
            current = Some((name.to_owned(), BTreeMap::new()));
            continue;
        }
        if line == "}" {
            if let Some((name, fields)) = current.take() {
                types.insert(name, fields);
            }
            continue;
        }
        // A field of the type (one tab in); arguments are indented further.
        let Some(field) = line.strip_prefix('\t').filter(|l| !l.starts_with('\t')) else {
            continue;
        };
        if let (Some((_, fields)), Some((name, ty))) = (current.as_mut(), field.split_once(": ")) {
            if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                fields.insert(name.to_owned(), ty.trim().to_owned());
            }
        }
    }
    types
}

/// The kinds with a definition.
fn kinds() -> Vec<&'static RecordKind> {
    ImportKind::CATALOG_ORDER
        .iter()
        .filter_map(|k| record_kind(*k))
        .collect()
}

#[test]
fn each_kind_s_graphql_type_has_its_columns() {
    let types = sdl_types();
    let mut problems = Vec::new();
    for kind in kinds() {
        let Some(type_name) = kind.graphql else {
            continue;
        };
        let Some(fields) = types.get(type_name) else {
            problems.push(format!(
                "{}: schema.graphql has no type {type_name}",
                kind.name
            ));
            continue;
        };
        for field in kind.fields {
            let Some(name) = field.graphql_name() else {
                continue;
            };
            match fields.get(&name) {
                None => problems.push(format!(
                    "{}.{}: {type_name} has no field {name}",
                    kind.name, field.name
                )),
                Some(ty) if ty.ends_with('!') != field.never_null => problems.push(format!(
                    "{}.{}: {type_name}.{name} is {ty}, but the column is {}",
                    kind.name,
                    field.name,
                    if field.never_null {
                        "never null"
                    } else {
                        "optional"
                    }
                )),
                Some(_) => {}
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the GraphQL types and their kinds' definitions (catalog/<area>/fields.rs) differ:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn each_kind_s_inputs_are_its_columns() {
    let types = sdl_types();
    let mut problems = Vec::new();
    // The columns of every kind an input changes (a course input serves ROC/P and district
    // courses; an educator program's input names its sectors).
    let mut columns: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for kind in kinds() {
        if let Some((create, update)) = kind.inputs {
            for input in [create, update] {
                columns
                    .entry(input)
                    .or_default()
                    .extend(kind.fields.iter().filter_map(Field::input_name));
            }
        }
    }
    for (input, defined) in &columns {
        let Some(fields) = types.get(*input) else {
            problems.push(format!("schema.graphql has no input {input}"));
            continue;
        };
        for name in fields.keys().filter(|n| !defined.contains(*n)) {
            problems.push(format!(
                "{input}.{name} is no column of its kinds (add it, or name the column's input)"
            ));
        }
    }
    for kind in kinds() {
        let Some((create, _)) = kind.inputs else {
            continue;
        };
        let Some(fields) = types.get(create) else {
            continue;
        };
        for field in kind.fields {
            if let Some(name) = field.input_name().filter(|n| !fields.contains_key(n)) {
                problems.push(format!(
                    "{}.{}: {create} lacks {name} (or mark the column no_input)",
                    kind.name, field.name
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the mutation inputs and their kinds' definitions (catalog/<area>/fields.rs) differ:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn docs_import_md_tables_are_the_definitions() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/import.md");
    let mut docs = std::fs::read_to_string(path).expect("docs/import.md");
    let bless = std::env::var_os("CTE_HUB_BLESS").is_some();
    let mut problems = Vec::new();
    for kind in ImportKind::CATALOG_ORDER {
        let table = api::import::catalog::docs_table(kind);
        let heading = format!("### `{}`\n", kind.name());
        let Some(start) = docs.find(&heading) else {
            problems.push(format!(
                "{}: docs/import.md has no section {}",
                kind.name(),
                heading.trim()
            ));
            continue;
        };
        let Some(offset) = docs[start..].find("| column | required |") else {
            problems.push(format!("{}: its section has no column table", kind.name()));
            continue;
        };
        let from = start + offset;
        let to = docs[from..]
            .find("\n\n")
            .map_or(docs.len(), |i| from + i + 1);
        if docs[from..to] != table {
            let stated: Vec<&str> = docs[from..to].lines().collect();
            let wanted: Vec<&str> = table.lines().collect();
            let first = (0..stated.len().max(wanted.len()))
                .find(|&i| stated.get(i) != wanted.get(i))
                .unwrap_or_default();
            problems.push(format!(
                "{}: line {} of its table is {:?}, the definition gives {:?}",
                kind.name(),
                first + 1,
                stated.get(first).copied().unwrap_or("(nothing)"),
                wanted.get(first).copied().unwrap_or("(nothing)")
            ));
            docs.replace_range(from..to, &table);
        }
    }
    if bless && !problems.is_empty() {
        std::fs::write(path, &docs).expect("write docs/import.md");
        return;
    }
    assert!(
        problems.is_empty(),
        "docs/import.md's column tables differ from the definitions (catalog/<area>/fields.rs); \
         CTE_HUB_BLESS=1 rewrites them:\n  {}",
        problems.join("\n  ")
    );
}
