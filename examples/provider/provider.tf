# Credentials come from NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY (or the other
# sources listed below) unless set here. Never commit a secret key.
provider "ncp" {
  site = "public" # or "gov", "fin"; NCLOUD_SITE
}

# Against the bundled emulator, or any other endpoint:
# provider "ncp" {
#   endpoint   = "http://127.0.0.1:8080/api/v1"
#   access_key = "emulator-access-key"
#   secret_key = "emulator-secret-key"
# }
