//! A Terraform module registry, archive host and git server on 127.0.0.1, so that the
//! tests of module downloading exercise real HTTP and a real `git` without the internet.
//!
//! It speaks what `terraform init` meets: service discovery and the module registry
//! protocol (`X-Terraform-Get` to a GitHub-shaped tarball), plain archives, and git's
//! "dumb" HTTP protocol (a bare repository served as static files), plus the hostile
//! answers a download must survive: an endpoint that never answers, archives whose
//! entries leave the package. Every request is logged, so that a test can prove a cache
//! hit asked for nothing.
//!
//! HTTP is spoken by hand, one request per connection (`Connection: close`) and a thread
//! for each: a server that keeps connections open can run out of threads while clients
//! (git opens several) hold idle ones, and leave a request waiting for as long as they do.
//!
//! Shared by more than one test crate (`#[path = …] mod module_server;`), so it depends
//! only on std, `flate2`, `tar`, `tempfile` and `serde_json`; each crate uses part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long an endpoint that "never answers" holds a request at most; the server's drop
/// releases it sooner. Longer than any download timeout a test sets.
const HANG: Duration = Duration::from_secs(60);

/// A running server; stops when dropped.
pub struct ModuleServer {
    state: Arc<State>,
    port: u16,
    thread: Option<JoinHandle<()>>,
    /// The bare repositories served under `/git/`.
    repos: tempfile::TempDir,
}

/// What one path answers.
#[derive(Clone)]
enum Route {
    /// 200 with these bytes.
    Bytes(Arc<Vec<u8>>),
    /// `status`, no body, `X-Terraform-Get: location`.
    Get { status: u16, location: String },
    /// Nothing until the server stops.
    Hang,
}

#[derive(Default)]
struct State {
    routes: Mutex<HashMap<String, Route>>,
    /// Paths answered only after a while, so that two downloads overlap.
    delays: Mutex<HashMap<String, Duration>>,
    /// Registry modules: (namespace, name, system) → versions, in the order added.
    modules: Mutex<BTreeMap<(String, String, String), Vec<String>>>,
    /// Repository name (`net.git`) → its bare directory.
    repos: Mutex<HashMap<String, PathBuf>>,
    /// `GET /path?query`, in the order answered.
    log: Mutex<Vec<String>>,
    stopping: AtomicBool,
    stopped: (Mutex<bool>, Condvar),
}

impl ModuleServer {
    /// Listens on a free port of 127.0.0.1, serving one thread per request (so that an
    /// endpoint that hangs does not stop the others); a registry without modules yet.
    pub fn start() -> ModuleServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("listen on 127.0.0.1");
        let port = listener.local_addr().expect("an address").port();
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let state = Arc::new(State::default());
        let thread = {
            let state = Arc::clone(&state);
            std::thread::spawn(move || {
                while !state.stopping.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let state = Arc::clone(&state);
                            std::thread::spawn(move || serve(&state, stream));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        let server = ModuleServer {
            state,
            port,
            thread: Some(thread),
            repos: tempfile::tempdir().expect("a directory for repositories"),
        };
        server.route(
            "/.well-known/terraform.json",
            Route::Bytes(Arc::new(br#"{"modules.v1":"/v1/modules/"}"#.to_vec())),
        );
        server
    }

    /// `127.0.0.1:PORT`: the registry hostname of a module source.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `http://127.0.0.1:PORT` and `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.host())
    }

    /// Every request answered or being answered so far: `GET /path?query`.
    pub fn requests(&self) -> Vec<String> {
        self.state.log.lock().unwrap().clone()
    }

    /// How many requests so far had `fragment` in their line.
    pub fn count(&self, fragment: &str) -> usize {
        self.requests()
            .iter()
            .filter(|line| line.contains(fragment))
            .count()
    }

    /// Publishes `version` of the registry module `namespace/name/system` with `files`
    /// (`path`, contents) as its package: listed by `…/versions`, and downloaded as a
    /// GitHub-style tarball (one top directory, `//*?archive=tar.gz`) from
    /// [`registry_archive_path`](Self::registry_archive_path).
    pub fn add_module(
        &self,
        namespace: &str,
        name: &str,
        system: &str,
        version: &str,
        files: &[(&str, &str)],
    ) {
        let key = (namespace.to_owned(), name.to_owned(), system.to_owned());
        let versions = {
            let mut modules = self.state.modules.lock().unwrap();
            let versions = modules.entry(key).or_default();
            versions.push(version.to_owned());
            versions.clone()
        };
        let base = format!("/v1/modules/{namespace}/{name}/{system}");
        let listed = serde_json::json!({
            "modules": [{
                "versions": versions.iter().map(|v| serde_json::json!({"version": v})).collect::<Vec<_>>()
            }]
        });
        self.route(
            &format!("{base}/versions"),
            Route::Bytes(Arc::new(listed.to_string().into_bytes())),
        );
        let archive = self.registry_archive_path(namespace, name, system, version);
        self.route(
            &format!("{base}/{version}/download"),
            Route::Get {
                status: 204,
                location: format!("{}//*?archive=tar.gz", self.url(&archive)),
            },
        );
        let top = format!(
            "{namespace}-terraform-{system}-{name}-{}",
            version.replace('.', "")
        );
        let entries: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(path, contents)| (format!("{top}/{path}"), contents.as_bytes().to_vec()))
            .collect();
        let entries: Vec<(&str, &[u8])> = entries
            .iter()
            .map(|(path, contents)| (path.as_str(), contents.as_slice()))
            .collect();
        self.add_bytes(&archive, tar_gz_with_header(&entries, true));
    }

    /// Where the tarball of a registry module's version is served.
    pub fn registry_archive_path(
        &self,
        namespace: &str,
        name: &str,
        system: &str,
        version: &str,
    ) -> String {
        format!("/archives/{namespace}/{name}/{system}/{version}.tar.gz")
    }

    /// A `.tar.gz` of `files` at `path`.
    pub fn add_tar_gz(&self, path: &str, files: &[(&str, &str)]) {
        let files: Vec<(&str, &[u8])> = files.iter().map(|(p, c)| (*p, c.as_bytes())).collect();
        self.add_bytes(path, tar_gz(&files));
    }

    /// `bytes` at `path`, as they are: a zip, a hostile archive, anything.
    pub fn add_bytes(&self, path: &str, bytes: Vec<u8>) {
        self.route(path, Route::Bytes(Arc::new(bytes)));
    }

    /// `path` answers `status` with `X-Terraform-Get: location` and no body, as a URL
    /// that points to its package does.
    pub fn add_terraform_get(&self, path: &str, status: u16, location: &str) {
        self.route(
            path,
            Route::Get {
                status,
                location: location.to_owned(),
            },
        );
    }

    /// `path` accepts the request and never answers (until the server stops).
    pub fn add_hanging(&self, path: &str) {
        self.route(path, Route::Hang);
    }

    /// `path` answers only after `delay`: requests that arrive together are still in
    /// flight together.
    pub fn delay(&self, path: &str, delay: Duration) {
        self.state
            .delays
            .lock()
            .unwrap()
            .insert(path.to_owned(), delay);
    }

    /// Serves `repo` as `/git/NAME.git` over git's dumb HTTP protocol: a bare clone of
    /// it as it is now (its current branch becomes the default one), with the files
    /// `git update-server-info` writes for clients that cannot ask the server.
    pub fn add_git(&self, name: &str, repo: &GitRepo) {
        let dir_name = format!("{name}.git");
        let bare = self.repos.path().join(&dir_name);
        let _ = std::fs::remove_dir_all(&bare);
        git(
            self.repos.path(),
            &["clone", "--quiet", "--bare", "--no-local"],
            &[repo.path().as_os_str(), bare.as_os_str()],
        );
        git(&bare, &["update-server-info"], &[]);
        self.state.repos.lock().unwrap().insert(dir_name, bare);
    }

    /// The bare repository served as `/git/NAME.git`, on this machine's disk.
    pub fn git_dir(&self, name: &str) -> PathBuf {
        self.repos.path().join(format!("{name}.git"))
    }

    fn route(&self, path: &str, route: Route) {
        self.state
            .routes
            .lock()
            .unwrap()
            .insert(path.to_owned(), route);
    }
}

impl Drop for ModuleServer {
    fn drop(&mut self) {
        self.state.stopping.store(true, Ordering::SeqCst);
        let (stopped, wake) = &self.state.stopped;
        *stopped.lock().unwrap() = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads the one request of `stream` and answers it.
fn serve(state: &State, mut stream: TcpStream) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some((method, target)) = request_line(&mut stream) else {
        return;
    };
    let (status, headers, body) = answer(state, &method, &target);
    let reason = match status {
        200 => "OK",
        204 => "No Content",
        404 => "Not Found",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nConnection: close\r\n");
    if status != 204 && status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body))
        .and_then(|()| stream.flush());
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// The method and target of the request on `stream`, once its head has arrived.
fn request_line(stream: &mut TcpStream) -> Option<(String, String)> {
    let mut head = Vec::new();
    let mut buffer = [0; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) => return None,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
        if head.len() > 64 * 1024 {
            return None;
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.lines().next()?.split(' ');
    Some((words.next()?.to_owned(), words.next()?.to_owned()))
}

/// The status, extra headers and body that answer `method target`.
fn answer(state: &State, method: &str, url: &str) -> (u16, Vec<(&'static str, String)>, Vec<u8>) {
    state.log.lock().unwrap().push(format!("{method} {url}"));
    let path = url.split('?').next().unwrap_or_default();
    let route = state.routes.lock().unwrap().get(path).cloned();
    let delay = state.delays.lock().unwrap().get(path).copied();
    if let Some(delay) = delay {
        std::thread::sleep(delay);
    }
    match route {
        Some(Route::Bytes(bytes)) => (200, Vec::new(), bytes.to_vec()),
        Some(Route::Get { status, location }) => {
            (status, vec![("X-Terraform-Get", location)], Vec::new())
        }
        Some(Route::Hang) => {
            let (stopped, wake) = &state.stopped;
            let guard = stopped.lock().unwrap();
            let _ = wake.wait_timeout_while(guard, HANG, |stopped| !*stopped);
            (503, Vec::new(), Vec::new())
        }
        None => match git_file(state, path) {
            Some(bytes) => (200, Vec::new(), bytes),
            None => (404, Vec::new(), Vec::new()),
        },
    }
}

/// A file of a served bare repository: `/git/NAME.git/REST`.
fn git_file(state: &State, path: &str) -> Option<Vec<u8>> {
    let rest = path.strip_prefix("/git/")?;
    let (name, file) = rest.split_once('/')?;
    let bare = state.repos.lock().unwrap().get(name)?.clone();
    let file = Path::new(file);
    if !file.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    std::fs::read(bare.join(file)).ok()
}

/// A gzipped tarball of `files`, names written as they are (so that a test can build
/// one whose entries leave the package, which `tar::Builder` refuses to write).
pub fn tar_gz(files: &[(&str, &[u8])]) -> Vec<u8> {
    tar_gz_with_header(files, false)
}

/// [`tar_gz`], with a directory entry before each directory's files and, when
/// `github` is set, the `pax_global_header` entry GitHub's tarballs start with.
fn tar_gz_with_header(files: &[(&str, &[u8])], github: bool) -> Vec<u8> {
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(encoder);
    if github {
        let comment = b"52 comment=0123456789abcdef0123456789abcdef01234567\n";
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(tar::EntryType::XGlobalHeader);
        header.set_size(comment.len() as u64);
        header.set_mode(0o666);
        raw_name(&mut header, "pax_global_header");
        builder.append(&header, &comment[..]).expect("tar entry");
    }
    let mut directories = Vec::<String>::new();
    for (name, contents) in files {
        let mut parent = String::new();
        for part in name
            .split('/')
            .collect::<Vec<_>>()
            .split_last()
            .map_or(&[][..], |(_, dirs)| dirs)
        {
            parent.push_str(part);
            parent.push('/');
            if !directories.contains(&parent) && !parent.contains("..") {
                directories.push(parent.clone());
                let mut header = tar::Header::new_ustar();
                header.set_entry_type(tar::EntryType::Directory);
                header.set_size(0);
                header.set_mode(0o755);
                raw_name(&mut header, &parent);
                builder
                    .append(&header, std::io::empty())
                    .expect("tar entry");
            }
        }
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(contents.len() as u64);
        header.set_mode(0o644);
        raw_name(&mut header, name);
        builder.append(&header, *contents).expect("tar entry");
    }
    builder
        .into_inner()
        .expect("a tarball")
        .finish()
        .expect("gzip")
}

fn raw_name(header: &mut tar::Header, name: &str) {
    let field = &mut header.as_old_mut().name;
    assert!(
        name.len() < field.len(),
        "tar names here fit the old header: {name}"
    );
    field.fill(0);
    field[..name.len()].copy_from_slice(name.as_bytes());
    header.set_cksum();
}

/// A git repository in a temporary directory, made with the `git` command and no
/// setting of this machine's (no identity, hooks, signing or default branch needed).
pub struct GitRepo {
    dir: tempfile::TempDir,
}

impl GitRepo {
    /// An empty repository on branch `main`.
    pub fn init() -> GitRepo {
        let dir = tempfile::tempdir().expect("a directory for a repository");
        git(
            dir.path(),
            &["init", "--quiet", "--initial-branch=main"],
            &[],
        );
        GitRepo { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `files` (`path`, contents) over the work tree and commits everything;
    /// returns the commit's id.
    pub fn commit(&self, message: &str, files: &[(&str, &str)]) -> String {
        for (path, contents) in files {
            let path = self.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a directory");
            std::fs::write(path, contents).expect("write a file");
        }
        git(self.path(), &["add", "--all"], &[]);
        git(
            self.path(),
            &["commit", "--quiet", "--allow-empty", "-m", message],
            &[],
        );
        git(self.path(), &["rev-parse", "HEAD"], &[])
    }

    /// An annotated tag at the current commit, as releases are.
    pub fn tag(&self, name: &str) {
        git(self.path(), &["tag", "-a", "-m", name, name], &[]);
    }

    /// A new branch at the current commit, and switches to it.
    pub fn branch(&self, name: &str) {
        git(self.path(), &["checkout", "--quiet", "-b", name], &[]);
    }

    /// Switches to an existing branch.
    pub fn checkout(&self, name: &str) {
        git(self.path(), &["checkout", "--quiet", name], &[]);
    }
}

/// Runs `git ARGS EXTRA` in `dir`, isolated from the machine's and user's git settings;
/// panics with git's message if it fails, else returns its output, trimmed.
fn git(dir: &Path, args: &[&str], extra: &[&std::ffi::OsStr]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Module Server",
            "-c",
            "user.email=module-server@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            "-c",
            "core.autocrlf=false",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(args)
        .args(extra)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("the git command runs");
    assert!(
        output.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}
