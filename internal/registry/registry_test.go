package registry

import (
	"reflect"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := New[func() int]("widget")
	r.Register("b", func() int { return 2 })
	r.Register("a", func() int { return 1 })
	if got := r.Types(); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("Types() = %v", got)
	}
	if f, ok := r.Lookup("b"); !ok || f() != 2 {
		t.Errorf("Lookup(b) = %v", ok)
	}
	if _, ok := r.Lookup("c"); ok {
		t.Error("Lookup(c) found an unregistered type")
	}
	defer func() {
		if p := recover(); p != "widget: type a registered twice" {
			t.Errorf("second Register: panic %v", p)
		}
	}()
	r.Register("a", func() int { return 3 })
}
