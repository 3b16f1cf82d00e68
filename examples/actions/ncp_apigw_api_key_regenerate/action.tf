resource "ncp_apigw_api_key" "partner" {
  name = "partner-sandbox"
}

# On demand:
#   terraform apply -invoke=action.ncp_apigw_api_key_regenerate.partner_secondary
action "ncp_apigw_api_key_regenerate" "partner_secondary" {
  config {
    id       = ncp_apigw_api_key.partner.id
    key_type = "SECONDARY"
  }
}

# Or whenever another resource changes: here, at each new release.
variable "release" {
  type    = string
  default = "2026.11"
}

resource "terraform_data" "release" {
  input = var.release

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.ncp_apigw_api_key_regenerate.partner_secondary]
    }
  }
}
