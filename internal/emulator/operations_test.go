package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCreateAnswersTheDocumentedShape(t *testing.T) {
	_, c := newAPI(t, Config{})
	data := c.expect(http.StatusOK, "POST", "/api/v1/api-keys", `{"apiKeyName":"web","apiKeyDescription":"for the web","unknown":1}`)

	outer := decode[map[string]json.RawMessage](t, data)
	if got := fieldNames(outer); !slices.Equal(got, []string{"apiKey"}) {
		t.Fatalf("top-level fields %v, want [apiKey]", got)
	}
	if got := fieldNames(decode[map[string]json.RawMessage](t, outer["apiKey"])); !slices.Equal(got, keyFields) {
		t.Fatalf("key fields %v, want %v", got, keyFields)
	}
	k := *decode[wireEnvelope](t, data).APIKey
	checks := []struct {
		field, value string
		ok           bool
	}{
		{"apiKeyId", k.ID, idPattern.MatchString(k.ID)},
		{"tenantId", k.TenantID, tenantPattern.MatchString(k.TenantID)},
		{"modifier", k.Modifier, modifierPattern.MatchString(k.Modifier)},
		{"modTime", k.ModTime, modTimePattern.MatchString(k.ModTime)},
		{"primaryKey", k.PrimaryKey, keyPattern.MatchString(k.PrimaryKey)},
		{"secondaryKey", k.SecondaryKey, keyPattern.MatchString(k.SecondaryKey)},
		{"domainCode", k.DomainCode, k.DomainCode == "PUB"},
		{"apiKeyName", k.Name, k.Name == "web"},
		{"apiKeyDescription", k.Description, k.Description == "for the web"},
	}
	for _, check := range checks {
		if !check.ok {
			t.Errorf("%s = %q is not as documented", check.field, check.value)
		}
	}
	if !k.Enabled {
		t.Error("a new key is disabled; the API creates keys enabled")
	}
	modTime, err := time.Parse(time.RFC3339, k.ModTime)
	if err != nil || time.Since(modTime).Abs() > 5*time.Second {
		t.Errorf("modTime %s is not now (%v)", k.ModTime, err)
	}
}

func TestViewOneIsUnwrapped(t *testing.T) {
	_, c := newAPI(t, Config{})
	created := c.create("web", "")
	data := c.expect(http.StatusOK, "GET", "/api/v1/api-keys/"+created.ID, "")

	if got := fieldNames(decode[map[string]json.RawMessage](t, data)); !slices.Equal(got, keyFields) {
		t.Fatalf("fields %v, want the key's own fields %v", got, keyFields)
	}
	if got := decode[wireKey](t, data); got != created {
		t.Fatalf("view one = %+v, want what create answered %+v", got, created)
	}
}

func TestWrappedGet(t *testing.T) {
	_, c := newAPI(t, Config{WrappedGet: true})
	created := c.create("web", "")
	data := c.expect(http.StatusOK, "GET", "/api/v1/api-keys/"+created.ID, "")

	if got := fieldNames(decode[map[string]json.RawMessage](t, data)); !slices.Equal(got, []string{"apiKey"}) {
		t.Fatalf("top-level fields %v, want [apiKey]", got)
	}
	if got := decode[wireEnvelope](t, data).APIKey; got == nil || *got != created {
		t.Fatalf("view one = %+v, want what create answered %+v", got, created)
	}
}

func TestListOmitsKeyValues(t *testing.T) {
	_, c := newAPI(t, Config{})
	created := c.create("web", "d")
	data := c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")

	for _, field := range []string{"primaryKey", "secondaryKey", created.PrimaryKey, created.SecondaryKey} {
		if strings.Contains(string(data), field) {
			t.Errorf("list answer contains %q: %s", field, data)
		}
	}
	if got := fieldNames(decode[map[string]json.RawMessage](t, data)); !slices.Equal(got, []string{"apiKeys", "initialCount", "total"}) {
		t.Fatalf("top-level fields %v", got)
	}
	page := decode[wirePage](t, data)
	want := created
	want.PrimaryKey, want.SecondaryKey = "", ""
	if page.Total != 1 || page.InitialCount != 1 || len(page.APIKeys) != 1 || page.APIKeys[0] != want {
		t.Fatalf("page = %+v, want the one key %+v", page, want)
	}
}

func TestEditReplacesTheWholeObject(t *testing.T) {
	_, c := newAPI(t, Config{})
	created := c.create("web", "old description")
	uri := "/api/v1/api-keys/" + created.ID

	env := decode[wireEnvelope](t, c.expect(http.StatusOK, "PUT", uri, `{"isEnabled":false,"apiKeyName":"renamed"}`))
	got := *env.APIKey
	if got.Enabled || got.Name != "renamed" || got.Description != "" {
		t.Fatalf("after edit: %+v; want disabled, renamed, description cleared", got)
	}
	if got.PrimaryKey != created.PrimaryKey || got.SecondaryKey != created.SecondaryKey || got.ID != created.ID {
		t.Fatal("edit changed the id or the key values")
	}
	if viewed := decode[wireKey](t, c.expect(http.StatusOK, "GET", uri, "")); viewed != got {
		t.Fatalf("view after edit = %+v, want %+v", viewed, got)
	}
}

func TestRegenerateChangesOnlyTheChosenKey(t *testing.T) {
	_, c := newAPI(t, Config{})
	before := c.create("web", "")
	uri := "/api/v1/api-keys/" + before.ID

	primary := *decode[wireEnvelope](t, c.expect(http.StatusOK, "PATCH", uri, `{"keyType":"PRIMARY"}`)).APIKey
	if primary.PrimaryKey == before.PrimaryKey || !keyPattern.MatchString(primary.PrimaryKey) {
		t.Errorf("PRIMARY: primary key %q, want a new 40-character key", primary.PrimaryKey)
	}
	if primary.SecondaryKey != before.SecondaryKey {
		t.Error("PRIMARY changed the secondary key")
	}

	secondary := *decode[wireEnvelope](t, c.expect(http.StatusOK, "PATCH", uri, `{"keyType":"SECONDARY"}`)).APIKey
	if secondary.SecondaryKey == before.SecondaryKey || !keyPattern.MatchString(secondary.SecondaryKey) {
		t.Errorf("SECONDARY: secondary key %q, want a new 40-character key", secondary.SecondaryKey)
	}
	if secondary.PrimaryKey != primary.PrimaryKey {
		t.Error("SECONDARY changed the primary key")
	}
	if viewed := decode[wireKey](t, c.expect(http.StatusOK, "GET", uri, "")); viewed != secondary {
		t.Fatalf("view after regenerate = %+v, want %+v", viewed, secondary)
	}
}

func TestDeleteAnswers(t *testing.T) {
	for _, tc := range []struct {
		answer      DeleteAnswer
		status      int
		contentType string
		body        string
	}{
		{"", http.StatusNoContent, "", ""},
		{DeleteNoContent, http.StatusNoContent, "", ""},
		{DeleteEmptyObject, http.StatusOK, "application/json", "{}"},
		{DeleteEmptyBody, http.StatusOK, "application/json", ""},
	} {
		t.Run(string(tc.answer), func(t *testing.T) {
			emu, c := newAPI(t, Config{DeleteAnswer: tc.answer})
			created := c.create("web", "")
			uri := "/api/v1/api-keys/" + created.ID

			status, data, header := c.do("DELETE", uri, "")
			if status != tc.status || string(data) != tc.body || header.Get("Content-Type") != tc.contentType {
				t.Fatalf("delete answered %d %q %q, want %d %q %q", status, header.Get("Content-Type"), data, tc.status, tc.contentType, tc.body)
			}
			c.expectError(http.StatusNotFound, "300", "GET", uri, "")
			if _, ok := emu.Key(created.ID); ok {
				t.Fatal("the key is still in the emulator")
			}
		})
	}
}

func TestUnknownIDIsNotFound(t *testing.T) {
	for _, tc := range []struct {
		notFoundStatus int
		status         int
		code, message  string
	}{
		{0, http.StatusNotFound, "300", "Not Found Exception"},
		{http.StatusNotFound, http.StatusNotFound, "300", "Not Found Exception"},
		{http.StatusBadRequest, http.StatusBadRequest, "100", "Bad Request Exception: API key not found"},
	} {
		t.Run(strconv.Itoa(tc.notFoundStatus), func(t *testing.T) {
			_, c := newAPI(t, Config{NotFoundStatus: tc.notFoundStatus})
			c.create("web", "")
			for _, op := range []struct{ method, body string }{
				{"GET", ""},
				{"PUT", `{"isEnabled":true,"apiKeyName":"x"}`},
				{"PATCH", `{"keyType":"PRIMARY"}`},
				{"DELETE", ""},
			} {
				data := c.expect(tc.status, op.method, "/api/v1/api-keys/nosuchkey0", op.body)
				if got := decode[wireError](t, data).Error; got.Code != tc.code || got.Message != tc.message {
					t.Errorf("%s: error %+v, want %s %q", op.method, got, tc.code, tc.message)
				}
			}
			// A path the API does not have is still a 404.
			c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/nothing", "")
		})
	}
}

func TestInvalidRequestsAreRejectedWithoutChange(t *testing.T) {
	emu, c := newAPI(t, Config{})
	existing := c.create("web", "")
	keyURI := "/api/v1/api-keys/" + existing.ID
	for _, tc := range []struct{ name, method, uri, body string }{
		{"name of 21 runes", "POST", "/api/v1/api-keys", `{"apiKeyName":"` + strings.Repeat("가", 21) + `"}`},
		{"empty name", "POST", "/api/v1/api-keys", `{"apiKeyName":""}`},
		{"missing name", "POST", "/api/v1/api-keys", `{"apiKeyDescription":"d"}`},
		{"description of 51 runes", "POST", "/api/v1/api-keys", `{"apiKeyName":"a","apiKeyDescription":"` + strings.Repeat("é", 51) + `"}`},
		{"invalid JSON", "POST", "/api/v1/api-keys", `{"apiKeyName":`},
		{"JSON array", "POST", "/api/v1/api-keys", `[]`},
		{"JSON null", "POST", "/api/v1/api-keys", `null`},
		{"no body", "POST", "/api/v1/api-keys", ``},
		{"name of the wrong type", "POST", "/api/v1/api-keys", `{"apiKeyName":7}`},
		{"edit without isEnabled", "PUT", keyURI, `{"apiKeyName":"a"}`},
		{"edit without name", "PUT", keyURI, `{"isEnabled":true}`},
		{"edit with name of 21 runes", "PUT", keyURI, `{"isEnabled":true,"apiKeyName":"` + strings.Repeat("a", 21) + `"}`},
		{"bad keyType", "PATCH", keyURI, `{"keyType":"TERTIARY"}`},
		{"lowercase keyType", "PATCH", keyURI, `{"keyType":"primary"}`},
		{"missing keyType", "PATCH", keyURI, `{}`},
		{"limit 0", "GET", "/api/v1/api-keys?limit=0", ""},
		{"negative limit", "GET", "/api/v1/api-keys?limit=-1", ""},
		{"non-numeric offset", "GET", "/api/v1/api-keys?offset=abc", ""},
		{"negative offset", "GET", "/api/v1/api-keys?offset=-1", ""},
		{"filter of 21 runes", "GET", "/api/v1/api-keys?apiKeyName=" + strings.Repeat("a", 21), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.t = t
			c.expectError(http.StatusBadRequest, "100", tc.method, tc.uri, tc.body)
			if keys := emu.Keys(); len(keys) != 1 || keys[0].Name != "web" || keys[0].PrimaryKey != existing.PrimaryKey {
				t.Fatalf("the rejected request changed the keys: %+v", keys)
			}
		})
	}
}

func TestLengthsAreCountedInRunes(t *testing.T) {
	_, c := newAPI(t, Config{})
	name, description := strings.Repeat("가", 20), strings.Repeat("é", 50)
	if k := c.create(name, description); k.Name != name || k.Description != description {
		t.Fatalf("created %+v", k)
	}
}

func TestListPagesAreCappedToMaxPageSize(t *testing.T) {
	emu, c := newAPI(t, Config{MaxPageSize: 3})
	var ids []string
	for i := range 7 {
		ids = append(ids, emu.PutKey(fmt.Sprintf("key-%d", i), "").ID)
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"?limit=5", ids[0:3]},
		{"", ids[0:3]},
		{"?offset=3&limit=100", ids[3:6]},
		{"?offset=6", ids[6:7]},
		{"?offset=2&limit=1", ids[2:3]},
		{"?offset=7", nil},
		{"?offset=9223372036854775807&limit=9223372036854775807", nil},
	} {
		data := c.expect(http.StatusOK, "GET", "/api/v1/api-keys"+tc.query, "")
		page := decode[wirePage](t, data)
		var got []string
		for _, k := range page.APIKeys {
			got = append(got, k.ID)
		}
		if !slices.Equal(got, tc.want) || page.Total != 7 || page.InitialCount != len(tc.want) {
			t.Errorf("%s: ids %v total %d initialCount %d; want ids %v total 7", tc.query, got, page.Total, page.InitialCount, tc.want)
		}
		if tc.want == nil && !strings.Contains(string(data), `"apiKeys":[]`) {
			t.Errorf("%s: an empty page should be an empty array: %s", tc.query, data)
		}
	}
}

func TestListDefaultLimitIsTen(t *testing.T) {
	emu, c := newAPI(t, Config{})
	for i := range 12 {
		emu.PutKey(fmt.Sprint("key-", i), "")
	}
	page := decode[wirePage](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys", ""))
	if len(page.APIKeys) != 10 || page.Total != 12 {
		t.Fatalf("%d keys of %d, want 10 of 12", len(page.APIKeys), page.Total)
	}
}

func TestListWithoutTotal(t *testing.T) {
	emu, c := newAPI(t, Config{OmitListTotal: true, MaxPageSize: 7})
	for i := range 12 {
		emu.PutKey(fmt.Sprint("key-", i), "")
	}
	for query, want := range map[string]int{"?limit=100": 7, "?offset=7&limit=100": 5, "?offset=12": 0} {
		data := c.expect(http.StatusOK, "GET", "/api/v1/api-keys"+query, "")
		if page := decode[wirePage](t, data); len(page.APIKeys) != want || page.APIKeys == nil || strings.Contains(string(data), `"total"`) {
			t.Errorf("%s: %s, want %d keys and no total", query, data, want)
		}
	}
}

func TestListFilterIsCaseSensitiveSubstring(t *testing.T) {
	emu, c := newAPI(t, Config{})
	for _, name := range []string{"web-prod", "db", "web-dev", "WEB-x", "a web b"} {
		emu.PutKey(name, "")
	}
	for _, tc := range []struct {
		query string
		want  []string
		total int
	}{
		{"?apiKeyName=web", []string{"web-prod", "web-dev", "a web b"}, 3},
		{"?apiKeyName=WEB", []string{"WEB-x"}, 1},
		{"?apiKeyName=web-prod", []string{"web-prod"}, 1},
		{"?apiKeyName=", []string{"web-prod", "db", "web-dev", "WEB-x", "a web b"}, 5},
		{"?apiKeyName=web&offset=1&limit=1", []string{"web-dev"}, 3},
		{"?apiKeyName=a%20web", []string{"a web b"}, 1},
		{"?apiKeyName=nothing", nil, 0},
	} {
		page := decode[wirePage](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys"+tc.query, ""))
		var got []string
		for _, k := range page.APIKeys {
			got = append(got, k.Name)
		}
		if !slices.Equal(got, tc.want) || page.Total != tc.total {
			t.Errorf("%s: %v total %d, want %v total %d", tc.query, got, page.Total, tc.want, tc.total)
		}
	}
}

func TestExactNameFilter(t *testing.T) {
	emu, c := newAPI(t, Config{ExactNameFilter: true})
	for _, name := range []string{"web", "web-prod", "WEB", "a web", "web"} {
		emu.PutKey(name, "")
	}
	for _, tc := range []struct {
		query string
		total int
	}{
		{"?apiKeyName=web", 2},
		{"?apiKeyName=WEB", 1},
		{"?apiKeyName=we", 0},
		{"?apiKeyName=", 5},
		{"", 5},
	} {
		page := decode[wirePage](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys"+tc.query, ""))
		if page.Total != tc.total || len(page.APIKeys) != tc.total {
			t.Errorf("%s: %d keys, total %d; want %d", tc.query, len(page.APIKeys), page.Total, tc.total)
		}
		for _, k := range page.APIKeys {
			if want := strings.TrimPrefix(tc.query, "?apiKeyName="); want != "" && k.Name != want {
				t.Errorf("%s listed %q", tc.query, k.Name)
			}
		}
	}
}

func TestKeyValuesAreUnique(t *testing.T) {
	emu, c := newAPI(t, Config{})
	seen := map[string]bool{}
	record := func(values ...string) {
		for _, v := range values {
			if !keyPattern.MatchString(v) {
				t.Fatalf("key %q is not 40 letters and digits", v)
			}
			if seen[v] {
				t.Fatalf("key %q issued twice", v)
			}
			seen[v] = true
		}
	}
	for range 50 {
		k := emu.PutKey("k", "")
		record(k.PrimaryKey, k.SecondaryKey)
	}
	k := c.create("web", "")
	record(k.PrimaryKey, k.SecondaryKey)
	regenerated := decode[wireEnvelope](t, c.expect(http.StatusOK, "PATCH", "/api/v1/api-keys/"+k.ID, `{"keyType":"PRIMARY"}`))
	record(regenerated.APIKey.PrimaryKey)
}

func TestConcurrentCreatesGiveDistinctKeys(t *testing.T) {
	emu, c := newAPI(t, Config{})
	const n = 20
	keys := make([]wireKey, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req := c.newRequest(context.Background(), "POST", "/api/v1/api-keys", fmt.Sprintf(`{"apiKeyName":"k%d"}`, i))
			resp, err := c.hc.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var env wireEnvelope
			if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.APIKey == nil {
				t.Errorf("create %d: status %d, %v", i, resp.StatusCode, err)
				return
			}
			keys[i] = *env.APIKey
		})
	}
	wg.Wait()

	ids, values := map[string]bool{}, map[string]bool{}
	for _, k := range keys {
		ids[k.ID] = true
		values[k.PrimaryKey], values[k.SecondaryKey] = true, true
	}
	if len(ids) != n || len(values) != 2*n {
		t.Fatalf("%d distinct ids and %d distinct key values, want %d and %d", len(ids), len(values), n, 2*n)
	}
	if got := len(emu.Keys()); got != n {
		t.Fatalf("emulator holds %d keys, want %d", got, n)
	}
	if got := emu.Stats().Requests[RouteCreate]; got != n {
		t.Fatalf("counted %d creates, want %d", got, n)
	}
}

// TestWritesRecordTheWriter has each account write through the API: every
// create, edit and regenerate records its writer in modifier.
func TestWritesRecordTheWriter(t *testing.T) {
	const otherSecret = "OTHERSECRET"
	emu, c := newAPI(t, Config{OtherSecretKey: otherSecret})
	other := c.as(emu.OtherAccessKey(), otherSecret)
	mainModifier, otherModifier := Modifier(testAccessKey), Modifier(emu.OtherAccessKey())
	if mainModifier == otherModifier {
		t.Fatal("both accounts have one modifier")
	}

	k := c.create("web", "")
	uri := "/api/v1/api-keys/" + k.ID
	for _, step := range []struct {
		by           *client
		method, body string
		want         string
	}{
		{other, "PUT", `{"isEnabled":true,"apiKeyName":"web2"}`, otherModifier},
		{c, "PATCH", `{"keyType":"PRIMARY"}`, mainModifier},
		{other, "PATCH", `{"keyType":"SECONDARY"}`, otherModifier},
		{c, "PUT", `{"isEnabled":false,"apiKeyName":"web3"}`, mainModifier},
	} {
		answered := decode[wireEnvelope](t, step.by.expect(http.StatusOK, step.method, uri, step.body)).APIKey
		stored, _ := emu.Key(k.ID)
		if answered.Modifier != step.want || stored.Modifier != step.want {
			t.Fatalf("%s %s: modifier answered %s, stored %s; want %s", step.method, step.body, answered.Modifier, stored.Modifier, step.want)
		}
	}
	if k.Modifier != mainModifier {
		t.Errorf("the main account's create recorded %s, want %s", k.Modifier, mainModifier)
	}
	if theirs := other.create("theirs", ""); theirs.Modifier != otherModifier {
		t.Errorf("the other account's create recorded %s, want %s", theirs.Modifier, otherModifier)
	}
}
