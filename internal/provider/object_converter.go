package provider

import (
	"context"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// objectConverter turns structs whose fields are attr.Values tagged tfsdk
// into object values. It looks the fields up once; converting each value
// then costs a few map writes, where the framework's reflection took most of
// the time of a data source listing thousands of keys.
type objectConverter[T any] struct {
	attrTypes map[string]attr.Type
	names     []string // by field index
}

// newObjectConverter panics on a struct it cannot convert: a programming
// error, found by any test that lists a key.
func newObjectConverter[T any]() objectConverter[T] {
	t := reflect.TypeFor[T]()
	c := objectConverter[T]{attrTypes: map[string]attr.Type{}, names: make([]string, t.NumField())}
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("tfsdk")
		zero, ok := reflect.Zero(f.Type).Interface().(attr.Value)
		if name == "" || !ok {
			panic(fmt.Sprintf("%s.%s: need a tfsdk tag and an attr.Value type", t, f.Name))
		}
		c.names[i] = name
		c.attrTypes[name] = zero.Type(context.Background())
	}
	return c
}

// objectType is the type of the values objectValue returns.
func (c objectConverter[T]) objectType() types.ObjectType {
	return types.ObjectType{AttrTypes: c.attrTypes}
}

func (c objectConverter[T]) objectValue(v *T) types.Object {
	rv := reflect.ValueOf(v).Elem()
	values := make(map[string]attr.Value, len(c.names))
	for i, name := range c.names {
		values[name] = rv.Field(i).Interface().(attr.Value) //nolint:forcetypeassert // checked by newObjectConverter
	}
	return types.ObjectValueMust(c.attrTypes, values)
}
