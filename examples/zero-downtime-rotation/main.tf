# Zero-downtime rotation: clients use one of the two keys, and Terraform only
# ever rotates the other one.
#
#   1. Clients use the primary key (active_key = "PRIMARY"). Terraform rotates
#      the SECONDARY key when rotation_id changes.
#   2. Deploy the new secondary key to clients and flip active_key to
#      "SECONDARY". Bump rotation_id: now the unused PRIMARY key rotates.
#   3. Repeat. The key clients are using is never regenerated under them.
terraform {
  required_providers {
    ncp = { source = "ncp-community/ncp" }
  }
}

variable "active_key" {
  type        = string
  default     = "PRIMARY"
  description = "The key clients use now: PRIMARY or SECONDARY."
  validation {
    condition     = contains(["PRIMARY", "SECONDARY"], var.active_key)
    error_message = "active_key must be PRIMARY or SECONDARY."
  }
}

variable "rotation_id" {
  type        = string
  description = "Change to rotate the key that clients are not using."
}

resource "ncp_apigw_api_key" "service" {
  name            = "orders-service"
  rotate_trigger  = var.rotation_id
  rotate_key_type = var.active_key == "PRIMARY" ? "SECONDARY" : "PRIMARY"
}

# Publish the key clients should use, e.g. to a secret store.
output "active_key_value" {
  value     = var.active_key == "PRIMARY" ? ncp_apigw_api_key.service.primary_key : ncp_apigw_api_key.service.secondary_key
  sensitive = true
}
