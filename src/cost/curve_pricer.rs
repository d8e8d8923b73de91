//! A provider's recurring cost at each customer count of a cost curve.
//!
//! A curve prices every count from 1 to the scenario's largest (up to
//! [`MAX_CURVE_CUSTOMERS`](super::crossover::MAX_CURVE_CUSTOMERS) = 100,000 per provider), and almost nothing in [`recurring_total`] changes from one
//! count to the next: which plans are eligible and with which add-ons changes only where a
//! meter crosses a plan limit or an add-on's threshold, and fees and hours do not depend on
//! the count at all. [`CurvePricer`] works those out once, and again only when a threshold is
//! crossed; at each count it sums the same lines, in the same order, with the same
//! arithmetic, so its points are the points [`recurring_total`] gives in month 1, to the bit.
//! Tests compare the two at every count of the shipped and synthetic catalogs and of random
//! providers.
//!
//! [`recurring_total`]: super::quote::recurring_total

use super::CostValue;
use super::crossover::CurvePoint;
use super::line_item::{LineItem, LineKind};
use super::meters::Meters;
use super::money::{Money, Overflow};
use super::quote::{
    QuoteContext, billed_fee, cheaper, convert, eligibility, plan_price_published, price_line,
    recurring_lines,
};
use super::schedule;
use crate::model::Price;
use crate::model::pricing::{AddOn, Charge, MEMBERS_PER_ORGANIZATION, Meter, Plan};

/// What a line adds to a total: its priced part (none when nothing of it is priced) and
/// whether some of it is unpublished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Part {
    amount: Option<Money>,
    unknown: bool,
}

impl Part {
    fn of(line: &LineItem) -> Part {
        Part {
            amount: line.amount,
            unknown: line.unknown.is_some(),
        }
    }
}

/// One line of an eligible plan, in `vendor_lines`' order.
#[derive(Debug)]
enum Line<'p> {
    /// A fee: the same at every count (or the overflow converting it gave).
    Fee(Result<Part, Overflow>),
    /// A usage charge, with the last quantity priced and its part (a charge on a meter that a
    /// count does not move is not priced again).
    Charge(&'p Charge, Option<(u64, Part)>),
}

/// A meter reading that plan eligibility compares with a limit.
#[derive(Debug, Clone, Copy)]
enum Reading {
    Meter(Meter),
    MembersPerOrganization,
}

impl Reading {
    fn get(self, meters: &Meters) -> u64 {
        match self {
            Reading::Meter(m) => meters.get(m),
            Reading::MembersPerOrganization => meters.members_per_organization,
        }
    }
}

/// Thresholds beyond which the cached eligibility is not used: the key is a 64-bit mask.
const MAX_THRESHOLDS: usize = 64;

/// A plan with what decides its eligibility and, for the last set of thresholds crossed, its
/// lines (`None` when it is not eligible then).
#[derive(Debug)]
struct PlanForm<'p> {
    plan: &'p Plan,
    /// Whether the plan's own fee is published in the scenario's billing cycle (plan choice
    /// prefers it between two partly unknown subtotals).
    published: bool,
    /// Every `(reading, limit)` that `eligibility` compares: the plan's limits and its
    /// attachable add-ons' usage thresholds. Eligibility and the add-ons bought depend on the
    /// meters only through which of these are exceeded.
    thresholds: Vec<(Reading, u64)>,
    /// The mask of exceeded thresholds the lines were made for, and the lines.
    cached: Option<(u64, Option<Vec<Line<'p>>>)>,
}

/// Prices one provider's cost curve (see the module's documentation).
#[derive(Debug)]
pub struct CurvePricer<'a> {
    cx: QuoteContext<'a>,
    plans: Vec<PlanForm<'a>>,
    /// The recurring (hours) lines' parts, in order: they do not depend on the count.
    extra: Result<Vec<Part>, Overflow>,
}

impl<'a> CurvePricer<'a> {
    /// Prepares `cx`'s provider under `cx`'s scenario (only totals are priced, whatever `cx`
    /// explains).
    pub fn new(cx: &QuoteContext<'a>) -> CurvePricer<'a> {
        let cx = cx.totals();
        let cycle = cx.scenario.billing.cycle;
        let plans = cx
            .provider
            .pricing
            .plans
            .iter()
            .map(|plan| PlanForm {
                plan,
                published: plan_price_published(plan, cycle),
                thresholds: thresholds(cx.provider.pricing.addons.as_slice(), plan),
                cached: None,
            })
            .collect();
        let extra = recurring_lines(&cx).map(|lines| lines.iter().map(Part::of).collect());
        CurvePricer { cx, plans, extra }
    }

    /// The recurring cost at `meters` in month 1: the point of
    /// `recurring_total(cx, meters, 1)`.
    pub fn point(&mut self, meters: &Meters) -> Result<CurvePoint, Overflow> {
        if self.cx.excluded.is_some() {
            return Ok(CurvePoint::Unavailable);
        }
        // Plan choice, as `choose_plan`: the first plan strictly cheaper than those before.
        let mut best: Option<(CostValue, bool)> = None;
        for form in &mut self.plans {
            let Some(lines) = form.lines(&self.cx, meters) else {
                continue;
            };
            let subtotal = subtotal(&self.cx, lines, meters)?;
            let better = match &best {
                None => true,
                Some((b, published)) => cheaper((&subtotal, form.published), (b, *published)),
            };
            if better {
                best = Some((subtotal, form.published));
            }
        }
        let Some((subtotal, _)) = best else {
            return Ok(CurvePoint::Unavailable);
        };
        let (mut floor, mut unknown) = match subtotal {
            CostValue::Known { amount } => (amount, false),
            CostValue::AtLeast { floor, .. } => (floor, true),
            CostValue::Unavailable { .. } => return Ok(CurvePoint::Unavailable),
        };
        // `adjustments` in month 1: the discount on the vendor fees (every line so far is
        // one, so they sum to the subtotal's floor) and no escalator (year 0).
        let vendor = floor;
        if !self.cx.discount.is_zero() && !vendor.is_zero() {
            let off = vendor.mul(self.cx.discount)?.cents();
            floor = floor.add(Money(-off.0))?;
        }
        for part in self.extra.as_ref().map_err(|e| *e)? {
            if let Some(amount) = part.amount {
                floor = floor.add(amount)?;
            }
            unknown |= part.unknown;
        }
        Ok(if unknown {
            CurvePoint::AtLeast(floor)
        } else {
            CurvePoint::Known(floor)
        })
    }
}

impl<'p> PlanForm<'p> {
    /// The plan's lines at `meters`, or `None` when it is not eligible there.
    fn lines(&mut self, cx: &QuoteContext<'p>, meters: &Meters) -> Option<&mut Vec<Line<'p>>> {
        let key = (self.thresholds.len() <= MAX_THRESHOLDS).then(|| {
            self.thresholds
                .iter()
                .enumerate()
                .fold(0u64, |mask, (i, &(reading, limit))| {
                    mask | (u64::from(reading.get(meters) > limit) << i)
                })
        });
        let fresh = match (&self.cached, key) {
            (Some((cached, _)), Some(key)) => *cached != key,
            _ => true,
        };
        if fresh {
            let lines = eligibility(cx, self.plan, meters)
                .ok()
                .map(|addons| plan_lines(cx, self.plan, &addons));
            self.cached = Some((key.unwrap_or(0), lines));
        }
        self.cached.as_mut().and_then(|(_, lines)| lines.as_mut())
    }
}

/// The thresholds of `eligibility` for `plan` (see [`PlanForm::thresholds`]). A key that
/// names no meter is never compared, so it is left out.
fn thresholds(addons: &[AddOn], plan: &Plan) -> Vec<(Reading, u64)> {
    let meter = |key: &str| Meter::ALL.iter().copied().find(|m| m.as_str() == key);
    let id = plan.id.as_str();
    let mut out: Vec<(Reading, u64)> = plan
        .limits
        .iter()
        .filter_map(|(key, &limit)| meter(key).map(|m| (Reading::Meter(m), limit)))
        .collect();
    for addon in addons
        .iter()
        .filter(|a| a.plans.is_empty() || a.plans.iter().any(|p| p == id))
    {
        for (key, &limit) in &addon.required_above {
            if key == MEMBERS_PER_ORGANIZATION {
                out.push((Reading::MembersPerOrganization, limit));
            } else if let Some(m) = meter(key) {
                out.push((Reading::Meter(m), limit));
            }
        }
    }
    out
}

/// An eligible plan's lines in `vendor_lines`' order: the plan's fee, its charges, then each
/// add-on's fee and charges.
fn plan_lines<'p>(cx: &QuoteContext<'p>, plan: &'p Plan, addons: &[&'p AddOn]) -> Vec<Line<'p>> {
    let fee_line = |kind, price: &Price| {
        price_line(cx, kind, String::new(), price, "", None).map(|l| Part::of(&l))
    };
    let mut lines = Vec::new();
    if let Some(price) = billed_fee(plan, cx.scenario.billing.cycle)
        && price != &Price::ZERO
    {
        lines.push(Line::Fee(fee_line(LineKind::BaseFee, price)));
    }
    lines.extend(plan.charges.iter().map(|c| Line::Charge(c, None)));
    for addon in addons {
        if let Some(fee) = &addon.fee {
            lines.push(Line::Fee(fee_line(LineKind::AddOnFee, fee)));
        }
        lines.extend(addon.charges.iter().map(|c| Line::Charge(c, None)));
    }
    lines
}

/// The lines' total at `meters`, as `total_unworded` gives it: the sum of the priced parts in
/// line order, partly unknown when any line is.
fn subtotal(
    cx: &QuoteContext<'_>,
    lines: &mut [Line<'_>],
    meters: &Meters,
) -> Result<CostValue, Overflow> {
    let mut floor = Money::ZERO;
    let mut unknown = false;
    for line in lines {
        let part = match line {
            Line::Fee(part) => (*part)?,
            Line::Charge(charge, last) => {
                let qty = meters.get(charge.meter);
                match *last {
                    Some((q, part)) if q == qty => part,
                    _ => {
                        let part = charge_part(cx, charge, qty)?;
                        *last = Some((qty, part));
                        part
                    }
                }
            }
        };
        if let Some(amount) = part.amount {
            floor = floor.add(amount)?;
        }
        unknown |= part.unknown;
    }
    Ok(if unknown {
        CostValue::AtLeast {
            floor,
            unknown: Vec::new(),
        }
    } else {
        CostValue::Known { amount: floor }
    })
}

/// A charge line's part, as `charge_line` makes it: the amount converted and rounded to the
/// cent, none when a partly unknown charge prices nothing.
fn charge_part(cx: &QuoteContext<'_>, charge: &Charge, qty: u64) -> Result<Part, Overflow> {
    let c = schedule::total(charge, qty, cx.use_estimates)?;
    let amount = convert(cx, c.amount)?.cents();
    Ok(Part {
        amount: if c.partial && amount.is_zero() {
            None
        } else {
            Some(amount)
        },
        unknown: c.partial,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Provider, Scenario};

    fn parse<T: serde::de::DeserializeOwned>(text: &str) -> T {
        toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    /// Two plans, the cheaper one limited to 5 connections, and a 10 % discount.
    fn small_and_large() -> (Provider, Scenario) {
        let p = parse(
            r#"
id = "p"
name = "P"
verified = 2026-11-01

[features.scim]
status = "ga"

[[pricing.plans]]
id = "small"
base_fee = "100"
features = ["scim"]
limits = { directory_connections = 5 }

[[pricing.plans.charges]]
meter = "directory_connections"
unit_price = "20"

[[pricing.plans]]
id = "large"
base_fee = "300"
features = ["scim"]

[[pricing.plans.charges]]
meter = "directory_connections"
unit_price = "5"
"#,
        );
        let s = parse(
            r#"
id = "s"
name = "S"
horizon_months = 12

[usage]
directory_connections = 1

[growth]
kind = "constant"
customers = 10

[billing]
discounts = { p = "0.1" }
"#,
        );
        (p, s)
    }

    #[test]
    fn prices_the_cheapest_eligible_plan_as_thresholds_are_crossed_both_ways() {
        let (p, s) = small_and_large();
        let cx = QuoteContext::new(&p, &s);
        let mut pricer = CurvePricer::new(&cx);
        let at = |pricer: &mut CurvePricer<'_>, n: u64| pricer.point(&cx.meters(n)).unwrap();
        let usd = |s: &str| CurvePoint::Known(Money(s.parse().unwrap()));
        // 3 connections: small 100 + 3 × 20 = 160 < large 300 + 3 × 5 = 315; 10 % off → 144.
        assert_eq!(at(&mut pricer, 3), usd("144.00"));
        // 5 (the limit): small 200 < 325; 10 % off → 180.
        assert_eq!(at(&mut pricer, 5), usd("180.00"));
        // 6: small allows at most 5, so large: 300 + 6 × 5 = 330; 10 % off → 297.
        assert_eq!(at(&mut pricer, 6), usd("297.00"));
        // Back to 2: small again, 100 + 40 = 140; 10 % off → 126.
        assert_eq!(at(&mut pricer, 2), usd("126.00"));
        // Each agrees with the quote engine's own curve path.
        for n in [3, 5, 6, 2, 2, 7] {
            let engine = super::super::quote::recurring_total(&cx.totals(), cx.meters(n), 1);
            assert_eq!(at(&mut pricer, n), CurvePoint::from(&engine.unwrap()));
        }
    }

    #[test]
    fn more_thresholds_than_the_key_holds_are_priced_without_the_cache() {
        // One plan (300 + 5 a connection) and 70 add-ons, the k-th bought above k connections
        // for a fee of k: more thresholds than a 64-bit key holds, so eligibility is worked
        // out at every count. At 67 connections add-ons 1..=66 are bought:
        // 300 + 67 × 5 + (1 + … + 66 = 2,211) = 2,846; 10 % off → 2,561.40.
        let (mut p, s) = small_and_large();
        p.pricing.plans[0].limits.clear();
        p.pricing.plans.swap(0, 1);
        p.pricing.plans.truncate(1);
        for k in 1..=70 {
            p.pricing.addons.push(parse(&format!(
                "id = \"a{k}\"\nfee = \"{k}\"\nrequired_above = {{ directory_connections = {k} }}\n"
            )));
        }
        let cx = QuoteContext::new(&p, &s);
        let mut pricer = CurvePricer::new(&cx);
        for n in (0..=80).chain((0..=80).rev()) {
            let engine = super::super::quote::recurring_total(&cx.totals(), cx.meters(n), 1);
            assert_eq!(
                pricer.point(&cx.meters(n)).unwrap(),
                CurvePoint::from(&engine.unwrap()),
                "at {n}"
            );
        }
        assert_eq!(
            pricer.point(&cx.meters(67)).unwrap(),
            CurvePoint::Known(Money("2561.40".parse().unwrap()))
        );
    }

    #[test]
    fn an_excluded_provider_or_no_eligible_plan_is_unavailable() {
        let (mut p, s) = small_and_large();
        p.pricing.plans.truncate(1);
        let cx = QuoteContext::new(&p, &s);
        let mut pricer = CurvePricer::new(&cx);
        assert_eq!(
            pricer.point(&cx.meters(6)).unwrap(),
            CurvePoint::Unavailable
        );
        assert!(matches!(
            pricer.point(&cx.meters(5)).unwrap(),
            CurvePoint::Known(_)
        ));
        let mut cx = QuoteContext::new(&p, &s);
        cx.excluded = Some("`sso` is required".into());
        let mut pricer = CurvePricer::new(&cx);
        assert_eq!(
            pricer.point(&cx.meters(5)).unwrap(),
            CurvePoint::Unavailable
        );
    }
}
