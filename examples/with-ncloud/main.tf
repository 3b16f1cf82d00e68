# Beside NaverCloudPlatform/ncloud, the official provider: it manages API
# Gateway products (ncloud_apigw_product) but not API keys, which this
# provider adds. Their product; our key, subscription and approval.
#
# Needs NaverCloudPlatform/ncloud from the Terraform Registry (terraform
# init), so scripts/validate-examples.sh, which runs offline, formats it but
# does not validate it.
terraform {
  required_providers {
    ncloud = {
      source = "NaverCloudPlatform/ncloud"
    }
    ncp = {
      source = "ncp-community/ncp"
    }
  }
}

# Both take the key pair from NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY.
provider "ncloud" {
  region      = "KR"
  support_vpc = true
}

provider "ncp" {}

resource "ncloud_apigw_product" "partners" {
  product_name      = "partner-api"
  subscription_code = "PROTECTED" # the publisher (this account) approves each key
  description       = "APIs for our partners"
}

# NCP takes subscriptions only to a published product: deploy a stage of an
# API to it (console or NCP's API) before this is applied.
resource "ncp_apigw_api_key" "acme" {
  name        = "partner-acme"
  description = "Acme's key to partner-api"
}

resource "ncp_apigw_api_key_subscription" "acme" {
  api_key_id = ncp_apigw_api_key.acme.id
  product_id = ncloud_apigw_product.partners.id
}

resource "ncp_apigw_product_api_key_approval" "acme" {
  product_id = ncp_apigw_api_key_subscription.acme.product_id
  api_key_id = ncp_apigw_api_key_subscription.acme.api_key_id
  status     = "ACCEPTED"
}
