package providertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// FeaturesAre: p's Features of origin are exactly want, each keyed
// "name type feature omitted" ("geo.example.com. A geodns false"; a key
// twice for two such features), each with its detail and advice; the
// features are returned by key for the provider's own checks.
func FeaturesAre(t *testing.T, p provider.FeatureReporter, origin string, want ...string) map[string]provider.Feature {
	t.Helper()
	fs, err := p.Features(context.Background(), origin)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]provider.Feature{}
	n := map[string]int{}
	for _, f := range fs {
		if f.Detail == "" || f.Advice == "" {
			t.Errorf("feature without detail or advice: %+v", f)
		}
		k := fmt.Sprintf("%s %s %s %v", f.Name, f.Type, f.Feature, f.Omitted)
		got[k] = f
		n[k]++
	}
	for _, k := range want {
		if n[k]--; n[k] < 0 {
			t.Errorf("missing feature %s: %+v", k, fs)
		}
	}
	if len(fs) != len(want) {
		t.Errorf("%d features, want %d: %+v", len(fs), len(want), fs)
	}
	return got
}
