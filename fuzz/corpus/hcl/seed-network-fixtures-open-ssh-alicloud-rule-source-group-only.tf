resource "alicloud_security_group_rule" "from_group" {
  type              = "ingress"
  ip_protocol       = "tcp"
  nic_type          = "intranet"
  policy            = "accept"
  port_range        = "22/22"
  priority          = 1
  security_group_id = "sg-example"
  source_security_group_id = "sg-bastion"
}
