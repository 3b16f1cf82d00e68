import {
  to = ncp_apigw_api_key.mobile_app
  identity = {
    id = "a1b2c3vg07"
  }
}
