//! Git sources, cloned with the `git` command as `terraform init` does, held to the
//! download bounds: only `https` and `http` transports (also for redirects and
//! submodules), no prompts, links checked out as plain files, one deadline, and a clone
//! that grows past the package size limit is stopped.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::Settings;

/// Clones `url` into `dest` (which must not exist) and checks out `reference`, or the
/// default branch, by `deadline`; `.git` is removed afterwards, as only the files are
/// read.
pub fn clone(
    url: &str,
    reference: Option<&str>,
    dest: &Path,
    deadline: Instant,
    settings: &Settings,
) -> Result<(), String> {
    let mut clone = git();
    clone
        .args(["clone", "--quiet", "--no-checkout", "--", url])
        .arg(dest);
    run(clone, dest, deadline, settings).map_err(|why| format!("git clone {url}: {why}"))?;
    // A clone has no local branch but the default one: a branch is found as
    // `origin/BRANCH` (a tag or commit of the same name wins, as git resolves names).
    let mut candidates = vec![reference.unwrap_or("HEAD").to_owned()];
    if let Some(reference) = reference {
        candidates.push(format!("refs/remotes/origin/{reference}"));
    }
    let mut failure = None;
    for candidate in &candidates {
        let mut checkout = git();
        checkout
            .arg("-C")
            .arg(dest)
            .args(["checkout", "--quiet", "--no-guess", "--detach"])
            .arg(candidate)
            .arg("--");
        match run(checkout, dest, deadline, settings) {
            Ok(()) => {
                return std::fs::remove_dir_all(dest.join(".git"))
                    .map_err(|e| format!("cannot tidy the clone: {e}"));
            }
            Err(why) => failure = failure.or(Some(why)),
        }
    }
    Err(format!(
        "git checkout {} of {url}: {}",
        reference.unwrap_or("HEAD"),
        failure.unwrap_or_default()
    ))
}

/// `git` with this machine's settings, and over them the ones a hostile source must not
/// change.
fn git() -> Command {
    let mut command = Command::new("git");
    command
        .args([
            "-c",
            "protocol.allow=never",
            "-c",
            "protocol.https.allow=always",
            "-c",
            "protocol.http.allow=always",
            "-c",
            "core.symlinks=false",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "advice.detachedHead=false",
            "-c",
            "http.followRedirects=initial",
        ])
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_ASKPASS", "true")
        .env("SSH_ASKPASS", "true")
        .env("GIT_LFS_SKIP_SMUDGE", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Runs `command` until it ends, the deadline passes or `dest` grows too large.
fn run(
    mut command: Command,
    dest: &Path,
    deadline: Instant,
    settings: &Settings,
) -> Result<(), String> {
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        use std::io::Read;
        let mut text = Vec::new();
        if let Some(stderr) = stderr {
            let _ = stderr.take(64 * 1024).read_to_end(&mut text);
        }
        text
    });
    let mut checked = Instant::now();
    let outcome = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) => {}
            Err(e) => break Err(format!("cannot wait for git: {e}")),
        }
        if Instant::now() >= deadline {
            break Err(format!(
                "not done in {} s (--module-timeout)",
                settings.timeout.as_secs()
            ));
        }
        if checked.elapsed() >= Duration::from_millis(250) {
            checked = Instant::now();
            if size_of(dest) > settings.max_package_size {
                break Err(format!(
                    "the repository is larger than {} bytes (--max-module-size)",
                    settings.max_package_size
                ));
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let status = match outcome {
        Ok(status) => status,
        Err(why) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(why);
        }
    };
    let stderr = reader.join().unwrap_or_default();
    if status.success() {
        // A command quicker than the checks above is still held to the limit.
        if size_of(dest) > settings.max_package_size {
            return Err(format!(
                "the repository is larger than {} bytes (--max-module-size)",
                settings.max_package_size
            ));
        }
        return Ok(());
    }
    let text = String::from_utf8_lossy(&stderr);
    let last = text
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty())
        .unwrap_or("git failed");
    Err(last.chars().take(300).collect())
}

/// The bytes of the files under `dir`, links not followed.
pub fn size_of(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                total += meta.len();
            }
        }
    }
    total
}
