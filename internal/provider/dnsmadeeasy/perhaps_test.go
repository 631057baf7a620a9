package dnsmadeeasy_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestWriteAppliedThen5xx: a createMulti DNS Made Easy applied but
// answered with a 5xx (a gateway's 502 while the API behind it did the
// work) is tried again, and the retry is refused: its records are there
// now ("Record with this name and value already exists"). The push
// reports the call perhaps applied, not "not applied"; a re-run
// converges.
func TestWriteAppliedThen5xx(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com")
	p := newProvider(t, s, apiKey, secretKey)
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\na 300 A 192.0.2.1\nb 300 TXT \"b\"\n")
	pl := providertest.Plan(t, p, d)
	s.AddFault(dmetest.Fault{Method: "POST", Path: "createMulti", Times: 1, Status: 502, Applied: true})
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err == nil || !strings.Contains(err.Error(), "perhaps applied") || strings.Contains(err.Error(), "not applied") {
		t.Fatalf("error %v, want the call reported perhaps applied", err)
	}
	if len(res.Applied) != 0 {
		t.Errorf("reported applied: %v", res.Applied)
	}
	if len(s.Records(id)) == 0 {
		t.Fatal("the fake did not apply the call")
	}
	providertest.Push(t, p, d)
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}
