package powerdns_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestDisabledKeptLab: records an operator disabled at PowerDNS (not
// served, kept on purpose; a zone file cannot hold one) survive a push
// that changes their RRset. A PATCH replaces an RRset whole, and push
// sent only git's records, so they went with no plan line. Now they are
// listed as provider-only features (kind disabled, not in the plan's
// comparison) and sent back disabled: git's records change what is
// served, and nothing else. Where git's records hold a disabled record's
// data, that record is served (once: git says so, and the plan shows it
// added). Against the real PowerDNS 4.7: a replace (www), a delete of the
// served records (gone), a create where only disabled records are
// (parked), and git taking a disabled record's data (back).
func TestDisabledKeptLab(t *testing.T) {
	text := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\nmail A 192.0.2.25\n"
	srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}})
	type rec = map[string]any
	rrset := func(name string, records ...rec) map[string]any {
		return map[string]any{"name": name, "type": "A", "ttl": 300, "changetype": "REPLACE", "records": records}
	}
	on := func(ip string) rec { return rec{"content": ip, "disabled": false} }
	off := func(ip string) rec { return rec{"content": ip, "disabled": true} }
	srv.API(t, http.MethodPatch, "/zones/example.com.", map[string]any{"rrsets": []map[string]any{
		rrset("www.example.com.", on("192.0.2.1"), off("192.0.2.9")),
		rrset("gone.example.com.", on("192.0.2.7"), off("192.0.2.8")),
		rrset("parked.example.com.", off("192.0.2.50")),
		rrset("back.example.com.", on("192.0.2.60"), off("192.0.2.61")),
	}}, nil)
	p := newProvider(t, srv.APIURL, srv.APIKey)
	ctx := context.Background()
	z, fs, err := provider.Read(ctx, p, origin)
	if err != nil {
		t.Fatal(err)
	}
	if s := z.Get("www.example.com.", dns.TypeA); s == nil || strings.Join(s.Strings(), " ") != "192.0.2.1" {
		t.Fatalf("www A listed as %v, want the enabled record only", s)
	}
	if z.Get("parked.example.com.", dns.TypeA) != nil {
		t.Error("parked A (disabled records only) listed as held")
	}
	disabled := map[string]bool{}
	for _, f := range fs {
		if f.Feature == "disabled" {
			if !f.Omitted || f.Blocks || f.Replaceable {
				t.Errorf("disabled feature %+v: want omitted, neither blocking nor replaceable", f)
			}
			disabled[f.Name+" "+f.Value] = true
		}
	}
	for _, k := range []string{"www.example.com. 192.0.2.9", "gone.example.com. 192.0.2.8", "parked.example.com. 192.0.2.50", "back.example.com. 192.0.2.61"} {
		if !disabled[k] {
			t.Errorf("no disabled feature %s (features %+v)", k, fs)
		}
	}
	want := zonetest.Load(t, text+"www A 192.0.2.2\nparked A 192.0.2.51\nback A 192.0.2.60\nback A 192.0.2.61\n", origin)
	pl := plan.Compute(want, z, plan.Options{Caps: p.Capabilities(), Unreadable: fs})
	if len(pl.Unsupported) > 0 {
		t.Fatalf("unsupported %v", pl.Unsupported)
	}
	got := map[string]string{}
	for _, c := range pl.Changes {
		got[c.Name] = c.String()
	}
	for n, w := range map[string]string{"www.example.com.": "~ www.example.com. A", "gone.example.com.": "- gone.example.com. A", "parked.example.com.": "+ parked.example.com. A", "back.example.com.": "~ back.example.com. A"} {
		if got[n] != w {
			t.Errorf("plan at %s: %q, want %q", n, got[n], w)
		}
	}
	if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
		t.Fatal(err)
	}
	var after struct {
		RRsets []struct {
			Name, Type string
			Records    []struct {
				Content  string
				Disabled bool
			}
		}
	}
	srv.API(t, http.MethodGet, "/zones/example.com.", nil, &after)
	held := map[string]string{}
	for _, s := range after.RRsets {
		if s.Type != "A" {
			continue
		}
		var rs []string
		for _, r := range s.Records {
			v := r.Content
			if r.Disabled {
				v += " (disabled)"
			}
			rs = append(rs, v)
		}
		sort.Strings(rs)
		held[s.Name] = strings.Join(rs, ", ")
	}
	for n, w := range map[string]string{
		"www.example.com.":    "192.0.2.2, 192.0.2.9 (disabled)",
		"gone.example.com.":   "192.0.2.8 (disabled)",
		"parked.example.com.": "192.0.2.50 (disabled), 192.0.2.51",
		"back.example.com.":   "192.0.2.60, 192.0.2.61",
		"mail.example.com.":   "192.0.2.25",
	} {
		if held[n] != w {
			t.Errorf("PowerDNS holds %s A: %q, want %q", n, held[n], w)
		}
	}
	// What is served is git's, and only git's.
	served := axfr(t, srv.Addr)
	for n, w := range map[string]string{"www.example.com.": "192.0.2.2", "parked.example.com.": "192.0.2.51", "back.example.com.": "192.0.2.60 192.0.2.61"} {
		s := served.Get(n, dns.TypeA)
		if s == nil || strings.Join(s.Strings(), " ") != w {
			t.Errorf("served %s A: %v, want %s", n, s, w)
		}
	}
	if served.Get("gone.example.com.", dns.TypeA) != nil {
		t.Error("gone A still served")
	}
	z, fs, err = provider.Read(ctx, p, origin)
	if err != nil {
		t.Fatal(err)
	}
	if again := plan.Compute(want, z, plan.Options{Caps: p.Capabilities(), Unreadable: fs}); len(again.Changes) != 0 {
		t.Errorf("a second plan: %s", provider.Describe(again.Changes, 5))
	}
	// A provider that has not listed the zone (Apply alone) reads the
	// disabled records first: still kept.
	fresh := newProvider(t, srv.APIURL, srv.APIKey)
	want3 := zonetest.Load(t, text+"www A 192.0.2.3\nparked A 192.0.2.51\nback A 192.0.2.60\nback A 192.0.2.61\n", origin)
	if _, err := fresh.Apply(ctx, origin, plan.Compute(want3, z, plan.Options{Caps: p.Capabilities()}).Changes, nil); err != nil {
		t.Fatal(err)
	}
	if b := string(srv.API(t, http.MethodGet, "/zones/example.com.", nil, nil)); !strings.Contains(b, `{"content": "192.0.2.9", "disabled": true}`) || !strings.Contains(b, `"192.0.2.3"`) {
		t.Errorf("after a push by a provider that had not listed the zone: %s", b)
	}
}
