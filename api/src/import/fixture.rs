//! A realistic `pubschls.txt` for tests and the benchmark (`cte-hub fixture
//! pubschls`): the CDE header and layout, a few real districts and high
//! schools (from the project's reference data), and generated rows to reach
//! the requested size. Generated rows use district numbers from 90000 up and
//! names saying "Fixture": they are test input, never served data.

use std::fmt::Write as _;

/// The header of the CDE file, in its order.
pub const HEADER: &[&str] = &[
    "CDSCode",
    "NCESDist",
    "NCESSchool",
    "StatusType",
    "County",
    "District",
    "School",
    "Street",
    "StreetAbr",
    "City",
    "Zip",
    "State",
    "MailStreet",
    "MailStrAbr",
    "MailCity",
    "MailZip",
    "MailState",
    "Phone",
    "Ext",
    "Website",
    "OpenDate",
    "ClosedDate",
    "Charter",
    "CharterNum",
    "FundingType",
    "DOC",
    "DOCType",
    "SOC",
    "SOCType",
    "EdOpsCode",
    "EdOpsName",
    "EILCode",
    "EILName",
    "GSoffered",
    "GSserved",
    "Virtual",
    "Magnet",
    "Latitude",
    "Longitude",
    "AdmFName1",
    "AdmLName1",
    "AdmEmail1",
    "AdmFName2",
    "AdmLName2",
    "AdmEmail2",
    "AdmFName3",
    "AdmLName3",
    "AdmEmail3",
    "LastUpdate",
];

/// Real districts and schools (CDS code, name, NCES district id) from `data/`.
const REAL: &[(&str, &str, &str)] = &[
    ("19645350000000", "El Segundo Unified", "0612210"),
    ("19645351932763", "El Segundo High", ""),
    ("19650600000000", "Torrance Unified", "0639420"),
    ("19650601938752", "Torrance High", ""),
    ("19650601936277", "North High", ""),
    ("19648730000000", "Paramount Unified", "0629850"),
    ("19648731936749", "Paramount High", ""),
];

const COUNTIES: &[&str] = &[
    "Alameda",
    "Fresno",
    "Kern",
    "Los Angeles",
    "Orange",
    "Riverside",
    "Sacramento",
    "San Bernardino",
    "San Diego",
    "Santa Clara",
];
const COUNTY_CODES: &[&str] = &["01", "10", "15", "19", "30", "33", "34", "36", "37", "43"];

/// A file of `rows` data rows (about one district per 20 schools).
pub fn pubschls(rows: usize) -> String {
    let mut out = String::with_capacity(rows * 220);
    out.push_str(&HEADER.join("\t"));
    out.push('\n');
    let mut written = 0;
    for (code, name, nces) in REAL {
        if written == rows {
            return out;
        }
        let district = code.ends_with("0000000");
        let (district_name, school) = if district {
            (*name, "No Data")
        } else {
            ("Fixture-era name of its district", *name)
        };
        let district_name = if district {
            district_name.to_owned()
        } else {
            REAL.iter()
                .find(|(c, _, _)| c[..7] == code[..7] && c.ends_with("0000000"))
                .map(|(_, n, _)| n.to_string())
                .unwrap_or_default()
        };
        line(
            &mut out,
            code,
            nces,
            "Active",
            "Los Angeles",
            &district_name,
            school,
            "Torrance",
            if district { "" } else { "9-12" },
            if district {
                None
            } else {
                Some((33.83, -118.34))
            },
        );
        written += 1;
    }
    let mut district_no = 0usize;
    let mut school_no = 0usize;
    while written < rows {
        let county = district_no % COUNTY_CODES.len();
        let district_code = format!("{}{:05}0000000", COUNTY_CODES[county], 90000 + district_no);
        let district_name = format!("Fixture Unified {district_no}");
        line(
            &mut out,
            &district_code,
            &format!("{:07}", 6_900_000 + district_no),
            "Active",
            COUNTIES[county],
            &district_name,
            "No Data",
            "No Data",
            "",
            None,
        );
        written += 1;
        for _ in 0..19 {
            if written == rows {
                break;
            }
            school_no += 1;
            let school_code = format!("{}{:07}", &district_code[..7], 1_000_000 + school_no);
            let status = if school_no.is_multiple_of(17) {
                "Closed"
            } else {
                "Active"
            };
            let grades = ["K-5", "6-8", "9-12", "K-12", "Adult"][school_no % 5];
            let coordinates = (!school_no.is_multiple_of(11)).then(|| {
                (
                    32.6 + (school_no % 900) as f64 * 0.01,
                    -124.0 + (school_no % 800) as f64 * 0.01,
                )
            });
            line(
                &mut out,
                &school_code,
                &format!("{:07}", 6_900_000 + district_no),
                status,
                COUNTIES[county],
                &district_name,
                &format!("Fixture School {school_no}"),
                &format!("City {}", school_no % 300),
                grades,
                coordinates,
            );
            written += 1;
        }
        district_no += 1;
    }
    out
}

fn line(
    out: &mut String,
    code: &str,
    nces_district: &str,
    status: &str,
    county: &str,
    district: &str,
    school: &str,
    city: &str,
    grades: &str,
    coordinates: Option<(f64, f64)>,
) {
    let nces_school = if nces_district.is_empty() || code.ends_with("0000000") {
        String::new()
    } else {
        format!("{:05}", code[9..].parse::<u32>().unwrap_or(0) % 100_000)
    };
    let (lat, lng) = match coordinates {
        Some((lat, lng)) => (format!("{lat:.5}"), format!("{lng:.5}")),
        None => ("No Data".to_owned(), "No Data".to_owned()),
    };
    let grades = if grades.is_empty() { "No Data" } else { grades };
    let _ = writeln!(
        out,
        "{code}\t{nces_district}\t{nces_school}\t{status}\t{county}\t{district}\t{school}\t1 Main St\t1 Main St.\t{city}\t90000\tCA\t1 Main St\t1 Main St.\t{city}\t90000\tCA\t(555) 010-0000\t\twww.example.org\t1980-07-01\t\tN\t\tNo Data\t00\tUnified School District\t66\tHigh Schools (Public)\tTRAD\tTraditional\tHS\tHigh School\t{grades}\t{grades}\tN\tN\t{lat}\t{lng}\tAda\tAdministrator\tadmin@example.org\t\t\t\t\t\t\t2026-06-01"
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn has_the_rows_asked_for() {
        let text = super::pubschls(100);
        assert_eq!(text.lines().count(), 101);
        assert!(text
            .lines()
            .all(|l| l.split('\t').count() == super::HEADER.len()));
    }
}
