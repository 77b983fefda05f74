resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = "vpc-0example"

  ingress {
    from_port        = 22
    to_port          = 22
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}
