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

// stateStore keeps states for Terraform's http backend in memory, one per
// URL path: GET answers the last POSTed state (404 before the first), DELETE
// forgets it; no lock address, so no LOCK. The scaling measure uses it since
// the local backend rewrites the whole state after every resource, where the
// http backend, like S3 or HCP Terraform, writes it every 20 s and at the end.
// Its methods take a nil store for the local file in the workspace.
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
