//! Messages about a place in a file, written `file:line:column: message` as compilers
//! write them, so that editors and terminals can jump to the place.

use std::path::PathBuf;

use super::Position;

/// A message about a position in a file: a template that does not load, a setting in
/// `palisade.toml` that makes no sense, an expectation that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{}:{}: {message}", file.display(), position.line, position.column)]
pub struct Located {
    pub file: PathBuf,
    pub position: Position,
    pub message: String,
}

impl Located {
    pub fn new(file: impl Into<PathBuf>, position: Position, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            position,
            message: message.into(),
        }
    }

    /// A message about a whole file (unreadable, too large, not a template), placed at its
    /// start so that it still reads `file:1:1: message`.
    pub fn whole_file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(file, Position::new(1, 1), message)
    }
}
