package emulator

import (
	"fmt"
	"net/http"
)

// handleSubscriptionControl adds the control endpoints of products and
// subscriptions. Those that change subscriptions act out of band, as the
// Go methods do.
func (e *Emulator) handleSubscriptionControl(mux *http.ServeMux) {
	mux.HandleFunc("GET /_emulator/products", func(w http.ResponseWriter, r *http.Request) {
		products := e.Products()
		writeControlJSON(w, productList{Products: products, Total: len(products)})
	})
	mux.HandleFunc("POST /_emulator/products", e.seedProduct)
	mux.HandleFunc("GET /_emulator/subscriptions", func(w http.ResponseWriter, r *http.Request) {
		subs := e.Subscriptions()
		writeControlJSON(w, subscriptionList{Subscriptions: subs, Total: len(subs)})
	})
	mux.HandleFunc("POST /_emulator/keys/{id}/subscriptions", e.subscribeOutOfBand)
	mux.HandleFunc("PUT /_emulator/keys/{id}/subscriptions/{product}", e.setStatusOutOfBand)
	mux.HandleFunc("DELETE /_emulator/keys/{id}/subscriptions/{product}", func(w http.ResponseWriter, r *http.Request) {
		if !e.Unsubscribe(r.PathValue("id"), r.PathValue("product")) {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

type productList struct {
	Products []Product `json:"products"`
	Total    int       `json:"total"`
}

type subscriptionList struct {
	Subscriptions []Subscription `json:"subscriptions"`
	Total         int            `json:"total"`
}

// seedProduct adds the product of the request, as PutProduct does, and
// answers it with the IDs it was given.
func (e *Emulator) seedProduct(w http.ResponseWriter, r *http.Request) {
	var p Product
	if err := decodeRequest(r, &p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	added, err := e.PutProduct(p)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	writeControlJSON(w, added)
}

// subscribeOutOfBand subscribes the key to {"productId": ...}, as Subscribe
// does, and answers the subscription.
func (e *Emulator) subscribeOutOfBand(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ProductID string `json:"productId"`
	}
	if err := decodeRequest(r, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s, ok := e.Subscribe(r.PathValue("id"), in.ProductID)
	if !ok {
		http.Error(w, fmt.Sprintf("cannot subscribe key %q to product %q: either is unknown, or the key is already subscribed", r.PathValue("id"), in.ProductID), http.StatusConflict)
		return
	}
	writeControlJSON(w, s)
}

// setStatusOutOfBand sets the subscription's status to {"status": ...}, as
// SetSubscriptionStatus does, and answers the subscription, or 204 when
// Config.DropRejected removed it.
func (e *Emulator) setStatusOutOfBand(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Status SubscriptionStatus `json:"status"`
	}
	if err := decodeRequest(r, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !in.Status.valid() {
		http.Error(w, fmt.Sprintf("status %q is none of REQUEST, ACCEPTED, REJECTED, DENY, BLOCKED_REQUEST", in.Status), http.StatusBadRequest)
		return
	}
	keyID, productID := r.PathValue("id"), r.PathValue("product")
	if !e.SetSubscriptionStatus(keyID, productID, in.Status) {
		http.NotFound(w, r)
		return
	}
	s, ok := e.Subscription(keyID, productID)
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeControlJSON(w, s)
}
