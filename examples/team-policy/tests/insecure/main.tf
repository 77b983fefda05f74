# Resources that break the team's rules (and none of the built-in security rules).

resource "alicloud_instance" "web" {
  instance_type         = "ecs.g6.large"
  image_id              = "ubuntu_22_04_x64_20G_alibase_20240101.vhd"
  system_disk_encrypted = true
  tags = {
    owner = "web"
  }
}

resource "alicloud_oss_bucket" "logs" {
  bucket = "team-logs"
  server_side_encryption_rule {
    sse_algorithm = "AES256"
  }
}

resource "aws_instance" "batch" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "c5.large"
  root_block_device {
    encrypted = true
  }
  tags = {
    owner         = ""
    "cost-center" = "cc-1234"
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags = {
    Name = "main"
  }
}
