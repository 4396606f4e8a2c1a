//! The shared part of every kind's row mapping: each column of the kind's definition
//! ([`crate::fields`]) that is stored as it is read (text, numbers, dates, flags, choices,
//! lists) is read from the row and set on the record by its stored column. A kind's planner
//! reads only its keys and references (and the few columns with rules across columns) itself.

use sea_orm::{ModelTrait, Value as Stored};

use crate::{
    changes::write::column,
    fields::{Field, RecordKind, Value},
    import::table::Row,
};

/// The columns of a kind the shared mapping sets, with the allowed values of each choice
/// column (read once per file).
pub(crate) struct Scalars {
    fields: Vec<(&'static Field, &'static str, Vec<&'static str>)>,
}

impl Scalars {
    /// The columns of `kind` not read by hand.
    pub(crate) fn of(kind: &'static RecordKind) -> Self {
        let fields = kind
            .fields
            .iter()
            .filter(|f| !f.by_hand)
            .filter_map(|f| {
                let stored = f.stored?;
                let allowed = match f.value {
                    Value::Choice(names) | Value::Choices(names) => names(),
                    _ => Vec::new(),
                };
                Some((f, stored, allowed))
            })
            .collect();
        Scalars { fields }
    }

    /// Sets each column on `model`: a required one always (a missing value is refused on the
    /// row), an optional one when the file has it (empty clears it).
    pub(crate) fn apply<M>(&self, row: &mut Row<'_>, model: &mut M)
    where
        M: ModelTrait,
    {
        for (field, stored, allowed) in &self.fields {
            let name = field.name;
            if !field.required && !row.has(name) {
                continue;
            }
            let value = read(row, field, allowed);
            let set = column::<M::Entity>(stored)
                .map_err(|e| e.to_string())
                .and_then(|c| model.try_set(c, value).map_err(|e| e.to_string()));
            if let Err(e) = set {
                // A definition that does not fit its entity: a bug, refused rather than panicking.
                row.reject(name, format!("cannot be stored ({e})"));
            }
        }
    }
}

/// The value of one column on the row, as it is stored.
fn read(row: &mut Row<'_>, field: &Field, allowed: &[&'static str]) -> Stored {
    let name = field.name;
    match field.value {
        Value::Text if field.required => Stored::String(Some(row.required(name))),
        Value::Text => Stored::String(row.text(name)),
        Value::Int if field.required => {
            let given = row.text(name).is_some();
            let n = row.int(name);
            if !given {
                row.reject(name, "is required");
            }
            Stored::Int(Some(n.unwrap_or_default()))
        }
        Value::Int => Stored::Int(row.int(name)),
        Value::IntOr(default) => Stored::Int(Some(row.int(name).unwrap_or(default))),
        Value::Float => Stored::Double(row.float(name)),
        Value::Date if field.required => {
            Stored::ChronoDate(Some(row.required_date(name).unwrap_or_default()))
        }
        Value::Date => Stored::ChronoDate(row.date(name)),
        Value::Flag(default) => Stored::Bool(Some(row.flag(name, default))),
        Value::Choice(_) if field.required => {
            Stored::String(Some(row.required_choice(name, allowed).to_owned()))
        }
        Value::Choice(_) => Stored::String(row.choice(name, allowed).map(str::to_owned)),
        Value::Choices(_) => Stored::String(Some(row.choices(name, allowed).join(","))),
        Value::List => Stored::String(Some(
            row.text(name).map(|c| list(&c, ',')).unwrap_or_default(),
        )),
        Value::Names => Stored::String(Some(
            row.text(name).map(|c| list(&c, ';')).unwrap_or_default(),
        )),
        // References are read by each kind's planner (a reference is always `by_hand`).
        Value::Ref(_) => Stored::Int(None),
    }
}

/// `a; b ,c` → `a,b,c`, as lists are stored; with `;` as the separator (names, which may
/// hold a comma) only `;` separates: `a, Inc; b` → `a, Inc;b`.
pub(crate) fn list(raw: &str, separator: char) -> String {
    let parts: Vec<&str> = if separator == ',' {
        raw.split([';', ',']).collect()
    } else {
        raw.split(';').collect()
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(&separator.to_string())
}
