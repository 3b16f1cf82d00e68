package ncpclient

import (
	"encoding/json"
	"errors"
	"fmt"
)

// The decoders of the answers about subscriptions. Each refuses a body
// without its list and total (null, {}, another object): taken for an
// empty page, it would make a subscription look gone, and a lost subscribe
// be repeated.

// decodeKeyProducts decodes a page of a key's products.
func decodeKeyProducts(body []byte) ([]KeyProduct, int64, error) {
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
		return nil, 0, err
	}
	if page.Products == nil && page.Total == nil {
		return nil, 0, errors.New(`neither "apiKeyRelateProductDtos" nor "total"`)
	}
	products := make([]KeyProduct, 0, len(page.Products))
	for _, p := range page.Products {
		if p.ProductID == "" {
			return nil, 0, errors.New(`a product without "productId"`)
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
	return products, totalOr(page.Total, len(products)), nil
}

// decodeStages decodes a page of subscription-detail.
func decodeStages(body []byte) ([]SubscribedStage, int64, error) {
	return decodeContentPage[SubscribedStage](body, "apiKeyRelations")
}

// subscriber is a key subscribed to a product, as its publisher searches
// them. NCP's answer also carries both key values, which are not decoded.
type subscriber struct {
	APIKeyID string `json:"apiKeyId"`
	Status   string `json:"status"`
}

// decodeSubscribers decodes a page of a product's keys.
func decodeSubscribers(body []byte) ([]subscriber, int64, error) {
	return decodeContentPage[subscriber](body, "apiKeyPage")
}

// decodeContentPage decodes a page wrapped as {field: {"content": [...],
// "total": n}}.
func decodeContentPage[T any](body []byte, field string) ([]T, int64, error) {
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(body, &outer); err != nil {
		return nil, 0, err
	}
	var page *struct {
		Content []T    `json:"content"`
		Total   *int64 `json:"total"`
	}
	if raw, ok := outer[field]; ok {
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, 0, err
		}
	}
	if page == nil || (page.Content == nil && page.Total == nil) {
		return nil, 0, fmt.Errorf(`no %q with "content" or "total"`, field)
	}
	return page.Content, totalOr(page.Total, len(page.Content)), nil
}

// totalOr is the reported total or, when the answer has none, the page's
// length, which ends the paging.
func totalOr(total *int64, n int) int64 {
	if total == nil {
		return int64(n)
	}
	return *total
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
