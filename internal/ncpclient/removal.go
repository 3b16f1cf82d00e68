package ncpclient

import (
	"context"
	"fmt"
)

// removalChecks bounds how often a removal is sent again when NCP still
// shows the item after a successful answer: enough for a removal that NCP
// shows a moment late, few enough to fail fast behind something that
// answers in NCP's place.
const removalChecks = 3

// removeConfirmed sends a removal (a delete, an unsubscribe) and then asks
// NCP whether the item is gone. NCP documents no body for these answers, so
// a success cannot tell NCP from a proxy or a mock answering in its place
// without acting: only NCP saying the item is not there proves it. remove
// reports done when NCP already said the item is gone; gone asks NCP.
func (c *Client) removeConfirmed(ctx context.Context, what string, remove func(context.Context) (done bool, err error), gone func(context.Context) (bool, error)) error {
	for check := 1; ; check++ {
		done, err := remove(ctx)
		if err != nil || done {
			return err
		}
		isGone, err := gone(ctx)
		switch {
		case err != nil:
			return fmt.Errorf("%s: the removal was answered as done, but checking that it was failed: %w", what, err)
		case isGone:
			return nil
		case check >= removalChecks:
			return fmt.Errorf("%s: the removal was answered as done %d times, but NCP still shows it: the answers may not come from NCP's API; check the endpoint, or a proxy in front of it", what, check)
		}
		c.debug(ctx, "NCP API removal answered as done, but the item is still there; sending it again", map[string]any{"what": what, "check": check})
		if err := sleep(ctx, c.backoff(check)); err != nil {
			return fmt.Errorf("%s: NCP still shows it after the removal was answered as done: %w", what, err)
		}
	}
}
