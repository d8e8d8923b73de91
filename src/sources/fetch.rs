//! Reading a source page within bounds: http(s) only, a public address unless allowed, a
//! timeout for the whole exchange, a cap on the body, and redirects followed by hand so that
//! every hop is checked like the first.

use super::address::{self, Refusal};
use std::time::Duration;
use ureq::http::Uri;

/// Limits and identity for fetching.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Time allowed for one request, from connecting to the last byte.
    pub timeout: Duration,
    /// The largest body read, in bytes; a larger one is an error, not a truncated page.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// Whether loopback and private addresses may be contacted.
    pub allow_private: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(20),
            max_bytes: 8 * 1024 * 1024,
            max_redirects: 5,
            allow_private: false,
        }
    }
}

/// The `User-Agent` sent with every request: who is asking, and where to read why.
pub const USER_AGENT: &str = concat!(
    "scimeter/",
    env!("CARGO_PKG_VERSION"),
    " (sources check; +https://github.com/scimeter/scimeter)"
);

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Page {
    /// True when the `Content-Type` is HTML (or absent and the body looks like HTML).
    pub html: bool,
    /// The body, at most `max_bytes`.
    pub body: Vec<u8>,
}

/// Why a page could not be read. Messages never contain the page's body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Not an http(s) URL, or not a URL at all.
    #[error("`{0}` is not an http(s) URL")]
    Scheme(String),
    /// The host is on a private network.
    #[error("refused: `{host}` is a private address ({ip}); pass `--allow-private` to fetch it")]
    Private {
        /// The host.
        host: String,
        /// Its address.
        ip: std::net::IpAddr,
    },
    /// The host name did not resolve.
    #[error("cannot resolve `{host}`: {error}")]
    Unresolved {
        /// The host.
        host: String,
        /// The resolver's message.
        error: String,
    },
    /// The server answered with an error status.
    #[error("HTTP status {0}")]
    Status(u16),
    /// The body is larger than the cap.
    #[error("the page is larger than {0} bytes")]
    TooLarge(u64),
    /// Too many redirects, or a redirect without a usable `Location`.
    #[error("{0}")]
    Redirect(String),
    /// The request took longer than the timeout.
    #[error("timed out after {0} s")]
    Timeout(u64),
    /// Any other transport error.
    #[error("{0}")]
    Transport(String),
}

impl From<Refusal> for FetchError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Private { host, ip } => FetchError::Private { host, ip },
            Refusal::Unresolved { host, error } => FetchError::Unresolved { host, error },
        }
    }
}

/// An HTTP client with the options applied.
pub struct Fetcher {
    agent: ureq::Agent,
    options: FetchOptions,
}

impl Fetcher {
    /// A client for `options`.
    pub fn new(options: FetchOptions) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            // Redirects are followed in `get`, so that each hop's address is checked.
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .build();
        Fetcher {
            agent: ureq::Agent::new_with_config(config),
            options,
        }
    }

    /// Fetches `url`, following redirects.
    pub fn get(&self, url: &str) -> Result<Page, FetchError> {
        let mut current = url.to_string();
        let mut seen = vec![current.clone()];
        for _ in 0..=self.options.max_redirects {
            let uri = http_uri(&current)?;
            let host = uri.host().unwrap_or_default();
            let port = uri
                .port_u16()
                .unwrap_or(if uri.scheme_str() == Some("https") {
                    443
                } else {
                    80
                });
            address::check_host(host, port, self.options.allow_private)?;
            let mut resp = self.agent.get(&current).call().map_err(|e| self.error(e))?;
            let status = resp.status().as_u16();
            if (300..400).contains(&status) {
                let location = resp
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .ok_or_else(|| {
                        FetchError::Redirect(format!("HTTP {status} without a Location header"))
                    })?;
                let next = join(&uri, location)?;
                if seen.contains(&next) {
                    return Err(FetchError::Redirect(format!(
                        "redirect loop back to `{next}`"
                    )));
                }
                seen.push(next.clone());
                current = next;
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(FetchError::Status(status));
            }
            let content_type = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_ascii_lowercase();
            let body = resp
                .body_mut()
                .with_config()
                .limit(self.options.max_bytes)
                .read_to_vec()
                .map_err(|e| self.error(e))?;
            let html = content_type.contains("html")
                || (content_type.is_empty() && looks_like_html(&body));
            return Ok(Page { html, body });
        }
        Err(FetchError::Redirect(format!(
            "more than {} redirects",
            self.options.max_redirects
        )))
    }

    fn error(&self, e: ureq::Error) -> FetchError {
        match e {
            ureq::Error::Timeout(_) => FetchError::Timeout(self.options.timeout.as_secs()),
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(self.options.max_bytes),
            ureq::Error::StatusCode(s) => FetchError::Status(s),
            ureq::Error::HostNotFound => FetchError::Transport("host not found".into()),
            other => FetchError::Transport(other.to_string()),
        }
    }
}

/// Parses an absolute http(s) URL.
fn http_uri(url: &str) -> Result<Uri, FetchError> {
    let uri: Uri = url
        .parse()
        .map_err(|_| FetchError::Scheme(url.to_string()))?;
    match (uri.scheme_str(), uri.host()) {
        (Some("http" | "https"), Some(h)) if !h.is_empty() => Ok(uri),
        _ => Err(FetchError::Scheme(url.to_string())),
    }
}

/// Resolves a `Location` header against the URL that sent it (RFC 3986 §5.2, for the forms
/// servers send: absolute, scheme-relative, absolute-path and relative-path).
fn join(base: &Uri, location: &str) -> Result<String, FetchError> {
    let scheme = base.scheme_str().unwrap_or("https");
    let authority = base
        .authority()
        .map(ureq::http::uri::Authority::as_str)
        .unwrap_or_default();
    let joined = if has_scheme(location) {
        location.to_string()
    } else if let Some(rest) = location.strip_prefix("//") {
        format!("{scheme}://{rest}")
    } else if location.starts_with('/') {
        format!("{scheme}://{authority}{location}")
    } else {
        let path = base.path();
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        format!("{scheme}://{authority}{dir}{location}")
    };
    http_uri(&joined).map(|_| joined)
}

/// True when `s` starts with a URL scheme (`https:`, `javascript:`), RFC 3986 §3.1.
fn has_scheme(s: &str) -> bool {
    s.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// A body without a `Content-Type` is HTML when it starts like HTML.
fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_are_fetched() {
        let f = Fetcher::new(FetchOptions::default());
        for url in [
            "file:///etc/passwd",
            "ftp://example.com/x",
            "gopher://example.com",
            "not a url",
            "https://",
        ] {
            assert!(
                matches!(f.get(url), Err(FetchError::Scheme(_))),
                "{url} must be refused"
            );
        }
    }

    #[test]
    fn loopback_is_refused_before_any_connection() {
        let f = Fetcher::new(FetchOptions::default());
        assert!(matches!(
            f.get("http://127.0.0.1:9/x"),
            Err(FetchError::Private { .. })
        ));
        assert!(matches!(
            f.get("http://169.254.169.254/latest/meta-data/"),
            Err(FetchError::Private { .. })
        ));
    }

    #[test]
    fn locations_resolve_against_the_current_url() {
        let base: Uri = "https://a.example/docs/x/page?q=1".parse().unwrap();
        assert_eq!(
            join(&base, "https://b.example/y").unwrap(),
            "https://b.example/y"
        );
        assert_eq!(join(&base, "//c.example/z").unwrap(), "https://c.example/z");
        assert_eq!(join(&base, "/root").unwrap(), "https://a.example/root");
        assert_eq!(join(&base, "sib").unwrap(), "https://a.example/docs/x/sib");
        assert!(join(&base, "javascript:alert(1)").is_err());
    }
}
