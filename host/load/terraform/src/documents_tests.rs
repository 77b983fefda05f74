//! Policy documents computed by `aws_iam_policy_document` and
//! `alicloud_ram_policy_document` data sources, as the policy resources that use them
//! see them.

use serde_json::{Value, json};

use crate::tests::load_hcl;

/// The document each resource's `attribute` holds, parsed, by resource address.
fn documents(text: &str, attribute: &str) -> Vec<(String, Value)> {
    let (resources, errors) = load_hcl(text);
    assert!(errors.is_empty(), "{errors:?}");
    resources
        .into_iter()
        .map(|resource| {
            let value = &resource.attributes[attribute];
            let document = match value.as_str() {
                Some(text) => serde_json::from_str(text).expect("a JSON document"),
                None => value.clone(),
            };
            (resource.address, document)
        })
        .collect()
}

#[test]
fn an_aws_document_is_built_from_its_statements() {
    let found = documents(
        r#"
data "aws_iam_policy_document" "p" {
  policy_id = "site"
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::site/*", "arn:aws:s3:::site"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-1"]
    }
  }
  statement {
    effect      = "Deny"
    not_actions = ["iam:*"]
    resources   = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::1:root", "arn:aws:iam::2:root"]
    }
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
resource "aws_s3_bucket_policy" "b" {
  bucket = "site"
  policy = data.aws_iam_policy_document.p.json
}
"#,
        "policy",
    );
    assert_eq!(
        found[0].1,
        json!({
            "Version": "2012-10-17",
            "Id": "site",
            "Statement": [
                {
                    "Sid": "Read",
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": ["arn:aws:s3:::site/*", "arn:aws:s3:::site"],
                    "Principal": "*",
                    "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}
                },
                {
                    "Effect": "Deny",
                    "NotAction": "iam:*",
                    "Resource": "*",
                    "Principal": {
                        "AWS": ["arn:aws:iam::1:root", "arn:aws:iam::2:root"],
                        "Service": "ec2.amazonaws.com"
                    }
                }
            ]
        })
    );
}

#[test]
fn an_alicloud_document_is_built_from_its_statements() {
    let found = documents(
        r#"
data "alicloud_ram_policy_document" "p" {
  statement {
    action   = ["oss:*"]
    resource = ["acs:oss:*:*:photos", "acs:oss:*:*:photos/*"]
    condition {
      operator = "IpAddress"
      variable = "acs:SourceIp"
      values   = ["10.0.0.0/8"]
    }
  }
  statement {
    effect   = "Allow"
    action   = ["sts:AssumeRole"]
    principal {
      entity      = "Service"
      identifiers = ["ecs.aliyuncs.com"]
    }
  }
}
resource "alicloud_ram_policy" "p" {
  policy_name     = "photos"
  policy_document = data.alicloud_ram_policy_document.p.document
}
"#,
        "policy_document",
    );
    assert_eq!(
        found[0].1,
        json!({
            "Version": "1",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "oss:*",
                    "Resource": ["acs:oss:*:*:photos", "acs:oss:*:*:photos/*"],
                    "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}
                },
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"Service": ["ecs.aliyuncs.com"]}
                }
            ]
        })
    );
}

#[test]
fn sources_and_overrides_merge_by_sid() {
    let found = documents(
        r#"
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Admin"
    actions   = ["*"]
    resources = ["*"]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:*"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "narrowed" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "Logs"
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }
  override_policy_documents = [jsonencode({
    Statement = [{ Sid = "Admin", Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })]
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.narrowed.json
}
"#,
        "policy",
    );
    let statements = &found[0].1["Statement"];
    let actions: Vec<&Value> = statements
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["Action"])
        .collect();
    assert_eq!(
        actions,
        [&json!("s3:GetObject"), &json!("logs:PutLogEvents")]
    );
}

#[test]
fn instances_and_dynamic_statements_are_expanded() {
    let text = r#"
locals {
  grants = { reader = ["s3:GetObject"], admin = ["*"] }
}
data "aws_iam_policy_document" "by_name" {
  for_each = local.grants
  dynamic "statement" {
    for_each = [each.value]
    content {
      actions   = statement.value
      resources = ["*"]
    }
  }
}
data "alicloud_ram_policy_document" "counted" {
  count = 2
  statement {
    action   = ["ecs:Describe${count.index}"]
    resource = ["*"]
  }
}
resource "aws_iam_policy" "admin" {
  policy = data.aws_iam_policy_document.by_name["admin"].json
}
resource "alicloud_ram_policy" "second" {
  policy_name     = "second"
  policy_document = data.alicloud_ram_policy_document.counted[1].document
}
"#;
    let aws = documents(text, "policy");
    assert_eq!(aws[0].1["Statement"][0]["Action"], json!("*"));
    let alicloud = documents(text, "policy_document");
    assert_eq!(
        alicloud[1].1["Statement"][0]["Action"],
        json!("ecs:Describe1")
    );
}

#[test]
fn what_is_not_known_stays_unknown_inside_or_instead_of_the_document() {
    let found = documents(
        r#"
variable "actions" {
  type = list(string)
}
variable "extra" {
  type = string
}
data "aws_iam_policy_document" "partly" {
  statement {
    actions   = var.actions
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "merged" {
  source_policy_documents = [var.extra]
}
data "aws_iam_policy_document" "broken" {
  source_policy_documents = ["{not json"]
}
data "aws_caller_identity" "me" {}
resource "aws_iam_policy" "partly" {
  policy = data.aws_iam_policy_document.partly.json
}
resource "aws_iam_policy" "merged" {
  policy = data.aws_iam_policy_document.merged.json
}
resource "aws_iam_policy" "broken" {
  policy = data.aws_iam_policy_document.broken.json
}
resource "aws_iam_policy" "account" {
  policy = data.aws_caller_identity.me.account_id
}
"#,
        "policy",
    );
    let unknown = |value: &Value| value.get("$unknown").is_some();
    let partly = &found[0].1["Statement"][0];
    assert!(unknown(&partly["Action"]), "{partly}");
    assert_eq!(partly["Resource"], json!("*"));
    for (address, document) in &found[1..] {
        assert!(unknown(document), "{address}: {document}");
    }
    assert!(
        found[2].1["$unknown"]["reason"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
}
