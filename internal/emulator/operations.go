package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The documented limits of the API, counted in characters (runes).
const (
	maxNameLen        = 20
	maxDescriptionLen = 50
	defaultPageLimit  = 10 // when a list names no limit
)

// twinDescription is the description of the key FaultTwin has the other
// account create.
const twinDescription = "made by someone else"

// do runs the operation t names, as written by who.
func (e *Emulator) do(t target, query url.Values, body []byte, who account) response {
	switch t.route {
	case RouteCreate:
		return e.create(body, who)
	case RouteGet:
		return e.get(t.id)
	case RouteList:
		return e.list(query)
	case RouteEdit:
		return e.edit(body, t.id, who)
	case RouteRegenerate:
		return e.regenerate(body, t.id, who)
	case RouteDelete:
		return e.delete(t.id)
	default: // the routes of products and subscriptions; resolve makes no other
		return e.doSubscription(t, query, body)
	}
}

func checkLength(field, value string, minLen, maxLen int) error {
	if n := utf8.RuneCountInString(value); n < minLen || n > maxLen {
		return fmt.Errorf("%s must be %d-%d characters, got %d", field, minLen, maxLen, n)
	}
	return nil
}

func checkKeyFields(name, description string) error {
	if err := checkLength("apiKeyName", name, 1, maxNameLen); err != nil {
		return err
	}
	return checkLength("apiKeyDescription", description, 0, maxDescriptionLen)
}

// create answers 200 with the new key, as the documented examples do. A
// FaultTwin or FaultRival strikes between the checks and the commit.
func (e *Emulator) create(body []byte, who account) response {
	var in struct {
		Name        string `json:"apiKeyName"`
		Description string `json:"apiKeyDescription"`
	}
	if err := decodeBody(body, &in); err != nil {
		return e.fail(requestError(err))
	}
	if err := checkKeyFields(in.Name, in.Description); err != nil {
		return e.fail(badRequest(err))
	}
	if f, ok := e.pickFault(RouteCreate, racePhase); ok {
		if f.Kind == FaultRival {
			e.rivalEdit(body)
		} else {
			e.put(e.other, in.Name, twinDescription)
		}
	}
	return jsonResponse(http.StatusOK, keyEnvelope{e.put(who, in.Name, in.Description)})
}

// get answers the key unwrapped, unlike the other operations: that is what
// the documentation shows. Config.WrappedGet wraps it as they do.
func (e *Emulator) get(id string) response {
	k, ok := e.Key(id)
	if !ok {
		return e.keyNotFound()
	}
	if e.cfg.WrappedGet {
		return jsonResponse(http.StatusOK, keyEnvelope{k})
	}
	return jsonResponse(http.StatusOK, k)
}

// list answers one page of the keys whose name matches apiKeyName. The
// documentation does not say whether the filter is exact or partial; by
// default the emulator makes it a case-sensitive substring match, the looser
// choice, so that a client which assumes an exact match is caught out.
// Config.ExactNameFilter plays the other choice.
func (e *Emulator) list(q url.Values) response {
	offset, err := queryInt(q, "offset", 0, 0)
	if err != nil {
		return e.fail(badRequest(err))
	}
	limit, err := queryInt(q, "limit", defaultPageLimit, 1)
	if err != nil {
		return e.fail(badRequest(err))
	}
	name := q.Get("apiKeyName")
	if err := checkLength("apiKeyName", name, 0, maxNameLen); err != nil {
		return e.fail(badRequest(err))
	}
	limit = min(limit, int64(e.cfg.MaxPageSize))
	return jsonResponse(http.StatusOK, e.page(name, offset, limit))
}

// queryInt parses an integer parameter of at least minValue; an absent or
// empty one is def.
func queryInt(q url.Values, name string, def, minValue int64) (int64, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < minValue {
		return 0, fmt.Errorf("%s must be an integer of at least %d, got %q", name, minValue, s)
	}
	return n, nil
}

// matches reports whether a key's name passes the list's filter; an empty
// filter passes every name.
func (e *Emulator) matches(keyName, filter string) bool {
	if e.cfg.ExactNameFilter && filter != "" {
		return keyName == filter
	}
	return strings.Contains(keyName, filter)
}

// page returns the keys whose name matches name, skipping offset of them
// and keeping at most limit.
func (e *Emulator) page(name string, offset, limit int64) keyPage {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := keyPage{APIKeys: []keySummary{}}
	matched := 0
	for _, k := range e.keys {
		if !e.matches(k.Name, name) {
			continue
		}
		if i := int64(matched); i >= offset && i-offset < limit {
			p.APIKeys = append(p.APIKeys, summarize(k))
		}
		matched++
	}
	p.Total, p.InitialCount = e.listTotal(matched), len(p.APIKeys)
	return p
}

// edit replaces the whole editable object: isEnabled and apiKeyName are
// required, and an omitted description clears it.
func (e *Emulator) edit(body []byte, id string, who account) response {
	var in struct {
		Enabled     *bool   `json:"isEnabled"`
		Name        *string `json:"apiKeyName"`
		Description string  `json:"apiKeyDescription"`
	}
	if err := decodeBody(body, &in); err != nil {
		return e.fail(requestError(err))
	}
	switch {
	case in.Enabled == nil:
		return e.fail(badRequest(errors.New("isEnabled is required")))
	case in.Name == nil:
		return e.fail(badRequest(errors.New("apiKeyName is required")))
	}
	if err := checkKeyFields(*in.Name, in.Description); err != nil {
		return e.fail(badRequest(err))
	}
	k, ok := e.update(who, id, func(k *Key) {
		k.Enabled, k.Name, k.Description = *in.Enabled, *in.Name, in.Description
	})
	if !ok {
		return e.keyNotFound()
	}
	return jsonResponse(http.StatusOK, keyEnvelope{k})
}

// regenerate replaces the primary or the secondary key value, not both.
func (e *Emulator) regenerate(body []byte, id string, who account) response {
	var in struct {
		KeyType string `json:"keyType"`
	}
	if err := decodeBody(body, &in); err != nil {
		return e.fail(requestError(err))
	}
	if in.KeyType != keyTypePrimary && in.KeyType != keyTypeSecondary {
		return e.fail(badRequest(fmt.Errorf("keyType must be PRIMARY or SECONDARY, got %q", in.KeyType)))
	}
	k, ok := e.regenerateAs(who, id, in.KeyType)
	if !ok {
		return e.keyNotFound()
	}
	return jsonResponse(http.StatusOK, keyEnvelope{k})
}

// delete answers as Config.DeleteAnswer says: by default 204 with no body.
// With Config.RefuseDeleteSubscribedKey, a key with subscriptions stays.
func (e *Emulator) delete(id string) response {
	if e.cfg.RefuseDeleteSubscribedKey && e.hasSubscriptions(id) {
		return e.fail(badRequest(errors.New("the API key is subscribed to products: unsubscribe it first")))
	}
	if !e.DeleteKey(id) {
		return e.keyNotFound()
	}
	return emptyAnswer(e.cfg.DeleteAnswer)
}

// emptyAnswer is a success without content, in one of the shapes NCP may
// use where it documents none.
func emptyAnswer(a DeleteAnswer) response {
	switch a {
	case DeleteEmptyObject:
		return response{status: http.StatusOK, contentType: "application/json", body: []byte("{}")}
	case DeleteEmptyBody:
		return response{status: http.StatusOK, contentType: "application/json"}
	}
	return response{status: http.StatusNoContent}
}
