//! `reports/workbook.xlsx` recalculated by `LibreOffice`: every milestone total on the `Cost_`
//! sheets equals `milestones.csv`, and every cumulative cell on the `Proj_` sheets equals the
//! running sum of `costs.csv`, to the cent.
//!
//! The workbook is written with every formula's cached result left at 0, and `LibreOffice`'s
//! profile is set to recalculate on load, so a run that does not recalculate fails.
//!
//! Without `soffice` on `PATH` the test prints `SKIP: soffice not found` and passes, unless
//! `SCIMETER_REQUIRE_SOFFICE=1` (as in CI), when it fails.

use crate::common::repo;
use scimeter::report::scenario_report::ScenarioReport;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `soffice` on `PATH`, if any.
fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("soffice"))
        .find(|c| c.is_file())
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

/// Reads a CSV file into rows of fields.
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Amount text to cents.
fn cents(s: &str) -> i64 {
    let v: f64 = s
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {s:?}"));
    (v * 100.0).round() as i64
}

#[test]
fn libreoffice_recalculates_to_scimeters_figures() {
    let Some(soffice) = soffice() else {
        assert!(
            std::env::var("SCIMETER_REQUIRE_SOFFICE").as_deref() != Ok("1"),
            "SCIMETER_REQUIRE_SOFFICE=1 but `soffice` was not found (install `libreoffice-calc-nogui`)"
        );
        println!("SKIP: soffice not found");
        return;
    };
    let loaded = scimeter::load::load_catalog(
        &repo(),
        scimeter::load::LoadOptions {
            as_of: "2026-03-01".parse::<scimeter::model::Date>().unwrap(),
            max_age_days: i64::MAX,
        },
    );
    let catalog = loaded.catalog.expect("the shipped catalog loads");
    let settings = scimeter::estimate::simulation::Settings { draws: 50, seed: 1 };
    let reports: Vec<ScenarioReport<'_>> = catalog
        .scenarios
        .iter()
        .map(|s| ScenarioReport::build(&catalog, s, settings).unwrap())
        .collect();
    let bytes = scimeter::report::workbook::workbook_with(&catalog, &reports, false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("workbook.xlsx");
    std::fs::write(&xlsx, bytes).unwrap();
    let profile = dir.path().join("profile");
    write_profile(&profile);
    let out = Command::new(&soffice)
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

    let mut compared = 0usize;
    for r in &reports {
        let sid = r.scenario.id();
        let by_name: BTreeMap<String, String> = r
            .providers
            .iter()
            .map(|p| (p.name.clone(), p.id().to_owned()))
            .collect();

        // Milestones: the "Monthly total" rows against milestones.csv.
        let expected: BTreeMap<(String, String), (String, String)> =
            read_csv(&repo().join("reports").join(sid).join("milestones.csv"))
                .into_iter()
                .skip(1)
                .map(|row| {
                    (
                        (row[1].clone(), row[2].clone()),
                        (row[5].clone(), row[6].clone()),
                    )
                })
                .collect();
        let sheet = dir.path().join(format!(
            "workbook-{}.csv",
            scimeter::report::workbook::cost_sheet(sid)
        ));
        let mut seen = 0;
        for row in read_csv(&sheet) {
            if row.get(4).map(String::as_str) != Some("Monthly total") {
                continue;
            }
            let id = &by_name[&row[0]];
            let (status, monthly) = &expected[&(id.clone(), row[1].clone())];
            if monthly.is_empty() {
                assert!(
                    row[5].is_empty(),
                    "{sid} {id} at {}: {status}, not {}",
                    row[1],
                    row[5]
                );
            } else {
                assert_eq!(
                    cents(&row[5]),
                    cents(monthly),
                    "{sid} {id} at {} customers",
                    row[1]
                );
            }
            seen += 1;
        }
        assert_eq!(
            seen,
            expected.len(),
            "{sid}: every milestone row is on the sheet"
        );
        compared += seen;

        // Projection: every cumulative cell against the running sum of costs.csv.
        let mut monthly: BTreeMap<(String, u32), i64> = BTreeMap::new();
        for row in read_csv(&repo().join("reports").join(sid).join("costs.csv"))
            .into_iter()
            .skip(1)
        {
            let month: u32 = row[2].parse().unwrap();
            let e = monthly.entry((row[1].clone(), month)).or_default();
            if !row[7].is_empty() {
                *e += cents(&row[7]);
            }
        }
        let proj = read_csv(&dir.path().join(format!(
            "workbook-{}.csv",
            scimeter::report::workbook::proj_sheet(sid)
        )));
        let head = &proj[3];
        for (k, p) in r.projection.projections.iter().enumerate() {
            let col = 3 + 2 * k;
            assert_eq!(head[col], format!("{} cumulative", r.name(&p.provider)));
            let mut running = 0i64;
            for (m, pm) in p.months.iter().enumerate() {
                running += monthly
                    .get(&(p.provider.clone(), pm.month))
                    .copied()
                    .unwrap_or_default();
                let cell = &proj[4 + m][col];
                if pm.cumulative.amount().is_none() && cell.is_empty() {
                    continue;
                }
                assert_eq!(
                    cents(cell),
                    running,
                    "{sid} {} cumulative at month {}",
                    p.provider,
                    pm.month
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "only {compared} cells compared");
}
