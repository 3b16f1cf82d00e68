package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// The routes of products and subscriptions.
const (
	RouteSubscribe          Route = "subscribe"           // POST /api-keys/{id}/subscribe
	RouteUnsubscribe        Route = "unsubscribe"         // POST /api-keys/{id}/unsubscribe
	RouteKeyProducts        Route = "key-products"        // GET /api-keys/{id}/products
	RouteSubscriptionDetail Route = "subscription-detail" // GET (or POST) /api-keys/{id}/subscription-detail
	RouteApproval           Route = "approval"            // PATCH /products/{id}/api-keys/{key-id}
	RouteProductKeys        Route = "product-keys"        // POST /products/{id}/api-keys/search
	RouteProduct            Route = "product"             // GET /products/{id}
)

var (
	errProductNotFound = ncpError{http.StatusNotFound, "300", "Not Found Exception: product not found"}
	errNotPublisher    = ncpError{http.StatusForbidden, "230", "Forbidden: only the product's publisher may do this"}
)

// resolveSubscription maps the paths of products and subscriptions to a
// target; ok is false for the paths it does not know.
func resolveSubscription(method, path string) (t target, ok bool) {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(parts) < 2 || len(parts) > 4 || slices.Contains(parts, "") {
		return target{}, false
	}
	switch {
	case len(parts) == 2 && parts[0] == "products":
		if method != http.MethodGet {
			return target{allow: "GET"}, true
		}
		return target{route: RouteProduct, product: parts[1]}, true
	case len(parts) == 3 && parts[0] == "api-keys":
		t = target{id: parts[1]}
		switch action := parts[2]; {
		case action == "subscribe" && method == http.MethodPost:
			t.route = RouteSubscribe
		case action == "unsubscribe" && method == http.MethodPost:
			t.route = RouteUnsubscribe
		case action == "products" && method == http.MethodGet:
			t.route = RouteKeyProducts
		case action == "subscription-detail" && (method == http.MethodGet || method == http.MethodPost):
			// NCP's page has GET in its table and POST in its example.
			t.route = RouteSubscriptionDetail
		case action == "subscribe" || action == "unsubscribe":
			return target{allow: "POST"}, true
		case action == "products":
			return target{allow: "GET"}, true
		case action == "subscription-detail":
			return target{allow: "GET, POST"}, true
		default:
			return target{}, true
		}
		return t, true
	case len(parts) == 4 && parts[0] == "products" && parts[2] == "api-keys":
		t = target{product: parts[1], id: parts[3]}
		switch {
		case parts[3] == "search" && method == http.MethodPost:
			t.route, t.id = RouteProductKeys, ""
		case method == http.MethodPatch:
			t.route = RouteApproval
		case parts[3] == "search":
			return target{allow: "POST, PATCH"}, true
		default:
			return target{allow: "PATCH"}, true
		}
		return t, true
	}
	return target{}, false
}

// doSubscription runs the operation of products and subscriptions t names.
func (e *Emulator) doSubscription(t target, query url.Values, body []byte) response {
	switch t.route {
	case RouteSubscribe:
		return e.subscribe(t.id, body)
	case RouteUnsubscribe:
		return e.unsubscribe(t.id, body)
	case RouteKeyProducts:
		return e.keyProducts(t.id, query)
	case RouteSubscriptionDetail:
		return e.subscriptionDetail(t.id, query)
	case RouteApproval:
		return e.approve(t.product, t.id, body)
	case RouteProduct:
		return e.product(t.product)
	default: // RouteProductKeys; resolveSubscription makes no other route
		return e.productKeys(t.product, body)
	}
}

// productIDFrom reads the body of subscribe and unsubscribe.
func productIDFrom(body []byte) (string, error) {
	var in struct {
		ProductID string `json:"productId"`
	}
	if err := decodeBody(body, &in); err != nil {
		return "", err
	}
	if in.ProductID == "" {
		return "", errors.New("productId is required")
	}
	return in.ProductID, nil
}

// subscribe subscribes a key to a published product: accepted at once, or
// awaiting the publisher's approval (see subscribeLocked). A key already
// subscribed, whatever the status, gets 400 unless
// Config.IdempotentSubscribe. The answer has no content.
func (e *Emulator) subscribe(keyID string, body []byte) response {
	productID, err := productIDFrom(body)
	if err != nil {
		return e.fail(requestError(err))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	k, p, missing := e.keyAndProductLocked(keyID, productID)
	switch {
	case missing != nil:
		return *missing
	case p.Unpublished && !e.cfg.AllowUnpublished:
		return e.fail(badRequest(errors.New("the product is not published")))
	case e.subscriptionLocked(keyID, productID) != nil:
		if e.cfg.IdempotentSubscribe {
			return emptyAnswer(e.cfg.SubscriptionAnswer)
		}
		return e.fail(badRequest(errors.New("the API key is already subscribed to the product")))
	}
	e.subscribeLocked(k, p).hiddenReads = e.cfg.SubscriptionLag
	return emptyAnswer(e.cfg.SubscriptionAnswer)
}

// keyAndProductLocked finds a key and a product, or returns the answer for
// the first that does not exist.
func (e *Emulator) keyAndProductLocked(keyID, productID string) (*Key, *Product, *response) {
	k, p := e.byID[keyID], e.catalog[productID]
	var missing response
	switch {
	case k == nil:
		missing = e.keyNotFound()
	case p == nil:
		missing = e.fail(errProductNotFound)
	default:
		return k, p, nil
	}
	return nil, nil, &missing
}

// unsubscribe removes a key's subscription, whatever its status unless
// Config.RefuseUnsubscribePending. A key that is not subscribed gets
// Config.NotSubscribedStatus.
func (e *Emulator) unsubscribe(keyID string, body []byte) response {
	productID, err := productIDFrom(body)
	if err != nil {
		return e.fail(requestError(err))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.byID[keyID] == nil {
		return e.keyNotFound()
	}
	s := e.subscriptionLocked(keyID, productID)
	switch {
	case s == nil:
		return e.notSubscribed()
	case e.cfg.RefuseUnsubscribePending && s.Status != StatusAccepted:
		return e.fail(badRequest(fmt.Errorf("a subscription that is %s cannot be cancelled", s.Status)))
	}
	e.unsubscribeLocked(keyID, productID)
	return emptyAnswer(e.cfg.SubscriptionAnswer)
}

// notSubscribed answers an unsubscribe of a key that is not subscribed.
func (e *Emulator) notSubscribed() response {
	switch e.cfg.NotSubscribedStatus {
	case http.StatusBadRequest:
		return e.fail(badRequest(errors.New("the API key is not subscribed to the product")))
	case http.StatusOK:
		return emptyAnswer(e.cfg.SubscriptionAnswer)
	}
	return e.fail(ncpError{http.StatusNotFound, "300", "Not Found Exception: the API key is not subscribed to the product"})
}

// keyProducts answers one page of the products a key is associated with,
// whatever the status, in the order the key subscribed. A subscription
// made under Config.SubscriptionLag shows only after that many reads.
func (e *Emulator) keyProducts(keyID string, q url.Values) response {
	offset, limit, err := e.pageQuery(q)
	if err != nil {
		return e.fail(badRequest(err))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	k := e.byID[keyID]
	if k == nil {
		return e.keyNotFound()
	}
	var rows []keyProduct
	for _, s := range e.subs {
		if s.APIKeyID != keyID {
			continue
		}
		if s.hiddenReads > 0 {
			s.hiddenReads--
			continue
		}
		p := e.catalog[s.ProductID]
		row := keyProduct{
			ProductID:          p.ID,
			ProductName:        p.Name,
			ProductDescription: p.Description,
			PublisherID:        p.PublisherID,
			Status:             s.Status,
			RegTime:            s.RegTime,
			ModTime:            s.ModTime,
		}
		if !e.cfg.OmitSelfProduct {
			self := p.PublisherID == k.TenantID
			row.IsSelfProduct = &self
		}
		rows = append(rows, row)
	}
	return jsonResponse(http.StatusOK, keyProductPage{Products: pageOf(rows, offset, limit), Total: e.listTotal(len(rows))})
}

// subscriptionDetail answers one page of the stages a key may call in one
// product, narrowed to an API and a stage when asked. A key whose
// subscription is not ACCEPTED, or that is not subscribed, reaches none: the
// page is empty.
func (e *Emulator) subscriptionDetail(keyID string, q url.Values) response {
	productID := q.Get("productId")
	if productID == "" {
		return e.fail(badRequest(errors.New("productId is required")))
	}
	offset, limit, err := e.pageQuery(q)
	if err != nil {
		return e.fail(badRequest(err))
	}
	apiID, stageID := q.Get("apiId"), q.Get("stageId")
	e.mu.Lock()
	defer e.mu.Unlock()
	k, p, missing := e.keyAndProductLocked(keyID, productID)
	if missing != nil {
		return *missing
	}
	var rows []stageRelation
	if s := e.subscriptionLocked(keyID, productID); s != nil && s.Status == StatusAccepted {
		for _, api := range p.APIs {
			for _, stage := range api.Stages {
				if (apiID != "" && api.ID != apiID) || (stageID != "" && stage.ID != stageID) {
					continue
				}
				rows = append(rows, stageRelation{
					APIID: api.ID, APIName: api.Name, StageID: stage.ID, StageName: stage.Name,
					APIKeyID: k.ID, APIKeyName: k.Name, UsagePlanID: stage.UsagePlanID, UsagePlanName: stage.UsagePlanName,
					RegTime: s.RegTime, ModTime: s.ModTime, DomainCode: k.DomainCode,
				})
			}
		}
	}
	var page stageRelationPage
	page.Relations.Content, page.Relations.Total = pageOf(rows, offset, limit), e.listTotal(len(rows))
	return jsonResponse(http.StatusOK, page)
}

// approve is the publisher's decision on a key's subscription: ACCEPTED or
// REJECTED. Only the product's publisher may decide, only on a PROTECTED
// product and only on a key that subscribed, unless Config.LenientApproval;
// a rejection may be reversed unless Config.RefuseReapproval.
func (e *Emulator) approve(productID, keyID string, body []byte) response {
	var in struct {
		Status SubscriptionStatus `json:"status"`
	}
	if err := decodeBody(body, &in); err != nil {
		return e.fail(requestError(err))
	}
	if in.Status != StatusAccepted && in.Status != StatusRejected {
		return e.fail(badRequest(fmt.Errorf("status must be %s or %s, got %q", StatusAccepted, StatusRejected, in.Status)))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, refused := e.ownProductLocked(productID)
	switch {
	case refused != nil:
		return *refused
	case !p.RequiresApproval():
		if e.cfg.LenientApproval {
			return emptyAnswer(e.cfg.SubscriptionAnswer)
		}
		return e.fail(badRequest(errors.New("the product is PUBLIC: there is no subscription to approve")))
	case e.byID[keyID] == nil:
		return e.keyNotFound()
	}
	s := e.subscriptionLocked(keyID, productID)
	switch {
	case s == nil && e.cfg.LenientApproval:
		return emptyAnswer(e.cfg.SubscriptionAnswer)
	case s == nil:
		return e.fail(ncpError{http.StatusNotFound, "300", "Not Found Exception: the API key has not subscribed to the product"})
	case e.cfg.RefuseReapproval && s.Status.rejected() && in.Status == StatusAccepted:
		return e.fail(badRequest(errors.New("a rejected subscription cannot be accepted")))
	}
	e.setStatusLocked(s, in.Status)
	return emptyAnswer(e.cfg.SubscriptionAnswer)
}

// product answers one of the tenant's own products, as NCP's "View
// product" does; another tenant's product is refused with 403 code 230.
func (e *Emulator) product(productID string) response {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, refused := e.ownProductLocked(productID)
	if refused != nil {
		return *refused
	}
	var answer productAnswer
	answer.Product = productDetail{
		ProductID: p.ID, InvokeID: p.ID, TenantID: p.PublisherID, ProductName: p.Name, ProductDescription: p.Description,
		IsPublished: !p.Unpublished, SubscriptionCode: p.SubscriptionCode, DomainCode: "PUB",
	}
	return jsonResponse(http.StatusOK, answer)
}

// productKeys answers one page of the keys subscribed to a product, as its
// publisher searches them: by key ID, key value and statuses, each key
// with both its key values, as NCP's page documents.
func (e *Emulator) productKeys(productID string, body []byte) response {
	var in struct {
		APIKeyID    string               `json:"apiKeyId"`
		APIKeyValue string               `json:"apiKeyValue"`
		StatusSet   []SubscriptionStatus `json:"statusSet"`
		Offset      *int64               `json:"offset"`
		Limit       *int64               `json:"limit"`
	}
	if err := decodeBody(body, &in); err != nil {
		return e.fail(requestError(err))
	}
	offset, limit := int64(0), int64(defaultPageLimit)
	if in.Offset != nil {
		offset = *in.Offset
	}
	if in.Limit != nil {
		limit = *in.Limit
	}
	if offset < 0 || limit < 1 {
		return e.fail(badRequest(fmt.Errorf("offset %d must be at least 0 and limit %d at least 1", offset, limit)))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, refused := e.ownProductLocked(productID); refused != nil {
		return *refused
	}
	var rows []productKey
	for _, s := range e.subs {
		k := e.byID[s.APIKeyID]
		switch {
		case s.ProductID != productID,
			in.APIKeyID != "" && k.ID != in.APIKeyID,
			in.APIKeyValue != "" && k.PrimaryKey != in.APIKeyValue && k.SecondaryKey != in.APIKeyValue,
			len(in.StatusSet) > 0 && !slices.Contains(in.StatusSet, s.Status):
			continue
		}
		rows = append(rows, productKey{
			APIKeyID: k.ID, APIKeyName: k.Name, PrimaryKey: k.PrimaryKey, SecondaryKey: k.SecondaryKey,
			Status: s.Status, DomainCode: k.DomainCode, RegTime: s.RegTime, ModTime: s.ModTime,
		})
	}
	var page productKeyPage
	page.Page.Content, page.Page.Total = pageOf(rows, offset, min(limit, int64(e.cfg.MaxSubscriptionPageSize))), e.listTotal(len(rows))
	return jsonResponse(http.StatusOK, page)
}

// ownProductLocked finds a product the emulator's tenant publishes, which
// its accounts may decide on, or returns the refusal.
func (e *Emulator) ownProductLocked(productID string) (*Product, *response) {
	var refused response
	switch p := e.catalog[productID]; {
	case p == nil:
		refused = e.fail(errProductNotFound)
	case p.PublisherID != e.cfg.TenantID:
		refused = e.fail(errNotPublisher)
	default:
		return p, nil
	}
	return nil, &refused
}

// pageQuery reads offset and limit, the latter capped silently at
// Config.MaxSubscriptionPageSize.
func (e *Emulator) pageQuery(q url.Values) (offset, limit int64, err error) {
	if offset, err = queryInt(q, "offset", 0, 0); err != nil {
		return 0, 0, err
	}
	if limit, err = queryInt(q, "limit", defaultPageLimit, 1); err != nil {
		return 0, 0, err
	}
	return offset, min(limit, int64(e.cfg.MaxSubscriptionPageSize)), nil
}

// pageOf returns at most limit items from offset on, never nil, so that
// an empty page is [] in JSON.
func pageOf[T any](items []T, offset, limit int64) []T {
	start := min(offset, int64(len(items)))
	end := min(start+limit, int64(len(items)))
	return append([]T{}, items[start:end]...)
}
