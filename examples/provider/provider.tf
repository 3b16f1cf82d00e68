# Credentials come from NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY (or the other
# sources listed below) unless set here. Never commit a secret key.
provider "ncp" {
  site = "public" # or "gov", "fin"; NCLOUD_SITE
}

# Against the bundled emulator, started as the README's "Your own
# configuration against the emulator" starts it (on 127.0.0.1:18080, with
# NCP_EMULATOR_ACCESS_KEY and NCP_EMULATOR_SECRET_KEY set to these keys):
# provider "ncp" {
#   endpoint   = "http://127.0.0.1:18080/api/v1"
#   access_key = "emulator-access-key"
#   secret_key = "emulator-secret-key"
# }
