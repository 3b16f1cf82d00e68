package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
)

// When Terraform starts the harness's binary under the provider's name
// (through a symlink in a dev_overrides directory), the binary is a wrapper:
// it runs the real provider as its child and, when the child exits, appends
// the child's peak RSS to a file. The child inherits stdin, stdout and
// stderr, so go-plugin's handshake and gRPC reach Terraform unchanged.
// /usr/bin/time could do the same, but is not on every machine.
const (
	wrapperName     = "terraform-provider-ncp"
	envRealProvider = "BENCH_REAL_PROVIDER" // the provider binary to run
	envRSSFile      = "BENCH_RSS_FILE"      // where to append its peak RSS in bytes
)

// isProviderWrapper reports whether the binary was started as the wrapper.
func isProviderWrapper() bool {
	return filepath.Base(os.Args[0]) == wrapperName
}

// runProviderWrapper runs the real provider and returns its exit code.
func runProviderWrapper() int {
	provider, rssFile := os.Getenv(envRealProvider), os.Getenv(envRSSFile)
	if provider == "" || rssFile == "" {
		fmt.Fprintf(os.Stderr, "%s: this is the bench harness's wrapper; %s and %s must be set\n", wrapperName, envRealProvider, envRSSFile)
		return 1
	}
	cmd := exec.Command(provider, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = childProcAttr()
	// Signals meant for the provider reach the wrapper only; pass them on.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", wrapperName, err)
		return 1
	}
	go func() {
		for sig := range signals {
			_ = cmd.Process.Signal(sig)
		}
	}()
	_ = cmd.Wait() // the exit code below says how it ended
	signal.Stop(signals)
	close(signals)
	if err := appendRSS(rssFile, cmd.ProcessState); err != nil {
		fmt.Fprintf(os.Stderr, "%s: recording peak RSS: %v\n", wrapperName, err)
	}
	if code := cmd.ProcessState.ExitCode(); code >= 0 {
		return code
	}
	return 1 // killed by a signal
}

// appendRSS appends the exited process's peak RSS in bytes as one line.
// Appending lets every provider process of one Terraform command record.
func appendRSS(path string, state *os.ProcessState) error {
	ru, ok := state.SysUsage().(*syscall.Rusage)
	if !ok {
		return fmt.Errorf("no resource usage for this platform")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(f, maxRSSBytes(ru)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
