//! Property tests of the import readers: any bytes, and generated CSV, TSV and JSON, are read
//! or refused with [`ImportError::Unreadable`], and every typed cell getter answers or records
//! a rejection; nothing panics. Fixed seed and budget; `PROPTEST_CASES` and
//! `PROPTEST_RNG_SEED` run them longer by hand (docs/fuzzing.md).

use proptest::{
    prelude::*,
    test_runner::{Config, RngSeed},
};

use super::{Format, Table};
use crate::import::{pubschls, ImportError};

/// The fixed seed of every property here (`PROPTEST_RNG_SEED` overrides it).
const SEED: u64 = 0x00C7_E4B1;

/// `cases` cases from the fixed seed, unless `PROPTEST_CASES` / `PROPTEST_RNG_SEED` say
/// otherwise; no regression files (kept cases are plain tests below).
fn config(cases: u32) -> Config {
    let base = Config::default();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            base.cases
        } else {
            cases
        },
        rng_seed: match base.rng_seed {
            RngSeed::Random => RngSeed::Fixed(SEED),
            fixed => fixed,
        },
        failure_persistence: None,
        ..base
    }
}

/// Column names the catalogue kinds use, plus hostile ones.
const COLUMNS: &[&str] = &[
    "code",
    "name",
    "Program Code",
    "startDate",
    "latitude",
    "CDSCode",
    "",
    " code ",
    "\u{feff}code",
    "na\u{0}me",
    "\u{202e}edoc",
];

/// Calls every typed getter on every column of every row (and on `extra` columns).
fn exercise(table: &Table, extra: &[&str]) {
    let _ = (table.len(), table.is_empty(), table.headers().len());
    let columns: Vec<String> = table
        .headers()
        .iter()
        .cloned()
        .chain(extra.iter().map(|c| (*c).to_owned()))
        .collect();
    for mut row in table.rows() {
        for column in &columns {
            let _ = table.has(column);
            let _ = row.has(column);
            let _ = row.text(column);
            let _ = row.required(column);
            let _ = row.int(column);
            let _ = row.float(column);
            let _ = row.flag(column, false);
            let _ = row.date(column);
            let _ = row.required_date(column);
            let _ = row.choice(column, &["CCAP", "ARTICULATION", "FALL_TERM"]);
            let _ = row.required_choice(column, &["A", "B"]);
            let _ = row.choices(column, &["A", "B", "C_D"]);
        }
        let _ = row.take_rejections();
    }
}

/// Reads `bytes` the way `POST /import/{kind}` does (decode, then read) in every format.
fn read_every_way(bytes: &[u8]) -> Result<(), TestCaseError> {
    let text = match pubschls::decode(bytes) {
        Ok(text) => text,
        Err(ImportError::Unreadable(_)) => return Ok(()),
        Err(other) => {
            return Err(TestCaseError::fail(format!(
                "decode failed with something else than Unreadable: {other}"
            )))
        }
    };
    for format in [Format::Csv, Format::Tsv, Format::Json] {
        for markers in [&[][..], &["No Data"][..]] {
            match Table::read(&text, format, markers) {
                Ok(table) => exercise(&table, COLUMNS),
                Err(ImportError::Unreadable(_)) => {}
                Err(other) => {
                    return Err(TestCaseError::fail(format!(
                        "{format:?} read failed with something else than Unreadable: {other}"
                    )))
                }
            }
        }
    }
    Ok(())
}

/// A cell as a partner's spreadsheet (or an attacker) could write it.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 _-]{0,10}",
        "-?[0-9,]{1,12}(\\.[0-9]{0,4})?",
        "(19|20|99)[0-9]{2}-[0-9]{2}-[0-9]{2}(T00:00:00Z| 12:00)?",
        "(yes|no|y|n|true|false|1|0|No Data|maybe)",
        "[\",;\t\r\n\u{0}\u{1}\u{1b}\u{7f}\u{200b}\u{202e}\u{feff}\u{fffd}a]{0,8}",
        "(NaN|inf|-inf|1e999|0x10|\u{ff11}\u{ff12})",
        any::<String>(),
    ]
}

/// CSV with quoting, or TSV without, rows of any width, either line ending.
fn delimited_file() -> impl Strategy<Value = (String, Format)> {
    (
        prop::collection::vec(
            prop_oneof![
                prop::sample::select(COLUMNS).prop_map(str::to_owned),
                cell()
            ],
            0..8,
        ),
        prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..12),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(header, rows, tsv, crlf, bom)| {
            let (separator, format) = if tsv {
                ('\t', Format::Tsv)
            } else {
                (',', Format::Csv)
            };
            let end = if crlf { "\r\n" } else { "\n" };
            let quote = |cell: &String| {
                if tsv || !cell.contains([',', '"', '\n', '\r']) {
                    cell.clone()
                } else {
                    format!("\"{}\"", cell.replace('"', "\"\""))
                }
            };
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            for line in std::iter::once(&header).chain(&rows) {
                let cells: Vec<String> = line.iter().map(quote).collect();
                text.push_str(&cells.join(&separator.to_string()));
                text.push_str(end);
            }
            (text, format)
        })
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        cell().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    prop::sample::select(COLUMNS).prop_map(str::to_owned),
                    cell()
                ],
                inner,
                0..5
            )
            .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

/// One JSON import record: some columns, any values.
fn json_row() -> impl Strategy<Value = serde_json::Value> {
    prop::collection::btree_map(
        prop_oneof![
            prop::sample::select(COLUMNS).prop_map(str::to_owned),
            cell()
        ],
        json_value(),
        0..6,
    )
    .prop_map(|map| serde_json::Value::Object(map.into_iter().collect()))
}

/// A JSON import: an array of objects, `{"rows": [...]}`, or any other JSON.
fn json_file() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        prop::collection::vec(json_row(), 0..8).prop_map(serde_json::Value::from),
        prop::collection::vec(json_row(), 0..8)
            .prop_map(|rows| serde_json::json!({ "rows": rows })),
        json_value(),
    ]
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn any_bytes_are_read_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        read_every_way(&bytes)?;
    }

    #[test]
    fn generated_csv_and_tsv_are_read_or_refused((text, format) in delimited_file()) {
        match Table::read(&text, format, &[]) {
            Ok(table) => exercise(&table, COLUMNS),
            Err(ImportError::Unreadable(_)) => {}
            Err(other) => return Err(TestCaseError::fail(format!("not Unreadable: {other}"))),
        }
        read_every_way(text.as_bytes())?;
    }

    #[test]
    fn generated_json_is_read_or_refused(value in json_file()) {
        let text = value.to_string();
        match Table::read(&text, Format::Json, &[]) {
            Ok(table) => exercise(&table, COLUMNS),
            Err(ImportError::Unreadable(_)) => {}
            Err(other) => return Err(TestCaseError::fail(format!("not Unreadable: {other}"))),
        }
        match Table::from_json(value) {
            Ok(table) => exercise(&table, COLUMNS),
            Err(ImportError::Unreadable(_)) => {}
            Err(other) => return Err(TestCaseError::fail(format!("not Unreadable: {other}"))),
        }
    }
}

/// Windows-1252 bytes (no UTF-8 letters) decode; a UTF-8 file with one stray byte is refused.
#[test]
fn mixed_encodings_are_decoded_or_refused() {
    assert!(pubschls::decode(b"code,name\r\nA,Caf\xe9\r\n").is_ok());
    let mut stray = "code,name\nA,Café\n".as_bytes().to_vec();
    stray.push(0xff);
    assert!(matches!(
        pubschls::decode(&stray),
        Err(ImportError::Unreadable(_))
    ));
}

/// A NUL in a cell is read as text (whether a database can store it is the write path's job).
#[test]
fn a_nul_in_a_cell_is_read_as_text() {
    let table = Table::read("code,name\nA,na\u{0}me\n", Format::Csv, &[]).expect("reads");
    let mut rows = table.rows();
    let row = rows.next().expect("a row");
    assert_eq!(row.text("name").as_deref(), Some("na\u{0}me"));
}
