package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// emulatorProcess is one ncp-apigw-emulator process on a free loopback
// port. The harness runs the real binary rather than the emulator package in
// process so that the provider talks to it over the same kind of socket as
// in `make demo`, and so that the harness's own CPU use stays out of it.
type emulatorProcess struct {
	cmd     *exec.Cmd
	dir     string
	baseURL string // without /api/v1
	exited  chan struct{}
	http    *http.Client
}

const (
	emulatorStartTimeout = 10 * time.Second
	emulatorStopTimeout  = 5 * time.Second
)

// startEmulator starts the emulator with the given extra flags. The
// credentials go through the environment, not the command line, where any
// local user could read them.
func startEmulator(ctx context.Context, binary, parentDir string, creds credentials, flags ...string) (*emulatorProcess, error) {
	dir, err := os.MkdirTemp(parentDir, "emulator-")
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(filepath.Join(dir, "emulator.log"))
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own copy
	addrFile := filepath.Join(dir, "addr")
	args := append([]string{"-listen", "127.0.0.1:0", "-addr-file", addrFile}, flags...)
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(),
		"NCP_EMULATOR_ACCESS_KEY="+creds.accessKey,
		"NCP_EMULATOR_SECRET_KEY="+creds.secretKey,
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = childProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	e := &emulatorProcess{cmd: cmd, dir: dir, exited: make(chan struct{}), http: &http.Client{Timeout: time.Minute}}
	go func() {
		_ = cmd.Wait() // its exit status is of no interest: stop kills it
		close(e.exited)
	}()
	if e.baseURL, err = e.waitForAddr(ctx, addrFile); err != nil {
		e.stop()
		return nil, err
	}
	// The harness only ever sends traffic to this machine.
	if !strings.HasPrefix(e.baseURL, "http://127.0.0.1:") {
		e.stop()
		return nil, fmt.Errorf("the emulator listens on %s, not on 127.0.0.1", e.baseURL)
	}
	return e, nil
}

// waitForAddr polls for the file the emulator writes once it listens.
func (e *emulatorProcess) waitForAddr(ctx context.Context, addrFile string) (string, error) {
	deadline := time.NewTimer(emulatorStartTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if b, err := os.ReadFile(addrFile); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b)), nil
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-e.exited:
			return "", fmt.Errorf("the emulator exited before listening: %s", e.logTail())
		case <-deadline.C:
			return "", fmt.Errorf("the emulator did not listen within %s: %s", emulatorStartTimeout, e.logTail())
		case <-tick.C:
		}
	}
}

func (e *emulatorProcess) logTail() string {
	b, _ := os.ReadFile(filepath.Join(e.dir, "emulator.log"))
	return tail(string(b), 10)
}

// stop ends the emulator: SIGTERM for a clean shutdown, SIGKILL if it takes
// too long. It is safe to call more than once.
func (e *emulatorProcess) stop() {
	select {
	case <-e.exited:
		return
	default:
	}
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-e.exited:
	case <-time.After(emulatorStopTimeout):
		_ = e.cmd.Process.Kill()
		<-e.exited
	}
}

// endpoint is the provider's endpoint setting for this emulator.
func (e *emulatorProcess) endpoint() string {
	return e.baseURL + emulator.BasePath
}

// resetStats zeroes the request counters, before each measured command.
func (e *emulatorProcess) resetStats(ctx context.Context) error {
	return e.control(ctx, http.MethodPost, "/_emulator/stats/reset", nil, nil)
}

// stats returns the counters since the last reset.
func (e *emulatorProcess) stats(ctx context.Context) (emulator.Stats, error) {
	var s emulator.Stats
	err := e.control(ctx, http.MethodGet, "/_emulator/stats", nil, &s)
	return s, err
}

// setFaults replaces the fault configuration; the zero value lifts every
// fault, which lets a destroy after a latency or rate-limit measure run at
// full speed.
func (e *emulatorProcess) setFaults(ctx context.Context, f emulator.Faults) error {
	return e.control(ctx, http.MethodPut, "/_emulator/faults", f, nil)
}

// seed creates count keys directly, without API requests, named
// name-1..name-count.
func (e *emulatorProcess) seed(ctx context.Context, name string, count int) error {
	in := map[string]any{"apiKeyName": name, "count": count}
	return e.control(ctx, http.MethodPost, "/_emulator/keys", in, nil)
}

// control calls one of the emulator's unsigned control endpoints. Answers
// that out does not want (the seeded keys, with their values) are discarded
// unread so that they cannot end up in a log.
func (e *emulatorProcess) control(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.baseURL+path, body)
	if err != nil {
		return err
	}
	resp, err := e.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("emulator %s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
