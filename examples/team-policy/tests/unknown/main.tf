# Values known only at apply time: the rules cannot decide, so they report notes
# (`palisade check --verbose` shows them) and no findings.

variable "team_tags" {
  type = map(string)
}

variable "instance_type" {
  type = string
}

variable "owner" {
  type = string
}

resource "alicloud_instance" "app" {
  instance_type         = var.instance_type
  image_id              = "ubuntu_22_04_x64_20G_alibase_20240101.vhd"
  system_disk_encrypted = true
  tags                  = var.team_tags
}

resource "aws_s3_bucket" "data" {
  bucket = "team-data"
  tags = {
    owner         = var.owner
    "cost-center" = "cc-1234"
  }
}
