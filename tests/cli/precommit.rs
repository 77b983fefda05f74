//! The pre-commit hook, run by the real pre-commit framework in a throwaway git
//! repository: a commit opening SSH to the world is refused with the finding printed; a
//! suppression with a reason lets it through; one without a reason does not, and says
//! why. Skipped, with a message, when pre-commit is not installed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::root;

/// How to start pre-commit here, if it is installed: `pre-commit` or the Python module.
fn pre_commit() -> Option<Vec<String>> {
    [vec!["pre-commit"], vec!["python3", "-m", "pre_commit"]]
        .into_iter()
        .find(|command| {
            Command::new(command[0])
                .args(&command[1..])
                .arg("--version")
                .output()
                .is_ok_and(|output| output.status.success())
        })
        .map(|command| command.into_iter().map(str::to_owned).collect())
}

/// A command run in `dir` with `palisade` first on the PATH, pre-commit's caches in
/// `home` and no colours.
struct Shell {
    dir: PathBuf,
    home: PathBuf,
}

impl Shell {
    fn command(&self, program: &str, args: &[&str]) -> Command {
        let binary = Path::new(env!("CARGO_BIN_EXE_palisade"));
        let mut path = std::ffi::OsString::from(binary.parent().expect("the binary's directory"));
        if let Some(rest) = std::env::var_os("PATH") {
            path.push(":");
            path.push(rest);
        }
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&self.dir)
            .env("PATH", path)
            .env("PRE_COMMIT_HOME", self.home.join("pre-commit"))
            .env("PALISADE_CACHE_DIR", self.home.join("palisade-cache"))
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", self.home.join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1");
        command
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        self.command(program, args)
            .output()
            .expect("the command runs")
    }

    /// Runs `git ARGS`, which must succeed.
    fn git(&self, args: &[&str]) -> String {
        let output = self.run("git", args);
        assert!(output.status.success(), "git {args:?}: {}", text(&output));
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A git repository in `dir`, with an identity, that commits without signing.
fn git_repository(shell: &Shell) {
    shell.git(&["init", "--quiet", "--initial-branch=main"]);
    for (key, value) in [
        ("user.name", "Palisade Test"),
        ("user.email", "test@example.com"),
        ("commit.gpgsign", "false"),
    ] {
        shell.git(&["config", key, value]);
    }
}

/// The module's variables: the SSH rule in `main.tf` takes its CIDR from here, so the
/// hook finds the rule open only when it reads `main.tf` with its directory.
const VARIABLES: &str = r#"variable "ssh_cidr" {
  default = "0.0.0.0/0"
}
"#;

/// `main.tf` with an SSH rule open to `var.ssh_cidr`, after the line `comment`.
fn main_tf(comment: &str) -> String {
    format!(
        r#"{comment}
resource "alicloud_security_group_rule" "ssh" {{
  type        = "ingress"
  ip_protocol = "tcp"
  port_range  = "22/22"
  cidr_ip     = var.ssh_cidr
}}
"#
    )
}

#[test]
fn the_hook_refuses_open_ssh_unless_suppressed_with_a_reason() {
    let Some(pre_commit) = pre_commit() else {
        println!("skipped: pre-commit is not installed (python3 -m pip install pre-commit)");
        return;
    };
    let home = tempfile::tempdir().expect("temporary directory");
    let hooks = Shell {
        dir: home.path().join("hooks"),
        home: home.path().to_path_buf(),
    };
    let project = Shell {
        dir: home.path().join("project"),
        home: home.path().to_path_buf(),
    };
    fs::write(home.path().join("gitconfig"), "").expect("write gitconfig");

    // A hook repository publishing this repository's .pre-commit-hooks.yaml, as a team
    // would reference it from its configuration.
    fs::create_dir(&hooks.dir).expect("create the hook repository");
    git_repository(&hooks);
    fs::copy(
        root().join(".pre-commit-hooks.yaml"),
        hooks.dir.join(".pre-commit-hooks.yaml"),
    )
    .expect("copy .pre-commit-hooks.yaml");
    hooks.git(&["add", "."]);
    hooks.git(&["commit", "--quiet", "-m", "hooks"]);
    let rev = hooks.git(&["rev-parse", "HEAD"]);

    fs::create_dir(&project.dir).expect("create the project");
    git_repository(&project);
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: palisade\n",
        hooks.dir.display()
    );
    fs::write(project.dir.join(".pre-commit-config.yaml"), config).expect("write config");
    let install = project.run(&pre_commit[0], &pre_commit_args(&pre_commit, &["install"]));
    assert!(install.status.success(), "{}", text(&install));

    // The variables alone, and a JSON file that is no template: nothing to refuse.
    fs::write(project.dir.join("variables.tf"), VARIABLES).expect("write variables.tf");
    fs::write(project.dir.join("package.json"), r#"{"name": "site"}"#).expect("write json");
    project.git(&["add", "."]);
    let first = project.run("git", &["commit", "-m", "variables"]);
    assert!(first.status.success(), "{}", text(&first));

    let commit = |main: &str| {
        fs::write(project.dir.join("main.tf"), main).expect("write main.tf");
        project.git(&["add", "main.tf"]);
        project.run("git", &["commit", "-m", "ssh"])
    };

    let open = commit(&main_tf(""));
    let said = text(&open);
    assert!(
        !open.status.success(),
        "an open SSH rule was committed:\n{said}"
    );
    assert!(said.contains("[open-ssh]"), "{said}");
    assert!(said.contains("main.tf:6:"), "{said}");
    assert!(
        !said.contains("checked with"),
        "--quiet leaves out the summary:\n{said}"
    );

    let unexplained = commit(&main_tf("# palisade:ignore open-ssh"));
    let said = text(&unexplained);
    assert!(
        !unexplained.status.success(),
        "a suppression without a reason let the commit through:\n{said}"
    );
    assert!(
        said.contains("reason"),
        "the refusal does not say why:\n{said}"
    );

    let explained = commit(&main_tf(
        r#"# palisade:ignore open-ssh reason="bastion host, reviewed by the security team""#,
    ));
    assert!(explained.status.success(), "{}", text(&explained));
    assert_eq!(project.git(&["log", "--format=%s", "-1"]), "ssh");
}

/// `args` after the words that start pre-commit (`python3 -m pre_commit`).
fn pre_commit_args<'a>(pre_commit: &'a [String], args: &[&'a str]) -> Vec<&'a str> {
    pre_commit[1..]
        .iter()
        .map(String::as_str)
        .chain(args.iter().copied())
        .collect()
}
