//! Findings a user has justified with a `palisade:ignore` suppression.

use std::path::PathBuf;

use super::{Date, Finding, Position};

/// A finding a suppression silenced, with that suppression: reports show its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppressed {
    pub finding: Finding,
    pub suppression: Suppression,
}

/// The justification a suppression gives, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub reason: String,
    /// The first day it no longer suppresses.
    pub expires: Option<Date>,
    pub file: PathBuf,
    pub position: Position,
}
