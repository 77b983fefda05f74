resource "alicloud_instance" "web" {
  image_id             = "ubuntu_22_04_x64_20G_alibase_20240130.vhd"
  instance_type        = "ecs.g7.large"
  security_groups      = ["sg-123"]
  vswitch_id           = "vsw-123"
  system_disk_category = "cloud_essd"
}

resource "alicloud_instance" "explicit" {
  image_id              = "ubuntu_22_04_x64_20G_alibase_20240130.vhd"
  instance_type         = "ecs.g7.large"
  system_disk_encrypted = false
}

# A local system disk cannot be encrypted: not checked.
resource "alicloud_instance" "local" {
  image_id             = "ubuntu_22_04_x64_20G_alibase_20240130.vhd"
  instance_type        = "ecs.i2.xlarge"
  system_disk_category = "ephemeral_ssd"
}
