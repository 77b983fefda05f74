# An Alibaba Cloud web server as it is often first written: each of these resources
# fails one of Palisade's built-in rules. Compare with ../secure/main.tf.

resource "alicloud_oss_bucket" "assets" {
  bucket = "palisade-example-assets"
  acl    = "public-read"
}

resource "alicloud_oss_bucket" "uploads" {
  bucket = "palisade-example-uploads"
}

# A separate ACL resource makes the uploads bucket writable by anyone.
resource "alicloud_oss_bucket_acl" "uploads" {
  bucket = alicloud_oss_bucket.uploads.bucket
  acl    = "public-read-write"
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
  cidr_ip           = "0.0.0.0/0"
}

resource "alicloud_ecs_disk" "data" {
  zone_id   = "cn-hangzhou-i"
  disk_name = "data"
  category  = "cloud_essd"
  size      = 40
}

resource "alicloud_disk" "logs" {
  zone_id   = "cn-hangzhou-i"
  disk_name = "logs"
  category  = "cloud_efficiency"
  size      = 20
  encrypted = false
}

# Fails open-db-port: MySQL reachable from every address.
resource "alicloud_security_group_rule" "mysql" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "3306/3306"
  security_group_id = alicloud_security_group.web.id
  cidr_ip           = "0.0.0.0/0"
}

# Fails open-rdp: Remote Desktop reachable from every address.
resource "alicloud_security_group_rule" "rdp" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "3389/3389"
  security_group_id = alicloud_security_group.web.id
  cidr_ip           = "0.0.0.0/0"
}

# Fails ram-admin-access: every action on every resource, attached to a user.
resource "alicloud_ram_policy" "ops" {
  policy_name = "ops-everything"
  policy_document = jsonencode({
    Version   = "1"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
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

# Fails ram-user-console-no-mfa (no MFA required) and plaintext-secret (the password is
# written here; Palisade never prints it).
resource "alicloud_ram_login_profile" "deploy" {
  user_name = alicloud_ram_user.deploy.name
  password  = "Example-Passw0rd!"
}

# Fails lb-weak-tls: an HTTPS listener without a TLS policy accepts TLS 1.0.
resource "alicloud_slb_listener" "https" {
  load_balancer_id      = "lb-example"
  backend_port          = 80
  frontend_port         = 443
  protocol              = "https"
  bandwidth             = 10
  server_certificate_id = "cert-example"
}

# Fails actiontrail-incomplete: one region, write events only, never started.
resource "alicloud_actiontrail_trail" "audit" {
  trail_name      = "audit"
  trail_region    = "cn-hangzhou"
  event_rw        = "Write"
  oss_bucket_name = "palisade-example-trail"
}
