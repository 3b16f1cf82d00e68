// Command terraform-provider-ncp is the Terraform provider for NAVER Cloud
// Platform API Gateway.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ncp-community/terraform-provider-ncp/internal/provider"
)

// The docs are generated from the schemas the provider itself describes:
// the Terraform on PATH may not know every kind (see internal/providerschema).
//go:generate go run ./internal/cmd/providerschema -out bin/providers-schema.json
//go:generate go tool -modfile=tools/go.mod tfplugindocs generate --provider-name ncp --providers-schema bin/providers-schema.json

// version is set by the linker at build time (-X main.version=...).
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/ncp-community/ncp",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
