//! Downloading modules from a real registry, archive host and git server on 127.0.0.1:
//! version selection, subdirectories, the cache, and the bounds a template cannot move
//! (size, time, number of packages, transports).

#[path = "../../../../tests/support/module_server.rs"]
mod module_server;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use module_server::{GitRepo, ModuleServer};
use palisade_modules::{Downloader, Package, Settings};

/// Bounds generous enough for every package here; each test narrows the one it checks.
fn settings(cache: &Path) -> Settings {
    Settings {
        cache: cache.to_path_buf(),
        timeout: Duration::from_secs(15),
        max_package_size: 1 << 20,
        max_packages: 20,
    }
}

fn downloader(cache: &Path) -> Downloader {
    Downloader::new(settings(cache))
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

/// Every path under `dir`, links not followed.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path.clone());
            }
            found.push(path);
        }
    }
    found
}

/// Bytes gzip cannot shrink, so that an archive of them is as large as they are.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, contents) in files {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(contents).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// `acme/network/alicloud` at 1.0.0, 1.2.0, 1.3.0, 2.0.0 and the pre-release 2.1.0-beta1,
/// each with a `main.tf` naming its version and a `modules/sg` submodule.
fn registry() -> ModuleServer {
    let server = ModuleServer::start();
    for version in ["1.0.0", "1.2.0", "1.3.0", "2.0.0", "2.1.0-beta1"] {
        let main = format!("# network {version}\n");
        let sg = format!("# security group {version}\n");
        server.add_module(
            "acme",
            "network",
            "alicloud",
            version,
            &[("main.tf", &main), ("modules/sg/main.tf", &sg)],
        );
    }
    server
}

const NETWORK: &str = "acme/network/alicloud";

#[test]
fn a_registry_module_is_fetched_at_the_newest_version_its_constraint_allows() {
    let server = registry();
    let cache = tempfile::tempdir().unwrap();
    let source = format!("{}/{NETWORK}", server.host());
    let package = downloader(cache.path())
        .fetch(&source, Some("~> 1.2"))
        .unwrap();
    assert_eq!(package.name, format!("{source}@1.3.0"));
    assert_eq!(read(&package.dir, "main.tf"), "# network 1.3.0\n");
    assert_eq!(
        read(&package.dir, "modules/sg/main.tf"),
        "# security group 1.3.0\n"
    );
    // The module is the tarball's one top directory (`//*`); the package is all of it,
    // shown from that directory, whose name is noise.
    assert_eq!(package.dir.parent(), Some(package.root.as_path()));
    assert_eq!(package.base, package.dir);
    let cache = std::fs::canonicalize(cache.path()).unwrap();
    assert!(package.root.starts_with(&cache), "{package:?}");
    // The protocol's requests, in order: discovery, versions, download, the archive.
    let version_path = server.registry_archive_path("acme", "network", "alicloud", "1.3.0");
    assert_eq!(
        server.requests(),
        [
            "GET /.well-known/terraform.json".to_owned(),
            format!("GET /v1/modules/{NETWORK}/versions"),
            format!("GET /v1/modules/{NETWORK}/1.3.0/download"),
            format!("GET {version_path}"),
        ]
    );
}

#[test]
fn a_registry_subdirectory_is_the_module_inside_the_package() {
    let server = registry();
    let cache = tempfile::tempdir().unwrap();
    let source = format!("{}/{NETWORK}//modules/sg", server.host());
    let package = downloader(cache.path())
        .fetch(&source, Some(">= 1.0, < 2.0.0"))
        .unwrap();
    assert!(package.dir.ends_with("modules/sg"), "{package:?}");
    assert!(package.dir.starts_with(&package.root));
    assert_eq!(
        package.base,
        package.root.join("acme-terraform-alicloud-network-130")
    );
    assert_eq!(read(&package.dir, "main.tf"), "# security group 1.3.0\n");
    assert_eq!(
        read(&package.root, "acme-terraform-alicloud-network-130/main.tf"),
        "# network 1.3.0\n"
    );
}

#[test]
fn without_a_constraint_the_newest_release_is_chosen_and_pre_releases_only_by_name() {
    let server = registry();
    let cache = tempfile::tempdir().unwrap();
    let downloads = downloader(cache.path());
    let source = format!("{}/{NETWORK}", server.host());
    let newest = downloads.fetch(&source, None).unwrap();
    assert_eq!(newest.name, format!("{source}@2.0.0"));
    assert_eq!(read(&newest.dir, "main.tf"), "# network 2.0.0\n");
    let beta = downloads.fetch(&source, Some("2.1.0-beta1")).unwrap();
    assert_eq!(read(&beta.dir, "main.tf"), "# network 2.1.0-beta1\n");
    assert_ne!(beta.root, newest.root);
}

#[test]
fn a_constraint_no_version_meets_lists_the_versions() {
    let server = registry();
    let cache = tempfile::tempdir().unwrap();
    let source = format!("{}/{NETWORK}", server.host());
    let error = downloader(cache.path())
        .fetch(&source, Some("~> 3.0"))
        .unwrap_err();
    assert!(error.contains(&source), "{error}");
    assert!(
        error.contains("1.0.0, 1.2.0, 1.3.0, 2.0.0, 2.1.0-beta1"),
        "{error}"
    );
    assert_eq!(server.count("/download"), 0);

    let error = downloader(cache.path())
        .fetch(&source, Some("newest please"))
        .unwrap_err();
    assert!(error.contains("not a version constraint"), "{error}");
}

#[test]
fn an_unknown_registry_module_is_named_in_the_error() {
    let server = registry();
    let cache = tempfile::tempdir().unwrap();
    let source = format!("{}/acme/missing/alicloud", server.host());
    let error = downloader(cache.path()).fetch(&source, None).unwrap_err();
    assert!(error.contains("acme/missing/alicloud"), "{error}");
    assert!(error.contains(&server.host()), "{error}");
    assert_eq!(server.count("/download"), 0);
}

#[test]
fn a_registry_sending_the_download_elsewhere_is_followed() {
    let server = ModuleServer::start();
    server.add_tar_gz("/files/elsewhere.tar.gz", &[("main.tf", "# elsewhere\n")]);
    server.add_terraform_get(
        "/v1/modules/acme/moved/alicloud/1.0.0/download",
        204,
        "/files/elsewhere.tar.gz",
    );
    server.add_bytes(
        "/v1/modules/acme/moved/alicloud/versions",
        br#"{"modules":[{"versions":[{"version":"1.0.0"}]}]}"#.to_vec(),
    );
    let cache = tempfile::tempdir().unwrap();
    let source = format!("{}/acme/moved/alicloud", server.host());
    let package = downloader(cache.path()).fetch(&source, None).unwrap();
    assert_eq!(read(&package.dir, "main.tf"), "# elsewhere\n");
    assert_eq!(package.name, format!("{source}@1.0.0"));
}

#[test]
fn a_second_run_finds_pinned_packages_in_the_cache_without_downloading() {
    let server = registry();
    let repo = net_repo();
    server.add_git("net", &repo);
    let cache = tempfile::tempdir().unwrap();
    let module = format!("{}/{NETWORK}", server.host());
    let archive = server.url("/files/m.tar.gz");
    server.add_tar_gz("/files/m.tar.gz", &[("main.tf", "# archive\n")]);
    let git = format!("git::{}?ref=v1.0.0", server.url("/git/net.git"));
    let fetch_all = || -> Vec<Arc<Package>> {
        let downloads = downloader(cache.path());
        vec![
            downloads.fetch(&module, Some("~> 1.0")).unwrap(),
            downloads.fetch(&archive, None).unwrap(),
            downloads.fetch(&git, None).unwrap(),
        ]
    };
    let first = fetch_all();
    let requests = server.requests().len();
    let tarball = server.registry_archive_path("acme", "network", "alicloud", "1.3.0");
    assert_eq!(server.count(&tarball), 1);
    assert_eq!(server.count("/files/m.tar.gz"), 1);
    assert!(server.count("/git/net.git/") > 0);

    let second = fetch_all();
    assert_eq!(first, second);
    assert_eq!(read(&second[1].dir, "main.tf"), "# archive\n");
    assert_eq!(read(&second[2].dir, "main.tf"), "# net v1\n");
    // The registry is asked which version the constraint picks, and nothing more.
    let again: Vec<String> = server.requests().split_off(requests);
    assert_eq!(
        again,
        [
            "GET /.well-known/terraform.json".to_owned(),
            format!("GET /v1/modules/{NETWORK}/versions"),
            format!("GET /v1/modules/{NETWORK}/1.3.0/download"),
        ]
    );
}

#[test]
fn a_git_source_without_a_reference_is_fetched_again_each_run() {
    let server = ModuleServer::start();
    let repo = net_repo();
    server.add_git("net", &repo);
    let cache = tempfile::tempdir().unwrap();
    let source = format!("git::{}", server.url("/git/net.git"));
    let first = downloader(cache.path()).fetch(&source, None).unwrap();
    assert_eq!(read(&first.dir, "main.tf"), "# net main\n");

    repo.commit("moved on", &[("main.tf", "# net moved\n")]);
    server.add_git("net", &repo);
    let second = downloader(cache.path()).fetch(&source, None).unwrap();
    assert_eq!(second.root, first.root);
    assert_eq!(read(&second.dir, "main.tf"), "# net moved\n");
}

#[test]
fn one_run_fetches_each_source_once() {
    let server = ModuleServer::start();
    server.add_tar_gz("/files/m.tar.gz", &[("main.tf", "# archive\n")]);
    let cache = tempfile::tempdir().unwrap();
    let downloads = downloader(cache.path());
    let source = server.url("/files/m.tar.gz");
    let first = downloads.fetch(&source, None).unwrap();
    let second = downloads.fetch(&source, None).unwrap();
    assert!(Arc::ptr_eq(&first, &second));
    assert_eq!(server.count("/files/m.tar.gz"), 1);
}

#[test]
fn sources_sharing_a_package_fetched_at_once_download_it_once() {
    let server = ModuleServer::start();
    server.add_tar_gz(
        "/files/shared.tar.gz",
        &[("main.tf", "# shared\n"), ("modules/x/main.tf", "# x\n")],
    );
    // Both requests are in flight before either package is in place.
    server.delay("/files/shared.tar.gz", Duration::from_millis(300));
    let cache = tempfile::tempdir().unwrap();
    let downloads = downloader(cache.path());
    let whole = server.url("/files/shared.tar.gz");
    let part = format!("{whole}//modules/x");
    let start = Barrier::new(2);
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| {
            start.wait();
            downloads.fetch(&whole, None)
        });
        let b = scope.spawn(|| {
            start.wait();
            downloads.fetch(&part, None)
        });
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert_eq!(a.root, b.root);
    assert_eq!(read(&a.dir, "main.tf"), "# shared\n");
    assert_eq!(read(&b.dir, "main.tf"), "# x\n");
    assert_eq!(server.count("/files/shared.tar.gz"), 1);
}

/// `main` with tags v1.0.0 and v2.0.0 behind its head, and a branch `feature`; a
/// submodule directory `modules/x` in each.
fn net_repo() -> GitRepo {
    let repo = GitRepo::init();
    repo.commit(
        "first",
        &[("main.tf", "# net v1\n"), ("modules/x/main.tf", "# x v1\n")],
    );
    repo.tag("v1.0.0");
    repo.commit(
        "second",
        &[("main.tf", "# net v2\n"), ("modules/x/main.tf", "# x v2\n")],
    );
    repo.tag("v2.0.0");
    repo.branch("feature");
    repo.commit("feature", &[("main.tf", "# net feature\n")]);
    repo.checkout("main");
    repo.commit("third", &[("main.tf", "# net main\n")]);
    repo
}

fn git_server() -> (ModuleServer, GitRepo) {
    let server = ModuleServer::start();
    let repo = net_repo();
    server.add_git("net", &repo);
    (server, repo)
}

#[test]
fn a_git_tag_is_checked_out_without_its_history() {
    let (server, _repo) = git_server();
    let cache = tempfile::tempdir().unwrap();
    let source = format!("git::{}?ref=v1.0.0", server.url("/git/net.git"));
    let package = downloader(cache.path()).fetch(&source, None).unwrap();
    assert_eq!(package.name, format!("{}/git/net@v1.0.0", server.host()));
    assert_eq!(package.dir, package.root);
    assert_eq!(read(&package.dir, "main.tf"), "# net v1\n");
    assert_eq!(read(&package.dir, "modules/x/main.tf"), "# x v1\n");
    assert!(!package.root.join(".git").exists());
    assert!(
        walk(&package.root)
            .iter()
            .all(|p| p.file_name().is_none_or(|n| n != ".git")),
        "{:?}",
        walk(&package.root)
    );
}

#[test]
fn a_git_subdirectory_is_the_module_inside_the_repository() {
    let (server, _repo) = git_server();
    let cache = tempfile::tempdir().unwrap();
    let source = format!("git::{}//modules/x?ref=v2.0.0", server.url("/git/net.git"));
    let package = downloader(cache.path()).fetch(&source, None).unwrap();
    assert_eq!(package.dir, package.root.join("modules/x"));
    assert_eq!(package.base, package.root);
    assert_eq!(read(&package.dir, "main.tf"), "# x v2\n");

    let missing = format!("git::{}//modules/y?ref=v2.0.0", server.url("/git/net.git"));
    let error = downloader(cache.path()).fetch(&missing, None).unwrap_err();
    assert!(error.contains("modules/y"), "{error}");
}

#[test]
fn a_git_branch_or_commit_is_checked_out() {
    let (server, repo) = git_server();
    let cache = tempfile::tempdir().unwrap();
    let downloads = downloader(cache.path());
    let url = server.url("/git/net.git");
    let feature = downloads
        .fetch(&format!("git::{url}?ref=feature"), None)
        .unwrap();
    assert_eq!(read(&feature.dir, "main.tf"), "# net feature\n");
    let main = downloads
        .fetch(&format!("git::{url}?ref=main"), None)
        .unwrap();
    assert_eq!(read(&main.dir, "main.tf"), "# net main\n");

    repo.checkout("feature");
    let commit = repo.commit("later", &[("main.tf", "# net later\n")]);
    repo.checkout("main");
    server.add_git("net", &repo);
    let pinned = downloads
        .fetch(&format!("git::{url}?ref={commit}"), None)
        .unwrap();
    assert_eq!(read(&pinned.dir, "main.tf"), "# net later\n");
}

#[test]
fn a_git_source_without_a_reference_is_the_default_branch() {
    let (server, _repo) = git_server();
    let cache = tempfile::tempdir().unwrap();
    let source = format!("git::{}", server.url("/git/net.git"));
    let package = downloader(cache.path()).fetch(&source, None).unwrap();
    assert_eq!(read(&package.dir, "main.tf"), "# net main\n");
    assert_eq!(package.name, format!("{}/git/net", server.host()));
}

#[test]
fn a_missing_git_reference_is_an_error() {
    let (server, _repo) = git_server();
    let cache = tempfile::tempdir().unwrap();
    let source = format!("git::{}?ref=v9.9.9", server.url("/git/net.git"));
    let error = downloader(cache.path()).fetch(&source, None).unwrap_err();
    assert!(error.contains("v9.9.9"), "{error}");
    // Nothing half-fetched stays in the cache.
    assert_eq!(walk(cache.path()), Vec::<PathBuf>::new());

    let missing = format!("git::{}", server.url("/git/none.git"));
    let error = downloader(cache.path()).fetch(&missing, None).unwrap_err();
    assert!(error.contains("git clone"), "{error}");
}

#[test]
fn a_git_repository_larger_than_the_limit_is_refused() {
    let server = ModuleServer::start();
    let repo = GitRepo::init();
    let large =
        String::from_utf8(noise(200 << 10).iter().map(|b| b'a' + b % 26).collect()).unwrap();
    repo.commit("large", &[("main.tf", "# large\n"), ("data.txt", &large)]);
    server.add_git("large", &repo);
    let cache = tempfile::tempdir().unwrap();
    let downloads = Downloader::new(Settings {
        max_package_size: 64 << 10,
        ..settings(cache.path())
    });
    let source = format!("git::{}?ref=main", server.url("/git/large.git"));
    let error = downloads.fetch(&source, None).unwrap_err();
    assert!(error.contains("--max-module-size"), "{error}");
    assert_eq!(walk(cache.path()), Vec::<PathBuf>::new());
}

#[test]
fn archives_over_http_are_unpacked() {
    let server = ModuleServer::start();
    server.add_tar_gz(
        "/files/m.tar.gz",
        &[("main.tf", "# tar\n"), ("modules/a/main.tf", "# a\n")],
    );
    server.add_bytes(
        "/files/m.zip",
        zip(&[("main.tf", b"# zip\n"), ("modules/b/main.tf", b"# b\n")]),
    );
    let cache = tempfile::tempdir().unwrap();
    let downloads = downloader(cache.path());

    let tar = downloads
        .fetch(&server.url("/files/m.tar.gz"), None)
        .unwrap();
    assert_eq!(tar.dir, tar.root);
    assert_eq!(read(&tar.dir, "main.tf"), "# tar\n");
    assert_eq!(tar.name, format!("{}/files/m.tar.gz", server.host()));

    let zip = downloads
        .fetch(&format!("{}//modules/b", server.url("/files/m.zip")), None)
        .unwrap();
    assert_eq!(read(&zip.dir, "main.tf"), "# b\n");
    assert_eq!(read(&zip.root, "main.tf"), "# zip\n");

    // A URL that is no archive says where the package is.
    server.add_terraform_get("/modules/net", 200, "/files/m.tar.gz");
    let pointed = downloads.fetch(&server.url("/modules/net"), None).unwrap();
    assert_eq!(read(&pointed.dir, "main.tf"), "# tar\n");
    assert!(
        server.count("GET /modules/net?terraform-get=1") == 1,
        "{:?}",
        server.requests()
    );

    let error = downloads
        .fetch(&server.url("/files/m.tar.gz"), Some("1.0.0"))
        .unwrap_err();
    assert!(error.contains("`version`"), "{error}");
}

#[test]
fn archive_entries_leaving_the_package_are_refused() {
    let server = ModuleServer::start();
    server.add_bytes(
        "/files/escape.tar.gz",
        module_server::tar_gz(&[
            ("pkg/main.tf", b"# fine\n"),
            ("../../escape.tf", b"# out\n"),
            ("../escape.tf", b"# out\n"),
        ]),
    );
    server.add_bytes(
        "/files/escape.zip",
        zip(&[
            ("pkg/main.tf", b"# fine\n"),
            ("../../escape.tf", b"# out\n"),
        ]),
    );
    let scratch = tempfile::tempdir().unwrap();
    let cache = scratch.path().join("cache");
    let downloads = downloader(&cache);
    for path in ["/files/escape.tar.gz", "/files/escape.zip"] {
        let error = downloads.fetch(&server.url(path), None).unwrap_err();
        assert!(error.contains("outside the package"), "{path}: {error}");
        assert!(error.contains("escape.tf"), "{path}: {error}");
    }
    // Nothing was written beside the cache, and nothing half-unpacked stays in it.
    assert_eq!(walk(scratch.path()), [cache]);
}

#[test]
fn packages_larger_than_the_limit_are_refused() {
    let server = ModuleServer::start();
    let big = noise(200 << 10);
    server.add_bytes(
        "/files/big.tar.gz",
        module_server::tar_gz(&[("main.tf", b"# big\n"), ("data.bin", &big)]),
    );
    let zeros = vec![0; 4 << 20];
    let bomb = module_server::tar_gz(&[("main.tf", b"# bomb\n"), ("zeros.bin", &zeros)]);
    assert!(bomb.len() < 64 << 10);
    server.add_bytes("/files/bomb.tar.gz", bomb);
    let cache = tempfile::tempdir().unwrap();
    let downloads = Downloader::new(Settings {
        max_package_size: 64 << 10,
        ..settings(cache.path())
    });
    for path in ["/files/big.tar.gz", "/files/bomb.tar.gz"] {
        let error = downloads.fetch(&server.url(path), None).unwrap_err();
        assert!(error.contains("--max-module-size"), "{path}: {error}");
        assert!(error.contains(&(64 << 10).to_string()), "{path}: {error}");
    }
    assert_eq!(walk(cache.path()), Vec::<PathBuf>::new());
}

#[test]
fn a_server_that_never_answers_is_given_up_at_the_timeout() {
    let server = ModuleServer::start();
    server.add_hanging("/files/slow.tar.gz");
    server.add_hanging("/v1/modules/acme/slow/alicloud/versions");
    server.add_hanging("/git/slow.git/info/refs");
    let cache = tempfile::tempdir().unwrap();
    let downloads = Downloader::new(Settings {
        timeout: Duration::from_secs(1),
        ..settings(cache.path())
    });
    let sources = [
        server.url("/files/slow.tar.gz"),
        format!("{}/acme/slow/alicloud", server.host()),
        format!("git::{}?ref=v1.0.0", server.url("/git/slow.git")),
    ];
    std::thread::scope(|scope| {
        for source in &sources {
            let downloads = &downloads;
            scope.spawn(move || {
                let started = Instant::now();
                let error = downloads.fetch(source, None).unwrap_err();
                let took = started.elapsed();
                assert!(error.contains("--module-timeout"), "{source}: {error}");
                assert!(took < Duration::from_secs(5), "{source}: {took:?}");
            });
        }
    });
}

#[test]
fn the_timeout_bounds_a_package_not_each_of_its_requests() {
    let server = registry();
    // Each answer comes in time, but the four a registry module takes do not.
    let tarball = server.registry_archive_path("acme", "network", "alicloud", "2.0.0");
    for path in [
        "/.well-known/terraform.json".to_owned(),
        format!("/v1/modules/{NETWORK}/versions"),
        format!("/v1/modules/{NETWORK}/2.0.0/download"),
        tarball.clone(),
    ] {
        server.delay(&path, Duration::from_millis(400));
    }
    let cache = tempfile::tempdir().unwrap();
    let downloads = Downloader::new(Settings {
        timeout: Duration::from_secs(1),
        ..settings(cache.path())
    });
    let started = Instant::now();
    let error = downloads
        .fetch(&format!("{}/{NETWORK}", server.host()), None)
        .unwrap_err();
    assert!(error.contains("--module-timeout"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.count(&tarball), 0, "{:?}", server.requests());
}

#[test]
fn a_run_fetches_at_most_max_packages() {
    let server = ModuleServer::start();
    server.add_tar_gz("/files/a.tar.gz", &[("main.tf", "# a\n")]);
    server.add_tar_gz("/files/b.tar.gz", &[("main.tf", "# b\n")]);
    let cache = tempfile::tempdir().unwrap();
    let downloads = Downloader::new(Settings {
        max_packages: 1,
        ..settings(cache.path())
    });
    let a = server.url("/files/a.tar.gz");
    downloads.fetch(&a, None).unwrap();
    let error = downloads
        .fetch(&server.url("/files/b.tar.gz"), None)
        .unwrap_err();
    assert!(error.contains("--max-modules"), "{error}");
    assert_eq!(server.count("/files/b.tar.gz"), 0);
    // What was fetched stays usable.
    assert_eq!(
        read(&downloads.fetch(&a, None).unwrap().dir, "main.tf"),
        "# a\n"
    );
}

#[test]
fn transports_other_than_http_are_refused_before_anything_runs() {
    let (server, _repo) = git_server();
    let scratch = tempfile::tempdir().unwrap();
    let cache = scratch.path().join("cache");
    let downloads = downloader(&cache);
    let on_disk = server.git_dir("net");
    let sources = [
        (
            format!("git::file://{}?ref=v1.0.0", on_disk.display()),
            "file",
        ),
        (
            format!("git::ssh://git@{}/git/net.git?ref=v1.0.0", server.host()),
            "ssh",
        ),
        ("git@127.0.0.1:git/net.git".to_owned(), "ssh"),
        (
            format!("git::{}?ref=v1.0.0&sshkey=AAAA", server.url("/git/net.git")),
            "ssh",
        ),
        (format!("hg::{}", server.url("/hg/net")), "hg"),
    ];
    for (source, scheme) in &sources {
        let error = downloads.fetch(source, None).unwrap_err();
        assert!(error.contains(&format!("`{scheme}")), "{source}: {error}");
    }
    assert_eq!(server.requests(), Vec::<String>::new());
    assert!(!cache.exists());
}
