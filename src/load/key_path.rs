//! Dotted key paths (`pricing.plans[0].charges[1].tiers`) and their location in a document.

use std::fmt;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// The path of a key inside a TOML document, e.g. `pricing.plans[0].base_fee`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Segment>);

impl KeyPath {
    /// The document root.
    pub fn root() -> KeyPath {
        KeyPath(Vec::new())
    }

    /// This path extended by a key.
    #[must_use]
    pub fn key(&self, key: &str) -> KeyPath {
        let mut p = self.clone();
        p.0.push(Segment::Key(key.to_owned()));
        p
    }

    /// This path extended by an array index.
    #[must_use]
    pub fn index(&self, i: usize) -> KeyPath {
        let mut p = self.clone();
        p.0.push(Segment::Index(i));
        p
    }

    /// True for the document root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// Follows the path as far as it exists: the deepest value reached, its span, and how many
    /// segments were followed.
    fn walk<'d, 'i>(
        &self,
        doc: &'d Spanned<DeTable<'i>>,
    ) -> (Option<&'d DeValue<'i>>, Range<usize>, usize) {
        let mut span = doc.span();
        let mut table: Option<&DeTable<'_>> = Some(doc.get_ref());
        let mut value: Option<&DeValue<'_>> = None;
        for (depth, seg) in self.0.iter().enumerate() {
            let next = match (seg, table, value) {
                (Segment::Key(k), Some(t), _) => t.get(k.as_str()),
                (Segment::Index(i), _, Some(DeValue::Array(a))) => a.get(*i),
                _ => None,
            };
            let Some(next) = next else {
                return (value, span, depth);
            };
            span = next.span();
            value = Some(next.get_ref());
            table = match next.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            };
        }
        (value, span, self.0.len())
    }

    /// The byte span of the value at this path, or of its deepest existing ancestor when the
    /// key itself is absent (so "missing key" points at the table that should hold it).
    /// The second element is true when the exact key was found.
    pub fn locate(&self, doc: &Spanned<DeTable<'_>>) -> (Range<usize>, bool) {
        if self.0.is_empty() {
            // The root spans the whole file: point at its first character instead.
            return (0..0, true);
        }
        let (_, span, depth) = self.walk(doc);
        (span, depth == self.0.len())
    }

    /// The byte span of the *key* at this path (not its value), when the last segment is a key
    /// that exists. Used for "unknown key" style messages.
    pub fn locate_key(&self, doc: &Spanned<DeTable<'_>>) -> Option<Range<usize>> {
        let (last, parent) = self.0.split_last()?;
        let Segment::Key(k) = last else { return None };
        let parent = KeyPath(parent.to_vec());
        let table = if parent.is_root() {
            doc.get_ref()
        } else {
            match parent.walk(doc) {
                (Some(DeValue::Table(t)), _, depth) if depth == parent.0.len() => t,
                _ => return None,
            }
        };
        table.get_key_value(k.as_str()).map(|(key, _)| key.span())
    }
}

impl KeyPath {
    /// Removes the key or array element at this path from `doc`; false when the path does not
    /// lead to one (or is the root). Used to look past one serde error for the next.
    pub fn remove_from(&self, doc: &mut Spanned<DeTable<'_>>) -> bool {
        // The container of the last segment: the root table, then tables and arrays.
        enum Container<'a, 'i> {
            Table(&'a mut DeTable<'i>),
            Array(&'a mut toml::de::DeArray<'i>),
        }
        let Some((last, parents)) = self.0.split_last() else {
            return false;
        };
        let mut here = Container::Table(doc.get_mut());
        for seg in parents {
            let next = match (seg, here) {
                (Segment::Key(k), Container::Table(t)) => t.get_mut(k.as_str()),
                (Segment::Index(i), Container::Array(a)) => a.get_mut(*i),
                _ => None,
            };
            let Some(next) = next else { return false };
            here = match next.get_mut() {
                DeValue::Table(t) => Container::Table(t),
                DeValue::Array(a) => Container::Array(a),
                _ => return false,
            };
        }
        match (last, here) {
            (Segment::Key(k), Container::Table(t)) => t.remove(k.as_str()).is_some(),
            (Segment::Index(i), Container::Array(a)) if *i < a.len() => {
                *a = a
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| j != i)
                    .map(|(_, v)| v.clone())
                    .collect();
                true
            }
            _ => false,
        }
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(top level)");
        }
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Segment::Key(k) if first => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// The deepest key path whose key or value contains `span`, for naming the key of a parse
/// error that toml reports only by position.
pub fn path_at(doc: &Spanned<DeTable<'_>>, span: &Range<usize>) -> KeyPath {
    let mut path = KeyPath::root();
    walk_table(doc.get_ref(), span, &mut path);
    path
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && (!outer.is_empty() || inner.is_empty())
}

fn walk_table(table: &DeTable<'_>, span: &Range<usize>, path: &mut KeyPath) -> bool {
    for (k, v) in table {
        if contains(&k.span(), span) {
            path.0.push(Segment::Key(k.get_ref().to_string()));
            return true;
        }
        if contains(&v.span(), span) {
            path.0.push(Segment::Key(k.get_ref().to_string()));
            walk_value(v.get_ref(), span, path);
            return true;
        }
    }
    // Array-of-tables entries and `[table]` headers have spans that do not always enclose
    // their keys; search children even when the parent span does not contain the target.
    for (k, v) in table {
        path.0.push(Segment::Key(k.get_ref().to_string()));
        if walk_value(v.get_ref(), span, path) {
            return true;
        }
        path.0.pop();
    }
    false
}

fn walk_value(value: &DeValue<'_>, span: &Range<usize>, path: &mut KeyPath) -> bool {
    match value {
        DeValue::Table(t) => walk_table(t, span, path),
        DeValue::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                path.0.push(Segment::Index(i));
                if contains(&item.span(), span) {
                    walk_value(item.get_ref(), span, path);
                    return true;
                }
                if walk_value(item.get_ref(), span, path) {
                    return true;
                }
                path.0.pop();
            }
            false
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_keys_and_array_items() {
        let src = "id = \"x\"\n[[pricing.plans]]\nid = \"a\"\nbase_fee = \"5\"\n[[pricing.plans]]\nid = \"b\"\n";
        let mut doc = DeTable::parse(src).unwrap();
        let plans = KeyPath::root().key("pricing").key("plans");
        assert!(plans.index(0).key("base_fee").remove_from(&mut doc));
        assert!(!plans.index(0).key("base_fee").locate(&doc).1, "gone");
        assert!(plans.index(0).remove_from(&mut doc));
        // Plan `b` is now the first: its id `"b"` is bytes 74–76 of the text.
        assert_eq!(plans.index(0).key("id").locate(&doc).0, 74..77);
        assert!(!plans.index(5).remove_from(&mut doc));
        assert!(!KeyPath::root().remove_from(&mut doc));
        assert!(KeyPath::root().key("id").remove_from(&mut doc));
    }

    #[test]
    fn locates_nested_keys_and_array_items() {
        let src = "id = \"x\"\n[[pricing.plans]]\nid = \"a\"\nbase_fee = \"5\"\n[[pricing.plans]]\nid = \"b\"\n";
        let doc = DeTable::parse(src).unwrap();
        let p = KeyPath::root()
            .key("pricing")
            .key("plans")
            .index(1)
            .key("id");
        let (span, found) = p.locate(&doc);
        assert!(found);
        assert_eq!(&src[span], "\"b\"");
        assert_eq!(p.to_string(), "pricing.plans[1].id");
        let missing = KeyPath::root()
            .key("pricing")
            .key("plans")
            .index(0)
            .key("name");
        let (_, found) = missing.locate(&doc);
        assert!(!found);
        let key = KeyPath::root()
            .key("pricing")
            .key("plans")
            .index(0)
            .key("base_fee");
        assert_eq!(&src[key.locate_key(&doc).unwrap()], "base_fee");
    }
}
