package ncpclient

import (
	"context"
	"fmt"
	"iter"
)

// APIKeyPages reads the keys whose names pass the server's filter (all keys
// for an empty name) one page at a time, paging as ListAllAPIKeys does, for
// callers that handle each page before the next is fetched: streaming to
// Terraform, or stopping once they have enough. Breaking out of the range
// loop fetches no further page. Each page holds the keys no earlier page
// held, so a key that moves between pages while listing comes once; a page
// with none is skipped. A failed request ends the sequence with its error.
func (c *Client) APIKeyPages(ctx context.Context, name string) iter.Seq2[[]APIKey, error] {
	return pages("API keys", func(offset int64) (listPage[APIKey], error) {
		page, err := c.ListAPIKeys(ctx, ListAPIKeysInput{Name: name, Offset: offset, Limit: c.pageSize})
		if err != nil {
			return listPage[APIKey]{}, err
		}
		return listPage[APIKey]{items: page.APIKeys, total: page.reportedTotal()}, nil
	}, func(k APIKey) string { return k.ID })
}

// listPage is one page of a list as decoded: its items and, when the
// answer reported one, the list's total.
type listPage[T any] struct {
	items []T
	total *int64
}

// pages reads a list of what (for errors) page by page from offset 0, each
// next offset the previous plus the length of the page got, since the
// server may cap pages silently, and yields the items each page adds. It
// stops at an empty page, or once the offset reaches the reported total,
// whichever comes first; an answer without a total is paged until an empty
// page. An item already yielded (one that moved between pages) is not
// yielded again, and a page that adds none is skipped, unless the answers
// report no total: then such a page is an error, since a server that
// ignores the offset would otherwise be read forever. A failed request ends
// the sequence with its error.
func pages[T any](what string, readPage func(offset int64) (listPage[T], error), id func(T) string) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		seen := map[string]bool{}
		var offset int64
		for {
			page, err := readPage(offset)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(page.items) == 0 {
				return
			}
			var fresh []T
			for _, item := range page.items {
				if k := id(item); !seen[k] {
					seen[k] = true
					fresh = append(fresh, item)
				}
			}
			if len(fresh) == 0 && page.total == nil {
				yield(nil, fmt.Errorf("listing %s: the page at offset %d holds only items of earlier pages, and the answer reports no total: "+
					"the API may be ignoring the offset, so the list cannot be read to its end", what, offset))
				return
			}
			offset += int64(len(page.items))
			if len(fresh) > 0 && !yield(fresh, nil) {
				return
			}
			if page.total != nil && offset >= *page.total {
				return
			}
		}
	}
}

// collect reads every item of a list, or, when stop is not nil, up to the
// page that holds an item for which it holds. When a request fails, it
// returns the items read before, with the error.
func collect[T any](list iter.Seq2[[]T, error], stop func(T) bool) ([]T, error) {
	var all []T
	for page, err := range list {
		if err != nil {
			return all, err
		}
		all = append(all, page...)
		for _, item := range page {
			if stop != nil && stop(item) {
				return all, nil
			}
		}
	}
	return all, nil
}
