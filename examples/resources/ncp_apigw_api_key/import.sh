# An API key is imported by its ID (apiKeyId), shown in the NCP console and
# by the ncp_apigw_api_keys data source.
terraform import ncp_apigw_api_key.mobile_app a1b2c3vg07
