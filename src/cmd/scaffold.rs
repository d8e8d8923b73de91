//! `scimeter init` and `scimeter new provider`: start a catalog, add a provider from the
//! seed's evaluation checklist.

use crate::error::Error;
use crate::exit::ExitStatus;
use crate::model::Id;
use std::path::{Path, PathBuf};

/// The commented example provider (also shipped as `docs/examples/providers/example.toml`).
pub const EXAMPLE_PROVIDER: &str = include_str!("../../docs/examples/providers/example.toml");
/// The commented example scenario (also shipped as `docs/examples/scenarios/example.toml`).
pub const EXAMPLE_SCENARIO: &str = include_str!("../../docs/examples/scenarios/example.toml");
/// The commented quotes example written by `init` (every line commented: it changes nothing).
pub const EXAMPLE_QUOTES: &str = include_str!("../../docs/examples/quotes/example.toml");

const README_STUB: &str = "# Vendor evaluation catalog\n\nCreated by `scimeter init`.\n\n- `providers/`: one file per offering (add one with `scimeter new provider ID`).\n- `scenarios/`: one file per buyer situation.\n\nValidate with `scimeter check`, rank with `scimeter rank --scenario example`, and write\n`reports/` with `scimeter report`. The file format is described by `scimeter schema provider`\nand `scimeter schema scenario` (saved next to this file for editor validation).\n";

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.display().to_string(),
            source,
        })?;
    }
    // `create_new` refuses to overwrite: scaffolding never destroys someone's work.
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| Error::Write {
            path: path.display().to_string(),
            source,
        })?;
    std::io::Write::write_all(&mut f, bytes).map_err(|source| Error::Write {
        path: path.display().to_string(),
        source,
    })
}

/// `scimeter init [DIR]`.
pub fn init(dir: &Path) -> Result<(ExitStatus, String), Error> {
    let files: Vec<(PathBuf, Vec<u8>)> = vec![
        (
            dir.join("providers/example.toml"),
            EXAMPLE_PROVIDER.as_bytes().to_vec(),
        ),
        (
            dir.join("scenarios/example.toml"),
            EXAMPLE_SCENARIO.as_bytes().to_vec(),
        ),
        (
            dir.join("provider.schema.json"),
            super::schema::run(crate::cli::SchemaKind::Provider).into_bytes(),
        ),
        (
            dir.join("scenario.schema.json"),
            super::schema::run(crate::cli::SchemaKind::Scenario).into_bytes(),
        ),
        (
            dir.join("quotes/example.toml"),
            EXAMPLE_QUOTES.as_bytes().to_vec(),
        ),
        (dir.join("README.md"), README_STUB.as_bytes().to_vec()),
    ];
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| format!("`{}`", p.display()))
        .collect();
    if !existing.is_empty() {
        return Err(Error::usage(
            format!("refusing to overwrite {}", existing.join(", ")),
            Some("choose an empty directory: `scimeter init DIR`".into()),
        ));
    }
    for (p, b) in &files {
        write_new(p, b)?;
    }
    Ok((
        ExitStatus::Success,
        format!(
            "created a catalog in `{}`: providers/example.toml, scenarios/example.toml, quotes/example.toml (commented), schemas and a README\nnext: `scimeter --catalog {} check`\n",
            dir.display(),
            dir.display()
        ),
    ))
}

/// The provider template: the seed's checklist as comments, every fact unknown. `today` is
/// the creation date, used for `verified` and the placeholder source.
pub fn provider_template(id: &Id, today: crate::model::Date) -> String {
    format!(
        r#"# Provider `{id}`: fill in what you can confirm, cite a source for every fact, and leave
# the rest `unknown` (unknown is never the same as `none`). See docs/catalog.md and
# docs/schema.md. `scimeter check` validates the file and prints its research coverage;
# `scimeter schema provider` gives editors a JSON Schema.
#
# When you looked and could not establish a fact, say why and where you looked:
#   bulk = {{ status = "unknown", reason = "not_found", searched = "API reference, changelog" }}
#   reason = "unpublished" when the vendor does not publish it (ask them), "not_found" otherwise.

id = "{id}"
name = "{id}"                  # display name, e.g. the vendor
product = ""                   # the product evaluated, e.g. "Directory Sync"
url = "https://example.com"    # product page
kind = "vendor"                # vendor | self_hosted | alternative
verified = 2000-01-01          # set to the date you check these facts; until then `check` flags the file as stale
currency = "USD"
summary = ""
caveats = []                   # doubts a reader must know, shown in reports

# Every fact points at one of these by id.
[[sources]]
id = "docs"
url = "https://example.com/docs"
retrieved = {today}
note = "what this source is and how far to trust it"

# --- 1. Ease of implementation --------------------------------------------------------------
# Build vs buy: a managed endpoint you turn on, or one you write and maintain yourself?
# Can the customer's IT admin set it up themselves? Are there setup guides per IdP?
[ease]
endpoint = {{ value = "unknown" }}         # managed | self_hosted | self_built | not_applicable
admin_portal = {{ status = "unknown" }}    # ga | beta | early_access | preview | planned | none | unknown
setup_guides = {{ status = "unknown" }}
# integration_hours = {{ value = 40, source = "docs", estimate = true, note = "why" }}

# --- 2. SCIM features supported -------------------------------------------------------------
# Provisioning plus deprovisioning, group sync, role mapping, custom attributes, and the IdPs
# your customers use (tested, not merely claimed). /Bulk, /Me, sorting and POST /.search are
# rarely used (Entra ID never sends /Bulk): record them, but they weigh little.
[features]
scim = {{ status = "unknown" }}
sso = {{ status = "unknown" }}
provisioning = {{ status = "unknown" }}
deprovisioning = {{ status = "unknown" }}     # including soft delete below
soft_delete = {{ status = "unknown" }}        # PATCH active:false (what Okta and Entra ID send)
groups = {{ status = "unknown" }}
role_mapping = {{ status = "unknown" }}
custom_attributes = {{ status = "unknown" }}
bulk = {{ status = "unknown" }}
me = {{ status = "unknown" }}
sorting = {{ status = "unknown" }}
search = {{ status = "unknown" }}

# One table per IdP you can confirm: entra_id, okta, google_workspace, onelogin, jumpcloud,
# pingfederate, rippling, generic_scim. For Google Workspace, record group sync separately:
# Google's own SCIM push is user-only, so groups need a provider that pulls via the Admin SDK.
# [features.idps.okta]
# status = "ga"
# source = "docs"
# [features.idps.google_workspace]
# status = "ga"
# groups = "unknown"
# source = "docs"

# --- 4. Integration capabilities ------------------------------------------------------------
# Do synced users land as organization members with roles, or as flat records you map?
# Webhooks or an events API? Is the delivery order guaranteed? SDKs for your stack?
[integration]
membership = {{ value = "unknown" }}      # org_members | flat_records | unknown
webhooks = {{ status = "unknown" }}
events_api = {{ status = "unknown" }}
ordered_delivery = {{ status = "unknown" }}
# sdks = {{ value = ["node", "python"], source = "docs" }}

# --- 5. Prerequisites -----------------------------------------------------------------------
# Must an SSO (enterprise) connection exist before SCIM? Which plan or add-on does SCIM need?
[prerequisites]
sso_required = {{ value = "unknown" }}    # yes | no | unknown
scim_plan_gate = {{ value = "unknown" }}  # any_plan | paid_plan | addon | enterprise_plan | unknown

# --- 3. Pricing model -----------------------------------------------------------------------
# per_connection | bundled | per_mau | tier_gated | self_managed | unknown. Never invent a
# price: use "contact_sales", "unknown", or {{ status = "unknown", estimate = "…", note = "…" }}.
# Until a plan lists "scim", the provider is "unavailable" in cost reports.
[pricing]
model = "unknown"

# [[pricing.plans]]
# id = "standard"
# base_fee = "0"
# features = ["scim", "sso", "groups"]
# source = "docs"
#
# [[pricing.plans.charges]]
# meter = "directory_connections"   # directory_connections | sso_connections | enterprise_connections | mau | organizations | api_requests | flat
# included = 0
# mode = "graduated"                # graduated | volume (required with tiers)
# tiers = [
#   {{ up_to = 15, unit_price = "125" }},
#   {{ unit_price = "contact_sales" }},
# ]
"#
    )
}

/// `scimeter new provider ID`.
pub fn new_provider(catalog: &Path, id: &str) -> Result<(ExitStatus, String), Error> {
    let id = Id::parse(id).map_err(|e| {
        Error::usage(
            format!("invalid provider id: {e}"),
            Some("ids become file names: use lower-case letters, digits, `-` and `_`".into()),
        )
    })?;
    if !catalog.is_dir() {
        return Err(Error::usage(
            format!("catalog directory `{}` does not exist", catalog.display()),
            Some(format!(
                "create one with `scimeter init {}`",
                catalog.display()
            )),
        ));
    }
    let path = catalog.join("providers").join(format!("{id}.toml"));
    if path.exists() {
        return Err(Error::usage(
            format!("`{}` already exists", path.display()),
            Some("edit it, or choose another id".into()),
        ));
    }
    write_new(
        &path,
        provider_template(&id, crate::model::Date::today_utc()).as_bytes(),
    )?;
    let check = if catalog == Path::new(".") {
        "scimeter check".to_owned()
    } else {
        format!("scimeter --catalog {} check", catalog.display())
    };
    Ok((
        ExitStatus::Success,
        format!(
            "created `{}`: every fact is `unknown` until you confirm it\nnext: fill it in, then `{check}`\n",
            path.display()
        ),
    ))
}
