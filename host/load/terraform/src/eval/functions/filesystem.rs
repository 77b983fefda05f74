//! File and path functions. Files are read only inside the scanned directory: a path
//! whose canonical form (symbolic links followed) leaves it is an error, and reads are
//! capped so that a huge file cannot exhaust memory. `fileset` lists files under the
//! same confinement, with a bounded walk. A configuration held in memory (a ROS
//! `Workspace`) has its files in memory too: they are read from there, and the disk never.

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use super::hash::{Hash, base64};
use super::{Args, Arity, Builtin, Called, FunctionError};
use crate::eval::value::Value;
use crate::normalize;
use palisade_model::Limit;

pub(super) const FUNCTIONS: &[Builtin] = &[
    Builtin::known("file", Arity::Exactly(1), file),
    Builtin::known("fileexists", Arity::Exactly(1), fileexists),
    Builtin::known("fileset", Arity::Exactly(2), fileset),
    Builtin::known("filebase64", Arity::Exactly(1), filebase64),
    Builtin::handles_unknowns("templatefile", Arity::Exactly(2), templatefile),
    Builtin::known("filemd5", Arity::Exactly(1), |args| {
        file_digest(args, Hash::Md5, hex::encode)
    }),
    Builtin::known("filesha1", Arity::Exactly(1), |args| {
        file_digest(args, Hash::Sha1, hex::encode)
    }),
    Builtin::known("filesha256", Arity::Exactly(1), |args| {
        file_digest(args, Hash::Sha256, hex::encode)
    }),
    Builtin::known("filesha512", Arity::Exactly(1), |args| {
        file_digest(args, Hash::Sha512, hex::encode)
    }),
    Builtin::known("filebase64sha256", Arity::Exactly(1), |args| {
        file_digest(args, Hash::Sha256, base64)
    }),
    Builtin::known("filebase64sha512", Arity::Exactly(1), |args| {
        file_digest(args, Hash::Sha512, base64)
    }),
    Builtin::known("basename", Arity::Exactly(1), basename),
    Builtin::known("dirname", Arity::Exactly(1), dirname),
    Builtin::known("abspath", Arity::Exactly(1), abspath),
];

/// The most file names `fileset` returns.
const MAX_FILESET_RESULTS: usize = 10_000;

/// The most directory entries `fileset` looks at, so that a huge tree cannot stall a scan.
const MAX_FILESET_VISITS: usize = 100_000;

fn file(args: &Args<'_>) -> Called {
    let bytes = read(args, 0)?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        args.error(
            0,
            "the file contains invalid UTF-8; use `filebase64` for binary files",
        )
    })
}

fn filebase64(args: &Args<'_>) -> Called {
    Ok(base64(read(args, 0)?).into())
}

fn file_digest(args: &Args<'_>, hash: Hash, encode: fn(Vec<u8>) -> String) -> Called {
    Ok(encode(hash.digest(&read(args, 0)?)).into())
}

/// `fileexists`: whether a regular file exists there (a directory is an error).
fn fileexists(args: &Args<'_>) -> Called {
    let path = inside_root(args, 0)?;
    if let Some(memory) = args.context.memory {
        return Ok(memory.contains_key(&normalize(&path)).into());
    }
    match path.canonicalize() {
        Err(_) => Ok(false.into()),
        Ok(canonical) => {
            check_inside(args, 0, &canonical)?;
            if canonical.is_file() {
                Ok(true.into())
            } else {
                Err(args.error(0, "the path is not a regular file"))
            }
        }
    }
}

/// `fileset(path, pattern)`: the regular files under `path` whose path relative to it
/// matches the pattern (`*`, `**`, `?`, `{a,b}`, `[a-z]`, `[^a-z]`), sorted, with `/`
/// separators. A missing directory gives an empty set. Links are followed only to files
/// inside the scanned directory, never into directories.
fn fileset(args: &Args<'_>) -> Called {
    let base = inside_root(args, 0)?;
    let pattern = args.string(1)?;
    let matcher = GlobBuilder::new(&clean(&pattern))
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|error| args.error(1, format!("invalid pattern: {error}")))?
        .compile_matcher();
    if let Some(memory) = args.context.memory {
        let base = normalize(&base);
        let found = memory
            .keys()
            .filter_map(|path| path.strip_prefix(&base).ok())
            .map(|relative| relative.to_string_lossy().replace('\\', "/"))
            .filter(|relative| matcher.is_match(relative))
            .map(Value::String)
            .collect();
        return Ok(Value::List(found));
    }
    let Ok(canonical) = base.canonicalize() else {
        return Ok(Value::List(Vec::new()));
    };
    check_inside(args, 0, &canonical)?;
    let mut found = Vec::new();
    if canonical.is_dir() {
        walk(args, &canonical, &matcher, &mut found)?;
    }
    found.sort();
    Ok(Value::List(found.into_iter().map(Value::String).collect()))
}

/// Collects the matching regular files under `base`, depth first with an explicit stack.
fn walk(
    args: &Args<'_>,
    base: &Path,
    matcher: &GlobMatcher,
    found: &mut Vec<String>,
) -> Result<(), FunctionError> {
    let root = args
        .context
        .scan_root
        .canonicalize()
        .map_err(|_| args.error(0, "the scanned directory cannot be resolved"))?;
    let mut pending = vec![(base.to_path_buf(), String::new())];
    let mut visits = 0usize;
    while let Some((directory, relative)) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&directory) else {
            continue;
        };
        for entry in entries.flatten() {
            visits += 1;
            if visits > MAX_FILESET_VISITS {
                return Err(args.error(0, "the directory holds too many files to list"));
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if relative.is_empty() {
                name
            } else {
                format!("{relative}/{name}")
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let is_file = if kind.is_symlink() {
                entry
                    .path()
                    .canonicalize()
                    .is_ok_and(|target| target.starts_with(&root) && target.is_file())
            } else if kind.is_dir() {
                pending.push((entry.path(), path.clone()));
                false
            } else {
                kind.is_file()
            };
            if is_file && matcher.is_match(&path) {
                if found.len() == MAX_FILESET_RESULTS {
                    return Err(
                        args.error(1, format!("more than {MAX_FILESET_RESULTS} files match"))
                    );
                }
                found.push(path);
            }
        }
    }
    Ok(())
}

/// `templatefile(path, vars)`: the file rendered with the variables by the evaluator's
/// template renderer, which deals with unknown variables.
fn templatefile(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_within(0).or_else(|| args.unknown_at(1)) {
        return Ok(unknown);
    }
    let vars = args.object(1)?;
    let template = file(args)?;
    let Value::String(text) = template else {
        return Ok(template);
    };
    (args.context.render_template)(&text, vars)
}

/// The last element of a path, as Go's `filepath.Base` gives it.
fn basename(args: &Args<'_>) -> Called {
    let path = args.string(0)?;
    if path.is_empty() {
        return Ok(".".into());
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok("/".into());
    }
    Ok(trimmed.rsplit('/').next().unwrap_or(trimmed).into())
}

/// Everything but the last element of a path, cleaned, as Go's `filepath.Dir` gives it.
fn dirname(args: &Args<'_>) -> Called {
    let path = args.string(0)?;
    let directory = match path.rfind('/') {
        Some(slash) => &path[..=slash],
        None => "",
    };
    Ok(clean(directory).into())
}

/// `abspath`: an absolute path is cleaned; a relative one depends on the directory
/// Terraform runs in, which a static scan does not know.
fn abspath(args: &Args<'_>) -> Called {
    let path = args.string(0)?;
    if path.starts_with('/') {
        Ok(clean(&path).into())
    } else {
        Err(FunctionError::Unmodelled)
    }
}

/// Lexical cleaning of a slash-separated path: no `.`, no `x/..`, no doubled slashes.
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Reads the file at argument `i`, within the scan root and the size cap.
fn read(args: &Args<'_>, i: usize) -> Result<Vec<u8>, FunctionError> {
    let path = inside_root(args, i)?;
    let missing = || {
        args.error(
            i,
            format!("no file exists at {:?}", args.string(i).unwrap_or_default()),
        )
    };
    let limits = &args.context.limits;
    let too_large = || {
        let what = "the file is larger than one value may be";
        args.error(i, limits.exceeded(Limit::ValueSize, what))
    };
    if let Some(memory) = args.context.memory {
        let text = memory.get(&normalize(&path)).ok_or_else(missing)?;
        if text.len() as u64 > limits.value_size {
            return Err(too_large());
        }
        return Ok(text.clone().into_bytes());
    }
    let canonical = path.canonicalize().map_err(|_| missing())?;
    check_inside(args, i, &canonical)?;
    let mut file = File::open(&canonical).map_err(|_| missing())?;
    if !canonical.is_file() {
        return Err(args.error(i, "the path is not a regular file"));
    }
    // What a function reads becomes one value: no more than one value may hold is read.
    let mut bytes = Vec::new();
    file.by_ref()
        .take(limits.value_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| args.error(i, format!("cannot read the file: {error}")))?;
    if bytes.len() as u64 > limits.value_size {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The path of argument `i` resolved against the module directory, refused when it
/// leaves the scan root even before any link is followed. `~` needs the home directory,
/// which is never read: such calls are not modelled.
fn inside_root(args: &Args<'_>, i: usize) -> Result<PathBuf, FunctionError> {
    let given = args.string(i)?;
    if given.starts_with('~') {
        return Err(FunctionError::Unmodelled);
    }
    let joined = args.context.module_dir.join(&given);
    if !lexical(&joined).starts_with(lexical(args.context.scan_root)) {
        return Err(outside(args, i));
    }
    Ok(joined)
}

fn check_inside(args: &Args<'_>, i: usize, canonical: &Path) -> Result<(), FunctionError> {
    let root = args
        .context
        .scan_root
        .canonicalize()
        .map_err(|_| args.error(i, "the scanned directory cannot be resolved"))?;
    if canonical.starts_with(root) {
        Ok(())
    } else {
        Err(outside(args, i))
    }
}

fn outside(args: &Args<'_>, i: usize) -> FunctionError {
    args.error(
        i,
        format!(
            "{:?} is outside the scanned directory",
            args.string(i).unwrap_or_default()
        ),
    )
}

/// The path with `.` and `x/..` removed, without touching the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::super::testing::{Context, call_ok, invalid_message, object, s, unknown};
    use super::super::{FunctionError, call};
    use crate::eval::value::Value;

    struct Tree {
        _dir: tempfile::TempDir,
        root: std::path::PathBuf,
    }

    /// A scan root `root/` holding `hello.txt`, `binary.bin`, `greeting.tftpl` and a
    /// directory, next to `secret.txt` outside it.
    fn tree() -> Tree {
        let dir = tempfile::tempdir().expect("temporary directory");
        let root = dir.path().join("root");
        fs::create_dir_all(root.join("sub")).expect("create");
        fs::write(root.join("hello.txt"), "Hello World").expect("write");
        fs::write(root.join("binary.bin"), [0xff, 0xfe]).expect("write");
        fs::write(root.join("greeting.tftpl"), "Hello, ${name}!").expect("write");
        fs::write(dir.path().join("secret.txt"), "secret").expect("write");
        Tree { _dir: dir, root }
    }

    fn run(tree: &Tree, name: &str, args: Vec<Value>) -> Result<Value, FunctionError> {
        call(name, args, &Context::at(&tree.root).get())
    }

    #[test]
    fn reads_files_inside_the_root() {
        let tree = tree();
        assert_eq!(
            run(&tree, "file", vec![s("hello.txt")]),
            Ok(s("Hello World"))
        );
        assert_eq!(
            run(&tree, "file", vec![s("./sub/../hello.txt")]),
            Ok(s("Hello World"))
        );
        assert_eq!(
            run(&tree, "filebase64", vec![s("hello.txt")]),
            Ok(s("SGVsbG8gV29ybGQ="))
        );
        assert_eq!(
            run(&tree, "filebase64", vec![s("binary.bin")]),
            Ok(s("//4="))
        );
        assert_eq!(
            run(&tree, "filemd5", vec![s("hello.txt")]),
            Ok(s("b10a8db164e0754105b7a99be72e3fe5"))
        );
        assert_eq!(
            run(&tree, "filesha256", vec![s("hello.txt")]),
            Ok(s(
                "a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e"
            ))
        );
        assert_eq!(
            run(&tree, "fileexists", vec![s("hello.txt")]),
            Ok(true.into())
        );
        assert_eq!(
            run(&tree, "fileexists", vec![s("missing.txt")]),
            Ok(false.into())
        );
        assert_eq!(
            run(
                &tree,
                "templatefile",
                vec![s("greeting.tftpl"), object(&[("name", s("Ander"))])]
            ),
            Ok(s("Hello, Ander!"))
        );
        assert!(
            run(&tree, "templatefile", vec![unknown("x"), object(&[])])
                .is_ok_and(|v| v.is_unknown())
        );
        assert!(run(&tree, "file", vec![unknown("x")]).is_ok_and(|v| v.is_unknown()));
    }

    #[test]
    fn refuses_what_terraform_refuses_and_what_leaves_the_root() {
        let tree = tree();
        let message = |result: Result<Value, FunctionError>| match result {
            Err(FunctionError::Invalid(message)) => message,
            other => panic!("expected an error, got {other:?}"),
        };
        assert!(message(run(&tree, "file", vec![s("missing.txt")])).contains("no file exists"));
        assert!(message(run(&tree, "file", vec![s("binary.bin")])).contains("UTF-8"));
        assert!(message(run(&tree, "file", vec![s("sub")])).contains("not a regular file"));
        assert!(message(run(&tree, "fileexists", vec![s("sub")])).contains("not a regular file"));
        assert!(
            message(run(&tree, "file", vec![s("../secret.txt")]))
                .contains("outside the scanned directory")
        );
        assert!(
            message(run(&tree, "fileexists", vec![s("../secret.txt")]))
                .contains("outside the scanned directory")
        );
        let secret = tree.root.parent().expect("parent").join("secret.txt");
        let absolute = secret.to_string_lossy().into_owned();
        assert!(
            message(run(&tree, "file", vec![s(&absolute)]))
                .contains("outside the scanned directory")
        );
        assert!(
            message(run(
                &tree,
                "templatefile",
                vec![s("greeting.tftpl"), s("x")]
            ))
            .contains("map is required")
        );
        assert_eq!(
            run(&tree, "file", vec![s("~/.ssh/id_rsa")]),
            Err(FunctionError::Unmodelled)
        );
        assert_eq!(
            run(&tree, "pathexpand", vec![s("~/x")]),
            Err(FunctionError::Unmodelled)
        );
        assert_eq!(
            run(&tree, "abspath", vec![s("x")]),
            Err(FunctionError::Unmodelled)
        );
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_root_are_refused() {
        let tree = tree();
        let secret = tree.root.parent().expect("parent").join("secret.txt");
        std::os::unix::fs::symlink(&secret, tree.root.join("link.txt")).expect("symlink");
        assert!(matches!(
            run(&tree, "file", vec![s("link.txt")]),
            Err(FunctionError::Invalid(message)) if message.contains("outside the scanned directory")
        ));
    }

    #[test]
    fn large_files_are_refused() {
        let tree = tree();
        fs::write(tree.root.join("big.txt"), vec![b'a'; 17 * 1024 * 1024]).expect("write");
        assert!(matches!(
            run(&tree, "file", vec![s("big.txt")]),
            Err(FunctionError::Invalid(message)) if message.ends_with("(--max-value-size)")
        ));
    }

    /// The examples of the `fileset` page, on its `files/` tree.
    #[test]
    fn fileset_documented_examples() {
        let tree = tree();
        let files = tree.root.join("files");
        fs::create_dir_all(files.join("subdirectory")).expect("create");
        for name in [
            "hello.txt",
            "world.txt",
            "subdirectory/anotherfile.txt",
            "notes.md",
        ] {
            fs::write(files.join(name), name).expect("write");
        }
        let strs = super::super::testing::strs;
        let cases = [
            (
                ".",
                "files/*.txt",
                strs(&["files/hello.txt", "files/world.txt"]),
            ),
            (
                ".",
                "files/{hello,world}.txt",
                strs(&["files/hello.txt", "files/world.txt"]),
            ),
            ("./files", "*.txt", strs(&["hello.txt", "world.txt"])),
            (
                "files",
                "**/*.txt",
                strs(&["hello.txt", "subdirectory/anotherfile.txt", "world.txt"]),
            ),
            (
                "files",
                "**",
                strs(&[
                    "hello.txt",
                    "notes.md",
                    "subdirectory/anotherfile.txt",
                    "world.txt",
                ]),
            ),
            ("files", "[hw]?llo.*", strs(&["hello.txt"])),
            ("files", "[^h]*.txt", strs(&["world.txt"])),
            ("missing", "*", strs(&[])),
        ];
        for (path, pattern, expected) in cases {
            assert_eq!(
                run(&tree, "fileset", vec![s(path), s(pattern)]),
                Ok(expected),
                "fileset({path:?}, {pattern:?})"
            );
        }
        let message = |result: Result<Value, FunctionError>| match result {
            Err(FunctionError::Invalid(message)) => message,
            other => panic!("expected an error, got {other:?}"),
        };
        assert!(
            message(run(&tree, "fileset", vec![s(".."), s("*")]))
                .contains("outside the scanned directory")
        );
        assert!(message(run(&tree, "fileset", vec![s("."), s("[")])).contains("invalid pattern"));
        assert!(run(&tree, "fileset", vec![s("."), unknown("p")]).is_ok_and(|v| v.is_unknown()));
    }

    #[cfg(unix)]
    #[test]
    fn fileset_lists_no_link_out_of_the_root() {
        let tree = tree();
        let outside = tree.root.parent().expect("parent");
        std::os::unix::fs::symlink(outside.join("secret.txt"), tree.root.join("link.txt"))
            .expect("symlink");
        std::os::unix::fs::symlink(outside, tree.root.join("up")).expect("symlink");
        std::os::unix::fs::symlink(tree.root.join("hello.txt"), tree.root.join("alias.txt"))
            .expect("symlink");
        assert_eq!(
            run(&tree, "fileset", vec![s("."), s("**/*.txt")]),
            Ok(super::super::testing::strs(&["alias.txt", "hello.txt"]))
        );
    }

    #[test]
    fn path_functions_follow_terraform() {
        assert_eq!(
            call_ok("basename", vec![s("foo/bar/baz.txt")]),
            s("baz.txt")
        );
        assert_eq!(call_ok("basename", vec![s("foo/bar/")]), s("bar"));
        assert_eq!(call_ok("basename", vec![s("/")]), s("/"));
        assert_eq!(call_ok("basename", vec![s("")]), s("."));
        assert_eq!(call_ok("dirname", vec![s("foo/bar/baz.txt")]), s("foo/bar"));
        assert_eq!(call_ok("dirname", vec![s("foo")]), s("."));
        assert_eq!(call_ok("dirname", vec![s("/foo")]), s("/"));
        assert_eq!(
            call_ok("dirname", vec![s("foo/./bar/../baz/x")]),
            s("foo/baz")
        );
        assert_eq!(call_ok("abspath", vec![s("/a/./b/../c")]), s("/a/c"));
        assert!(invalid_message("basename", vec![Value::Null]).contains("null"));
    }
}
