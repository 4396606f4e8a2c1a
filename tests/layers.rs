//! The layers of `api/src` are real, not only drawn: a lower layer never names a higher
//! one, areas of one layer do not lean on each other in a circle, and SQL runs only in
//! the store layer. Read from the sources themselves (parsed with `syn`), so a new
//! `use` that breaks the direction fails here, with the file and the path it names.
//!
//! From the bottom (docs/architecture.md, "Layers"):
//! 1. **foundation**: `error`, `config`, `db`, `codes`, `telemetry`, `ids` (record kinds and global IDs), `paging` (keyset pages and cursors), `batch` (the batch loader), `vocabulary` (the closed lists of values), `fields` (what a record kind's columns are);
//! 2. **store and write path**: `catalog/<area>/store.rs` (and the pure rules and the
//!    record kinds' columns, `fields.rs`, beside it),
//!    `changes/` (but its GraphQL types), `auth/`, `import/`, `export/`, `seed/`, `resolve`,
//!    `ratelimit`, `shared_store`;
//! 3. **GraphQL**: `graphql/`, the rest of `catalog/<area>/`, `changes/{query,types}.rs`;
//! 4. **schema**: `schema` assembles the root types from the catalogue areas;
//! 5. **edge**: `http/`, `cli`, `startup`.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    path::{Path, PathBuf},
};

use syn::visit::Visit;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Foundation,
    Store,
    Graphql,
    Schema,
    Edge,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layer::Foundation => "foundation",
            Layer::Store => "store",
            Layer::Graphql => "graphql",
            Layer::Schema => "schema",
            Layer::Edge => "edge",
        })
    }
}

/// Files of a catalog area that hold no GraphQL: its SQL and its pure rules. (An area's
/// `Record` impls, the write rules per kind, sit with its resolvers, above `changes/`.)
const CATALOG_STORE_FILES: &[&str] = &["store", "rules", "credit", "index", "fields"];

/// The layer of a module, by where it lives. A new top-level module must be placed here.
fn layer_of(module: &[String]) -> Layer {
    let first = module.first().map(String::as_str).unwrap_or("lib");
    match first {
        "error" | "config" | "db" | "codes" | "telemetry" | "ids" | "paging" | "vocabulary" | "fields" | "batch" => Layer::Foundation,
        "auth" | "import" | "export" | "seed" | "ratelimit" | "shared_store" | "resolve" => {
            Layer::Store
        }
        "changes" => match module.get(1).map(String::as_str) {
            Some("query") | Some("types") => Layer::Graphql,
            _ => Layer::Store,
        },
        "catalog" => match module.get(2).map(String::as_str) {
            Some(file) if CATALOG_STORE_FILES.contains(&file) => Layer::Store,
            _ => Layer::Graphql,
        },
        "graphql" => Layer::Graphql,
        "schema" => Layer::Schema,
        "http" | "cli" | "startup" | "lib" | "main" => Layer::Edge,
        other => panic!("api/src/{other}: a new top-level module; give it a layer in tests/layers.rs and docs/architecture.md"),
    }
}

/// The area a module belongs to, for the cycle check: its top-level module and layer (a
/// catalog area's store sits below its resolvers). The catalogue's GraphQL types name each
/// other as the graph does (a course's articulations, an articulation's course), so the
/// catalogue is one area per layer.
fn area_of(module: &[String]) -> String {
    let layer = layer_of(module);
    match module.first() {
        Some(first) => format!("{first} ({layer})"),
        None => "lib".to_owned(),
    }
}

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every module file under `api/src` with its module path (`catalog/courses/store.rs` is
/// `["catalog", "courses", "store"]`, `graphql/mod.rs` is `["graphql"]`).
fn modules() -> BTreeMap<Vec<String>, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir)
            .expect("api/src is readable")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = source_root();
    let mut files = Vec::new();
    walk(&root, &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file
                .strip_prefix(&root)
                .expect("under api/src")
                .with_extension("");
            let mut module: Vec<String> = relative
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|last| last == "mod") {
                module.pop();
            }
            (module, file)
        })
        .collect()
}

/// The `crate::` paths a file names, in `use` items and in code, with `super::` and
/// `self::` made absolute.
struct NamedPaths<'a> {
    module: &'a [String],
    is_mod_file: bool,
    found: BTreeSet<Vec<String>>,
}

impl NamedPaths<'_> {
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let first = segments.first()?;
        match first.as_str() {
            "crate" => Some(segments[1..].to_vec()),
            "super" | "self" => {
                // A `mod.rs` file is its directory's module; any other file is a module of
                // its own, so `super` is the directory.
                let mut base = self.module.to_vec();
                let mut rest = segments;
                while let Some(head) = rest.first() {
                    match head.as_str() {
                        "self" => {}
                        "super" => {
                            base.pop()?;
                        }
                        _ => break,
                    }
                    rest = &rest[1..];
                }
                let _ = self.is_mod_file;
                base.extend(rest.iter().cloned());
                Some(base)
            }
            _ => None,
        }
    }

    fn add(&mut self, segments: Vec<String>) {
        if let Some(path) = self.absolute(&segments) {
            self.found.insert(path);
        }
    }

    fn walk_use(&mut self, prefix: Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                let mut next = prefix;
                next.push(p.ident.to_string());
                self.walk_use(next, &p.tree);
            }
            syn::UseTree::Name(n) => {
                let mut path = prefix;
                if n.ident != "self" {
                    path.push(n.ident.to_string());
                }
                self.add(path);
            }
            syn::UseTree::Rename(r) => {
                let mut path = prefix;
                path.push(r.ident.to_string());
                self.add(path);
            }
            syn::UseTree::Glob(_) => self.add(prefix),
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.walk_use(prefix.clone(), item);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for NamedPaths<'_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.walk_use(Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.add(segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        // `#[cfg(test)] mod tests { use super::*; }` names its own file: not an import.
        if item.content.is_some() && item.attrs.iter().any(|a| a.path().is_ident("cfg")) {
            return;
        }
        syn::visit::visit_item_mod(self, item);
    }
}

/// The module a path names: the longest prefix of it that is a module file.
fn target_module(modules: &BTreeMap<Vec<String>, PathBuf>, path: &[String]) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| modules.contains_key(prefix))
}

struct Import {
    from: Vec<String>,
    to: Vec<String>,
}

fn imports() -> Vec<Import> {
    let modules = modules();
    let mut out = Vec::new();
    for (module, file) in &modules {
        if matches!(module.first().map(String::as_str), None | Some("main")) {
            continue; // lib.rs and main.rs declare the modules; they sit above everything.
        }
        let text = std::fs::read_to_string(file).expect("a readable source file");
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut named = NamedPaths {
            module,
            is_mod_file: file.file_name().is_some_and(|n| n == "mod.rs"),
            found: BTreeSet::new(),
        };
        named.visit_file(&parsed);
        let targets: BTreeSet<Vec<String>> = named
            .found
            .iter()
            .filter_map(|path| target_module(&modules, path))
            .filter(|target| target != module && !module.starts_with(target))
            .collect();
        out.extend(targets.into_iter().map(|to| Import {
            from: module.clone(),
            to,
        }));
    }
    out
}

fn show(module: &[String]) -> String {
    module.join("::")
}

/// Upward imports that exist today and are being removed (issue 14, item 5). The test
/// fails when one of them is gone (take it off this list) or a new one appears.
const KNOWN_UPWARD: &[&str] = &[];

/// How an upward import is named in [`KNOWN_UPWARD`] and in the failure message.
fn upward(import: &Import) -> String {
    let (from, to) = (layer_of(&import.from), layer_of(&import.to));
    format!(
        "{} ({from}) -> {} ({to})",
        show(&import.from),
        show(&import.to)
    )
}

#[test]
fn no_lower_layer_names_a_higher_one() {
    let mut found = BTreeSet::new();
    for import in imports() {
        if layer_of(&import.to) > layer_of(&import.from) {
            found.insert(upward(&import));
        }
    }
    let known: BTreeSet<String> = KNOWN_UPWARD.iter().map(|s| (*s).to_owned()).collect();
    let new: Vec<&String> = found.difference(&known).collect();
    let gone: Vec<&String> = known.difference(&found).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "a lower layer names a higher one (move the item down, or pass it in from above):\n  {}\n\
         gone from the code, take them off KNOWN_UPWARD:\n  {}",
        new.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        gone.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
    );
}

#[test]
fn areas_do_not_depend_on_each_other_in_a_circle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for import in imports() {
        if KNOWN_UPWARD.contains(&upward(&import).as_str()) {
            continue; // tracked by the test above
        }
        let (from, to) = (area_of(&import.from), area_of(&import.to));
        if from != to {
            edges.entry(from).or_default().insert(to);
        }
    }
    // Every pair of areas that reach each other is a cycle.
    let reach = |start: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.clone()];
        while let Some(node) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let mut cycles = BTreeSet::new();
    for area in edges.keys() {
        for other in reach(area) {
            if &other != area && reach(&other).contains(area) {
                let pair = if area < &other {
                    (area.clone(), other)
                } else {
                    (other, area.clone())
                };
                cycles.insert(format!("{} <-> {}", pair.0, pair.1));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "areas that depend on each other:\n  {}",
        cycles.into_iter().collect::<Vec<_>>().join("\n  ")
    );
}

/// What runs SQL: SeaORM entity queries and raw statements.
const SQL_MARKERS: &[&str] = &[
    "Statement::from_sql_and_values",
    "Statement::from_string",
    ".query_all(",
    ".query_one(",
    ".execute_unprepared(",
    "Entity::find",
    "Entity::insert",
    "Entity::update",
    "Entity::delete",
];

#[test]
fn sql_runs_only_in_the_store_layer() {
    let mut outside = Vec::new();
    for (module, file) in modules() {
        if module.is_empty() || layer_of(&module) <= Layer::Store {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for marker in SQL_MARKERS {
            if code.contains(marker) {
                outside.push(format!(
                    "{} ({}) runs SQL: {marker}",
                    show(&module),
                    layer_of(&module)
                ));
            }
        }
    }
    assert!(
        outside.is_empty(),
        "SQL outside a store module (move it into the area's store.rs):\n  {}",
        outside.join("\n  ")
    );
}
