data "ncp_apigw_api_key" "by_name" {
  name = "mobile-app"
}

data "ncp_apigw_api_key" "by_id" {
  id = "a1b2c3vg07"
}

output "mobile_app_key" {
  value     = data.ncp_apigw_api_key.by_name.primary_key
  sensitive = true
}
