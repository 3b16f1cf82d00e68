package emulator

import (
	"slices"
	"time"
)

// Key is the emulator's record of one API key, key values included.
type Key struct {
	ID           string    `json:"apiKeyId"`
	TenantID     string    `json:"tenantId"`
	Name         string    `json:"apiKeyName"`
	Description  string    `json:"apiKeyDescription"`
	PrimaryKey   string    `json:"primaryKey"`
	SecondaryKey string    `json:"secondaryKey"`
	Modifier     string    `json:"modifier"`
	Enabled      bool      `json:"isEnabled"`
	ModTime      time.Time `json:"modTime"`
	DomainCode   string    `json:"domainCode"`
}

// The key types regenerate takes.
const (
	keyTypePrimary   = "PRIMARY"
	keyTypeSecondary = "SECONDARY"
)

const (
	idAlphabet  = "abcdefghijklmnopqrstuvwxyz0123456789"
	keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	idLen       = 10
	keyLen      = 40
)

// uniqueLocked draws random strings until it finds one never issued before.
func (e *Emulator) uniqueLocked(alphabet string, n int) string {
	b := make([]byte, n)
	for {
		for i := range b {
			b[i] = alphabet[e.rng.IntN(len(alphabet))]
		}
		if s := string(b); !e.issued[s] {
			e.issued[s] = true
			return s
		}
	}
}

func (e *Emulator) newKeyValueLocked() string { return e.uniqueLocked(keyAlphabet, keyLen) }

// Keys returns a snapshot of every key, in creation order.
func (e *Emulator) Keys() []Key {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Key, len(e.keys))
	for i, k := range e.keys {
		out[i] = *k
	}
	return out
}

// Key returns a copy of the key with the given ID.
func (e *Emulator) Key(id string) (Key, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, ok := e.byID[id]
	if !ok {
		return Key{}, false
	}
	return *k, true
}

// PutKey creates an enabled key directly, as the other account would in the
// console. It neither validates its arguments nor counts in Stats.
func (e *Emulator) PutKey(name, description string) Key {
	return e.put(e.other, name, description)
}

// put creates an enabled key written by who.
func (e *Emulator) put(who account, name, description string) Key {
	e.mu.Lock()
	defer e.mu.Unlock()
	k := &Key{
		ID:           e.uniqueLocked(idAlphabet, idLen),
		TenantID:     e.cfg.TenantID,
		Name:         name,
		Description:  description,
		PrimaryKey:   e.newKeyValueLocked(),
		SecondaryKey: e.newKeyValueLocked(),
		Modifier:     who.modifier,
		Enabled:      true,
		ModTime:      e.stampLocked(),
		DomainCode:   e.cfg.DomainCode,
	}
	e.keys = append(e.keys, k)
	e.byID[k.ID] = k
	return *k
}

// UpdateKey changes a key out of band (rename, disable...) as the other
// account would in the console: the key's Modifier becomes the other
// account's before fn runs (fn may change it), and its ModTime is bumped
// after. fn runs under the emulator's lock, so it must not call the
// Emulator; it cannot change the ID.
func (e *Emulator) UpdateKey(id string, fn func(*Key)) bool {
	_, ok := e.update(e.other, id, fn)
	return ok
}

// update applies fn to the key with the given ID, as written by who, and
// returns the result.
func (e *Emulator) update(who account, id string, fn func(*Key)) (Key, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, ok := e.byID[id]
	if !ok {
		return Key{}, false
	}
	k.Modifier = who.modifier
	fn(k)
	k.ID = id
	k.ModTime = e.stampLocked()
	return *k, true
}

// RegenerateKey replaces the PRIMARY or SECONDARY key value out of band, as
// the other account would in the console. It reports false for an unknown ID
// or key type.
func (e *Emulator) RegenerateKey(id, keyType string) (Key, bool) {
	if keyType != keyTypePrimary && keyType != keyTypeSecondary {
		return Key{}, false
	}
	return e.regenerateAs(e.other, id, keyType)
}

// regenerateAs replaces one key value, keyType being valid. It stamps the
// key (modifier and modTime) as every other write does, unless
// Config.RegenerateKeepsStamp says otherwise.
func (e *Emulator) regenerateAs(who account, id, keyType string) (Key, bool) {
	regenerate := func(k *Key) {
		if keyType == keyTypePrimary {
			k.PrimaryKey = e.newKeyValueLocked()
		} else {
			k.SecondaryKey = e.newKeyValueLocked()
		}
	}
	if !e.cfg.RegenerateKeepsStamp {
		return e.update(who, id, regenerate)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	k, ok := e.byID[id]
	if !ok {
		return Key{}, false
	}
	regenerate(k)
	return *k, true
}

// DeleteKey removes a key out of band, and its subscriptions with it.
func (e *Emulator) DeleteKey(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.byID[id]; !ok {
		return false
	}
	delete(e.byID, id)
	e.keys = slices.DeleteFunc(e.keys, func(k *Key) bool { return k.ID == id })
	e.subs = slices.DeleteFunc(e.subs, func(s *Subscription) bool { return s.APIKeyID == id })
	return true
}
