package emulator

import "time"

// The answers of the product and subscription operations, in the shapes
// NCP's pages show.

// keyProduct is one of the products a key is associated with.
type keyProduct struct {
	ProductID          string             `json:"productId"`
	ProductName        string             `json:"productName"`
	ProductDescription string             `json:"productDescription"`
	PublisherID        string             `json:"publisherId"`
	Status             SubscriptionStatus `json:"status"`
	RegTime            time.Time          `json:"regTime"`
	ModTime            time.Time          `json:"modTime"`
	// IsSelfProduct is absent with Config.OmitSelfProduct, as in NCP's
	// API specification.
	IsSelfProduct *bool `json:"isSelfProduct,omitempty"`
}

// keyProductPage is the answer of GET /api-keys/{id}/products.
type keyProductPage struct {
	Products []keyProduct `json:"apiKeyRelateProductDtos"`
	Total    *int         `json:"total,omitempty"`
}

// stageRelation is a stage a subscribed key may call, with the usage plan
// that applies and the key's call counts there.
type stageRelation struct {
	APIID          string    `json:"apiId"`
	APIName        string    `json:"apiName"`
	StageID        string    `json:"stageId"`
	StageName      string    `json:"stageName"`
	APIKeyID       string    `json:"apiKeyId"`
	APIKeyName     string    `json:"apiKeyName"`
	UsagePlanID    string    `json:"usagePlanId"`
	UsagePlanName  string    `json:"usagePlanName"`
	RegTime        time.Time `json:"regTime"`
	ModTime        time.Time `json:"modTime"`
	DayCallCount   int       `json:"dayCallCount"`
	MonthCallCount int       `json:"monthCallCount"`
	DailyUsage     int       `json:"dailyUsage"` // in NCP's specification, not its page
	MonthlyUsage   int       `json:"monthlyUsage"`
	DomainCode     string    `json:"domainCode"`
}

// stageRelationPage is the answer of subscription-detail.
type stageRelationPage struct {
	Relations struct {
		Content []stageRelation `json:"content"`
		Total   *int            `json:"total,omitempty"`
	} `json:"apiKeyRelations"`
}

// productKey is a key subscribed to a product as its publisher sees it:
// with both key values, as NCP's page documents.
type productKey struct {
	APIKeyID     string             `json:"apiKeyId"`
	APIKeyName   string             `json:"apiKeyName"`
	PrimaryKey   string             `json:"primaryKey"`
	SecondaryKey string             `json:"secondaryKey"`
	Status       SubscriptionStatus `json:"status"`
	DomainCode   string             `json:"domainCode"`
	RegTime      time.Time          `json:"regTime"`
	ModTime      time.Time          `json:"modTime"`
}

// productKeyPage is the answer of POST /products/{id}/api-keys/search.
type productKeyPage struct {
	Page struct {
		Content []productKey `json:"content"`
		Total   *int         `json:"total,omitempty"`
	} `json:"apiKeyPage"`
}

// productDetail is a product as NCP's "View product" answers it.
type productDetail struct {
	ProductID          string `json:"productId"`
	InvokeID           string `json:"invokeId"`
	TenantID           string `json:"tenantId"`
	ProductName        string `json:"productName"`
	ProductDescription string `json:"productDescription"`
	IsPublished        bool   `json:"isPublished"`
	SubscriptionCode   string `json:"subscriptionCode"`
	IsDeleted          bool   `json:"isDeleted"`
	DomainCode         string `json:"domainCode"`
}

// productAnswer is the answer of GET /products/{id}.
type productAnswer struct {
	Product productDetail `json:"product"`
}
