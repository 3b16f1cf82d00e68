// Command ncp-apigw-emulator serves the NCP API Gateway API-key emulator on
// a local port, for scripts and benchmarks that run outside Go tests.
//
// It prints "listening on http://HOST:PORT" on its first line of output (and
// writes the same URL to -addr-file, if given); the API is under /api/v1 and
// the unsigned control endpoints under /_emulator/. It stops cleanly on
// SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

const (
	envAccessKey = "NCP_EMULATOR_ACCESS_KEY"
	envSecretKey = "NCP_EMULATOR_SECRET_KEY"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Getenv)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "ncp-apigw-emulator:", err)
		os.Exit(1)
	}
}

// options are the parsed command line.
type options struct {
	listen   string
	addrFile string
	config   emulator.Config
	faults   emulator.Faults
}

// parseOptions reads the flags, taking the credentials from the environment
// when the flags leave them out. The environment is not used as the flags'
// defaults because -h prints defaults, and the secret must never be printed.
func parseOptions(args []string, getenv func(string) string) (options, error) {
	var (
		o                             options
		errorRate                     float64
		errorStatus                   int
		errorRoute                    string
		dropCreateRate, dropRegenRate float64
	)
	fs := flag.NewFlagSet("ncp-apigw-emulator", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "address to listen on; port 0 picks a free one")
	fs.StringVar(&o.addrFile, "addr-file", "", "write the base URL to this file once listening")
	fs.StringVar(&o.config.AccessKey, "access-key", "", "access key clients must sign with (default $"+envAccessKey+")")
	fs.StringVar(&o.config.SecretKey, "secret-key", "", "secret key clients must sign with (default $"+envSecretKey+")")
	fs.IntVar(&o.config.MaxPageSize, "max-page-size", 100, "largest page the list returns, whatever limit is asked")
	fs.Int64Var(&o.config.Seed, "seed", 0, "random seed for ids, keys and fault dice; 0 is time-based")
	fs.DurationVar(&o.faults.Latency, "latency", 0, "latency added to every API request")
	fs.DurationVar(&o.faults.LatencyJitter, "latency-jitter", 0, "plus a uniform random latency up to this")
	fs.Float64Var(&errorRate, "error-rate", 0, "probability 0..1 that a request fails with -error-status")
	fs.IntVar(&errorStatus, "error-status", http.StatusServiceUnavailable, "status of -error-rate failures")
	fs.StringVar(&errorRoute, "error-route", "all", "route -error-rate applies to: all, create, get, list, edit, regenerate or delete")
	fs.Float64Var(&o.faults.RateLimit, "rate-limit", 0, "requests per second per access key; 0 is unlimited")
	fs.IntVar(&o.faults.RateBurst, "rate-burst", 0, "rate-limit bucket size; 0 is max(1, rate-limit)")
	fs.Float64Var(&dropCreateRate, "drop-create-rate", 0, "probability 0..1 that a create is committed and its connection dropped")
	fs.Float64Var(&dropRegenRate, "drop-regenerate-rate", 0, "probability 0..1 that a regenerate is committed and its connection dropped")
	fs.DurationVar(&o.faults.ClockOffset, "clock-offset", 0, "how far the emulated server clock runs from the host's")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.config.AccessKey == "" {
		o.config.AccessKey = getenv(envAccessKey)
	}
	if o.config.SecretKey == "" {
		o.config.SecretKey = getenv(envSecretKey)
	}
	if o.config.AccessKey == "" || o.config.SecretKey == "" {
		return options{}, fmt.Errorf("an access key and a secret key are required: -access-key and -secret-key, or $%s and $%s", envAccessKey, envSecretKey)
	}

	if errorRate > 0 {
		route := emulator.Route(errorRoute)
		if errorRoute == "all" {
			route = ""
		}
		o.faults.Faults = append(o.faults.Faults, emulator.Fault{Route: route, Kind: emulator.FaultError, Status: errorStatus, Rate: errorRate})
	}
	if dropCreateRate > 0 {
		o.faults.Faults = append(o.faults.Faults, emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Rate: dropCreateRate})
	}
	if dropRegenRate > 0 {
		o.faults.Faults = append(o.faults.Faults, emulator.Fault{Route: emulator.RouteRegenerate, Kind: emulator.FaultDrop, Rate: dropRegenRate})
	}
	if err := o.faults.Validate(); err != nil {
		return options{}, err
	}
	return o, nil
}

// run serves until ctx is done, then shuts down gracefully. It writes only
// the "listening on" line to stdout, never a key.
func run(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	o, err := parseOptions(args, getenv)
	if err != nil {
		return err
	}
	emu := emulator.New(o.config)
	emu.SetFaults(o.faults)

	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	addr, _ := ln.Addr().(*net.TCPAddr) // a "tcp" listener's address is always one
	url := baseURL(addr)
	if o.addrFile != "" {
		if err := writeFileAtomic(o.addrFile, url+"\n"); err != nil {
			ln.Close()
			return err
		}
	}
	if _, err := fmt.Fprintf(stdout, "listening on %s\n", url); err != nil {
		ln.Close()
		return err
	}

	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// baseURL is the URL clients use. A wildcard address is shown as IPv4
// loopback, which a client can dial and which reaches it.
func baseURL(addr *net.TCPAddr) string {
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(addr.Port))
}

// writeFileAtomic writes via a rename, so that a script polling for the file
// never reads half of it.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".addr-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
