resource "aws_launch_template" "web" {
  name          = "web"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "m5d.large"

  # Instance store: not an EBS volume.
  block_device_mappings {
    device_name  = "/dev/sdb"
    virtual_name = "ephemeral0"
  }

  block_device_mappings {
    device_name = "/dev/sdc"
    ebs {
      volume_size = 20
      encrypted   = "true"
    }
  }

  block_device_mappings {
    device_name = "/dev/sdd"
    ebs {
      volume_size = 20
    }
  }

  block_device_mappings {
    device_name = "/dev/sde"
    ebs {
      snapshot_id = "snap-0123456789abcdef0"
    }
  }

  block_device_mappings {
    device_name = "/dev/sdf"
    ebs {
      encrypted = false
    }
  }
}

# No mappings: the root volume comes from the AMI and is not reported.
resource "aws_launch_template" "plain" {
  name     = "plain"
  image_id = "ami-0123456789abcdef0"
}
