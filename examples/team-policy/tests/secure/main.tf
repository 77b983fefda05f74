# Resources that follow the team's rules: every one is tagged, instances use approved types.

locals {
  team_tags = {
    owner         = "platform"
    "cost-center" = "cc-1234"
  }
}

resource "alicloud_instance" "web" {
  instance_type         = "ecs.g7.large"
  image_id              = "ubuntu_22_04_x64_20G_alibase_20240101.vhd"
  system_disk_encrypted = true
  tags                  = local.team_tags
}

resource "alicloud_oss_bucket" "logs" {
  bucket = "team-logs"
  tags   = merge(local.team_tags, { purpose = "logs" })
  server_side_encryption_rule {
    sse_algorithm = "AES256"
  }
}

resource "aws_instance" "batch" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m6i.large"
  root_block_device {
    encrypted = true
  }
  tags = {
    owner         = "batch"
    "cost-center" = "cc-5678"
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = local.team_tags
}
