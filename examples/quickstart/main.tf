# The README's quickstart: `make demo` applies this against the bundled
# emulator. With real credentials, drop the endpoint and it runs against NCP.
terraform {
  required_providers {
    ncp = {
      source = "ncp-community/ncp"
    }
  }
}

variable "endpoint" {
  type        = string
  default     = null
  description = "API base URL; null means NCP's public site."
}

variable "rotation" {
  type        = string
  default     = "initial"
  description = "Change it to regenerate the web key's primary key in place."
}

variable "product_id" {
  type        = string
  default     = null
  description = "A product to subscribe the web key to; null subscribes it to none."
}

provider "ncp" {
  endpoint = var.endpoint
}

resource "ncp_apigw_api_key" "web" {
  name           = "quickstart-web"
  description    = "Key for the web front end"
  rotate_trigger = var.rotation
}

resource "ncp_apigw_api_key" "partners" {
  for_each = toset(["acme", "globex"])
  name     = "quickstart-${each.key}"
  enabled  = each.key == "acme"
}

resource "ncp_apigw_api_key_subscription" "web" {
  count      = var.product_id == null ? 0 : 1
  api_key_id = ncp_apigw_api_key.web.id
  product_id = var.product_id
}

data "ncp_apigw_api_keys" "quickstart" {
  name_regex = "^quickstart-"
  depends_on = [ncp_apigw_api_key.web, ncp_apigw_api_key.partners]
}

output "keys" {
  value = { for k in data.ncp_apigw_api_keys.quickstart.api_keys : k.name => k.enabled }
}

output "web_primary_key" {
  value     = ncp_apigw_api_key.web.primary_key
  sensitive = true
}

output "web_subscriptions" {
  value = { for s in ncp_apigw_api_key_subscription.web : s.product_name => s.status }
}
