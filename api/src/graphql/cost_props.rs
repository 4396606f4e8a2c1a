//! Property tests of the parser entry and the cost walker on generated documents: whatever a
//! client sends, `parse_query`, [`document_cost`] and [`document_shape`] finish and never panic.
//! Fixed seed and budget; `PROPTEST_CASES` and `PROPTEST_RNG_SEED` run them longer by hand
//! (docs/fuzzing.md).
//!
//! `parse_query` recurses once per nesting level of a list or object value, so a deep enough
//! value overflows any stack, and a stack overflow aborts the whole test process instead of
//! failing one test. Every case therefore runs on its own thread with a big stack, and the
//! generators cap value nesting at [`MAX_VALUE_NESTING`]. The server-side half (a deep value
//! must not abort the server) is the black-box suite's job (`tests/hostile.rs`).

use std::{sync::mpsc, time::Duration};

use async_graphql::Variables;
use proptest::{
    prelude::*,
    test_runner::{Config, RngSeed},
};

use super::{document_cost, document_shape};

/// The fixed seed of every property here (`PROPTEST_RNG_SEED` overrides it).
const SEED: u64 = 0x00C7_E4B0;

/// The deepest value the generators write (see the module docs).
const MAX_VALUE_NESTING: usize = 5_000;

/// "Terminates": hundreds of times what an honest parse and walk of these small documents
/// takes in a debug build on a busy machine. A bound, not a speed measurement.
const BOUND: Duration = Duration::from_secs(5);

/// `cases` cases from the fixed seed, unless `PROPTEST_CASES` / `PROPTEST_RNG_SEED` say
/// otherwise; no regression files (kept cases are plain tests below); shrinking bounded so a
/// hang (each try waits [`BOUND`]) fails in under a minute.
fn config(cases: u32) -> Config {
    let base = Config::default();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            base.cases
        } else {
            cases
        },
        rng_seed: match base.rng_seed {
            RngSeed::Random => RngSeed::Fixed(SEED),
            fixed => fixed,
        },
        failure_persistence: None,
        max_shrink_time: 30_000,
        ..base
    }
}

/// Parses `document` and walks it on a big-stack thread; `Err` says what went wrong (a panic,
/// or no answer within [`BOUND`]). A walker that never finishes leaves its thread spinning
/// until the test process exits.
fn parse_and_walk(document: String, variables: Variables) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    let size = document.len();
    std::thread::Builder::new()
        .name("parse-and-walk".into())
        .stack_size(512 << 20)
        .spawn(move || {
            let outcome = std::panic::catch_unwind(|| {
                if let Ok(parsed) = async_graphql::parser::parse_query(&document) {
                    let _ = document_cost(&parsed, &variables);
                    let _ = document_shape(&parsed);
                }
            });
            let _ = tx.send(outcome.map_err(|panic| {
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "a panic".into())
            }));
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    match rx.recv_timeout(BOUND) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(panic)) => Err(format!("panicked: {panic}")),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "did not finish within {BOUND:?} (a {size}-byte document)"
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("the thread died".into()),
    }
}

/// The first `max` characters of a document, for failure messages.
fn shown(document: &str) -> String {
    document.chars().take(600).collect()
}

fn check(document: String, variables: Variables) -> Result<(), TestCaseError> {
    let head = shown(&document);
    parse_and_walk(document, variables)
        .map_err(|why| TestCaseError::fail(format!("{why}\ndocument: {head}")))
}

// ---- The grammar -----------------------------------------------------------------------------

/// Field names the walker treats specially (`nodes`, `edges`) among ordinary ones.
const FIELDS: &[&str] = &[
    "sectors",
    "pathways",
    "nodes",
    "edges",
    "node",
    "sector",
    "programs",
    "courses",
    "code",
    "name",
    "id",
    "totalCount",
    "__typename",
];
const ARGUMENTS: &[&str] = &["first", "last", "after", "filter", "ids", "code", "input"];
const VARIABLES: &[&str] = &["n", "x", "missing"];

#[derive(Clone, Debug)]
enum Value {
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    Null,
    Enum,
    Variable(usize),
    List(Vec<Value>),
    Object(Vec<(usize, Value)>),
}

#[derive(Clone, Debug)]
enum Selection {
    Field {
        alias: bool,
        name: usize,
        arguments: Vec<(usize, Value)>,
        directives: u8,
        children: Vec<Selection>,
    },
    /// A spread of fragment `index % fragments` (of an unknown one when there are none).
    Spread {
        index: usize,
        directive: bool,
    },
    Inline(Vec<Selection>),
}

#[derive(Clone, Debug)]
struct Document {
    operations: Vec<Vec<Selection>>,
    fragments: Vec<Vec<Selection>>,
}

/// Text that GraphQL strings may hold, hostile characters included.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 _-]{0,12}",
        "[\u{0}-\u{1f}\u{7f}\u{200b}\u{200d}\u{202e}\u{2066}\u{feff}\u{fffd}\"\\\\]{0,8}",
        any::<String>(),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        text().prop_map(Value::Text),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        Just(Value::Enum),
        (0..VARIABLES.len()).prop_map(Value::Variable),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::List),
            prop::collection::vec((0..ARGUMENTS.len(), inner), 0..6).prop_map(Value::Object),
        ]
    })
}

fn selections() -> impl Strategy<Value = Vec<Selection>> {
    let leaf = prop_oneof![
        (0..FIELDS.len()).prop_map(|name| Selection::Field {
            alias: false,
            name,
            arguments: Vec::new(),
            directives: 0,
            children: Vec::new(),
        }),
        (0usize..8, any::<bool>())
            .prop_map(|(index, directive)| Selection::Spread { index, directive }),
    ];
    let selection = leaf.prop_recursive(8, 96, 5, |inner| {
        prop_oneof![
            (
                any::<bool>(),
                0..FIELDS.len(),
                prop::collection::vec((0..ARGUMENTS.len(), value()), 0..3),
                0u8..3,
                prop::collection::vec(inner.clone(), 0..5),
            )
                .prop_map(|(alias, name, arguments, directives, children)| {
                    Selection::Field {
                        alias,
                        name,
                        arguments,
                        directives,
                        children,
                    }
                }),
            prop::collection::vec(inner, 1..4).prop_map(Selection::Inline),
        ]
    });
    prop::collection::vec(selection, 1..5)
}

fn document() -> impl Strategy<Value = Document> {
    (
        prop::collection::vec(selections(), 1..3),
        prop::collection::vec(selections(), 0..6),
    )
        .prop_map(|(operations, fragments)| Document {
            operations,
            fragments,
        })
}

fn render_value(value: &Value, out: &mut String) {
    match value {
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::Float(x) if x.is_finite() => out.push_str(&format!("{x:e}")),
        Value::Float(_) => out.push_str("1e999"),
        Value::Text(text) => {
            out.push('"');
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    // Half the control characters raw (a parse error), half escaped.
                    c if (c as u32) < 0x20 && (c as u32).is_multiple_of(2) => {
                        out.push_str(&format!("\\u{:04x}", c as u32))
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
        Value::Enum => out.push_str("STANDARD"),
        Value::Variable(i) => {
            out.push('$');
            out.push_str(VARIABLES[*i]);
        }
        Value::List(items) => {
            out.push('[');
            for item in items {
                render_value(item, out);
                out.push(' ');
            }
            out.push(']');
        }
        Value::Object(fields) => {
            out.push('{');
            for (name, item) in fields {
                out.push_str(ARGUMENTS[*name]);
                out.push(':');
                render_value(item, out);
                out.push(' ');
            }
            out.push('}');
        }
    }
}

/// Renders selections; `spread` names the fragment a spread index points at.
fn render_selections(set: &[Selection], spread: &dyn Fn(usize) -> String, out: &mut String) {
    out.push('{');
    for (i, selection) in set.iter().enumerate() {
        out.push(' ');
        match selection {
            Selection::Field {
                alias,
                name,
                arguments,
                directives,
                children,
            } => {
                if *alias {
                    out.push_str(&format!("a{i}: "));
                }
                out.push_str(FIELDS[*name]);
                if !arguments.is_empty() {
                    out.push('(');
                    for (argument, value) in arguments {
                        out.push_str(ARGUMENTS[*argument]);
                        out.push_str(": ");
                        render_value(value, out);
                        out.push(' ');
                    }
                    out.push(')');
                }
                for _ in 0..*directives {
                    out.push_str(" @include(if: true)");
                }
                if !children.is_empty() {
                    out.push(' ');
                    render_selections(children, spread, out);
                }
            }
            Selection::Spread { index, directive } => {
                out.push_str("...");
                out.push_str(&spread(*index));
                if *directive {
                    out.push_str(" @skip(if: false)");
                }
            }
            Selection::Inline(children) => {
                out.push_str("... on Query ");
                render_selections(children, spread, out);
            }
        }
    }
    out.push_str(" }");
}

/// The document as text. With `acyclic`, fragment `k` may spread only fragments after it (a
/// DAG, as a valid document has); otherwise spreads may form any graph, cycles included.
fn render(document: &Document, acyclic: bool) -> String {
    let count = document.fragments.len();
    let mut out = String::new();
    for (i, operation) in document.operations.iter().enumerate() {
        out.push_str(&format!("query Q{i}($n: Int, $x: String) "));
        let spread = |index: usize| match count {
            0 => "Unknown".to_owned(),
            _ => format!("F{}", index % count),
        };
        render_selections(operation, &spread, &mut out);
        out.push('\n');
    }
    for (k, fragment) in document.fragments.iter().enumerate() {
        out.push_str(&format!("fragment F{k} on Query "));
        let spread = |index: usize| {
            if acyclic {
                match count - k - 1 {
                    0 => "Unknown".to_owned(),
                    later => format!("F{}", k + 1 + index % later),
                }
            } else {
                format!("F{}", index % count)
            }
        };
        render_selections(fragment, &spread, &mut out);
        out.push('\n');
    }
    out
}

/// Variables as a client could send them: any JSON for `n` and `x`.
fn variables() -> impl Strategy<Value = Variables> {
    let json = prop_oneof![
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        text().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        Just(serde_json::json!([[[1]], { "a": [] }])),
    ];
    (json.clone(), json)
        .prop_map(|(n, x)| Variables::from_json(serde_json::json!({ "n": n, "x": x })))
}

/// `[[[... "x" ...]]]` or `{a: {a: ... "x" ...}}` `depth` levels deep, written without recursion.
fn deep_value(depth: usize, object: bool) -> String {
    let (open, close) = if object { ("{a:", "}") } else { ("[", "]") };
    let mut out = String::with_capacity(depth * 4 + 8);
    for _ in 0..depth {
        out.push_str(open);
    }
    out.push_str("\"x\"");
    for _ in 0..depth {
        out.push_str(close);
    }
    out
}

proptest! {
    #![proptest_config(config(300))]

    /// Documents in the grammar whose fragments form a DAG (what validation would accept).
    #[test]
    fn generated_documents_parse_and_walk(document in document(), variables in variables()) {
        check(render(&document, true), variables)?;
    }

    /// Any spread graph, cycles and doubling included: the walker runs before validation
    /// refuses cycles, so it must stop by itself.
    #[test]
    fn fragment_graphs_with_cycles_terminate(document in document(), variables in variables()) {
        check(render(&document, false), variables)?;
    }

    /// Arbitrary text, and text that is nearly GraphQL.
    #[test]
    fn arbitrary_text_parses_or_fails_cleanly(
        text in prop_oneof![
            any::<String>(),
            "[{}()\\[\\]:$@!.,=\"a-z0-9 \n]{0,200}",
            "(query|fragment|\\.\\.\\.|on|\\{|\\}|\\(|\\)|\\[|\\]|:|\\$n|F0|nodes|first|[0-9]{1,25}| ){0,80}",
        ]
    ) {
        check(text, Variables::default())?;
    }
}

proptest! {
    #![proptest_config(config(40))]

    /// Deep list and object values in an argument (`first` is read by the walker; `ids` is not).
    #[test]
    fn deep_values_parse_and_walk(
        depth in 10..MAX_VALUE_NESTING,
        object in any::<bool>(),
        argument in prop_oneof![Just("first"), Just("ids")],
    ) {
        let document = format!(
            "{{ pathways({argument}: {}) {{ nodes {{ id }} }} }}",
            deep_value(depth, object)
        );
        check(document, Variables::default())?;
    }
}

// ---- Kept cases ------------------------------------------------------------------------------

/// Issue 12: a fragment that spreads itself twice re-walked its spreads 2^64 times.
#[test]
fn a_fragment_spreading_itself_twice_terminates() {
    let document = "query { ...A } fragment A on Query { ...A ...A }".to_owned();
    parse_and_walk(document, Variables::default()).expect("terminates");
}

/// Issue 12: a chain of fragments that each spread the next one twice is 2^levels walks.
#[test]
fn a_doubling_fragment_chain_terminates() {
    let levels = 30;
    let mut document = "query { ...F0 }\n".to_owned();
    for level in 0..levels {
        document.push_str(&format!(
            "fragment F{level} on Query {{ ...F{next} ...F{next} }}\n",
            next = level + 1
        ));
    }
    document.push_str(&format!(
        "fragment F{levels} on Query {{ sectors {{ code }} }}\n"
    ));
    parse_and_walk(document, Variables::default()).expect("terminates");
}

/// A value as deep as the one that overflowed a tokio worker in issue 12, parsed on a big stack.
#[test]
fn a_1500_deep_list_argument_parses_and_walks() {
    let document = format!("{{ nodes(ids: {}) {{ id }} }}", deep_value(1_500, false));
    parse_and_walk(document, Variables::default()).expect("parses and walks");
}
