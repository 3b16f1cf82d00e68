package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
)

// stateStore keeps states for Terraform's http backend, in memory, one per
// URL path: GET answers the last POSTed state (404 before the first), POST
// stores one, DELETE forgets it. No lock address is configured, so
// Terraform sends no LOCK or UNLOCK.
//
// It is in the scaling measure because the local backend rewrites the whole
// state file after every resource (see contributing/performance.md), where
// the http backend, like S3, azurerm or HCP Terraform, writes it every 20 s
// and at the end of the command.
type stateStore struct {
	*httptest.Server
	mu     sync.Mutex
	states map[string][]byte
}

func startStateStore() *stateStore {
	s := &stateStore{states: map[string][]byte{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

func (s *stateStore) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.Method {
	case http.MethodGet:
		state, ok := s.states[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(state)
	case http.MethodPost:
		state, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.states[r.URL.Path] = state
	case http.MethodDelete:
		delete(s.states, r.URL.Path)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// backendConfig is the backend block of the workspace named name.
func (s *stateStore) backendConfig(name string) string {
	return fmt.Sprintf("terraform {\n  backend \"http\" {\n    address = %q\n  }\n}\n", s.URL+"/"+name)
}

// size is the length of the workspace's last stored state.
func (s *stateStore) size(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.states["/"+name])
}

// The methods below take a nil store for Terraform's default, the local
// file in the workspace.

// where says where the state is kept, for the tables.
func (s *stateStore) where() string {
	if s == nil {
		return "local file"
	}
	return "http backend"
}

// stateBytes is the size of the state of the workspace in dir.
func (s *stateStore) stateBytes(dir string) int {
	if s != nil {
		return s.size(filepath.Base(dir))
	}
	info, err := os.Stat(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		return 0
	}
	return int(info.Size())
}
