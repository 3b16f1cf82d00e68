resource "ncp_apigw_api_key" "mobile_app" {
  name = "mobile-app"
}

# A product that needs no approval (PUBLIC): the subscription is ACCEPTED
# at once.
resource "ncp_apigw_api_key_subscription" "weather" {
  api_key_id = ncp_apigw_api_key.mobile_app.id
  product_id = "p9q8r7s6t5"
}

# A product whose publisher, in another account, approves each key
# (PROTECTED): wait up to 30 minutes for the approval, and fail if the
# publisher refuses.
resource "ncp_apigw_api_key_subscription" "partner_maps" {
  api_key_id        = ncp_apigw_api_key.mobile_app.id
  product_id        = "m4n5b6v7c8"
  wait_for_approval = true

  timeouts {
    create = "30m"
  }
}

output "partner_maps_status" {
  value = ncp_apigw_api_key_subscription.partner_maps.status
}
