//! The rule's metadata; its behaviour is covered by the fixtures under
//! `fixtures/open-ssh/`.

use super::RULE;

#[test]
fn the_metadata_lists_every_type_read() {
    assert_eq!(RULE.resource_types.len(), 7);
    assert!(
        RULE.resource_types
            .contains(&"ALIYUN::ECS::SecurityGroupIngress")
    );
}
