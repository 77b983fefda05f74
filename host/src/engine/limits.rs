//! The memory cap of one policy instance, and how much of the text it returns is kept.
//!
//! A custom [`wasmtime::ResourceLimiter`] rather than `StoreLimits`: refusing growth with
//! a typed error stops the guest at once and lets the engine report "out of memory"
//! precisely, instead of the guest's allocator turning a failed `memory.grow` into an
//! anonymous trap.

/// Raised inside the guest when it asks for more memory than its cap.
#[derive(Debug, thiserror::Error)]
#[error("the policy tried to use more than {limit} bytes of memory")]
pub(super) struct MemoryLimitExceeded {
    pub limit: usize,
}

/// Bytes kept of one string a policy returns (a message, an attribute path, a rule's
/// title, an error): a real one is a sentence, and every report copies it, so a policy
/// returning 100 MB must not make each report 100 MB.
pub(super) const MAX_POLICY_TEXT: usize = 4 * 1024;

/// Bytes kept of a rule's documentation, a page of Markdown.
pub(super) const MAX_POLICY_DOCUMENT: usize = 256 * 1024;

/// `text` cut to at most `max` bytes (at a character boundary), saying so and how long
/// it was: `... (cut: 104857600 bytes)`.
pub(super) fn cut(mut text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let len = text.len();
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push_str(&format!("… (cut: {len} bytes)"));
    text
}

/// Table elements a policy may have; Rust guests use a few hundred.
const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// Caps the total linear memory of every memory in one store.
pub(super) struct MemoryLimiter {
    limit: usize,
    used: usize,
}

impl MemoryLimiter {
    pub fn new(limit: usize) -> Self {
        Self { limit, used: 0 }
    }
}

impl wasmtime::ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let used = self.used.saturating_sub(current).saturating_add(desired);
        if used > self.limit {
            return Err(MemoryLimitExceeded { limit: self.limit }.into());
        }
        self.used = used;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtime::ResourceLimiter;

    #[test]
    fn long_text_is_cut_at_a_character_boundary_and_says_so() {
        assert_eq!(cut("short".into(), 5), "short");
        assert_eq!(cut("ééé".into(), 3), "é… (cut: 6 bytes)");
        let huge = cut("x".repeat(100 << 20), MAX_POLICY_TEXT);
        assert!(huge.len() < MAX_POLICY_TEXT + 40);
        assert!(
            huge.ends_with("x… (cut: 104857600 bytes)"),
            "{}",
            &huge[4000..]
        );
    }

    #[test]
    fn counts_every_memory_against_one_limit() {
        let mut limiter = MemoryLimiter::new(100);
        assert!(limiter.memory_growing(0, 60, None).is_ok());
        assert!(limiter.memory_growing(0, 30, None).is_ok());
        let error = limiter.memory_growing(60, 80, None).unwrap_err();
        assert_eq!(
            error.downcast_ref::<MemoryLimitExceeded>().map(|e| e.limit),
            Some(100)
        );
        assert!(limiter.memory_growing(30, 40, None).is_ok());
    }
}
