# The same Alibaba Cloud web server, written to pass: private, encrypted buckets, SSH
# from the office network only, encrypted disks.

resource "alicloud_oss_bucket" "assets" {
  bucket = "palisade-example-assets"
  acl    = "private"

  server_side_encryption_rule {
    sse_algorithm = "AES256"
  }
}

resource "alicloud_oss_bucket" "uploads" {
  bucket = "palisade-example-uploads"
}

resource "alicloud_oss_bucket_acl" "uploads" {
  bucket = alicloud_oss_bucket.uploads.bucket
  acl    = "private"
}

resource "alicloud_oss_bucket_server_side_encryption" "uploads" {
  bucket            = alicloud_oss_bucket.uploads.bucket
  sse_algorithm     = "KMS"
  kms_master_key_id = "key-example"
}

resource "alicloud_security_group" "web" {
  name   = "web"
  vpc_id = "vpc-example"
}

resource "alicloud_security_group_rule" "ssh" {
  type              = "ingress"
  ip_protocol       = "tcp"
  nic_type          = "intranet"
  policy            = "accept"
  port_range        = "22/22"
  priority          = 1
  security_group_id = alicloud_security_group.web.id
  cidr_ip           = "10.10.0.0/16"
}

resource "alicloud_security_group_rule" "https" {
  type              = "ingress"
  ip_protocol       = "tcp"
  nic_type          = "intranet"
  policy            = "accept"
  port_range        = "443/443"
  priority          = 1
  security_group_id = alicloud_security_group.web.id
  cidr_ip           = "0.0.0.0/0"
}

resource "alicloud_ecs_disk" "data" {
  zone_id    = "cn-hangzhou-i"
  disk_name  = "data"
  category   = "cloud_essd"
  size       = 40
  encrypted  = true
  kms_key_id = "key-example"
}

resource "alicloud_disk" "logs" {
  zone_id   = "cn-hangzhou-i"
  disk_name = "logs"
  category  = "cloud_efficiency"
  size      = 20
  encrypted = true
}

# Least privilege: read-only access to one bucket.
resource "alicloud_ram_policy" "ops" {
  policy_name = "ops-read-assets"
  policy_document = jsonencode({
    Version = "1"
    Statement = [{
      Effect   = "Allow"
      Action   = ["oss:GetObject", "oss:ListObjects"]
      Resource = ["acs:oss:*:*:palisade-example-assets", "acs:oss:*:*:palisade-example-assets/*"]
    }]
  })
}

resource "alicloud_ram_user" "deploy" {
  name = "deploy"
}

resource "alicloud_ram_user_policy_attachment" "deploy" {
  user_name   = alicloud_ram_user.deploy.name
  policy_name = alicloud_ram_policy.ops.policy_name
  policy_type = "Custom"
}

# The console password is given at apply time (TF_VAR_deploy_password), and MFA is
# required.
variable "deploy_password" {
  type      = string
  sensitive = true
}

resource "alicloud_ram_login_profile" "deploy" {
  user_name         = alicloud_ram_user.deploy.name
  password          = var.deploy_password
  mfa_bind_required = true
}

resource "alicloud_slb_listener" "https" {
  load_balancer_id      = "lb-example"
  backend_port          = 80
  frontend_port         = 443
  protocol              = "https"
  bandwidth             = 10
  server_certificate_id = "cert-example"
  tls_cipher_policy     = "tls_cipher_policy_1_2_strict"
}

resource "alicloud_actiontrail_trail" "audit" {
  trail_name      = "audit"
  trail_region    = "All"
  event_rw        = "All"
  status          = "Enable"
  oss_bucket_name = "palisade-example-trail"
}
