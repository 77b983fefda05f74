//! The suppress stage: moves the findings a user has justified out of `findings` and
//! into `suppressed`.
//!
//! A suppression is a comment, `palisade:ignore RULE[INSTANCE] reason="..."
//! [expires=YYYY-MM-DD]` ([`comment`]), on a resource's header line or an offending
//! attribute's line, or on the line above either ([`scan`]); in a ROS template it may
//! also sit in the resource's `Metadata` ([`ros`]). A suppression that cannot be read,
//! or that names a rule no policy declares, is an error and suppresses nothing; one past
//! its expiry date suppresses nothing and says so in the finding's message.
//!
//! Only files with findings are read again, plus, when unused suppressions are reported,
//! every file a rule checked.

mod comment;
mod ros;
mod scan;

use palisade_syntax::source::read_regular;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::policies::rules;
use crate::engine::Policy;
use palisade_model::{
    Date, Finding, Position, Problem, Report, Suppressed, Suppression, TODAY_VARIABLE,
};

pub use comment::Directive;

/// Which findings a suppression can cover, besides its rule and instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Covers {
    /// Findings whose resource header or own span starts on this line of the file.
    Line(u32),
    /// Findings on the ROS resource with this logical id.
    Resource(String),
    /// None: a comment with no line of code after it.
    Nowhere,
}

/// A suppression as written, located so reports can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub directive: Directive,
    pub file: PathBuf,
    pub position: Position,
    pub covers: Covers,
}

impl Written {
    fn covers(&self, finding: &Finding) -> bool {
        let directive = &self.directive;
        finding.file == self.file
            && finding.rule == directive.rule
            && directive
                .instance
                .as_ref()
                .is_none_or(|instance| instance.matches(&finding.address))
            && match &self.covers {
                Covers::Line(line) => {
                    [finding.span.start.line, finding.resource_span.start.line].contains(line)
                }
                Covers::Resource(logical_id) => without_index(&finding.address) == logical_id,
                Covers::Nowhere => false,
            }
    }

    /// The day it expired, if that is `today` or earlier.
    fn expired_on(&self, today: Date) -> Option<Date> {
        self.directive.expires.filter(|&expires| today >= expires)
    }

    /// What reports show of it.
    fn justification(&self) -> Suppression {
        Suppression {
            reason: self.directive.reason.clone(),
            expires: self.directive.expires,
            file: self.file.clone(),
            position: self.position,
        }
    }
}

/// What the stage needs besides the report.
#[derive(Debug, Clone)]
pub struct Options {
    /// Every rule id a loaded policy declares (whether it ran or not): a suppression
    /// naming another one is a typo to report.
    pub known_rules: BTreeSet<String>,
    /// Suppressions expiring on this day or before no longer suppress.
    pub today: Date,
    /// Warn about every suppression that covered no finding of a rule that ran.
    pub report_unused: bool,
    /// The largest file read for its suppressions: what the loaders read.
    pub max_file_size: u64,
}

/// The stage as `palisade check` runs it, with today's date from the clock (or
/// [`TODAY_VARIABLE`]) and the rules of `policies`.
pub fn run(report: &mut Report, policies: &[Policy], report_unused: bool, max_file_size: u64) {
    match Date::today() {
        Ok(today) => {
            let options = Options {
                known_rules: rules(policies).map(|(_, rule)| rule.id.clone()).collect(),
                today,
                report_unused,
                max_file_size,
            };
            apply(report, &options);
        }
        Err(error) => report.errors.push(Problem::Environment {
            message: format!("{TODAY_VARIABLE}: {error}"),
        }),
    }
}

/// Applies the suppressions written in the files of `report` to its findings.
pub fn apply(report: &mut Report, options: &Options) {
    let (suppressions, mut problems) = read_files(&files_to_read(report, options), options);
    let mut used = vec![false; suppressions.len()];
    for mut finding in std::mem::take(&mut report.findings) {
        let covering: Vec<usize> = (0..suppressions.len())
            .filter(|&i| suppressions[i].covers(&finding))
            .collect();
        for &i in &covering {
            used[i] = true;
        }
        let mut covering = covering.iter().map(|&i| &suppressions[i]);
        let active = covering
            .clone()
            .find(|s| s.expired_on(options.today).is_none());
        if let Some(suppression) = active {
            report.suppressed.push(Suppressed {
                finding,
                suppression: suppression.justification(),
            });
            continue;
        }
        finding.expired_suppression = covering
            .find(|s| s.expired_on(options.today).is_some())
            .map(Written::justification);
        report.findings.push(finding);
    }
    if options.report_unused {
        let ran: BTreeSet<&str> = report.rules.iter().map(|r| r.rule.id.as_str()).collect();
        let unused = suppressions
            .iter()
            .zip(&used)
            .filter(|(s, used)| !**used && ran.contains(s.directive.rule.as_str()))
            .map(|(s, _)| unused_warning(s));
        report.warnings.extend(unused);
    }
    problems.sort_by(|a, b| (a.file(), a.position()).cmp(&(b.file(), b.position())));
    report.errors.extend(problems);
}

/// The files whose suppressions can matter, sorted: those with findings, and with
/// `report_unused` every checked one. JSON files other than ROS templates (plans,
/// `.tf.json`) have nowhere to write a suppression and are not read.
fn files_to_read(report: &Report, options: &Options) -> BTreeSet<PathBuf> {
    let findings = report.findings.iter().map(|f| (&f.file, &f.resource_type));
    let checked = report
        .checked
        .iter()
        .filter(|_| options.report_unused)
        .map(|c| (&c.file, &c.resource_type));
    let mut files = BTreeSet::new();
    let mut last: Option<&PathBuf> = None;
    for (file, resource_type) in findings.chain(checked) {
        // Findings come sorted by file: most are in the file of the one before.
        if last == Some(file) || (is_json(file) && !resource_type.starts_with("ALIYUN::")) {
            continue;
        }
        files.insert(file.clone());
        last = Some(file);
    }
    files
}

fn is_json(file: &Path) -> bool {
    file.extension().is_some_and(|ext| ext == "json")
}

/// The suppressions of `files`, and a problem for each one that is refused.
fn read_files(files: &BTreeSet<PathBuf>, options: &Options) -> (Vec<Written>, Vec<Problem>) {
    let mut suppressions = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        // A file that cannot be read again was reported by the loader, or has changed
        // since: it suppresses nothing.
        let read = read_regular(file, options.max_file_size).ok();
        let Some(text) = read.and_then(|bytes| String::from_utf8(bytes).ok()) else {
            continue;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        for reading in written_in(file, text) {
            match reading {
                Ok((position, directive, _)) if !options.known_rules.contains(&directive.rule) => {
                    let message = unknown_rule(&directive.rule, &options.known_rules);
                    problems.push(problem(file, position, message));
                }
                Ok((position, directive, covers)) => suppressions.push(Written {
                    directive,
                    file: file.clone(),
                    position,
                    covers,
                }),
                Err((position, message)) => problems.push(problem(file, position, message)),
            }
        }
    }
    (suppressions, problems)
}

/// A suppression read from a file: where it is written, what it says, what it covers;
/// or where it is and why it is refused.
type Reading = Result<(Position, Directive, Covers), (Position, String)>;

/// Every suppression written in `file` (whose contents are `text`): comments, and for a
/// ROS template the `Metadata` of its resources.
fn written_in(file: &Path, text: &str) -> Vec<Reading> {
    let mut written: Vec<Reading> = Vec::new();
    if let Some(syntax) = scan::Syntax::of(file, text) {
        for found in scan::suppression_comments(text, syntax) {
            let covers = found.target.map_or(Covers::Nowhere, Covers::Line);
            written.push(
                comment::parse(found.text)
                    .map(|directive| (found.position, directive, covers))
                    .map_err(|error| (found.position, error.to_string())),
            );
        }
    }
    if text.contains("ROSTemplateFormatVersion") && text.contains("Palisade") {
        // A template that does not parse was reported by the loader.
        if let Ok(Some(root)) = palisade_load::parse_template(file, text) {
            let (found, invalid) = ros::suppressions(&root, text);
            written.extend(found.into_iter().map(|found| {
                Ok((
                    found.position,
                    found.directive,
                    Covers::Resource(found.logical_id),
                ))
            }));
            written.extend(
                invalid
                    .into_iter()
                    .map(|invalid| Err((invalid.position, invalid.message))),
            );
        }
    }
    written
}

fn problem(file: &Path, position: Position, message: String) -> Problem {
    Problem::at(file, position, message)
}

fn unknown_rule(rule: &str, known: &BTreeSet<String>) -> String {
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    format!(
        "suppression of {rule}: no loaded policy declares rule `{rule}` (loaded rules: {})",
        known.join(", ")
    )
}

fn unused_warning(suppression: &Written) -> Problem {
    let directive = &suppression.directive;
    let instance = directive
        .instance
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let message = match suppression.covers {
        Covers::Nowhere => format!(
            "suppression of {}{instance} is not followed by code: write it on or just above the resource or the attribute",
            directive.rule
        ),
        _ => format!(
            "suppression of {}{instance} matched no finding",
            directive.rule
        ),
    };
    problem(&suppression.file, suppression.position, message)
}

/// A resource address without its last index: the ROS logical id of `Group[0]`.
fn without_index(address: &str) -> &str {
    match address.strip_suffix(']').and_then(|a| a.rsplit_once('[')) {
        Some((base, _)) => base,
        None => address,
    }
}

#[cfg(test)]
mod tests;
