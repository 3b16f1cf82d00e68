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

//go:generate go tool -modfile=tools/go.mod tfplugindocs generate --provider-name ncp

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
