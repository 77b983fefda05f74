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
