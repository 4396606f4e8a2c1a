//! Query cost and the other document limits, checked from the document before
//! anything runs, the way Shopify's API does it: a scalar costs 0, an object 1,
//! and a connection 1 + `first` (or `last`, default 20) × the cost of one of its
//! rows. A query over the budget (or with too many aliases or directives) is
//! refused before any SQL. The requested cost is then charged to the client's
//! rate-limit bucket ([`crate::ratelimit`]); an empty bucket refuses the query
//! with `THROTTLED`. Every answer carries `extensions.cost` so partners can see
//! what they spend and what is left:
//!
//! ```json
//! {"requestedQueryCost": 11, "actualQueryCost": 11, "maximumAvailable": 5000,
//!  "throttleStatus": {"maximumAvailable": 20000, "currentlyAvailable": 19989, "restoreRate": 1000}}
//! ```

use std::sync::Arc;

use async_graphql::{
    parser::types::{DocumentOperations, ExecutableDocument, Field, Selection, SelectionSet},
    ErrorExtensionValues, Request, Response, ServerError, Value, Variables,
};

use super::relay::DEFAULT_PAGE_SIZE;
use crate::{
    http::client::ClientKey,
    ratelimit::{RateLimiter, Verdict},
};

/// Deeper than this, a document is refused anyway (and cyclic fragments stop here).
const MAX_WALK_DEPTH: usize = 64;

/// The cost, alias and directive limits and the rate limit, applied by the HTTP handler to a
/// request before it runs. Not an async-graphql extension: an installed extension puts every
/// field resolution through the extension chain, which the benchmark profile showed costing
/// about a tenth of the server's CPU.
pub struct QueryCost {
    /// The most a single query may cost.
    pub max: usize,
    /// The most aliased fields an operation may have.
    pub max_aliases: usize,
    /// The most directives an operation may carry.
    pub max_directives: usize,
    /// The client buckets.
    pub limiter: Arc<RateLimiter>,
}

/// What a request was charged: its requested cost and the client's bucket after paying it.
#[derive(Clone, Copy, Debug)]
pub struct Charge {
    pub cost: usize,
    pub verdict: Option<Verdict>,
}

fn refusal(
    message: String,
    code: &str,
    fill: impl FnOnce(&mut ErrorExtensionValues),
) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", code);
    fill(&mut extensions);
    error.extensions = Some(extensions);
    error
}

impl QueryCost {
    /// Parses the request once (execution reuses the parsed document), applies the document
    /// limits and charges the client's bucket. `Err` is the answer to send instead, with
    /// `extensions.cost` when the cost is known.
    pub async fn admit(
        &self,
        request: &mut Request,
        client: &ClientKey,
    ) -> Result<Charge, Response> {
        let variables = request.variables.clone();
        let (shape, cost) = match request.parsed_query() {
            Ok(document) => (
                document_shape(document),
                document_cost(document, &variables),
            ),
            // A document that does not parse still costs the 1-point floor, so garbage is not
            // a free way around the rate limit.
            Err(error) => {
                let (charge, throttled) = self.pay(client, 1).await;
                let response = Response::from_errors(vec![throttled.unwrap_or(error)]);
                return Err(self.report(charge, response));
            }
        };
        if shape.aliases > self.max_aliases {
            return Err(Response::from_errors(vec![refusal(
                format!(
                    "This query has {} aliases and the limit is {}: ask for fewer aliased fields",
                    shape.aliases, self.max_aliases
                ),
                "QUERY_TOO_MANY_ALIASES",
                |e| {
                    e.set("aliases", shape.aliases as u64);
                    e.set("maximum", self.max_aliases as u64);
                },
            )]));
        }
        if shape.directives > self.max_directives {
            return Err(Response::from_errors(vec![refusal(
                format!(
                    "This query has {} directives and the limit is {}",
                    shape.directives, self.max_directives
                ),
                "QUERY_TOO_MANY_DIRECTIVES",
                |e| {
                    e.set("directives", shape.directives as u64);
                    e.set("maximum", self.max_directives as u64);
                },
            )]));
        }
        if cost > self.max {
            let error = refusal(
                format!(
                    "This query costs {cost} points and the limit is {}: ask for smaller pages (first/last) or fewer nested lists",
                    self.max
                ),
                "QUERY_TOO_COMPLEX",
                |e| {
                    e.set("cost", cost as u64);
                    e.set("maximum", self.max as u64);
                },
            );
            let charge = Charge {
                cost,
                verdict: None,
            };
            return Err(self.report(charge, Response::from_errors(vec![error])));
        }
        match self.pay(client, cost).await {
            (charge, None) => Ok(charge),
            (charge, Some(throttled)) => {
                Err(self.report(charge, Response::from_errors(vec![throttled])))
            }
        }
    }

    /// Adds `extensions.cost` to an answer: requested and actual cost, the limit, the bucket.
    pub fn report(&self, charge: Charge, response: Response) -> Response {
        self.report_with(charge, response, true)
    }

    /// Like [`QueryCost::report`]; without the bucket's state when `throttle_status` is false
    /// (cacheable anonymous GETs: the remaining budget differs on every request, and a body
    /// that differs every time could not have a strong `ETag`).
    pub fn report_with(
        &self,
        charge: Charge,
        response: Response,
        throttle_status: bool,
    ) -> Response {
        let actual = if response.data == Value::Null {
            0
        } else {
            objects_in(&response.data).saturating_sub(1)
        };
        let mut cost_value = async_graphql::value!({
            "requestedQueryCost": charge.cost,
            "actualQueryCost": actual,
            "maximumAvailable": self.max,
        });
        let verdict = charge.verdict.filter(|_| throttle_status);
        if let (Some(verdict), Value::Object(map)) = (verdict, &mut cost_value) {
            map.insert(
                async_graphql::Name::new("throttleStatus"),
                async_graphql::value!({
                    "maximumAvailable": verdict.maximum_available,
                    "currentlyAvailable": verdict.currently_available,
                    "restoreRate": verdict.restore_rate,
                }),
            );
        }
        response.extension("cost", cost_value)
    }

    /// Charges `cost` to the client's bucket; the `THROTTLED` error when it cannot pay.
    async fn pay(&self, client: &ClientKey, cost: usize) -> (Charge, Option<ServerError>) {
        let verdict = self.limiter.charge(client, cost as u64).await;
        let throttled = verdict.filter(|v| !v.allowed).map(|verdict| {
            refusal(
                format!(
                    "Rate limit: this query costs {cost} points and {} are available now ({} come back per second); retry in {} s",
                    verdict.currently_available, verdict.restore_rate, verdict.retry_after_secs
                ),
                "THROTTLED",
                |e| e.set("retryAfter", verdict.retry_after_secs),
            )
        });
        (Charge { cost, verdict }, throttled)
    }
}

/// The name of the operation a document runs when it has exactly one named operation (clients
/// do not always send `operationName`), for metrics and logs.
pub fn operation_name(document: &ExecutableDocument) -> Option<String> {
    match &document.operations {
        DocumentOperations::Multiple(ops) if ops.len() == 1 => {
            ops.keys().next().map(|name| name.to_string())
        }
        _ => None,
    }
}

/// Objects in an answer (each costs 1, like in the requested cost): the actual cost.
fn objects_in(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(objects_in).sum::<usize>(),
        Value::List(items) => items.iter().map(objects_in).sum(),
        _ => 0,
    }
}

/// How many aliases and directives a document's operations use (fragments counted
/// where they are spread).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocumentShape {
    pub aliases: usize,
    pub directives: usize,
}

/// The aliases and directives of the busiest operation in a document.
pub fn document_shape(document: &ExecutableDocument) -> DocumentShape {
    fn walk(
        document: &ExecutableDocument,
        set: &SelectionSet,
        depth: usize,
        shape: &mut DocumentShape,
    ) {
        if depth > MAX_WALK_DEPTH {
            shape.aliases = usize::MAX / 4;
            return;
        }
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    shape.aliases += usize::from(field.alias.is_some());
                    shape.directives += field.directives.len();
                    walk(document, &field.selection_set.node, depth + 1, shape);
                }
                Selection::FragmentSpread(spread) => {
                    shape.directives += spread.node.directives.len();
                    if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node)
                    {
                        shape.directives += fragment.node.directives.len();
                        walk(
                            document,
                            &fragment.node.selection_set.node,
                            depth + 1,
                            shape,
                        );
                    }
                }
                Selection::InlineFragment(inline) => {
                    shape.directives += inline.node.directives.len();
                    walk(document, &inline.node.selection_set.node, depth + 1, shape);
                }
            }
        }
    }
    let operations: Vec<_> = match &document.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(ops) => ops.values().collect(),
    };
    operations
        .into_iter()
        .map(|op| {
            let mut shape = DocumentShape {
                aliases: 0,
                directives: op.node.directives.len(),
            };
            walk(document, &op.node.selection_set.node, 0, &mut shape);
            shape
        })
        .fold(DocumentShape::default(), |a, b| DocumentShape {
            aliases: a.aliases.max(b.aliases),
            directives: a.directives.max(b.directives),
        })
}

/// The cost of the costliest operation in a document.
pub fn document_cost(document: &ExecutableDocument, variables: &Variables) -> usize {
    let walker = Walker {
        document,
        variables,
    };
    match &document.operations {
        DocumentOperations::Single(op) => walker.selections(&op.node.selection_set.node, 0),
        DocumentOperations::Multiple(ops) => ops
            .values()
            .map(|op| walker.selections(&op.node.selection_set.node, 0))
            .max()
            .unwrap_or(0),
    }
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
}

impl Walker<'_> {
    fn selections(&self, set: &SelectionSet, depth: usize) -> usize {
        if depth > MAX_WALK_DEPTH {
            return usize::MAX / 4;
        }
        set.items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) => self.field(&field.node, depth),
                Selection::FragmentSpread(spread) => self
                    .document
                    .fragments
                    .get(&spread.node.fragment_name.node)
                    .map(|fragment| self.selections(&fragment.node.selection_set.node, depth + 1))
                    .unwrap_or(0),
                Selection::InlineFragment(inline) => {
                    self.selections(&inline.node.selection_set.node, depth + 1)
                }
            })
            .fold(0usize, usize::saturating_add)
    }

    fn field(&self, field: &Field, depth: usize) -> usize {
        let children = &field.selection_set.node;
        if children.items.is_empty() {
            return 0;
        }
        let row_cost = self.selections(children, depth + 1);
        if self.is_connection(children) {
            let size = self.page_size(field);
            1usize.saturating_add(size.saturating_mul(row_cost))
        } else {
            1usize.saturating_add(row_cost)
        }
    }

    /// A connection is a field whose selection asks for `nodes` or `edges`.
    fn is_connection(&self, set: &SelectionSet) -> bool {
        set.items.iter().any(|s| match &s.node {
            Selection::Field(f) => matches!(f.node.name.node.as_str(), "nodes" | "edges"),
            Selection::InlineFragment(inline) => {
                self.is_connection(&inline.node.selection_set.node)
            }
            Selection::FragmentSpread(spread) => self
                .document
                .fragments
                .get(&spread.node.fragment_name.node)
                .is_some_and(|f| self.is_connection(&f.node.selection_set.node)),
        })
    }

    fn page_size(&self, field: &Field) -> usize {
        for name in ["first", "last"] {
            if let Some(value) = field.get_argument(name) {
                let value = value
                    .node
                    .clone()
                    .into_const_with(|var| self.variables.get(&var).cloned().ok_or(()));
                if let Ok(Value::Number(n)) = value {
                    return n.as_u64().unwrap_or(0) as usize;
                }
            }
        }
        DEFAULT_PAGE_SIZE as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(query: &str) -> usize {
        let document = async_graphql::parser::parse_query(query).expect("parses");
        document_cost(&document, &Variables::default())
    }

    #[test]
    fn connections_multiply_by_page_size() {
        assert_eq!(cost("{ sectors { code name } }"), 1);
        // 1 for the connection + 10 rows × (nodes: 1 object, code: 0).
        assert_eq!(cost("{ pathways(first: 10) { nodes { code } } }"), 11);
        assert_eq!(cost("{ pathways { nodes { code } } }"), 1 + 20);
        assert_eq!(
            cost("{ pathways(first: 100) { nodes { sector { pathways(first: 100) { nodes { name } } } } } }"),
            1 + 100 * (1 + (1 + (1 + 100)))
        );
        assert_eq!(cost("query { ...F } fragment F on Query { pathways(first: 5) { totalCount nodes { id } } }"), 1 + 5);
    }

    #[test]
    fn aliases_and_directives_are_counted_through_fragments() {
        let document = async_graphql::parser::parse_query(
            "query Q($x: Boolean!) { a: sectors { code } b: sectors { n: name @include(if: $x) } ...F @skip(if: $x) } fragment F on Query { c: sectors { code } }",
        )
        .expect("parses");
        assert_eq!(
            document_shape(&document),
            DocumentShape {
                aliases: 4,
                directives: 2
            }
        );
    }
}

/// Property tests on generated documents (docs/fuzzing.md).
#[cfg(test)]
#[path = "cost_props.rs"]
mod props;
