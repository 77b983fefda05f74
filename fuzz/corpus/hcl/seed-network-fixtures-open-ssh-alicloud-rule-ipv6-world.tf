resource "alicloud_security_group_rule" "ssh6" {
  type              = "ingress"
  ip_protocol       = "tcp"
  nic_type          = "intranet"
  policy            = "accept"
  port_range        = "22/22"
  priority          = 1
  security_group_id = "sg-example"
  ipv6_cidr_ip      = "::/0"
}
