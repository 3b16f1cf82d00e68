terraform {
  required_providers {
    ncp = { source = "ncp-community/ncp" }
  }
}

# Credentials from NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY.
provider "ncp" {}
