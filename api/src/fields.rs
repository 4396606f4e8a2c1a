//! One definition per record kind: the columns of a kind (file column, stored column, GraphQL
//! field, what the value is, required or not, what goes in it). Each area states its kinds in
//! its `catalog/<area>/fields.rs`; the import layouts, header check and templates, the JSON
//! export, `docs/import.md`'s column tables and the check of the GraphQL types and inputs
//! (`tests/records.rs`) are all read from there, so a column is named once.

use async_graphql::resolver_utils::EnumType;

/// What a column holds: how a file cell is read and how a stored value is written out.
#[derive(Clone, Copy, Debug)]
pub enum Value {
    /// Free text.
    Text,
    /// A whole number; empty leaves it null.
    Int,
    /// A whole number stored not null: empty gives the number here.
    IntOr(i32),
    /// A decimal number.
    Float,
    /// A day, written YYYY-MM-DD.
    Date,
    /// true/false: empty gives the value here.
    Flag(bool),
    /// One of a closed list (the GraphQL enum's names, which are also the stored values).
    Choice(fn() -> Vec<&'static str>),
    /// Several of a closed list: `;`-separated in files, `,`-separated when stored.
    Choices(fn() -> Vec<&'static str>),
    /// A free list: `;`-separated in files, `,`-separated when stored.
    List,
    /// A list of names that may hold commas: `;`-separated in files and when stored.
    Names,
    /// Another record, by its code: the stored column holds its id.
    Ref(Target),
}

/// The record a reference column names, and which code of it files carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A ROC/P, by program code.
    Program,
    /// A state pathway, by code (imports also take its name or an older name).
    Pathway,
    /// A district, by CDS code.
    District,
    /// A school, by CDS code.
    School,
    /// A college, by code (imports also take its IPEDS id).
    College,
    /// An industry partner, by code.
    Partner,
    /// A dual-enrollment agreement, by code.
    Agreement,
    /// A term, by its code in the program.
    Term,
    /// A site, by its code in the program.
    Site,
    /// The ROC/P whose course the stored column names (the course's program code).
    CourseProgram,
    /// The district whose own course the stored column names (its CDS code).
    CourseDistrict,
    /// A course, by its code in its program or district.
    Course,
    /// A funding program, by code.
    FundingProgram,
    /// An industry sector, by code.
    Sector,
    /// A certification, by code.
    Certification,
    /// A school pathway, by code.
    SchoolPathway,
    /// An educator organisation, by code.
    EducatorOrganization,
    /// An educator program, by code.
    EducatorProgram,
}

/// Where a column shows in the GraphQL type of its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Graphql {
    /// A scalar field named as the stored column in camelCase (`starts_on`: `startsOn`).
    Camel,
    /// A scalar field of another name.
    Named(&'static str),
    /// Not a scalar field of the type (a reference is an object field; link kinds have no type).
    Absent,
}

/// One column of a record kind.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The CSV header, JSON key and export key.
    pub name: &'static str,
    /// Needed in the header (and a value on every row).
    pub required: bool,
    /// What goes in it, for `docs/import.md`.
    pub doc: &'static str,
    /// What it holds.
    pub value: Value,
    /// The entity column it is stored in (for a reference, the id column); `None` for a column
    /// that only helps find another (a course's program).
    pub stored: Option<&'static str>,
    /// Its GraphQL field.
    pub graphql: Graphql,
    /// Its field in the create and update inputs.
    pub input: Input,
    /// Always has a value (required, or a default when not given): its GraphQL field is
    /// non-null.
    pub never_null: bool,
    /// Read by the kind's own mapping (keys, references, rules across columns) rather than the
    /// shared one.
    pub by_hand: bool,
}

/// Where a column shows in the create and update mutation inputs of its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// Under its GraphQL field name (the stored column in camelCase when it has none).
    AsGraphql,
    /// Under another name (a reference by code: `programCode`).
    Named(&'static str),
    /// Not in the inputs (set by imports only, or fixed at creation).
    Absent,
}

impl Field {
    /// A column stored under its own name, shown in GraphQL in camelCase; references are read
    /// by hand and are object fields in GraphQL.
    pub const fn new(name: &'static str, required: bool, value: Value, doc: &'static str) -> Self {
        let by_hand = matches!(value, Value::Ref(_));
        Field {
            name,
            required,
            doc,
            value,
            stored: Some(name),
            graphql: if by_hand {
                Graphql::Absent
            } else {
                Graphql::Camel
            },
            input: if by_hand {
                Input::Absent
            } else {
                Input::AsGraphql
            },
            never_null: required
                || matches!(
                    value,
                    Value::Flag(_)
                        | Value::IntOr(_)
                        | Value::List
                        | Value::Choices(_)
                        | Value::Names
                ),
            by_hand,
        }
    }

    /// Stored in another column than its file name.
    pub const fn stored(mut self, column: &'static str) -> Self {
        self.stored = Some(column);
        self
    }

    /// Not stored itself: it helps find the record another column names.
    pub const fn helper(mut self) -> Self {
        self.stored = None;
        self.graphql = Graphql::Absent;
        self.input = Input::Absent;
        self.by_hand = true;
        self
    }

    /// Shown in GraphQL under another name.
    pub const fn graphql(mut self, name: &'static str) -> Self {
        self.graphql = Graphql::Named(name);
        self
    }

    /// Not a scalar field of the GraphQL type.
    pub const fn no_graphql(mut self) -> Self {
        self.graphql = Graphql::Absent;
        self
    }

    /// Never null although optional in files: a default fills it.
    pub const fn defaulted(mut self) -> Self {
        self.never_null = true;
        self
    }

    /// In the mutation inputs under this name.
    pub const fn input(mut self, name: &'static str) -> Self {
        self.input = Input::Named(name);
        self
    }

    /// Not in the mutation inputs.
    pub const fn no_input(mut self) -> Self {
        self.input = Input::Absent;
        self
    }

    /// Read by the kind's own mapping.
    pub const fn by_hand(mut self) -> Self {
        self.by_hand = true;
        self
    }

    /// The GraphQL field name it shows under, if any.
    pub fn graphql_name(&self) -> Option<String> {
        match self.graphql {
            Graphql::Camel => self.stored.map(camel),
            Graphql::Named(name) => Some(name.to_owned()),
            Graphql::Absent => None,
        }
    }

    /// The mutation input field name it shows under, if any.
    pub fn input_name(&self) -> Option<String> {
        match self.input {
            Input::AsGraphql => match self.graphql {
                Graphql::Named(name) => Some(name.to_owned()),
                _ => self.stored.map(camel),
            },
            Input::Named(name) => Some(name.to_owned()),
            Input::Absent => None,
        }
    }
}

/// A required column.
pub const fn req(name: &'static str, value: Value, doc: &'static str) -> Field {
    Field::new(name, true, value, doc)
}

/// An optional column.
pub const fn opt(name: &'static str, value: Value, doc: &'static str) -> Field {
    Field::new(name, false, value, doc)
}

/// Where the facts come from (every kind with provenance).
pub const SOURCE: Field = opt(
    "source",
    Value::Text,
    "where the facts come from (shown to users as provenance)",
);

/// When the source was published or last read (every kind with provenance): carried by files
/// and exports so a record keeps its date through an export and import; set by imports only.
pub const SOURCE_UPDATED_AT: Field = opt(
    "source_updated_at",
    Value::Date,
    "YYYY-MM-DD: when the source was published or last read (empty for sample records)",
)
.no_input();

/// An illustrative record (every kind with provenance).
pub const SAMPLE: Field = opt(
    "sample",
    Value::Flag(false),
    "true/false (default false): an illustrative record, not a real fact; lists and search can leave it out",
)
.no_input();

/// A record kind: its columns, in file and export order (the natural key first), and the
/// GraphQL type and inputs that show and change it.
#[derive(Clone, Copy, Debug)]
pub struct RecordKind {
    /// The import kind (`terms`).
    pub name: &'static str,
    /// The GraphQL object type, when the kind has one.
    pub graphql: Option<&'static str>,
    /// The create and update mutation inputs, when partners change it through the API.
    pub inputs: Option<(&'static str, &'static str)>,
    /// The columns.
    pub fields: &'static [Field],
}

impl RecordKind {
    /// A record kind shown by a GraphQL type and changed through inputs.
    pub const fn new(
        name: &'static str,
        graphql: Option<&'static str>,
        inputs: Option<(&'static str, &'static str)>,
        fields: &'static [Field],
    ) -> Self {
        RecordKind {
            name,
            graphql,
            inputs,
            fields,
        }
    }

    /// The column named `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// The GraphQL names of an enum, which are also the stored values.
pub fn names<T: EnumType>() -> Vec<&'static str> {
    T::items().iter().map(|i| i.name).collect()
}

/// `starts_on` → `startsOn`.
pub fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_of_stored_columns() {
        assert_eq!(camel("starts_on"), "startsOn");
        assert_eq!(camel("code"), "code");
        assert_eq!(camel("uc_approved_year"), "ucApprovedYear");
    }
}
