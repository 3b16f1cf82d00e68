# Every key whose name starts with "team-", and of those the disabled ones.
data "ncp_apigw_api_keys" "team" {
  name_regex = "^team-"
}

data "ncp_apigw_api_keys" "disabled" {
  enabled = false
}

output "team_key_ids" {
  value = data.ncp_apigw_api_keys.team.ids
}
