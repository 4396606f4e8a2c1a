//! Query cost, computed from the document before anything runs, the way
//! Shopify's API does it: a scalar costs 0, an object 1, and a connection
//! 1 + `first` (or `last`, default 20) × the cost of one of its rows. A query
//! over the budget is refused with `QUERY_TOO_COMPLEX` before any SQL; every
//! answer carries `extensions.cost` so partners can see what they spend.

use std::sync::{Arc, Mutex};

use async_graphql::{
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest},
    parser::types::{DocumentOperations, ExecutableDocument, Field, Selection, SelectionSet},
    ErrorExtensionValues, Response, ServerError, ServerResult, Value, Variables,
};

use super::relay::DEFAULT_PAGE_SIZE;

/// Deeper than this, a document is refused anyway (and cyclic fragments stop here).
const MAX_WALK_DEPTH: usize = 64;

/// Installs the cost limit on a schema.
pub struct QueryCost {
    /// The most a single query may cost.
    pub max: usize,
}

impl ExtensionFactory for QueryCost {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CostExtension {
            max: self.max,
            cost: Mutex::new(None),
        })
    }
}

struct CostExtension {
    max: usize,
    cost: Mutex<Option<usize>>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for CostExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let response = next.run(ctx).await;
        let cost = self.cost.lock().ok().and_then(|c| *c);
        match cost {
            Some(cost) => response.extension(
                "cost",
                async_graphql::value!({ "requestedQueryCost": cost, "maximumAvailable": self.max }),
            ),
            None => response,
        }
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let cost = document_cost(&document, variables);
        if let Ok(mut slot) = self.cost.lock() {
            *slot = Some(cost);
        }
        if cost > self.max {
            let mut error = ServerError::new(
                format!(
                    "This query costs {cost} points and the limit is {}: ask for smaller pages (first/last) or fewer nested lists",
                    self.max
                ),
                None,
            );
            let mut extensions = ErrorExtensionValues::default();
            extensions.set("code", "QUERY_TOO_COMPLEX");
            extensions.set("cost", cost as u64);
            extensions.set("maximum", self.max as u64);
            error.extensions = Some(extensions);
            return Err(error);
        }
        Ok(document)
    }
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
}
