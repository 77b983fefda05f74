resource "aws_s3_bucket" "uploads" {
  bucket = "example-uploads"
  acl    = "public-read-write"
}

# Any AWS account holder is as good as the public.
resource "aws_s3_bucket" "partners" {
  bucket = "example-partners"
  acl    = "authenticated-read"
}

# Lets the S3 log delivery group write access logs: not public.
resource "aws_s3_bucket" "access_logs" {
  bucket = "example-access-logs"
  acl    = "log-delivery-write"
}

resource "aws_s3_bucket" "explicit_null" {
  bucket = "example-explicit-null"
  acl    = null
}
