package provider

import (
	"context"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// objectConverter turns structs whose fields are attr.Values tagged tfsdk
// into Terraform object values. It looks the fields up once; converting each
// value then costs a few map writes. Lists of thousands of keys are built
// with it and handed to the framework as raw values: the framework's
// reflection (tfsdk.State.Set and the like) took most of the time and memory
// of a data source listing 10,000 keys, converting each value three times.
type objectConverter[T any] struct {
	attrTypes map[string]attr.Type
	tfType    tftypes.Object
	names     []string // by field index
}

// newObjectConverter panics on a struct it cannot convert: a programming
// error, found by any test that lists a key.
func newObjectConverter[T any]() objectConverter[T] {
	ctx := context.Background()
	t := reflect.TypeFor[T]()
	c := objectConverter[T]{
		attrTypes: map[string]attr.Type{},
		tfType:    tftypes.Object{AttributeTypes: map[string]tftypes.Type{}},
		names:     make([]string, t.NumField()),
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("tfsdk")
		zero, ok := reflect.Zero(f.Type).Interface().(attr.Value)
		if name == "" || !ok {
			panic(fmt.Sprintf("%s.%s: need a tfsdk tag and an attr.Value type", t, f.Name))
		}
		c.names[i] = name
		c.attrTypes[name] = zero.Type(ctx)
		c.tfType.AttributeTypes[name] = zero.Type(ctx).TerraformType(ctx)
	}
	return c
}

// terraformValue converts v to a value of type tfType.
func (c objectConverter[T]) terraformValue(ctx context.Context, v *T) (tftypes.Value, error) {
	values := make(map[string]tftypes.Value, len(c.names))
	if err := c.addTerraformValues(ctx, v, values); err != nil {
		return tftypes.Value{}, err
	}
	return tftypes.NewValue(c.tfType, values), nil
}

// addTerraformValues adds v's fields to the attribute values of a larger
// object, such as a resource whose attributes include T's.
func (c objectConverter[T]) addTerraformValues(ctx context.Context, v *T, values map[string]tftypes.Value) error {
	rv := reflect.ValueOf(v).Elem()
	for i, name := range c.names {
		value, err := rv.Field(i).Interface().(attr.Value).ToTerraformValue(ctx) //nolint:forcetypeassert // checked by newObjectConverter
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		values[name] = value
	}
	return nil
}

// objectWithNulls is an object of type typ with the given attribute values,
// and null for every attribute not given.
func objectWithNulls(typ tftypes.Object, values map[string]tftypes.Value) tftypes.Value {
	for name, t := range typ.AttributeTypes {
		if _, ok := values[name]; !ok {
			values[name] = tftypes.NewValue(t, nil)
		}
	}
	return tftypes.NewValue(typ, values)
}
