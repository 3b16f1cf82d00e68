# From a new key to a key that can call an API stage. Set product_id to a
# product of the Published APIs catalogue (or of My Products).
variable "product_id" {
  type        = string
  description = "ID of the product whose APIs the key will call."
}

resource "ncp_apigw_api_key" "app" {
  name        = "weather-app"
  description = "Calls the weather product"
}

resource "ncp_apigw_api_key_subscription" "app" {
  api_key_id = ncp_apigw_api_key.app.id
  product_id = var.product_id

  # A PROTECTED product's publisher must accept the key: wait for it,
  # for up to an hour. Leave it out for a PUBLIC product.
  wait_for_approval = true
  timeouts {
    create = "1h"
  }
}

# The stages the key may call, once the subscription is ACCEPTED.
data "ncp_apigw_api_key_products" "app" {
  api_key_id = ncp_apigw_api_key_subscription.app.api_key_id
  product_id = ncp_apigw_api_key_subscription.app.product_id
}

output "status" {
  value = ncp_apigw_api_key_subscription.app.status
}

output "stages" {
  value = [for s in data.ncp_apigw_api_key_products.app.stages : "${s.api_name}/${s.stage_name} (plan: ${s.usage_plan_name})"]
}

output "api_key" {
  value     = ncp_apigw_api_key.app.primary_key
  sensitive = true
}
