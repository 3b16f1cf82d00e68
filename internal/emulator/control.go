package emulator

import (
	"fmt"
	"net/http"
)

// controlPrefix holds the unsigned endpoints that let a benchmark or a script
// drive a standalone emulator the way Go tests drive it through methods.
const controlPrefix = "/_emulator/"

// maxSeedCount bounds one seeding request, to keep a typo from eating memory.
const maxSeedCount = 100_000

func (e *Emulator) controlMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_emulator/stats", func(w http.ResponseWriter, r *http.Request) {
		writeControlJSON(w, e.Stats())
	})
	mux.HandleFunc("POST /_emulator/stats/reset", func(w http.ResponseWriter, r *http.Request) {
		e.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		writeControlJSON(w, e.Faults())
	})
	mux.HandleFunc("PUT /_emulator/faults", e.putFaults)
	mux.HandleFunc("GET /_emulator/keys", func(w http.ResponseWriter, r *http.Request) {
		keys := e.Keys()
		writeControlJSON(w, keyList{APIKeys: keys, Total: len(keys)})
	})
	mux.HandleFunc("POST /_emulator/keys", e.seedKeys)
	mux.HandleFunc("PUT /_emulator/keys/{id}", e.editKey)
	mux.HandleFunc("DELETE /_emulator/keys/{id}", func(w http.ResponseWriter, r *http.Request) {
		if !e.DeleteKey(r.PathValue("id")) {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /_emulator/keys/{id}/regenerate", e.regenerateKey)
	mux.HandleFunc("GET /_emulator/accounts", func(w http.ResponseWriter, r *http.Request) {
		writeControlJSON(w, accounts{
			AccessKey:      e.main.accessKey,
			Modifier:       e.main.modifier,
			OtherAccessKey: e.other.accessKey,
			OtherModifier:  e.other.modifier,
		})
	})
	return mux
}

// accounts is the answer of /_emulator/accounts: who is who, without secrets,
// so that a script can sign as the other account and tell the writers apart.
type accounts struct {
	AccessKey      string `json:"accessKey"`
	Modifier       string `json:"modifier"`
	OtherAccessKey string `json:"otherAccessKey"`
	OtherModifier  string `json:"otherModifier"`
}

// keyList is the answer of the control endpoints for keys: unlike the API's
// list it includes the key values, which here are fake.
type keyList struct {
	APIKeys []Key `json:"apiKeys"`
	Total   int   `json:"total"`
}

func writeControlJSON(w http.ResponseWriter, v any) {
	jsonResponse(http.StatusOK, v).write(w)
}

// decodeRequest reads r's body as a JSON object into v.
func decodeRequest(r *http.Request, v any) error {
	data, err := readBody(r)
	if err != nil {
		return err
	}
	return decodeBody(data, v)
}

func (e *Emulator) putFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if err := decodeRequest(r, &f); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := f.Validate(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	e.SetFaults(f)
	w.WriteHeader(http.StatusNoContent)
}

// seedKeys creates count keys directly, as PutKey does. When count is more
// than 1 the names get a suffix -1, -2, ... so that the name filter has
// something to tell apart; they are not checked against the API's limits.
func (e *Emulator) seedKeys(w http.ResponseWriter, r *http.Request) {
	in := struct {
		Name        string `json:"apiKeyName"`
		Description string `json:"apiKeyDescription"`
		Count       int    `json:"count"`
	}{Name: "seed", Count: 1}
	if err := decodeRequest(r, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if in.Count < 1 || in.Count > maxSeedCount {
		http.Error(w, fmt.Sprintf("count must be 1-%d", maxSeedCount), http.StatusBadRequest)
		return
	}
	keys := make([]Key, in.Count)
	for i := range keys {
		name := in.Name
		if in.Count > 1 {
			name = fmt.Sprintf("%s-%d", in.Name, i+1)
		}
		keys[i] = e.PutKey(name, in.Description)
	}
	writeControlJSON(w, keyList{APIKeys: keys, Total: len(keys)})
}

// editKey changes the fields the request names, as UpdateKey does, and
// answers the key.
func (e *Emulator) editKey(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name        *string `json:"apiKeyName"`
		Description *string `json:"apiKeyDescription"`
		Enabled     *bool   `json:"isEnabled"`
	}
	if err := decodeRequest(r, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	k, ok := e.update(e.other, r.PathValue("id"), func(k *Key) {
		if in.Name != nil {
			k.Name = *in.Name
		}
		if in.Description != nil {
			k.Description = *in.Description
		}
		if in.Enabled != nil {
			k.Enabled = *in.Enabled
		}
	})
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeControlJSON(w, k)
}

// regenerateKey replaces one key value, as RegenerateKey does, and answers
// the key.
func (e *Emulator) regenerateKey(w http.ResponseWriter, r *http.Request) {
	var in struct {
		KeyType string `json:"keyType"`
	}
	if err := decodeRequest(r, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if in.KeyType != keyTypePrimary && in.KeyType != keyTypeSecondary {
		http.Error(w, fmt.Sprintf("keyType must be PRIMARY or SECONDARY, got %q", in.KeyType), http.StatusBadRequest)
		return
	}
	k, ok := e.RegenerateKey(r.PathValue("id"), in.KeyType)
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeControlJSON(w, k)
}
