//! Running one policy against the fixtures of a policy crate and comparing what it finds
//! with what each fixture expects.
//!
//! A fixture is a directory under the crate's `tests/` (cargo reads only `.rs` files
//! there) holding the templates of one case and an [`expect.toml`](super::expect). It is
//! checked as `palisade check` would check that directory, with only the policy under
//! test loaded. A directory under `tests/` that holds Rust sources is cargo's (a helper
//! module of integration tests) and hidden directories are left alone; any other
//! directory is a fixture, so that a misnamed expectations file is reported instead of
//! skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::engine::Policy;
use crate::model::Problem;
use crate::pipeline::{self, Request};

use super::expect::{self, Comparison, Expected, Found};

/// Where a policy crate keeps its fixtures.
pub const FIXTURES_DIR: &str = "tests";

/// Why the fixtures of a crate could not even be listed.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("cannot read {}: {source}", dir.display())]
    Read {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{} holds no fixtures: each fixture is a directory under it with the templates \
         of one case and an {}",
        .0.display(),
        expect::FILE_NAME
    )]
    NoFixtures(PathBuf),
}

/// One case: a directory of templates and its expectations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// The directory name, which names the case in reports.
    pub name: String,
    pub dir: PathBuf,
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

/// The fixtures under `crate_dir/tests`, sorted by name. None at all is an error: a test
/// run that tests nothing must not look like a pass.
pub fn find(crate_dir: &Path) -> Result<Vec<Fixture>, FixtureError> {
    let root = crate_dir.join(FIXTURES_DIR);
    if !root.is_dir() {
        return Err(FixtureError::NoFixtures(root));
    }
    let read_error = |dir: &Path| {
        let dir = dir.to_path_buf();
        move |source| FixtureError::Read { dir, source }
    };
    let mut fixtures = Vec::new();
    for entry in std::fs::read_dir(&root).map_err(read_error(&root))? {
        let dir = entry.map_err(read_error(&root))?.path();
        let name = dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if dir.is_dir() && !name.starts_with('.') && !holds_rust(&dir).map_err(read_error(&dir))? {
            fixtures.push(Fixture { name, dir });
        }
    }
    if fixtures.is_empty() {
        return Err(FixtureError::NoFixtures(root));
    }
    fixtures.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(fixtures)
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
            result: run(policy, &fixture.dir),
            fixture,
        })
        .collect();
    Ok(TestReport { runs })
}

/// Checks the fixture directory `dir` with `policy` alone and compares the findings with
/// its expectations.
pub fn run(policy: &Policy, dir: &Path) -> FixtureResult {
    let mut errors = Vec::new();
    let expected = match expect::read(&dir.join(expect::FILE_NAME)) {
        Ok(expected) => expected,
        Err(error) => {
            errors.push(error.to_string());
            Vec::new()
        }
    };
    errors.extend(unknown_rules(policy, &expected, dir));
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
    let found: Vec<Found> = outcome
        .findings
        .into_iter()
        .map(|finding| Found {
            file: finding
                .file
                .strip_prefix(dir)
                .map_or_else(|_| finding.file.clone(), Path::to_path_buf),
            line: finding.span.start.line,
            rule: finding.rule,
            resource: finding.address,
            message: finding.message,
        })
        .collect();
    let comparison = expect::compare(&expected, &found);
    if comparison.agrees() {
        FixtureResult::Passed {
            findings: found.len(),
        }
    } else {
        FixtureResult::Failed(comparison)
    }
}

/// Expectations naming a rule the policy does not have: a typo that would otherwise show
/// as a finding that is never found.
fn unknown_rules(policy: &Policy, expected: &[Expected], dir: &Path) -> Vec<String> {
    let known: Vec<&str> = policy.rules.iter().map(|rule| rule.id.as_str()).collect();
    let unknown: BTreeSet<&str> = expected
        .iter()
        .map(|e| e.rule.as_str())
        .filter(|rule| !known.contains(rule))
        .collect();
    unknown
        .into_iter()
        .map(|rule| {
            format!(
                "{}: rule `{rule}` is not a rule of {}; its rules: {}",
                dir.join(expect::FILE_NAME).display(),
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

    /// The built-in open-ssh policy, loaded alone.
    fn open_ssh() -> (Engine, Policy) {
        let engine = Engine::new(EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        })
        .unwrap();
        let source = builtin_policies()
            .into_iter()
            .find(|source| source.name == "builtin:open-ssh")
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

    fn fixture(dir: &Path, template: &str, expect: Option<&str>) -> PathBuf {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("main.tf"), template).unwrap();
        if let Some(expect) = expect {
            fs::write(dir.join(expect::FILE_NAME), expect).unwrap();
        }
        dir.to_path_buf()
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
        let errors = |dir: &Path| match run(&policy, dir) {
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
        assert!(errors(&typo).contains("rule `open_ssh` is not a rule of open-ssh"));

        let empty = root.path().join("empty");
        fs::create_dir_all(&empty).unwrap();
        fs::write(empty.join(expect::FILE_NAME), "finding = []").unwrap();
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
