//! Running one policy against the fixtures of a policy crate and comparing what it finds
//! with what each fixture expects.
//!
//! A fixture is a directory holding the templates of one case and an
//! [`expect.toml`](super::expect). A crate keeps them in one of two places:
//!
//! - `tests/<case>/`: a policy's fixtures (cargo reads only `.rs` files there). A
//!   directory under `tests/` that holds Rust sources is cargo's (a helper module of
//!   integration tests) and is left alone;
//! - `fixtures/<rule-id>/<case>/`: a rule family's, grouped by rule. Only the findings
//!   and notes of that rule are compared, so that a rule added to the family does not
//!   change the fixtures of the others.
//!
//! Hidden directories are left alone; any other directory is a fixture, so that a
//! misnamed expectations file is reported instead of skipped. A fixture is checked as
//! `palisade check` would check that directory, with only the policy under test loaded.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::engine::Policy;
use crate::pipeline::{self, Request};
use palisade_model::{Finding, Problem};

use super::expect::{self, Comparison, Expectations, Expected, Found};

/// Where a policy crate keeps its fixtures.
pub const FIXTURES_DIR: &str = "tests";
/// Where a rule family keeps its fixtures, one directory per rule id.
pub const RULE_FIXTURES_DIR: &str = "fixtures";

/// Why the fixtures of a crate could not even be listed.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("cannot read {}: {source}", dir.display())]
    Read {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{} holds no fixtures: each fixture is a directory under {FIXTURES_DIR}/ (or \
         {RULE_FIXTURES_DIR}/<rule-id>/) with the templates of one case and an {}",
        .0.display(),
        expect::FILE_NAME
    )]
    NoFixtures(PathBuf),
}

/// One case: a directory of templates and its expectations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// The directory name (`<rule-id>/<case>` for a rule's fixture), which names the case
    /// in reports.
    pub name: String,
    pub dir: PathBuf,
    /// The rule whose fixture it is, for `fixtures/<rule-id>/<case>/`: only its findings
    /// and notes are compared.
    pub rule: Option<String>,
}

/// How one fixture went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixtureResult {
    /// The policy reported exactly the expected findings (this many).
    Passed { findings: usize },
    /// The policy's findings differ from the expected ones.
    Failed(Comparison),
    /// The fixture could not be run as written: its expectations or templates do not
    /// load, or the policy failed on them. Each entry is one message.
    Errors(Vec<String>),
}

/// One fixture and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureRun {
    pub fixture: Fixture,
    pub result: FixtureResult,
}

/// Every fixture of a crate, in name order, and how each went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestReport {
    pub runs: Vec<FixtureRun>,
}

impl TestReport {
    pub fn passed(&self) -> usize {
        self.count(|r| matches!(r, FixtureResult::Passed { .. }))
    }

    pub fn failed(&self) -> usize {
        self.count(|r| matches!(r, FixtureResult::Failed(_)))
    }

    pub fn errors(&self) -> usize {
        self.count(|r| matches!(r, FixtureResult::Errors(_)))
    }

    fn count(&self, wanted: impl Fn(&FixtureResult) -> bool) -> usize {
        self.runs.iter().filter(|run| wanted(&run.result)).count()
    }
}

/// The fixtures of the crate in `crate_dir`, sorted by name: those under `tests/` and
/// those under `fixtures/<rule-id>/`. None at all is an error: a test run that tests
/// nothing must not look like a pass.
pub fn find(crate_dir: &Path) -> Result<Vec<Fixture>, FixtureError> {
    let mut fixtures = cases(&crate_dir.join(FIXTURES_DIR), None)?;
    let by_rule = crate_dir.join(RULE_FIXTURES_DIR);
    for rule_dir in subdirs(&by_rule)? {
        let rule = file_name(&rule_dir);
        fixtures.extend(cases(&rule_dir, Some(&rule))?);
    }
    if fixtures.is_empty() {
        let root = if by_rule.is_dir() {
            by_rule
        } else {
            crate_dir.join(FIXTURES_DIR)
        };
        return Err(FixtureError::NoFixtures(root));
    }
    fixtures.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(fixtures)
}

/// The fixture directories directly under `root` (none if it does not exist), named
/// `<rule>/<case>` when they belong to `rule`.
fn cases(root: &Path, rule: Option<&str>) -> Result<Vec<Fixture>, FixtureError> {
    let mut fixtures = Vec::new();
    for dir in subdirs(root)? {
        let holds_rust = holds_rust(&dir).map_err(|source| FixtureError::Read {
            dir: dir.clone(),
            source,
        })?;
        if holds_rust {
            continue;
        }
        let case = file_name(&dir);
        fixtures.push(Fixture {
            name: rule.map_or_else(|| case.clone(), |rule| format!("{rule}/{case}")),
            dir,
            rule: rule.map(str::to_owned),
        });
    }
    Ok(fixtures)
}

/// The directories directly under `dir` that are not hidden; none if `dir` does not
/// exist.
fn subdirs(dir: &Path) -> Result<Vec<PathBuf>, FixtureError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let read_error = |source| FixtureError::Read {
        dir: dir.to_path_buf(),
        source,
    };
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        if path.is_dir() && !file_name(&path).starts_with('.') {
            dirs.push(path);
        }
    }
    Ok(dirs)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `dir` holds `.rs` files, as cargo's test helper modules do.
fn holds_rust(dir: &Path) -> std::io::Result<bool> {
    for entry in std::fs::read_dir(dir)? {
        if entry?.path().extension().is_some_and(|ext| ext == "rs") {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Runs `policy` on every fixture of the crate in `crate_dir`.
pub fn run_all(policy: &Policy, crate_dir: &Path) -> Result<TestReport, FixtureError> {
    let runs = find(crate_dir)?
        .into_iter()
        .map(|fixture| FixtureRun {
            result: run(policy, &fixture),
            fixture,
        })
        .collect();
    Ok(TestReport { runs })
}

/// Checks the directory of `fixture` with `policy` alone and compares the findings (and
/// notes, when it lists them) with its expectations.
pub fn run(policy: &Policy, fixture: &Fixture) -> FixtureResult {
    let dir = &fixture.dir;
    let mut errors = Vec::new();
    let expected = match expect::read(&dir.join(expect::FILE_NAME)) {
        Ok(expected) => expected,
        Err(error) => {
            errors.push(error.to_string());
            Expectations::default()
        }
    };
    errors.extend(unknown_rules(policy, &expected, fixture));
    let request = Request::of(vec![dir.to_path_buf()]);
    let outcome = pipeline::run(&request, std::slice::from_ref(policy), &[]);
    errors.extend(outcome.errors.iter().map(Problem::describe));
    if outcome.files == 0 {
        errors.push(format!(
            "{}: no template to check (Terraform, a plan or a ROS template)",
            dir.display()
        ));
    }
    if !errors.is_empty() {
        return FixtureResult::Errors(errors);
    }
    let of_the_rule = |finding: &Finding| fixture.rule.as_ref().is_none_or(|r| *r == finding.rule);
    let found: Vec<Found> = outcome
        .findings
        .iter()
        .filter(|finding| of_the_rule(finding))
        .map(|finding| as_found(finding, dir, finding.severity.as_str()))
        .collect();
    let mut comparison = expect::compare(&expected.findings, &found);
    if let Some(notes) = &expected.notes {
        let found_notes: Vec<Found> = outcome
            .notes
            .iter()
            .filter(|note| of_the_rule(note))
            .map(|note| as_found(note, dir, expect::NOTE))
            .collect();
        let notes = expect::compare(notes, &found_notes);
        comparison.missing.extend(notes.missing);
        comparison.unexpected.extend(notes.unexpected);
    }
    if comparison.agrees() {
        FixtureResult::Passed {
            findings: found.len(),
        }
    } else {
        FixtureResult::Failed(comparison)
    }
}

/// A finding or note as the comparison sees it, its file relative to the fixture.
fn as_found(finding: &Finding, dir: &Path, severity: &str) -> Found {
    Found {
        file: finding
            .file
            .strip_prefix(dir)
            .map_or_else(|_| finding.file.clone(), Path::to_path_buf),
        line: finding.span.start.line,
        rule: finding.rule.clone(),
        resource: finding.address.clone(),
        severity: severity.to_owned(),
        message: finding.full_message(),
    }
}

/// Expectations naming a rule the policy does not have, and a rule's fixture directory
/// named after none: typos that would otherwise show as findings never found.
fn unknown_rules(policy: &Policy, expected: &Expectations, fixture: &Fixture) -> Vec<String> {
    let known: Vec<&str> = policy.rules.iter().map(|rule| rule.id.as_str()).collect();
    let named = expected
        .findings
        .iter()
        .chain(expected.notes.iter().flatten())
        .map(|e: &Expected| e.rule.as_str());
    let unknown: BTreeSet<&str> = named
        .chain(fixture.rule.as_deref())
        .filter(|rule| !known.contains(rule))
        .collect();
    unknown
        .into_iter()
        .map(|rule| {
            format!(
                "{}: rule `{rule}` is not a rule of {}; its rules: {}",
                fixture.dir.join(expect::FILE_NAME).display(),
                policy.info.name,
                known.join(", ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::engine::{CacheMode, Engine, EngineOptions, builtin_policies};

    /// The built-in network family (which holds open-ssh), loaded alone.
    fn open_ssh() -> (Engine, Policy) {
        let engine = Engine::new(EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        })
        .unwrap();
        let source = builtin_policies()
            .into_iter()
            .find(|source| source.name == "builtin:network")
            .unwrap();
        let policy = engine.load(source).unwrap();
        (engine, policy)
    }

    const OPEN_SSH: &str = r#"resource "alicloud_security_group_rule" "ssh" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "22/22"
  security_group_id = "sg-123"
  cidr_ip           = "0.0.0.0/0"
}
"#;

    fn fixture(dir: &Path, template: &str, expect: Option<&str>) -> Fixture {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("main.tf"), template).unwrap();
        if let Some(expect) = expect {
            fs::write(dir.join(expect::FILE_NAME), expect).unwrap();
        }
        Fixture {
            name: file_name(dir),
            dir: dir.to_path_buf(),
            rule: None,
        }
    }

    const EXPECT_SSH: &str = "[[finding]]\nrule = \"open-ssh\"\n\
        resource = \"alicloud_security_group_rule.ssh\"\nline = 6\nfile = \"main.tf\"\n\
        message = \"open to 0.0.0.0/0\"\n";

    #[test]
    fn fixtures_are_the_directories_under_tests_except_rust_modules_and_hidden_ones() {
        let root = tempfile::tempdir().unwrap();
        let tests = root.path().join(FIXTURES_DIR);
        for name in ["b-case", "a-case", "common", ".hidden"] {
            fs::create_dir_all(tests.join(name)).unwrap();
        }
        fs::write(tests.join("common/mod.rs"), "").unwrap();
        fs::write(tests.join("integration.rs"), "").unwrap();
        let names: Vec<String> = find(root.path())
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["a-case", "b-case"]);
    }

    #[test]
    fn a_family_keeps_its_fixtures_by_rule() {
        let root = tempfile::tempdir().unwrap();
        let by_rule = root.path().join(RULE_FIXTURES_DIR);
        for case in [
            "open-ssh/b-case",
            "open-ssh/a-case",
            "open-rdp/a-case",
            ".git/x",
        ] {
            fs::create_dir_all(by_rule.join(case)).unwrap();
        }
        fs::create_dir_all(root.path().join(FIXTURES_DIR).join("team-case")).unwrap();
        let found: Vec<(String, Option<String>)> = find(root.path())
            .unwrap()
            .into_iter()
            .map(|f| (f.name, f.rule))
            .collect();
        let rule = |id: &str| Some(id.to_owned());
        assert_eq!(
            found,
            [
                ("open-rdp/a-case".to_owned(), rule("open-rdp")),
                ("open-ssh/a-case".to_owned(), rule("open-ssh")),
                ("open-ssh/b-case".to_owned(), rule("open-ssh")),
                ("team-case".to_owned(), None),
            ]
        );
    }

    #[test]
    fn a_rule_fixture_compares_that_rule_and_names_a_rule_of_the_policy() {
        let (_engine, policy) = open_ssh();
        let root = tempfile::tempdir().unwrap();
        let mut open = fixture(&root.path().join("open"), OPEN_SSH, Some(EXPECT_SSH));
        open.rule = Some("open-ssh".into());
        assert_eq!(run(&policy, &open), FixtureResult::Passed { findings: 1 });
        open.rule = Some("open-sss".into());
        let FixtureResult::Errors(errors) = run(&policy, &open) else {
            panic!("a rule directory named after no rule is an error");
        };
        assert!(
            errors[0].contains("rule `open-sss` is not a rule of network"),
            "{errors:?}"
        );
    }

    #[test]
    fn notes_and_severities_are_compared_when_listed() {
        let (_engine, policy) = open_ssh();
        let root = tempfile::tempdir().unwrap();
        let unknown = OPEN_SSH.replace("\"0.0.0.0/0\"", "var.cidr") + "variable \"cidr\" {}\n";
        let note = "finding = []\n[[note]]\nrule = \"open-ssh\"\n\
            resource = \"alicloud_security_group_rule.ssh\"\nline = 6\n";
        let noted = fixture(&root.path().join("noted"), &unknown, Some(note));
        assert_eq!(run(&policy, &noted), FixtureResult::Passed { findings: 0 });
        let unlisted = fixture(
            &root.path().join("unlisted"),
            &unknown,
            Some("finding = []"),
        );
        assert_eq!(
            run(&policy, &unlisted),
            FixtureResult::Passed { findings: 0 }
        );
        let none = fixture(
            &root.path().join("none"),
            &unknown,
            Some("finding = []\nnote = []"),
        );
        let FixtureResult::Failed(comparison) = run(&policy, &none) else {
            panic!("an unexpected note fails a fixture that lists notes");
        };
        assert_eq!(comparison.unexpected[0].severity, expect::NOTE);
        let critical = EXPECT_SSH.replace("line = 6", "line = 6\nseverity = \"critical\"");
        let high = fixture(&root.path().join("high"), OPEN_SSH, Some(&critical));
        assert!(matches!(run(&policy, &high), FixtureResult::Failed(_)));
    }

    #[test]
    fn a_crate_without_fixtures_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        assert!(matches!(
            find(root.path()),
            Err(FixtureError::NoFixtures(_))
        ));
        fs::create_dir_all(root.path().join("tests/common")).unwrap();
        fs::write(root.path().join("tests/common/mod.rs"), "").unwrap();
        let error = find(root.path()).unwrap_err();
        assert!(error.to_string().contains("holds no fixtures"), "{error}");
    }

    #[test]
    fn a_fixture_passes_when_the_findings_are_exactly_the_expected_ones() {
        let (_engine, policy) = open_ssh();
        let root = tempfile::tempdir().unwrap();
        let open = fixture(&root.path().join("open"), OPEN_SSH, Some(EXPECT_SSH));
        assert_eq!(run(&policy, &open), FixtureResult::Passed { findings: 1 });
        let closed = OPEN_SSH.replace("0.0.0.0/0", "10.0.0.0/8");
        let closed = fixture(&root.path().join("closed"), &closed, Some("finding = []"));
        assert_eq!(run(&policy, &closed), FixtureResult::Passed { findings: 0 });
    }

    #[test]
    fn a_difference_lists_what_is_missing_and_what_is_unexpected() {
        let (_engine, policy) = open_ssh();
        let root = tempfile::tempdir().unwrap();
        let dir = fixture(
            root.path(),
            OPEN_SSH,
            Some(&EXPECT_SSH.replace("line = 6", "line = 5")),
        );
        let FixtureResult::Failed(comparison) = run(&policy, &dir) else {
            panic!("the fixture should fail");
        };
        assert_eq!(comparison.missing.len(), 1);
        assert_eq!(comparison.missing[0].line, Some(5));
        assert_eq!(comparison.unexpected.len(), 1);
        let found = &comparison.unexpected[0];
        assert_eq!(found.file, Path::new("main.tf"));
        assert_eq!(found.line, 6);
        assert_eq!(found.resource, "alicloud_security_group_rule.ssh");
    }

    #[test]
    fn broken_fixtures_are_errors_with_their_reasons() {
        let (_engine, policy) = open_ssh();
        let root = tempfile::tempdir().unwrap();
        let errors = |fixture: &Fixture| match run(&policy, fixture) {
            FixtureResult::Errors(errors) => errors.join("\n"),
            other => panic!("expected errors, got {other:?}"),
        };

        let no_expect = fixture(&root.path().join("no-expect"), OPEN_SSH, None);
        assert!(errors(&no_expect).contains("cannot read"));

        let bad_hcl = fixture(
            &root.path().join("bad-hcl"),
            "resource {",
            Some("finding = []"),
        );
        assert!(errors(&bad_hcl).contains("main.tf:1:"));

        let typo = EXPECT_SSH.replace("rule = \"open-ssh\"", "rule = \"open_ssh\"");
        let typo = fixture(&root.path().join("typo"), OPEN_SSH, Some(&typo));
        assert!(errors(&typo).contains("rule `open_ssh` is not a rule of network"));

        let empty = root.path().join("empty");
        fs::create_dir_all(&empty).unwrap();
        fs::write(empty.join(expect::FILE_NAME), "finding = []").unwrap();
        let empty = Fixture {
            name: "empty".into(),
            dir: empty,
            rule: None,
        };
        assert!(errors(&empty).contains("no template to check"));
    }

    #[test]
    fn a_report_counts_each_outcome() {
        let (_engine, policy) = open_ssh();
        let root = tempfile::tempdir().unwrap();
        let tests = root.path().join(FIXTURES_DIR);
        fixture(&tests.join("a-pass"), OPEN_SSH, Some(EXPECT_SSH));
        fixture(&tests.join("b-fail"), OPEN_SSH, Some("finding = []"));
        fixture(&tests.join("c-error"), OPEN_SSH, Some(""));
        let report = run_all(&policy, root.path()).unwrap();
        let names: Vec<&str> = report
            .runs
            .iter()
            .map(|r| r.fixture.name.as_str())
            .collect();
        assert_eq!(names, ["a-pass", "b-fail", "c-error"]);
        assert_eq!(
            (report.passed(), report.failed(), report.errors()),
            (1, 1, 1)
        );
    }
}
