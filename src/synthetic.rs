//! Synthetic catalogs for benchmarks, fuzzing and scale tests: many providers with varied
//! pricing models and tiers, and scenarios with varied growth. Generated as TOML text and
//! loaded through the real loader, so they exercise the whole pipeline. Deterministic for a
//! given seed.

use crate::load::catalog::{Loaded, RawFile, load_files};
use crate::load::{Catalog, LoadOptions};
use crate::model::Date;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The TOML text of one synthetic provider.
pub fn provider_toml(i: usize, rng: &mut impl Rng) -> String {
    let statuses = [
        "ga",
        "ga",
        "ga",
        "beta",
        "early_access",
        "preview",
        "planned",
        "none",
        "unknown",
    ];
    let pick = |rng: &mut dyn rand::RngCore| statuses[rng.random_range(0..statuses.len())];
    let mut s = format!(
        "id = \"p{i:05}\"\nname = \"Provider {i}\"\nverified = 2026-09-20\n\n[[sources]]\nid = \"docs\"\nurl = \"https://example.com/p{i}\"\nretrieved = 2026-09-20\n\n"
    );
    s.push_str(&format!(
        "[ease]\nendpoint = {{ value = \"managed\", source = \"docs\" }}\nadmin_portal = {{ status = \"{}\", source = \"docs\" }}\nintegration_hours = {{ value = {}, source = \"docs\", estimate = true }}\n\n",
        pick(rng),
        rng.random_range(4..700)
    ));
    s.push_str("[features]\n");
    for f in [
        "scim",
        "provisioning",
        "deprovisioning",
        "soft_delete",
        "groups",
        "role_mapping",
        "custom_attributes",
        "bulk",
    ] {
        s.push_str(&format!(
            "{f} = {{ status = \"{}\", source = \"docs\" }}\n",
            if f == "scim" { "ga" } else { pick(rng) }
        ));
    }
    s.push_str(&format!(
        "\n[features.idps.okta]\nstatus = \"{}\"\nsource = \"docs\"\n\n[features.idps.google_workspace]\nstatus = \"{}\"\ngroups = \"{}\"\nsource = \"docs\"\n\n",
        pick(rng),
        pick(rng),
        pick(rng)
    ));
    s.push_str(&format!(
        "[integration]\nwebhooks = {{ status = \"{}\", source = \"docs\" }}\nsdks = {{ value = [\"node\", \"python\"], source = \"docs\" }}\n\n[prerequisites]\nsso_required = {{ value = \"{}\", source = \"docs\" }}\n\n",
        pick(rng),
        if rng.random_bool(0.5) { "yes" } else { "no" }
    ));
    let model = ["per_connection", "bundled", "per_mau", "tier_gated"][i % 4];
    s.push_str(&format!(
        "[pricing]\nmodel = \"{model}\"\nsource = \"docs\"\n\n"
    ));
    let base = rng.random_range(0..500);
    match model {
        "per_mau" => s.push_str(&format!(
            "[[pricing.plans]]\nid = \"main\"\nbase_fee = \"{base}\"\nfeatures = [\"scim\", \"sso\"]\nsource = \"docs\"\n\n[[pricing.plans.charges]]\nmeter = \"mau\"\nincluded = {}\nunit_price = \"0.0{}\"\n\n",
            rng.random_range(0..10_000),
            rng.random_range(10..99)
        )),
        "tier_gated" => s.push_str(&format!(
            "[[pricing.plans]]\nid = \"starter\"\nbase_fee = \"{base}\"\nfeatures = [\"sso\"]\nsource = \"docs\"\n\n[[pricing.plans]]\nid = \"pro\"\nbase_fee = \"{}\"\nfeatures = [\"scim\", \"sso\"]\nlimits = {{ directory_connections = {} }}\nsource = \"docs\"\n\n[[pricing.plans]]\nid = \"enterprise\"\nbase_fee = \"contact_sales\"\nfeatures = [\"scim\", \"sso\", \"role_mapping\"]\nsource = \"docs\"\n\n",
            base * 4 + 100,
            rng.random_range(10..500)
        )),
        _ => {
            let meter = if model == "bundled" { "sso_connections" } else { "directory_connections" };
            let mode = if rng.random_bool(0.5) { "graduated" } else { "volume" };
            let bands = rng.random_range(1..8);
            let mut up = 0u64;
            let mut price = rng.random_range(60..200);
            let mut tiers = Vec::new();
            for _ in 0..bands {
                up += rng.random_range(5..200);
                tiers.push(format!("{{ up_to = {up}, unit_price = \"{price}\" }}"));
                price = (price * 8 / 10).max(1);
            }
            tiers.push(if rng.random_bool(0.3) { "{ unit_price = \"contact_sales\" }".to_owned() } else { format!("{{ unit_price = \"{price}\" }}") });
            s.push_str(&format!(
                "[[pricing.plans]]\nid = \"main\"\nbase_fee = \"{base}\"\nfeatures = [\"scim\", \"sso\"]\nsource = \"docs\"\n\n[[pricing.plans.charges]]\nmeter = \"{meter}\"\nincluded = {}\nmode = \"{mode}\"\ntiers = [{}]\n\n",
                rng.random_range(0..5),
                tiers.join(", ")
            ));
        }
    }
    s
}

/// The TOML text of one synthetic scenario.
pub fn scenario_toml(i: usize, months: u32, rng: &mut impl Rng) -> String {
    let growth = match i % 4 {
        0 => format!(
            "kind = \"linear\"\nstart = {}\nend = {}",
            rng.random_range(1..50),
            rng.random_range(100..2000)
        ),
        1 => format!(
            "kind = \"compound\"\nstart = {}\nmonthly_rate = 0.05\ncap = 5000",
            rng.random_range(1..50)
        ),
        2 => format!(
            "kind = \"logistic\"\ncapacity = {}\nmidpoint_month = {}\nsteepness = 0.2",
            rng.random_range(100..3000),
            months / 2
        ),
        _ => format!(
            "kind = \"constant\"\ncustomers = {}",
            rng.random_range(10..1000)
        ),
    };
    format!(
        "id = \"s{i:03}\"\nname = \"Scenario {i}\"\nhorizon_months = {months}\nmilestones = [100, 1000]\n\n[growth]\n{growth}\n\n[usage]\nseats = {}\nactive_share = 0.{}\n\n[needs]\nprovisioning = \"required\"\ngroups = \"{}\"\n\n[weights]\nease = {}\npricing = {}\n\n[billing]\nescalator = \"0.05\"\n\n[engineering]\nhourly_rate = \"120\"\n",
        rng.random_range(10..5000),
        rng.random_range(1..9),
        if rng.random_bool(0.5) {
            "preferred"
        } else {
            "ignored"
        },
        rng.random_range(0..5),
        rng.random_range(1..5)
    )
}

/// Raw files of a synthetic catalog.
pub fn files(providers: usize, scenarios: usize, months: u32, seed: u64) -> Vec<RawFile> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(providers + scenarios);
    for i in 0..providers {
        out.push(RawFile {
            name: format!("providers/p{i:05}.toml"),
            bytes: provider_toml(i, &mut rng).into_bytes(),
            quotes: false,
        });
    }
    for i in 0..scenarios {
        out.push(RawFile {
            name: format!("scenarios/s{i:03}.toml"),
            bytes: scenario_toml(i, months, &mut rng).into_bytes(),
            quotes: false,
        });
    }
    out
}

/// Loads a synthetic catalog (panics only if the generator itself is wrong, which a test
/// guards against).
pub fn load(providers: usize, scenarios: usize, months: u32, seed: u64) -> Loaded {
    let as_of = Date::new(2026, 11, 28).unwrap_or(Date {
        year: 2026,
        month: 11,
        day: 28,
    });
    load_files(
        files(providers, scenarios, months, seed),
        LoadOptions {
            as_of,
            max_age_days: 10_000,
        },
    )
}

/// A loaded synthetic catalog, or `None` if it did not validate.
pub fn catalog(providers: usize, scenarios: usize, months: u32, seed: u64) -> Option<Catalog> {
    load(providers, scenarios, months, seed).catalog
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_catalogs_are_valid() {
        let loaded = super::load(40, 4, 24, 7);
        assert!(
            loaded.catalog.is_some(),
            "{}",
            loaded.diagnostics.render(&loaded.files)
        );
    }
}
