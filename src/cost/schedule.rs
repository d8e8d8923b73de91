//! Evaluating one charge's price schedule for a quantity: allowance first, then a single
//! rate or tiers in `graduated` or `volume` mode. The maths is in `docs/cost-model.md`.

use super::money::{Money, Overflow, display_rate};
use crate::model::Price;
use crate::model::price::UnknownReason;
use crate::model::pricing::{Charge, TierMode};
use rust_decimal::Decimal;

/// A price as used in one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    /// A published amount.
    Known(Decimal),
    /// An estimate, used because the scenario opted in.
    Estimate(Decimal),
    /// Unpublished and not estimated.
    Unknown(UnknownReason),
}

impl Rate {
    /// Resolves a catalog price, using its estimate only when `use_estimates`.
    pub fn of(price: &Price, use_estimates: bool) -> Rate {
        match price {
            Price::Known(d) => Rate::Known(*d),
            Price::Unpublished {
                estimate: Some(e), ..
            } if use_estimates => Rate::Estimate(e.likely),
            Price::Unpublished { reason, .. } => Rate::Unknown(*reason),
        }
    }

    /// The amount, when there is one.
    pub fn value(self) -> Option<Decimal> {
        match self {
            Rate::Known(d) | Rate::Estimate(d) => Some(d),
            Rate::Unknown(_) => None,
        }
    }
}

/// How many units of one band were billed, at which rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandUse {
    /// First unit of the band (1-based, absolute).
    pub from: u64,
    /// Last unit of the band, `None` when unbounded.
    pub to: Option<u64>,
    /// Billable units priced in this band.
    pub units: u64,
    /// The band's unit rate.
    pub rate: Rate,
    /// The band's flat fee, when one applies.
    pub flat_fee: Option<Rate>,
    /// Index of the band in the charge's `tiers`; `None` for a single `unit_price` or for
    /// units beyond the last published band.
    pub tier: Option<usize>,
}

impl BandUse {
    /// The band and why it has no price, when its rate or flat fee is unpriced: `101–200
    /// price unknown`, `201+ contact sales`.
    fn unpriced_text(&self) -> Option<String> {
        let reason = [Some(self.rate), self.flat_fee]
            .into_iter()
            .flatten()
            .find_map(|r| match r {
                Rate::Unknown(reason) => Some(reason),
                _ => None,
            })?;
        let range = match self.to {
            Some(to) if to == self.from => group(self.from),
            Some(to) => format!("{}–{}", group(self.from), group(to)),
            None => format!("{}+", group(self.from)),
        };
        Some(format!("{range} {}", reason.label()))
    }
}

/// The result of evaluating a charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeCost {
    /// The meter's total quantity.
    pub quantity: u64,
    /// Units covered by the allowance.
    pub included: u64,
    /// Bands (or the single rate) that priced units.
    pub bands: Vec<BandUse>,
    /// The exact sum of the priced parts (before rounding to the cent).
    pub amount: Money,
    /// Why part of the cost is unknown, if it is.
    pub unknown: Option<UnknownReason>,
    /// True when an estimate was used.
    pub estimate: bool,
    /// With `mode = "unstated"`: the other mode's result. `self` is the mode whose priced
    /// part is lower (graduated on a tie), and the cost counts as partly unknown.
    pub unstated: Option<Box<ChargeCost>>,
    /// The mode these bands were priced in.
    pub mode: TierMode,
}

/// Evaluates `charge` for `quantity` units of its meter. A tier table whose mode is
/// `unstated` is priced both ways; the lower priced part is kept and the other is attached
/// as [`ChargeCost::unstated`], so the published figure reads "at least the lower + unknown".
pub fn evaluate(
    charge: &Charge,
    quantity: u64,
    use_estimates: bool,
) -> Result<ChargeCost, Overflow> {
    match charge.mode {
        Some(TierMode::Unstated) if charge.tiers.is_some() => {
            let g = evaluate_in(charge, quantity, TierMode::Graduated, use_estimates)?;
            let v = evaluate_in(charge, quantity, TierMode::Volume, use_estimates)?;
            // Where both modes agree (within the first band, or no units), the mode does not
            // matter and the figure is as published.
            if g.amount == v.amount && g.unknown.is_none() && v.unknown.is_none() {
                return Ok(g);
            }
            let (mut low, other) = if v.amount < g.amount { (v, g) } else { (g, v) };
            low.unstated = Some(Box::new(other));
            Ok(low)
        }
        mode => evaluate_in(
            charge,
            quantity,
            mode.unwrap_or(TierMode::Graduated),
            use_estimates,
        ),
    }
}

/// Evaluates `charge` for `quantity` units in a stated mode (`unstated` counts as graduated
/// here; [`evaluate`] resolves it).
pub fn evaluate_in(
    charge: &Charge,
    quantity: u64,
    mode: TierMode,
    use_estimates: bool,
) -> Result<ChargeCost, Overflow> {
    let mut bands = Vec::new();
    let mut sum = BandSum::default();
    let included = visit_bands(charge, quantity, mode, use_estimates, |band| {
        sum.add(&band)?;
        bands.push(band);
        Ok(())
    })?;
    Ok(ChargeCost {
        quantity,
        included,
        bands,
        amount: sum.amount,
        unknown: sum.unknown,
        estimate: sum.estimate,
        unstated: None,
        mode,
    })
}

/// A charge's priced part and whether part of it is unpublished, as [`evaluate`] gives them
/// (`amount` and [`ChargeCost::is_partial`]), without the bands: the cost curves price every
/// customer count of every provider and read nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChargeTotal {
    /// The exact sum of the priced parts (before rounding to the cent).
    pub amount: Money,
    /// True when part of the cost is not published (an unpriced band or an unstated mode).
    pub partial: bool,
}

/// [`evaluate`]'s amount and partial verdict, from the same bands summed in the same order.
pub fn total(charge: &Charge, quantity: u64, use_estimates: bool) -> Result<ChargeTotal, Overflow> {
    let sum_in = |mode| -> Result<BandSum, Overflow> {
        let mut sum = BandSum::default();
        visit_bands(charge, quantity, mode, use_estimates, |band| sum.add(&band))?;
        Ok(sum)
    };
    match charge.mode {
        Some(TierMode::Unstated) if charge.tiers.is_some() => {
            let g = sum_in(TierMode::Graduated)?;
            let v = sum_in(TierMode::Volume)?;
            // As in `evaluate`: agreeing modes are as published, else the lower part is kept
            // and the cost counts as partly unknown.
            if g.amount == v.amount && g.unknown.is_none() && v.unknown.is_none() {
                return Ok(ChargeTotal {
                    amount: g.amount,
                    partial: false,
                });
            }
            Ok(ChargeTotal {
                amount: v.amount.min(g.amount),
                partial: true,
            })
        }
        mode => {
            let sum = sum_in(mode.unwrap_or(TierMode::Graduated))?;
            Ok(ChargeTotal {
                amount: sum.amount,
                partial: sum.unknown.is_some(),
            })
        }
    }
}

/// The running sum of a charge's bands.
#[derive(Debug, Default)]
struct BandSum {
    amount: Money,
    unknown: Option<UnknownReason>,
    estimate: bool,
}

impl BandSum {
    /// Adds a band's units at its rate, then its flat fee (an unknown rate or fee marks the
    /// sum partly unknown, keeping the first reason).
    fn add(&mut self, band: &BandUse) -> Result<(), Overflow> {
        for (rate, units) in [(Some(band.rate), band.units), (band.flat_fee, 1)] {
            match rate {
                None => {}
                Some(Rate::Unknown(reason)) => self.unknown = Some(self.unknown.unwrap_or(reason)),
                Some(r) => {
                    self.estimate |= matches!(r, Rate::Estimate(_));
                    self.amount = self
                        .amount
                        .add(Money(r.value().unwrap_or_default()).times(units)?)?;
                }
            }
        }
        Ok(())
    }
}

/// Shows `visit` each band of `charge` that prices some of `quantity` units in `mode`, in
/// order, and returns the units the allowance covers.
fn visit_bands(
    charge: &Charge,
    quantity: u64,
    mode: TierMode,
    use_estimates: bool,
    mut visit: impl FnMut(BandUse) -> Result<(), Overflow>,
) -> Result<u64, Overflow> {
    let included = charge.included_units().min(quantity);
    if let Some(price) = &charge.unit_price {
        let units = quantity - included;
        if units > 0 {
            visit(BandUse {
                from: included + 1,
                to: None,
                units,
                rate: Rate::of(price, use_estimates),
                flat_fee: None,
                tier: None,
            })?;
        }
    } else if let Some(tiers) = &charge.tiers {
        let mut lo = 0u64;
        let mut unbounded = false;
        for (index, tier) in tiers.iter().enumerate() {
            let hi = tier.up_to;
            let rate = Rate::of(&tier.unit_price, use_estimates);
            let flat = tier.flat_fee.as_ref().map(|f| Rate::of(f, use_estimates));
            match mode {
                TierMode::Graduated | TierMode::Unstated => {
                    // Units of this band that are above the allowance and within the quantity.
                    let start = lo.max(included);
                    let end = hi.map_or(quantity, |h| h.min(quantity));
                    let units = end.saturating_sub(start);
                    if units > 0 {
                        visit(BandUse {
                            from: lo + 1,
                            to: hi,
                            units,
                            rate,
                            flat_fee: flat,
                            tier: Some(index),
                        })?;
                    }
                }
                TierMode::Volume => {
                    let in_band = quantity > lo && hi.is_none_or(|h| quantity <= h);
                    let units = quantity - included;
                    if in_band && units > 0 {
                        visit(BandUse {
                            from: lo + 1,
                            to: hi,
                            units,
                            rate,
                            flat_fee: flat,
                            tier: Some(index),
                        })?;
                    }
                }
            }
            if let Some(h) = hi {
                lo = h;
            } else {
                unbounded = true;
                break;
            }
        }
        if !unbounded && quantity > lo.max(included) {
            // The schedule stops before the quantity: nothing is published for these units.
            let units = match mode {
                TierMode::Graduated | TierMode::Unstated => quantity - lo.max(included),
                TierMode::Volume => quantity - included,
            };
            visit(BandUse {
                from: lo + 1,
                to: None,
                units,
                rate: Rate::Unknown(UnknownReason::Unknown),
                flat_fee: None,
                tier: None,
            })?;
        }
    }
    Ok(included)
}

impl ChargeCost {
    /// The arithmetic as text: `first 1 included; 14 × $75.00 + 85 × $60.00 = $6,150.00`.
    pub fn explain(&self, currency: &str, unit: &str) -> String {
        match &self.unstated {
            None => self.explain_one(currency, unit),
            Some(other) => format!(
                "tier mode unstated, so at least the lower of: {} ({}); {} ({})",
                self.explain_one(currency, unit),
                self.mode.as_str(),
                other.explain_one(currency, unit),
                other.mode.as_str()
            ),
        }
    }

    /// True when part of the cost is not published: an unpriced band, or an unstated mode.
    pub fn is_partial(&self) -> bool {
        self.unknown.is_some() || self.unstated.is_some()
    }

    /// Why the cost is partly unknown, in words.
    pub fn unknown_label(&self, currency: &str) -> Option<String> {
        match (&self.unstated, self.unknown) {
            (Some(other), _) => {
                let mode = format!(
                    "tier mode unstated ({} {}, {} {})",
                    self.mode.as_str(),
                    self.amount_text(currency),
                    other.mode.as_str(),
                    other.amount_text(currency)
                );
                // The mode is not the only unknown when a band either mode reaches has no
                // price: say which, so the reader asks the vendor for that price, not only
                // for the mode (found in review: WorkOS at 1,000 read as a mode question).
                let mut unpriced: Vec<(u64, String)> = self
                    .bands
                    .iter()
                    .chain(&other.bands)
                    .filter_map(|b| Some((b.from, b.unpriced_text()?)))
                    .collect();
                unpriced.sort();
                unpriced.dedup();
                Some(if unpriced.is_empty() {
                    mode
                } else {
                    let texts: Vec<String> = unpriced.into_iter().map(|(_, t)| t).collect();
                    format!("{mode}; unpriced: {}", texts.join(", "))
                })
            }
            (None, Some(r)) => Some(r.label().to_owned()),
            (None, None) => None,
        }
    }

    /// The amount under one mode: exact, `≥ X` when part is unpriced, or `unknown` when
    /// nothing is priced (a floor of 0 is never printed as `$0.00`, docs/cost-model.md).
    fn amount_text(&self, currency: &str) -> String {
        match self.unknown {
            Some(_) if self.amount.is_zero() => "unknown".to_owned(),
            Some(_) => format!("≥ {}", self.amount.cents().display(currency)),
            None => self.amount.cents().display(currency),
        }
    }

    fn explain_one(&self, currency: &str, unit: &str) -> String {
        let mut parts = Vec::new();
        for b in &self.bands {
            let rate = match b.rate {
                Rate::Known(d) => display_rate(d, currency),
                Rate::Estimate(d) => format!("{} (estimate)", display_rate(d, currency)),
                Rate::Unknown(r) => r.label().to_owned(),
            };
            parts.push(format!("{} × {rate}", group(b.units)));
            match b.flat_fee {
                Some(Rate::Known(d)) if !d.is_zero() => {
                    parts.push(format!("{} flat", display_rate(d, currency)));
                }
                Some(Rate::Estimate(d)) => {
                    parts.push(format!("{} flat (estimate)", display_rate(d, currency)));
                }
                Some(Rate::Unknown(r)) => parts.push(format!("flat fee {}", r.label())),
                _ => {}
            }
        }
        let mut text = format!(
            "{} {unit}{}",
            group(self.quantity),
            if self.quantity == 1 { "" } else { "s" }
        );
        if self.included > 0 && self.included == self.quantity && self.bands.is_empty() {
            text.push_str(", all within the allowance");
        } else if self.included > 0 {
            text.push_str(&format!(", first {} included", group(self.included)));
        }
        if parts.is_empty() {
            text.push_str(&format!(": {}", Money::ZERO.display(currency)));
            return text;
        }
        let exact = self.amount;
        let total = match self.unknown {
            // Nothing priced: the total is the reason alone, never "≥ $0.00 + …".
            Some(r) if exact.is_zero() => r.label().to_owned(),
            Some(r) => format!("≥ {} + {}", exact.cents().display(currency), r.label()),
            None if exact.cents() == exact => exact.display(currency),
            None => format!(
                "{} → {}",
                super::money::display_rate(exact.0, currency),
                exact.display(currency)
            ),
        };
        text.push_str(&format!(": {} = {total}", parts.join(" + ")));
        text
    }
}

/// Groups thousands: 1234567 → "1,234,567".
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pricing::{Meter, Tier};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn tiers(mode: TierMode, included: u64, bands: &[(Option<u64>, &str)]) -> Charge {
        Charge {
            graduated_share: None,
            name: None,
            meter: Meter::DirectoryConnections,
            included: Some(included),
            unit_price: None,
            mode: Some(mode),
            tiers: Some(
                bands
                    .iter()
                    .map(|(up, p)| Tier {
                        from: None,
                        up_to: *up,
                        unit_price: Price::Known(d(p)),
                        flat_fee: None,
                    })
                    .collect(),
            ),
            source: None,
            note: None,
        }
    }

    fn workos(mode: TierMode) -> Charge {
        tiers(
            mode,
            0,
            &[
                (Some(15), "125"),
                (Some(30), "100"),
                (Some(50), "80"),
                (Some(100), "65"),
                (Some(200), "50"),
            ],
        )
    }

    #[test]
    fn graduated_worked_example() {
        // 100 connections, graduated: 15 × 125 + 15 × 100 + 20 × 80 + 50 × 65
        //   = 1,875 + 1,500 + 1,600 + 3,250 = 8,225
        let c = evaluate(&workos(TierMode::Graduated), 100, false).unwrap();
        assert_eq!(c.amount, Money(d("8225")));
        assert_eq!(
            c.explain("USD", "directory connection"),
            "100 directory connections: 15 × $125.00 + 15 × $100.00 + 20 × $80.00 + 50 × $65.00 = $8,225.00"
        );
    }

    #[test]
    fn volume_worked_example() {
        // 100 connections, volume: the total (100) falls in the 51–100 band, so all 100 × 65 = 6,500
        let c = evaluate(&workos(TierMode::Volume), 100, false).unwrap();
        assert_eq!(c.amount, Money(d("6500")));
        // 101 falls in 101–200: 101 × 50 = 5,050 (volume pricing is not monotone)
        assert_eq!(
            evaluate(&workos(TierMode::Volume), 101, false)
                .unwrap()
                .amount,
            Money(d("5050"))
        );
    }

    #[test]
    fn allowance_is_consumed_first() {
        // Clerk-style: 1 included; (0,15] at 75, (15,100] at 60.
        // 100 connections: units 2–15 = 14 × 75 = 1,050; units 16–100 = 85 × 60 = 5,100; total 6,150
        let c = evaluate(
            &tiers(
                TierMode::Graduated,
                1,
                &[(Some(15), "75"), (Some(100), "60"), (None, "30")],
            ),
            100,
            false,
        )
        .unwrap();
        assert_eq!(c.amount, Money(d("6150")));
        assert_eq!(
            evaluate(&tiers(TierMode::Graduated, 1, &[(None, "75")]), 1, false)
                .unwrap()
                .amount,
            Money::ZERO
        );
    }

    #[test]
    fn past_a_bounded_schedule_is_unknown() {
        let c = evaluate(&workos(TierMode::Graduated), 250, false).unwrap();
        assert_eq!(c.unknown, Some(UnknownReason::Unknown));
        // The priced part still counts: 8,225 + 100 × 50 = 13,225
        assert_eq!(c.amount, Money(d("13225")));
    }

    #[test]
    fn contact_sales_band_is_unknown_never_zero() {
        let mut ch = workos(TierMode::Graduated);
        if let Some(t) = ch.tiers.as_mut() {
            t.push(Tier {
                from: None,
                up_to: None,
                unit_price: Price::Unpublished {
                    reason: UnknownReason::ContactSales,
                    estimate: Some(crate::model::Estimate::point(d("40"))),
                    note: None,
                },
                flat_fee: None,
            });
        }
        let c = evaluate(&ch, 210, false).unwrap();
        assert_eq!(c.unknown, Some(UnknownReason::ContactSales));
        let e = evaluate(&ch, 210, true).unwrap();
        // With the estimate opted in: 13,225 + 10 × 40 = 13,625, labelled as an estimate.
        assert_eq!(
            (e.unknown, e.estimate, e.amount),
            (None, true, Money(d("13625")))
        );
    }
}
