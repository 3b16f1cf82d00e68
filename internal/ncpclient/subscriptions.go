package ncpclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// The statuses of a key's subscription to a product. NCP lists them only on
// its page of a product's keys, and other values may come: only
// SubscriptionAccepted lets the key call the product's stages.
const (
	SubscriptionRequested = "REQUEST" // awaiting the publisher's approval
	SubscriptionAccepted  = "ACCEPTED"
	SubscriptionRejected  = "REJECTED"
	SubscriptionDenied    = "DENY"
	SubscriptionBlocked   = "BLOCKED_REQUEST"
)

var errEmptyProductID = errors.New("the product ID is empty")

// KeyProduct is one of the products an API key is associated with, and the
// status of the key's subscription to it.
type KeyProduct struct {
	ProductID          string
	ProductName        string
	ProductDescription string
	PublisherID        string
	Status             string
	// RegTime and ModTime are as the API wrote them: NCP's pages show two
	// formats.
	RegTime string
	ModTime string
	// SelfProduct reports whether the key's own tenant publishes the
	// product; nil when the API leaves it out, as NCP's specification does.
	SelfProduct *bool
}

// SubscribedStage is a stage of an API that a subscribed key may call, and
// the usage plan that applies to the key there.
type SubscribedStage struct {
	APIID         string `json:"apiId"`
	APIName       string `json:"apiName"`
	StageID       string `json:"stageId"`
	StageName     string `json:"stageName"`
	UsagePlanID   string `json:"usagePlanId"`
	UsagePlanName string `json:"usagePlanName"`
}

// Subscribe subscribes a key to a product. The answer, which NCP does not
// document, is not read: any 2xx with an empty or JSON body is success.
//
// The API has no idempotency token, and a second subscribe is refused, so
// a subscribe is never repeated blindly: when an attempt's outcome is
// unknown (anything but NCP's refusal, see "Not created" in evidence.go:
// a 5xx, a page that is not NCP's, a lost connection, a body that is not
// JSON, a timeout), the key's products are read
// first, and a listed product, whatever its status, means the attempt took
// effect. A refusal (HTTP 400 or 409) is checked the same way: after an
// uncertain attempt it is the echo of that attempt, and otherwise an
// *AlreadySubscribedError when the product is listed.
func (c *Client) Subscribe(ctx context.Context, keyID, productID string) error {
	body, err := subscriptionBody(keyID, productID)
	if err != nil {
		return err
	}
	uncertain := false
	err = c.do(ctx, &call{
		method: http.MethodPost,
		url:    c.target(nil, apiKeysPath, keyID, "subscribe"),
		body:   body,
		decode: decodeDeleted,
		onAmbiguous: func(ctx context.Context, cause error) (bool, error) {
			uncertain = true
			ctx, cancel := withGrace(ctx, reconcileGrace)
			defer cancel()
			p, err := c.KeyProduct(ctx, keyID, productID)
			if err != nil {
				return false, &AmbiguousSubscribeError{APIKeyID: keyID, ProductID: productID, Cause: cause, Err: err}
			}
			c.debug(ctx, "NCP API lost subscribe checked", map[string]any{"api_key_id": keyID, "product_id": productID, "subscribed": p != nil})
			return p != nil, nil
		},
	})
	if !refusedByNCP(err) {
		return err
	}
	p, lookErr := c.KeyProduct(ctx, keyID, productID)
	switch {
	case lookErr != nil || p == nil:
		return err
	case uncertain:
		return nil
	}
	return &AlreadySubscribedError{APIKeyID: keyID, ProductID: productID, Status: p.Status, Err: err}
}

// Unsubscribe removes a key's subscription to a product, whatever its
// status. A subscription that is gone is not an error: NCP's "not found"
// (the key, the product or the subscription is missing; see IsNotFound)
// means done, and
// after any other refusal from NCP (HTTP 4xx) one read of the key's
// products tells whether the product is still listed. A success is
// confirmed by that read too (see removeConfirmed).
func (c *Client) Unsubscribe(ctx context.Context, keyID, productID string) error {
	body, err := subscriptionBody(keyID, productID)
	if err != nil {
		return err
	}
	gone := func(ctx context.Context) (bool, error) {
		p, err := c.KeyProduct(ctx, keyID, productID)
		if IsNotFound(err) {
			return true, nil
		}
		return err == nil && p == nil, err
	}
	return c.removeConfirmed(ctx, fmt.Sprintf("unsubscribing API key %s from product %s", keyID, productID),
		func(ctx context.Context) (bool, error) {
			err := c.do(ctx, &call{
				method: http.MethodPost,
				url:    c.target(nil, apiKeysPath, keyID, "unsubscribe"),
				body:   body,
				decode: decodeDeleted,
			})
			var apiErr *Error
			switch {
			case err == nil:
				return false, nil
			case IsNotFound(err):
				return true, nil
			case !errors.As(err, &apiErr) || !apiErr.fromNCP() || apiErr.StatusCode < 400 || apiErr.StatusCode >= 500 || IsAuth(err) || IsThrottled(err):
				return false, err
			}
			// NCP refused it: perhaps because the subscription is gone.
			if isGone, lookErr := gone(ctx); lookErr == nil && isGone {
				return true, nil
			}
			return false, err
		},
		gone)
}

// refusedByNCP reports whether err is NCP refusing a request as a bad one
// (HTTP 400 or 409), as it refuses a second subscribe; a failed check of a
// lost subscribe is not.
func refusedByNCP(err error) bool {
	var apiErr *Error
	var ambiguous *AmbiguousSubscribeError
	return err != nil && !errors.As(err, &ambiguous) && errors.As(err, &apiErr) && apiErr.fromNCP() &&
		(apiErr.StatusCode == http.StatusBadRequest || apiErr.StatusCode == http.StatusConflict)
}

func subscriptionBody(keyID, productID string) ([]byte, error) {
	switch {
	case keyID == "":
		return nil, errEmptyID
	case productID == "":
		return nil, errEmptyProductID
	}
	return json.Marshal(struct {
		ProductID string `json:"productId"`
	}{productID})
}

// KeyProducts reads every product a key is associated with, whatever the
// status, paging as ListAllAPIKeys does.
func (c *Client) KeyProducts(ctx context.Context, keyID string) ([]KeyProduct, error) {
	return c.keyProducts(ctx, keyID, "")
}

// KeyProduct finds one product among a key's products, reading pages until
// it is found; nil means the key is not associated with it. A key that does
// not exist is an error for which IsNotFound holds.
func (c *Client) KeyProduct(ctx context.Context, keyID, productID string) (*KeyProduct, error) {
	if productID == "" {
		return nil, errEmptyProductID
	}
	products, err := c.keyProducts(ctx, keyID, productID)
	if err != nil {
		return nil, err
	}
	for i := range products {
		if products[i].ProductID == productID {
			return &products[i], nil
		}
	}
	return nil, nil
}

// keyProducts reads a key's products, stopping at the page that lists
// productID when it is not empty.
func (c *Client) keyProducts(ctx context.Context, keyID, productID string) ([]KeyProduct, error) {
	if keyID == "" {
		return nil, errEmptyID
	}
	readPage := func(offset int64) (page listPage[KeyProduct], err error) {
		err = c.do(ctx, &call{
			method: http.MethodGet,
			url:    c.target(c.pageQuery(offset), apiKeysPath, keyID, "products"),
			decode: func(b []byte) (err error) {
				page, err = decodeKeyProducts(b)
				return err
			},
		})
		return page, err
	}
	id := func(p KeyProduct) string { return p.ProductID }
	return collect(pages("the products of API key "+keyID, readPage, id), stopAt(productID, id))
}

// SubscribedStages reads every stage a key may call in a product, with the
// usage plan that applies there (subscription-detail). A subscription that
// is not accepted may reach none.
func (c *Client) SubscribedStages(ctx context.Context, keyID, productID string) ([]SubscribedStage, error) {
	switch {
	case keyID == "":
		return nil, errEmptyID
	case productID == "":
		return nil, errEmptyProductID
	}
	readPage := func(offset int64) (page listPage[SubscribedStage], err error) {
		q := c.pageQuery(offset)
		q.Set("productId", productID)
		err = c.do(ctx, &call{
			method: http.MethodGet, // NCP's example sends POST; its table, and the client, GET
			url:    c.target(q, apiKeysPath, keyID, "subscription-detail"),
			decode: func(b []byte) (err error) {
				page, err = decodeStages(b)
				return err
			},
		})
		return page, err
	}
	what := fmt.Sprintf("the stages of API key %s in product %s", keyID, productID)
	return collect(pages(what, readPage, func(s SubscribedStage) string { return s.APIID + "/" + s.StageID }), nil)
}

// SetSubscriptionStatus is the publisher's decision on a key's subscription
// to one of its products: SubscriptionAccepted or SubscriptionRejected.
// Setting the status a subscription already has succeeds, so a decision
// whose answer was lost is retried. A key without a subscription, or a
// product that is not the caller's or needs no approval, is NCP's error.
func (c *Client) SetSubscriptionStatus(ctx context.Context, productID, keyID, status string) error {
	switch {
	case productID == "":
		return errEmptyProductID
	case keyID == "":
		return errEmptyID
	case status != SubscriptionAccepted && status != SubscriptionRejected:
		return fmt.Errorf("the status of a subscription is set to %s or %s, not %q", SubscriptionAccepted, SubscriptionRejected, status)
	}
	body, err := json.Marshal(struct {
		Status string `json:"status"`
	}{status})
	if err != nil {
		return err
	}
	return c.do(ctx, &call{
		method: http.MethodPatch,
		url:    c.target(nil, productsPath, productID, apiKeysPath, keyID),
		body:   body,
		decode: decodeDeleted,
	})
}

// SubscriberStatus reads the status of a key's subscription to a product,
// as the product's publisher sees it; found is false when the key is not
// subscribed. NCP's answer carries the subscribers' key values: only IDs
// and statuses are decoded, and the debug log redacts the rest.
func (c *Client) SubscriberStatus(ctx context.Context, productID, keyID string) (status string, found bool, err error) {
	switch {
	case productID == "":
		return "", false, errEmptyProductID
	case keyID == "":
		return "", false, errEmptyID
	}
	readPage := func(offset int64) (page listPage[subscriber], err error) {
		body, err := json.Marshal(struct {
			APIKeyID string `json:"apiKeyId"`
			Offset   int64  `json:"offset"`
			Limit    int64  `json:"limit"`
		}{keyID, offset, c.pageSize})
		if err != nil {
			return page, err
		}
		err = c.do(ctx, &call{
			method: http.MethodPost, // a search: it changes nothing
			url:    c.target(nil, productsPath, productID, apiKeysPath, "search"),
			body:   body,
			decode: func(b []byte) (err error) {
				page, err = decodeSubscribers(b)
				return err
			},
		})
		return page, err
	}
	// The filter is NCP's: the key is looked for among what it answers.
	id := func(s subscriber) string { return s.APIKeyID }
	subscribers, err := collect(pages("the API keys of product "+productID, readPage, id), stopAt(keyID, id))
	if err != nil {
		return "", false, err
	}
	for _, s := range subscribers {
		if s.APIKeyID == keyID {
			return s.Status, true, nil
		}
	}
	return "", false, nil
}

const productsPath = "products"

// pageQuery asks for the page at offset, of the client's page size.
func (c *Client) pageQuery(offset int64) url.Values {
	q := url.Values{}
	q.Set("offset", strconv.FormatInt(offset, 10))
	q.Set("limit", strconv.FormatInt(c.pageSize, 10))
	return q
}

// stopAt stops collecting a list at the page that holds the item whose ID
// is target; an empty target stops nowhere.
func stopAt[T any](target string, id func(T) string) func(T) bool {
	if target == "" {
		return nil
	}
	return func(item T) bool { return id(item) == target }
}

// AlreadySubscribedError reports a subscribe that NCP refused because the
// key is already associated with the product, by someone else or by an
// earlier run whose result was not recorded.
type AlreadySubscribedError struct {
	APIKeyID  string
	ProductID string
	Status    string // of the existing subscription
	Err       error  // NCP's refusal
}

func (e *AlreadySubscribedError) Error() string {
	return fmt.Sprintf("API key %s is already subscribed to product %s (status %s): %v", e.APIKeyID, e.ProductID, e.Status, e.Err)
}

func (e *AlreadySubscribedError) Unwrap() error { return e.Err }

// AmbiguousSubscribeError reports a subscribe whose answer was lost and
// whose outcome could not be checked: the key may be subscribed.
type AmbiguousSubscribeError struct {
	APIKeyID  string
	ProductID string
	Cause     error // how the answer was lost
	Err       error // why the check failed
}

func (e *AmbiguousSubscribeError) Error() string {
	return fmt.Sprintf("subscribing API key %s to product %s: the API's answer was lost (%v) and reading the key's products to check failed: %v; "+
		"the key may be subscribed: check its products in the console or with the ncp_apigw_api_key_products data source",
		e.APIKeyID, e.ProductID, e.Cause, e.Err)
}

func (e *AmbiguousSubscribeError) Unwrap() error { return e.Err }

// Product is one of the caller's products, as NCP's "View product" answers
// it: only what the provider needs is decoded.
type Product struct {
	ProductID        string `json:"productId"`
	ProductName      string `json:"productName"`
	SubscriptionCode string `json:"subscriptionCode"` // ProductPublic or ProductProtected
	PublisherID      string `json:"tenantId"`
}

// The subscription codes of a product.
const (
	ProductPublic    = "PUBLIC"    // anyone may call it, without approval
	ProductProtected = "PROTECTED" // the publisher approves each key
)

// GetProduct reads one of the caller's products (GET /products/{id}). A
// product that does not exist is an error for which IsNotFound holds.
func (c *Client) GetProduct(ctx context.Context, productID string) (*Product, error) {
	if productID == "" {
		return nil, errEmptyProductID
	}
	var p *Product
	err := c.do(ctx, &call{
		method: http.MethodGet,
		url:    c.target(nil, productsPath, productID),
		decode: func(b []byte) (err error) {
			p, err = decodeProduct(b)
			return err
		},
	})
	return p, err
}

// RevokeApproval sets a key's subscription to a product REJECTED, as
// SetSubscriptionStatus does, and counts as done what leaves nothing to
// revoke: NCP's 404 envelope (no such key, product or subscription), and a
// refusal on a product proven to need no approval (see
// approvalNeedsNoRevoke).
func (c *Client) RevokeApproval(ctx context.Context, productID, keyID string) error {
	err := c.SetSubscriptionStatus(ctx, productID, keyID, SubscriptionRejected)
	switch {
	case err == nil, IsNotFound(err):
		return nil
	case refusedByNCP(err) && c.approvalNeedsNoRevoke(ctx, productID):
		c.debug(ctx, "NCP API approval refused on a PUBLIC product: nothing to revoke", map[string]any{"product_id": productID, "api_key_id": keyID})
		return nil
	}
	return err
}
