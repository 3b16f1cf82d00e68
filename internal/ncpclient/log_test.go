package ncpclient

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// TestLogsAndErrorsHoldNoSecrets runs every operation and failure path with
// a Logger and checks that neither the log nor any error holds the secret
// key, a signature or a key value.
func TestLogsAndErrorsHoldNoSecrets(t *testing.T) {
	rec := &logRecorder{}
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.Logger = rec.log })
	env.setClock(10 * time.Minute) // the first request fails authentication
	ctx := context.Background()
	keyValues := map[string]bool{}
	remember := func(keys ...APIKey) {
		for _, k := range keys {
			keyValues[k.PrimaryKey], keyValues[k.SecondaryKey] = true, true
		}
	}
	check := func(op string, key *APIKey, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", op, err)
		}
		if key != nil {
			remember(*key)
		}
		for _, k := range env.emu.Keys() {
			remember(asAPIKey(k))
		}
	}

	key, err := env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web", Description: "logged description"})
	check("create", key, err)
	got, err := env.c.GetAPIKey(ctx, key.ID)
	check("get", got, err)
	_, err = env.c.ListAllAPIKeys(ctx, "")
	check("list all", nil, err)
	got, err = env.c.UpdateAPIKey(ctx, key.ID, UpdateAPIKeyInput{Name: "web", Enabled: false})
	check("edit", got, err)
	got, err = env.c.RegenerateAPIKey(ctx, key.ID, KeyTypePrimary)
	check("regenerate", got, err)

	env.emu.SetFaults(emulator.Faults{ClockOffset: 10 * time.Minute, Faults: []emulator.Fault{
		{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
		{Route: emulator.RouteRegenerate, Kind: emulator.FaultTruncated, Count: 1},
	}})
	got, err = env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "lost"})
	check("lost create", got, err)
	got, err = env.c.RegenerateAPIKey(ctx, key.ID, KeyTypeSecondary)
	check("lost regenerate", got, err)

	var errs []error
	check("delete", nil, env.c.DeleteAPIKey(ctx, key.ID))
	_, err = env.c.GetAPIKey(ctx, key.ID)
	if !IsNotFound(err) {
		t.Errorf("get of a deleted key: %v", err)
	}
	errs = append(errs, err)

	// Failures whose bodies echo the request or hold key values.
	other, err := env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "other"})
	check("create other", other, err)
	env.emu.SetFaults(emulator.Faults{ClockOffset: 10 * time.Minute, Faults: []emulator.Fault{
		{Route: emulator.RouteGet, Kind: emulator.FaultEcho},
		{Route: emulator.RouteEdit, Kind: emulator.FaultReplace, ContentType: "application/json",
			Body: `{"apiKey":{"primaryKey":"` + other.PrimaryKey + `"}}`},
	}})
	_, err = env.c.GetAPIKey(ctx, other.ID)
	errs = append(errs, err)
	_, err = env.c.UpdateAPIKey(ctx, other.ID, UpdateAPIKeyInput{Name: "other"})
	errs = append(errs, err)
	wrong := env.newClient(t, func(cfg *Config) { cfg.SecretKey, cfg.Logger = "a-wrong-secret", rec.log })
	_, err = wrong.ListAPIKeys(ctx, ListAPIKeysInput{})
	errs = append(errs, err)

	logged := rec.all()
	for _, want := range []string{"clock offset adopted", "lost create response was reconciled",
		`"primaryKey":"***"`, "logged description", "error_code:200", "status:404", headerSignature + ": ***"} {
		if !strings.Contains(strings.ToLower(logged), strings.ToLower(want)) {
			t.Errorf("the log lacks %q", want)
		}
	}
	secrets := append([]string{testSecretKey, "a-wrong-secret"}, env.signatures()...)
	for v := range keyValues {
		secrets = append(secrets, v)
	}
	texts := map[string]string{"log": logged}
	for i, err := range errs {
		if err == nil {
			t.Fatalf("failure %d gave no error", i)
		}
		texts[fmt.Sprintf("error %d", i)] = err.Error()
	}
	for where, text := range texts {
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("%s holds the secret %q:\n%s", where, s, text)
			}
		}
	}
}

func TestLongBodiesAreCutInTheLog(t *testing.T) {
	rec := &logRecorder{}
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.Logger = rec.log })
	for i := range 100 {
		env.emu.PutKey(fmt.Sprintf("key-%02d", i), strings.Repeat("d", 50))
	}
	if _, err := env.c.ListAPIKeys(context.Background(), ListAPIKeysInput{}); err != nil {
		t.Fatal(err)
	}
	logged := rec.all()
	if !strings.Contains(logged, "bytes in all)") || len(logged) > 2*maxLoggedBody {
		t.Errorf("a %d-byte log of a long body, want it cut to about %d bytes and marked", len(logged), maxLoggedBody)
	}
}
