//! `scimeter init`, `scimeter new provider` and `scimeter new scenario`: start a catalog, add a
//! provider from the seed's evaluation checklist, add a scenario from the commented example.

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

/// Writes a new file whole or not at all, never over an existing one (scaffolding never
/// destroys someone's work).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.display().to_string(),
        source,
    })?;
    crate::report::writer::write_one(path, bytes, false).map_err(|source| Error::Write {
        path: path.display().to_string(),
        source,
    })
}

/// `scimeter init [DIR]`.
pub fn init(dir: &Path) -> Result<(ExitStatus, String), Error> {
    let files: Vec<(PathBuf, Vec<u8>)> = vec![
        (
            dir.join("providers/example.toml"),
            for_catalog(EXAMPLE_PROVIDER).into_bytes(),
        ),
        (
            dir.join("scenarios/example.toml"),
            for_catalog(EXAMPLE_SCENARIO).into_bytes(),
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
    // All or nothing: a failure part way removes the files this run wrote, so running
    // `init` again is not refused by half a catalog.
    for (i, (p, b)) in files.iter().enumerate() {
        if let Err(e) = write_new(p, b) {
            for (written, _) in &files[..i] {
                let _ = std::fs::remove_file(written);
            }
            return Err(e);
        }
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

/// An example file as it reads inside a catalog made by `init`: its comments point at the
/// schema files `init` writes next to `providers/` and `scenarios/` and at commands, not at
/// paths of scimeter's own repository.
pub fn for_catalog(example: &str) -> String {
    example
        .replace(
            "`scimeter schema provider > docs/examples/provider.schema.json`",
            "`scimeter schema provider > provider.schema.json` (`scimeter init` wrote it)",
        )
        .replace("scimeter check --catalog docs/examples", "scimeter check")
        .replace("docs/schema.md", "scimeter's docs/schema.md")
}

/// The scenario template: the commented example with the new id and name, a discount line
/// that names no provider (the example's `example` provider may not exist here), ready to
/// pass `scimeter check`.
pub fn scenario_template(id: &Id) -> String {
    for_catalog(EXAMPLE_SCENARIO)
        .replacen("id = \"example\"", &format!("id = \"{id}\""), 1)
        .replacen(
            "name = \"Example: 50 customers growing 8 % a month, capped at 400\"",
            &format!("name = \"{id}: 50 customers growing 8 % a month, capped at 400 (edit me)\""),
            1,
        )
        .replacen(
            "(`scenarios/example.toml`)",
            &format!("(`scenarios/{id}.toml`)"),
            1,
        )
        .replacen(
            "discounts = { example = \"0.1\" }",
            "discounts = {}                    # e.g. { workos = \"0.1\" }:",
            1,
        )
}

/// The provider template: the seed's checklist as comments, every fact unknown. `today` is
/// the creation date, used for `verified` and the placeholder source.
pub fn provider_template(id: &Id, today: crate::model::Date) -> String {
    format!(
        r#"#:schema ../provider.schema.json
# ^ Optional: editor validation with taplo / Even Better TOML against the schema `scimeter
#   init` wrote (or `scimeter schema provider > provider.schema.json`). scimeter ignores it.
#
# Provider `{id}`: fill in what you can confirm, cite a source for every fact, and leave
# the rest `unknown` (unknown is never the same as `none`). See scimeter's docs/catalog.md
# and docs/schema.md. `scimeter check` validates the file and prints its research coverage;
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

/// `scimeter new scenario ID`.
pub fn new_scenario(catalog: &Path, id: &str) -> Result<(ExitStatus, String), Error> {
    let id = Id::parse(id).map_err(|e| {
        Error::usage(
            format!("invalid scenario id: {e}"),
            Some(
                "ids become file and directory names: use lower-case letters, digits, `-` and `_`"
                    .into(),
            ),
        )
    })?;
    let path = catalog.join("scenarios").join(format!("{id}.toml"));
    create_in_catalog(catalog, &path, scenario_template(&id).as_bytes())?;
    Ok((
        ExitStatus::Success,
        format!(
            "created `{}` from the commented example: every key is set; change what differs for your situation\nnext: `{}`, then `{}`\n",
            path.display(),
            command(catalog, "check"),
            command(catalog, &format!("rank --scenario {id}"))
        ),
    ))
}

/// `scimeter CMD` as the user would type it for this catalog.
fn command(catalog: &Path, cmd: &str) -> String {
    if catalog == Path::new(".") {
        format!("scimeter {cmd}")
    } else {
        format!("scimeter --catalog {} {cmd}", catalog.display())
    }
}

/// Writes a new file into an existing catalog, refusing to overwrite one.
fn create_in_catalog(catalog: &Path, path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if !catalog.is_dir() {
        return Err(Error::usage(
            format!("catalog directory `{}` does not exist", catalog.display()),
            Some(format!(
                "create one with `scimeter init {}`",
                catalog.display()
            )),
        ));
    }
    if path.exists() {
        return Err(Error::usage(
            format!("`{}` already exists", path.display()),
            Some("edit it, or choose another id".into()),
        ));
    }
    // `check` does not read a `providers/` that links out of the catalog; `new` must not
    // write through one either.
    let dir = path.parent().unwrap_or(catalog);
    if let (Ok(root), Ok(real)) = (catalog.canonicalize(), dir.canonicalize())
        && !real.starts_with(&root)
    {
        return Err(Error::usage(
            format!(
                "`{}` is a symbolic link that leaves the catalog; nothing was written",
                dir.display()
            ),
            Some("replace the link with a directory inside the catalog".into()),
        ));
    }
    write_new(path, bytes)
}

/// `scimeter new provider ID`.
pub fn new_provider(catalog: &Path, id: &str) -> Result<(ExitStatus, String), Error> {
    let id = Id::parse(id).map_err(|e| {
        Error::usage(
            format!("invalid provider id: {e}"),
            Some("ids become file names: use lower-case letters, digits, `-` and `_`".into()),
        )
    })?;
    let path = catalog.join("providers").join(format!("{id}.toml"));
    create_in_catalog(
        catalog,
        &path,
        provider_template(&id, crate::model::Date::today_utc()).as_bytes(),
    )?;
    Ok((
        ExitStatus::Success,
        format!(
            "created `{}`: every fact is `unknown` until you confirm it\nnext: fill it in, then `{}`\n",
            path.display(),
            command(catalog, "check")
        ),
    ))
}
