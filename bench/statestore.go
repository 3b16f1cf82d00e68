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
	states sync.Map // URL path → []byte
}

func startStateStore() *stateStore {
	s := &stateStore{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			state, _ := s.states.Load(r.URL.Path)
			if b, ok := state.([]byte); ok {
				_, _ = w.Write(b)
			} else {
				http.NotFound(w, r)
			}
		case http.MethodPost:
			state, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			s.states.Store(r.URL.Path, state)
		case http.MethodDelete:
			s.states.Delete(r.URL.Path)
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	}))
	return s
}

// backendConfig is the backend block of the workspace named name.
func (s *stateStore) backendConfig(name string) string {
	return fmt.Sprintf("terraform {\n  backend \"http\" {\n    address = %q\n  }\n}\n", s.URL+"/"+name)
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
		state, _ := s.states.Load("/" + filepath.Base(dir))
		b, _ := state.([]byte)
		return len(b)
	}
	info, err := os.Stat(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		return 0
	}
	return int(info.Size())
}
