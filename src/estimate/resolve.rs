//! A draw made concrete: the catalog with every drawn input written in as a published
//! value, so the exact engine can price it to the cent (percentile figures are such
//! re-priced draws).

use super::input::Inputs;
use crate::model::pricing::{TierMode, visit_prices_mut};
use crate::model::range::Scalar;
use crate::model::{Price, Provider, Ranged, Scenario};
use rust_decimal::Decimal;

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
        if let Some(v) = get(&super::cost_model::discount_path(id)) {
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
