# Buckets that pass `{{name}}`: each names the team that owns it.

resource "alicloud_oss_bucket" "logs" {
  bucket = "team-logs"
  tags = {
    owner = "platform"
    env   = "prod"
  }
}

resource "aws_s3_bucket" "assets" {
  bucket = "team-assets"
  tags = {
    owner = "web"
  }
}
