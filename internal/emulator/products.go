package emulator

import (
	"fmt"
	"slices"
	"strings"
)

// Product is a product of API Gateway: APIs published together, which API
// keys subscribe to. The emulator has no API to create products; tests seed
// them with PutProduct, scripts with POST /_emulator/products or the
// standalone server's -products flag. The JSON names are NCP's.
type Product struct {
	ID          string `json:"productId"`
	Name        string `json:"productName"`
	Description string `json:"productDescription"`
	// PublisherID is the tenant that publishes the product; default the
	// emulator's own (Config.TenantID), whose accounts may then approve
	// subscriptions to it. Another tenant's product is approved out of band.
	PublisherID string `json:"publisherId"`
	// SubscriptionCode is PUBLIC (the default: anyone may use it) or
	// PROTECTED (the publisher approves each key).
	SubscriptionCode string `json:"subscriptionCode"`
	// Unpublished products refuse subscriptions (see
	// Config.AllowUnpublished).
	Unpublished bool         `json:"unpublished,omitempty"`
	APIs        []ProductAPI `json:"apis"`
}

// ProductAPI is an API of a product, with its deployed stages.
type ProductAPI struct {
	ID     string  `json:"apiId"`
	Name   string  `json:"apiName"`
	Stages []Stage `json:"stages"`
}

// Stage is a deployed stage of an API, which a subscribed key may call, and
// the usage plan that applies to keys there.
type Stage struct {
	ID            string `json:"stageId"`
	Name          string `json:"stageName"`
	UsagePlanID   string `json:"usagePlanId,omitempty"`
	UsagePlanName string `json:"usagePlanName,omitempty"`
}

// Subscription codes of a product.
const (
	SubscriptionPublic    = "PUBLIC"
	SubscriptionProtected = "PROTECTED"
)

// The limits NCP documents for a product's name and description.
const (
	maxProductNameLen        = 100
	maxProductDescriptionLen = 300
)

// RequiresApproval reports whether the publisher approves each key.
func (p Product) RequiresApproval() bool { return p.SubscriptionCode == SubscriptionProtected }

// PutProduct adds a product as its publisher would in the console. Empty
// IDs (of the product, its APIs and stages) are made up, the publisher
// defaults to the emulator's tenant and the subscription code to PUBLIC. It
// refuses a product ID already in use, and names and descriptions beyond
// NCP's limits.
func (e *Emulator) PutProduct(p Product) (Product, error) {
	if err := p.validate(); err != nil {
		return Product{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.catalog[p.ID]; ok {
		return Product{}, fmt.Errorf("product %s already exists", p.ID)
	}
	p = e.withProductDefaultsLocked(p)
	e.products = append(e.products, &p)
	e.catalog[p.ID] = &p
	return p.clone(), nil
}

func (p Product) validate() error {
	if err := checkLength("productName", p.Name, 1, maxProductNameLen); err != nil {
		return err
	}
	if err := checkLength("productDescription", p.Description, 0, maxProductDescriptionLen); err != nil {
		return err
	}
	switch p.SubscriptionCode {
	case "", SubscriptionPublic, SubscriptionProtected:
	default:
		return fmt.Errorf("subscriptionCode %q is neither %s nor %s", p.SubscriptionCode, SubscriptionPublic, SubscriptionProtected)
	}
	ids := []string{p.ID}
	for _, api := range p.APIs {
		ids = append(ids, api.ID)
		for _, s := range api.Stages {
			ids = append(ids, s.ID)
		}
	}
	for _, id := range ids {
		if strings.ContainsAny(id, "/?# \t\n") {
			return fmt.Errorf("ID %q holds a character that cannot be in a path", id)
		}
	}
	return nil
}

// withProductDefaultsLocked fills in what p leaves empty, and deep-copies
// it so that the caller's slices are not shared.
func (e *Emulator) withProductDefaultsLocked(p Product) Product {
	p.ID = e.idOrNewLocked(p.ID)
	if p.PublisherID == "" {
		p.PublisherID = e.cfg.TenantID
	}
	if p.SubscriptionCode == "" {
		p.SubscriptionCode = SubscriptionPublic
	}
	p = p.clone()
	for i := range p.APIs {
		api := &p.APIs[i]
		api.ID = e.idOrNewLocked(api.ID)
		for j := range api.Stages {
			api.Stages[j].ID = e.idOrNewLocked(api.Stages[j].ID)
		}
	}
	return p
}

// idOrNewLocked returns id, recorded as issued, or a new ID when it is empty.
func (e *Emulator) idOrNewLocked(id string) string {
	if id == "" {
		return e.uniqueLocked(idAlphabet, idLen)
	}
	e.issued[id] = true
	return id
}

// clone copies p with APIs and stages of its own.
func (p Product) clone() Product {
	p.APIs = slices.Clone(p.APIs)
	for i := range p.APIs {
		p.APIs[i].Stages = slices.Clone(p.APIs[i].Stages)
	}
	return p
}

// Products returns a snapshot of every product, in the order they were put.
func (e *Emulator) Products() []Product {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Product, len(e.products))
	for i, p := range e.products {
		out[i] = p.clone()
	}
	return out
}

// Product returns a copy of the product with the given ID.
func (e *Emulator) Product(id string) (Product, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.catalog[id]
	if !ok {
		return Product{}, false
	}
	return p.clone(), true
}
