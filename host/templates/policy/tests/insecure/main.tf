# Buckets that `{{name}}` refuses: tags without an owner, and no tags at all.

resource "alicloud_oss_bucket" "logs" {
  bucket = "team-logs"
  tags = {
    env = "prod"
  }
}

resource "aws_s3_bucket" "assets" {
  bucket = "team-assets"
}
