# A key whose values state does not keep...
resource "ncp_apigw_api_key" "payments" {
  name             = "payments"
  store_key_values = false
}

# ...read at each plan and apply, and kept in neither.
ephemeral "ncp_apigw_api_key" "payments" {
  id = ncp_apigw_api_key.payments.id
}

# A key made outside Terraform, by its exact name.
ephemeral "ncp_apigw_api_key" "partner" {
  name = "partner-sandbox"
}

locals {
  # Ephemeral values may only go to write-only arguments, provider
  # configurations and other ephemeral values.
  payments_headers = {
    "x-ncp-apigw-api-key" = ephemeral.ncp_apigw_api_key.payments.primary_key
  }
}
