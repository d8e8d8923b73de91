//! One provider's cost under a scenario as a fast function of the uncertain inputs.
//!
//! For fixed meters and a fixed tier mode, a plan's vendor cost is linear in its unpublished
//! prices: `constant + Σ units × price`. The bands and units come from the exact engine
//! ([`schedule::evaluate_in`]) once per distinct meter reading, so a draw only evaluates dot
//! products. The monthly cost is then `vendor × fx × (1 − discount) × escalator + Σ hours ×
//! rate`. Percentile figures are re-priced exactly (see [`super::resolve`]), so floats never
//! reach a money figure a person reads.

use super::input::{Dist, Draws, Input, InputKind, Inputs};
use crate::cost::meters::{Meters, UsageRates};
use crate::cost::quote::{QuoteContext, eligibility};
use crate::cost::schedule::{self, group};
use crate::model::pricing::{AddOn, Charge, Plan, TierMode};
use crate::model::scenario::Cycle;
use crate::model::{Price, Provider, Ranged, Scenario};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::collections::HashMap;
use std::rc::Rc;

/// A value in the cost formula: a constant, an input's draw, or missing (an unpublished
/// price with no estimate).
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Known.
    Const(f64),
    /// The draw of input `i`, times a factor (a currency conversion; 1 otherwise).
    Input(usize, f64),
    /// Not estimated: why.
    Missing(String),
}

impl Val {
    pub(crate) fn get(&self, draws: &[Vec<f64>], d: usize) -> Option<f64> {
        match self {
            Val::Const(v) => Some(*v),
            Val::Input(i, k) => Some(draws[*i][d] * k),
            Val::Missing(_) => None,
        }
    }
}

/// `constant + Σ coefficient × input` (vendor fees of one plan at one meter reading).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Linear {
    /// The published part.
    pub constant: f64,
    /// `(input index, coefficient)`.
    pub terms: Vec<(usize, f64)>,
    /// The first unpublished price without an estimate, if any.
    pub missing: Option<String>,
}

impl Linear {
    fn add(&mut self, val: Val, coef: f64) {
        if coef == 0.0 {
            return;
        }
        match val {
            Val::Const(v) => self.constant += v * coef,
            Val::Input(i, k) => match self.terms.iter_mut().find(|(j, _)| *j == i) {
                Some(t) => t.1 += coef * k,
                None => self.terms.push((i, coef * k)),
            },
            Val::Missing(why) => {
                if self.missing.is_none() {
                    self.missing = Some(why);
                }
            }
        }
    }

    /// The value in draw `d`.
    pub fn eval(&self, draws: &[Vec<f64>], d: usize) -> f64 {
        self.terms
            .iter()
            .fold(self.constant, |acc, &(i, c)| acc + c * draws[i][d])
    }
}

/// The eligible plans' vendor costs at one meter reading, per tier-mode variant.
#[derive(Debug, Clone, Default)]
pub struct PointForms {
    /// `[graduated, volume]` when the provider has an unstated tier table, else one variant.
    pub variants: Vec<Vec<Linear>>,
    /// Why no plan is eligible, when none is.
    pub unavailable: Option<String>,
}

/// An hours × rate cost, or a fixed amount.
#[derive(Debug, Clone)]
struct Labor {
    amount: Val,
    hours: Val,
    rate: Val,
    /// True for an amount (no hours × rate).
    fixed: bool,
    month: u32,
}

impl Labor {
    fn eval(&self, draws: &[Vec<f64>], d: usize) -> Option<f64> {
        if self.fixed {
            self.amount.get(draws, d)
        } else {
            Some(self.hours.get(draws, d)? * self.rate.get(draws, d)?)
        }
    }

    fn missing(&self) -> Option<&str> {
        let vals: &[&Val] = if self.fixed {
            &[&self.amount]
        } else {
            &[&self.hours, &self.rate]
        };
        vals.iter().find_map(|v| match v {
            Val::Missing(w) => Some(w.as_str()),
            _ => None,
        })
    }
}

/// The cost of one draw at one point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DrawCost {
    /// Defined.
    Cost(f64),
    /// Some needed price has no estimate.
    Undefined,
    /// No plan can serve this usage.
    Unavailable,
}

/// A provider's cost model under a scenario.
#[derive(Clone)]
pub struct CostModel<'a> {
    cx: QuoteContext<'a>,
    fx: f64,
    discount: Val,
    escalator: f64,
    mode_input: Option<usize>,
    recurring: Vec<Labor>,
    one_time: Vec<Labor>,
    memo: HashMap<Meters, Rc<PointForms>>,
    /// Usage inputs: `(seats, active_share)` when either is a range.
    usage_inputs: Option<(Val, Val)>,
    /// Whether MAU, or members per organization, can change this provider's forms (a charge or
    /// limit on MAU; an add-on required above a membership size). When not, ranged seats do not
    /// multiply the forms to build.
    mau_matters: bool,
    members_matter: bool,
}

/// Forms built and kept per provider at most (ranged seats make every draw's meters
/// distinct; beyond this the cache starts afresh, bounding memory).
const MEMO_LIMIT: usize = 4096;

pub use crate::model::pricing::{addon_path, charge_path, plan_path};

impl<'a> CostModel<'a> {
    /// Builds the model, registering the provider's and scenario's uncertain inputs.
    pub fn new(provider: &'a Provider, scenario: &'a Scenario, inputs: &mut Inputs) -> Self {
        let cx = QuoteContext::new(provider, scenario).lean();
        let fx = cx.fx.to_f64().unwrap_or(1.0);
        let discount = scenario
            .billing
            .discounts
            .get(provider.id())
            .map_or(Val::Const(0.0), |r| {
                scenario_range(
                    inputs,
                    &discount_path(provider.id()),
                    r,
                    &format!("negotiated discount with {}", provider.name),
                    &format!(
                        "What discount will {} agree to (as a share of list price)?",
                        provider.name
                    ),
                )
            });
        let mut model = CostModel {
            fx,
            discount,
            escalator: cx.escalator.to_f64().unwrap_or(0.0),
            mode_input: None,
            recurring: Vec::new(),
            one_time: Vec::new(),
            memo: HashMap::new(),
            usage_inputs: None,
            mau_matters: {
                let charges = provider
                    .pricing
                    .plans
                    .iter()
                    .flat_map(|p| &p.charges)
                    .chain(provider.pricing.addons.iter().flat_map(|a| &a.charges));
                let mut charges = charges;
                charges.any(|c| c.meter == crate::model::Meter::Mau)
                    || provider
                        .pricing
                        .plans
                        .iter()
                        .any(|p| p.limits.contains_key("mau"))
                    || provider
                        .pricing
                        .addons
                        .iter()
                        .any(|a| a.required_above.contains_key("mau"))
            },
            members_matter: provider.pricing.addons.iter().any(|a| {
                a.required_above
                    .contains_key(crate::model::pricing::MEMBERS_PER_ORGANIZATION)
            }),
            cx,
        };
        model.register_modes(inputs);
        model.register_labor(inputs);
        let u = &scenario.usage;
        if !u.seats.is_point() || !u.active_share.is_point() {
            let seats = scenario_range(
                inputs,
                "usage.seats",
                &u.seats,
                "seats per customer",
                "How many seats does a typical customer provision?",
            );
            let share = scenario_range(
                inputs,
                "usage.active_share",
                &u.active_share,
                "share of seats active each month",
                "What share of provisioned seats sign in each month?",
            );
            model.usage_inputs = Some((seats, share));
        }
        model
    }

    /// The provider.
    pub fn provider(&self) -> &'a Provider {
        self.cx.provider
    }

    fn register_modes(&mut self, inputs: &mut Inputs) {
        let p = self.cx.provider;
        let unstated: Vec<(String, &Charge)> = p
            .pricing
            .plans
            .iter()
            .flat_map(|pl| {
                pl.charges
                    .iter()
                    .enumerate()
                    .map(move |(i, c)| (charge_path(&plan_path(pl), i), c))
            })
            .chain(p.pricing.addons.iter().flat_map(|a| {
                a.charges
                    .iter()
                    .enumerate()
                    .map(move |(i, c)| (charge_path(&addon_path(a), i), c))
            }))
            .filter(|(_, c)| c.mode == Some(TierMode::Unstated) && c.tiers.is_some())
            .collect();
        let Some((path, first)) = unstated.first() else {
            return;
        };
        // One vendor bills every table one way: a single draw decides all of its unstated
        // tables (`check` makes their `graduated_share`s equal, so the first one's is theirs).
        let share = first
            .graduated_share
            .and_then(|s| s.0.to_f64())
            .unwrap_or(0.5);
        let mut names: Vec<String> = Vec::new();
        for (_, c) in &unstated {
            if !names.contains(&c.label()) {
                names.push(c.label());
            }
        }
        self.mode_input = Some(inputs.add(Input {
            key: format!("{}:pricing.tier_mode", p.id()),
            provider: Some(p.id().to_owned()),
            owner: p.name.clone(),
            path: format!("{path}.mode"),
            kind: InputKind::TierMode,
            dist: Dist::Bernoulli { p: share },
            label: format!("tier mode of {}", names.join(", ")),
            question: format!(
                "{}: are the {} tiers graduated (each band at its own rate) or volume (every unit at the rate of the band the total reaches)?",
                p.name,
                names.join(" and ")
            ),
        }));
    }

    fn register_labor(&mut self, inputs: &mut Inputs) {
        let p = self.cx.provider;
        let s = self.cx.scenario;
        let rate = match &s.engineering.hourly_rate {
            Some(r) => scenario_range(
                inputs,
                "engineering.hourly_rate",
                r,
                "engineering rate per hour",
                "What does an engineer-hour cost you, fully loaded?",
            ),
            None => match &p.pricing.hourly_rate {
                Some(price) => price_val(
                    inputs,
                    p,
                    "pricing.hourly_rate",
                    price,
                    "engineering rate per hour",
                    self.fx,
                ),
                None => Val::Missing("no hourly rate".into()),
            },
        };
        // (list, id, name, amount, hours, month, recurring?)
        let costs = p
            .pricing
            .recurring
            .iter()
            .map(|r| ("recurring", &r.id, &r.name, &r.amount, &r.hours, 1, true))
            .chain(p.pricing.one_time.iter().map(|o| {
                let month = o.month.unwrap_or(1);
                (
                    "one_time", &o.id, &o.name, &o.amount, &o.hours, month, false,
                )
            }));
        for (list, id, name, amount, hours, month, recurring) in costs {
            let path = format!("pricing.{list}.{id}");
            let label = name.clone().unwrap_or_else(|| id.to_string());
            let l = labor(
                inputs,
                p,
                &path,
                &label,
                amount.as_ref(),
                hours.as_ref(),
                &rate,
                month,
                self.fx,
            );
            if recurring {
                self.recurring.push(l);
            } else {
                self.one_time.push(l);
            }
        }
    }

    fn build_forms(&self, meters: Meters, inputs: &mut Inputs) -> PointForms {
        let p = self.cx.provider;
        let modes: &[Option<TierMode>] = if self.mode_input.is_some() {
            &[Some(TierMode::Graduated), Some(TierMode::Volume)]
        } else {
            &[None]
        };
        let mut variants = vec![Vec::new(); modes.len()];
        if let Some(why) = &self.cx.excluded {
            return PointForms {
                variants,
                unavailable: Some(format!("excluded by the scenario's requirements: {why}")),
            };
        }
        let mut reasons = Vec::new();
        for plan in &p.pricing.plans {
            let addons = match eligibility(&self.cx, plan, &meters) {
                Ok(a) => a,
                Err(why) => {
                    reasons.push(why);
                    continue;
                }
            };
            for (v, mode) in modes.iter().enumerate() {
                variants[v].push(self.vendor(plan, &addons, meters, *mode, inputs));
            }
        }
        let unavailable = variants[0].is_empty().then(|| {
            if reasons.is_empty() {
                format!("{} has no plan that includes SCIM", p.name)
            } else {
                reasons
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        });
        PointForms {
            variants,
            unavailable,
        }
    }

    fn vendor(
        &self,
        plan: &Plan,
        addons: &[&AddOn],
        meters: Meters,
        mode: Option<TierMode>,
        inputs: &mut Inputs,
    ) -> Linear {
        let p = self.cx.provider;
        let mut lin = Linear::default();
        let ppath = plan_path(plan);
        let (fee, fee_key) = match (self.cx.scenario.billing.cycle, &plan.annual_base_fee) {
            (Cycle::Annual, Some(annual)) => (Some(annual), "annual_base_fee"),
            _ => (plan.base_fee.as_ref(), "base_fee"),
        };
        if let Some(fee) = fee {
            let label = format!("monthly fee of the {} plan", plan.label());
            lin.add(
                price_val(inputs, p, &format!("{ppath}.{fee_key}"), fee, &label, 1.0),
                1.0,
            );
        }
        for (i, charge) in plan.charges.iter().enumerate() {
            self.charge(
                &mut lin,
                &charge_path(&ppath, i),
                charge,
                meters,
                mode,
                inputs,
            );
        }
        for addon in addons {
            let apath = addon_path(addon);
            if let Some(fee) = &addon.fee {
                let name = addon.label();
                let label = if name.to_lowercase().ends_with("add-on") {
                    format!("monthly fee of the {name}")
                } else {
                    format!("monthly fee of the {name} add-on")
                };
                lin.add(
                    price_val(inputs, p, &format!("{apath}.fee"), fee, &label, 1.0),
                    1.0,
                );
            }
            for (i, charge) in addon.charges.iter().enumerate() {
                self.charge(
                    &mut lin,
                    &charge_path(&apath, i),
                    charge,
                    meters,
                    mode,
                    inputs,
                );
            }
        }
        lin
    }

    fn charge(
        &self,
        lin: &mut Linear,
        path: &str,
        charge: &Charge,
        meters: Meters,
        mode: Option<TierMode>,
        inputs: &mut Inputs,
    ) {
        let p = self.cx.provider;
        let qty = meters.get(charge.meter);
        let mode = match charge.mode.unwrap_or(TierMode::Graduated) {
            TierMode::Unstated => mode.unwrap_or(TierMode::Graduated),
            stated => stated,
        };
        let Ok(c) = schedule::evaluate_in(charge, qty, mode, false) else {
            lin.add(Val::Missing(format!("{} overflows", charge.label())), 1.0);
            return;
        };
        let unit = charge.meter.unit();
        for band in &c.bands {
            let units = band.units as f64;
            if let Some(j) = band.tier {
                let Some(tier) = charge.tiers.as_ref().and_then(|t| t.get(j)) else {
                    continue;
                };
                let span = match tier.up_to {
                    Some(up) => format!("{}–{}", group(band.from), group(up)),
                    None => format!("{}+", group(band.from)),
                };
                let label = format!("{} price per {unit}, units {span}", charge.label());
                let tpath = format!("{path}.tiers.{j}");
                lin.add(
                    price_val(
                        inputs,
                        p,
                        &format!("{tpath}.unit_price"),
                        &tier.unit_price,
                        &label,
                        1.0,
                    ),
                    units,
                );
                if let Some(flat) = &tier.flat_fee {
                    let label = format!("{} flat fee, units {span}", charge.label());
                    lin.add(
                        price_val(inputs, p, &format!("{tpath}.flat_fee"), flat, &label, 1.0),
                        1.0,
                    );
                }
            } else if let Some(price) = &charge.unit_price {
                let label = format!("{} price per {unit}", charge.label());
                lin.add(
                    price_val(inputs, p, &format!("{path}.unit_price"), price, &label, 1.0),
                    units,
                );
            } else {
                lin.add(
                    Val::Missing(format!(
                        "{}: {}, no band above {} {unit}s",
                        p.name,
                        charge.label(),
                        group(band.from.saturating_sub(1))
                    )),
                    units,
                );
            }
        }
    }

    /// True when meters vary from draw to draw (ranged seats or active share).
    pub fn usage_varies(&self) -> bool {
        self.usage_inputs.is_some()
    }

    /// The meters at a customer count in draw `d` (usage ranges drawn).
    fn meters(&self, customers: u64, draws: &Draws, d: usize) -> Meters {
        match &self.usage_inputs {
            None => self.cx.meters(customers),
            Some((seats, share)) => {
                let mut usage = self.cx.scenario.usage.clone();
                let v = &draws.values;
                usage.seats = Ranged::point(seats.get(v, d).unwrap_or(usage.seats.likely));
                usage.active_share =
                    Ranged::point(share.get(v, d).unwrap_or(usage.active_share.likely));
                UsageRates::new(&usage).meters(customers)
            }
        }
    }

    /// The plans' forms at a customer count in draw `d`, built once per distinct meter
    /// reading; new inputs are drawn as they appear.
    pub fn point(&mut self, customers: u64, draws: &mut Draws, d: usize) -> Rc<PointForms> {
        let meters = self.meters(customers, draws, d);
        // The cache key leaves out what cannot change this provider's forms.
        let mut key = meters;
        if !self.mau_matters {
            key.mau = 0;
        }
        if !self.members_matter {
            key.members_per_organization = 0;
        }
        if let Some(f) = self.memo.get(&key) {
            return Rc::clone(f);
        }
        let mut f = self.build_forms(meters, &mut draws.inputs);
        draws.sync();
        prune(&mut f, draws);
        let f = Rc::new(f);
        if self.memo.len() >= MEMO_LIMIT {
            self.memo.clear();
        }
        self.memo.insert(key, Rc::clone(&f));
        f
    }

    /// Drops the cached forms (the provider's draws are done; a later [`CostModel::point`]
    /// builds the same forms again).
    pub fn forget_forms(&mut self) {
        self.memo = HashMap::new();
    }

    /// The recurring monthly cost of draw `d` at a point, in month `month`.
    pub fn monthly(&self, forms: &PointForms, month: u32, draws: &Draws, d: usize) -> DrawCost {
        if forms.unavailable.is_some() {
            return DrawCost::Unavailable;
        }
        let v = &draws.values;
        let graduated = self.mode_input.is_none_or(|i| v[i][d] >= 0.5);
        let variant = if graduated || forms.variants.len() < 2 {
            &forms.variants[0]
        } else {
            &forms.variants[1]
        };
        let vendor = variant
            .iter()
            .filter(|l| l.missing.is_none())
            .map(|l| l.eval(v, d))
            .fold(None, |best: Option<f64>, x| {
                Some(best.map_or(x, |b| b.min(x)))
            });
        let Some(vendor) = vendor else {
            return DrawCost::Undefined;
        };
        let mut total = vendor
            * self.fx
            * (1.0 - self.discount.get(v, d).unwrap_or(0.0))
            * self.escalation(month);
        for l in &self.recurring {
            match l.eval(v, d) {
                Some(x) => total += x,
                None => return DrawCost::Undefined,
            }
        }
        DrawCost::Cost(total)
    }

    /// The escalator factor of a month.
    pub fn escalation(&self, month: u32) -> f64 {
        let year = (month.max(1) - 1) / 12;
        (1.0 + self.escalator).powi(i32::try_from(year).unwrap_or(i32::MAX))
    }

    /// One-time costs due in exactly `month`, in draw `d`.
    pub fn one_time_in(&self, month: u32, draws: &Draws, d: usize) -> DrawCost {
        let mut total = 0.0;
        for l in self.one_time.iter().filter(|l| l.month == month) {
            match l.eval(&draws.values, d) {
                Some(v) => total += v,
                None => return DrawCost::Undefined,
            }
        }
        DrawCost::Cost(total)
    }

    /// One-time costs due in months `1..=through` (all of them when `None`) in draw `d`.
    pub fn one_time(&self, through: Option<u32>, draws: &Draws, d: usize) -> DrawCost {
        let mut total = 0.0;
        for l in self
            .one_time
            .iter()
            .filter(|l| through.is_none_or(|m| l.month <= m))
        {
            match l.eval(&draws.values, d) {
                Some(v) => total += v,
                None => return DrawCost::Undefined,
            }
        }
        DrawCost::Cost(total)
    }

    /// Why the estimate is undefined at a point: the first unpublished price without an
    /// estimate that the eligible plans (or the hours costs) need.
    pub fn missing_reason(&self, forms: &PointForms) -> Option<String> {
        if let Some(m) = self
            .recurring
            .iter()
            .chain(&self.one_time)
            .find_map(Labor::missing)
        {
            return Some(m.to_owned());
        }
        forms
            .variants
            .iter()
            .flatten()
            .find_map(|l| l.missing.clone())
    }

    /// The vendor part of a point as one linear form per variant, when exactly one plan is
    /// left after pruning (so sums over months stay linear); `None` otherwise.
    pub fn single(forms: &PointForms) -> Option<Vec<Linear>> {
        if forms.unavailable.is_some() {
            return None;
        }
        forms
            .variants
            .iter()
            .map(|v| match v.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            })
            .collect()
    }

    /// The constant factor applied to vendor fees in a month: fx × escalator (the discount
    /// is applied per draw).
    pub fn vendor_factor(&self, month: u32) -> f64 {
        self.fx * self.escalation(month)
    }

    /// The recurring labour cost of draw `d` (`None` when a rate or amount is missing).
    pub fn labor(&self, draws: &Draws, d: usize) -> Option<f64> {
        let mut t = 0.0;
        for l in &self.recurring {
            t += l.eval(&draws.values, d)?;
        }
        Some(t)
    }

    /// The discount share of draw `d`.
    pub fn discount(&self, draws: &Draws, d: usize) -> f64 {
        self.discount.get(&draws.values, d).unwrap_or(0.0)
    }

    /// The tier-mode input, if the provider has unstated tables.
    pub fn mode_input(&self) -> Option<usize> {
        self.mode_input
    }
}

/// Drops plans that can never be the cheapest: those whose lowest possible cost is above
/// another plan's highest (over the inputs' bounds), and priced plans that are not defined.
fn prune(forms: &mut PointForms, draws: &Draws) {
    for variant in &mut forms.variants {
        let defined: Vec<Linear> = variant
            .iter()
            .filter(|l| l.missing.is_none())
            .cloned()
            .collect();
        if defined.is_empty() {
            // Keep one missing plan so the reason can be reported.
            variant.truncate(1);
            continue;
        }
        let range = |l: &Linear| {
            l.terms
                .iter()
                .fold((l.constant, l.constant), |(lo, hi), &(i, c)| {
                    let (a, b) = draws.bounds(i);
                    let (x, y) = (c * a, c * b);
                    (lo + x.min(y), hi + x.max(y))
                })
        };
        let ranges: Vec<(f64, f64)> = defined.iter().map(range).collect();
        let best_high = ranges.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
        *variant = defined
            .into_iter()
            .zip(&ranges)
            .filter(|(_, r)| r.0 <= best_high)
            .map(|(l, _)| l)
            .collect();
    }
}

/// A catalog price as a formula value, registering an input for an estimated one.
fn price_val(
    inputs: &mut Inputs,
    p: &Provider,
    path: &str,
    price: &Price,
    label: &str,
    scale: f64,
) -> Val {
    match price {
        Price::Known(d) => Val::Const(d.to_f64().unwrap_or(0.0) * scale),
        Price::Unpublished {
            estimate: Some(e), ..
        } if e.is_point() => Val::Const(e.likely.to_f64().unwrap_or(0.0) * scale),
        Price::Unpublished {
            estimate: Some(e), ..
        } => {
            let (low, likely, high) = e.as_f64();
            let i = inputs.add(Input {
                key: format!("{}:{path}", p.id()),
                provider: Some(p.id().to_owned()),
                owner: p.name.clone(),
                path: path.to_owned(),
                kind: InputKind::Price,
                dist: Dist::Triangular { low, likely, high },
                label: label.to_owned(),
                question: format!("{}: what is the {label}?", p.name),
            });
            // `scale` converts a provider-currency amount that is not a vendor fee (vendor fees
            // are converted with the whole form).
            Val::Input(i, scale)
        }
        Price::Unpublished { reason, .. } => {
            Val::Missing(format!("{}: {} ({})", p.name, label, reason.label()))
        }
    }
}

/// The scenario path of the buyer's negotiated discount with a provider: a scenario
/// assumption (no provider owns it) that moves that one provider's cost.
pub fn discount_path(id: &str) -> String {
    format!("{DISCOUNTS}.{id}")
}

/// The scenario table of negotiated discounts.
const DISCOUNTS: &str = "billing.discounts";

/// Whether a scenario assumption at `path` can move `id`'s cost: every one can, except
/// another provider's discount.
pub fn assumption_applies(path: &str, id: &str) -> bool {
    discount_of(path).is_none_or(|other| other == id)
}

/// The provider whose negotiated discount the scenario assumption at `path` is, if it is one.
pub fn discount_of(path: &str) -> Option<&str> {
    path.strip_prefix(DISCOUNTS)
        .and_then(|r| r.strip_prefix('.'))
}

/// A scenario number as a formula value: a constant, or an input shared by every provider
/// (its key has no provider, so every provider sees the same draw).
fn scenario_range<T: crate::model::range::Scalar>(
    inputs: &mut Inputs,
    path: &str,
    r: &Ranged<T>,
    label: &str,
    question: &str,
) -> Val {
    if r.is_point() {
        return Val::Const(r.likely.to_float());
    }
    let dist = Dist::Triangular {
        low: r.low.to_float(),
        likely: r.likely.to_float(),
        high: r.high.to_float(),
    };
    let input = Input {
        key: format!("scenario:{path}"),
        provider: None,
        owner: "your team".into(),
        path: path.to_owned(),
        kind: InputKind::Assumption,
        dist,
        label: label.to_owned(),
        question: format!("Your team: {question}"),
    };
    Val::Input(inputs.add(input), 1.0)
}

#[allow(clippy::too_many_arguments)]
fn labor(
    inputs: &mut Inputs,
    p: &Provider,
    path: &str,
    label: &str,
    amount: Option<&Price>,
    hours: Option<&Ranged<Decimal>>,
    rate: &Val,
    month: u32,
    fx: f64,
) -> Labor {
    if let Some(a) = amount {
        // A fixed amount is in the provider's currency: converted, drawn or not.
        return Labor {
            amount: price_val(inputs, p, &format!("{path}.amount"), a, label, fx),
            hours: Val::Const(0.0),
            rate: Val::Const(0.0),
            fixed: true,
            month,
        };
    }
    let hours = match hours {
        None => Val::Const(0.0),
        Some(h) if h.is_point() => Val::Const(h.likely.to_f64().unwrap_or(0.0)),
        Some(h) => {
            let (low, likely, high) = h.as_f64();
            let input = Input {
                key: format!("{}:{path}.hours", p.id()),
                provider: Some(p.id().to_owned()),
                owner: p.name.clone(),
                path: format!("{path}.hours"),
                kind: InputKind::Hours,
                dist: Dist::Triangular { low, likely, high },
                label: format!("{label} (hours)"),
                question: format!("{}: how many engineer-hours for {label}?", p.name),
            };
            Val::Input(inputs.add(input), 1.0)
        }
    };
    Labor {
        amount: Val::Const(0.0),
        hours,
        rate: rate.clone(),
        fixed: false,
        month,
    }
}
