package plural

import "testing"

func TestN(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 errors"}, {1, "1 error"}, {2, "2 errors"}, {1000, "1000 errors"}} {
		if got := N(tc.n, "error", "errors"); got != tc.want {
			t.Errorf("N(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := N(1, "zone file", "zone files"); got != "1 zone file" {
		t.Errorf("N(1, zone file) = %q", got)
	}
}
