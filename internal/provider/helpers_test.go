package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
)

// factories serves the provider to Terraform for a test against env, with
// env's hook on the provider's API clients. The shared test helpers are in
// internal/acctest; this is the one that needs this package.
func factories(env *acctest.Env) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"ncp": providerserver.NewProtocol6WithError(New("test", WithClientConfig(env.AdjustClientConfig))()),
	}
}
