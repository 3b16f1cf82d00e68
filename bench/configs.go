package main

import (
	"fmt"
	"strings"
)

// The three kinds of resource the overhead measure compares: the provider
// under test and two floors. time_static is a plugin provider doing no I/O,
// so it costs what any plugin costs; terraform_data is built into Terraform,
// so it costs what Terraform itself costs.
const (
	kindNCP           = "ncp"
	kindTimeStatic    = "time_static"
	kindTerraformData = "terraform_data"
)

// kinds is the order in which each overhead run goes through them.
var kinds = []string{kindNCP, kindTimeStatic, kindTerraformData}

// overheadConfig is N resources of one kind, each with one argument that
// differs per instance, as a name does for an API key.
func overheadConfig(kind string, n int) string {
	switch kind {
	case kindNCP:
		return ncpRequired + fmt.Sprintf(`
resource "ncp_apigw_api_key" "bench" {
  count = %d
  name  = "bench-${count.index}"
}
`, n)
	case kindTimeStatic:
		return timeRequired + fmt.Sprintf(`
resource "time_static" "bench" {
  count    = %d
  triggers = { name = "bench-${count.index}" }
}
`, n)
	default: // kindTerraformData
		return fmt.Sprintf(`resource "terraform_data" "bench" {
  count = %d
  input = "bench-${count.index}"
}
`, n)
	}
}

const ncpRequired = `terraform {
  required_providers {
    ncp = { source = "ncp-community/ncp" }
  }
}
`

const timeRequired = `terraform {
  required_providers {
    time = { source = "hashicorp/time" }
  }
}
`

// keySet is the configuration of the request-count scenario: N keys, of
// which key 0 may get a description, key 1 a rotate_trigger (rotating its
// primary key) and key 2 a rotate_trigger with rotate_key_type BOTH from the
// start, so that setting the trigger later is its only change.
type keySet struct {
	n                int
	disabled         bool
	firstDescription string
	triggers         map[int]string // rotate_trigger by key index
}

func (k keySet) config() string {
	var triggers []string
	for i := range k.n {
		if t, ok := k.triggers[i]; ok {
			triggers = append(triggers, fmt.Sprintf("    %q = %q", fmt.Sprint(i), t))
		}
	}
	return ncpRequired + fmt.Sprintf(`
locals {
  rotate_triggers = {
%s
  }
}

resource "ncp_apigw_api_key" "bench" {
  count           = %d
  name            = "bench-${count.index}"
  description     = count.index == 0 ? %q : ""
  enabled         = %t
  rotate_trigger  = lookup(local.rotate_triggers, tostring(count.index), null)
  rotate_key_type = count.index == 2 ? "BOTH" : "PRIMARY"
}
`, strings.Join(triggers, "\n"), k.n, k.firstDescription, !k.disabled)
}

// listConfig reads every key through the list data source.
const listConfig = ncpRequired + `
data "ncp_apigw_api_keys" "all" {}

output "listed" {
  value = length(data.ncp_apigw_api_keys.all.ids)
}
`
