//! Which answers are the same for every caller, so the response cache may serve one made with a
//! token to anyone: a query whose document names none of [`CALLER_SPECIFIC_FIELDS`].
//!
//! A static check of the document, by field name on any type (a same-named field elsewhere only
//! costs a cache miss). Everything else an answer carries that depends on the caller, the
//! `extensions.cost` budget of the caller's bucket, is built per request around the cached
//! `data`. Mutations are never shared.

use async_graphql::parser::types::{DocumentOperations, OperationType, Selection, SelectionSet};

use super::guard;

/// Fields whose answer depends on who asks (a token's roles, organisation or subject). A new
/// resolver that reads the caller (`ctx.data_opt::<Caller>()`) must be added here; the test
/// `every_resolver_that_reads_the_caller_is_listed` in `tests/cache.rs` looks for them.
pub const CALLER_SPECIFIC_FIELDS: &[&str] = &[
    // Admins only: refused to everyone else.
    "auditLog",
];

/// Whether the answer to `query` is the same for every caller: only query operations, and no
/// field of [`CALLER_SPECIFIC_FIELDS`] anywhere in them or their fragments. A document that does
/// not parse (or is refused by the document limits) is not shared: it is answered with errors,
/// which are never cached anyway.
pub async fn same_for_every_caller(query: &str) -> bool {
    if guard::check_text(query).is_err() {
        return false;
    }
    let Ok(document) = guard::parse(query).await else {
        return false;
    };
    let operations: Vec<_> = match &document.operations {
        DocumentOperations::Single(operation) => vec![&operation.node],
        DocumentOperations::Multiple(operations) => operations.values().map(|o| &o.node).collect(),
    };
    let mut pending: Vec<&SelectionSet> = Vec::new();
    for operation in operations {
        if operation.ty != OperationType::Query {
            return false;
        }
        pending.push(&operation.selection_set.node);
    }
    pending.extend(
        document
            .fragments
            .values()
            .map(|fragment| &fragment.node.selection_set.node),
    );
    // Without recursion: the depth is bounded by the guard, but a loop needs no stack.
    while let Some(set) = pending.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    if CALLER_SPECIFIC_FIELDS.contains(&field.node.name.node.as_str()) {
                        return false;
                    }
                    pending.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => {
                    pending.push(&fragment.node.selection_set.node);
                }
                // Its definition is walked with the document's fragments.
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::same_for_every_caller;

    #[tokio::test]
    async fn caller_specific_fields_anywhere_make_a_document_personal() {
        assert!(same_for_every_caller("{ sectors { code } }").await);
        assert!(
            same_for_every_caller(
                "query Q($s: String) { pathways(filter: { sectorCode: $s }) { nodes { code } } }"
            )
            .await
        );
        assert!(!same_for_every_caller("{ auditLog { nodes { id } } }").await);
        assert!(
            !same_for_every_caller("{ sectors { code } log: auditLog { nodes { id } } }").await
        );
        assert!(
            !same_for_every_caller("{ ...F } fragment F on Query { auditLog { nodes { id } } }")
                .await
        );
        assert!(
            !same_for_every_caller(
                "{ ... on Query { ... on Query { auditLog { nodes { id } } } } }"
            )
            .await
        );
        assert!(
            !same_for_every_caller(
                "query A { sectors { code } } query B { auditLog { nodes { id } } }"
            )
            .await
        );
        assert!(
            !same_for_every_caller(
                "mutation { deleteCourse(input: { id: \"x\", version: 1 }) { id } }"
            )
            .await
        );
        assert!(!same_for_every_caller("{ sectors {").await);
    }
}
