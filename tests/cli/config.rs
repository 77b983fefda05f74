//! `palisade.toml`: found by walking up from the scanned path, every setting taking
//! effect, strict reading, and `palisade init`.

use std::fs;
use std::path::Path;

use crate::common::{DISK, Run, SSH, palisade};

/// SSH open to the world and an unencrypted disk: one `open-ssh` (high) and one
/// `unencrypted-disk` (high) finding.
fn insecure_tf() -> String {
    format!("{SSH}{DISK}")
}

/// SSH opened to `var.ssh_source`, private unless a variables file says otherwise.
const VARIABLE_TF: &str = r#"
variable "ssh_source" {
  default = "10.0.0.0/8"
}

resource "alicloud_security_group_rule" "ssh" {
  type              = "ingress"
  ip_protocol       = "tcp"
  policy            = "accept"
  port_range        = "22/22"
  security_group_id = "sg-example"
  cidr_ip           = var.ssh_source
}
"#;

/// A ROS security group opening SSH to the `SshSource` parameter.
const PARAMETER_ROS: &str = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  SshSource:
    Type: String
    Default: 10.0.0.0/8
Resources:
  Group:
    Type: ALIYUN::ECS::SecurityGroup
    Properties:
      VpcId: vpc-example
      SecurityGroupIngress:
        - IpProtocol: tcp
          PortRange: 22/22
          SourceCidrIp:
            Ref: SshSource
";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

/// `(rule, severity, file)` of every finding of a JSON report.
fn findings(run: &Run) -> Vec<(String, String, String)> {
    run.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let field = |name: &str| f[name].as_str().unwrap_or_default().to_owned();
            (field("rule"), field("severity"), field("file"))
        })
        .collect()
}

fn rules(run: &Run) -> Vec<String> {
    findings(run).into_iter().map(|(rule, ..)| rule).collect()
}

#[test]
fn found_from_a_nested_scanned_path_and_not_above_the_repository() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "repo/infra/net/main.tf", &insecure_tf());
    write(
        root,
        "repo/palisade.toml",
        "[rules.open-ssh]\nenabled = false\n",
    );

    // Run from outside the project: the file sits two directories above the scanned one.
    let run = palisade(&["check", "repo/infra/net", "--format", "json"], root);
    assert_eq!(rules(&run), ["unencrypted-disk"], "{}", run.stderr);

    // A file named on the command line starts the search at its directory.
    let run = palisade(
        &["check", "repo/infra/net/main.tf", "--format", "json"],
        root,
    );
    assert_eq!(rules(&run), ["unencrypted-disk"], "{}", run.stderr);

    // The search stops at the repository's root (the directory holding `.git`).
    fs::rename(root.join("repo/palisade.toml"), root.join("palisade.toml")).expect("mv");
    fs::create_dir(root.join("repo/.git")).expect("mkdir .git");
    let run = palisade(&["check", "repo/infra/net", "--format", "json"], root);
    assert_eq!(
        rules(&run),
        ["open-ssh", "unencrypted-disk"],
        "{}",
        run.stderr
    );

    // `--config` names a file anywhere.
    let run = palisade(
        &[
            "check",
            "repo/infra/net",
            "--format",
            "json",
            "--config",
            "palisade.toml",
        ],
        root,
    );
    assert_eq!(rules(&run), ["unencrypted-disk"], "{}", run.stderr);
}

#[test]
fn fail_on_is_a_default_the_command_line_overrides() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "main.tf", &insecure_tf());
    write(dir.path(), "palisade.toml", "fail_on = \"critical\"\n");
    let run = palisade(&["check", "."], dir.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("2 findings"), "{}", run.stdout);
    let run = palisade(&["check", ".", "--fail-on", "high"], dir.path());
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
}

#[test]
fn excluded_globs_are_skipped_relative_to_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "infra/main.tf", &insecure_tf());
    write(root, "infra/legacy/old/main.tf", &insecure_tf());
    write(root, "infra/net/ssh.test.tf", &insecure_tf());
    write(
        root,
        "infra/palisade.toml",
        "exclude = [\"legacy/**\", \"**/*.test.tf\"]\n",
    );
    // Scanned from the repository's root: the globs still start at infra/.
    let run = palisade(&["check", "infra", "--format", "json"], root);
    let files: Vec<String> = findings(&run).into_iter().map(|(.., file)| file).collect();
    assert_eq!(files, ["infra/main.tf", "infra/main.tf"], "{}", run.stderr);
}

#[test]
fn var_files_and_parameter_files_come_before_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "tf/main.tf", VARIABLE_TF);
    write(root, "ros/stack.yaml", PARAMETER_ROS);
    write(root, "env/prod.tfvars", "ssh_source = \"0.0.0.0/0\"\n");
    write(root, "env/params.json", "{\"SshSource\": \"0.0.0.0/0\"}\n");

    let run = palisade(&["check", ".", "--format", "json"], root);
    assert_eq!(rules(&run), Vec::<String>::new(), "{}", run.stderr);

    write(
        root,
        "palisade.toml",
        "var_files = [\"env/prod.tfvars\"]\nparameter_files = [\"env/params.json\"]\n",
    );
    let run = palisade(&["check", ".", "--format", "json"], root);
    let files: Vec<String> = findings(&run).into_iter().map(|(.., file)| file).collect();
    assert_eq!(files, ["ros/stack.yaml", "tf/main.tf"], "{}", run.stderr);

    // The command line's values are read after the file's, so they win.
    let run = palisade(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--var",
            "ssh_source=10.1.0.0/16",
            "--param",
            "SshSource=10.1.0.0/16",
        ],
        root,
    );
    assert_eq!(rules(&run), Vec::<String>::new(), "{}", run.stderr);
}

#[test]
fn rules_are_turned_off_and_given_a_severity() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "main.tf", &insecure_tf());
    write(
        dir.path(),
        "palisade.toml",
        "[rules.open-ssh]\nenabled = false\n\n[rules.unencrypted-disk]\nseverity = \"critical\"\n",
    );
    let run = palisade(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(
        findings(&run),
        [(
            "unencrypted-disk".to_owned(),
            "critical".to_owned(),
            "main.tf".to_owned()
        )],
        "{}",
        run.stderr
    );

    // `--rule` names a rule the file turns off: the command line wins.
    let run = palisade(
        &["check", ".", "--format", "json", "--rule", "open-ssh"],
        dir.path(),
    );
    assert_eq!(rules(&run), ["open-ssh"], "{}", run.stderr);

    // The SARIF rule descriptor carries the new severity too.
    let run = palisade(&["check", ".", "--format", "sarif"], dir.path());
    let sarif = run.json();
    let descriptors = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let disk = descriptors
        .iter()
        .find(|rule| rule["id"] == "unencrypted-disk")
        .expect("unencrypted-disk descriptor");
    assert_eq!(disk["properties"]["security-severity"], "9.5", "{disk:#}");
}

#[test]
fn output_formats_are_used_when_the_command_line_names_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "infra/main.tf", &insecure_tf());
    write(
        root,
        "infra/palisade.toml",
        "[output]\nformats = [{ format = \"json\", file = \"reports/palisade.json\" }, { format = \"github\" }]\n",
    );
    let run = palisade(&["check", "infra"], root);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("::error "), "{}", run.stdout);
    let report = root.join("infra/reports/palisade.json");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).expect("report written")).expect("JSON");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(2));

    fs::remove_file(&report).expect("rm");
    let run = palisade(&["check", "infra", "--format", "text"], root);
    assert!(run.stdout.contains("2 findings"), "{}", run.stdout);
    assert!(
        !report.exists(),
        "the command line's --format replaces [output]"
    );
}

#[test]
fn unknown_keys_and_rule_ids_are_errors_at_their_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "main.tf", &insecure_tf());
    write(
        dir.path(),
        "palisade.toml",
        "fail_on = \"high\"\n\n[rules.open-ssh]\nenabled = false\nseverty = \"low\"\n",
    );
    let run = palisade(&["check", "."], dir.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: palisade.toml:5:1: unknown field `severty`"),
        "{}",
        run.stderr
    );

    write(
        dir.path(),
        "palisade.toml",
        "exclude = []\n[rules.open-shh]\nenabled = false\n",
    );
    let run = palisade(&["check", "."], dir.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: palisade.toml:2:8: `[rules.open-shh]`: no loaded policy declares the rule \
             `open-shh`"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn init_writes_a_file_that_reads_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "main.tf", &insecure_tf());
    let run = palisade(&["init"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = fs::read_to_string(dir.path().join("palisade.toml")).expect("written");
    for key in [
        "fail_on",
        "exclude",
        "var_files",
        "parameter_files",
        "[output]",
        "[rules.",
        "[[policy]]",
    ] {
        assert!(
            written.contains(&format!("#{key}")),
            "{key} missing:\n{written}"
        );
    }

    // The commented file sets nothing: the run is as without it.
    let run = palisade(&["check", "."], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("2 findings"), "{}", run.stdout);

    fs::write(dir.path().join("palisade.toml"), "fail_on = \"critical\"\n").expect("edit");
    let run = palisade(&["init"], dir.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("palisade.toml already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("palisade.toml")).expect("kept"),
        "fail_on = \"critical\"\n"
    );
}

/// The configuration is part of the repository under check: a device, a FIFO or an
/// oversized file in its place is refused, naming it, instead of blocking the run or
/// filling its memory.
#[test]
fn only_a_regular_file_within_the_size_limit_is_read_as_configuration() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "main.tf", DISK);
    if Path::new("/dev/zero").exists() {
        let run = palisade(&["check", ".", "--config", "/dev/zero"], dir.path());
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(
            run.stderr,
            "error: cannot read /dev/zero: a device, not a regular file\n"
        );
    }
    let fifo = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.toml"))
        .status();
    if fifo.is_ok_and(|status| status.success()) {
        let run = palisade(&["check", ".", "--config", "pipe.toml"], dir.path());
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(
            run.stderr,
            "error: cannot read pipe.toml: a FIFO (named pipe), not a regular file\n"
        );
    }
    let padding = format!("fail_on = \"high\"\n{}", "# padding\n".repeat(200));
    write(dir.path(), "palisade.toml", &padding);
    let run = palisade(&["check", ".", "--max-file-size", "1000"], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "palisade.toml: the file is 2017 bytes, over the limit of 1000 bytes (--max-file-size)"
        ),
        "{}",
        run.stderr
    );
    let run = palisade(&["check", "."], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
}

/// `var_files` and `parameter_files` name files inside the repository only: a path out
/// of it, absolute or through a link, is an error at its entry that quotes nothing of
/// the file it leads to. The command line's `--var-file` may name any file.
#[test]
fn configured_files_outside_the_repository_are_refused_without_reading_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outside = dir.path().join("secret.tfvars");
    fs::write(&outside, "SECRET_FIRST_LINE\n").expect("write secret");
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join(".git")).expect("mkdir .git");
    write(&repo, "infra/main.tf", VARIABLE_TF);
    let absolute = outside.to_string_lossy().replace('\\', "/");
    let mut entries = vec!["../../secret.tfvars".to_owned(), absolute];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, repo.join("infra/link.tfvars")).expect("link");
        entries.push("link.tfvars".to_owned());
    }
    for entry in entries {
        for key in ["var_files", "parameter_files"] {
            write(
                &repo,
                "infra/palisade.toml",
                &format!("{key} = [\"{entry}\"]\n"),
            );
            let run = palisade(&["check", "."], &repo.join("infra"));
            assert_eq!(run.code, 2, "{entry}: {}{}", run.stdout, run.stderr);
            let expected = format!(
                "error: palisade.toml:1:{}: `{entry}` leads outside the repository",
                key.len() + 5
            );
            assert!(run.stderr.starts_with(&expected), "{}", run.stderr);
            assert!(!run.stderr.contains("SECRET"), "{}", run.stderr);
        }
    }

    // Inside the repository, above the configuration's directory, is fine; so is any
    // file the command line names.
    write(&repo, "env/prod.tfvars", "ssh_source = \"0.0.0.0/0\"\n");
    write(
        &repo,
        "infra/palisade.toml",
        "var_files = [\"../env/prod.tfvars\"]\n",
    );
    let run = palisade(&["check", "."], &repo.join("infra"));
    assert_eq!(run.code, 1, "{}", run.stderr);
    fs::remove_file(repo.join("infra/palisade.toml")).expect("remove");
    let secret = outside.to_string_lossy().into_owned();
    let run = palisade(&["check", ".", "--var-file", &secret], &repo.join("infra"));
    assert_eq!(run.code, 2, "{}", run.stderr);
}
