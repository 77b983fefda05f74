//! What kept a run from checking part of its input, or deserves a remark beside it.

use std::path::{Path, PathBuf};

use super::{Located, Position};

/// Where a problem is: a file, and the position in it when one is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    pub position: Option<Position>,
}

impl Place {
    /// A whole file, no position in it.
    pub fn file(file: &Path) -> Self {
        Self {
            file: file.to_path_buf(),
            position: None,
        }
    }
}

/// Something that kept Palisade from checking part of the input, or (as a warning) a
/// remark that never changes the verdict, such as an unused suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An input file that could not be read as asked: a template that does not load, a
    /// suppression that is refused or unused.
    Input { place: Place, message: String },
    /// A policy that could not be loaded or evaluated; `place` is the document set it
    /// failed on, or the pin in `palisade.toml` that refused it.
    Policy {
        policy: String,
        place: Option<Place>,
        message: String,
    },
    /// The run's surroundings: an environment variable that cannot be used.
    Environment { message: String },
}

impl Problem {
    /// A problem at `position` in `file`.
    pub fn at(file: &Path, position: Position, message: impl Into<String>) -> Self {
        Problem::Input {
            place: Place {
                file: file.to_path_buf(),
                position: Some(position),
            },
            message: message.into(),
        }
    }

    pub fn place(&self) -> Option<&Place> {
        match self {
            Problem::Input { place, .. } => Some(place),
            Problem::Policy { place, .. } => place.as_ref(),
            Problem::Environment { .. } => None,
        }
    }

    pub fn file(&self) -> Option<&Path> {
        self.place().map(|place| place.file.as_path())
    }

    pub fn position(&self) -> Option<Position> {
        self.place().and_then(|place| place.position)
    }

    /// The policy the problem is about, if it is about one.
    pub fn policy(&self) -> Option<&str> {
        match self {
            Problem::Policy { policy, .. } => Some(policy),
            _ => None,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Problem::Input { message, .. }
            | Problem::Policy { message, .. }
            | Problem::Environment { message } => message,
        }
    }

    /// The order reports list problems in: by file, position, policy and message.
    pub fn order_key(&self) -> (Option<&Path>, Option<Position>, Option<&str>, &str) {
        (self.file(), self.position(), self.policy(), self.message())
    }

    /// One line, `file:line:column: message`, or as much of it as is known.
    pub fn describe(&self) -> String {
        match (self.file(), self.position()) {
            (Some(file), Some(position)) => {
                Located::new(file, position, self.message()).to_string()
            }
            (Some(file), None) => format!("{}: {}", file.display(), self.message()),
            (None, _) => self.message().to_owned(),
        }
    }
}

/// A load error, at its position (an error about a whole file is placed at 1:1).
impl From<Located> for Problem {
    fn from(error: Located) -> Self {
        Problem::Input {
            place: Place {
                position: Some(error.position),
                file: error.file,
            },
            message: error.message,
        }
    }
}
