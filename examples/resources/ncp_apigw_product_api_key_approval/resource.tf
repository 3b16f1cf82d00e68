# Your own product requires approval (PROTECTED). A partner subscribed its
# key in its own account; accept it.
resource "ncp_apigw_product_api_key_approval" "partner" {
  product_id = "p9q8r7s6t5"
  api_key_id = "k1l2m3n4o5"
  status     = "ACCEPTED"
}

# Your own key, subscribed to your own product in this configuration, and
# approved here too.
resource "ncp_apigw_api_key" "internal" {
  name = "internal-batch"
}

resource "ncp_apigw_api_key_subscription" "internal" {
  api_key_id = ncp_apigw_api_key.internal.id
  product_id = "p9q8r7s6t5"
}

resource "ncp_apigw_product_api_key_approval" "internal" {
  product_id = ncp_apigw_api_key_subscription.internal.product_id
  api_key_id = ncp_apigw_api_key_subscription.internal.api_key_id
  status     = "ACCEPTED"
}
