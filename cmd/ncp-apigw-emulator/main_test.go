package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"flag"
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

// signedGet sends a GET signed with accessKey and secretKey, computing the
// signature here rather than with the code under test, and returns the status.
func signedGet(t *testing.T, base, uri, accessKey, secretKey string) int {
	t.Helper()
	req, err := http.NewRequest("GET", base+uri, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte("GET " + uri + "\n" + ts + "\n" + accessKey))
	req.Header.Set("x-ncp-apigw-timestamp", ts)
	req.Header.Set("x-ncp-iam-access-key", accessKey)
	req.Header.Set("x-ncp-apigw-signature-v2", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestRunServesUntilCancelled(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "addr")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, stdout := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr-file", addrFile, "-access-key", "AK", "-other-access-key", "AK2", "-faults", `{"faults":[{"route":"get","kind":"html","status":404}]}`}, stdout, io.Discard,
			env(map[string]string{envSecretKey: "SK", envOtherSecretKey: "SK2"}))
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

	// Signed API requests, with the secrets from the environment, and the
	// fault from -faults.
	if status := signedGet(t, base, "/api/v1/api-keys", "AK", "SK"); status != http.StatusOK {
		t.Fatalf("list signed by the main account: %d", status)
	}
	if status := signedGet(t, base, "/api/v1/api-keys", "AK2", "SK2"); status != http.StatusOK {
		t.Fatalf("list signed by the other account: %d", status)
	}
	if status := signedGet(t, base, "/api/v1/api-keys/abc", "AK", "SK"); status != http.StatusNotFound {
		t.Fatalf("get under an HTML 404 fault: %d", status)
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
	}, creds, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	wantConfig := emulator.Config{AccessKey: "AK", SecretKey: "SK", MaxPageSize: 7, Seed: 3, NotFoundStatus: 404, DeleteAnswer: emulator.DeleteNoContent}
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

	o, err = parseOptions([]string{"-access-key", "flag", "-error-rate", "1", "-error-route", "list"}, creds, io.Discard)
	if err != nil || o.config.AccessKey != "flag" || o.faults.Faults[0].Route != emulator.RouteList {
		t.Errorf("flags over environment and -error-route: %+v, %v", o, err)
	}

	for _, bad := range [][]string{
		{"-error-rate", "0.5", "-error-route", "nowhere"},
		{"-error-rate", "2"},
		{"-latency", "-1s"},
		{"-not-found-status", "410"},
		{"-delete-answer", "202"},
		{"-other-access-key", "AK"},
		{"-faults", `{"faults":[{"kind":"explode"}]}`},
		{"-faults", `{"faults":[{"kind":"drop","body":"x"}]}`},
		{"-faults", `{"latency":`},
		{"-faults", "@" + filepath.Join(t.TempDir(), "missing.json")},
		{"stray"},
	} {
		if _, err := parseOptions(bad, creds, io.Discard); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	if _, err := parseOptions(nil, env(map[string]string{envAccessKey: "AK"}), io.Discard); err == nil || strings.Contains(err.Error(), "SK") {
		t.Errorf("no secret key: %v", err)
	}
}

func TestParseOptionsSwitchesAndAccounts(t *testing.T) {
	o, err := parseOptions([]string{
		"-wrapped-get", "-not-found-status", "400", "-numeric-error-codes", "-exact-name-filter",
		"-omit-list-total", "-foreign-unknown-paths", "-delete-answer", "200-object", "-other-access-key", "AK2",
	}, env(map[string]string{envAccessKey: "AK", envSecretKey: "SK", envOtherSecretKey: "SK2"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := emulator.Config{
		AccessKey: "AK", SecretKey: "SK", OtherAccessKey: "AK2", OtherSecretKey: "SK2",
		MaxPageSize: 100, WrappedGet: true, NotFoundStatus: 400, NumericErrorCodes: true,
		ExactNameFilter: true, OmitListTotal: true, ForeignUnknownPaths: true, DeleteAnswer: emulator.DeleteEmptyObject,
	}
	if o.config != want {
		t.Errorf("config %+v, want %+v", o.config, want)
	}

	o, err = parseOptions([]string{"-other-secret-key", "flag"}, env(map[string]string{envAccessKey: "AK", envSecretKey: "SK", envOtherSecretKey: "SK2"}), io.Discard)
	if err != nil || o.config.OtherSecretKey != "flag" || o.config.OtherAccessKey != "" {
		t.Errorf("-other-secret-key over the environment: %+v, %v", o.config, err)
	}
}

// TestHelpPrintsNoSecret: -h lists the flags' defaults, which must not be
// taken from the environment.
func TestHelpPrintsNoSecret(t *testing.T) {
	secrets := map[string]string{envAccessKey: "AK", envSecretKey: "MAIN-SECRET", envOtherSecretKey: "OTHER-SECRET"}
	var usage bytes.Buffer
	_, err := parseOptions([]string{"-h"}, env(secrets), &usage)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(usage.String(), "-other-secret-key") {
		t.Fatalf("-h: %v\n%s", err, usage.String())
	}
	for _, secret := range []string{"MAIN-SECRET", "OTHER-SECRET"} {
		if strings.Contains(usage.String(), secret) {
			t.Errorf("the usage shows %s", secret)
		}
	}
}

func TestFaultsFlag(t *testing.T) {
	creds := env(map[string]string{envAccessKey: "AK", envSecretKey: "SK"})
	const doc = `{"latency":"10ms","rate_limit":5,"faults":[{"route":"create","kind":"twin","count":1},{"kind":"late","delay":"2s"}]}`
	docFaults := []emulator.Fault{
		{Route: emulator.RouteCreate, Kind: emulator.FaultTwin, Count: 1},
		{Kind: emulator.FaultLate, Delay: 2 * time.Second},
	}
	path := filepath.Join(t.TempDir(), "faults.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, value := range []string{doc, "@" + path} {
		o, err := parseOptions([]string{"-faults", value}, creds, io.Discard)
		want := emulator.Faults{Latency: 10 * time.Millisecond, RateLimit: 5, Faults: docFaults}
		if err != nil || !reflect.DeepEqual(o.faults, want) {
			t.Errorf("-faults %.20s: %+v, %v; want %+v", value, o.faults, err, want)
		}
	}

	// The convenience flags override the document's settings, wherever they
	// stand, and add their faults after its own.
	o, err := parseOptions([]string{"-latency", "30ms", "-faults", doc, "-drop-create-rate", "0.5"}, creds, io.Discard)
	want := emulator.Faults{
		Latency:   30 * time.Millisecond,
		RateLimit: 5,
		Faults:    append(docFaults, emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Rate: 0.5}),
	}
	if err != nil || !reflect.DeepEqual(o.faults, want) {
		t.Errorf("-faults with convenience flags: %+v, %v; want %+v", o.faults, err, want)
	}
}

func TestProductsFlag(t *testing.T) {
	creds := env(map[string]string{envAccessKey: "AK", envSecretKey: "SK"})
	const doc = `[{"productId":"weather001","productName":"weather","subscriptionCode":"PROTECTED","apis":[{"apiName":"forecast","stages":[{"stageName":"v1"}]}]},{"productName":"maps"}]`
	path := filepath.Join(t.TempDir(), "products.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, value := range []string{doc, "@" + path} {
		o, err := parseOptions([]string{"-products", value}, creds, io.Discard)
		if err != nil || len(o.products) != 2 || o.products[0].ID != "weather001" || o.products[0].APIs[0].Stages[0].Name != "v1" {
			t.Errorf("-products %.20s: %+v, %v", value, o.products, err)
		}
	}
	for _, bad := range []string{`{"productName":"not an array"}`, `[`, "@" + filepath.Join(t.TempDir(), "missing.json")} {
		if _, err := parseOptions([]string{"-products", bad}, creds, io.Discard); err == nil || !strings.Contains(err.Error(), "-products") {
			t.Errorf("-products %q: %v, want an error naming the flag", bad, err)
		}
	}

	// run seeds them, and refuses products the emulator refuses.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, stdout := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-access-key", "AK", "-products", "@" + path}, stdout, io.Discard, creds)
		stdout.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the first line: %v (run: %v)", err, <-done)
	}
	base := strings.TrimPrefix(strings.TrimSpace(line), "listening on ")
	resp, err := http.Get(base + "/_emulator/products")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"productId":"weather001"`) || !strings.Contains(string(body), `"total":2`) {
		t.Fatalf("seeded products: %s", body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	err = run(context.Background(), []string{"-access-key", "AK", "-products", `[{"productId":"twice00001","productName":"a"},{"productId":"twice00001","productName":"b"}]`}, io.Discard, io.Discard, creds)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("duplicate product IDs: %v", err)
	}
}
