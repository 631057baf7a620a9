package cloudflare_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// TestApexCNAMEBlocksApexRecords: beside Cloudflare's flattened apex
// CNAME (which Records leaves out) the API refuses git's apex A and AAAA
// (81054 "A CNAME record with that host already exists"), on every push;
// an MX or TXT stands beside it ("Records with the same name"; "CNAME
// Flattening": MX records at a root with a CNAME). The plan refuses the
// A and AAAA up front, naming the CNAME, and pushes the rest.
func TestApexCNAMEBlocksApexRecords(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	id := s.AddZone("example.com")
	s.Seed(id, cftest.Record{Name: "example.com", Type: "CNAME", Content: "lb.example.net", TTL: 1})
	p := newProvider(t, s, token)
	d := desired(t, "$ORIGIN example.com.\n$TTL 300\n@ SOA ns. h. 1 2 3 4 5\n@ NS ada.ns.cloudflare.com.\n@ A 192.0.2.1\n@ AAAA 2001:db8::1\n@ TXT \"v=spf1 -all\"\n@ MX 10 mail.example.net.\nwww A 192.0.2.2\n")
	ctx := context.Background()
	cur, fs, err := provider.Read(ctx, p, "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities(), Unreadable: fs})
	refused := map[string]bool{}
	for _, u := range pl.Unsupported {
		if strings.Contains(u.Reason, "CNAME at example.com.") && strings.Contains(u.Reason, "lb.example.net") && strings.Contains(u.Reason, "other data at one name") {
			refused[u.Set.Name+" "+dns.TypeToString[u.Set.Type]] = true
		} else {
			t.Errorf("unsupported %s", u)
		}
	}
	if !refused["example.com. A"] || !refused["example.com. AAAA"] || len(refused) != 2 {
		t.Errorf("refused %v, want the apex A and AAAA (beside the flattened apex CNAME)", refused)
	}
	if _, err := p.Apply(ctx, "example.com.", pl.Changes, nil); err != nil {
		t.Fatalf("apply of what the plan kept: %v", err)
	}
	if n := len(s.Records(id)); n != 4 {
		t.Errorf("%d records at the fake, want the apex CNAME, TXT and MX and www A", n)
	}
}
