//! Which addresses `sources check` may contact.
//!
//! A catalog comes from a pull request as often as from a maintainer, and CI runners sit on
//! networks with metadata services and internal dashboards. So a source whose host is, or
//! resolves to, a loopback, private, link-local or otherwise non-public address is refused
//! unless the user passes `--allow-private` (which the tests do, for their local server).

use std::net::{IpAddr, Ipv4Addr, ToSocketAddrs};

/// True for an address that is not on the public internet.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => private_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return private_v4(v4);
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // fc00::/7 unique local, fe80::/10 link-local.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

fn private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        // 100.64.0.0/10: carrier-grade NAT, used inside cloud networks.
        || (a == 100 && (64..128).contains(&b))
        // 0.0.0.0/8 ("this network").
        || a == 0
}

/// Why a host may not be contacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The host is, or resolves to, a non-public address.
    Private {
        /// The host as written in the URL.
        host: String,
        /// The offending address.
        ip: IpAddr,
    },
    /// The host name does not resolve.
    Unresolved {
        /// The host as written in the URL.
        host: String,
        /// The resolver's message.
        error: String,
    },
}

/// Checks every address `host` resolves to. With `allow_private`, only resolution is
/// checked.
///
/// The HTTP client resolves the name again when it connects, so a name that changes its
/// answer between the two lookups (DNS rebinding) is not caught here; this check stops the
/// plain case of a catalog that names an internal host or address.
pub fn check_host(host: &str, port: u16, allow_private: bool) -> Result<(), Refusal> {
    // `[::1]` in a URL is the literal `::1`.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let ips: Vec<IpAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => (bare, port)
            .to_socket_addrs()
            .map_err(|e| Refusal::Unresolved {
                host: host.to_string(),
                error: e.to_string(),
            })?
            .map(|a| a.ip())
            .collect(),
    };
    if allow_private {
        return Ok(());
    }
    match ips.into_iter().find(|ip| is_private(*ip)) {
        Some(ip) => Err(Refusal::Private {
            host: host.to_string(),
            ip,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_ranges_are_private_and_public_ones_are_not() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip} should be private");
        }
        for ip in [
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "1.1.1.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_private(ip.parse().unwrap()), "{ip} should be public");
        }
    }

    #[test]
    fn literal_hosts_are_checked_without_a_lookup() {
        assert_eq!(
            check_host("127.0.0.1", 80, false),
            Err(Refusal::Private {
                host: "127.0.0.1".into(),
                ip: "127.0.0.1".parse().unwrap()
            })
        );
        assert!(check_host("[::1]", 80, false).is_err());
        assert!(check_host("127.0.0.1", 80, true).is_ok());
        assert!(check_host("8.8.8.8", 443, false).is_ok());
        // `localhost` resolves to loopback through the hosts file, without the network.
        assert!(matches!(
            check_host("localhost", 80, false),
            Err(Refusal::Private { .. })
        ));
    }
}
