resource "alicloud_oss_bucket" "public" {
  bucket = "example-public"
  acl    = "private"

  policy = <<POLICY
{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["oss:GetObject"],
      "Principal": ["*"],
      "Resource": ["acs:oss:*:*:example-public/*"]
    }
  ]
}
POLICY
}
