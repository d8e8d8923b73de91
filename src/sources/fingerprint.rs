//! A page's fingerprint: the SHA-256 of its normalised visible text.
//!
//! Normalisation keeps what a reader sees and drops what changes on every load: the text of
//! the page (or of the elements a CSS `selector` picks), without `script`, `style`,
//! `noscript` and `template` contents, with every run of whitespace collapsed to one space.
//! So a new tracking script or a re-indented template does not read as a price change, while
//! a changed figure in the pricing table does.

use scraper::{ElementRef, Html, Node, Selector};
use sha2::{Digest, Sha256};

/// The prefix of every fingerprint.
pub const PREFIX: &str = "sha256:";

/// Elements whose text is not shown to a reader.
const HIDDEN: [&str; 4] = ["script", "style", "noscript", "template"];

/// Parses a CSS selector, with the parser's message on failure.
pub fn parse_selector(selector: &str) -> Result<Selector, String> {
    Selector::parse(selector).map_err(|e| e.to_string())
}

/// True for a well-formed fingerprint: `sha256:` and 64 lower-case hex digits.
pub fn is_well_formed(fingerprint: &str) -> bool {
    fingerprint.strip_prefix(PREFIX).is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Why a page has no fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unfingerprintable {
    /// The selector matches no element: the page was restructured, or the selector is wrong.
    NoMatch,
    /// A selector was given for a document that is not HTML.
    NotHtml,
}

/// The normalised visible text of a document. `html` says whether to parse it as HTML; other
/// documents (plain text, Markdown, JSON) are taken as they are. Bytes that are not UTF-8
/// are replaced (U+FFFD), so a page in another encoding still has a stable fingerprint.
pub fn visible_text(
    body: &[u8],
    html: bool,
    selector: Option<&Selector>,
) -> Result<String, Unfingerprintable> {
    let text = String::from_utf8_lossy(body);
    if !html {
        return match selector {
            Some(_) => Err(Unfingerprintable::NotHtml),
            None => Ok(collapse(&text)),
        };
    }
    let doc = Html::parse_document(&text);
    let mut out = String::new();
    match selector {
        None => push_text(doc.root_element(), &mut out),
        Some(sel) => {
            let mut any = false;
            for el in doc.select(sel) {
                any = true;
                push_text(el, &mut out);
                // Matches are separate blocks: keep their words apart.
                out.push(' ');
            }
            if !any {
                return Err(Unfingerprintable::NoMatch);
            }
        }
    }
    Ok(collapse(&out))
}

/// Appends the visible text under `el`, skipping hidden elements.
fn push_text(el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if HIDDEN.contains(&e.name()) => {}
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    // Block boundaries are not always whitespace in the source
                    // (`<td>1</td><td>2</td>`); a space keeps the words apart.
                    out.push(' ');
                    push_text(child, out);
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

/// Collapses every run of whitespace into one space and trims the ends.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fingerprint of normalised text.
pub fn of_text(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut s = String::with_capacity(PREFIX.len() + 64);
    s.push_str(PREFIX);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str, sel: Option<&str>) -> Result<String, Unfingerprintable> {
        let sel = sel.map(|s| parse_selector(s).unwrap());
        visible_text(html.as_bytes(), true, sel.as_ref())
    }

    #[test]
    fn hidden_elements_and_whitespace_do_not_count() {
        let a = text(
            "<html><head><style>p{color:red}</style><script>var t=1;</script></head>\
             <body><p>Price:\n   $125 </p><noscript>enable js</noscript></body></html>",
            None,
        )
        .unwrap();
        let b = text(
            "<html><head><script>var t=2; track()</script></head><body>\
             <p>Price: $125</p></body></html>",
            None,
        )
        .unwrap();
        assert_eq!(a, "Price: $125");
        assert_eq!(of_text(&a), of_text(&b));
    }

    #[test]
    fn adjacent_cells_stay_separate_words() {
        assert_eq!(
            text("<table><tr><td>1</td><td>2</td></tr></table>", None).unwrap(),
            "1 2"
        );
    }

    #[test]
    fn a_selector_limits_the_text_and_may_match_nothing() {
        let page = "<body><nav>Blog Login</nav><table id=p><tr><td>$125</td></tr></table></body>";
        assert_eq!(text(page, Some("#p")).unwrap(), "$125");
        assert_eq!(
            text(page, Some("#missing")),
            Err(Unfingerprintable::NoMatch)
        );
        assert_eq!(
            visible_text(b"plain", false, Some(&parse_selector("p").unwrap())),
            Err(Unfingerprintable::NotHtml)
        );
    }

    #[test]
    fn non_utf8_bytes_are_replaced_not_rejected() {
        let t = visible_text(b"caf\xe9 \xff $1", false, None).unwrap();
        assert_eq!(t, "caf\u{fffd} \u{fffd} $1");
    }

    #[test]
    fn fingerprints_are_sha256_hex() {
        // SHA-256 of the empty string, a published test vector.
        assert_eq!(
            of_text(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(is_well_formed(&of_text("x")));
        assert!(!is_well_formed("sha256:E3B0"));
        assert!(!is_well_formed(&of_text("x").to_uppercase()));
        assert!(!is_well_formed("md5:abc"));
        assert!(parse_selector("table[").is_err());
    }
}
