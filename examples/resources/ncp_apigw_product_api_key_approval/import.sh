# A decision is imported by the product's ID and the API key's ID, joined
# by a slash, in the order of NCP's path /products/{product-id}/api-keys/{api-key-id}.
terraform import ncp_apigw_product_api_key_approval.partner p9q8r7s6t5/k1l2m3n4o5
