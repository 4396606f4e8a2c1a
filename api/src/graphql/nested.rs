//! Generic batch loaders for nested connections (a program's courses, a
//! course's offerings, ...): one statement per level for every parent on the
//! page, each parent's page cut in SQL with `ROW_NUMBER() OVER (PARTITION BY ..)`.
//!
//! An area declares a relation as a zero-sized type implementing [`Relation`];
//! [`ChildPages`] and [`ChildCounts`] load it.

use std::{collections::HashMap, marker::PhantomData, sync::Arc};

use async_graphql::dataloader::Loader;

use crate::batch::DataLoader;
use sea_orm::{DatabaseConnection, EntityTrait, FromQueryResult, Value};

use crate::{db::statement, error::LoadError};
use crate::{
    graphql::reference::ReferenceCache,
    paging::{CursorKey, Page, PageRequest, TotalCount},
};

/// A parent → children relation paged in SQL.
pub trait Relation: Send + Sync + 'static {
    /// The child row.
    type Model: FromQueryResult + Clone + Send + Sync + 'static;
    /// The child table, or a derived table `(SELECT ...)` exposing the parent column.
    const TABLE: &'static str;
    /// The child column that holds the parent id.
    const PARENT_COLUMN: &'static str;
    /// The child column the page is ordered by (then id).
    const SORT_COLUMN: &'static str;
    /// The column that says a child is sample data; a derived table that joins another
    /// record exposes one that is true when either is (a real district's sample membership,
    /// a real partner's sample partnership), so `includeSample: false` hides the pair.
    const SAMPLE_COLUMN: &'static str = "sample";
    /// The parent id of a child row.
    fn parent(row: &Self::Model) -> i32;
    /// The cursor of a child row.
    fn cursor(row: &Self::Model) -> CursorKey;
}

/// Declares a parent → children [`Relation`] over an entity table:
/// `relation!(/** doc */ SitesOfProgram: program_site by program_id, sorted by name as text);`
/// (`as text | int | date` says how the sort column goes into a cursor).
#[macro_export]
macro_rules! relation {
    // A nullable parent column: only rows whose parent is one of the keys are loaded, so the
    // value is always there.
    ($(#[$doc:meta])* $name:ident: $entity:ident by optional $parent:ident, sorted by $sort:ident as $kind:ident) => {
        $(#[$doc])*
        pub struct $name;
        impl $crate::graphql::nested::Relation for $name {
            type Model = entity::$entity::Model;
            const TABLE: &'static str = stringify!($entity);
            const PARENT_COLUMN: &'static str = stringify!($parent);
            const SORT_COLUMN: &'static str = stringify!($sort);
            fn parent(row: &Self::Model) -> i32 {
                row.$parent.unwrap_or_default()
            }
            fn cursor(row: &Self::Model) -> $crate::paging::CursorKey {
                $crate::paging::CursorKey { sort: $crate::relation!(@sort $kind row.$sort), id: row.id }
            }
        }
    };
    ($(#[$doc:meta])* $name:ident: $entity:ident by $parent:ident, sorted by $sort:ident as $kind:ident) => {
        $(#[$doc])*
        pub struct $name;
        impl $crate::graphql::nested::Relation for $name {
            type Model = entity::$entity::Model;
            const TABLE: &'static str = stringify!($entity);
            const PARENT_COLUMN: &'static str = stringify!($parent);
            const SORT_COLUMN: &'static str = stringify!($sort);
            fn parent(row: &Self::Model) -> i32 {
                row.$parent
            }
            fn cursor(row: &Self::Model) -> $crate::paging::CursorKey {
                $crate::paging::CursorKey { sort: $crate::relation!(@sort $kind row.$sort), id: row.id }
            }
        }
    };
    (@sort text $value:expr) => { $crate::paging::SortValue::Text($value.clone()) };
    (@sort int $value:expr) => { $crate::paging::SortValue::Int($value.into()) };
    (@sort date $value:expr) => { $crate::paging::SortValue::Text($value.to_string()) };
}

/// A condition on children, part of the loader key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ChildCondition {
    /// `column = value` (e.g. a course level).
    Equals(&'static str, String),
    /// A comma-separated list column contains `value` (e.g. partnership kinds).
    ListContains(&'static str, String),
    /// A membership in force on the date (`joined_on`, `withdrawn_on`).
    ActiveOn(chrono::NaiveDate),
}

/// Which children a nested list shows: an optional condition, and whether sample records
/// are left out (`includeSample: false`). Part of the loader key and of the cursor's list tag.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct ChildFilter {
    /// A condition on the children, if any.
    pub condition: Option<ChildCondition>,
    /// Leave sample records out.
    pub real_only: bool,
}

impl ChildFilter {
    /// Every child, or only real ones when `include_sample` is false.
    pub fn new(include_sample: bool) -> Self {
        ChildFilter {
            condition: None,
            real_only: !include_sample,
        }
    }

    /// The same, with `condition` too.
    pub fn with(mut self, condition: Option<ChildCondition>) -> Self {
        self.condition = condition;
        self
    }
}

/// The filter of a nested list's `includeSample` argument (default as on the root lists).
pub fn sample_filter(
    ctx: &async_graphql::Context<'_>,
    include_sample: Option<bool>,
) -> ChildFilter {
    ChildFilter {
        condition: None,
        real_only: super::provenance::real_only(ctx, include_sample),
    }
}

/// Loads one page of children per parent.
pub struct ChildPages<R: Relation>(pub DatabaseConnection, PhantomData<R>);

impl<R: Relation> ChildPages<R> {
    /// A loader over `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        ChildPages(db, PhantomData)
    }
}

fn filter_sql<R: Relation>(parents: &[i32], filter: &ChildFilter) -> (String, Vec<Value>) {
    let placeholders = vec!["?"; parents.len()].join(", ");
    let mut values: Vec<Value> = parents.iter().map(|p| Value::Int(Some(*p))).collect();
    let mut sql = format!(
        "{column} IN ({placeholders}) AND deleted_at IS NULL",
        column = R::PARENT_COLUMN
    );
    if filter.real_only {
        sql.push_str(&format!(" AND {} = ?", R::SAMPLE_COLUMN));
        values.push(Value::Bool(Some(false)));
    }
    match &filter.condition {
        Some(ChildCondition::Equals(column, value)) => {
            sql.push_str(&format!(" AND {column} = ?"));
            values.push(Value::String(Some(value.clone())));
        }
        Some(ChildCondition::ListContains(column, value)) => {
            sql.push_str(&format!(" AND (',' || {column} || ',') LIKE ?"));
            values.push(Value::String(Some(format!("%,{value},%"))));
        }
        Some(ChildCondition::ActiveOn(on)) => {
            sql.push_str(" AND joined_on <= ? AND (withdrawn_on IS NULL OR withdrawn_on > ?)");
            values.push(Value::ChronoDate(Some(*on)));
            values.push(Value::ChronoDate(Some(*on)));
        }
        None => {}
    }
    (sql, values)
}

impl<R: Relation> Loader<(i32, PageRequest, ChildFilter)> for ChildPages<R> {
    type Value = Page<R::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(i32, PageRequest, ChildFilter)],
    ) -> Result<HashMap<(i32, PageRequest, ChildFilter), Self::Value>, Self::Error> {
        let mut groups: HashMap<(&PageRequest, &ChildFilter), Vec<i32>> = HashMap::new();
        for (parent, req, filter) in keys {
            groups.entry((req, filter)).or_default().push(*parent);
        }
        let mut out = HashMap::new();
        for ((req, filter), parents) in groups {
            // Each parent's list is its own: a cursor of one parent's children (or of another
            // ordering or filter) is refused on the others.
            let bound = parents
                .iter()
                .map(|parent| {
                    req.bound(&format!(
                        "{} of {} {parent} by {} where {filter:?}",
                        R::TABLE,
                        R::PARENT_COLUMN,
                        R::SORT_COLUMN
                    ))
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(Arc::new)?;
            let ascending = !req.backward;
            let (dir, cmp) = if ascending {
                ("ASC", ">")
            } else {
                ("DESC", "<")
            };
            let (mut where_sql, mut values) = filter_sql::<R>(&parents, filter);
            if let Some(cursor) = &req.cursor {
                let sort = R::SORT_COLUMN;
                where_sql.push_str(&format!(
                    " AND ({sort} {cmp} ? OR ({sort} = ? AND id {cmp} ?))"
                ));
                let v: Value = cursor.sort.clone().into();
                values.extend([v.clone(), v, Value::Int(Some(cursor.id))]);
            }
            values.push(Value::BigInt(Some(req.size as i64 + 1)));
            let sql = format!(
                "SELECT * FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY {parent} ORDER BY {sort} {dir}, id {dir}) \
                 AS page_row FROM {table} t WHERE {where_sql}) numbered WHERE page_row <= ? ORDER BY {parent}, page_row",
                parent = R::PARENT_COLUMN,
                sort = R::SORT_COLUMN,
                table = R::TABLE,
            );
            let rows =
                R::Model::find_by_statement(statement(self.0.get_database_backend(), &sql, values))
                    .all(&self.0)
                    .await
                    .map_err(|e| Arc::new(e.into()))?;
            let mut grouped: HashMap<i32, Vec<R::Model>> = HashMap::new();
            for row in rows {
                grouped.entry(R::parent(&row)).or_default().push(row);
            }
            for (parent, bound) in parents.into_iter().zip(bound) {
                let rows = grouped.remove(&parent).unwrap_or_default();
                let page = Page::from_rows(rows, &bound, R::cursor, TotalCount::Known(0));
                out.insert((parent, req.clone(), filter.clone()), page);
            }
        }
        Ok(out)
    }
}

/// Counts children per parent, for nested `totalCount`.
pub struct ChildCounts<R: Relation>(pub DatabaseConnection, PhantomData<R>);

impl<R: Relation> ChildCounts<R> {
    /// A loader over `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        ChildCounts(db, PhantomData)
    }
}

#[derive(FromQueryResult)]
struct ParentCount {
    parent_id: i32,
    total: i64,
}

impl<R: Relation> Loader<(i32, ChildFilter)> for ChildCounts<R> {
    type Value = u64;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(i32, ChildFilter)],
    ) -> Result<HashMap<(i32, ChildFilter), u64>, Self::Error> {
        let mut groups: HashMap<&ChildFilter, Vec<i32>> = HashMap::new();
        for (parent, filter) in keys {
            groups.entry(filter).or_default().push(*parent);
        }
        let mut out = HashMap::new();
        for (filter, parents) in groups {
            let (where_sql, values) = filter_sql::<R>(&parents, filter);
            let sql = format!(
                "SELECT {parent} AS parent_id, COUNT(*) AS total FROM {table} t WHERE {where_sql} GROUP BY {parent}",
                parent = R::PARENT_COLUMN,
                table = R::TABLE,
            );
            let rows = ParentCount::find_by_statement(statement(
                self.0.get_database_backend(),
                &sql,
                values,
            ))
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(e.into()))?;
            let counts: HashMap<i32, u64> = rows
                .into_iter()
                .map(|r| (r.parent_id, r.total as u64))
                .collect();
            for parent in parents {
                out.insert(
                    (parent, filter.clone()),
                    counts.get(&parent).copied().unwrap_or(0),
                );
            }
        }
        Ok(out)
    }
}

/// Resolves a nested connection: the parent's page with a lazily counted total.
pub async fn child_page<R: Relation>(
    ctx: &async_graphql::Context<'_>,
    parent: i32,
    req: PageRequest,
    filter: ChildFilter,
) -> async_graphql::Result<Page<R::Model>> {
    let mut page = ctx
        .data_unchecked::<DataLoader<ChildPages<R>>>()
        .load_one((parent, req, filter.clone()))
        .await
        .map_err(crate::error::from_load)?
        .unwrap_or_else(Page::empty);
    let counts = ctx
        .data_unchecked::<Arc<DataLoader<ChildCounts<R>>>>()
        .clone();
    page.total = TotalCount::Deferred(Arc::new(move || {
        let counts = counts.clone();
        let filter = filter.clone();
        Box::pin(async move { Ok(counts.load_one((parent, filter)).await?.unwrap_or(0)) })
    }));
    Ok(page)
}

/// Adds the page and count loaders of relation `R` to a request.
pub fn register<R: Relation>(
    request: async_graphql::Request,
    loaders: &crate::graphql::Loaders,
) -> async_graphql::Request {
    request
        .data(loaders.batch(ChildPages::<R>::new(loaders.db.clone())))
        .data(Arc::new(
            loaders.batch(ChildCounts::<R>::new(loaders.db.clone())),
        ))
}

/// Loads live rows of any table by id (`node`, a course's program, ...); reference tables
/// through the process-wide [`ReferenceCache`].
pub struct ById<E: EntityTrait>(
    pub DatabaseConnection,
    PhantomData<E>,
    Option<Arc<ReferenceCache>>,
);

impl<E: EntityTrait> ById<E> {
    /// A loader over `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        ById(db, PhantomData, None)
    }

    /// A loader of a reference table, answered from `cache` when it is enabled.
    pub fn reference(db: DatabaseConnection, cache: Option<Arc<ReferenceCache>>) -> Self {
        ById(db, PhantomData, cache.filter(|c| c.enabled()))
    }
}

impl<E> Loader<i32> for ById<E>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, E::Model>, Self::Error> {
        use sea_orm::{ColumnTrait, QueryFilter};
        use std::str::FromStr;
        if let Some(cache) = &self.2 {
            let rows = cache
                .rows::<E>(&self.0)
                .await
                .map_err(|e| Arc::new(e.into()))?;
            return Ok(keys
                .iter()
                .filter_map(|key| rows.get(key).map(|row| (*key, row.clone())))
                .collect());
        }
        let id = E::Column::from_str("id")
            .map_err(|_| Arc::new(crate::error::ApiError::Internal("no id".into())))?;
        let mut select = E::find().filter(id.is_in(keys.iter().copied()));
        if let Ok(deleted_at) = E::Column::from_str("deleted_at") {
            select = select.filter(deleted_at.is_null());
        }
        let rows = select.all(&self.0).await.map_err(|e| Arc::new(e.into()))?;
        Ok(keyed_by_id::<E>(rows, id))
    }
}

/// Rows by their `id` column.
pub fn keyed_by_id<E: EntityTrait>(rows: Vec<E::Model>, id: E::Column) -> HashMap<i32, E::Model> {
    use sea_orm::ModelTrait;
    rows.into_iter()
        .filter_map(|row| match row.get(id) {
            Value::Int(Some(key)) => Some((key, row)),
            _ => None,
        })
        .collect()
}

/// Loads a row by id through the request's [`ById`] loader.
pub async fn by_id<E>(
    ctx: &async_graphql::Context<'_>,
    id: i32,
) -> async_graphql::Result<Option<E::Model>>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
{
    let loader = ctx.data_unchecked::<DataLoader<ById<E>>>();
    // A reference table answers from its snapshot at once: no batch, no task, no window.
    if let Some(cache) = &loader.loader().2 {
        let rows = cache
            .rows::<E>(&loader.loader().0)
            .await
            .map_err(crate::error::ApiError::from)?;
        return Ok(rows.get(&id).cloned());
    }
    loader.load_one(id).await.map_err(crate::error::from_load)
}

/// Like [`by_id`] for a foreign key that must resolve.
pub async fn required<E>(
    ctx: &async_graphql::Context<'_>,
    id: i32,
    what: &str,
) -> async_graphql::Result<E::Model>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
{
    by_id::<E>(ctx, id)
        .await?
        .ok_or_else(|| crate::error::ApiError::Internal(format!("{what} {id} is missing")).into())
}

/// Loads every live child of each parent, for short bounded lists (a program's
/// sites, a district's memberships), in one statement per level.
pub struct Children<R: Relation>(pub DatabaseConnection, PhantomData<R>);

impl<R: Relation> Children<R> {
    /// A loader over `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Children(db, PhantomData)
    }
}

impl<R: Relation> Loader<i32> for Children<R> {
    type Value = Vec<R::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Vec<R::Model>>, Self::Error> {
        let (where_sql, values) = filter_sql::<R>(keys, &ChildFilter::default());
        let sql = format!(
            "SELECT * FROM {table} t WHERE {where_sql} ORDER BY {parent}, {sort}, id",
            table = R::TABLE,
            parent = R::PARENT_COLUMN,
            sort = R::SORT_COLUMN
        );
        let rows =
            R::Model::find_by_statement(statement(self.0.get_database_backend(), &sql, values))
                .all(&self.0)
                .await
                .map_err(|e| Arc::new(e.into()))?;
        let mut out: HashMap<i32, Vec<R::Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            out.entry(R::parent(&row)).or_default().push(row);
        }
        Ok(out)
    }
}

/// Every live child of `parent` through the request's [`Children`] loader.
pub async fn children<R: Relation>(
    ctx: &async_graphql::Context<'_>,
    parent: i32,
) -> async_graphql::Result<Vec<R::Model>> {
    Ok(ctx
        .data_unchecked::<DataLoader<Children<R>>>()
        .load_one(parent)
        .await
        .map_err(crate::error::from_load)?
        .unwrap_or_default())
}
