// Package providerschema describes a provider's schemas as `terraform
// providers schema -json` does, from the provider served in-process.
//
// The docs generator (tfplugindocs) reads that JSON. Asked to run Terraform
// itself, it gets only the schemas that Terraform version knows: 1.11, on
// our machines, writes no resource identity, list resource or action
// schemas, and their pages would come out empty. Asking the provider
// instead gives every schema, offline, the same on every machine.
package providerschema

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
)

// FormatVersion is the format of the JSON Terraform 1.15 writes.
const FormatVersion = "1.0"

// Of describes the schemas of p under the key name.
func Of(ctx context.Context, p provider.Provider, name string) (*tfjson.ProviderSchemas, error) {
	server := providerserver.NewProtocol6(p)()
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	identities, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError(append(resp.Diagnostics, identities.Diagnostics...)); err != nil {
		return nil, err
	}

	c := converter{}
	ps := &tfjson.ProviderSchema{
		ConfigSchema:             c.schema(resp.Provider),
		ResourceSchemas:          convertAll(resp.ResourceSchemas, c.schema),
		DataSourceSchemas:        convertAll(resp.DataSourceSchemas, c.schema),
		EphemeralResourceSchemas: convertAll(resp.EphemeralResourceSchemas, c.schema),
		ListResourceSchemas:      convertAll(resp.ListResourceSchemas, c.schema),
		ActionSchemas:            convertAll(resp.ActionSchemas, c.action),
		ResourceIdentitySchemas:  convertAll(identities.IdentitySchemas, c.identity),
	}
	if len(resp.Functions) > 0 {
		c.errs = append(c.errs, errors.New("functions are not described"))
	}
	if err := errors.Join(c.errs...); err != nil {
		return nil, err
	}
	return &tfjson.ProviderSchemas{FormatVersion: FormatVersion, Schemas: map[string]*tfjson.ProviderSchema{name: ps}}, nil
}

func diagnosticsError(diags []*tfprotov6.Diagnostic) error {
	var errs []error
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, fmt.Errorf("%s: %s", d.Summary, d.Detail))
		}
	}
	return errors.Join(errs...)
}

// convertAll converts each schema of a map, or returns nil for none, as
// Terraform omits a kind of schema the provider has none of.
func convertAll[In, Out any](in map[string]In, convert func(In) Out) map[string]Out {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]Out, len(in))
	for name, s := range in {
		out[name] = convert(s)
	}
	return out
}

// converter converts protocol schemas to their JSON description, and
// collects the errors of types it cannot describe.
type converter struct {
	errs []error
}

func (c *converter) schema(s *tfprotov6.Schema) *tfjson.Schema {
	if s == nil {
		return nil
	}
	return &tfjson.Schema{Version: uint64(s.Version), Block: c.block(s.Block)}
}

func (c *converter) action(s *tfprotov6.ActionSchema) *tfjson.ActionSchema {
	return &tfjson.ActionSchema{Block: c.schema(s.Schema).Block}
}

func (c *converter) block(b *tfprotov6.SchemaBlock) *tfjson.SchemaBlock {
	out := &tfjson.SchemaBlock{
		Description:     b.Description,
		DescriptionKind: descriptionKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	if len(b.Attributes) > 0 {
		out.Attributes = map[string]*tfjson.SchemaAttribute{}
		for _, a := range b.Attributes {
			out.Attributes[a.Name] = c.attribute(a)
		}
	}
	if len(b.BlockTypes) > 0 {
		out.NestedBlocks = map[string]*tfjson.SchemaBlockType{}
		for _, nb := range b.BlockTypes {
			out.NestedBlocks[nb.TypeName] = &tfjson.SchemaBlockType{
				NestingMode: tfjson.SchemaNestingMode(strings.ToLower(nb.Nesting.String())),
				Block:       c.block(nb.Block),
				MinItems:    uint64(nb.MinItems),
				MaxItems:    uint64(nb.MaxItems),
			}
		}
	}
	return out
}

func (c *converter) attribute(a *tfprotov6.SchemaAttribute) *tfjson.SchemaAttribute {
	out := &tfjson.SchemaAttribute{
		Description:     a.Description,
		DescriptionKind: descriptionKind(a.DescriptionKind),
		Deprecated:      a.Deprecated,
		Required:        a.Required,
		Optional:        a.Optional,
		Computed:        a.Computed,
		Sensitive:       a.Sensitive,
		WriteOnly:       a.WriteOnly,
	}
	if a.NestedType != nil {
		out.AttributeNestedType = &tfjson.SchemaNestedAttributeType{
			Attributes:  map[string]*tfjson.SchemaAttribute{},
			NestingMode: tfjson.SchemaNestingMode(strings.ToLower(a.NestedType.Nesting.String())),
		}
		for _, na := range a.NestedType.Attributes {
			out.AttributeNestedType.Attributes[na.Name] = c.attribute(na)
		}
		return out
	}
	out.AttributeType = c.ctyType(a.Name, a.Type)
	return out
}

func (c *converter) identity(s *tfprotov6.ResourceIdentitySchema) *tfjson.IdentitySchema {
	out := &tfjson.IdentitySchema{Version: uint64(s.Version), Attributes: map[string]*tfjson.IdentityAttribute{}}
	for _, a := range s.IdentityAttributes {
		out.Attributes[a.Name] = &tfjson.IdentityAttribute{
			IdentityType:      c.ctyType(a.Name, a.Type),
			Description:       a.Description,
			RequiredForImport: a.RequiredForImport,
			OptionalForImport: a.OptionalForImport,
		}
	}
	return out
}

// ctyType converts a type through the JSON both packages write and read:
// the same type notation as Terraform's.
func (c *converter) ctyType(name string, t tftypes.Type) cty.Type {
	b, err := json.Marshal(t)
	var out cty.Type
	if err == nil {
		err = out.UnmarshalJSON(b)
	}
	if err != nil {
		c.errs = append(c.errs, fmt.Errorf("attribute %s: type %s: %w", name, t, err))
	}
	return out
}

func descriptionKind(k tfprotov6.StringKind) tfjson.SchemaDescriptionKind {
	if k == tfprotov6.StringKindMarkdown {
		return tfjson.SchemaDescriptionKindMarkdown
	}
	return tfjson.SchemaDescriptionKindPlain
}
