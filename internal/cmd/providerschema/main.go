// Command providerschema writes the schemas of the ncp provider as
// `terraform providers schema -json` does, keyed by the provider's short
// name, under which tfplugindocs looks them up. `go generate` runs it
// before tfplugindocs (see main.go); package providerschema says why.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ncp-community/terraform-provider-ncp/internal/provider"
	"github.com/ncp-community/terraform-provider-ncp/internal/providerschema"
)

func main() {
	out := flag.String("out", "", "the file to write")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	schemas, err := providerschema.Of(context.Background(), provider.New("docs")(), "ncp")
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(schemas, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}
