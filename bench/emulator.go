package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// emulatorProcess is one bin/ncp-apigw-emulator on a free loopback port:
// the real binary rather than the package in process, so that the provider
// talks to it over a socket as in `make demo`, and the harness's own CPU use
// stays out of it.
type emulatorProcess struct {
	url  string // without /api/v1
	stop func()
}

// startEmulator starts an emulator with extra flags; close stops it, if the
// measure did not. The credentials go through the environment, not the
// command line, where any local user could read them.
func (h *harness) startEmulator(ctx context.Context, flags ...string) (*emulatorProcess, error) {
	ctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(ctx, "bin/ncp-apigw-emulator", append([]string{"-listen", "127.0.0.1:0"}, flags...)...)
	cmd.Env = append(os.Environ(), "NCP_EMULATOR_ACCESS_KEY="+h.accessKey, "NCP_EMULATOR_SECRET_KEY="+h.secretKey)
	var stderr bytes.Buffer
	// The kernel kills the emulator should the harness die, even of a SIGKILL.
	cmd.Stderr, cmd.SysProcAttr = &stderr, &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) } // a clean shutdown,
	cmd.WaitDelay = 5 * time.Second                                          // or SIGKILL after 5 s
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		cancel()
		return nil, err
	}
	e := &emulatorProcess{stop: func() { cancel(); _ = cmd.Wait() }}
	h.emulators = append(h.emulators, e)
	// Its only output is "listening on http://HOST:PORT"; nothing but EOF if it fails.
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") { // traffic stays on this machine
		e.stop()
		return nil, fmt.Errorf("the emulator did not listen on 127.0.0.1: %q %s", line, tail(stderr.String(), 10))
	}
	e.url = url
	return e, nil
}

// control calls one of the emulator's unsigned control endpoints
// (/_emulator/stats, stats/reset, faults and keys). Answers that out does
// not want (the seeded keys, with their values) are discarded unread, so
// that they cannot end up in a log.
func (e *emulatorProcess) control(ctx context.Context, method, path string, in, out any) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, e.url+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
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
