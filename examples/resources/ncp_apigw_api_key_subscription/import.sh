# A subscription is imported by the API key's ID and the product's ID,
# joined by a slash. The ncp_apigw_api_key_products data source lists the
# products of a key.
terraform import ncp_apigw_api_key_subscription.weather a1b2c3vg07/p9q8r7s6t5
