list "ncp_apigw_api_key" "hand_made" {
  provider = ncp

  # The key's attributes, which the generated configuration is made of.
  include_resource = true

  # Terraform lists 100 results by default: allow at least as many as you
  # have keys.
  limit = 1000

  # To import some keys only, filter them:
  # config {
  #   name_regex = "^svc-"
  #   enabled    = true
  # }
}
