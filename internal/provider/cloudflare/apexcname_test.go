package cloudflare_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
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

// TestNSBesideOtherTypes: below the apex Cloudflare takes no type but DS
// beside an NS record (cloudflare-go RecordService.New, Notes; cftest
// refuses it). git's delegation with data at the delegation point was
// pushed and the batch refused, after the calls before it; now plan
// refuses the NS, the data and a DS at that name (the rest of the zone
// goes), and a delegation that replaces a TXT Cloudflare holds there
// goes in one batch, the TXT deleted first.
func TestNSBesideOtherTypes(t *testing.T) {
	const head = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns. h. 1 2 3 4 5\n@ NS ada.ns.cloudflare.com.\nwww A 192.0.2.2\n"
	for _, tc := range []struct {
		name, text string
		held       []cftest.Record
		refused    []string // RRsets plan refuses; the rest must be read back
	}{
		{"NS and DS", "sub NS ns1.example.net.\nsub DS 12345 13 2 " + strings.Repeat("ab", 32) + "\n", nil, nil},
		{"NS and TXT", "sub NS ns1.example.net.\nsub TXT \"at the cut\"\nsub DS 12345 13 2 " + strings.Repeat("ab", 32) + "\n", nil, []string{"sub.example.com. DS", "sub.example.com. NS", "sub.example.com. TXT"}},
		{"NS and A at its own name", "sub NS sub.example.com.\nsub A 192.0.2.53\n", nil, []string{"sub.example.com. NS", "sub.example.com. A"}},
		{"NS replaces a TXT held", "sub NS ns1.example.net.\n", []cftest.Record{{Name: "sub.example.com", Type: "TXT", Content: `"by hand"`, TTL: 300}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			id := s.AddZone("example.com")
			for _, r := range tc.held {
				s.Seed(id, r)
			}
			p := newProvider(t, s, token)
			ctx := context.Background()
			d := desired(t, head+tc.text)
			pl := providertest.PlanOf(t, p, d)
			var refused []string
			for _, u := range pl.Unsupported {
				refused = append(refused, u.Set.Name+" "+dns.TypeToString[u.Set.Type])
				if !strings.Contains(u.Reason, "beside an NS record below the apex") {
					t.Errorf("refusal %s", u)
				}
			}
			slices.Sort(refused)
			if want := slices.Sorted(slices.Values(tc.refused)); !slices.Equal(refused, want) {
				t.Errorf("refused %q, want %q", refused, want)
			}
			if _, err := p.Apply(ctx, "example.com.", pl.Changes, nil); err != nil {
				t.Fatalf("apply: %v", err)
			}
			got, err := p.Records(ctx, "example.com.")
			if err != nil {
				t.Fatal(err)
			}
			for _, set := range d.Sets {
				key := set.Name + " " + dns.TypeToString[set.Type]
				g := got.Get(set.Name, set.Type)
				switch {
				case set.Name == "example.com." && (set.Type == dns.TypeSOA || set.Type == dns.TypeNS):
				case slices.Contains(tc.refused, key) && g != nil:
					t.Errorf("%s refused but at Cloudflare: %v", key, g.Strings())
				case !slices.Contains(tc.refused, key) && (g == nil || !g.SameData(set)):
					t.Errorf("%s: read back %v, want %v", key, g, set.Strings())
				}
			}
		})
	}
}
