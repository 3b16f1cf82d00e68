package ncpclient

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// pageIDs collects the IDs of each page APIKeyPages yields, stopping after
// stopAfter pages (0: none), and the error that ended it.
func pageIDs(c *Client, name string, stopAfter int) ([][]string, error) {
	var pages [][]string
	for page, err := range c.APIKeyPages(context.Background(), name) {
		if err != nil {
			return pages, err
		}
		var ids []string
		for _, k := range page {
			ids = append(ids, k.ID)
		}
		pages = append(pages, ids)
		if len(pages) == stopAfter {
			break
		}
	}
	return pages, nil
}

func TestAPIKeyPagesYieldsEachPageAsTheServerCapsIt(t *testing.T) {
	env := newEnv(t, emulator.Config{MaxPageSize: 7}, nil)
	for i := range 23 {
		env.emu.PutKey(fmt.Sprintf("key-%02d", i), "")
	}
	env.emu.PutKey("other", "")

	pages, err := pageIDs(env.c, "key-", 0)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, p := range pages {
		sizes = append(sizes, len(p))
	}
	if !slices.Equal(sizes, []int{7, 7, 7, 2}) {
		t.Errorf("page sizes %v, want [7 7 7 2]", sizes)
	}
	if n := env.count(emulator.RouteList); n != 4 {
		t.Errorf("%d list requests, want 4", n)
	}
}

func TestAPIKeyPagesFetchesNoPageAfterTheCallerStops(t *testing.T) {
	env := newEnv(t, emulator.Config{MaxPageSize: 5}, nil)
	for i := range 20 {
		env.emu.PutKey(fmt.Sprintf("key-%02d", i), "")
	}

	pages, err := pageIDs(env.c, "", 2)
	if err != nil || len(pages) != 2 {
		t.Fatalf("%d pages, %v; want 2", len(pages), err)
	}
	if n := env.count(emulator.RouteList); n != 2 {
		t.Errorf("%d list requests after the caller stopped at page 2, want 2", n)
	}
}

// A key that moves to a later page while listing (keys were created before
// it, or the order changed) is yielded once, and a page holding only keys
// already yielded is skipped without ending the listing.
func TestAPIKeyPagesYieldsAMovedKeyOnce(t *testing.T) {
	answers := []string{
		`{"apiKeys":[{"apiKeyId":"a"},{"apiKeyId":"b"}],"total":5}`,
		`{"apiKeys":[{"apiKeyId":"b"}],"total":5}`,
		`{"apiKeys":[{"apiKeyId":"c"},{"apiKeyId":"b"}],"total":5}`,
	}
	calls := 0
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answers[min(calls, len(answers)-1)]))
		calls++
	})
	pages, err := pageIDs(newTestClient(t, testConfig(srv.URL+"/api/v1")), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pages); got != "[[a b] [c]]" || calls != 3 {
		t.Errorf("pages %s after %d requests, want [[a b] [c]] after 3", got, calls)
	}
}

func TestAPIKeyPagesEndsWithTheError(t *testing.T) {
	env := newEnv(t, emulator.Config{MaxPageSize: 2}, nil)
	for i := range 5 {
		env.emu.PutKey(fmt.Sprintf("key-%d", i), "")
	}
	env.inject(emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusForbidden, After: 1})

	pages, err := pageIDs(env.c, "", 0)
	if !IsAuth(err) {
		t.Fatalf("error %v, want the API's 403", err)
	}
	if len(pages) != 1 {
		t.Errorf("%d pages before the error, want 1", len(pages))
	}
}

// TestListsWithoutTotalAreReadToAnEmptyPage: an answer without "total" does
// not end the list; only an empty page does.
func TestListsWithoutTotalAreReadToAnEmptyPage(t *testing.T) {
	env := newEnv(t, emulator.Config{OmitListTotal: true, MaxPageSize: 7, SubscriptionSwitches: emulator.SubscriptionSwitches{MaxSubscriptionPageSize: 2}}, nil)
	for i := range 12 {
		env.emu.PutKey(fmt.Sprintf("key-%02d", i), "")
	}
	keys, err := env.c.ListAllAPIKeys(context.Background(), "")
	if err != nil || len(keys) != 12 {
		t.Fatalf("%d keys, %v; want 12", len(keys), err)
	}
	if n := env.count(emulator.RouteList); n != 3 {
		t.Errorf("%d list requests, want 3: 7 keys, 5 keys and the empty page", n)
	}
	pages, err := pageIDs(env.c, "", 0)
	if err != nil || len(pages) != 2 || len(pages[0])+len(pages[1]) != 12 {
		t.Errorf("pages %v, %v; want 12 keys in 2 pages", pages, err)
	}

	key := keys[0].ID
	for i := range 5 {
		p, err := env.emu.PutProduct(emulator.Product{ID: fmt.Sprintf("prod%02d", i), Name: fmt.Sprintf("product-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		if err := env.c.Subscribe(context.Background(), key, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if products, err := env.c.KeyProducts(context.Background(), key); err != nil || len(products) != 5 {
		t.Errorf("%d products, %v; want 5", len(products), err)
	}
}

// TestAServerIgnoringTheOffsetWithoutTotalFails: with no total, only an
// empty page ends a list, which a server that ignores the offset never
// sends: a page of keys already read is an error, not an endless loop.
func TestAServerIgnoringTheOffsetWithoutTotalFails(t *testing.T) {
	calls := 0
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"apiKeys":[{"apiKeyId":"a"},{"apiKeyId":"b"}]}`))
		calls++
	})
	_, err := newTestClient(t, testConfig(srv.URL+"/api/v1")).ListAllAPIKeys(context.Background(), "")
	if err == nil || !strings.Contains(err.Error(), "ignoring the offset") || calls != 2 {
		t.Errorf("after %d requests: %v, want an error after 2", calls, err)
	}
}

// TestAnAnswerWithoutItsListIsNotAnEmptyPage: a total alone is not a page.
func TestAnAnswerWithoutItsListIsNotAnEmptyPage(t *testing.T) {
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"total":3}`))
	})
	c := newTestClient(t, testConfig(srv.URL+"/api/v1"))
	if _, err := c.ListAllAPIKeys(context.Background(), ""); err == nil || !strings.Contains(err.Error(), `no "apiKeys" list`) {
		t.Errorf("list: %v, want an error", err)
	}
	if _, err := c.KeyProducts(context.Background(), "k"); err == nil || !strings.Contains(err.Error(), `no "apiKeyRelateProductDtos" list`) {
		t.Errorf("products: %v, want an error", err)
	}
}
