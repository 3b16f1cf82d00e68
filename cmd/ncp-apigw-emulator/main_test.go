package main

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestRunServesUntilCancelled(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "addr")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, stdout := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr-file", addrFile, "-access-key", "AK"}, stdout,
			env(map[string]string{envSecretKey: "SK"}))
		stdout.Close()
	}()

	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the first line: %v (run: %v)", err, <-done)
	}
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first line %q", line)
	}
	if data, err := os.ReadFile(addrFile); err != nil || string(data) != base+"\n" {
		t.Fatalf("addr file %q (%v), want %q", data, err, base)
	}

	// A signed API request, with the secret from the environment.
	const uri = "/api/v1/api-keys"
	req, err := http.NewRequest("GET", base+uri, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte("SK"))
	mac.Write([]byte("GET " + uri + "\n" + ts + "\nAK"))
	req.Header.Set("x-ncp-apigw-timestamp", ts)
	req.Header.Set("x-ncp-iam-access-key", "AK")
	req.Header.Set("x-ncp-apigw-signature-v2", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("signed list: %d", resp.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop")
	}
}

func TestParseOptions(t *testing.T) {
	creds := env(map[string]string{envAccessKey: "AK", envSecretKey: "SK"})
	o, err := parseOptions([]string{
		"-max-page-size", "7", "-seed", "3", "-latency", "20ms", "-latency-jitter", "5ms",
		"-error-rate", "0.1", "-error-status", "504", "-rate-limit", "2.5", "-rate-burst", "4",
		"-drop-create-rate", "0.2", "-drop-regenerate-rate", "0.3", "-clock-offset", "-2m",
	}, creds)
	if err != nil {
		t.Fatal(err)
	}
	wantConfig := emulator.Config{AccessKey: "AK", SecretKey: "SK", MaxPageSize: 7, Seed: 3}
	if o.config != wantConfig {
		t.Errorf("config %+v, want %+v", o.config, wantConfig)
	}
	wantFaults := emulator.Faults{
		Latency:       20 * time.Millisecond,
		LatencyJitter: 5 * time.Millisecond,
		Faults: []emulator.Fault{
			{Kind: emulator.FaultError, Status: 504, Rate: 0.1},
			{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Rate: 0.2},
			{Route: emulator.RouteRegenerate, Kind: emulator.FaultDrop, Rate: 0.3},
		},
		RateLimit:   2.5,
		RateBurst:   4,
		ClockOffset: -2 * time.Minute,
	}
	if !reflect.DeepEqual(o.faults, wantFaults) {
		t.Errorf("faults %+v, want %+v", o.faults, wantFaults)
	}

	o, err = parseOptions([]string{"-access-key", "flag", "-error-rate", "1", "-error-route", "list"}, creds)
	if err != nil || o.config.AccessKey != "flag" || o.faults.Faults[0].Route != emulator.RouteList {
		t.Errorf("flags over environment and -error-route: %+v, %v", o, err)
	}

	for _, bad := range [][]string{
		{"-error-rate", "0.5", "-error-route", "nowhere"},
		{"-error-rate", "2"},
		{"-latency", "-1s"},
		{"stray"},
	} {
		if _, err := parseOptions(bad, creds); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	if _, err := parseOptions(nil, env(map[string]string{envAccessKey: "AK"})); err == nil || strings.Contains(err.Error(), "SK") {
		t.Errorf("no secret key: %v", err)
	}
}
