//! A draw made concrete: the catalog with every drawn input written in as a published
//! value, so the exact engine can price it to the cent (percentile figures are such
//! re-priced draws).

use super::cost_model::{addon_path, charge_path, plan_path};
use super::input::Inputs;
use crate::model::pricing::{Charge, Pricing, TierMode};
use crate::model::range::Scalar;
use crate::model::{Price, Provider, Ranged, Scenario};
use rust_decimal::Decimal;

/// Calls `f` with the path and a mutable reference of every price in a provider's pricing.
/// Paths: `pricing.plans.<id>.base_fee`, `….annual_base_fee`, `….charges.<i>.unit_price`,
/// `….charges.<i>.tiers.<j>.unit_price` / `flat_fee`, `pricing.addons.<id>.fee`,
/// `pricing.one_time.<id>.amount`, `pricing.recurring.<id>.amount`, `pricing.hourly_rate`.
pub fn visit_prices_mut(pricing: &mut Pricing, f: &mut dyn FnMut(&str, &mut Price)) {
    if let Some(r) = pricing.hourly_rate.as_mut() {
        f("pricing.hourly_rate", r);
    }
    for plan in &mut pricing.plans {
        let path = plan_path(plan);
        if let Some(p) = plan.base_fee.as_mut() {
            f(&format!("{path}.base_fee"), p);
        }
        if let Some(p) = plan.annual_base_fee.as_mut() {
            f(&format!("{path}.annual_base_fee"), p);
        }
        for (i, c) in plan.charges.iter_mut().enumerate() {
            visit_charge(&charge_path(&path, i), c, f);
        }
    }
    for addon in &mut pricing.addons {
        let path = addon_path(addon);
        if let Some(p) = addon.fee.as_mut() {
            f(&format!("{path}.fee"), p);
        }
        for (i, c) in addon.charges.iter_mut().enumerate() {
            visit_charge(&charge_path(&path, i), c, f);
        }
    }
    for o in &mut pricing.one_time {
        if let Some(p) = o.amount.as_mut() {
            f(&format!("pricing.one_time.{}.amount", o.id), p);
        }
    }
    for r in &mut pricing.recurring {
        if let Some(p) = r.amount.as_mut() {
            f(&format!("pricing.recurring.{}.amount", r.id), p);
        }
    }
}

fn visit_charge(path: &str, c: &mut Charge, f: &mut dyn FnMut(&str, &mut Price)) {
    if let Some(p) = c.unit_price.as_mut() {
        f(&format!("{path}.unit_price"), p);
    }
    for (j, t) in c.tiers.iter_mut().flatten().enumerate() {
        f(&format!("{path}.tiers.{j}.unit_price"), &mut t.unit_price);
        if let Some(p) = t.flat_fee.as_mut() {
            f(&format!("{path}.tiers.{j}.flat_fee"), p);
        }
    }
}

/// Every price path of a provider, in file order.
pub fn price_paths(provider: &Provider) -> Vec<String> {
    let mut pricing = provider.pricing.clone();
    let mut out = Vec::new();
    visit_prices_mut(&mut pricing, &mut |path, _| out.push(path.to_owned()));
    out
}

fn dec(v: f64) -> Decimal {
    <Decimal as Scalar>::from_float(v).unwrap_or_default()
}

/// The provider with draw `d`'s values written in: estimated prices become published ones,
/// ranged hours become points, and unstated tier modes become the drawn mode.
pub fn provider_at(p: &Provider, inputs: &Inputs, draws: &[Vec<f64>], d: usize) -> Provider {
    let mut out = p.clone();
    let id = p.id().to_owned();
    visit_prices_mut(&mut out.pricing, &mut |path, price| {
        if let Some(i) = inputs.find(&format!("{id}:{path}")) {
            *price = Price::Known(dec(draws[i][d]));
        } else if let Price::Unpublished {
            estimate: Some(e), ..
        } = price
            && e.is_point()
        {
            *price = Price::Known(e.likely);
        }
    });
    let hours = |path: String, h: &mut Option<Ranged<Decimal>>| {
        if let (Some(i), Some(r)) = (inputs.find(&format!("{id}:{path}")), h.as_mut()) {
            *r = Ranged::point(dec(draws[i][d]));
        }
    };
    for o in &mut out.pricing.one_time {
        hours(format!("pricing.one_time.{}.hours", o.id), &mut o.hours);
    }
    for r in &mut out.pricing.recurring {
        hours(format!("pricing.recurring.{}.hours", r.id), &mut r.hours);
    }
    if let Some(i) = inputs.find(&format!("{id}:pricing.tier_mode")) {
        let mode = if draws[i][d] >= 0.5 {
            TierMode::Graduated
        } else {
            TierMode::Volume
        };
        let charges = out
            .pricing
            .plans
            .iter_mut()
            .flat_map(|p| p.charges.iter_mut())
            .chain(
                out.pricing
                    .addons
                    .iter_mut()
                    .flat_map(|a| a.charges.iter_mut()),
            );
        for c in charges {
            if c.mode == Some(TierMode::Unstated) {
                c.mode = Some(mode);
                c.graduated_share = None;
            }
        }
    }
    out
}

/// The scenario with draw `d`'s assumptions written in.
pub fn scenario_at(s: &Scenario, inputs: &Inputs, draws: &[Vec<f64>], d: usize) -> Scenario {
    let mut out = s.clone();
    let get = |path: &str| {
        inputs
            .find(&format!("scenario:{path}"))
            .map(|i| draws[i][d])
    };
    for (id, r) in &mut out.billing.discounts {
        if let Some(v) = get(&format!("billing.discounts.{id}")) {
            *r = Ranged::point(dec(v));
        }
    }
    if let (Some(v), Some(r)) = (
        get("engineering.hourly_rate"),
        out.engineering.hourly_rate.as_mut(),
    ) {
        *r = Ranged::point(dec(v));
    }
    if let Some(v) = get("usage.seats") {
        out.usage.seats = Ranged::point(v);
    }
    if let Some(v) = get("usage.active_share") {
        out.usage.active_share = Ranged::point(v);
    }
    if let (Some(v), Some(r)) = (get("growth.end"), out.growth.end.as_mut()) {
        *r = Ranged::point(v);
    }
    out
}
