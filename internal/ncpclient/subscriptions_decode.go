package ncpclient

import (
	"encoding/json"
	"errors"
	"fmt"
)

// The decoders of the answers about subscriptions. Each refuses a body
// without its list (null, {}, {"total": 3}, another object): taken for an
// empty page, it would make a subscription look gone, and a lost subscribe
// be repeated. "total" is optional: without it a list is paged until an
// empty page.

// decodeKeyProducts decodes a page of a key's products.
func decodeKeyProducts(body []byte) (listPage[KeyProduct], error) {
	var page struct {
		Products []struct {
			ProductID          string          `json:"productId"`
			ProductName        string          `json:"productName"`
			ProductDescription string          `json:"productDescription"`
			PublisherID        string          `json:"publisherId"`
			Status             string          `json:"status"`
			RegTime            json.RawMessage `json:"regTime"`
			ModTime            json.RawMessage `json:"modTime"`
			SelfProduct        *bool           `json:"isSelfProduct"`
		} `json:"apiKeyRelateProductDtos"`
		Total *int64 `json:"total"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return listPage[KeyProduct]{}, err
	}
	if page.Products == nil {
		return listPage[KeyProduct]{}, errors.New(`no "apiKeyRelateProductDtos" list`)
	}
	products := make([]KeyProduct, 0, len(page.Products))
	for _, p := range page.Products {
		if p.ProductID == "" {
			return listPage[KeyProduct]{}, errors.New(`a product without "productId"`)
		}
		products = append(products, KeyProduct{
			ProductID:          p.ProductID,
			ProductName:        p.ProductName,
			ProductDescription: p.ProductDescription,
			PublisherID:        p.PublisherID,
			Status:             p.Status,
			RegTime:            jsonScalar(p.RegTime),
			ModTime:            jsonScalar(p.ModTime),
			SelfProduct:        p.SelfProduct,
		})
	}
	return listPage[KeyProduct]{items: products, total: page.Total}, nil
}

// decodeStages decodes a page of subscription-detail.
func decodeStages(body []byte) (listPage[SubscribedStage], error) {
	return decodeContentPage[SubscribedStage](body, "apiKeyRelations")
}

// subscriber is a key subscribed to a product, as its publisher searches
// them. NCP's answer also carries both key values, which are not decoded.
type subscriber struct {
	APIKeyID string `json:"apiKeyId"`
	Status   string `json:"status"`
}

// decodeSubscribers decodes a page of a product's keys.
func decodeSubscribers(body []byte) (listPage[subscriber], error) {
	return decodeContentPage[subscriber](body, "apiKeyPage")
}

// decodeContentPage decodes a page wrapped as {field: {"content": [...],
// "total": n}}.
func decodeContentPage[T any](body []byte, field string) (listPage[T], error) {
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(body, &outer); err != nil {
		return listPage[T]{}, err
	}
	var page *struct {
		Content []T    `json:"content"`
		Total   *int64 `json:"total"`
	}
	if raw, ok := outer[field]; ok {
		if err := json.Unmarshal(raw, &page); err != nil {
			return listPage[T]{}, err
		}
	}
	if page == nil || page.Content == nil {
		return listPage[T]{}, fmt.Errorf(`no %q with a "content" list`, field)
	}
	return listPage[T]{items: page.Content, total: page.Total}, nil
}

// decodeProduct decodes NCP's answer of "View product", which must name the
// product.
func decodeProduct(body []byte) (*Product, error) {
	var answer struct {
		Product *Product `json:"product"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, err
	}
	if answer.Product == nil || answer.Product.ProductID == "" {
		return nil, errors.New(`no "product" with a "productId"`)
	}
	return answer.Product, nil
}
