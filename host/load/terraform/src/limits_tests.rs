//! What hostile configurations may make evaluation spend: every limit is an error at the
//! expression that goes over it, naming its flag, and the rest still loads.

use std::path::Path;

use palisade_model::{Limits, Resource};

use super::*;

/// Loads `files` (name, text) as one root module with `limits`, as the runner does: from
/// a rayon worker thread, through [`evaluate_roots`].
fn load(files: &[(&str, &str)], limits: Limits) -> (Vec<palisade_model::Resource>, Vec<LoadError>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut paths = Vec::new();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
        std::fs::write(&path, text).expect("write a module file");
        if (name.ends_with(".tf") || name.ends_with(".tf.json")) && !name.contains('/') {
            paths.push(path);
        }
    }
    let options = Options {
        limits,
        ..Options::default()
    };
    let root: &Path = dir.path();
    let modules = [(root, paths.as_slice())];
    let scanned = [root.to_path_buf()];
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    let mut loads = pool.install(|| evaluate_roots(&modules, &scanned, &options));
    assert_eq!(loads.len(), 1);
    let load = loads.remove(0);
    let strip = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let errors = load
        .errors
        .into_iter()
        .map(|e| LoadError {
            file: strip(&e.file),
            ..e
        })
        .collect();
    (load.set.resources, errors)
}

fn main_tf(text: &str) -> (Vec<palisade_model::Resource>, Vec<LoadError>) {
    load(&[("main.tf", text)], Limits::default())
}

/// `(line, column, message)` of each error.
fn located(errors: &[LoadError]) -> Vec<(u32, u32, &str)> {
    errors
        .iter()
        .map(|e| (e.position.line, e.position.column, e.message.as_str()))
        .collect()
}

#[test]
fn a_count_over_the_instance_limit_is_an_error_at_the_count() {
    let (resources, errors) = main_tf(
        "resource \"a\" \"huge\" {\n  count = 1000000000\n}\nresource \"a\" \"ok\" {\n  count = 2\n}\n",
    );
    assert_eq!(
        located(&errors),
        [(
            2,
            11,
            "`count` makes 1000000000 instances, over the limit of 100000 instances (--max-instances)"
        )]
    );
    assert_eq!(resources.len(), 2, "the other resource loads");
}

#[test]
fn the_instances_of_a_configuration_and_its_modules_add_up_to_the_limit() {
    let limits = Limits {
        instances: 10,
        ..Limits::default()
    };
    let (resources, errors) = load(
        &[
            (
                "main.tf",
                "resource \"a\" \"four\" {\n  count = 4\n}\nmodule \"m\" {\n  source = \"./m\"\n  for_each = toset([\"x\", \"y\"])\n}\n",
            ),
            ("m/main.tf", "resource \"b\" \"three\" {\n  count = 3\n}\n"),
        ],
        limits,
    );
    // 4 resources, 2 module instances, 3 more resources: the second module instance's
    // resources would make 12.
    assert_eq!(
        located(&errors),
        [(
            2,
            11,
            "`count` brings this configuration to 12 instances, over the limit of 10 instances (--max-instances)"
        )],
        "{errors:?}"
    );
    assert_eq!(resources.len(), 7);
    assert_eq!(errors[0].file, Path::new("m/main.tf"));
}

#[test]
fn a_for_each_over_the_instance_limit_is_an_error() {
    let limits = Limits {
        instances: 3,
        ..Limits::default()
    };
    let (resources, errors) = load(
        &[(
            "main.tf",
            "resource \"a\" \"b\" {\n  for_each = toset([\"1\", \"2\", \"3\", \"4\"])\n}\n",
        )],
        limits,
    );
    assert_eq!(
        located(&errors),
        [(
            2,
            14,
            "`for_each` makes 4 instances, over the limit of 3 instances (--max-instances)"
        )]
    );
    assert!(resources.is_empty());
}

#[test]
fn the_instances_of_files_held_in_memory_are_limited_too() {
    let limits = Limits {
        instances: 5,
        ..Limits::default()
    };
    let dir = Path::new("/nonexistent/template.yaml");
    let files = vec![(
        dir.join("main.tf"),
        "resource \"a\" \"b\" {\n  count = 6\n}\n".to_owned(),
    )];
    let outcome = evaluate_files(dir, files, &BTreeMap::new(), limits, None);
    assert_eq!(
        located(&outcome.errors),
        [(
            2,
            11,
            "`count` makes 6 instances, over the limit of 5 instances (--max-instances)"
        )]
    );
}

/// Ten locals, each `times` copies of the one before, read by a resource.
fn growing_locals(element: &str, open: &str, close: &str, times: usize) -> String {
    let mut text = format!("locals {{\n  l0 = {element}\n");
    for i in 1..10 {
        let parts = vec![format!("{open}local.l{}{close}", i - 1); times];
        let joined = if open.starts_with('$') {
            format!("\"{}\"", parts.concat())
        } else {
            format!("[{}]", parts.join(", "))
        };
        text.push_str(&format!("  l{i} = {joined}\n"));
    }
    text.push_str("}\nresource \"a\" \"b\" {\n  x = local.l9\n}\n");
    text
}

#[test]
fn strings_grown_by_interpolation_stop_at_the_value_size() {
    let text = growing_locals("\"xxxxxxxxxx\"", "${", "}", 10);
    let (resources, errors) = main_tf(&text);
    assert_eq!(resources.len(), 1);
    let messages: Vec<_> = located(&errors);
    // l7 is 100 MB: the template stops as soon as its text is over 16 MiB.
    assert_eq!(messages.len(), 1, "{errors:?}");
    let (line, _, message) = messages[0];
    assert_eq!(line, 9);
    assert!(
        message.ends_with("over the limit of 16777216 bytes (--max-value-size)"),
        "{message}"
    );
}

#[test]
fn lists_grown_by_copies_stop_at_the_value_size() {
    let text = growing_locals("[\"xxxxxxxxxx\"]", "", "", 10);
    let (resources, errors) = main_tf(&text);
    assert_eq!(resources.len(), 1);
    assert!(!errors.is_empty());
    assert!(
        errors
            .iter()
            .all(|e| e.message.contains("(--max-value-size)")
                || e.message.contains("(--max-evaluated-size)")),
        "{errors:?}"
    );
}

#[test]
fn nested_template_loops_stop_at_the_value_size() {
    let text = "resource \"a\" \"b\" {\n  x = \"%{for i in range(1000)}%{for j in range(1000)}%{for k in range(1000)}xxxx%{endfor}%{endfor}%{endfor}\"\n}\n";
    let (resources, errors) = main_tf(text);
    assert_eq!(resources.len(), 1);
    let messages = located(&errors);
    assert_eq!(messages.len(), 1, "{errors:?}");
    assert!(
        messages[0].2.ends_with("(--max-value-size)"),
        "{}",
        messages[0].2
    );
    assert_eq!(messages[0].0, 2);
}

#[test]
fn values_computed_by_a_configuration_add_up_to_the_evaluated_size() {
    let limits = Limits {
        evaluated_size: 1024 * 1024,
        ..Limits::default()
    };
    // Each resource builds 100 KB: the eleventh goes over 1 MiB.
    let text = "resource \"a\" \"b\" {\n  count = 20\n  x = join(\"\", [for i in range(1000) : \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"])\n}\nresource \"a\" \"after\" {\n  y = 1\n}\n";
    let (resources, errors) = load(&[("main.tf", text)], limits);
    assert_eq!(resources.len(), 21, "every instance is still reported");
    let messages = located(&errors);
    assert_eq!(messages.len(), 1, "reported once: {errors:?}");
    assert!(
        messages[0]
            .2
            .ends_with("over the limit of 1048576 bytes (--max-evaluated-size)"),
        "{}",
        messages[0].2
    );
    assert_eq!(messages[0].0, 3);
}

/// `count` locals, each the next one's value, the last one `"end"`.
fn chained_locals(count: usize) -> String {
    let mut text = String::from("locals {\n");
    for i in 0..count {
        text.push_str(&format!("  l{i} = local.l{}\n", i + 1));
    }
    text.push_str(&format!(
        "  l{count} = \"end\"\n}}\nresource \"a\" \"b\" {{\n  x = local.l0\n}}\n"
    ));
    text
}

#[test]
fn a_long_chain_of_locals_evaluates() {
    let (resources, errors) = main_tf(&chained_locals(3000));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(resources[0].attributes["x"], "end");
}

#[test]
fn a_chain_of_locals_deeper_than_the_limit_is_a_depth_error() {
    let (resources, errors) = main_tf(&chained_locals(12_000));
    assert_eq!(resources.len(), 1);
    assert_eq!(errors.len(), 1, "{:?}", &errors[..errors.len().min(3)]);
    assert!(
        errors[0]
            .message
            .ends_with("over the limit of 10000 levels (--max-depth)"),
        "{}",
        errors[0].message
    );
}

#[test]
fn a_long_chain_of_resources_evaluates() {
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!(
            "resource \"a\" \"r{i}\" {{\n  x = a.r{}.x\n}}\n",
            i + 1
        ));
    }
    text.push_str("resource \"a\" \"r3000\" {\n  x = \"end\"\n}\n");
    let (resources, errors) = main_tf(&text);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(resources[0].attributes["x"], "end");
}

#[test]
fn a_template_that_renders_itself_is_a_depth_error() {
    let (resources, errors) = load(
        &[
            (
                "main.tf",
                "resource \"a\" \"b\" {\n  x = templatefile(\"t.tpl\", {})\n}\n",
            ),
            ("t.tpl", "${templatefile(\"t.tpl\", {})}"),
        ],
        Limits::default(),
    );
    assert_eq!(resources.len(), 1);
    assert!(
        errors.iter().any(|e| e.message.ends_with("(--max-depth)")),
        "{errors:?}"
    );
    assert!(resources[0].attributes["x"].get("$unknown").is_some());
}

#[test]
fn a_depth_error_is_located_at_the_expression_too_deep() {
    let limits = Limits {
        depth: 3,
        ..Limits::default()
    };
    let (_, errors) = load(
        &[("main.tf", "resource \"a\" \"b\" {\n  x = (((1)))\n}\n")],
        limits,
    );
    assert_eq!(
        located(&errors),
        [(
            2,
            10,
            "expressions and references nested 4 deep, over the limit of 3 levels (--max-depth)"
        )]
    );
}

#[test]
fn a_value_nested_deeper_than_the_limit_is_an_error() {
    let limits = Limits {
        depth: 50,
        ..Limits::default()
    };
    // Each local is evaluated from its resource, the one before it already known: the
    // evaluation stays shallow while the value grows ten levels a local.
    let mut text = String::from("locals {\n  l0 = 1\n");
    for i in 1..10 {
        text.push_str(&format!("  l{i} = [[[[[[[[[[local.l{}]]]]]]]]]]\n", i - 1));
    }
    text.push_str("}\n");
    for i in 0..10 {
        text.push_str(&format!(
            "resource \"a\" \"r{i}\" {{\n  x = local.l{i}\n}}\n"
        ));
    }
    let (resources, errors) = load(&[("main.tf", &text)], limits);
    assert_eq!(resources.len(), 10);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].position, palisade_model::Position::new(7, 8));
    assert_eq!(
        errors[0].message,
        "a value nested 51 deep, over the limit of 50 levels (--max-depth)"
    );
}

#[test]
fn templates_stopped_at_the_value_size_count_towards_the_evaluated_size() {
    let limits = Limits {
        value_size: 100_000,
        evaluated_size: 800_000,
        ..Limits::default()
    };
    // Each template stops at 100 KB of text; the text dropped counts, so the evaluated
    // bytes are spent after a few of them, and nothing is evaluated after that.
    let loop_text = format!(
        "\"%{{for i in range(200)}}{}%{{endfor}}\"",
        "x".repeat(1000)
    );
    let mut text = String::new();
    for i in 0..20 {
        text.push_str(&format!(
            "resource \"a\" \"r{i}\" {{\n  x = {loop_text}\n}}\n"
        ));
    }
    let (resources, errors) = load(&[("main.tf", &text)], limits);
    assert_eq!(resources.len(), 20);
    let flags: Vec<&str> = errors
        .iter()
        .map(|e| e.message.rsplit(' ').next().unwrap_or_default())
        .collect();
    let spent = flags
        .iter()
        .filter(|f| **f == "(--max-evaluated-size)")
        .count();
    let too_big = flags.iter().filter(|f| **f == "(--max-value-size)").count();
    assert_eq!((spent, too_big + spent), (1, flags.len()), "{flags:?}");
    assert!(too_big < 10, "{flags:?}");
}

#[test]
fn a_written_value_too_large_to_build_is_refused_before_it_is_built() {
    let items = vec!["1"; 2_000].join(",");
    let text = format!(
        "{{\"resource\": {{\"alicloud_disk\": {{\"d\": {{\n  \"encrypted\": false,\n  \
         \"tags\": [{items}]\n}}}}}}}}"
    );
    let limits = Limits {
        value_size: 20_000,
        ..Limits::default()
    };
    let (resources, errors) = load(&[("main.tf.json", &text)], limits);
    let [error] = located(&errors)[..] else {
        panic!("{errors:?}");
    };
    assert_eq!((error.0, error.1), (3, 11));
    assert!(
        error.2.starts_with("a value of ") && error.2.ends_with("(--max-value-size)"),
        "{}",
        error.2
    );
    assert_eq!(resources[0].attributes["encrypted"], false);
}

#[test]
fn a_resource_keeps_its_first_positions() {
    let items = vec!["1"; Resource::MAX_SPANS + 10].join(",");
    let text = format!("{{\"resource\": {{\"alicloud_disk\": {{\"d\": {{\"l\": [{items}]}}}}}}}}");
    let (resources, errors) = load(&[("main.tf.json", &text)], Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    let disk = &resources[0];
    assert_eq!(
        disk.attributes["l"].as_array().map(Vec::len),
        Some(Resource::MAX_SPANS + 10)
    );
    assert_eq!(disk.spans.len(), Resource::MAX_SPANS);
    assert!(disk.spans.contains_key("l"));
}

#[test]
fn modules_read_during_evaluation_load_while_every_worker_evaluates() {
    // More roots than workers: every worker of the pool waits for the evaluation of a
    // root, which reads the module it calls; reading it must not need a worker.
    let dir = tempfile::tempdir().expect("temp dir");
    let roots = rayon::current_num_threads() + 1;
    let mut files = Vec::new();
    for n in 0..roots {
        let root = dir.path().join(format!("root{n}"));
        std::fs::create_dir_all(root.join("modules/m")).expect("a directory");
        let main = root.join("main.tf");
        std::fs::write(&main, "module \"m\" {\n  source = \"./modules/m\"\n}\n").expect("write");
        for name in ["a", "b"] {
            let text = format!("resource \"alicloud_disk\" \"{name}\" {{}}\n");
            std::fs::write(root.join(format!("modules/m/{name}.tf")), text).expect("write");
        }
        files.push((root, vec![main]));
    }
    let modules: Vec<(&Path, &[PathBuf])> = files
        .iter()
        .map(|(root, files)| (root.as_path(), files.as_slice()))
        .collect();
    let loads = evaluate_roots(&modules, &[dir.path().to_path_buf()], &Options::default());
    assert_eq!(loads.len(), roots);
    for load in loads {
        assert_eq!(located(&load.errors), []);
        assert_eq!(load.set.resources.len(), 2);
    }
}
