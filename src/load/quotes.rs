//! Buyer quotes: validated as strictly as the catalog (every problem located, with a
//! suggestion for a mistyped provider or price path), then written into the providers they
//! quote, each replaced price remembered so every output can label it.

use super::context::Ctx;
use super::diagnostic::{Diagnostic, Diagnostics};
use super::key_path::KeyPath;
use super::source_file::SourceFile;
use super::suggest::help_for;
use crate::model::pricing::{price_paths, visit_prices_mut};
use crate::model::quote::{AppliedQuote, QuoteFile};
use crate::model::{Price, Provider};
use std::collections::BTreeMap;

/// Checks every quote and, when a quote is valid, applies it to its provider.
pub(super) fn apply(
    quote_files: &[(usize, QuoteFile)],
    providers: &mut [(usize, Box<Provider>)],
    files: &[SourceFile],
    diags: &mut Diagnostics,
) {
    let ids: Vec<String> = providers.iter().map(|(_, p)| p.id().to_owned()).collect();
    // (provider, path) → where it was first quoted, to report duplicates.
    let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
    for (index, qf) in quote_files {
        let mut cx = Ctx::new(files, *index, diags);
        for (i, q) in qf.quotes.iter().enumerate() {
            let path = KeyPath::root().key("quotes").index(i);
            let Some(slot) = providers.iter().position(|(_, p)| p.id() == q.provider) else {
                cx.push(
                    &path.key("provider"),
                    Diagnostic::error(format!("quote for unknown provider `{}`", q.provider))
                        .expected("a provider id from `providers/`")
                        .help(help_for(&q.provider, ids.iter().map(String::as_str))),
                );
                continue;
            };
            let provider = &mut providers[slot].1;
            let paths = price_paths(&provider.pricing);
            if !paths.contains(&q.price) {
                cx.push(
                    &path.key("price"),
                    Diagnostic::error(format!(
                        "`{}` is not a price of provider `{}`",
                        q.price, q.provider
                    ))
                    .expected("a price path such as `pricing.plans.<plan id>.base_fee` or `pricing.plans.<plan id>.charges.<n>.tiers.<n>.unit_price`")
                    .help(help_for(&q.price, paths.iter().map(String::as_str))),
                );
                continue;
            }
            if q.amount.0.is_sign_negative() && !q.amount.0.is_zero() {
                cx.push(
                    &path.key("amount"),
                    Diagnostic::error(format!("negative quoted amount `{}`", q.amount.0))
                        .expected("an amount of 0 or more"),
                );
                continue;
            }
            if q.by.trim().is_empty() {
                cx.push(
                    &path.key("by"),
                    Diagnostic::error("a quote needs `by`: who quoted it")
                        .expected("a name, e.g. `by = \"Jane Doe, WorkOS account executive\"`"),
                );
                continue;
            }
            let key = (q.provider.clone(), q.price.clone());
            if let Some(first) = seen.get(&key) {
                cx.push(
                    &path.key("price"),
                    Diagnostic::error(format!("`{}` of `{}` is quoted twice", q.price, q.provider))
                        .expected("one quote per price")
                        .help(format!(
                            "the first quote is in `{first}`; keep the newer one"
                        )),
                );
                continue;
            }
            seen.insert(key, files[*index].name.clone());
            visit_prices_mut(&mut provider.pricing, &mut |p, price| {
                if p == q.price {
                    *price = Price::Known(q.amount.0);
                }
            });
            provider.quotes.push(AppliedQuote {
                price: q.price.clone(),
                amount: q.amount,
                date: q.date,
                by: q.by.clone(),
                file: files[*index].name.clone(),
            });
        }
    }
}
