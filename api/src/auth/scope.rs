//! The one authorization rule for writes, called by the write path
//! ([`crate::changes::write`]) for the record before and after every change,
//! so no mutation or import can forget it.
//!
//! - `admin` may change anything;
//! - `editor` may change records its organisation owns (the `org` claim
//!   equals one of the record's owners: a program code, district code (its CDS code where it has one),
//!   college IPEDS id or code, industry partner code);
//! - `reader`, or no role, changes nothing.

use super::{Caller, Principal, Role};
use crate::error::ApiError;

/// The principal a write needs: anonymous callers are `UNAUTHENTICATED`.
pub fn require_principal(caller: &Caller) -> Result<&Principal, ApiError> {
    caller.principal().ok_or_else(|| {
        ApiError::Unauthenticated("changes need a token: send Authorization: Bearer <token>".into())
    })
}

/// Allows the change of a record owned by `owners`, or answers `FORBIDDEN`.
pub fn check_owners(
    principal: &Principal,
    record: &str,
    owners: &[String],
) -> Result<(), ApiError> {
    if principal.has(Role::Admin) {
        return Ok(());
    }
    if !principal.has(Role::Editor) {
        return Err(ApiError::Forbidden(format!(
            "{} may not change records: the token has no editor or admin role",
            principal.sub
        )));
    }
    if owners.iter().any(|owner| owner == &principal.org) {
        return Ok(());
    }
    Err(ApiError::Forbidden(format!(
        "organisation {} may not change this {record}: it belongs to {}",
        principal.org,
        if owners.is_empty() {
            "no organisation (admins only)".to_owned()
        } else {
            owners.join(", ")
        }
    )))
}

/// Allows admin-only operations (the audit log, reference records).
pub fn require_admin(caller: &Caller, what: &str) -> Result<(), ApiError> {
    let principal = require_principal(caller)?;
    if principal.has(Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!("{what} is for admins only")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(org: &str, roles: &[Role]) -> Principal {
        Principal {
            sub: "test".into(),
            org: org.into(),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn editors_change_only_their_own_records() {
        let owners = vec!["SOCAL_ROC".to_owned()];
        assert!(check_owners(&principal("SOCAL_ROC", &[Role::Editor]), "course", &owners).is_ok());
        assert!(check_owners(&principal("CALAPS", &[Role::Editor]), "course", &owners).is_err());
        assert!(check_owners(&principal("SOCAL_ROC", &[Role::Reader]), "course", &owners).is_err());
        assert!(check_owners(&principal("X", &[Role::Admin]), "course", &owners).is_ok());
        assert!(check_owners(&principal("X", &[Role::Editor]), "course", &[]).is_err());
    }
}
