package ncpclient

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// siteBaseURLs maps each NCP site to its API Gateway management base URL. The
// hosts do not follow one pattern (fin is not "fin-apigateway..."), so they are
// listed rather than derived.
var siteBaseURLs = map[string]string{
	"public": "https://apigateway.apigw.ntruss.com/api/v1",
	"gov":    "https://apigateway.apigw.gov-ntruss.com/api/v1",
	"fin":    "https://apigateway.apigw.fin-ntruss.com/api/v1",
}

const defaultSite = "public"

// basePath ends every base URL of the API-key API.
const basePath = "/api/v1"

// SiteBaseURL returns the base URL, /api/v1 included, of the API-key API on
// an NCP site: "public", "gov" or "fin". An empty site means "public".
func SiteBaseURL(site string) (string, error) {
	if site == "" {
		site = defaultSite
	}
	base, ok := siteBaseURLs[site]
	if !ok {
		return "", fmt.Errorf("unknown NCP site %q: valid sites are public, gov and fin", site)
	}
	return base, nil
}

// ValidateEndpoint checks a custom base URL. It must be an absolute https URL
// whose path ends in /api/v1 (a trailing slash allowed), without query,
// fragment or user info; plain http is accepted only for a loopback host
// (127.0.0.0/8, ::1, localhost), where emulators and test servers run, so
// that credentials and signatures never cross a network in clear text. NCP's
// gateway answers a path it does not serve with its own "not found", so a
// base URL without /api/v1 would make every key look deleted.
func ValidateEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("endpoint %q is not a valid URL: %w", raw, err)
	}
	if !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("endpoint %q must be an absolute URL such as %s", raw, siteBaseURLs[defaultSite])
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return fmt.Errorf("endpoint %q uses http, which is allowed only for a loopback host (127.0.0.1, ::1, localhost); use https", raw)
		}
	default:
		return fmt.Errorf("endpoint %q has the unsupported scheme %q; use https", raw, u.Scheme)
	}
	if u.User != nil {
		// Redacted hides the password: the endpoint may come from
		// NCP_APIGW_ENDPOINT, which the plan does not show.
		return fmt.Errorf("endpoint %q must not contain user info", u.Redacted())
	}
	if u.RawQuery != "" || u.ForceQuery {
		return fmt.Errorf("endpoint %q must not have a query", raw)
	}
	if u.Fragment != "" {
		return fmt.Errorf("endpoint %q must not have a fragment", raw)
	}
	if !strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), basePath) {
		return fmt.Errorf("endpoint %q must end in %s, the base path of NCP's API-key API, as %s does", raw, basePath, siteBaseURLs[defaultSite])
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
