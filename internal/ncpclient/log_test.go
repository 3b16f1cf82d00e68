package ncpclient

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// logRecorder is a Logger keeping every message with its fields rendered.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *logRecorder) log(_ context.Context, msg string, fields map[string]any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, msg+" "+fmt.Sprint(fields))
}

func (r *logRecorder) all() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

// TestLogsAndErrorsHoldNoSecrets runs every operation and failure path with
// a Logger and checks that neither the log nor any error holds the secret
// key, a signature or a key value.
func TestLogsAndErrorsHoldNoSecrets(t *testing.T) {
	f, srv := newFake(t)
	f.skew = 10 * time.Minute // the first request fails authentication
	rec := &logRecorder{}
	cfg := testConfig(srv)
	cfg.Logger = rec.log
	c := newTestClient(t, cfg)
	ctx := context.Background()
	var errs []error
	check := func(op string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", op, err)
		}
	}

	key, err := c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web", Description: "logged description"})
	check("create", err)
	_, err = c.GetAPIKey(ctx, key.ID)
	check("get", err)
	_, err = c.ListAPIKeys(ctx, ListAPIKeysInput{Name: "web"})
	check("list", err)
	_, err = c.ListAllAPIKeys(ctx, "")
	check("list all", err)
	_, err = c.UpdateAPIKey(ctx, key.ID, UpdateAPIKeyInput{Name: "web", Enabled: false})
	check("edit", err)
	_, err = c.RegenerateAPIKey(ctx, key.ID, KeyTypePrimary)
	check("regenerate", err)

	f.fault = failNext("create", 2, fault{kind: faultDrop})
	_, err = c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "lost"})
	check("lost create", err)
	f.fault = failNext("regenerate", 2, fault{kind: faultTruncate})
	_, err = c.RegenerateAPIKey(ctx, key.ID, KeyTypeSecondary)
	check("lost regenerate", err)

	check("delete", c.DeleteAPIKey(ctx, key.ID))
	_, err = c.GetAPIKey(ctx, key.ID)
	if !IsNotFound(err) {
		t.Errorf("get of a deleted key: %v", err)
	}
	errs = append(errs, err)

	// Failures whose bodies hold key values or echo the request.
	leaky := fmt.Sprintf(`<html>proxy error; request had %s: %s; {"primaryKey":"%s"</html>`,
		headerSignature, "{signature}", f.keyValues[0])
	f.fault = func(op string) *fault {
		switch op {
		case "get":
			return &fault{kind: faultRespond, status: 502, body: leaky}
		case "edit":
			return &fault{kind: faultRespond, status: 200, body: `{"apiKey":{"primaryKey":"` + f.keyValues[1] + `"}}`}
		}
		return nil
	}
	other, err := c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "other"})
	check("create other", err)
	_, err = c.GetAPIKey(ctx, other.ID)
	errs = append(errs, err)
	_, err = c.UpdateAPIKey(ctx, other.ID, UpdateAPIKeyInput{Name: "other"})
	errs = append(errs, err)
	f.fault, f.wrongKey = nil, true
	_, err = c.ListAPIKeys(ctx, ListAPIKeysInput{})
	errs = append(errs, err)

	logged := rec.all()
	for _, want := range []string{"clock offset adopted", "lost create response was reconciled",
		`"primaryKey":"***"`, "logged description", "error_code:200", "status:404"} {
		if !strings.Contains(logged, want) {
			t.Errorf("the log lacks %q", want)
		}
	}

	f.mu.Lock()
	secrets := append([]string{testSecretKey}, f.signatures...)
	secrets = append(secrets, f.keyValues...)
	f.mu.Unlock()
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
