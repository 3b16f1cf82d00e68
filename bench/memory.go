package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Peak memory comes from two places. Terraform's rusage from wait4 (see
// workspace.run) gives the largest RSS of Terraform and of every process it
// waited for, the providers among them. GNU time, which runs each provider
// in Terraform's place through the wrappers below, gives the largest RSS
// of a provider process alone.

// writeProviderWrappers writes, under the names Terraform looks for, a
// two-line script per provider that runs the real binary under GNU time,
// which appends the provider's peak RSS in KiB to $BENCH_PROVIDER_RSS when
// it exits; the provider keeps Terraform's stdin, stdout and stderr. It
// returns the CLI config whose dev_overrides install the wrappers: no
// `terraform init` is needed, nor possible (the registry is unreachable).
func writeProviderWrappers(dir, gnuTime string, providers map[string]string) (string, error) {
	var err error
	for name, binary := range providers {
		script := fmt.Sprintf("#!/bin/sh\nexec '%s' -f %%M -a -o \"$BENCH_PROVIDER_RSS\" '%s' \"$@\"\n", gnuTime, binary)
		err = errors.Join(err, os.WriteFile(filepath.Join(dir, name), []byte(script), 0o700))
	}
	rc := filepath.Join(dir, "terraform.rc")
	return rc, errors.Join(err, os.WriteFile(rc, fmt.Appendf(nil, `provider_installation {
  dev_overrides {
    "ncp-community/ncp" = %[1]q
    "hashicorp/time"    = %[1]q
  }
  direct {}
}
`, dir), 0o600))
}

// providerPeakKiB reads what the wrappers appended during one command: a
// line per provider process (Terraform starts several), among notes of GNU
// time such as "Command exited with non-zero status 1". No file: no
// provider ran.
func providerPeakKiB(path string) (int, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	peak := 0
	for line := range strings.Lines(string(b)) {
		if kib, err := strconv.Atoi(strings.TrimSpace(line)); err == nil {
			peak = max(peak, kib)
		}
	}
	return peak, err
}
