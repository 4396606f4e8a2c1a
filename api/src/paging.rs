//! Relay connections with keyset paging, shared by every list in the API.
//!
//! A cursor is the sort key of a row plus its id (ties are always broken by id,
//! so every ordering is total), bound to the list that made it: it carries a
//! short hash of that list's query (table, filters with their values,
//! ordering), and a list refuses, with `BAD_USER_INPUT` on `after`, `before`
//! or `since`, a cursor made by another list, ordering or filter (it would
//! otherwise silently skip or repeat rows). Pages are fetched with `LIMIT size + 1` to learn
//! whether more rows exist; `totalCount` runs only when a client asks for it.
//! Nested lists (a sector's pathways, ...) are paged per parent inside SQL by
//! the loaders in [`crate::graphql::nested`].

use std::sync::Arc;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use futures::future::BoxFuture;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, IdenStatic, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Value,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// Page size when the client gives neither `first` nor `last`.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// Largest page a client may ask for; more is refused, never silently clamped.
pub const MAX_PAGE_SIZE: u64 = 100;

/// A sort-key value stored in a cursor.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SortValue {
    Int(i64),
    Text(String),
}

impl From<SortValue> for Value {
    fn from(v: SortValue) -> Self {
        match v {
            SortValue::Int(i) => Value::BigInt(Some(i)),
            SortValue::Text(s) => Value::String(Some(s)),
        }
    }
}

/// The position of a row in an ordering: its sort key and id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CursorKey {
    pub sort: SortValue,
    pub id: i32,
}

/// The secret cursors are authenticated with (derived from the server's signing key, so every
/// instance sharing that key accepts the others' cursors). Unset (commands, unit tests): zeros.
static CURSOR_SECRET: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();

/// Sets the cursor secret once per process (later calls keep the first).
pub fn set_cursor_secret(secret: [u8; 32]) {
    let _ = CURSOR_SECRET.set(secret);
}

/// The MAC of a cursor's list and position: without it a client could put any value in a
/// cursor (a NUL, a number where the list sorts by text) and the SQL built from it would fail
/// or page wrongly.
fn cursor_mac(list: &str, json: &str) -> String {
    use hmac::{Mac, SimpleHmac};
    let secret = CURSOR_SECRET.get().copied().unwrap_or([0; 32]);
    let mut mac = match SimpleHmac::<Sha256>::new_from_slice(&secret) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(list.as_bytes());
    mac.update(b":");
    mac.update(json.as_bytes());
    mac.finalize().into_bytes()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl CursorKey {
    /// The opaque cursor string clients see: `c2:<list>:<mac>:<sort and id>`, where `<list>` is
    /// the [`list_tag`] of the list that made it and `<mac>` authenticates the rest.
    pub fn encode(&self, list: &str) -> String {
        let json = serde_json::to_string(&(&self.sort, self.id)).unwrap_or_default();
        let mac = cursor_mac(list, &json);
        URL_SAFE_NO_PAD.encode(format!("c2:{list}:{mac}:{json}"))
    }

    /// Decodes a cursor a client sent in `field`: the position and the tag of its list.
    pub fn decode(field: &str, cursor: &str) -> ApiResult<(Self, String)> {
        let bad = || ApiError::bad_input(field, "is not a cursor returned by this list");
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        if text.starts_with("c1:") {
            return Err(ApiError::bad_input(
                field,
                "is a cursor from an older version of the API, which did not say which list made it; start again without it",
            ));
        }
        let rest = text.strip_prefix("c2:").ok_or_else(bad)?;
        let (list, rest) = rest.split_once(':').ok_or_else(bad)?;
        let (mac, json) = rest.split_once(':').ok_or_else(bad)?;
        // Compared in constant time, like any MAC.
        let expected = cursor_mac(list, json);
        let same = expected.len() == mac.len()
            && expected
                .bytes()
                .zip(mac.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return Err(bad());
        }
        let (sort, id): (SortValue, i32) = serde_json::from_str(json).map_err(|_| bad())?;
        Ok((CursorKey { sort, id }, list.to_owned()))
    }
}

/// The short hash that names a list in its cursors: of a description of what makes the list
/// (its query with filter values, its ordering). Stable across restarts and releases as long
/// as the query is.
pub fn list_tag(what_made_it: &str) -> String {
    let digest = Sha256::digest(what_made_it.as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// A validated page request: how many rows, which way, from where.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageRequest {
    pub size: u64,
    pub backward: bool,
    pub cursor: Option<CursorKey>,
    /// The argument the cursor came in (`after`, `before`, `since`), for errors.
    pub cursor_field: &'static str,
    /// The [`list_tag`] the cursor carries.
    pub cursor_list: Option<String>,
    /// The list being paged, once [`PageRequest::bound`] set it: the cursors of this page
    /// carry its [`list_tag`].
    pub list: Option<Arc<ListName>>,
}

/// What makes a list, hashed into its [`list_tag`] only when a cursor or a check needs it
/// (most pages of a nested list never show a cursor).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListName {
    what_made_it: String,
}

impl ListName {
    /// The [`list_tag`] of the list.
    pub fn tag(&self) -> String {
        list_tag(&self.what_made_it)
    }
}

/// The cursor of one row: its position and its list, encoded (and authenticated) only when
/// a client asks for it.
#[derive(Clone)]
pub struct Cursor {
    key: CursorKey,
    list: Option<Arc<ListName>>,
}

impl Cursor {
    /// The opaque cursor string clients see ([`CursorKey::encode`]).
    pub fn text(&self) -> String {
        let tag = self.list.as_deref().map(ListName::tag);
        self.key.encode(tag.as_deref().unwrap_or_default())
    }
}

impl PageRequest {
    /// Validates Relay arguments: at most one direction, sizes 0..=100, cursors ours.
    pub fn from_args(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Self> {
        if first.is_some() && last.is_some() {
            return Err(ApiError::bad_input(
                "first",
                "give either first or last, not both",
            ));
        }
        if first.is_some() && before.is_some() {
            return Err(ApiError::bad_input(
                "before",
                "use before with last, after with first",
            ));
        }
        if last.is_some() && after.is_some() {
            return Err(ApiError::bad_input(
                "after",
                "use after with first, before with last",
            ));
        }
        let backward = last.is_some() || before.is_some();
        let (field, requested) = if backward {
            ("last", last)
        } else {
            ("first", first)
        };
        let size = match requested {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if n < 0 => {
                return Err(ApiError::bad_input(
                    field,
                    format!("must not be negative (got {n})"),
                ))
            }
            Some(n) if n as u64 > MAX_PAGE_SIZE => {
                return Err(ApiError::bad_input(
                    field,
                    format!("must be at most {MAX_PAGE_SIZE} (got {n}); page with after/before"),
                ))
            }
            Some(n) => n as u64,
        };
        let (cursor_field, cursor) = match (&after, &before) {
            (Some(c), _) => ("after", Some(CursorKey::decode("after", c)?)),
            (_, Some(c)) => ("before", Some(CursorKey::decode("before", c)?)),
            _ => ("after", None),
        };
        let (cursor, cursor_list) = cursor.unzip();
        Ok(PageRequest {
            size,
            backward,
            cursor,
            cursor_field,
            cursor_list,
            list: None,
        })
    }

    /// Resumes after (or before) a cursor the client sent in `field`, e.g. `since`.
    pub fn resume(mut self, field: &'static str, cursor: Option<&str>) -> ApiResult<Self> {
        if let Some(cursor) = cursor {
            let (key, list) = CursorKey::decode(field, cursor)?;
            self.cursor = Some(key);
            self.cursor_list = Some(list);
            self.cursor_field = field;
        }
        Ok(self)
    }

    /// This request for the list `what_made_it` describes (see [`list_tag`]): refused with
    /// `BAD_USER_INPUT` on the cursor's argument when the cursor was made by another list.
    pub fn bound(&self, what_made_it: &str) -> ApiResult<PageRequest> {
        let list = Arc::new(ListName {
            what_made_it: what_made_it.to_owned(),
        });
        if let Some(theirs) = &self.cursor_list {
            if *theirs != list.tag() {
                return Err(ApiError::bad_input(
                    self.cursor_field,
                    "is a cursor of another list, ordering or filter: pass it only with the same field and arguments that returned it, or start again without it",
                ));
            }
        }
        let mut bound = self.clone();
        bound.list = Some(list);
        Ok(bound)
    }
}

/// How `totalCount` is answered: already known, or computed on demand.
#[derive(Clone)]
pub enum TotalCount {
    Known(u64),
    Deferred(Arc<dyn Fn() -> BoxFuture<'static, ApiResult<u64>> + Send + Sync>),
}

impl TotalCount {
    /// Resolves the count, running its query only now.
    pub async fn get(&self) -> ApiResult<u64> {
        match self {
            TotalCount::Known(n) => Ok(*n),
            TotalCount::Deferred(f) => f().await,
        }
    }
}

/// One page of rows with their cursors.
#[derive(Clone)]
pub struct Page<T> {
    pub items: Vec<(Cursor, T)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total: TotalCount,
}

impl<T> Page<T> {
    /// Builds a page from rows fetched in query order with `LIMIT size + 1`.
    pub fn from_rows(
        mut rows: Vec<T>,
        req: &PageRequest,
        key: impl Fn(&T) -> CursorKey,
        total: TotalCount,
    ) -> Self {
        let extra = rows.len() as u64 > req.size;
        rows.truncate(req.size as usize);
        if req.backward {
            rows.reverse();
        }
        let items = rows
            .into_iter()
            .map(|r| {
                let cursor = Cursor {
                    key: key(&r),
                    list: req.list.clone(),
                };
                (cursor, r)
            })
            .collect();
        Page {
            items,
            has_next_page: if req.backward {
                req.cursor.is_some()
            } else {
                extra
            },
            has_previous_page: if req.backward {
                extra
            } else {
                req.cursor.is_some()
            },
            total,
        }
    }

    /// A page of an empty list.
    pub fn empty() -> Self {
        Page {
            items: Vec::new(),
            has_next_page: false,
            has_previous_page: false,
            total: TotalCount::Known(0),
        }
    }

    /// The same page with each row turned into its GraphQL type.
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(|(c, t)| (c, f(t))).collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            total: self.total,
        }
    }
}

impl<T: Send> Page<T> {
    /// The same page with each row turned into something loaded asynchronously
    /// (e.g. a membership into its district); cursors stay those of the rows.
    pub async fn try_map_async<U, F, Fut>(self, f: F) -> async_graphql::Result<Page<U>>
    where
        F: Fn(T) -> Fut,
        Fut: std::future::Future<Output = async_graphql::Result<U>>,
    {
        let (cursors, rows): (Vec<Cursor>, Vec<T>) = self.items.into_iter().unzip();
        let mapped = futures::future::try_join_all(rows.into_iter().map(f)).await?;
        Ok(Page {
            items: cursors.into_iter().zip(mapped).collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            total: self.total,
        })
    }
}

/// Where a page sits in the whole list, and the cursors to page on from it (encoded only
/// when asked for).
pub struct PageInfo {
    has_next_page: bool,
    has_previous_page: bool,
    start_cursor: Option<Cursor>,
    end_cursor: Option<Cursor>,
}

/// Where a page sits in the whole list, and the cursors to page on from it.
#[async_graphql::Object]
impl PageInfo {
    /// Whether more rows follow this page (ask with `after: endCursor`).
    async fn has_next_page(&self) -> bool {
        self.has_next_page
    }
    /// Whether rows come before this page (ask with `before: startCursor`).
    async fn has_previous_page(&self) -> bool {
        self.has_previous_page
    }
    /// Cursor of the first row of this page.
    async fn start_cursor(&self) -> Option<String> {
        self.start_cursor.as_ref().map(Cursor::text)
    }
    /// Cursor of the last row of this page.
    async fn end_cursor(&self) -> Option<String> {
        self.end_cursor.as_ref().map(Cursor::text)
    }
}

impl<T> Page<T> {
    /// The `pageInfo` of this page.
    pub fn page_info(&self) -> PageInfo {
        PageInfo {
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            start_cursor: self.items.first().map(|(c, _)| c.clone()),
            end_cursor: self.items.last().map(|(c, _)| c.clone()),
        }
    }
}

/// An ordering of an entity: a sort column, then id.
pub struct Keyset<C> {
    pub sort: C,
    pub id: C,
    pub descending: bool,
}

/// Fetches one page of `select` in `order`, with a deferred `totalCount`.
pub async fn fetch_page<E>(
    db: &DatabaseConnection,
    select: Select<E>,
    order: Keyset<E::Column>,
    req: &PageRequest,
    key: fn(&E::Model) -> CursorKey,
) -> ApiResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
{
    let req = &req.bound(&format!(
        "{} ORDER BY {} {}, {}",
        query_text(&select),
        order.sort.as_str(),
        if order.descending { "DESC" } else { "ASC" },
        order.id.as_str(),
    ))?;
    let count_select = select.clone();
    let count_db = db.clone();
    let total = TotalCount::Deferred(Arc::new(move || {
        let select = count_select.clone();
        let db = count_db.clone();
        Box::pin(async move { Ok(select.count(&db).await?) })
    }));

    // Walking backward reads the ordering reversed, then flips the page.
    let ascending = order.descending == req.backward;
    let mut query = select;
    if let Some(cursor) = &req.cursor {
        let sort_value: Value = cursor.sort.clone().into();
        let (after_sort, after_id) = if ascending {
            (order.sort.gt(sort_value.clone()), order.id.gt(cursor.id))
        } else {
            (order.sort.lt(sort_value.clone()), order.id.lt(cursor.id))
        };
        query = query.filter(
            Condition::any().add(after_sort).add(
                Condition::all()
                    .add(order.sort.eq(sort_value))
                    .add(after_id),
            ),
        );
    }
    let direction = if ascending { Order::Asc } else { Order::Desc };
    let rows = query
        .order_by(order.sort, direction.clone())
        .order_by(order.id, direction)
        .limit(req.size + 1)
        .all(db)
        .await?;
    Ok(Page::from_rows(rows, req, key, total))
}

/// Fetches one page ordered by an expression over other tables (e.g. the
/// course title of an offering): one statement pages `(key, id)` by keyset,
/// a second loads those rows. The key is compared as text.
pub async fn fetch_page_by_expr<E>(
    db: &DatabaseConnection,
    select: Select<E>,
    sort: sea_orm::sea_query::SimpleExpr,
    id: E::Column,
    descending: bool,
    req: &PageRequest,
) -> ApiResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
{
    use sea_orm::{ExprTrait, ModelTrait};
    let req = &req.bound(&format!(
        "{} ORDER BY {} {}, {}",
        query_text(&select),
        expr_text(&sort),
        if descending { "DESC" } else { "ASC" },
        id.as_str(),
    ))?;
    let count_select = select.clone();
    let count_db = db.clone();
    let total = TotalCount::Deferred(Arc::new(move || {
        let select = count_select.clone();
        let db = count_db.clone();
        Box::pin(async move { Ok(select.count(&db).await?) })
    }));
    let ascending = descending == req.backward;
    let mut keys = select
        .select_only()
        .column(id)
        .expr_as(sort.clone(), "sort_key");
    if let Some(cursor) = &req.cursor {
        let SortValue::Text(value) = &cursor.sort else {
            return Err(ApiError::bad_input(
                if req.backward { "before" } else { "after" },
                "is not a cursor of this ordering",
            ));
        };
        let (after_sort, after_id) = if ascending {
            (sort.clone().gt(value.clone()), id.gt(cursor.id))
        } else {
            (sort.clone().lt(value.clone()), id.lt(cursor.id))
        };
        keys = keys.filter(
            Condition::any().add(after_sort).add(
                Condition::all()
                    .add(sort.clone().eq(value.clone()))
                    .add(after_id),
            ),
        );
    }
    let direction = if ascending { Order::Asc } else { Order::Desc };
    let keys: Vec<(i32, Option<String>)> = keys
        .order_by(sort, direction.clone())
        .order_by(id, direction)
        .limit(req.size + 1)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<i32> = keys.iter().map(|(id, _)| *id).collect();
    let mut rows: std::collections::HashMap<i32, E::Model> = E::find()
        .filter(id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| match row.get(id) {
            Value::Int(Some(key)) => Some((key, row)),
            _ => None,
        })
        .collect();
    let ordered: Vec<(String, E::Model)> = keys
        .into_iter()
        .filter_map(|(key, sort)| rows.remove(&key).map(|row| (sort.unwrap_or_default(), row)))
        .collect();
    let page = Page::from_rows(
        ordered,
        req,
        |(sort, row)| CursorKey {
            sort: SortValue::Text(sort.clone()),
            id: match row.get(id) {
                Value::Int(Some(key)) => key,
                _ => 0,
            },
        },
        total,
    );
    Ok(page.map(|(_, row)| row))
}

/// The SQL of a list's query with its values inlined (PostgreSQL dialect whatever the
/// database, so the text depends only on the query): what a cursor is bound to.
pub fn query_text<E: EntityTrait>(select: &Select<E>) -> String {
    use sea_orm::QueryTrait;
    select
        .as_query()
        .to_string(sea_orm::sea_query::PostgresQueryBuilder)
}

/// The SQL of a sort expression, as [`query_text`].
fn expr_text(expr: &sea_orm::sea_query::SimpleExpr) -> String {
    sea_orm::sea_query::Query::select()
        .expr(expr.clone())
        .to_string(sea_orm::sea_query::PostgresQueryBuilder)
}

/// Declares `<Node>Connection` and `<Node>Edge` GraphQL types for a node type.
#[macro_export]
macro_rules! connection_types {
    ($node:ty, $connection:ident, $edge:ident, $doc:literal) => {
        #[doc = $doc]
        pub struct $connection(pub $crate::paging::Page<$node>);

        // Borrowed from the page: an edge copies neither its row nor its cursor.
        #[doc = concat!("One row of a `", stringify!($connection), "` page, with its cursor.")]
        pub struct $edge<'a> {
            cursor: &'a $crate::paging::Cursor,
            node: &'a $node,
        }

        #[async_graphql::Object]
        #[doc = concat!("One row of a `", stringify!($connection), "` page, with its cursor.")]
        impl<'a> $edge<'a> {
            /// Opaque position of this row; pass it as `after` or `before`.
            async fn cursor(&self) -> String {
                self.cursor.text()
            }
            /// The row.
            async fn node(&self) -> &'a $node {
                self.node
            }
        }

        #[async_graphql::Object]
        #[doc = $doc]
        impl $connection {
            /// The rows of this page with their cursors.
            async fn edges(&self) -> Vec<$edge<'_>> {
                self.0
                    .items
                    .iter()
                    .map(|(cursor, node)| $edge { cursor, node })
                    .collect()
            }
            /// The rows of this page, without cursors.
            async fn nodes(&self) -> Vec<&$node> {
                self.0.items.iter().map(|(_, node)| node).collect()
            }
            /// Where this page sits in the whole list.
            async fn page_info(&self) -> $crate::paging::PageInfo {
                self.0.page_info()
            }
            /// How many rows the whole list has (counted only when asked).
            async fn total_count(&self) -> async_graphql::Result<i32> {
                Ok(self.0.total.get().await? as i32)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_page_arguments() {
        assert_eq!(
            PageRequest::from_args(None, None, None, None).unwrap().size,
            20
        );
        assert!(PageRequest::from_args(Some(101), None, None, None).is_err());
        assert!(PageRequest::from_args(Some(-1), None, None, None).is_err());
        assert!(PageRequest::from_args(Some(1), None, Some(1), None).is_err());
        assert!(PageRequest::from_args(Some(1), Some("garbage".into()), None, None).is_err());
        let key = CursorKey {
            sort: SortValue::Text("Patient Care".into()),
            id: 7,
        };
        let cursor = key.encode(&list_tag("courses of SOCAL_ROC"));
        let req = PageRequest::from_args(None, None, Some(5), Some(cursor)).unwrap();
        assert!(req.backward);
        assert_eq!(req.cursor, Some(key));
        assert!(req.bound("courses of SOCAL_ROC").is_ok());
        let elsewhere = req.bound("courses of CALAPS").unwrap_err();
        assert!(matches!(elsewhere, ApiError::BadUserInput { ref field, .. } if field == "before"));
    }
}
