//! Meter values for one period, derived from the scenario's usage and a customer count.

use crate::model::pricing::Meter;
use crate::model::scenario::Usage;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

/// What each meter counts in one month. Every value is a whole number: connections,
/// organizations and requests are rounded up from `customers × per-customer usage`; MAU is
/// `customers × seats × active_share + other_mau`, rounded up once at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Meters {
    /// Customers (the input).
    pub customers: u64,
    /// Directory (SCIM) connections.
    pub directory_connections: u64,
    /// SSO connections.
    pub sso_connections: u64,
    /// Pooled SSO + SCIM connections.
    pub enterprise_connections: u64,
    /// Monthly active users.
    pub mau: u64,
    /// Organizations.
    pub organizations: u64,
    /// API requests.
    pub api_requests: u64,
    /// Members of one organization: seats ÷ organizations per customer, rounded up (for
    /// add-ons `required_above` a membership size). Not a billed meter.
    pub members_per_organization: u64,
}

/// A scenario's per-customer usage as exact decimals, converted once (the `f64` figures go
/// through their shortest text, so `0.35` is exactly 0.35).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageRates {
    directory_connections: Decimal,
    sso_connections: Decimal,
    active_seats: Option<Decimal>,
    members_per_organization: u64,
    other_mau: Decimal,
    organizations: Decimal,
    api_requests: Decimal,
}

impl UsageRates {
    /// Converts a scenario's usage.
    pub fn new(usage: &Usage) -> UsageRates {
        UsageRates {
            directory_connections: dec(usage.directory_connections),
            sso_connections: dec(usage.sso_connections),
            active_seats: dec(usage.seats.likely).checked_mul(dec(usage.active_share.likely)),
            // No organizations means no organization to be a member of.
            members_per_organization: if usage.organizations > 0.0 {
                ceil_u64(dec(usage.seats.likely).checked_div(dec(usage.organizations)))
            } else {
                0
            },
            other_mau: dec(usage.other_mau),
            organizations: dec(usage.organizations),
            api_requests: dec(usage.api_requests),
        }
    }

    /// The meters at a customer count: `customers × rate`, rounded up.
    pub fn meters(&self, customers: u64) -> Meters {
        let n = Decimal::from(customers);
        let up = |per: Decimal| ceil_u64(n.checked_mul(per));
        let directory_connections = up(self.directory_connections);
        let sso_connections = up(self.sso_connections);
        let mau = ceil_u64(
            self.active_seats
                .and_then(|a| n.checked_mul(a))
                .and_then(|x| x.checked_add(self.other_mau)),
        );
        Meters {
            customers,
            directory_connections,
            sso_connections,
            enterprise_connections: directory_connections.saturating_add(sso_connections),
            mau,
            organizations: up(self.organizations),
            api_requests: up(self.api_requests),
            members_per_organization: self.members_per_organization,
        }
    }
}

impl Meters {
    /// Computes meters exactly in decimal, then rounds up (see [`UsageRates`]).
    pub fn from_usage(customers: u64, usage: &Usage) -> Meters {
        UsageRates::new(usage).meters(customers)
    }

    /// The value of one meter.
    pub fn get(&self, meter: Meter) -> u64 {
        match meter {
            Meter::DirectoryConnections => self.directory_connections,
            Meter::SsoConnections => self.sso_connections,
            Meter::EnterpriseConnections => self.enterprise_connections,
            Meter::Mau => self.mau,
            Meter::Organizations => self.organizations,
            Meter::ApiRequests => self.api_requests,
            Meter::Flat => 1,
        }
    }
}

/// Converts a validated, finite, non-negative `f64` to a decimal exactly as written.
fn dec(v: f64) -> Decimal {
    crate::model::price::float_to_decimal(v).unwrap_or(Decimal::ZERO)
}

/// Rounds up to a whole count; saturates (never panics) on overflow, which validation's
/// range limits make unreachable for valid scenarios.
fn ceil_u64(v: Option<Decimal>) -> u64 {
    v.map_or(u64::MAX, |d| d.ceil().to_u64().unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_connections_up_and_mau_once() {
        let usage = Usage {
            directory_connections: 0.4,
            sso_connections: 1.0,
            seats: crate::model::Ranged::point(333.0),
            active_share: crate::model::Ranged::point(0.35),
            other_mau: 0.5,
            organizations: 1.0,
            api_requests: 0.0,
        };
        let m = Meters::from_usage(10, &usage);
        assert_eq!(m.directory_connections, 4); // 10 × 0.4 = 4 exactly, no float noise
        assert_eq!(m.sso_connections, 10);
        assert_eq!(m.enterprise_connections, 14);
        // 10 × 333 × 0.35 + 0.5 = 1166.0 → 1166
        assert_eq!(m.mau, 1166);
        let m = Meters::from_usage(
            3,
            &Usage {
                directory_connections: 0.4,
                ..usage
            },
        );
        assert_eq!(m.directory_connections, 2); // 1.2 → 2: you cannot buy 0.2 of a connection
    }
}
