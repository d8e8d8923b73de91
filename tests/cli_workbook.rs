//! `reports/workbook.xlsx` recalculated by `LibreOffice`.
//!
//! 1. Every milestone total and status on the `Cost_` sheets equals `milestones.csv`, and every
//!    monthly and cumulative cell on the `Proj_` sheets equals `costs.csv`, to the cent.
//! 2. What-if: the customer counts in the `Inputs` cells are edited inside the xlsx file (250
//!    and 1,400, which are not milestones), and the recalculated milestone columns equal
//!    `scimeter cost --at 250,1400`. This proves the formulas are live, not pasted values.
//!
//! The workbook is written with every formula's cached result left at 0, and `LibreOffice`'s
//! profile is set to recalculate on load, so a run that does not recalculate fails.
//!
//! Without `soffice` on `PATH` the tests print `SKIP: soffice not found` and pass, unless
//! `SCIMETER_REQUIRE_SOFFICE=1` (as in CI), when they fail.

use crate::common::{on_path, repo, scimeter};
use scimeter::report::scenario_report::ScenarioReport;
use scimeter::report::workbook::{cost_sheet, proj_sheet};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `soffice` on `PATH`, if any; otherwise prints the SKIP line (or fails when required).
fn soffice() -> Option<PathBuf> {
    let found = on_path("soffice");
    if found.is_none() {
        assert!(
            std::env::var("SCIMETER_REQUIRE_SOFFICE").as_deref() != Ok("1"),
            "SCIMETER_REQUIRE_SOFFICE=1 but `soffice` was not found (install `libreoffice-calc-nogui`)"
        );
        println!("SKIP: soffice not found");
    }
    found
}

/// A `LibreOffice` profile that recalculates every xlsx and ods formula on load.
fn write_profile(dir: &Path) {
    let user = dir.join("user");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::write(
        user.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
}

/// Converts every sheet of `bytes` to CSV with `LibreOffice` (recalculating on load); the
/// CSVs are `workbook-<Sheet>.csv` in the returned directory.
fn recalculate(soffice: &Path, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("workbook.xlsx");
    std::fs::write(&xlsx, bytes).unwrap();
    let profile = dir.path().join("profile");
    write_profile(&profile);
    let out = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&xlsx)
        .output()
        .expect("soffice runs");
    assert!(
        out.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

/// Reads CSV text into rows of fields.
fn parse_csv(data: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data)
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn sheet(dir: &Path, name: &str) -> Vec<Vec<String>> {
    let path = dir.join(format!("workbook-{name}.csv"));
    parse_csv(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Amount text to cents.
fn cents(s: &str) -> i64 {
    let v: f64 = s
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {s:?}"));
    (v * 100.0).round() as i64
}

/// The shipped catalog, its reports, and the workbook with no cached results.
fn shipped() -> scimeter::load::Catalog {
    scimeter::load::load_catalog(
        &repo(),
        scimeter::load::LoadOptions {
            as_of: "2026-03-01".parse::<scimeter::model::Date>().unwrap(),
            max_age_days: i64::MAX,
        },
    )
    .catalog
    .expect("the shipped catalog loads")
}

fn reports(catalog: &scimeter::load::Catalog) -> Vec<ScenarioReport<'_>> {
    let settings = scimeter::estimate::simulation::Settings { draws: 50, seed: 1 };
    catalog
        .scenarios
        .iter()
        .map(|s| ScenarioReport::build(catalog, s, settings).unwrap())
        .collect()
}

/// The milestone columns of a recalculated cost sheet: (provider name, customers) →
/// (monthly total cell, status cell).
fn milestone_cells(rows: &[Vec<String>]) -> BTreeMap<(String, u64), (String, String)> {
    let head = rows
        .iter()
        .find(|r| r.first().map(String::as_str) == Some("Provider"))
        .expect("a header row");
    // "Milestone 1 (100 customers)": the count in the header is the file's, so it is read
    // from the customers row instead (a what-if edit changes the count, not the header).
    let customers_row = rows
        .iter()
        .find(|r| r.get(2).map(String::as_str) == Some("Customers"))
        .expect("a customers row");
    let cols: Vec<(usize, u64)> = head
        .iter()
        .enumerate()
        .filter(|(_, h)| h.starts_with("Milestone "))
        .map(|(c, _)| (c, customers_row[c].parse().unwrap()))
        .collect();
    let mut out = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        if r.get(2).map(String::as_str) != Some("Monthly total") {
            continue;
        }
        let status = &rows[i + 1];
        assert_eq!(status[2], "Status");
        for &(c, n) in &cols {
            out.insert((r[0].clone(), n), (r[c].clone(), status[c].clone()));
        }
    }
    out
}

/// Compares recalculated milestone cells with rows of `milestones.csv` / `cost --format csv`.
fn compare_milestones(
    what: &str,
    cells: &BTreeMap<(String, u64), (String, String)>,
    expected: &[Vec<String>],
    name_of: &BTreeMap<String, String>,
) -> usize {
    let mut seen = 0;
    for row in expected.iter().skip(1) {
        let (id, n, status, monthly) = (&row[1], row[2].parse::<u64>().unwrap(), &row[5], &row[6]);
        let key = (name_of[id].clone(), n);
        let Some((cell, word)) = cells.get(&key) else {
            // An excluded provider has no total row; its status says so.
            assert_eq!(status, "unavailable", "{what}: {id} at {n} has no row");
            continue;
        };
        if monthly.is_empty() {
            assert!(
                cell.is_empty(),
                "{what}: {id} at {n} is {status}, not {cell}"
            );
        } else {
            assert_eq!(cents(cell), cents(monthly), "{what}: {id} at {n} customers");
        }
        let ok = match status.as_str() {
            "exact" | "estimate" | "quote" => word == "exact",
            "at_least" => word.starts_with('≥') && word.ends_with("+ unknown"),
            "unknown" => word == "unknown",
            "unavailable" => word == "unavailable",
            other => panic!("status {other}"),
        };
        assert!(ok, "{what}: {id} at {n}: {status} vs {word:?}");
        seen += 1;
    }
    seen
}

#[test]
fn libreoffice_recalculates_to_scimeters_figures() {
    let Some(soffice) = soffice() else { return };
    let catalog = shipped();
    let reports = reports(&catalog);
    let bytes = scimeter::report::workbook::workbook_with(&catalog, &reports, false).unwrap();
    let dir = recalculate(&soffice, &bytes);
    let mut compared = 0usize;
    for r in &reports {
        let sid = r.scenario.id();
        let name_of: BTreeMap<String, String> = r
            .providers
            .iter()
            .map(|p| (p.id().to_owned(), p.name.clone()))
            .collect();
        let expected = parse_csv(
            &std::fs::read(repo().join("reports").join(sid).join("milestones.csv")).unwrap(),
        );
        let cells = milestone_cells(&sheet(dir.path(), &cost_sheet(sid)));
        compared += compare_milestones(sid, &cells, &expected, &name_of);

        // Projection: each month's cost and the running total against costs.csv.
        let mut monthly: BTreeMap<(String, u32), i64> = BTreeMap::new();
        for row in
            parse_csv(&std::fs::read(repo().join("reports").join(sid).join("costs.csv")).unwrap())
                .into_iter()
                .skip(1)
        {
            let e = monthly
                .entry((row[1].clone(), row[2].parse().unwrap()))
                .or_default();
            // scenario, provider, month, calendar_month, customers, plan, kind, item, amount
            if !row[8].is_empty() {
                *e += cents(&row[8]);
            }
        }
        let proj = sheet(dir.path(), &proj_sheet(sid));
        let head = &proj[3];
        // A catalog above the workbook's cap models only the best-ranked providers, in
        // catalog order.
        let modelled: Vec<&str> = scimeter::report::workbook::modelled(r)
            .iter()
            .map(|p| p.id())
            .collect();
        for (k, p) in r
            .projection
            .projections
            .iter()
            .filter(|p| modelled.contains(&p.provider.as_str()))
            .enumerate()
        {
            let col = 2 + 2 * k;
            assert_eq!(head[col + 1], format!("{} cumulative", r.name(&p.provider)));
            let mut running = 0i64;
            for (m, pm) in p.months.iter().enumerate() {
                let this = monthly
                    .get(&(p.provider.clone(), pm.month))
                    .copied()
                    .unwrap_or_default();
                running += this;
                let row = &proj[4 + m];
                for (cell, want, shown) in [
                    (
                        &row[col],
                        this,
                        pm.total.amount().is_some() || has_floor(&pm.total),
                    ),
                    (
                        &row[col + 1],
                        running,
                        pm.cumulative.amount().is_some() || has_floor(&pm.cumulative),
                    ),
                ] {
                    if !shown {
                        assert_eq!(cell, "#N/A", "{sid} {} month {}", p.provider, pm.month);
                        continue;
                    }
                    assert_eq!(cents(cell), want, "{sid} {} month {}", p.provider, pm.month);
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 1000, "only {compared} cells compared");
}

fn has_floor(v: &scimeter::cost::CostValue) -> bool {
    matches!(v, scimeter::cost::CostValue::AtLeast { floor, .. } if !floor.is_zero())
}

/// Replaces the value of the `Inputs` cells named `<scenario>_customers_<k>` inside the xlsx
/// zip, as a user typing into them would.
fn edit_customers(bytes: &[u8], counts: &[(String, u64)]) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zin.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let book = read("xl/workbook.xml");
    let mut inputs = read("xl/worksheets/sheet2.xml");
    for (name, value) in counts {
        let tag = format!("<definedName name=\"{name}\">");
        let at = book
            .find(&tag)
            .unwrap_or_else(|| panic!("no defined name {name}"));
        let target = &book[at + tag.len()..];
        let target = &target[..target.find('<').unwrap()];
        let cell = target.trim_start_matches("Inputs!").replace('$', "");
        let open = format!("<c r=\"{cell}\"");
        let start = inputs
            .find(&open)
            .unwrap_or_else(|| panic!("no cell {cell}"));
        let v = start + inputs[start..].find("<v>").unwrap() + 3;
        let end = v + inputs[v..].find("</v>").unwrap();
        inputs.replace_range(v..end, &value.to_string());
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "xl/worksheets/sheet2.xml" {
            data = inputs.clone().into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn what_if_customer_counts_reprice_like_scimeter_cost() {
    let Some(soffice) = soffice() else { return };
    let catalog = shipped();
    let reports = reports(&catalog);
    let bytes = scimeter::report::workbook::workbook_with(&catalog, &reports, false).unwrap();
    let what_if = [250u64, 1400];
    let mut edits = Vec::new();
    for r in &reports {
        for (k, &count) in what_if
            .iter()
            .enumerate()
            .take(r.scenario.milestones().len())
        {
            let name = format!("{}_customers_{}", r.scenario.id(), k + 1).replace('-', "_");
            edits.push((name, count));
        }
    }
    let dir = recalculate(&soffice, &edit_customers(&bytes, &edits));
    let mut compared = 0;
    for r in &reports {
        let sid = r.scenario.id();
        let n = r.scenario.milestones().len().min(what_if.len());
        let at: Vec<String> = what_if[..n].iter().map(u64::to_string).collect();
        let out = scimeter()
            .args([
                "cost",
                "--scenario",
                sid,
                "--format",
                "csv",
                "--at",
                &at.join(","),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let name_of: BTreeMap<String, String> = r
            .providers
            .iter()
            .map(|p| (p.id().to_owned(), p.name.clone()))
            .collect();
        let cells = milestone_cells(&sheet(dir.path(), &cost_sheet(sid)));
        assert!(
            cells.keys().any(|(_, c)| *c == 250),
            "{sid}: the edited count reached the cost sheet"
        );
        compared += compare_milestones(
            &format!("{sid} what-if"),
            &cells,
            &parse_csv(&out.stdout),
            &name_of,
        );
    }
    assert!(compared >= 100, "only {compared} what-if cells compared");
}

/// calamine (a reader that never recalculates) opens the committed workbook and sees
/// scimeter's figures as the formulas' cached results: the cheapest provider on Summary, and
/// Stytch's fully known baseline total at 100 customers ($24,375.00 = 195 enterprise
/// connections above 5 free × $125, from `reports/baseline/milestones.csv`).
#[test]
fn calamine_reads_the_cached_results() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let bytes = std::fs::read(repo().join("reports/workbook.xlsx")).unwrap();
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("calamine opens it");
    let names = wb.sheet_names();
    assert_eq!(&names[..3], ["Summary", "Inputs", "Prices"]);
    assert!(
        names.contains(&"Cost_baseline".to_owned()) && names.contains(&"Proj_retrofit".to_owned())
    );
    let summary = wb.worksheet_range("Summary").unwrap();
    let texts: Vec<String> = summary
        .rows()
        .flatten()
        .filter_map(|c| match c {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(texts.iter().any(|t| t == "100: Stytch"), "{texts:?}");
    let cost = wb.worksheet_range("Cost_baseline").unwrap();
    let rows: Vec<&[Data]> = cost.rows().collect();
    let total = rows
        .iter()
        .position(|r| {
            r.first() == Some(&Data::String("Stytch".into()))
                && r.get(2) == Some(&Data::String("Monthly total".into()))
        })
        .expect("Stytch's monthly total row");
    assert_eq!(rows[total][3], Data::Float(24375.0));
    assert_eq!(rows[total + 1][3], Data::String("exact".into()));

    // Above the cap, the sheet names the providers it leaves out.
    let catalog = shipped();
    let reports = reports(&catalog);
    let r = reports
        .iter()
        .find(|r| r.scenario.id() == "baseline")
        .unwrap();
    let modelled = scimeter::report::workbook::modelled(r);
    let left_out: Vec<&str> = r
        .providers
        .iter()
        .filter(|p| !modelled.iter().any(|m| m.id() == p.id()))
        .map(|p| p.name.as_str())
        .collect();
    let note = rows.iter().flat_map(|r| r.iter()).find_map(|c| match c {
        Data::String(s) if s.starts_with("Not modelled on this sheet") => Some(s.clone()),
        _ => None,
    });
    if left_out.is_empty() {
        assert_eq!(note, None);
    } else {
        let note = note.expect("a note naming the providers left out");
        assert!(note.ends_with(&left_out.join(", ")), "{note}");
    }
}
