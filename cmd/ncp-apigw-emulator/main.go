// Command ncp-apigw-emulator serves the NCP API Gateway API-key emulator on
// a local port, for scripts and benchmarks that run outside Go tests.
//
// It prints "listening on http://HOST:PORT" on its first line of output (and
// writes the same URL to -addr-file, if given); the API is under /api/v1 and
// the unsigned control endpoints under /_emulator/. It stops cleanly on
// SIGINT or SIGTERM.
//
// Flags choose the accounts (-access-key, -other-access-key; their secrets
// best from the environment), how NCP answers where its docs are ambiguous
// (-wrapped-get, -not-found-status, -numeric-error-codes, -exact-name-filter,
// -omit-list-total, -foreign-unknown-paths, -delete-answer), the products keys may subscribe to (-products) and the
// faults it injects (-faults with a JSON document, or the convenience flags
// such as -error-rate and -latency). Run it with -h for the list.
package main

import (
	"context"
	"encoding/json"
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
	"strings"
	"syscall"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

const (
	envAccessKey      = "NCP_EMULATOR_ACCESS_KEY"
	envSecretKey      = "NCP_EMULATOR_SECRET_KEY"
	envOtherSecretKey = "NCP_EMULATOR_OTHER_SECRET_KEY"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
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
	products []emulator.Product
}

// parseOptions reads the flags, writing their usage to usage on -h or an
// error, and taking the secrets (and the access key)
// from the environment when the flags leave them out. The environment is
// not used as the flags' defaults because -h prints defaults, and a secret
// must never be printed.
//
// -faults gives a whole fault configuration; the convenience flags set
// after it override its settings of the same name, and the faults they make
// (-error-rate, -drop-*-rate) come after its own.
func parseOptions(args []string, getenv func(string) string, usage io.Writer) (options, error) {
	var (
		o                             options
		flagged                       emulator.Faults
		faultsDoc, productsDoc        string
		errorRate                     float64
		errorStatus                   int
		errorRoute                    string
		dropCreateRate, dropRegenRate float64
		deleteAnswer                  string
	)
	fs := flag.NewFlagSet("ncp-apigw-emulator", flag.ContinueOnError)
	fs.SetOutput(usage)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "address to listen on; port 0 picks a free one")
	fs.StringVar(&o.addrFile, "addr-file", "", "write the base URL to this file once listening")
	fs.StringVar(&o.config.AccessKey, "access-key", "", "access key clients must sign with (default $"+envAccessKey+")")
	fs.StringVar(&o.config.SecretKey, "secret-key", "", "secret key clients must sign with (default $"+envSecretKey+")")
	fs.StringVar(&o.config.OtherAccessKey, "other-access-key", "", "access key of a second account of the tenant, who makes the out-of-band changes (default derived from -access-key)")
	fs.StringVar(&o.config.OtherSecretKey, "other-secret-key", "", "secret key that lets the second account use the API too (default $"+envOtherSecretKey+"; unset: it cannot)")
	fs.IntVar(&o.config.MaxPageSize, "max-page-size", 100, "largest page the list returns, whatever limit is asked")
	fs.Int64Var(&o.config.Seed, "seed", 0, "random seed for ids, keys and fault dice; 0 is time-based")
	fs.BoolVar(&o.config.WrappedGet, "wrapped-get", false, `view-one answers {"apiKey":{...}} instead of the documented unwrapped key`)
	fs.IntVar(&o.config.NotFoundStatus, "not-found-status", http.StatusNotFound, "status for a key that does not exist: 404 (code 300) or 400 (code 100, \"API key not found\")")
	fs.BoolVar(&o.config.NumericErrorCodes, "numeric-error-codes", false, "send errorCode as a JSON number instead of a string")
	fs.BoolVar(&o.config.ExactNameFilter, "exact-name-filter", false, "the list's apiKeyName filter matches exactly instead of as a substring")
	fs.BoolVar(&o.config.OmitListTotal, "omit-list-total", false, `leave the documented "total" out of every list answer`)
	fs.BoolVar(&o.config.ForeignUnknownPaths, "foreign-unknown-paths", false, "answer a path the API does not have with a bare HTML 404 page instead of NCP's 404 envelope (code 300)")
	fs.StringVar(&deleteAnswer, "delete-answer", string(emulator.DeleteNoContent), fmt.Sprintf("how a delete answers: %s (no body), %s ({}) or %s (empty body)", emulator.DeleteNoContent, emulator.DeleteEmptyObject, emulator.DeleteEmptyBody))
	fs.StringVar(&faultsDoc, "faults", "", "fault configuration as JSON (as PUT /_emulator/faults takes), or @path of a file holding it")
	fs.StringVar(&productsDoc, "products", "", "products keys may subscribe to: a JSON array of products as POST /_emulator/products takes them, or @path of a file holding one")
	fs.DurationVar(&flagged.Latency, "latency", 0, "latency added to every API request")
	fs.DurationVar(&flagged.LatencyJitter, "latency-jitter", 0, "plus a uniform random latency up to this")
	fs.Float64Var(&errorRate, "error-rate", 0, "probability 0..1 that a request fails with -error-status")
	fs.IntVar(&errorStatus, "error-status", http.StatusServiceUnavailable, "status of -error-rate failures")
	fs.StringVar(&errorRoute, "error-route", "all", "route -error-rate applies to: all, create, get, list, edit, regenerate, delete, subscribe, unsubscribe, key-products, subscription-detail, approval or product-keys")
	fs.Float64Var(&flagged.RateLimit, "rate-limit", 0, "requests per second per access key; 0 is unlimited")
	fs.IntVar(&flagged.RateBurst, "rate-burst", 0, "rate-limit bucket size; 0 is max(1, ceil(rate-limit))")
	fs.Float64Var(&dropCreateRate, "drop-create-rate", 0, "probability 0..1 that a create is committed and its connection dropped")
	fs.Float64Var(&dropRegenRate, "drop-regenerate-rate", 0, "probability 0..1 that a regenerate is committed and its connection dropped")
	fs.DurationVar(&flagged.ClockOffset, "clock-offset", 0, "how far the emulated server clock runs from the host's")
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
	if o.config.OtherSecretKey == "" {
		o.config.OtherSecretKey = getenv(envOtherSecretKey)
	}
	if o.config.AccessKey == "" || o.config.SecretKey == "" {
		return options{}, fmt.Errorf("an access key and a secret key are required: -access-key and -secret-key, or $%s and $%s", envAccessKey, envSecretKey)
	}
	o.config.DeleteAnswer = emulator.DeleteAnswer(deleteAnswer)
	if err := o.config.Validate(); err != nil {
		return options{}, err
	}

	if faultsDoc != "" {
		if err := readJSONFlag("-faults", faultsDoc, &o.faults); err != nil {
			return options{}, err
		}
	}
	if productsDoc != "" {
		if err := readJSONFlag("-products", productsDoc, &o.products); err != nil {
			return options{}, err
		}
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "latency":
			o.faults.Latency = flagged.Latency
		case "latency-jitter":
			o.faults.LatencyJitter = flagged.LatencyJitter
		case "rate-limit":
			o.faults.RateLimit = flagged.RateLimit
		case "rate-burst":
			o.faults.RateBurst = flagged.RateBurst
		case "clock-offset":
			o.faults.ClockOffset = flagged.ClockOffset
		}
	})
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

// readJSONFlag parses the value of the flag name into v: a JSON document,
// or @path of a file holding one.
func readJSONFlag(name, value string, v any) error {
	data := []byte(value)
	if path, ok := strings.CutPrefix(value, "@"); ok {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// run serves until ctx is done, then shuts down gracefully. It writes only
// the "listening on" line to stdout and the usage to stderr, never a key.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	o, err := parseOptions(args, getenv, stderr)
	if err != nil {
		return err
	}
	emu := emulator.New(o.config)
	emu.SetFaults(o.faults)
	for _, p := range o.products {
		if _, err := emu.PutProduct(p); err != nil {
			return fmt.Errorf("-products: %w", err)
		}
	}

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
