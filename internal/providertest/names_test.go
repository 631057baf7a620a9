package providertest

import (
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestSharedNames: the one list of shared tests names each by its
// function (a provider's suite runs "Retry429" and gets Retry429), each
// name once.
func TestSharedNames(t *testing.T) {
	for i, s := range shared {
		fn := runtime.FuncForPC(reflect.ValueOf(s.run).Pointer()).Name()
		if !strings.HasSuffix(fn, "/providertest."+s.name) {
			t.Errorf("shared test %q runs %s", s.name, fn)
		}
		// Names is built from shared: only a name given twice can be
		// wrong in it (RunOne would run the first).
		if slices.Index(Names, s.name) != i {
			t.Errorf("Names %v: %q more than once", Names, s.name)
		}
	}
}
