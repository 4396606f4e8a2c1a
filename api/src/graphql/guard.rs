//! What a GraphQL document is allowed to be, decided before async-graphql runs it.
//!
//! Two steps, both linear in the size of the document:
//!
//! 1. [`nesting_depth`] scans the raw text for bracket nesting (`[`, `{`, `(`, outside strings
//!    and comments) **before parsing**. async-graphql-parser 7.2's `parse_query` guards the
//!    recursion of selection sets (`recursion_depth!`), but `async_graphql_parser::parse::parse_value`
//!    calls itself once per `[` or `{` of an argument value with no bound (seen in gdb: 1,200
//!    frames for a 2,000-deep object): a 3 KB `[[[[...]]]]` argument overflows a tokio worker's
//!    stack and aborts the process. Until upstream bounds value recursion, no text nested deeper
//!    than [`MAX_NESTING`] reaches the parser, and nothing else in the server parses a document
//!    the guard has not passed.
//! 2. [`analyze`] walks the parsed document once, with every fragment summarised once
//!    (memoised) and fragment cycles detected, and returns its cost, aliases, directives,
//!    expanded size and depth. Walking fragment spreads without memoisation is exponential
//!    (`fragment A on Query { ...B ...B }`, `B { ...C ...C }`, ...); async-graphql's own
//!    `check_recursive_depth` walks them that way, so a document is refused here, before
//!    it can get there.
//!
//! Introspection (`__schema`, `__type`) is measured apart from data: its depth does not count
//! against `--max-depth` (the standard introspection queries nest about 15 deep), and it is
//! bounded by its own rules instead: at most [`MAX_INTROSPECTION_DEPTH`] deep, and at most
//! [`MAX_INTROSPECTION_LISTS`] nested `fields`/`inputFields`/`interfaces`/`possibleTypes`
//! (graphql-js 17's `MaxIntrospectionDepthRule`), which refuses the
//! `__type { fields { type { fields { type { fields ...` bomb.

use std::collections::HashMap;

use async_graphql::{
    parser::types::{DocumentOperations, ExecutableDocument, Field, Selection, SelectionSet},
    Name, Value, Variables,
};

use crate::paging::DEFAULT_PAGE_SIZE;

/// The deepest bracket nesting a document's text may have. Far above any real query (a
/// 12-deep selection with a 10-deep filter value nests 25), far below what overflows a stack.
pub const MAX_NESTING: usize = 128;

/// The deepest a document may nest selection sets, fragment spreads and inline fragments
/// counted (the same measure as async-graphql's recursive depth, which is set to this).
pub const MAX_WALK_DEPTH: usize = 64;

/// The most selections (fields, spreads, inline fragments) a document may have once every
/// fragment spread is replaced by its fragment.
pub const MAX_EXPANDED_SELECTIONS: usize = 5_000;

/// The most fields, scalars included, an operation may resolve, counting each row of a page:
/// the cost limit counts objects only, so without this a page of 100 rows asking for one
/// scalar 4,900 times (a 25 KB document) cost 101 points and took seconds.
pub const MAX_RESOLVED_FIELDS: usize = 100_000;

/// The most root fields an operation may select (fragments spread): each may run its own SQL
/// at the same time, and 300 copies of one root field held every SQLite connection for seconds.
pub const MAX_ROOT_FIELDS: usize = 30;

/// The deepest an introspection field (`__schema`, `__type`) may nest fields below itself.
pub const MAX_INTROSPECTION_DEPTH: usize = 24;

/// Introspection may nest the list fields `fields`, `inputFields`, `interfaces` and
/// `possibleTypes` fewer than this many times (graphql-js 17 uses 3).
pub const MAX_INTROSPECTION_LISTS: usize = 3;

/// Why a document is refused before it runs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the document nests brackets more than {max} deep; send a flatter value or query")]
    NestedTooDeep { max: usize },
    #[error("fragment cycle: {}; a fragment may not spread itself", path.join(" spreads "))]
    FragmentCycle { path: Vec<String> },
    #[error(
        "this query nests selections and fragments more than {max} deep; ask for less nesting"
    )]
    WalkTooDeep { max: usize },
    #[error("this query expands to more than {max} selections once its fragments are spread; ask for fewer fields or spread fragments less often")]
    TooManySelections { max: usize },
    #[error("introspection nests `fields`, `inputFields`, `interfaces` or `possibleTypes` {lists} deep and the limit is {}; fetch the schema with the standard introspection query or GET /schema.graphql", MAX_INTROSPECTION_LISTS - 1)]
    IntrospectionTooDeep { lists: usize },
    #[error("introspection nests fields {depth} deep and the limit is {MAX_INTROSPECTION_DEPTH}")]
    IntrospectionTooLong { depth: usize },
    #[error("{field}: contains a NUL character (U+0000), which no text in CTE Hub may hold")]
    NulCharacter { field: String },
    #[error("this operation selects {fields} root fields and the limit is {MAX_ROOT_FIELDS}: send fewer, or several requests")]
    TooManyRootFields { fields: usize },
    #[error("{field}: required ({ty}) but not given")]
    MissingVariable { field: String, ty: String },
    #[error("{field}: a list of more than {MAX_LIST_ITEMS} items; send fewer")]
    ListTooLong { field: String },
    #[error("this query would resolve about {fields} fields (page sizes times the fields asked for each row) and the limit is {max}: ask for fewer fields or smaller pages")]
    TooManyFields { fields: usize, max: usize },
}

impl Refusal {
    /// The `extensions.code` of the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NestedTooDeep { .. }
            | Refusal::NulCharacter { .. }
            | Refusal::ListTooLong { .. }
            | Refusal::MissingVariable { .. } => "BAD_USER_INPUT",
            Refusal::FragmentCycle { .. } => "GRAPHQL_VALIDATION_FAILED",
            Refusal::WalkTooDeep { .. }
            | Refusal::IntrospectionTooDeep { .. }
            | Refusal::IntrospectionTooLong { .. } => "QUERY_TOO_DEEP",
            Refusal::TooManySelections { .. }
            | Refusal::TooManyFields { .. }
            | Refusal::TooManyRootFields { .. } => "QUERY_TOO_COMPLEX",
        }
    }
}

/// The deepest bracket nesting of a GraphQL document's text, ignoring brackets inside strings,
/// block strings and comments. Stops counting once past `limit` (returns `limit + 1`).
pub fn nesting_depth(text: &str, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut i, mut depth, mut deepest) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                // A block string only if it closes: the parser reads an unclosed `"""` as the
                // empty string `""` followed by more text, so the scan must count what follows.
                match block_string_end(bytes, i + 3) {
                    Some(end) => i = end,
                    None => i += 2,
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => break,
                        // An unterminated string: the parser will say so.
                        b'\n' | b'\r' => break,
                        _ => i += 1,
                    }
                }
            }
            b'[' | b'{' | b'(' => {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                    if deepest > limit {
                        return deepest;
                    }
                }
            }
            b']' | b'}' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// Where the block string whose body starts at `start` ends (just past its closing `"""`),
/// or `None` when it never closes.
fn block_string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"\\\"\"\"") {
            i += 4;
        } else if bytes[i..].starts_with(b"\"\"\"") {
            return Some(i + 3);
        } else {
            i += 1;
        }
    }
    None
}

/// Refuses a document whose text nests deeper than [`MAX_NESTING`]: run before any parse.
pub fn check_text(text: &str) -> Result<(), Refusal> {
    if nesting_depth(text, MAX_NESTING) > MAX_NESTING {
        return Err(Refusal::NestedTooDeep { max: MAX_NESTING });
    }
    Ok(())
}

/// Refuses a NUL character in any string argument or variable: PostgreSQL cannot hold one in
/// text (it would answer an internal error) and SQLite would store it, so both refuse it here,
/// alike. The field named is the argument (`search.query`) or the variable (`$name`).
pub fn check_strings(document: &ExecutableDocument, variables: &Variables) -> Result<(), Refusal> {
    fn too_long(value: &Value) -> bool {
        match value {
            Value::List(items) => items.len() > MAX_LIST_ITEMS || items.iter().any(too_long),
            Value::Object(map) => map.values().any(too_long),
            _ => false,
        }
    }
    for (name, value) in variables.iter() {
        if too_long(value) {
            return Err(Refusal::ListTooLong {
                field: format!("${name}"),
            });
        }
    }
    fn has_nul(value: &Value) -> bool {
        match value {
            Value::String(s) => s.contains('\0'),
            Value::List(items) => items.iter().any(has_nul),
            Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
            _ => false,
        }
    }
    fn in_set(set: &SelectionSet) -> Option<Refusal> {
        for selection in &set.items {
            let found = match &selection.node {
                Selection::Field(field) => field
                    .node
                    .arguments
                    .iter()
                    .find_map(|(name, value)| {
                        // Variables are checked apart; here only the literals matter.
                        let value = value
                            .node
                            .clone()
                            .into_const_with(|_| Ok::<_, ()>(Value::Null))
                            .ok()?;
                        let field = format!("{}.{}", field.node.name.node, name.node);
                        if has_nul(&value) {
                            Some(Refusal::NulCharacter { field })
                        } else if too_long(&value) {
                            Some(Refusal::ListTooLong { field })
                        } else {
                            None
                        }
                    })
                    .or_else(|| in_set(&field.node.selection_set.node)),
                Selection::InlineFragment(inline) => in_set(&inline.node.selection_set.node),
                Selection::FragmentSpread(_) => None,
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }
    for (name, value) in variables.iter() {
        if has_nul(value) {
            return Err(Refusal::NulCharacter {
                field: format!("${name}"),
            });
        }
    }
    let sets = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(
            document
                .fragments
                .values()
                .map(|f| &f.node.selection_set.node),
        );
    for set in sets {
        if let Some(refusal) = in_set(set) {
            return Err(refusal);
        }
    }
    Ok(())
}

/// The request's variables plus the default values of the variables it leaves out: what the
/// checks must see, since a default is used exactly like a value sent.
pub fn with_defaults(document: &ExecutableDocument, variables: &Variables) -> Variables {
    let mut effective = variables.clone();
    for (_, operation) in document.operations.iter() {
        for definition in &operation.node.variable_definitions {
            let name = &definition.node.name.node;
            if let Some(default) = &definition.node.default_value {
                if !effective.contains_key(name) {
                    effective.insert(name.clone(), default.node.clone());
                }
            }
        }
    }
    effective
}

/// Refuses a request that leaves out (or sends null for) a required variable of the operation
/// it runs: a request error, answered before execution like a parse error.
pub fn check_required_variables(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Result<(), Refusal> {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    };
    let Some(operation) = operation else {
        return Ok(());
    };
    for definition in &operation.node.variable_definitions {
        let definition = &definition.node;
        let given = variables
            .get(&definition.name.node)
            .is_some_and(|value| *value != Value::Null);
        if !definition.var_type.node.nullable && definition.default_value.is_none() && !given {
            return Err(Refusal::MissingVariable {
                field: format!("${}", definition.name.node),
                ty: definition.var_type.node.to_string(),
            });
        }
    }
    Ok(())
}

/// The most items a list argument or variable may hold (`nodes(ids:)` takes 100; no list of
/// this API needs more): a longer list is refused before it is copied for every field using it.
pub const MAX_LIST_ITEMS: usize = 1_000;

/// Documents with at most this many opening brackets are parsed on the calling thread: however
/// they nest, the parser's recursion stays far inside a worker's stack.
const INLINE_OPENERS: usize = 256;

/// Stack of the thread that parses documents with more brackets than [`INLINE_OPENERS`]: room
/// for the deepest document the body limit lets through, should the text scan ever be fooled.
const PARSE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Why [`parse`] gives no document.
pub enum ParseFailure {
    /// The text is not GraphQL.
    Syntax(async_graphql::ServerError),
    /// The document is valid GraphQL but nests deeper than allowed.
    Refused(Refusal),
}

/// Parses a document [`check_text`] has passed, as a second line of defence: a document with
/// many brackets is parsed (and, if refused, dropped) on a thread with a large stack, and the
/// parsed values' depth is measured again, so a scan that misjudged the text cannot overflow a
/// worker's stack in the parser, the validator or a destructor.
pub async fn parse(text: &str) -> Result<ExecutableDocument, ParseFailure> {
    let openers = text
        .bytes()
        .filter(|b| matches!(b, b'[' | b'{' | b'('))
        .count();
    if openers <= INLINE_OPENERS {
        return parse_and_measure(text);
    }
    let text = text.to_owned();
    let (send, receive) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("cte-hub-parse".into())
        .stack_size(PARSE_STACK_BYTES)
        .spawn(move || {
            let _ = send.send(parse_and_measure(&text));
        });
    if spawned.is_err() {
        return Err(ParseFailure::Refused(Refusal::NestedTooDeep {
            max: MAX_NESTING,
        }));
    }
    receive
        .await
        .unwrap_or(Err(ParseFailure::Refused(Refusal::NestedTooDeep {
            max: MAX_NESTING,
        })))
}

fn parse_and_measure(text: &str) -> Result<ExecutableDocument, ParseFailure> {
    let document =
        async_graphql::parser::parse_query(text).map_err(|e| ParseFailure::Syntax(e.into()))?;
    if value_depth(&document) > MAX_NESTING {
        // Dropped here, on this thread's stack, like it was built.
        drop(document);
        return Err(ParseFailure::Refused(Refusal::NestedTooDeep {
            max: MAX_NESTING,
        }));
    }
    Ok(document)
}

/// The deepest argument value, variable default or directive argument of a parsed document.
fn value_depth(document: &ExecutableDocument) -> usize {
    fn depth(value: &Value) -> usize {
        match value {
            Value::List(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
            Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
            _ => 0,
        }
    }
    fn in_set(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) => {
                    let arguments = field
                        .node
                        .arguments
                        .iter()
                        .map(|(_, value)| {
                            value
                                .node
                                .clone()
                                .into_const_with(|_| Ok::<_, ()>(Value::Null))
                                .map_or(0, |v| depth(&v))
                        })
                        .chain(field.node.directives.iter().flat_map(|d| {
                            d.node.arguments.iter().map(|(_, value)| {
                                value
                                    .node
                                    .clone()
                                    .into_const_with(|_| Ok::<_, ()>(Value::Null))
                                    .map_or(0, |v| depth(&v))
                            })
                        }))
                        .max()
                        .unwrap_or(0);
                    arguments.max(in_set(&field.node.selection_set.node))
                }
                Selection::InlineFragment(inline) => in_set(&inline.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .max()
            .unwrap_or(0)
    }
    let operations = document.operations.iter().map(|(_, op)| {
        let defaults = op
            .node
            .variable_definitions
            .iter()
            .filter_map(|v| v.node.default_value.as_ref())
            .map(|value| depth(&value.node))
            .max()
            .unwrap_or(0);
        defaults.max(in_set(&op.node.selection_set.node))
    });
    let fragments = document
        .fragments
        .values()
        .map(|f| in_set(&f.node.selection_set.node));
    operations.chain(fragments).max().unwrap_or(0)
}

/// What a document asks for, with every fragment spread expanded (each counted where it is
/// spread), for its costliest or busiest operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    /// The requested cost (see [`super::cost`]).
    pub cost: usize,
    pub aliases: usize,
    pub directives: usize,
    /// Field depth of data (introspection fields count 1, their insides are measured apart).
    pub depth: usize,
    /// Selections in the whole document once fragments are spread.
    pub selections: usize,
    /// Fields the costliest operation resolves, each row of a page counted.
    pub fields: usize,
    /// Root fields of the busiest operation (checked by the caller, after aliases, whose
    /// refusal says more: at most [`MAX_ROOT_FIELDS`]).
    pub root_fields: usize,
}

/// Measures a parsed document (fragments once each, cycles refused).
pub fn analyze(document: &ExecutableDocument, variables: &Variables) -> Result<Analysis, Refusal> {
    let mut walker = Walker {
        document,
        variables,
        fragments: HashMap::new(),
        stack: Vec::new(),
    };
    let operations: Vec<&SelectionSet> = match &document.operations {
        DocumentOperations::Single(op) => vec![&op.node.selection_set.node],
        DocumentOperations::Multiple(ops) => {
            ops.values().map(|op| &op.node.selection_set.node).collect()
        }
    };
    let op_directives: Vec<usize> = match &document.operations {
        DocumentOperations::Single(op) => vec![op.node.directives.len()],
        DocumentOperations::Multiple(ops) => {
            ops.values().map(|op| op.node.directives.len()).collect()
        }
    };
    let mut analysis = Analysis::default();
    let mut walk_depth = 0;
    let mut introspection = Summary::default();
    // Fragments no operation spreads are still parsed and validated: summarise them too.
    let mut names: Vec<&Name> = document.fragments.keys().collect();
    names.sort();
    for name in names {
        let summary = walker.fragment(name, 0)?;
        analysis.selections = analysis.selections.saturating_add(summary.selections);
        walk_depth = walk_depth.max(summary.walk_depth);
    }
    for (set, directives) in operations.into_iter().zip(op_directives) {
        let summary = walker.set(set, 0)?;
        analysis.cost = analysis.cost.max(summary.cost);
        analysis.aliases = analysis.aliases.max(summary.aliases);
        analysis.directives = analysis
            .directives
            .max(summary.directives.saturating_add(directives));
        analysis.depth = analysis.depth.max(summary.depth);
        analysis.fields = analysis.fields.max(summary.fields);
        analysis.root_fields = analysis.root_fields.max(summary.top_fields);
        analysis.selections = analysis.selections.saturating_add(summary.selections);
        walk_depth = walk_depth.max(summary.walk_depth);
        introspection.introspection_depth = introspection
            .introspection_depth
            .max(summary.introspection_depth);
        introspection.introspection_lists = introspection
            .introspection_lists
            .max(summary.introspection_lists);
    }
    if walk_depth > MAX_WALK_DEPTH {
        return Err(Refusal::WalkTooDeep {
            max: MAX_WALK_DEPTH,
        });
    }
    if analysis.selections > MAX_EXPANDED_SELECTIONS {
        return Err(Refusal::TooManySelections {
            max: MAX_EXPANDED_SELECTIONS,
        });
    }
    if analysis.fields > MAX_RESOLVED_FIELDS {
        return Err(Refusal::TooManyFields {
            fields: analysis.fields,
            max: MAX_RESOLVED_FIELDS,
        });
    }
    if introspection.introspection_lists >= MAX_INTROSPECTION_LISTS {
        return Err(Refusal::IntrospectionTooDeep {
            lists: introspection.introspection_lists,
        });
    }
    if introspection.introspection_depth > MAX_INTROSPECTION_DEPTH {
        return Err(Refusal::IntrospectionTooLong {
            depth: introspection.introspection_depth,
        });
    }
    Ok(analysis)
}

/// The measures of one selection set, independent of where it is spread, so a fragment is
/// summarised once however often it is spread.
#[derive(Clone, Copy, Debug, Default)]
struct Summary {
    selections: usize,
    cost: usize,
    /// Fields resolved, scalars included, each row of a page counted.
    fields: usize,
    /// Fields at this set's own level (through fragments), not below.
    top_fields: usize,
    aliases: usize,
    directives: usize,
    /// Field depth, introspection fields counting 1.
    depth: usize,
    /// Field depth, everything counted.
    full_depth: usize,
    /// Nested selection sets, fragment spreads and inline fragments counted.
    walk_depth: usize,
    /// Nesting of introspection's list fields (`fields`, `inputFields`, ...).
    lists: usize,
    /// The deepest introspection field inside, measured from that field.
    introspection_depth: usize,
    /// The most nested introspection lists below an introspection field.
    introspection_lists: usize,
    /// Whether the set asks for `nodes` or `edges`: it is a connection's.
    connection: bool,
}

impl Summary {
    /// Two selections side by side.
    fn beside(self, other: Summary) -> Summary {
        Summary {
            selections: self.selections.saturating_add(other.selections),
            cost: self.cost.saturating_add(other.cost),
            fields: self.fields.saturating_add(other.fields),
            top_fields: self.top_fields.saturating_add(other.top_fields),
            aliases: self.aliases.saturating_add(other.aliases),
            directives: self.directives.saturating_add(other.directives),
            depth: self.depth.max(other.depth),
            full_depth: self.full_depth.max(other.full_depth),
            walk_depth: self.walk_depth.max(other.walk_depth),
            lists: self.lists.max(other.lists),
            introspection_depth: self.introspection_depth.max(other.introspection_depth),
            introspection_lists: self.introspection_lists.max(other.introspection_lists),
            connection: self.connection || other.connection,
        }
    }
}

enum FragmentState {
    Walking,
    Done(Summary),
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    fragments: HashMap<&'a Name, FragmentState>,
    /// The fragments being summarised, outermost first (names a cycle).
    stack: Vec<&'a Name>,
}

const INTROSPECTION_LISTS: [&str; 4] = ["fields", "inputFields", "interfaces", "possibleTypes"];

impl<'a> Walker<'a> {
    fn fragment(&mut self, name: &'a Name, level: usize) -> Result<Summary, Refusal> {
        match self.fragments.get(name) {
            Some(FragmentState::Done(summary)) => return Ok(*summary),
            Some(FragmentState::Walking) => {
                let start = self.stack.iter().position(|n| *n == name).unwrap_or(0);
                let mut path: Vec<String> =
                    self.stack[start..].iter().map(|n| n.to_string()).collect();
                path.push(name.to_string());
                return Err(Refusal::FragmentCycle { path });
            }
            None => {}
        }
        // An unknown fragment is validation's to report; it costs nothing here.
        let Some(fragment) = self.document.fragments.get(name) else {
            return Ok(Summary::default());
        };
        self.fragments.insert(name, FragmentState::Walking);
        self.stack.push(name);
        let summary = self.set(&fragment.node.selection_set.node, level);
        self.stack.pop();
        let mut summary = summary?;
        summary.directives = summary
            .directives
            .saturating_add(fragment.node.directives.len());
        self.fragments.insert(name, FragmentState::Done(summary));
        Ok(summary)
    }

    /// `level` is how deep the walk is now: bounded, so a chain of fragments cannot exhaust the
    /// stack before the depth limit refuses it.
    fn set(&mut self, set: &'a SelectionSet, level: usize) -> Result<Summary, Refusal> {
        if level > MAX_WALK_DEPTH {
            return Err(Refusal::WalkTooDeep {
                max: MAX_WALK_DEPTH,
            });
        }
        let mut total = Summary::default();
        for selection in &set.items {
            let summary = match &selection.node {
                Selection::Field(field) => self.field(&field.node, level)?,
                Selection::FragmentSpread(spread) => {
                    let inner = self.fragment(&spread.node.fragment_name.node, level + 1)?;
                    Summary {
                        selections: inner.selections.saturating_add(1),
                        directives: inner
                            .directives
                            .saturating_add(spread.node.directives.len()),
                        walk_depth: inner.walk_depth.saturating_add(1),
                        ..inner
                    }
                }
                Selection::InlineFragment(inline) => {
                    let inner = self.set(&inline.node.selection_set.node, level + 1)?;
                    Summary {
                        selections: inner.selections.saturating_add(1),
                        directives: inner
                            .directives
                            .saturating_add(inline.node.directives.len()),
                        walk_depth: inner.walk_depth.saturating_add(1),
                        ..inner
                    }
                }
            };
            total = total.beside(summary);
        }
        Ok(total)
    }

    fn field(&mut self, field: &'a Field, level: usize) -> Result<Summary, Refusal> {
        let name = field.name.node.as_str();
        let children = &field.selection_set.node;
        let inner = if children.items.is_empty() {
            Summary::default()
        } else {
            self.set(children, level + 1)?
        };
        let introspection_root = matches!(name, "__schema" | "__type");
        let rows = if children.items.is_empty() {
            0
        } else if inner.connection {
            self.page_size(field)
        } else {
            self.list_items(field)
        };
        let cost = if children.items.is_empty() {
            0
        } else {
            1usize.saturating_add(rows.saturating_mul(inner.cost))
        };
        let fields = 1usize.saturating_add(rows.saturating_mul(inner.fields));
        let lists = inner
            .lists
            .saturating_add(usize::from(INTROSPECTION_LISTS.contains(&name)));
        Ok(Summary {
            selections: inner.selections.saturating_add(1),
            cost,
            fields,
            top_fields: 1,
            aliases: inner
                .aliases
                .saturating_add(usize::from(field.alias.is_some())),
            directives: inner.directives.saturating_add(field.directives.len()),
            depth: if introspection_root {
                1
            } else {
                inner.depth.saturating_add(1)
            },
            full_depth: inner.full_depth.saturating_add(1),
            walk_depth: inner
                .walk_depth
                .saturating_add(usize::from(!children.items.is_empty())),
            lists,
            introspection_depth: if introspection_root {
                inner.full_depth.saturating_add(1)
            } else {
                inner.introspection_depth
            },
            introspection_lists: if introspection_root {
                inner.lists
            } else {
                inner.introspection_lists
            },
            connection: matches!(name, "nodes" | "edges"),
        })
    }

    /// An argument's value with variables substituted.
    fn argument(&self, field: &Field, name: &str) -> Option<Value> {
        field.get_argument(name).and_then(|value| {
            value
                .node
                .clone()
                .into_const_with(|var| self.variables.get(&var).cloned().ok_or(()))
                .ok()
        })
    }

    /// A connection's page: `first` or `last`, else the default page size.
    fn page_size(&self, field: &Field) -> usize {
        self.size_argument(field)
            .unwrap_or(DEFAULT_PAGE_SIZE as usize)
    }

    fn size_argument(&self, field: &Field) -> Option<usize> {
        ["first", "last"]
            .iter()
            .find_map(|name| match self.argument(field, name) {
                Some(Value::Number(n)) => {
                    Some(usize::try_from(n.as_u64().unwrap_or(0)).unwrap_or(usize::MAX))
                }
                _ => None,
            })
    }

    /// How many objects a plain list field returns, as far as its arguments say: one per id of
    /// `ids`, `first`/`last` when given (`search`), else one.
    fn list_items(&self, field: &Field) -> usize {
        if let Some(Value::List(ids)) = self.argument(field, "ids") {
            return ids.len().max(1);
        }
        self.size_argument(field).unwrap_or(1).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze_text(query: &str) -> Result<Analysis, Refusal> {
        check_text(query)?;
        let document = async_graphql::parser::parse_query(query).expect("parses");
        analyze(&document, &Variables::default())
    }

    #[test]
    fn nesting_ignores_strings_comments_and_block_strings() {
        assert_eq!(nesting_depth("{ a(b: [[1]]) { c } }", 100), 4);
        assert_eq!(nesting_depth("{ a(b: \"[[[[[[\") }", 100), 2);
        assert_eq!(nesting_depth("{ a(b: \"\\\"[[[\") }", 100), 2);
        assert_eq!(nesting_depth("# [[[[[[\n{ a }", 100), 1);
        assert_eq!(
            nesting_depth("{ a(b: \"\"\" [[[ \\\"\"\" [[ \"\"\") }", 100),
            2
        );
        let deep = format!(
            "{{ nodes(ids: {}\"x\"{}) {{ id }} }}",
            "[".repeat(1500),
            "]".repeat(1500)
        );
        assert_eq!(
            check_text(&deep),
            Err(Refusal::NestedTooDeep { max: MAX_NESTING })
        );
        // An unclosed block string is two empty strings to the parser, not a string to the end.
        let unclosed = format!(
            "{{ nodes(ids: [\"\"\"\" {}\"x\"{} ]) {{ id }} }}",
            "[".repeat(1_500),
            "]".repeat(1_500)
        );
        assert_eq!(
            check_text(&unclosed),
            Err(Refusal::NestedTooDeep { max: MAX_NESTING })
        );
        let object = format!(
            "{{ offerings(filter: {}1{}) {{ totalCount }} }}",
            "{a: ".repeat(2_000),
            "}".repeat(2_000)
        );
        assert_eq!(
            check_text(&object),
            Err(Refusal::NestedTooDeep { max: MAX_NESTING })
        );
    }

    #[test]
    fn cyclic_fragments_are_named() {
        let refusal = analyze_text("query { ...A } fragment A on Query { ...A ...A }").unwrap_err();
        assert_eq!(
            refusal,
            Refusal::FragmentCycle {
                path: vec!["A".into(), "A".into()]
            }
        );
        let refusal = analyze_text(
            "query { ...A } fragment A on Query { ...B } fragment B on Query { sectors { ...A } }",
        )
        .unwrap_err();
        assert_eq!(refusal.code(), "GRAPHQL_VALIDATION_FAILED");
        assert!(
            refusal.to_string().contains("A spreads B spreads A"),
            "{refusal}"
        );
    }

    #[test]
    fn doubling_fragments_are_summarised_once_and_refused_by_size() {
        let mut query = String::from("query { ...F0 }");
        for level in 0..40 {
            query.push_str(&format!(
                " fragment F{level} on Query {{ ...F{next} ...F{next} }}",
                next = level + 1
            ));
        }
        query.push_str(" fragment F40 on Query { __typename }");
        assert_eq!(
            analyze_text(&query),
            Err(Refusal::TooManySelections {
                max: MAX_EXPANDED_SELECTIONS
            })
        );
    }

    #[test]
    fn long_fragment_chains_are_refused_without_deep_recursion() {
        let mut query = String::from("query { ...F0 }");
        for level in 0..5_000 {
            query.push_str(&format!(
                " fragment F{level} on Query {{ ...F{} }}",
                level + 1
            ));
        }
        query.push_str(" fragment F5000 on Query { __typename }");
        assert_eq!(
            analyze_text(&query),
            Err(Refusal::WalkTooDeep {
                max: MAX_WALK_DEPTH
            })
        );
    }

    #[test]
    fn fields_count_scalars_on_every_row() {
        let names = "name ".repeat(4_900);
        let query = format!("{{ schools(first: 100) {{ nodes {{ {names} }} }} }}");
        assert_eq!(
            analyze_text(&query).map(|a| a.fields),
            Err(Refusal::TooManyFields {
                fields: 1 + 100 * (1 + 4_900),
                max: MAX_RESOLVED_FIELDS
            })
        );
        let portal = "{ offerings(first: 20) { nodes { id section course { code title pathway { name sector { name } } } } } }";
        assert!(analyze_text(portal).is_ok());
    }

    #[test]
    fn cost_counts_list_items() {
        let ids: Vec<String> = (0..100).map(|i| format!("\"id{i}\"")).collect();
        let query = format!(
            "{{ nodes(ids: [{}]) {{ ... on Pathway {{ courses(first: 10) {{ nodes {{ code }} }} }} }} }}",
            ids.join(",")
        );
        // 100 items × (connection 1 + 10 rows × 1).
        assert_eq!(analyze_text(&query).map(|a| a.cost), Ok(1 + 100 * 11));
        assert_eq!(
            analyze_text(
                "{ search(query: \"a\", first: 100) { ... on Pathway { sector { code } } } }"
            )
            .map(|a| a.cost),
            Ok(1 + 100)
        );
    }

    #[test]
    fn introspection_depth_is_measured_apart() {
        let standard = format!(
            "{{ __schema {{ types {{ name fields {{ name type {{ {} name {} }} }} }} }} }}",
            "ofType { ".repeat(9),
            "} ".repeat(9)
        );
        let analysis = analyze_text(&standard).expect("the standard shape is allowed");
        assert_eq!(analysis.depth, 1);
        let bomb = "{ __type(name: \"Query\") { fields { type { fields { type { fields { name } } } } } } }";
        assert_eq!(
            analyze_text(bomb),
            Err(Refusal::IntrospectionTooDeep { lists: 3 })
        );
        let via_fragment = "{ __type(name: \"Query\") { ...T } } fragment T on __Type { fields { type { fields { type { interfaces { name } } } } } }";
        assert_eq!(
            analyze_text(via_fragment),
            Err(Refusal::IntrospectionTooDeep { lists: 3 })
        );
    }

    #[test]
    fn depth_aliases_and_directives_count_through_fragments() {
        let analysis = analyze_text(
            "query Q($x: Boolean!) { a: sectors { code } b: sectors { n: name @include(if: $x) } ...F @skip(if: $x) ...F } fragment F on Query { c: sectors { pathways { nodes { code } } } }",
        )
        .expect("allowed");
        // `c` is counted at each of the two spreads.
        assert_eq!(analysis.aliases, 5);
        assert_eq!(analysis.directives, 2);
        assert_eq!(analysis.depth, 4);
    }
}
