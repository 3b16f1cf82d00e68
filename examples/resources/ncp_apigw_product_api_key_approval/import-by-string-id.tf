import {
  to = ncp_apigw_product_api_key_approval.partner
  id = "p9q8r7s6t5/k1l2m3n4o5"
}
