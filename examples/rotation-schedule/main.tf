# Rotate a key's primary key every 30 days with hashicorp/time. Each time
# time_rotating rolls over, its id changes, which regenerates the primary key
# in place: the API key's ID and its secondary key stay the same.
terraform {
  required_providers {
    ncp  = { source = "ncp-community/ncp" }
    time = { source = "hashicorp/time" }
  }
}

resource "time_rotating" "monthly" {
  rotation_days = 30
}

resource "ncp_apigw_api_key" "service" {
  name            = "billing-service"
  rotate_trigger  = time_rotating.monthly.id
  rotate_key_type = "PRIMARY"
}
