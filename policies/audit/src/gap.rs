//! What a trail leaves unrecorded, and how the rule reports it: one finding listing every
//! gap, at the first; notes only when no gap is certain.
//!
//! Each provider module fills a `Gaps` from its resource; an aspect it cannot decide (a
//! variable without a value, an omitted setting without a documented default, a link to
//! an unknown trail) becomes a note, since it could at most add a gap to a trail that
//! would otherwise pass.

use palisade_policy::{AttrPath, Evaluation, Resource, Rule, Unknown};

/// One thing a trail does not record, and the attribute that decides it.
pub struct Gap {
    /// Where the finding points when this is the first gap.
    pub path: AttrPath,
    /// What is missing and why, in the words of the template.
    pub text: String,
}

/// The gaps and the undecided aspects of one trail.
#[derive(Default)]
pub struct Gaps {
    gaps: Vec<Gap>,
    notes: Vec<(AttrPath, String)>,
}

impl Gaps {
    /// Records a gap at `path`.
    pub fn gap(&mut self, path: &AttrPath, text: impl Into<String>) {
        self.gaps.push(Gap {
            path: path.clone(),
            text: text.into(),
        });
    }

    /// Records an aspect that an unknown value keeps from being decided.
    pub fn unknown(&mut self, unknown: &Unknown<'_>) {
        let text = format!("could not decide: {}", unknown.reason);
        self.notes.push((unknown.path.clone(), text));
    }

    /// Records an aspect the template leaves undecided for another reason.
    pub fn note(&mut self, path: &AttrPath, text: impl Into<String>) {
        self.notes.push((path.clone(), text.into()));
    }

    /// Reports `trail`: a finding listing every gap at the first one, or, without a gap,
    /// a note per undecided aspect.
    pub fn report(self, rule: &Rule, trail: &Resource, evaluation: &mut Evaluation) {
        if let Some(first) = self.gaps.first() {
            let listed: Vec<&str> = self.gaps.iter().map(|gap| gap.text.as_str()).collect();
            let message = format!("the trail is incomplete: {}", listed.join("; "));
            evaluation.fail(rule, trail, &first.path, message);
            return;
        }
        for (path, text) in self.notes {
            evaluation.note(rule, trail, &path, text);
        }
    }
}
