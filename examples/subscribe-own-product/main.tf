# A product you publish yourself, which requires approval (PROTECTED): the
# key subscribes, and your account, as the publisher, accepts it.
variable "product_id" {
  type        = string
  description = "ID of one of your products (My Products)."
}

resource "ncp_apigw_api_key" "batch" {
  name = "nightly-batch"
}

resource "ncp_apigw_api_key_subscription" "batch" {
  api_key_id = ncp_apigw_api_key.batch.id
  product_id = var.product_id
}

resource "ncp_apigw_product_api_key_approval" "batch" {
  product_id = ncp_apigw_api_key_subscription.batch.product_id
  api_key_id = ncp_apigw_api_key_subscription.batch.api_key_id
  status     = "ACCEPTED"
}
