package ncpclient

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"
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
	f, srv := newFake(t)
	f.maxPage = 7
	for i := range 23 {
		f.seed(fmt.Sprintf("key-%02d", i), time.Now())
	}
	f.seed("other", time.Now())
	c := newTestClient(t, testConfig(srv))

	pages, err := pageIDs(c, "key-", 0)
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
	if n := f.count("list"); n != 4 {
		t.Errorf("%d list requests, want 4", n)
	}
}

func TestAPIKeyPagesFetchesNoPageAfterTheCallerStops(t *testing.T) {
	f, srv := newFake(t)
	f.maxPage = 5
	for i := range 20 {
		f.seed(fmt.Sprintf("key-%02d", i), time.Now())
	}
	c := newTestClient(t, testConfig(srv))

	pages, err := pageIDs(c, "", 2)
	if err != nil || len(pages) != 2 {
		t.Fatalf("%d pages, %v; want 2", len(pages), err)
	}
	if n := f.count("list"); n != 2 {
		t.Errorf("%d list requests after the caller stopped at page 2, want 2", n)
	}
}

// A key that moves to a later page while listing (keys before it were
// deleted, or the order changed) is yielded once, and a page holding only
// keys already yielded is skipped without ending the listing.
func TestAPIKeyPagesYieldsAMovedKeyOnce(t *testing.T) {
	answers := []string{
		`{"apiKeys":[{"apiKeyId":"a"},{"apiKeyId":"b"}],"total":5}`,
		`{"apiKeys":[{"apiKeyId":"b"}],"total":5}`,
		`{"apiKeys":[{"apiKeyId":"c"},{"apiKeyId":"b"}],"total":5}`,
	}
	calls := 0
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, answers[min(calls, len(answers)-1)])
		calls++
	})
	pages, err := pageIDs(newTestClient(t, testConfig(srv)), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pages); got != "[[a b] [c]]" || calls != 3 {
		t.Errorf("pages %s after %d requests, want [[a b] [c]] after 3", got, calls)
	}
}

func TestAPIKeyPagesEndsWithTheError(t *testing.T) {
	calls := 0
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			writeJSON(w, 200, `{"apiKeys":[{"apiKeyId":"a"}],"total":3}`)
			return
		}
		writeJSON(w, 403, `{"error":{"errorCode":"230","message":"Forbidden"}}`)
	})
	pages, err := pageIDs(newTestClient(t, testConfig(srv)), "", 0)
	if err == nil || !IsAuth(err) {
		t.Fatalf("error %v, want the API's 403", err)
	}
	if len(pages) != 1 {
		t.Errorf("%d pages before the error, want 1", len(pages))
	}
}
