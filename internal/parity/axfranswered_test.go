package parity

import "testing"

// TestAXFRErrorAnswered: a side whose every server answered the transfer
// with an error rcode refused this zone (parity over many zones goes on
// to the others); one that timed out or broke off on any server may be
// down for every zone (the run stops).
func TestAXFRErrorAnswered(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    AXFRError
		want bool
	}{
		{"one server, NOTAUTH", AXFRError{Rcodes: []string{"a NOTAUTH"}, Errs: []string{"NOTAUTH"}}, true},
		{"two servers, REFUSED and NOTAUTH", AXFRError{Rcodes: []string{"a REFUSED", "b NOTAUTH"}, Errs: []string{"REFUSED", "NOTAUTH"}}, true},
		{"one refused, one timed out", AXFRError{Rcodes: []string{"a REFUSED"}, Errs: []string{"REFUSED", "i/o timeout"}}, false},
		{"timed out", AXFRError{Errs: []string{"i/o timeout"}}, false},
		{"over a limit", AXFRError{Errs: []string{"more than 1000000 records"}}, false},
	} {
		if got := tc.e.Answered(); got != tc.want {
			t.Errorf("%s: Answered() = %v, want %v", tc.name, got, tc.want)
		}
	}
}
