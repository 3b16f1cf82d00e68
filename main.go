// Command terraform-provider-ncp is the Terraform provider for NAVER Cloud
// Platform API Gateway.
package main

import (
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/ncp-community/terraform-provider-ncp/internal/provider"
)

// The docs are generated from the schemas the provider itself describes:
// the Terraform on PATH may not know every kind (see internal/providerschema).
//go:generate go run ./internal/cmd/providerschema -out bin/providers-schema.json
//go:generate go tool -modfile=tools/go.mod tfplugindocs generate --provider-name ncp --providers-schema bin/providers-schema.json

// version is set by the linker at build time (-X main.version=...).
var version = "dev"

// memoryLimit is a soft limit on the provider's heap, unless GOMEMLIMIT
// sets another. The framework copies and converts a large state several
// times once a read returns it, so that listing 10,000 keys holds about
// 30 MB live; with Go's default the heap grows to twice what is live before
// a collection, and the process peaked near 100 MB. Near the limit the
// collector runs earlier: below it, which is almost always, nothing changes.
// It is soft: a larger listing may exceed it, at the cost of more
// collections.
const memoryLimit = 56 << 20

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}

	var opts []tf6server.ServeOpt
	if debugMode {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve("registry.terraform.io/ncp-community/ncp", provider.NewProtocol6(provider.New(version)()), opts...)
	if err != nil {
		log.Fatal(err)
	}
}
