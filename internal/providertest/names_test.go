package providertest

import (
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestSharedNames: the one list of shared tests names each by its
// function (a provider's suite runs "Retry429" and gets Retry429), and
// Names is that list, each name once.
func TestSharedNames(t *testing.T) {
	for i, s := range shared {
		fn := runtime.FuncForPC(reflect.ValueOf(s.run).Pointer()).Name()
		if !strings.HasSuffix(fn, "/providertest."+s.name) {
			t.Errorf("shared test %q runs %s", s.name, fn)
		}
		if i >= len(Names) || Names[i] != s.name || slices.Index(Names, s.name) != i {
			t.Errorf("Names %v: want %q at %d, once", Names, s.name, i)
		}
	}
	if len(Names) != len(shared) {
		t.Errorf("Names has %d, the shared tests are %d", len(Names), len(shared))
	}
}
