package provider

import (
	"context"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// The polls of a subscription start fast, for the read that follows a
// subscribe on an API that may not list it at once, and slow down to a
// pace fit for waiting minutes on a publisher.
const (
	firstPollDelay = 100 * time.Millisecond
	maxPollDelay   = 10 * time.Second
)

// pollKeyProduct reads a key's product until done holds for it (nil when
// the key is not associated with the product), a read fails, or ctx ends.
// It returns the last product read (nil when none was, or the key was not
// associated with it) and the error that ended it.
func pollKeyProduct(ctx context.Context, client *ncpclient.Client, keyID, productID string, done func(*ncpclient.KeyProduct) bool) (*ncpclient.KeyProduct, error) {
	var last *ncpclient.KeyProduct
	delay := firstPollDelay
	for {
		p, err := client.KeyProduct(ctx, keyID, productID)
		if err != nil {
			return last, err
		}
		last = p
		if done(p) {
			return last, nil
		}
		if err := waitFor(ctx, delay); err != nil {
			return last, err
		}
		delay = min(2*delay, maxPollDelay)
	}
}

// refusedStatus reports whether the publisher turned the key away: the
// statuses NCP lists for that. Any status that is neither this nor
// ACCEPTED, REQUEST included, counts as pending.
func refusedStatus(status string) bool {
	switch status {
	case ncpclient.SubscriptionRejected, ncpclient.SubscriptionDenied, ncpclient.SubscriptionBlocked:
		return true
	}
	return false
}
