//! End-to-end loading: discovery, sniffing and bad input through [`load_paths`].

use std::fs;
use std::path::{Path, PathBuf};

use super::*;
use palisade_model::{Format, Position};

fn write(root: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

fn errors(loaded: &Loaded) -> Vec<(PathBuf, Position, &str)> {
    loaded
        .errors
        .iter()
        .map(|e| (e.file.clone(), e.position, e.message.as_str()))
        .collect()
}

const ROS_YAML: &str =
    "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  B:\n    Type: ALIYUN::OSS::Bucket\n";

#[test]
fn loads_every_format_and_skips_unrelated_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "tf/main.tf",
        b"resource \"alicloud_oss_bucket\" \"b\" {\n  acl = \"private\"\n}\n",
    );
    write(
        root,
        "tf/.terraform/modules/m/main.tf",
        b"resource \"x\" \"y\" {}\n",
    );
    write(root, "ros/stack.yml", ROS_YAML.as_bytes());
    write(
        root,
        "ros/stack.json",
        br#"{"ROSTemplateFormatVersion": "2015-09-01", "Resources": {}}"#,
    );
    write(root, "ros/stack.template", ROS_YAML.as_bytes());
    write(root, "package.json", br#"{"name": "x"}"#);
    write(
        root,
        "chart/templates/deploy.yaml",
        b"{{- if .Values.x }}\nkind: {{ .Values.kind }\n",
    );
    write(root, "binary.json", b"\xff\xfe\x00garbage");
    write(
        root,
        "mentions.json",
        br#"{"doc": "ROSTemplateFormatVersion is a key"}"#,
    );
    write(
        root,
        "plan.json",
        br#"{"format_version": "1.2", "planned_values": {}}"#,
    );

    let loaded = load_paths(&[root.to_path_buf()], &LoadOptions::default());
    assert_eq!(errors(&loaded), []);
    let sets: Vec<_> = loaded
        .sets
        .iter()
        .map(|s| (s.format, s.origin.clone(), s.resources.len()))
        .collect();
    assert_eq!(
        sets,
        [
            (Format::Plan, root.join("plan.json"), 0),
            (Format::Ros, root.join("ros/stack.json"), 0),
            (Format::Ros, root.join("ros/stack.template"), 1),
            (Format::Ros, root.join("ros/stack.yml"), 1),
            (Format::Terraform, root.join("tf"), 1),
        ]
    );
    assert_eq!(loaded.files, 5);
}

#[test]
fn explicit_files_that_are_not_templates_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "package.json", br#"{"name": "x"}"#);
    let loaded = load_paths(std::slice::from_ref(&file), &LoadOptions::default());
    assert_eq!(
        errors(&loaded),
        [(
            file,
            Position::new(1, 1),
            "not a Terraform configuration, Terraform plan or ROS template"
        )]
    );
}

#[test]
fn paths_stay_as_given() {
    let loaded = load_paths(&[PathBuf::from("no/such/dir")], &LoadOptions::default());
    assert_eq!(
        errors(&loaded),
        [(
            PathBuf::from("no/such/dir"),
            Position::new(1, 1),
            "no such file or directory"
        )]
    );
}

#[test]
fn bad_input_is_reported_with_positions_and_other_files_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let n = 100_000;
    let good = write(root, "good/main.tf", b"resource \"t\" \"ok\" {}\n");
    let utf8 = write(
        root,
        "utf8/main.tf",
        b"resource \"t\" \"x\" {\n  a = \"\xe9\"\n}\n",
    );
    let big = write(root, "big/main.tf", &vec![b'#'; 400_000]);
    let big_ros = write(
        root,
        "big.yaml",
        format!("{ROS_YAML}{}", " ".repeat(400_000)).as_bytes(),
    );
    write(root, "big-unrelated.yaml", &vec![b'a'; 400_000]);
    let hcl_deep = write(
        root,
        "deep/main.tf",
        format!("a = {}", "[".repeat(n)).as_bytes(),
    );
    let json_deep = write(
        root,
        "deep.json",
        format!("{{\"ROSTemplateFormatVersion\": {}", "[".repeat(n)).as_bytes(),
    );
    let yaml_deep = write(
        root,
        "deep.yaml",
        format!("ROSTemplateFormatVersion: x\nR:\n{}", "- ".repeat(n)).as_bytes(),
    );
    let ros_bad = write(
        root,
        "bad.json",
        b"{\"ROSTemplateFormatVersion\": \"2015-09-01\",\n  \"Resources\": }",
    );
    let ros_utf8 = write(
        root,
        "utf8.yaml",
        b"ROSTemplateFormatVersion: '2015-09-01'\nx: \xc0\n",
    );

    let options = LoadOptions {
        limits: palisade_model::Limits {
            file_size: 300_000,
            ..Default::default()
        },
        ..LoadOptions::default()
    };
    let loaded = load_paths(&[root.to_path_buf()], &options);
    let found = errors(&loaded);
    let expected = [
        (
            big_ros,
            Position::new(1, 1),
            format!(
                "file is {} bytes, over the limit of 300000 bytes (--max-file-size)",
                ROS_YAML.len() + 400_000
            ),
        ),
        (
            ros_bad,
            Position::new(2, 16),
            "invalid JSON: Unexpected close brace".to_string(),
        ),
        (
            big,
            Position::new(1, 1),
            "file is 400000 bytes, over the limit of 300000 bytes (--max-file-size)".to_string(),
        ),
        (hcl_deep, Position::new(1, 70), String::new()),
        (
            json_deep,
            Position::new(1, 29 + 511),
            "invalid JSON: Maximum nesting depth exceeded".to_string(),
        ),
        (
            yaml_deep,
            Position::new(3, 2 * 255 + 1),
            "YAML nested deeper than 256 levels".to_string(),
        ),
        (
            utf8,
            Position::new(2, 8),
            "file is not valid UTF-8 (byte 0xe9)".to_string(),
        ),
        (
            ros_utf8,
            Position::new(2, 4),
            "file is not valid UTF-8 (byte 0xc0)".to_string(),
        ),
    ];
    let mut expected: Vec<_> = expected.into_iter().collect();
    expected.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for ((file, position, message), (want_file, want_position, want_message)) in
        found.iter().zip(&expected)
    {
        assert_eq!((file, position), (want_file, want_position), "{message}");
        if !want_message.is_empty() {
            assert_eq!(message, want_message);
        }
    }
    let origins: Vec<_> = loaded.sets.iter().map(|s| s.origin.clone()).collect();
    assert!(origins.contains(&good.parent().unwrap().to_path_buf()));
}

#[test]
fn repeated_errors_are_capped_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let changes = vec!["{}"; 10_000].join(",\n");
    let plan = format!("{{\"format_version\": \"1.2\", \"resource_changes\": [\n{changes}]}}");
    write(root, "plan.json", plan.as_bytes());
    let mut ros = String::from("ROSTemplateFormatVersion: '2015-09-01'\nResources:\n");
    for i in 0..150 {
        ros.push_str(&format!("  R{i}: {{}}\n"));
    }
    write(root, "stack.yaml", ros.as_bytes());
    let loaded = load_paths(&[root.to_path_buf()], &LoadOptions::default());
    let of = |name: &str| -> Vec<(Position, &str)> {
        loaded
            .errors
            .iter()
            .filter(|e| e.file == root.join(name))
            .map(|e| (e.position, e.message.as_str()))
            .collect()
    };
    let plan = of("plan.json");
    assert_eq!(plan.len(), MAX_ERRORS_PER_FILE + 1);
    assert_eq!(plan[99].0, Position::new(101, 1));
    assert_eq!(
        plan[100],
        (Position::new(101, 1), "... and 9900 more like this")
    );
    let ros = of("stack.yaml");
    assert_eq!(ros.len(), MAX_ERRORS_PER_FILE + 1);
    assert_eq!(
        ros[100],
        (Position::new(103, 3), "... and 50 more like this")
    );
}
