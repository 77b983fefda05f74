use super::*;

#[test]
fn rule_files_are_the_rs_files_directly_in_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["open_ssh.rs", "open-ssh.md", "all_ports2.rs"] {
        fs::write(dir.path().join(file), "").unwrap();
    }
    fs::create_dir(dir.path().join("open_ssh")).unwrap();
    fs::write(dir.path().join("open_ssh/tests.rs"), "").unwrap();
    assert_eq!(rule_names(dir.path()).unwrap(), ["all_ports2", "open_ssh"]);
}

#[test]
fn a_badly_named_or_empty_rule_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = rule_names(dir.path()).unwrap_err();
    assert!(empty.contains("holds no rule"), "{empty}");
    fs::write(dir.path().join("Open-SSH.rs"), "").unwrap();
    let error = rule_names(dir.path()).unwrap_err();
    assert!(error.contains("named after its rule id"), "{error}");
}

#[test]
fn the_module_declares_lists_and_checks_each_rule() {
    let code = module(Path::new("/crate/src/rules"), &["open_ssh".to_owned()]);
    assert!(code.contains("#[path = \"/crate/src/rules\"]\npub mod rules {"));
    assert!(code.contains("    pub mod open_ssh;\n"));
    assert!(code.contains("        open_ssh::RULE,\n"));
    assert!(code.contains("run.rule(&open_ssh::RULE, |input| open_ssh::evaluate(input));"));
    assert!(code.contains("id_is(&open_ssh::RULE, \"open-ssh\")"));
}
