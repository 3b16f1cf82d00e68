package emulator

import (
	"slices"
	"time"
)

// SubscriptionStatus is where a key's subscription to a product stands. NCP
// publishes the set only on its page of a product's keys; only ACCEPTED
// lets the key call the product's stages.
type SubscriptionStatus string

const (
	StatusRequest        SubscriptionStatus = "REQUEST" // awaiting the publisher's approval
	StatusAccepted       SubscriptionStatus = "ACCEPTED"
	StatusRejected       SubscriptionStatus = "REJECTED"
	StatusDeny           SubscriptionStatus = "DENY"
	StatusBlockedRequest SubscriptionStatus = "BLOCKED_REQUEST"
)

func (s SubscriptionStatus) valid() bool {
	switch s {
	case StatusRequest, StatusAccepted, StatusRejected, StatusDeny, StatusBlockedRequest:
		return true
	}
	return false
}

// rejected reports whether the publisher turned the key away, which
// Config.DropRejected makes remove the subscription.
func (s SubscriptionStatus) rejected() bool { return s == StatusRejected || s == StatusDeny }

// Subscription is a key's subscription to a product.
type Subscription struct {
	APIKeyID  string             `json:"apiKeyId"`
	ProductID string             `json:"productId"`
	Status    SubscriptionStatus `json:"status"`
	RegTime   time.Time          `json:"regTime"`
	ModTime   time.Time          `json:"modTime"`

	// hiddenReads is how many more reads of its key's products will not
	// show the subscription yet (Config.SubscriptionLag).
	hiddenReads int
}

// Subscriptions returns a snapshot of every subscription, in the order
// they were made.
func (e *Emulator) Subscriptions() []Subscription {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Subscription, len(e.subs))
	for i, s := range e.subs {
		out[i] = *s
	}
	return out
}

// Subscription returns a copy of the key's subscription to the product.
func (e *Emulator) Subscription(keyID, productID string) (Subscription, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.subscriptionLocked(keyID, productID)
	if s == nil {
		return Subscription{}, false
	}
	return *s, true
}

// Subscribe subscribes a key to a product out of band, as the other account
// would in the console, with the status the API would give. It reports
// false for an unknown key or product, or a key already subscribed.
func (e *Emulator) Subscribe(keyID, productID string) (Subscription, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, p := e.byID[keyID], e.catalog[productID]
	if k == nil || p == nil || e.subscriptionLocked(keyID, productID) != nil {
		return Subscription{}, false
	}
	return *e.subscribeLocked(k, p), true
}

// Unsubscribe removes a key's subscription out of band, as the other
// account would with the console's "cancel subscription".
func (e *Emulator) Unsubscribe(keyID, productID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.unsubscribeLocked(keyID, productID)
}

// SetSubscriptionStatus sets a subscription's status out of band, as the
// product's publisher would: approve (ACCEPTED), reject (REJECTED, DENY) or
// block. It reports false for an unknown subscription or status.
// Config.DropRejected applies.
func (e *Emulator) SetSubscriptionStatus(keyID, productID string, status SubscriptionStatus) bool {
	if !status.valid() {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.subscriptionLocked(keyID, productID)
	if s == nil {
		return false
	}
	e.setStatusLocked(s, status)
	return true
}

func (e *Emulator) subscriptionLocked(keyID, productID string) *Subscription {
	i := slices.IndexFunc(e.subs, func(s *Subscription) bool { return s.APIKeyID == keyID && s.ProductID == productID })
	if i < 0 {
		return nil
	}
	return e.subs[i]
}

// subscribeLocked adds k's subscription to p: accepted at once for a PUBLIC
// product, awaiting approval for a PROTECTED one unless it is k's tenant's
// own and Config.AutoAcceptOwnProducts is set.
func (e *Emulator) subscribeLocked(k *Key, p *Product) *Subscription {
	status := StatusAccepted
	ownAccepted := e.cfg.AutoAcceptOwnProducts && p.PublisherID == k.TenantID
	if p.RequiresApproval() && !ownAccepted {
		status = StatusRequest
	}
	now := e.stampLocked()
	s := &Subscription{APIKeyID: k.ID, ProductID: p.ID, Status: status, RegTime: now, ModTime: now}
	e.subs = append(e.subs, s)
	return s
}

func (e *Emulator) unsubscribeLocked(keyID, productID string) bool {
	n := len(e.subs)
	e.subs = slices.DeleteFunc(e.subs, func(s *Subscription) bool { return s.APIKeyID == keyID && s.ProductID == productID })
	return len(e.subs) < n
}

// setStatusLocked records the publisher's decision on s.
func (e *Emulator) setStatusLocked(s *Subscription, status SubscriptionStatus) {
	if status.rejected() && e.cfg.DropRejected {
		e.unsubscribeLocked(s.APIKeyID, s.ProductID)
		return
	}
	s.Status = status
	s.ModTime = e.stampLocked()
}

// hasSubscriptions reports whether the key is subscribed to any product.
func (e *Emulator) hasSubscriptions(keyID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.ContainsFunc(e.subs, func(s *Subscription) bool { return s.APIKeyID == keyID })
}
