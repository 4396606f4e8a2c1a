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
    parser::types::{DocumentOperations, ExecutableDocument},
    ErrorExtensionValues, Request, Response, ServerError, Value, Variables,
};

use super::guard;
use crate::{
    auth::ClientKey,
    ratelimit::{RateLimiter, Verdict},
};

/// The cost, alias and directive limits and the rate limit, applied by the HTTP handler to a
/// request before it runs. Not an async-graphql extension: an installed extension puts every
/// field resolution through the extension chain, which the benchmark profile showed costing
/// about a tenth of the server's CPU.
pub struct QueryCost {
    /// The most a single query may cost.
    pub max: usize,
    /// The deepest a query may nest fields (introspection is bounded apart, in [`guard`]).
    pub max_depth: usize,
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
    /// Guards and parses the request once (execution reuses the parsed document), applies the
    /// document limits ([`super::guard`]) and charges the client's bucket. `Err` is the answer
    /// to send instead, with `extensions.cost` when the cost is known.
    pub async fn admit(
        &self,
        request: &mut Request,
        client: &ClientKey,
    ) -> Result<Charge, Response> {
        let variables = request.variables.clone();
        // No text nested deeper than the parser can take reaches it.
        let parsed = match guard::check_text(&request.query) {
            Ok(()) => guard::parse(&request.query)
                .await
                .map_err(|failure| match failure {
                    guard::ParseFailure::Syntax(error) => Refused::Parse(error),
                    guard::ParseFailure::Refused(refusal) => Refused::Guard(refusal),
                }),
            Err(refusal) => Err(Refused::Guard(refusal)),
        };
        let analysis = parsed.and_then(|document| {
            // Defaults of the operation's variables count like variables sent.
            let variables = guard::with_defaults(&document, &variables);
            let checked = guard::check_required_variables(
                &document,
                request.operation_name.as_deref(),
                &variables,
            )
            .and_then(|()| guard::check_strings(&document, &variables))
            .and_then(|()| guard::analyze(&document, &variables))
            .map_err(Refused::Guard);
            request.set_parsed_query(document);
            checked
        });
        let analysis = match analysis {
            Ok(analysis) => analysis,
            // A document refused before it is measured still costs the 1-point floor, so
            // garbage is not a free way around the rate limit.
            Err(refused) => {
                let error = match refused {
                    Refused::Parse(mut error) => {
                        error
                            .extensions
                            .get_or_insert_with(Default::default)
                            .set("code", "GRAPHQL_PARSE_FAILED");
                        error
                    }
                    Refused::Guard(refusal) => guard_error(&refusal),
                };
                let (charge, throttled) = self.pay(client, 1).await;
                let response = Response::from_errors(vec![throttled.unwrap_or(error)]);
                return Err(self.report(charge, response));
            }
        };
        let cost = analysis.cost;
        if analysis.depth > self.max_depth {
            return Err(Response::from_errors(vec![refusal(
                format!(
                    "This query nests fields {} deep and the limit is {}: ask for less nesting",
                    analysis.depth, self.max_depth
                ),
                "QUERY_TOO_DEEP",
                |e| {
                    e.set("depth", analysis.depth as u64);
                    e.set("maximum", self.max_depth as u64);
                },
            )]));
        }
        if analysis.aliases > self.max_aliases {
            return Err(Response::from_errors(vec![refusal(
                format!(
                    "This query has {} aliases and the limit is {}: ask for fewer aliased fields",
                    analysis.aliases, self.max_aliases
                ),
                "QUERY_TOO_MANY_ALIASES",
                |e| {
                    e.set("aliases", analysis.aliases as u64);
                    e.set("maximum", self.max_aliases as u64);
                },
            )]));
        }
        if analysis.directives > self.max_directives {
            return Err(Response::from_errors(vec![refusal(
                format!(
                    "This query has {} directives and the limit is {}",
                    analysis.directives, self.max_directives
                ),
                "QUERY_TOO_MANY_DIRECTIVES",
                |e| {
                    e.set("directives", analysis.directives as u64);
                    e.set("maximum", self.max_directives as u64);
                },
            )]));
        }
        if analysis.root_fields > guard::MAX_ROOT_FIELDS {
            let refused = guard::Refusal::TooManyRootFields {
                fields: analysis.root_fields,
            };
            return Err(Response::from_errors(vec![guard_error(&refused)]));
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
        let actual = self.actual_cost(&response);
        let cost_value = self.cost_value(charge, actual, throttle_status);
        response.extension("cost", cost_value)
    }

    /// The actual cost of an answer: the objects in its `data`.
    pub fn actual_cost(&self, response: &Response) -> usize {
        if response.data == Value::Null {
            0
        } else {
            objects_in(&response.data).saturating_sub(1)
        }
    }

    /// `extensions` with the `cost` entry of an answer whose actual cost is known (a cached
    /// answer), as [`QueryCost::report_with`] would write it.
    pub fn extensions(
        &self,
        charge: Charge,
        actual: usize,
        throttle_status: bool,
    ) -> serde_json::Value {
        let cost = self.cost_value(charge, actual, throttle_status);
        serde_json::json!({ "cost": cost })
    }

    /// Charges `cost` to the client's bucket (a cached answer is charged like a fresh one).
    pub async fn charge(&self, client: &ClientKey, cost: usize) -> (Charge, Option<ServerError>) {
        self.pay(client, cost).await
    }

    fn cost_value(&self, charge: Charge, actual: usize, throttle_status: bool) -> Value {
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
        cost_value
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

/// The aliases and directives of the busiest operation in a document (`usize::MAX` for a
/// document [`guard::analyze`] refuses).
pub fn document_shape(document: &ExecutableDocument) -> DocumentShape {
    match guard::analyze(document, &Variables::default()) {
        Ok(analysis) => DocumentShape {
            aliases: analysis.aliases,
            directives: analysis.directives,
        },
        Err(_) => DocumentShape {
            aliases: usize::MAX,
            directives: usize::MAX,
        },
    }
}

/// The cost of the costliest operation in a document (`usize::MAX` for a document
/// [`guard::analyze`] refuses).
pub fn document_cost(document: &ExecutableDocument, variables: &Variables) -> usize {
    guard::analyze(document, variables)
        .map(|analysis| analysis.cost)
        .unwrap_or(usize::MAX)
}

/// Why [`QueryCost::admit`] refused a document before measuring its cost.
enum Refused {
    Parse(ServerError),
    Guard(guard::Refusal),
}

/// The GraphQL error of a guard refusal (`BAD_USER_INPUT` names the `query` as the field).
fn guard_error(refused: &guard::Refusal) -> ServerError {
    refusal(refused.to_string(), refused.code(), |e| match refused {
        guard::Refusal::NulCharacter { field }
        | guard::Refusal::ListTooLong { field }
        | guard::Refusal::MissingVariable { field, .. } => e.set("field", field.as_str()),
        guard::Refusal::NestedTooDeep { .. } => e.set("field", "query"),
        _ => {}
    })
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

    /// One row per rule of the cost: a scalar 0, an object 1, a connection 1 + page size × a
    /// row, a plain list 1 + items × an item, the costliest operation of a document.
    #[test]
    fn cost_of_each_shape() {
        let none = serde_json::Value::Null;
        let rows: Vec<(&str, &str, serde_json::Value, usize)> = vec![
            ("a scalar costs nothing", "{ __typename }", none.clone(), 0),
            ("an object costs 1", "{ node(id: \"x\") { id } }", none.clone(), 1),
            ("a plain list is one object", "{ sectors { code name } }", none.clone(), 1),
            (
                "a connection without first or last: 20 rows",
                "{ pathways { nodes { code } } }",
                none.clone(),
                1 + 20,
            ),
            ("first", "{ pathways(first: 10) { nodes { code } } }", none.clone(), 1 + 10),
            ("last", "{ pathways(last: 5) { nodes { code } } }", none.clone(), 1 + 5),
            ("first: 0", "{ pathways(first: 0) { nodes { code } } }", none.clone(), 1),
            (
                "first from a variable",
                "query($n: Int) { pathways(first: $n) { nodes { code } } }",
                serde_json::json!({ "n": 7 }),
                1 + 7,
            ),
            (
                "a variable not sent: the default page",
                "query($n: Int) { pathways(first: $n) { nodes { code } } }",
                none.clone(),
                1 + 20,
            ),
            (
                "edges cost like nodes, node inside counted",
                "{ pathways(first: 3) { edges { cursor node { code } } } }",
                none.clone(),
                1 + 3 * (1 + 1),
            ),
            (
                "totalCount alone reads no rows",
                "{ pathways(first: 10) { totalCount } }",
                none.clone(),
                1,
            ),
            (
                "ids: one item per id",
                "{ nodes(ids: [\"a\", \"b\", \"c\"]) { ... on Pathway { sector { code } } } }",
                none.clone(),
                1 + 3,
            ),
            (
                "ids from a variable",
                "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Pathway { sector { code } } } }",
                serde_json::json!({ "ids": ["a", "b"] }),
                1 + 2,
            ),
            (
                "an empty ids list counts one item",
                "{ nodes(ids: []) { ... on Pathway { sector { code } } } }",
                none.clone(),
                1 + 1,
            ),
            (
                "a plain list with first (search)",
                "{ search(query: \"a\", first: 100) { ... on Pathway { sector { code } } } }",
                none.clone(),
                1 + 100,
            ),
            (
                "nested connections multiply",
                "{ sectors { pathways(first: 10) { nodes { courses(first: 5) { nodes { code } } } } } }",
                none.clone(),
                1 + (1 + 10 * (1 + (1 + 5))),
            ),
            (
                "introspection objects cost like data",
                "{ __schema { types { name } } }",
                none.clone(),
                1 + 1,
            ),
            (
                "__type",
                "{ __type(name: \"Query\") { fields { name type { name } } } }",
                none.clone(),
                1 + (1 + 1),
            ),
            (
                "a fragment counts where it is spread, each time",
                "query { ...F ...F } fragment F on Query { pathways(first: 5) { nodes { code } } }",
                none.clone(),
                2 * (1 + 5),
            ),
            (
                "an inline fragment",
                "{ ... on Query { pathways(first: 5) { nodes { code } } } }",
                none.clone(),
                1 + 5,
            ),
            (
                "a fragment no operation spreads costs nothing",
                "{ sectors { code } } fragment F on Query { pathways(first: 50) { nodes { code } } }",
                none.clone(),
                1,
            ),
            (
                "aliases count each field",
                "{ a: sectors { code } b: sectors { code } }",
                none.clone(),
                2,
            ),
            (
                "several operations: the costliest",
                "query A { sectors { code } } query B { pathways(first: 2) { nodes { code } } }",
                none.clone(),
                1 + 2,
            ),
            (
                "a refused document (fragment cycle) costs the most",
                "query { ...A } fragment A on Query { ...A }",
                none,
                usize::MAX,
            ),
        ];
        for (name, query, variables, expected) in rows {
            let document = async_graphql::parser::parse_query(query).expect("parses");
            let variables = Variables::from_json(variables);
            assert_eq!(document_cost(&document, &variables), expected, "{name}");
        }
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
