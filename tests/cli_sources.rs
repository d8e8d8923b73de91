//! `scimeter sources check` against a local HTTP server on 127.0.0.1 that the test starts: no
//! test reaches any other address.
//!
//! The server serves a pricing page whose navigation and price the test can change, and the
//! failure cases the command must survive: 404, a response slower than the timeout, a
//! redirect loop, a 50 MB body, and non-UTF-8 text.

use crate::common::{copy_dir, fixture, scimeter};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the pricing page shows; the test edits it between runs.
#[derive(Clone)]
struct Page {
    nav: String,
    price: String,
}

/// A loopback HTTP/1.1 server, one thread per connection, `Connection: close`.
struct Server {
    port: u16,
    page: Arc<Mutex<Page>>,
    requests: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let page = Arc::new(Mutex::new(Page {
            nav: "Blog Docs".into(),
            price: "$125".into(),
        }));
        let requests = Arc::new(AtomicUsize::new(0));
        let (p, r) = (page.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (p, r) = (p.clone(), r.clone());
                std::thread::spawn(move || serve(stream, &p, &r));
            }
        });
        Server {
            port,
            page,
            requests,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn set(&self, nav: &str, price: &str) {
        *self.page.lock().unwrap() = Page {
            nav: nav.into(),
            price: price.into(),
        };
    }
}

fn serve(stream: TcpStream, page: &Mutex<Page>, requests: &AtomicUsize) {
    requests.fetch_add(1, Ordering::SeqCst);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    // Drain the headers.
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
    }
    let mut out = stream;
    let respond = |out: &mut TcpStream, status: &str, headers: &str, body: &[u8]| {
        let _ = write!(
            out,
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
            body.len()
        );
        let _ = out.write_all(body);
    };
    match path.as_str() {
        "/pricing" => {
            let p = page.lock().unwrap().clone();
            let html = format!(
                "<!doctype html><html><head><script>var now={}</script></head><body>\
                 <nav>{}</nav><table id=\"prices\"><tr><td>Connection</td><td>{}</td></tr></table>\
                 </body></html>",
                requests.load(Ordering::SeqCst),
                p.nav,
                p.price
            );
            respond(
                &mut out,
                "200 OK",
                "Content-Type: text/html; charset=utf-8\r\n",
                html.as_bytes(),
            );
        }
        "/latin1" => respond(
            &mut out,
            "200 OK",
            "Content-Type: text/plain; charset=iso-8859-1\r\n",
            b"Tarif: 125 \xe9 par connexion\n",
        ),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(4));
            respond(&mut out, "200 OK", "", b"late");
        }
        "/loop-a" => respond(&mut out, "302 Found", "Location: /loop-b\r\n", b""),
        "/loop-b" => respond(&mut out, "302 Found", "Location: /loop-a\r\n", b""),
        "/big" => {
            let size = 50 * 1024 * 1024;
            let _ = write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
            );
            let chunk = vec![b'a'; 64 * 1024];
            for _ in 0..size / chunk.len() {
                if out.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
        _ => respond(&mut out, "404 Not Found", "", b"<h1>gone</h1>"),
    }
}

/// A provider whose sources all point at `server`; `pricing` and `page` back facts.
fn provider_file(server: &Server) -> String {
    format!(
        r#"# A provider for the sources tests.
id = "acme"
name = "Acme Directory Sync"
verified = 2026-11-01
currency = "USD"

[[sources]]
id = "pricing"   # the pricing table only
url = "{pricing}"
retrieved = 2026-11-01
selector = "table#prices"
note = "[P] pricing table"

[[sources]]
id = "page"
url = "{pricing}"
retrieved = 2026-11-01

[[sources]]
id = "gone"
url = "{gone}"
retrieved = 2026-11-01

[[sources]]
id = "slow"
url = "{slow}"
retrieved = 2026-11-01

[[sources]]
id = "loop"
url = "{loop_}"
retrieved = 2026-11-01

[[sources]]
id = "big"
url = "{big}"
retrieved = 2026-11-01

[[sources]]
id = "latin1"
url = "{latin1}"
retrieved = 2026-11-01

[features.scim]
status = "ga"
source = "page"

[pricing]
model = "per_connection"
source = "pricing"

[[pricing.plans]]
id = "pro"
base_fee = "0"
features = ["scim"]
source = "pricing"

[[pricing.plans.charges]]
meter = "directory_connections"
unit_price = "125"
source = "pricing"
"#,
        pricing = server.url("/pricing"),
        gone = server.url("/gone"),
        slow = server.url("/slow"),
        loop_ = server.url("/loop-a"),
        big = server.url("/big"),
        latin1 = server.url("/latin1"),
    )
}

fn catalog(server: &Server) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("catalog");
    copy_dir(&fixture("valid/minimal"), &dir);
    std::fs::write(dir.join("providers/acme.toml"), provider_file(server)).unwrap();
    (tmp, dir)
}

fn sources_check(dir: &Path, extra: &[&str]) -> (Option<i32>, Value, String) {
    let out = scimeter()
        .args(["sources", "check", "--catalog"])
        .arg(dir)
        .args(["--timeout", "1", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let doc: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("json: {e}\n{stderr}"));
    (out.status.code(), doc, stderr)
}

/// Status of each source id.
fn statuses(doc: &Value) -> Vec<(String, String)> {
    doc["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["source"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn status_of(doc: &Value, id: &str) -> Value {
    doc["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == id)
        .cloned()
        .unwrap()
}

#[test]
fn sources_check_classifies_records_and_detects_changes() {
    let server = Server::start();
    let (_tmp, dir) = catalog(&server);
    let original = std::fs::read_to_string(dir.join("providers/acme.toml")).unwrap();

    // First run: nothing fingerprinted yet; every failure mode is "unreachable" with a
    // reason, and none fails the run without --strict.
    let (code, doc, _) = sources_check(&dir, &["--allow-private"]);
    assert_eq!(code, Some(0), "{doc:#}");
    assert_eq!(
        statuses(&doc),
        [
            ("pricing", "never fingerprinted"),
            ("page", "never fingerprinted"),
            ("gone", "unreachable"),
            ("slow", "unreachable"),
            ("loop", "unreachable"),
            ("big", "unreachable"),
            ("latin1", "never fingerprinted"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(status_of(&doc, "gone")["error"], "HTTP status 404");
    assert_eq!(status_of(&doc, "slow")["error"], "timed out after 1 s");
    assert!(
        status_of(&doc, "loop")["error"]
            .as_str()
            .unwrap()
            .contains("redirect loop"),
        "{doc:#}"
    );
    assert_eq!(
        status_of(&doc, "big")["error"],
        "the page is larger than 8388608 bytes"
    );
    // The pricing source backs the model, the plan and its charge.
    assert_eq!(
        status_of(&doc, "pricing")["backs"],
        serde_json::json!([
            "pricing.model",
            "pricing.plans.pro",
            "pricing.plans.pro.charges.0"
        ])
    );

    // --strict turns the unreachable sources into a failure.
    let (code, _, _) = sources_check(&dir, &["--allow-private", "--strict"]);
    assert_eq!(code, Some(1));

    // --update records the three readable sources: each gains a fingerprint line and a new
    // `retrieved` date, and no other byte of the file changes.
    let (code, doc, _) = sources_check(&dir, &["--allow-private", "--update"]);
    assert_eq!(code, Some(0));
    assert_eq!(doc["updated"], serde_json::json!(["providers/acme.toml"]));
    let updated = std::fs::read_to_string(dir.join("providers/acme.toml")).unwrap();
    let fp = |id: &str| {
        status_of(&doc, id)["fingerprint"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let today = scimeter_today(&updated);
    let expected = original
        .replace(
            "retrieved = 2026-11-01\nselector = \"table#prices\"\nnote = \"[P] pricing table\"\n",
            &format!(
                "retrieved = {today}\nselector = \"table#prices\"\nnote = \"[P] pricing table\"\nfingerprint = \"{}\"\n",
                fp("pricing")
            ),
        )
        .replacen(
            &format!("url = \"{}\"\nretrieved = 2026-11-01\n\n", server.url("/pricing")),
            &format!(
                "url = \"{}\"\nretrieved = {today}\nfingerprint = \"{}\"\n\n",
                server.url("/pricing"),
                fp("page")
            ),
            1,
        )
        .replace(
            &format!("url = \"{}\"\nretrieved = 2026-11-01\n", server.url("/latin1")),
            &format!(
                "url = \"{}\"\nretrieved = {today}\nfingerprint = \"{}\"\n",
                server.url("/latin1"),
                fp("latin1")
            ),
        );
    assert_eq!(updated, expected);
    // The whole page's text includes the navigation; the selector's only the table.
    assert_ne!(fp("pricing"), fp("page"));

    // Unchanged now, although the inline script differs on every load.
    let (code, doc, _) = sources_check(&dir, &["--allow-private"]);
    assert_eq!(code, Some(0), "{doc:#}");
    for id in ["pricing", "page", "latin1"] {
        assert_eq!(status_of(&doc, id)["status"], "unchanged", "{id}");
    }

    // A change outside the selector: the table's fingerprint holds, the page's moves.
    server.set("Blog Docs Careers", "$125");
    let (code, doc, _) = sources_check(&dir, &["--allow-private"]);
    assert_eq!(code, Some(1));
    assert_eq!(status_of(&doc, "pricing")["status"], "unchanged");
    assert_eq!(status_of(&doc, "page")["status"], "changed");
    assert_eq!(
        status_of(&doc, "page")["backs"],
        serde_json::json!(["features.scim"])
    );

    // A price change inside the selector.
    server.set("Blog Docs Careers", "$150");
    let (code, doc, _) = sources_check(&dir, &["--allow-private"]);
    assert_eq!(code, Some(1));
    assert_eq!(status_of(&doc, "pricing")["status"], "changed");

    // --update records it, and the run passes.
    let (code, _, _) = sources_check(&dir, &["--allow-private", "--update"]);
    assert_eq!(code, Some(0));

    // A selector that matches nothing has no fingerprint to record: --update cannot settle
    // it, so the run still fails and the file keeps its old fingerprint.
    let path = dir.join("providers/acme.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "selector = \"table#prices\"",
        "selector = \"table#gone\"",
        1,
    );
    std::fs::write(&path, &text).unwrap();
    let (code, doc, _) = sources_check(&dir, &["--allow-private", "--update"]);
    assert_eq!(code, Some(1), "{doc:#}");
    assert_eq!(status_of(&doc, "pricing")["status"], "changed");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

/// The `retrieved` date `--update` wrote (today, by the binary's clock).
fn scimeter_today(updated: &str) -> String {
    updated
        .lines()
        .find_map(|l| {
            l.strip_prefix("retrieved = ")
                .filter(|d| !d.starts_with("2026-11-01"))
        })
        .map(|d| d.split_whitespace().next().unwrap().to_string())
        .expect("an updated retrieved date")
}

#[test]
fn private_addresses_are_refused_without_a_request() {
    let server = Server::start();
    let (_tmp, dir) = catalog(&server);
    let (code, doc, _) = sources_check(&dir, &["--strict"]);
    assert_eq!(code, Some(1));
    for s in doc["sources"].as_array().unwrap() {
        assert_eq!(s["status"], "unreachable");
        assert!(
            s["error"].as_str().unwrap().contains("private address"),
            "{s}"
        );
    }
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
}

#[test]
fn table_and_markdown_put_changes_first_and_escape_catalog_text() {
    let server = Server::start();
    let (_tmp, dir) = catalog(&server);
    let table = scimeter()
        .args([
            "sources",
            "check",
            "--allow-private",
            "--timeout",
            "1",
            "--catalog",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("0 unchanged, 0 changed, 4 unreachable, 3 never fingerprinted"),
        "{text}"
    );
    let md = scimeter()
        .args([
            "sources",
            "check",
            "--allow-private",
            "--timeout",
            "1",
            "--format",
            "markdown",
            "--catalog",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.starts_with("## Sources check\n"), "{md}");
    // Unreachable rows come before never-fingerprinted ones.
    let first_unreachable = md.find("unreachable:").unwrap();
    let first_new = md.find("never fingerprinted |").unwrap();
    assert!(first_unreachable < first_new, "{md}");
}

#[test]
fn bad_fingerprints_and_selectors_are_catalog_errors() {
    let server = Server::start();
    let (_tmp, dir) = catalog(&server);
    let path = dir.join("providers/acme.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "selector = \"table#prices\"",
        "selector = \"table[\"\nfingerprint = \"md5:x\"",
    );
    std::fs::write(&path, text).unwrap();
    let out = scimeter()
        .args(["check", "--json", "--catalog"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["key"].as_str())
        .collect();
    assert_eq!(keys, ["sources[0].selector", "sources[0].fingerprint"]);
    // And `sources check` refuses to run on an invalid catalog, with nothing fetched.
    let out = scimeter()
        .args(["sources", "check", "--allow-private", "--catalog"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
}
