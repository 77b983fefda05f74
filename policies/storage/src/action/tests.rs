use super::*;

#[test]
fn reads_and_writes_on_both_clouds() {
    for read in [
        "s3:GetObject",
        "oss:GetObject",
        "s3:List*",
        "s3:ListBucket",
        "S3:getobject",
        "s3:Get*",
        "oss:GetBucketAcl",
        " s3:GetObjectVersion ",
    ] {
        assert_eq!(exposure(read), Some(Exposure::PublicRead), "{read}");
    }
    for write in [
        "*",
        "s3:*",
        "oss:*",
        "s3:PutObject",
        "oss:PutObject",
        "s3:Put*",
        "s3:DeleteObject",
        "*:*",
        "s3:*Object",
        "oss:AbortMultipartUpload",
        "s3:PutBucketPolicy",
        "s?:PutObject",
        "s3:?utObject",
    ] {
        assert_eq!(exposure(write), Some(Exposure::WorldWritable), "{write}");
    }
}

#[test]
fn other_services_do_not_reach_buckets() {
    for other in [
        "kms:Decrypt",
        "ecs:*",
        "ram:PassRole",
        "",
        "GetObject",
        "s3x:*",
    ] {
        assert_eq!(exposure(other), None, "{other:?}");
    }
}

#[test]
fn bucket_wide_patterns() {
    for every in ["*", "s3:*", "oss:**", "*:*"] {
        assert!(covers_every_bucket_action(every), "{every}");
    }
    for partial in ["s3:Get*", "s3:PutObject", "kms:*", ""] {
        assert!(!covers_every_bucket_action(partial), "{partial}");
    }
}

#[test]
fn glob_matching() {
    assert!(glob_matches("s*", "s3"));
    assert!(glob_matches("*", ""));
    assert!(!glob_matches("s", "s3"));
    assert!(can_start_with("*Object", "Put"));
    assert!(can_start_with("Pu", "Pu"));
    assert!(!can_start_with("Pu", "Put"));
    assert!(!can_start_with("GetObject", "Put"));
    assert!(can_start_with("P?t*", "Put"));
    let hostile = "*a".repeat(200);
    assert!(!glob_matches(&hostile, &"b".repeat(200)));
}
