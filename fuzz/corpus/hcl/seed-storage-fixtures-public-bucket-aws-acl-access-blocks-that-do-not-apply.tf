resource "aws_s3_bucket" "logs" {
  bucket = "example-logs"
  acl    = "public-read"
}

resource "aws_s3_bucket" "other" {
  bucket = "example-other"
}

# For another bucket, by reference.
resource "aws_s3_bucket_public_access_block" "other_by_reference" {
  bucket             = aws_s3_bucket.other.id
  ignore_public_acls = true
}

# For another bucket, by name.
resource "aws_s3_bucket_public_access_block" "other_by_name" {
  bucket             = "example-other"
  ignore_public_acls = true
}

# For this bucket, but turned off.
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket             = aws_s3_bucket.logs.id
  ignore_public_acls = false
}

# Alibaba Cloud's setting does not protect an S3 bucket.
resource "alicloud_oss_account_public_access_block" "account" {
  block_public_access = true
}
