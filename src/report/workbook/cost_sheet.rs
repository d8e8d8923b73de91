//! A scenario's `Cost_` sheet: scimeter's cost model as live formulas over `Inputs` and
//! `Prices`, one column per period (each milestone, then each month of the horizon).
//!
//! For each provider: every plan's line items (band tables as `MAX(0, MIN(q, hi) − MAX(lo,
//! allowance)) × price` per band in graduated mode, the one band holding the quantity in
//! volume mode, the lower of both for an unstated mode), the add-ons it must buy, its
//! eligibility (plan limits), then the plan choice of `src/cost/quote.rs`: a fully known cost
//! beats a partly unknown one, a published plan fee beats a contact-sales one, then the
//! lower amount, ties to the earlier plan. Then the discount, the escalator, costs outside
//! plans, one-time costs, and month and cumulative totals. An unknown part is never 0: it
//! adds nothing to the floor and raises an "unknown" count, and the status reads
//! "≥ … + unknown".

use super::book::Book;
use super::formula::{Cell, Cmp, Expr, Range, SheetId};
use super::inputs::{Inputs, ScenarioInputs};
use super::prices::PriceCells;
use crate::cost::QuoteContext;
use crate::model::pricing::{
    AddOn, Charge, MEMBERS_PER_ORGANIZATION, Meter, Plan, TierMode, addon_path, charge_path,
    plan_path,
};
use crate::model::scenario::{Cycle, GrowthKind};
use crate::model::{Price, Scenario};
use crate::report::scenario_report::ScenarioReport;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Worksheet, XlsxError};
use std::collections::HashMap;

/// The weight of a plan's choice class in its choice key.
const CLASS: f64 = 1e13;

/// The first period column (after provider, plan and row label).
pub const FIRST_COL: u16 = 3;

/// One column of the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A steady-state milestone (index into the scenario's milestones): month 1 prices, all
    /// one-time costs.
    Milestone(usize),
    /// A month of the projection (1-based).
    Month(u32),
}

/// Where a provider's results are on the sheet.
#[derive(Debug, Clone)]
pub struct ProviderRows {
    /// Provider id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// "Monthly total" (the floor when partly unknown; empty text when unknown or unavailable).
    pub monthly: Option<u32>,
    /// The monthly total's status text.
    pub status: Option<u32>,
    /// "One-time total".
    pub one_time: Option<u32>,
    /// "Month total" (recurring plus one-time costs due in the month), month columns only.
    pub month_total: Option<u32>,
    /// "Cumulative", month columns only.
    pub cumulative: Option<u32>,
}

/// What the sheet holds, for the projection and summary sheets.
#[derive(Debug)]
pub struct CostLayout {
    /// The periods, in column order from [`FIRST_COL`].
    pub periods: Vec<Period>,
    /// The row of month numbers.
    pub month_row: u32,
    /// The row of customer counts.
    pub customers_row: u32,
    /// The "cheapest fully known" row of the summary block.
    pub cheapest_row: u32,
    /// Per provider, in the scenario's provider order.
    pub providers: Vec<ProviderRows>,
}

impl CostLayout {
    /// The column of a period.
    pub fn col(&self, p: Period) -> Option<u16> {
        self.periods
            .iter()
            .position(|x| *x == p)
            .and_then(|i| u16::try_from(i).ok())
            .map(|i| FIRST_COL + i)
    }
}

/// Writes rows across the period columns.
struct Sheet<'a> {
    book: &'a mut Book,
    ws: &'a mut Worksheet,
    id: SheetId,
    periods: Vec<Period>,
    row: u32,
}

impl Sheet<'_> {
    fn cell(&self, row: u32, col: u16) -> Cell {
        Cell::new(self.id, row, col)
    }

    fn col(k: usize) -> u16 {
        FIRST_COL + u16::try_from(k).unwrap_or(u16::MAX)
    }

    fn labels(&mut self, provider: &str, plan: &str, label: &str) -> Result<(), XlsxError> {
        let r = self.row;
        for (col, t) in [(0u16, provider), (1, plan), (2, label)] {
            if !t.is_empty() {
                self.book.text(self.ws, self.cell(r, col), t, None)?;
            }
        }
        Ok(())
    }

    /// Writes one row: labels, then the formula `f(period)` in every period column where it
    /// gives one. Formulas refer to their own column with [`Expr::Here`]. Returns the row.
    fn put(
        &mut self,
        provider: &str,
        plan: &str,
        label: &str,
        format: Option<&Format>,
        f: impl Fn(Period) -> Option<Expr>,
    ) -> Result<u32, XlsxError> {
        self.labels(provider, plan, label)?;
        let r = self.row;
        for (k, p) in self.periods.clone().into_iter().enumerate() {
            if let Some(e) = f(p) {
                self.book
                    .formula(self.ws, self.cell(r, Self::col(k)), &e, format)?;
            }
        }
        self.row += 1;
        Ok(r)
    }

    /// Writes one row with `milestone` in the milestone columns and `month` in the month
    /// columns (either may be absent).
    fn put_kinds(
        &mut self,
        (provider, plan, label): (&str, &str, &str),
        format: Option<&Format>,
        milestone: Option<&Expr>,
        month: Option<&Expr>,
    ) -> Result<u32, XlsxError> {
        self.labels(provider, plan, label)?;
        let r = self.row;
        for (e, milestones) in [(milestone, true), (month, false)] {
            let Some(e) = e else { continue };
            let cells: Vec<Cell> = (0..self.periods.len())
                .filter(|&k| matches!(self.periods[k], Period::Milestone(_)) == milestones)
                .map(|k| self.cell(r, Self::col(k)))
                .collect();
            self.book.formula_row(self.ws, cells, e, format)?;
        }
        self.row += 1;
        Ok(r)
    }

    /// Writes one row with the same formula in every period column.
    fn put_all(
        &mut self,
        labels: (&str, &str, &str),
        format: Option<&Format>,
        e: &Expr,
    ) -> Result<u32, XlsxError> {
        self.put_kinds(labels, format, Some(e), Some(e))
    }

    /// A row of the same text in every period column (an unknown price: never a 0).
    fn put_text(
        &mut self,
        provider: &str,
        plan: &str,
        label: &str,
        t: &str,
    ) -> Result<u32, XlsxError> {
        self.labels(provider, plan, label)?;
        let r = self.row;
        for k in 0..self.periods.len() {
            self.book
                .text(self.ws, self.cell(r, Self::col(k)), t, None)?;
        }
        self.row += 1;
        Ok(r)
    }
}

/// A 1/0 flag from a condition.
fn flag(cond: Expr) -> Expr {
    Expr::if_(cond, Expr::Num(1.0), Expr::Num(0.0))
}

fn gt0(e: Expr) -> Expr {
    Expr::cmp(e, Cmp::Gt, Expr::Num(0.0))
}

/// A charge's exact amount (before rounding) and the conditions under which part of it is
/// unknown, for quantity `q`.
struct ChargeTerms {
    amount: Expr,
    unknown: Vec<Expr>,
}

fn mode_terms(
    prices: &PriceCells,
    pid: &str,
    path: &str,
    charge: &Charge,
    q: &Expr,
    mode: TierMode,
    use_estimates: bool,
) -> ChargeTerms {
    let included = [".unit_price", ".tiers.0.unit_price", ".included"]
        .iter()
        .find_map(|s| prices.get(pid, &format!("{path}{s}")))
        .map_or(Expr::Num(0.0), |c| Expr::Ref(c.included));
    let mut terms = Vec::new();
    let mut unknown = Vec::new();
    if let Some(price) = &charge.unit_price {
        let units = Expr::max(Expr::Num(0.0), Expr::minus(q.clone(), included.clone()));
        match prices.term(pid, &format!("{path}.unit_price"), price, use_estimates) {
            Some((p, _)) => terms.push(Expr::times(units, p)),
            None => unknown.push(gt0(units)),
        }
    } else if let Some(tiers) = &charge.tiers {
        let mut lo = Expr::Num(0.0);
        let mut bounded_end = None;
        for (j, t) in tiers.iter().enumerate() {
            let band = format!("{path}.tiers.{j}");
            let Some(cells) = prices.get(pid, &format!("{band}.unit_price")) else {
                continue;
            };
            let hi = t.up_to.map(|_| Expr::Ref(cells.up_to));
            let price = prices.term(
                pid,
                &format!("{band}.unit_price"),
                &t.unit_price,
                use_estimates,
            );
            let flat = t
                .flat_fee
                .as_ref()
                .map(|f| prices.term(pid, &format!("{band}.flat_fee"), f, use_estimates));
            match mode {
                TierMode::Graduated | TierMode::Unstated => {
                    let end = hi
                        .clone()
                        .map_or_else(|| q.clone(), |h| Expr::min(q.clone(), h));
                    let units = Expr::max(
                        Expr::Num(0.0),
                        Expr::minus(end, Expr::max(lo.clone(), included.clone())),
                    );
                    match price {
                        Some((p, _)) => terms.push(Expr::times(units.clone(), p)),
                        None => unknown.push(gt0(units.clone())),
                    }
                    match flat {
                        Some(Some((f, _))) => {
                            terms.push(Expr::if_(gt0(units), f, Expr::Num(0.0)));
                        }
                        Some(None) => unknown.push(gt0(units)),
                        None => {}
                    }
                }
                TierMode::Volume => {
                    let mut holds = vec![Expr::cmp(q.clone(), Cmp::Gt, lo.clone())];
                    if let Some(h) = &hi {
                        holds.push(Expr::cmp(q.clone(), Cmp::Le, h.clone()));
                    }
                    holds.push(Expr::cmp(q.clone(), Cmp::Gt, included.clone()));
                    let used = Expr::And(holds);
                    let mut parts = Vec::new();
                    match price {
                        Some((p, _)) => {
                            parts.push(Expr::times(Expr::minus(q.clone(), included.clone()), p));
                        }
                        None => unknown.push(used.clone()),
                    }
                    match flat {
                        Some(Some((f, _))) => parts.push(f),
                        Some(None) => unknown.push(used.clone()),
                        None => {}
                    }
                    if !parts.is_empty() {
                        terms.push(Expr::if_(used, Expr::add(parts), Expr::Num(0.0)));
                    }
                }
            }
            let Some(h) = hi else {
                bounded_end = None;
                break;
            };
            lo = h.clone();
            bounded_end = Some(h);
        }
        if let Some(end) = bounded_end {
            // Past the last published band nothing is priced.
            unknown.push(Expr::cmp(q.clone(), Cmp::Gt, Expr::max(end, included)));
        }
    }
    ChargeTerms {
        amount: if terms.is_empty() {
            Expr::Num(0.0)
        } else {
            Expr::add(terms)
        },
        unknown,
    }
}

/// Scenario-wide rows: month, customers, meters, escalator factor.
struct ScenarioRows {
    month: u32,
    customers: u32,
    meters: HashMap<&'static str, u32>,
    members_per_organization: u32,
    escalator: u32,
}

fn growth_expr(sc: &Scenario, inp: &ScenarioInputs, m: &Expr) -> Expr {
    let g = |k: &str| inp.or_zero(k);
    let m1 = Expr::minus(m.clone(), Expr::Num(1.0));
    let raw = match sc.growth.kind {
        GrowthKind::Constant => g("growth_customers"),
        GrowthKind::Linear => {
            let h = g("horizon_months");
            Expr::if_(
                Expr::cmp(h.clone(), Cmp::Le, Expr::Num(1.0)),
                g("growth_end"),
                Expr::add(vec![
                    g("growth_start"),
                    Expr::over(
                        Expr::times(Expr::minus(g("growth_end"), g("growth_start")), m1),
                        Expr::minus(h, Expr::Num(1.0)),
                    ),
                ]),
            )
        }
        GrowthKind::Compound => {
            let v = Expr::times(
                g("growth_start"),
                Expr::Pow(
                    Box::new(Expr::add(vec![Expr::Num(1.0), g("growth_monthly_rate")])),
                    Box::new(m1),
                ),
            );
            match inp.get("growth_cap") {
                Some(cap) => Expr::min(v, cap),
                None => v,
            }
        }
        GrowthKind::Logistic => Expr::over(
            g("growth_capacity"),
            Expr::add(vec![
                Expr::Num(1.0),
                Expr::Exp(Box::new(Expr::times(
                    Expr::Mul(vec![Expr::Num(-1.0), g("growth_steepness")]),
                    Expr::minus(m.clone(), g("growth_midpoint_month")),
                ))),
            ]),
        ),
        GrowthKind::Points => {
            let n = sc.growth.points.len();
            let pm = |i: usize| g(&format!("growth_point_{}_month", i + 1));
            let pc = |i: usize| g(&format!("growth_point_{}_customers", i + 1));
            // Flat after the last point; each segment interpolates; flat before the first.
            let mut e = if n == 0 { Expr::Num(0.0) } else { pc(n - 1) };
            for i in (1..n).rev() {
                let seg = Expr::add(vec![
                    pc(i - 1),
                    Expr::over(
                        Expr::times(
                            Expr::minus(pc(i), pc(i - 1)),
                            Expr::minus(m.clone(), pm(i - 1)),
                        ),
                        Expr::minus(pm(i), pm(i - 1)),
                    ),
                ]);
                e = Expr::if_(Expr::cmp(m.clone(), Cmp::Le, pm(i)), seg, e);
            }
            if n > 0 {
                e = Expr::if_(Expr::cmp(m.clone(), Cmp::Le, pm(0)), pc(0), e);
            }
            e
        }
    };
    // Whole customers, rounded half away from zero; never negative; capped as the engine caps.
    Expr::if_(
        Expr::cmp(raw.clone(), Cmp::Gt, Expr::Num(0.0)),
        Expr::min(
            Expr::Num(crate::cost::growth::MAX_CUSTOMERS as f64),
            Expr::round(raw, 0),
        ),
        Expr::Num(0.0),
    )
}

fn scenario_rows(
    s: &mut Sheet<'_>,
    sc: &Scenario,
    inp: &ScenarioInputs,
) -> Result<ScenarioRows, XlsxError> {
    let bold = s.book.styles.bold.clone();
    let month = s.row;
    s.labels("", "", "Month (prices of; one-time costs due in)")?;
    for (k, p) in s.periods.clone().into_iter().enumerate() {
        let v = match p {
            Period::Milestone(_) => 1.0,
            Period::Month(m) => f64::from(m),
        };
        s.book.num(s.ws, s.cell(month, Sheet::col(k)), v, None)?;
    }
    s.row += 1;
    let growth = growth_expr(sc, inp, &Expr::Here(month));
    let customers = s.put("", "", "Customers", Some(&bold), |p| {
        Some(match p {
            Period::Milestone(k) => inp.or_zero(&format!("customers_{}", k + 1)),
            Period::Month(_) => growth.clone(),
        })
    })?;
    let c = Expr::Here(customers);
    let mut meters = HashMap::new();
    for (key, label) in [
        ("directory_connections", "Meter: SCIM directory connections"),
        ("sso_connections", "Meter: SSO connections"),
        ("organizations", "Meter: organizations"),
        ("api_requests", "Meter: API requests"),
    ] {
        let e = Expr::whole_up(Expr::times(c.clone(), inp.or_zero(key)));
        meters.insert(key, s.put_all(("", "", label), None, &e)?);
    }
    let ent = Expr::add(vec![
        Expr::Here(meters["directory_connections"]),
        Expr::Here(meters["sso_connections"]),
    ]);
    let ent = s.put_all(
        ("", "", "Meter: enterprise connections (SCIM + SSO)"),
        None,
        &ent,
    )?;
    meters.insert("enterprise_connections", ent);
    let mau = Expr::whole_up(Expr::add(vec![
        Expr::Mul(vec![c, inp.or_zero("seats"), inp.or_zero("active_share")]),
        inp.or_zero("other_mau"),
    ]));
    meters.insert(
        "mau",
        s.put_all(("", "", "Meter: monthly active users"), None, &mau)?,
    );
    let members = Expr::if_(
        gt0(inp.or_zero("organizations")),
        Expr::whole_up(Expr::over(
            inp.or_zero("seats"),
            inp.or_zero("organizations"),
        )),
        Expr::Num(0.0),
    );
    let members = s.put_all(
        ("", "", "Members per organization (seats ÷ organizations)"),
        None,
        &members,
    )?;
    let factor = Expr::minus(
        Expr::Pow(
            Box::new(Expr::add(vec![Expr::Num(1.0), inp.or_zero("escalator")])),
            Box::new(Expr::Int(Box::new(Expr::over(
                Expr::minus(Expr::max(Expr::Here(month), Expr::Num(1.0)), Expr::Num(1.0)),
                Expr::Num(12.0),
            )))),
        ),
        Expr::Num(1.0),
    );
    let escalator = s.put_all(
        ("", "", "Escalator factor ((1 + rate)^whole years − 1)"),
        None,
        &factor,
    )?;
    Ok(ScenarioRows {
        month,
        customers,
        meters,
        members_per_organization: members,
        escalator,
    })
}

/// The condition that a plan needs each attachable add-on, in file order, as the engine
/// decides it: always (`required`), above a usage threshold, or as the first add-on that
/// supplies a required feature the plan and the add-ons already bought lack. `Err` when a
/// required feature cannot be had with this plan at all.
fn addon_conditions<'p>(
    cx: &QuoteContext<'p>,
    plan: &Plan,
    rows: &ScenarioRows,
) -> Result<Vec<(&'p AddOn, Expr)>, String> {
    let attachable: Vec<&AddOn> = cx
        .provider
        .pricing
        .addons
        .iter()
        .filter(|a| a.plans.is_empty() || a.plans.iter().any(|p| p == plan.id.as_str()))
        .collect();
    let meter = |key: &str| -> Expr {
        let row = if key == MEMBERS_PER_ORGANIZATION {
            Some(rows.members_per_organization)
        } else {
            rows.meters.get(key).copied()
        };
        row.map_or(Expr::Num(0.0), Expr::Here)
    };
    let mut conds: Vec<(&AddOn, Expr)> = attachable
        .iter()
        .map(|a| {
            let c = if a.required {
                Expr::Num(1.0)
            } else {
                Expr::Or(
                    a.required_above
                        .iter()
                        .map(|(k, &limit)| Expr::cmp(meter(k), Cmp::Gt, Expr::Num(limit as f64)))
                        .collect(),
                )
            };
            (*a, c)
        })
        .collect();
    for feature in &cx.gated_required {
        let f = feature.as_str();
        if plan.features.iter().any(|x| x == f) {
            continue;
        }
        let supplies = |a: &AddOn| a.features.iter().any(|x| x == f);
        let covered = Expr::Or(
            conds
                .iter()
                .filter(|(a, _)| supplies(a))
                .map(|(_, c)| c.clone())
                .collect(),
        );
        match conds.iter_mut().find(|(a, _)| supplies(a)) {
            Some((_, c)) => *c = Expr::Or(vec![c.clone(), Expr::negate(covered)]),
            None => return Err(format!("lacks `{f}` and no add-on supplies it")),
        }
    }
    Ok(conds)
}

/// Converts to the scenario's currency and rounds to the cent, as each line is.
fn to_line(amount: Expr, fx: Option<&Expr>) -> Expr {
    match fx {
        Some(fx) => Expr::round(Expr::times(amount, fx.clone()), 2),
        None => Expr::round(amount, 2),
    }
}

/// `e` when the add-on whose flag is in row `bought` is bought (or always, without one).
fn when(bought: Option<u32>, e: Expr) -> Expr {
    match bought {
        Some(r) => Expr::if_(gt0(Expr::Here(r)), e, Expr::Num(0.0)),
        None => e,
    }
}

/// `SUM` of rows in the formula's column (0 when there are none).
fn sum_rows(rows: &[u32]) -> Expr {
    if rows.is_empty() {
        Expr::Num(0.0)
    } else {
        Expr::Sum(rows.iter().map(|&r| Expr::Here(r)).collect())
    }
}

/// One plan's rows, for the choice.
struct PlanRows {
    label: String,
    /// Rows of line amounts.
    amounts: Vec<u32>,
    /// Rows of 1/0 "partly unknown" flags.
    unknowns: Vec<u32>,
    /// The eligibility row; `None` when the plan can never serve the scenario.
    eligible: Option<u32>,
    /// The plan's own fee is published (a contact-sales plan's floor says nothing).
    fee_published: bool,
}

/// Writes one provider's block.
struct Block<'s, 'w, 'c> {
    s: &'s mut Sheet<'w>,
    cx: &'s QuoteContext<'c>,
    prices: &'s PriceCells,
    rows: &'s ScenarioRows,
    /// The exchange rate (an `Inputs` name) when the provider bills in another currency.
    fx: Option<Expr>,
    /// The scenario's engineering rate (an `Inputs` name), when it sets one.
    hourly: Option<Expr>,
    name: String,
}

impl Block<'_, '_, '_> {
    fn pid(&self) -> &str {
        self.cx.provider.id()
    }

    fn formats(&self) -> (Format, Format) {
        (
            self.s.book.styles.money.clone(),
            self.s.book.styles.helper.clone(),
        )
    }

    /// A fee line (a plan or add-on fee): the price, or "unknown" text and a flag.
    fn fee(
        &mut self,
        plan: &str,
        what: &str,
        path: &str,
        price: &Price,
        bought: Option<u32>,
        out: &mut PlanRows,
    ) -> Result<(), XlsxError> {
        let (money, helper) = self.formats();
        let name = self.name.clone();
        if let Some((p, est)) = self
            .prices
            .term(self.pid(), path, price, self.cx.use_estimates)
        {
            let label = if est {
                format!("{what} (estimate)")
            } else {
                what.to_owned()
            };
            let line = when(bought, to_line(p, self.fx.as_ref()));
            out.amounts
                .push(self.s.put_all((&name, plan, &label), Some(&money), &line)?);
        } else {
            let word = match price {
                Price::Unpublished { reason, .. } => reason.label(),
                Price::Known(_) => "unknown",
            };
            self.s.put_text(&name, plan, what, word)?;
            let flag_row = when(bought, Expr::Num(1.0));
            let label = format!("{what}: unknown?");
            out.unknowns.push(
                self.s
                    .put_all((&name, plan, &label), Some(&helper), &flag_row)?,
            );
        }
        Ok(())
    }

    /// A usage charge: the band maths over its meter, and its unknown flag when it has one.
    fn charge(
        &mut self,
        plan: &str,
        path: &str,
        charge: &Charge,
        bought: Option<u32>,
        out: &mut PlanRows,
    ) -> Result<(), XlsxError> {
        let (money, helper) = self.formats();
        let name = self.name.clone();
        let q = match (charge.meter, self.rows.meters.get(charge.meter.as_str())) {
            (Meter::Flat, _) | (_, None) => Expr::Num(1.0),
            (_, Some(&r)) => Expr::Here(r),
        };
        let (prices, pid, est) = (self.prices, self.cx.provider.id(), self.cx.use_estimates);
        let t = match charge.mode {
            // An unstated mode: both modes on their own rows, the lower one counts, and the
            // cost is partly unknown where they differ.
            Some(TierMode::Unstated) if charge.tiers.is_some() => {
                let mut rows = Vec::new();
                let mut unknown = Vec::new();
                for mode in [TierMode::Graduated, TierMode::Volume] {
                    let m = mode_terms(prices, pid, path, charge, &q, mode, est);
                    let label =
                        format!("{}: if {} (before rounding)", charge.label(), mode.as_str());
                    rows.push(
                        self.s
                            .put_all((&name, plan, &label), Some(&money), &m.amount)?,
                    );
                    unknown.extend(m.unknown);
                }
                let (g, v) = (Expr::Here(rows[0]), Expr::Here(rows[1]));
                unknown.push(Expr::cmp(
                    Expr::round(g.clone(), 6),
                    Cmp::Ne,
                    Expr::round(v.clone(), 6),
                ));
                ChargeTerms {
                    amount: Expr::min(g, v),
                    unknown,
                }
            }
            mode => mode_terms(
                prices,
                pid,
                path,
                charge,
                &q,
                mode.unwrap_or(TierMode::Graduated),
                est,
            ),
        };
        let mode = charge
            .mode
            .map(|m| format!(", {}", m.as_str()))
            .unwrap_or_default();
        let label = format!("{} (per {}{mode})", charge.label(), charge.meter.unit());
        let amount = when(bought, to_line(t.amount, self.fx.as_ref()));
        out.amounts.push(
            self.s
                .put_all((&name, plan, &label), Some(&money), &amount)?,
        );
        if !t.unknown.is_empty() {
            let cond = Expr::Or(t.unknown);
            let f = flag(match bought {
                Some(b) => Expr::And(vec![gt0(Expr::Here(b)), cond]),
                None => cond,
            });
            let label = format!("{}: partly unknown?", charge.label());
            out.unknowns
                .push(self.s.put_all((&name, plan, &label), Some(&helper), &f)?);
        }
        Ok(())
    }

    fn plan(&mut self, plan: &Plan) -> Result<PlanRows, XlsxError> {
        let cx = self.cx;
        let label = plan.label();
        let ppath = plan_path(plan);
        let (_, helper) = self.formats();
        let name = self.name.clone();
        let (fee, fee_key) = match (cx.scenario.billing.cycle, &plan.annual_base_fee) {
            (Cycle::Annual, Some(a)) => (Some(a), "annual_base_fee"),
            _ => (plan.base_fee.as_ref(), "base_fee"),
        };
        let mut out = PlanRows {
            label: label.clone(),
            amounts: Vec::new(),
            unknowns: Vec::new(),
            eligible: None,
            fee_published: fee.is_none_or(|f| f.known().is_some()),
        };
        let conds = if plan.features.iter().any(|f| f == "scim") {
            addon_conditions(cx, plan, self.rows)
        } else {
            Err("does not include SCIM".to_owned())
        };
        let conds = match conds {
            Ok(c) => c,
            Err(reason) => {
                self.s.put_text(
                    &name,
                    &label,
                    "Not eligible",
                    &format!("plan `{}` {reason}", plan.id),
                )?;
                return Ok(out);
            }
        };
        let limits = Expr::And(
            plan.limits
                .iter()
                .filter_map(|(k, &l)| {
                    self.rows
                        .meters
                        .get(k.as_str())
                        .map(|&r| Expr::cmp(Expr::Here(r), Cmp::Le, Expr::Num(l as f64)))
                })
                .collect(),
        );
        out.eligible = Some(self.s.put_all(
            (&name, &label, "Eligible (within the plan's limits)"),
            Some(&helper),
            &flag(limits),
        )?);
        let mut bought = Vec::new();
        for (a, cond) in conds {
            let row_label = format!("Buys add-on: {}", a.label());
            bought.push((
                a,
                self.s
                    .put_all((&name, &label, &row_label), Some(&helper), &flag(cond))?,
            ));
        }
        if let Some(price) = fee
            && price != &Price::ZERO
        {
            let what = if fee_key == "base_fee" {
                "Plan fee"
            } else {
                "Plan fee (annual billing, per month)"
            };
            self.fee(
                &label,
                what,
                &format!("{ppath}.{fee_key}"),
                price,
                None,
                &mut out,
            )?;
        }
        for (i, charge) in plan.charges.iter().enumerate() {
            self.charge(&label, &charge_path(&ppath, i), charge, None, &mut out)?;
        }
        for (a, row) in bought {
            let apath = addon_path(a);
            if let Some(fee) = &a.fee {
                let what = format!("{} fee", a.label());
                self.fee(
                    &label,
                    &what,
                    &format!("{apath}.fee"),
                    fee,
                    Some(row),
                    &mut out,
                )?;
            }
            for (i, charge) in a.charges.iter().enumerate() {
                self.charge(&label, &charge_path(&apath, i), charge, Some(row), &mut out)?;
            }
        }
        Ok(out)
    }

    /// A cost outside the plans: a fixed amount, or hours × the hourly rate. `due`: the
    /// month a one-time cost falls in (it counts in that month's column, and in every
    /// milestone column); `None` for a recurring cost.
    fn outside_plans(
        &mut self,
        label: &str,
        amount: Option<&Price>,
        hours: Option<Expr>,
        path: &str,
        due: Option<u32>,
    ) -> Result<(Option<u32>, Option<u32>), XlsxError> {
        let cx = self.cx;
        let (money, helper) = self.formats();
        let name = self.name.clone();
        let value: Option<Expr> = if let Some(price) = amount {
            self.prices
                .term(self.pid(), path, price, cx.use_estimates)
                .map(|(p, _)| to_line(p, self.fx.as_ref()))
        } else {
            {
                let rate = if cx.hourly_rate_is_providers {
                    cx.hourly_rate.as_ref().and_then(|r| {
                        self.prices
                            .term(self.pid(), "pricing.hourly_rate", r, cx.use_estimates)
                            .map(|(p, _)| match &self.fx {
                                Some(fx) => Expr::times(p, fx.clone()),
                                None => p,
                            })
                    })
                } else {
                    self.hourly.clone()
                };
                rate.map(|r| Expr::round(Expr::times(r, hours.unwrap_or(Expr::Num(0.0))), 2))
            }
        };
        let in_month = |e: &Expr| match due {
            Some(m) => Expr::if_(
                Expr::cmp(
                    Expr::Here(self.rows.month),
                    Cmp::Eq,
                    Expr::Num(f64::from(m)),
                ),
                e.clone(),
                Expr::Num(0.0),
            ),
            None => e.clone(),
        };
        if let Some(v) = value {
            let r = self.s.put_kinds(
                (&name, "", label),
                Some(&money),
                Some(&v),
                Some(&in_month(&v)),
            )?;
            return Ok((Some(r), None));
        }
        let word = match amount {
            Some(Price::Unpublished { reason, .. }) => reason.label(),
            Some(Price::Known(_)) => "unknown",
            None => "unknown (no hourly rate)",
        };
        self.s.put_text(&name, "", label, word)?;
        let one = Expr::Num(1.0);
        let flag_label = format!("{label}: unknown?");
        let r = self.s.put_kinds(
            (&name, "", &flag_label),
            Some(&helper),
            Some(&one),
            Some(&in_month(&one)),
        )?;
        Ok((None, Some(r)))
    }
}

/// "Empty when unavailable or wholly unknown, else the floor": how a total is shown (an
/// unknown cost is never 0).
fn display(available: Expr, unknown: Expr, floor: Expr) -> Expr {
    Expr::if_(
        available,
        Expr::if_(
            Expr::And(vec![
                gt0(unknown),
                Expr::cmp(floor.clone(), Cmp::Eq, Expr::Num(0.0)),
            ]),
            Expr::Text(""),
            floor,
        ),
        Expr::Text(""),
    )
}

/// Writes a provider's block; returns where its results are.
#[allow(clippy::too_many_lines)]
fn provider_block(
    s: &mut Sheet<'_>,
    cx: &QuoteContext<'_>,
    prices: &PriceCells,
    rows: &ScenarioRows,
    inputs: &Inputs,
    inp: &ScenarioInputs,
    name: &str,
) -> Result<ProviderRows, XlsxError> {
    let p = cx.provider;
    let pid = p.id();
    let sheet = s.id;
    let (bold, money, helper) = (
        s.book.styles.bold.clone(),
        s.book.styles.money.clone(),
        s.book.styles.helper.clone(),
    );
    let mut out = ProviderRows {
        id: pid.to_owned(),
        name: name.to_owned(),
        monthly: None,
        status: None,
        one_time: None,
        month_total: None,
        cumulative: None,
    };
    s.book.text(s.ws, s.cell(s.row, 0), name, Some(&bold))?;
    s.row += 1;
    if let Some(reason) = &cx.excluded {
        let text = format!("unavailable: excluded by the scenario's requirements: {reason}");
        out.status = Some(s.put_text(name, "", "Status", &text)?);
        s.row += 1;
        return Ok(out);
    }
    let mut b = Block {
        s,
        cx,
        prices,
        rows,
        fx: (cx.fx != Decimal::ONE).then(|| inp.or_zero(&format!("fx_{}", p.currency))),
        hourly: inp.get("hourly_rate"),
        name: name.to_owned(),
    };
    let mut plans = Vec::new();
    for plan in &p.pricing.plans {
        plans.push(b.plan(plan)?);
    }
    let n = u32::try_from(plans.len()).unwrap_or(u32::MAX);
    let last = |first: u32| first + n.saturating_sub(1);
    // The choice, in contiguous groups so that MIN, MATCH and INDEX can read them.
    let sub_first = b.s.row;
    for pl in &plans {
        let e = sum_rows(&pl.amounts);
        b.s.put_all(
            (name, &pl.label, "Vendor subtotal (plan and add-ons)"),
            Some(&money),
            &e,
        )?;
    }
    // One key per plan: class × 10¹³ + subtotal, the class being 0 fully known, 1 partly
    // unknown, 2 partly unknown with a contact-sales plan fee, 3 not eligible. The smallest
    // key is scimeter's choice (ties to the earlier plan), exactly while a monthly subtotal
    // stays below 10¹³ (binary floating point still resolves a cent there).
    let key_first = b.s.row;
    for (i, pl) in (0u32..).zip(&plans) {
        let class = match pl.eligible {
            None => Expr::Num(3.0),
            Some(e) => Expr::if_(
                gt0(Expr::Here(e)),
                Expr::if_(
                    Expr::cmp(sum_rows(&pl.unknowns), Cmp::Eq, Expr::Num(0.0)),
                    Expr::Num(0.0),
                    Expr::Num(if pl.fee_published { 1.0 } else { 2.0 }),
                ),
                Expr::Num(3.0),
            ),
        };
        let key = Expr::add(vec![
            Expr::times(class, Expr::Num(CLASS)),
            Expr::Here(sub_first + i),
        ]);
        let label = "Choice key: class × 10^13 + subtotal (class 0 fully known, 1 partly unknown, 2 contact-sales fee, 3 not eligible)";
        b.s.put_all((name, &pl.label, label), Some(&helper), &key)?;
    }
    let keys = Range::here(sheet, key_first, last(key_first));
    let chosen = if plans.is_empty() {
        Expr::Num(0.0)
    } else {
        Expr::if_(
            Expr::cmp(Expr::MinOf(keys), Cmp::Ge, Expr::Num(3.0 * CLASS)),
            Expr::Num(0.0),
            Expr::ArgMin(keys),
        )
    };
    let chosen = b.s.put_all(
        (name, "", "Chosen plan (position; 0 = none eligible)"),
        Some(&helper),
        &chosen,
    )?;
    let none = Expr::cmp(Expr::Here(chosen), Cmp::Eq, Expr::Num(0.0));
    let pick = |first: u32| {
        Expr::if_(
            none.clone(),
            Expr::Num(0.0),
            Expr::Index(
                Range::here(sheet, first, last(first)),
                Box::new(Expr::Here(chosen)),
            ),
        )
    };
    let labels = Range {
        first: Cell::new(sheet, key_first, 1),
        last: Cell::new(sheet, last(key_first), 1),
    };
    let plan_name = Expr::if_(
        none.clone(),
        Expr::Text("none eligible"),
        Expr::Index(labels, Box::new(Expr::Here(chosen))),
    );
    b.s.put_all((name, "", "Chosen plan"), None, &plan_name)?;
    let vendor =
        b.s.put_all((name, "", "Vendor fees"), Some(&money), &pick(sub_first))?;
    // The chosen plan is partly unknown when its class (the key's 10¹³ digit) is 1 or 2.
    let vendor_unknown = flag(Expr::cmp(pick(key_first), Cmp::Ge, Expr::Num(CLASS)));
    let discount = Expr::if_(
        Expr::cmp(Expr::Here(vendor), Cmp::Eq, Expr::Num(0.0)),
        Expr::Num(0.0),
        Expr::Mul(vec![
            Expr::Num(-1.0),
            Expr::round(
                Expr::times(Expr::Here(vendor), inp.or_zero(&format!("discount_{pid}"))),
                2,
            ),
        ]),
    );
    let discount =
        b.s.put_all((name, "", "Negotiated discount"), Some(&money), &discount)?;
    let escalator = Expr::round(
        Expr::times(
            Expr::add(vec![Expr::Here(vendor), Expr::Here(discount)]),
            Expr::Here(rows.escalator),
        ),
        2,
    );
    let escalator =
        b.s.put_all((name, "", "Price escalator"), Some(&money), &escalator)?;
    let mut parts = vec![vendor, discount, escalator];
    let mut unk_rows = Vec::new();
    for r in &p.pricing.recurring {
        let label = r.name.clone().unwrap_or_else(|| r.id.to_string());
        let (a, u) = b.outside_plans(
            &label,
            r.amount.as_ref(),
            inputs.hours(pid, &format!("recurring.{}", r.id)),
            &format!("pricing.recurring.{}.amount", r.id),
            None,
        )?;
        parts.extend(a);
        unk_rows.extend(u);
    }
    let floor = Expr::if_(none.clone(), Expr::Num(0.0), sum_rows(&parts));
    let floor = b.s.put_all(
        (name, "", "Monthly floor (priced parts)"),
        Some(&money),
        &floor,
    )?;
    let unk = Expr::add(vec![vendor_unknown, sum_rows(&unk_rows)]);
    let unk =
        b.s.put_all((name, "", "Monthly: unknown parts"), Some(&helper), &unk)?;
    let avail = gt0(Expr::Here(chosen));
    let (fl, un) = (Expr::Here(floor), Expr::Here(unk));
    let total = display(avail.clone(), un.clone(), fl.clone());
    let total_format = b.s.book.styles.total.clone();
    out.monthly = Some(b.s.put_all((name, "", "Monthly total"), Some(&total_format), &total)?);
    let status = Expr::if_(
        avail.clone(),
        Expr::if_(
            gt0(un.clone()),
            Expr::if_(
                Expr::cmp(fl.clone(), Cmp::Eq, Expr::Num(0.0)),
                Expr::Text("unknown"),
                Expr::Concat(vec![
                    Expr::Text("≥ "),
                    Expr::Money(Box::new(fl.clone())),
                    Expr::Text(" + unknown"),
                ]),
            ),
            Expr::Text("exact"),
        ),
        Expr::Text("unavailable"),
    );
    out.status = Some(b.s.put_all((name, "", "Status"), Some(&bold), &status)?);
    let annual = display(
        avail.clone(),
        un.clone(),
        Expr::times(fl.clone(), Expr::Num(12.0)),
    );
    b.s.put_kinds(
        (name, "", "Annual (12 × monthly)"),
        Some(&money),
        Some(&annual),
        None,
    )?;
    let (mut ot_parts, mut ot_unks) = (Vec::new(), Vec::new());
    for o in &p.pricing.one_time {
        let due = o.month.unwrap_or(1);
        let item = o.name.clone().unwrap_or_else(|| o.id.to_string());
        let (a, u) = b.outside_plans(
            &format!("{item} (one-time, month {due})"),
            o.amount.as_ref(),
            inputs.hours(pid, &format!("one_time.{}", o.id)),
            &format!("pricing.one_time.{}.amount", o.id),
            Some(due),
        )?;
        ot_parts.extend(a);
        ot_unks.extend(u);
    }
    let s = &mut *b.s;
    // Without one-time costs their total is 0 (not unknown) and needs no helper rows.
    let (of, ou) = if p.pricing.one_time.is_empty() {
        (Expr::Num(0.0), Expr::Num(0.0))
    } else {
        let floor = sum_rows(&ot_parts);
        let floor = s.put_all((name, "", "One-time floor"), Some(&money), &floor)?;
        let unknown = sum_rows(&ot_unks);
        let unknown = s.put_all(
            (name, "", "One-time: unknown parts"),
            Some(&helper),
            &unknown,
        )?;
        (Expr::Here(floor), Expr::Here(unknown))
    };
    let one_time = display(Expr::Num(1.0), ou.clone(), of.clone());
    out.one_time = Some(s.put_all((name, "", "One-time total"), Some(&money), &one_time)?);
    // The month's total and the running totals, month columns only. The first month column
    // has no month to its left.
    let all_floor = Expr::add(vec![fl, of]);
    let all_unk = Expr::add(vec![un, ou]);
    let month_total = display(avail.clone(), all_unk.clone(), all_floor.clone());
    out.month_total = Some(s.put_kinds(
        (name, "", "Month total (recurring + one-time due)"),
        Some(&money),
        None,
        Some(&month_total),
    )?);
    let running = |s: &mut Sheet<'_>, label: &str, this: Expr, format: &Format| {
        let row = s.row;
        s.put(name, "", label, Some(format), |p| match p {
            Period::Month(1) => Some(this.clone()),
            Period::Month(_) => Some(Expr::add(vec![Expr::Left(row), this.clone()])),
            Period::Milestone(_) => None,
        })
    };
    let cum_floor = running(s, "Cumulative floor", all_floor, &money)?;
    let cum_unk = running(s, "Cumulative: unknown parts", all_unk, &helper)?;
    let unavailable = Expr::if_(avail, Expr::Num(0.0), Expr::Num(1.0));
    let cum_unavail = running(s, "Cumulative: months unavailable", unavailable, &helper)?;
    let cumulative = display(
        Expr::cmp(Expr::Here(cum_unavail), Cmp::Eq, Expr::Num(0.0)),
        Expr::Here(cum_unk),
        Expr::Here(cum_floor),
    );
    out.cumulative = Some(s.put_kinds(
        (name, "", "Cumulative"),
        Some(&money),
        None,
        Some(&cumulative),
    )?);
    Ok(out)
}

/// The Monte Carlo P10 / P50 / P90 of a provider's monthly cost at a milestone.
fn spread(r: &ScenarioReport<'_>, provider: &str, k: usize) -> Option<[f64; 3]> {
    let p = r
        .joint
        .costs
        .providers
        .iter()
        .find(|p| p.provider == provider)?;
    let s = p.milestones.get(k)?.spread.as_ref()?;
    Some([s.p10.to_f64(), s.p50.to_f64(), s.p90.to_f64()])
}

/// Writes the Monte Carlo percentiles of a provider's monthly cost at each milestone, as
/// labelled values (they summarise thousands of draws; a formula cannot recompute them).
fn spreads(
    s: &mut Sheet<'_>,
    r: &ScenarioReport<'_>,
    p: &crate::model::Provider,
) -> Result<(), XlsxError> {
    let milestones = r.scenario.milestones().len();
    let money = s.book.styles.money.clone();
    for (j, label) in ["P10", "P50", "P90"].iter().enumerate() {
        let values: Vec<Option<f64>> = (0..milestones)
            .map(|k| spread(r, p.id(), k).map(|v| v[j]))
            .collect();
        if values.iter().all(Option::is_none) {
            continue;
        }
        let row = s.row;
        s.labels(
            &p.name,
            "",
            &format!("Monthly {label} (Monte Carlo estimate: values, not formulas)"),
        )?;
        for (k, v) in values.iter().enumerate() {
            if let Some(v) = v {
                s.book
                    .num(s.ws, s.cell(row, Sheet::col(k)), *v, Some(&money))?;
            }
        }
        s.row += 1;
    }
    Ok(())
}

/// Writes a scenario's cost sheet.
pub fn write(
    book: &mut Book,
    ws: &mut Worksheet,
    sheet: SheetId,
    r: &ScenarioReport<'_>,
    inputs: &Inputs,
    prices: &PriceCells,
) -> Result<CostLayout, XlsxError> {
    let sc = r.scenario;
    let empty = ScenarioInputs::default();
    let inp = inputs.scenarios.get(sc.id()).unwrap_or(&empty);
    let milestones = sc.milestones();
    let mut periods: Vec<Period> = (0..milestones.len()).map(Period::Milestone).collect();
    periods.extend((1..=sc.horizon()).map(Period::Month));
    let (title, bold) = (book.styles.title.clone(), book.styles.bold.clone());
    let cur = sc.currency().to_owned();
    book.text(
        ws,
        Cell::new(sheet, 0, 0),
        &format!("Costs: {}", sc.name),
        Some(&title),
    )?;
    book.text(
        ws,
        Cell::new(sheet, 1, 0),
        &format!(
            "Live formulas over Inputs and Prices, in {cur}. Milestone columns: steady state at that customer count (month-1 prices, every one-time cost). Month columns: the projection. An unknown price is never 0: it leaves the amount out, counts as an unknown part, and the status reads \"≥ … + unknown\"."
        ),
        None,
    )?;
    let head = 3u32;
    for (col, h) in [(0u16, "Provider"), (1, "Plan"), (2, "Row")] {
        book.text(ws, Cell::new(sheet, head, col), h, Some(&bold))?;
    }
    for (k, p) in periods.iter().enumerate() {
        let label = match p {
            Period::Milestone(i) => format!(
                "Milestone {} ({} customers)",
                i + 1,
                milestones.get(*i).copied().unwrap_or(0)
            ),
            Period::Month(m) => format!("Month {m}"),
        };
        book.text(
            ws,
            Cell::new(sheet, head, Sheet::col(k)),
            &label,
            Some(&bold),
        )?;
    }
    let shown = super::modelled(r);
    let n = u32::try_from(shown.len()).unwrap_or(u32::MAX);
    let summary_first = head + 1;
    let cheapest_row = summary_first + n;
    let mut s = Sheet {
        book,
        ws,
        id: sheet,
        periods: periods.clone(),
        row: cheapest_row + 2,
    };
    let rows = scenario_rows(&mut s, sc, inp)?;
    s.row += 1;
    let mut providers = Vec::new();
    let left_out: Vec<&str> = r
        .providers
        .iter()
        .filter(|p| !shown.iter().any(|q| q.id() == p.id()))
        .map(|p| p.name.as_str())
        .collect();
    for p in shown {
        let cx = QuoteContext::new(p, sc);
        let block = provider_block(&mut s, &cx, prices, &rows, inputs, inp, &p.name)?;
        if block.monthly.is_some() {
            spreads(&mut s, r, p)?;
        }
        providers.push(block);
        s.row += 1;
    }
    if !left_out.is_empty() {
        // A reader must not mistake a capped sheet for the whole catalog, so the note goes in
        // the blank row under the summary block, where the eye is, not at the foot.
        let text = format!(
            "Not modelled on this sheet (it models the {} best-ranked providers; milestones.csv, costs.csv and report.json list every one): {}",
            super::MAX_WORKBOOK_PROVIDERS,
            left_out.join(", ")
        );
        let at = Cell::new(sheet, cheapest_row + 1, 0);
        s.book.text(s.ws, at, &text, None)?;
    }
    // The summary block at the top: fully known monthly totals, and the cheapest of them.
    s.row = summary_first;
    for pr in &providers {
        let known = match (pr.monthly, pr.status) {
            (Some(t), Some(st)) => Expr::if_(
                Expr::cmp(Expr::Here(st), Cmp::Eq, Expr::Text("exact")),
                Expr::Here(t),
                Expr::Text(""),
            ),
            _ => Expr::Text(""),
        };
        s.put_all((&pr.name, "", "Monthly total if fully known"), None, &known)?;
    }
    let known = Range::here(sheet, summary_first, summary_first + n.saturating_sub(1));
    let names = Range {
        first: Cell::new(sheet, summary_first, 0),
        last: Cell::new(sheet, summary_first + n.saturating_sub(1), 0),
    };
    let cheapest = Expr::if_(
        Expr::cmp(Expr::CountOf(known), Cmp::Eq, Expr::Num(0.0)),
        Expr::Text("no fully known cost"),
        Expr::Index(names, Box::new(Expr::ArgMin(known))),
    );
    s.put_all(("", "", "Cheapest fully known"), Some(&bold), &cheapest)?;
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 16)?;
    ws.set_column_width(2, 46)?;
    for k in 0..periods.len() {
        ws.set_column_width(Sheet::col(k), 13)?;
    }
    ws.set_freeze_panes(4, FIRST_COL)?;
    Ok(CostLayout {
        periods,
        month_row: rows.month,
        customers_row: rows.customers,
        cheapest_row,
        providers,
    })
}
