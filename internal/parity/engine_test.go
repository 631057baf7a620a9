package parity

import (
	"context"
	"testing"
)

// TestEngineRoutesOnce: an engine keeps the servers asked from here
// (query.NotFromHere found a route), per NoIPv6, and only those: one left
// out on purpose is looked up again by the next zone.
func TestEngineRoutesOnce(t *testing.T) {
	eng := NewEngine(Options{})
	defer eng.Close()
	ctx := context.Background()
	for _, tt := range []struct {
		addr      string
		noIPv6    bool
		onPurpose bool
	}{
		{"127.0.0.1:53", false, false},
		{"127.0.0.1:53", true, false},
		{"[2001:db8::1]:53", true, true},
	} {
		for range 2 {
			why, onPurpose := eng.notFromHere(ctx, tt.addr, tt.noIPv6)
			if (why != "") != tt.onPurpose || onPurpose != tt.onPurpose {
				t.Errorf("%s (noIPv6 %v): why %q, on purpose %v", tt.addr, tt.noIPv6, why, onPurpose)
			}
		}
		if kept := eng.routed[route{tt.addr, tt.noIPv6}]; kept == tt.onPurpose {
			t.Errorf("%s (noIPv6 %v): kept %v", tt.addr, tt.noIPv6, kept)
		}
	}
}
