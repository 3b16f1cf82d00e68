package ncpclient

import (
	"context"
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
	return func(yield func([]APIKey, error) bool) {
		seen := map[string]bool{}
		var offset int64
		for {
			page, err := c.ListAPIKeys(ctx, ListAPIKeysInput{Name: name, Offset: offset, Limit: c.pageSize})
			if err != nil {
				yield(nil, err)
				return
			}
			offset += int64(len(page.APIKeys))
			last := len(page.APIKeys) == 0 || offset >= page.Total
			fresh := page.APIKeys[:0]
			for _, k := range page.APIKeys {
				if !seen[k.ID] {
					seen[k.ID] = true
					fresh = append(fresh, k)
				}
			}
			if len(fresh) > 0 && !yield(fresh, nil) || last {
				return
			}
		}
	}
}
