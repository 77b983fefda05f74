variable "ports" {
  type    = map(number)
  default = { ssh = 22, web = 443 }
}

variable "env" {
  type    = string
  default = "prod"
}

locals {
  name    = "app-${var.env}"
  cidrs   = ["10.0.0.0/8", "0.0.0.0/0"]
  tags    = merge({ env = var.env }, { owner = upper("team") })
  subnets = [for i, c in local.cidrs : cidrsubnet(c, 8, i) if c != ""]
  lookup  = { for k, v in var.ports : k => v * 2 }
  joined  = join(",", formatlist("%s/%d", keys(var.ports), values(var.ports)))
  text    = <<-EOT
    ${local.name} %{for p in values(var.ports)}${p} %{endfor}
  EOT
}

resource "aws_security_group" "web" {
  for_each = var.ports
  name     = "${local.name}-${each.key}"
  tags     = local.tags

  dynamic "ingress" {
    for_each = local.cidrs
    iterator = cidr
    content {
      from_port   = each.value
      to_port     = each.value
      cidr_blocks = [cidr.value]
    }
  }
}

resource "alicloud_disk" "logs" {
  count     = length(local.cidrs) > 1 ? 2 : 0
  disk_name = "logs-${count.index}"
  encrypted = try(var.missing, false)
  size      = max(20, tonumber("40"))
  policy    = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*" }] })
}

module "logs" {
  source = "./modules/logs"
  owner  = local.name
}

output "ids" {
  value = [for g in aws_security_group.web : g.name]
}
