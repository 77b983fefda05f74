//! Where a resource's attribute values are written. A loader finds them with the
//! resource, or leaves them to be found when a finding first needs them: a plan of ten
//! thousand resources has findings on a few thousand, and finding every position of the
//! others took a sixth of the run.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use crate::Span;

/// Finds the positions of one resource's attribute values, by attribute path.
pub trait FindSpans: Send + Sync {
    /// The span of every attribute path that has one; asked at most once per resource.
    fn find(&self) -> BTreeMap<String, Span>;
}

/// The span of every attribute path that has one (`ingress[1].cidr_blocks[0]`), found
/// at most once, on first read.
#[derive(Clone, Default)]
pub struct Spans {
    found: OnceLock<BTreeMap<String, Span>>,
    finder: Option<Arc<dyn FindSpans>>,
}

impl Spans {
    /// Spans that `finder` finds when first read.
    pub fn deferred(finder: Arc<dyn FindSpans>) -> Self {
        Self {
            found: OnceLock::new(),
            finder: Some(finder),
        }
    }
}

impl Deref for Spans {
    type Target = BTreeMap<String, Span>;

    fn deref(&self) -> &Self::Target {
        self.found.get_or_init(|| {
            self.finder
                .as_ref()
                .map(|finder| finder.find())
                .unwrap_or_default()
        })
    }
}

impl From<BTreeMap<String, Span>> for Spans {
    fn from(spans: BTreeMap<String, Span>) -> Self {
        Self {
            found: OnceLock::from(spans),
            finder: None,
        }
    }
}

impl FromIterator<(String, Span)> for Spans {
    fn from_iter<I: IntoIterator<Item = (String, Span)>>(spans: I) -> Self {
        BTreeMap::from_iter(spans).into()
    }
}

impl PartialEq for Spans {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for Spans {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Position;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Counted(AtomicUsize);

    impl FindSpans for Counted {
        fn find(&self) -> BTreeMap<String, Span> {
            self.0.fetch_add(1, Ordering::Relaxed);
            let at = Position::new(3, 5);
            BTreeMap::from([("acl".to_owned(), Span::new(at, at))])
        }
    }

    #[test]
    fn deferred_spans_are_found_once_when_first_read() {
        let finder = Arc::new(Counted(AtomicUsize::new(0)));
        let spans = Spans::deferred(finder.clone());
        assert_eq!(finder.0.load(Ordering::Relaxed), 0);
        assert_eq!(spans["acl"].start.line, 3);
        assert!(spans.contains_key("acl"));
        assert_eq!(finder.0.load(Ordering::Relaxed), 1);
        let found: Spans = BTreeMap::from([("acl".to_owned(), spans["acl"])]).into();
        assert_eq!(spans, found);
        assert!(Spans::default().is_empty());
    }
}
