package ncpclient

import "context"

// The proofs the client decides on, one section each (see
// contributing/reliability.md).

// --- Nothing to revoke: the approval of a subscription to a PUBLIC product.

// approvalNeedsNoRevoke reports whether NCP itself says that productID needs
// no approval, so that a refused revocation leaves nothing granted that the
// publisher could take back: NCP's own product (read with GetProduct) has
// subscription code PUBLIC. Only NCP's answer for this very product proves
// it; a read that fails, or a code that is not PUBLIC, proves nothing, and
// the refusal stands.
func (c *Client) approvalNeedsNoRevoke(ctx context.Context, productID string) bool {
	p, err := c.GetProduct(ctx, productID)
	return err == nil && p.ProductID == productID && p.SubscriptionCode == ProductPublic
}
