resource "ncp_apigw_api_key" "mobile_app" {
  name = "mobile-app"
}

# Every product the key is associated with, and the status of each
# subscription.
data "ncp_apigw_api_key_products" "mobile_app" {
  api_key_id = ncp_apigw_api_key.mobile_app.id
}

# One product, with the API stages the key may call there.
data "ncp_apigw_api_key_products" "weather" {
  api_key_id = ncp_apigw_api_key.mobile_app.id
  product_id = "p9q8r7s6t5"
}

output "pending_products" {
  value = [for p in data.ncp_apigw_api_key_products.mobile_app.products : p.product_name if p.status == "REQUEST"]
}

output "weather_stages" {
  value = [for s in data.ncp_apigw_api_key_products.weather.stages : "${s.api_name}/${s.stage_name}"]
}
