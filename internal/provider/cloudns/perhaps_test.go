package cloudns_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestWriteAppliedThen5xx: an add-record ClouDNS applied but answered
// with a 5xx (a gateway's 502 while the API behind it did the work) is
// tried again, and the retry is refused: the record is there now ("The
// record already exists."). The push reports the change perhaps
// applied, not "not applied"; a re-run converges.
func TestWriteAppliedThen5xx(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com")
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: config.Secret(password)}, AuthID: authID}})
	p.SetImportBatch(0) // one add-record per record
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\na 300 A 192.0.2.1\n")
	pl := providertest.Plan(t, p, d)
	s.AddFault(cloudnstest.Fault{Path: "add-record", Times: 1, Status: 502, Applied: true})
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err == nil || !strings.Contains(err.Error(), "perhaps applied") || strings.Contains(err.Error(), "not applied") {
		t.Fatalf("error %v, want the change reported perhaps applied (and nothing not applied)", err)
	}
	if len(res.Applied) != 0 {
		t.Errorf("reported applied: %v", res.Applied)
	}
	if len(res.Left.Perhaps) != 1 || len(res.Left.NotApplied)+len(res.Left.Partly)+len(res.Left.Unknown) != 0 {
		t.Errorf("the Result's left: %+v, want the change perhaps applied", res.Left)
	}
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("the fake did not apply the call: %v", pl.Changes)
	}
}
