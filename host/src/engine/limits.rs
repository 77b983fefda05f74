//! The memory cap of one policy instance.
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
