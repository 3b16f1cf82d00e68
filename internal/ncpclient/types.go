package ncpclient

// APIKey is an NCP API Gateway API key as the API returns it. List responses
// leave PrimaryKey and SecondaryKey empty.
type APIKey struct {
	ID           string `json:"apiKeyId"`
	TenantID     string `json:"tenantId"`
	Name         string `json:"apiKeyName"`
	Description  string `json:"apiKeyDescription"`
	PrimaryKey   string `json:"primaryKey,omitempty"`
	SecondaryKey string `json:"secondaryKey,omitempty"`
	Modifier     string `json:"modifier"`
	Enabled      bool   `json:"isEnabled"`
	ModTime      string `json:"modTime"`
	DomainCode   string `json:"domainCode"`
}

// CreateAPIKeyInput is what a create makes: the API's create takes a name
// and a description, and the edit that follows it (see CreateAPIKey) the
// description and the enabled flag.
type CreateAPIKeyInput struct {
	Name        string
	Description string
	Enabled     bool
}

// UpdateAPIKeyInput is the whole object an edit sends: the API requires
// isEnabled and apiKeyName, and an omitted description would clear it.
type UpdateAPIKeyInput struct {
	Enabled     bool   `json:"isEnabled"`
	Name        string `json:"apiKeyName"`
	Description string `json:"apiKeyDescription"`
}

// ListAPIKeysInput selects one page of keys. Name is the server-side filter.
type ListAPIKeysInput struct {
	Name   string
	Offset int64
	Limit  int64
}

// APIKeyPage is one page of a list.
type APIKeyPage struct {
	APIKeys []APIKey `json:"apiKeys"`
	// Total is how many keys pass the filter, as the answer reported it;
	// 0 when the answer reported none.
	Total        int64 `json:"total"`
	InitialCount int64 `json:"initialCount"`

	totalReported bool
}

// reportedTotal is Total, or nil when the answer reported none.
func (p *APIKeyPage) reportedTotal() *int64 {
	if !p.totalReported {
		return nil
	}
	return &p.Total
}

// KeyType names the key a regenerate replaces.
type KeyType string

const (
	KeyTypePrimary   KeyType = "PRIMARY"
	KeyTypeSecondary KeyType = "SECONDARY"
)
