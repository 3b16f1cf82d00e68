# Every key, by identity: `terraform query` lists up to limit results (100
# by default).
list "ncp_apigw_api_key" "all" {
  provider = ncp
  limit    = 1000
}

# The enabled keys whose names start with svc-, with their attributes, as
# `terraform query -generate-config-out=keys.tf` needs them.
list "ncp_apigw_api_key" "services" {
  provider         = ncp
  include_resource = true
  limit            = 1000

  config {
    name_regex = "^svc-"
    enabled    = true
  }
}
