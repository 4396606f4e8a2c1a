//! Root fields `changes` (the public change feed) and `auditLog` (admins).

use async_graphql::{Context, InputObject, Object, Result, ID};
use sea_orm::DatabaseConnection;

use super::{
    feed,
    types::{AuditEntry, AuditEntryConnection, Change, ChangeConnection},
};
use crate::{
    auth::{scope::require_admin, Caller},
    ids,
    paging::PageRequest,
};

/// Narrows the audit log; all given filters must hold.
#[derive(InputObject, Default)]
pub struct AuditFilter {
    /// Only changes of this record (global ID).
    pub record_id: Option<ID>,
    /// Only changes made by this token subject (API client or user).
    pub actor_sub: Option<String>,
    /// Only changes made for this organisation.
    pub actor_org: Option<String>,
}

/// Change feed and audit root fields.
#[derive(Default)]
pub struct ChangeQuery;

#[Object]
impl ChangeQuery {
    /// Every create, update and delete of the catalogue in commit order, from the start or from
    /// `since` (the `endCursor` of your last page), link rows (course certifications and
    /// prerequisites, partner sectors) included. Replaying it from the start onto an empty copy
    /// gives exactly the current catalogue.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Resume after this position: the `pageInfo.endCursor` of your last page (default: from the first change)."
        )]
        since: Option<String>,
        #[graphql(desc = "How many changes to return: 0-100, default 20.")] first: Option<i32>,
    ) -> Result<ChangeConnection> {
        let req =
            PageRequest::from_args(first, None, None, None)?.resume("since", since.as_deref())?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let page = feed::changes_page(db, &req).await?;
        Ok(ChangeConnection(page.map(Change)))
    }

    /// Who changed what and when, newest first. Admins only.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which changes to return; all given filters must hold (default: all).")]
        filter: Option<AuditFilter>,
        #[graphql(desc = "Page size from the start, or after `after`: 0-100, default 20.")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor, e.g. the last page's `pageInfo.endCursor`.")]
        after: Option<String>,
        #[graphql(desc = "Page size from the end, or before `before`: 0-100.")] last: Option<i32>,
        #[graphql(desc = "End before this cursor, e.g. the next page's `pageInfo.startCursor`.")]
        before: Option<String>,
    ) -> Result<AuditEntryConnection> {
        let caller = ctx.data_opt::<Caller>().cloned().unwrap_or_default();
        require_admin(&caller, "auditLog")?;
        let req = PageRequest::from_args(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let record = match &filter.record_id {
            Some(id) => Some(ids::decode("filter.recordId", id)?),
            None => None,
        };
        let criteria = feed::AuditCriteria {
            record,
            actor_sub: filter.actor_sub,
            actor_org: filter.actor_org,
        };
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let page = feed::audit_page(db, criteria, &req).await?;
        Ok(AuditEntryConnection(page.map(AuditEntry)))
    }
}
