resource "ncp_apigw_api_key" "mobile_app" {
  name        = "mobile-app"
  description = "Key for the iOS and Android apps"
}

# Created, then disabled: the key exists but API Gateway refuses it.
resource "ncp_apigw_api_key" "partner" {
  name    = "partner-sandbox"
  enabled = false
}

# Regenerates the secondary key in place whenever rotate_trigger changes.
resource "ncp_apigw_api_key" "batch" {
  name            = "nightly-batch"
  rotate_trigger  = "2026-11"
  rotate_key_type = "SECONDARY"
}
