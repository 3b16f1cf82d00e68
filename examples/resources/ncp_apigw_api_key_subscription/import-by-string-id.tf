import {
  to = ncp_apigw_api_key_subscription.weather
  id = "a1b2c3vg07/p9q8r7s6t5"
}
