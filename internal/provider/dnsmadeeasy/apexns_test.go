package dnsmadeeasy_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestSystemApexNS: DNS Made Easy's servers answer the domain's own
// (system) name servers at the apex, which its records listing does not
// show. With manage_apex a plan never creates them as custom NS records
// (they would stand twice), creates only git's other names, deletes a
// custom record that duplicates one (left by an earlier push), warns when
// git's apex NS lacks one (no push removes it), and counts them in the
// apex NS the zone serves after the push (Plan.ApexNS, the apex trap's).
func TestSystemApexNS(t *testing.T) {
	const head = "$ORIGIN example.com.\n@ 300 SOA ns10.dnsmadeeasy.com. h. 1 2 3 4 5\nwww 300 A 192.0.2.1\n"
	system := []string{"ns10.dnsmadeeasy.com.", "ns11.dnsmadeeasy.com."}
	for _, tc := range []struct {
		name   string
		apex   bool
		ns     string   // git's apex NS records
		seed   []string // custom apex NS records already there
		change string   // the plan's apex NS change ("" none): "+ a,b" create, "- a" delete, "~ a" replace to a
		warn   string   // a warning the plan must give
		after  []string // custom apex NS records after the push
		served []string // Plan.ApexNS
	}{
		{name: "git names the system servers", apex: true,
			ns:     "@ 86400 NS ns10.dnsmadeeasy.com.\n@ 86400 NS ns11.dnsmadeeasy.com.\n",
			served: system},
		{name: "git adds a server of its own", apex: true,
			ns:     "@ 3600 NS ns10.dnsmadeeasy.com.\n@ 3600 NS ns11.dnsmadeeasy.com.\n@ 3600 NS ns1.example.net.\n",
			change: "+ ns1.example.net.", after: []string{"ns1.example.net."},
			served: []string{"ns1.example.net.", "ns10.dnsmadeeasy.com.", "ns11.dnsmadeeasy.com."}},
		{name: "a duplicate an earlier push left is deleted", apex: true,
			ns:     "@ 3600 NS ns10.dnsmadeeasy.com.\n@ 3600 NS ns11.dnsmadeeasy.com.\n",
			seed:   []string{"ns10.dnsmadeeasy.com.", "ns11.dnsmadeeasy.com."},
			change: "- ns10.dnsmadeeasy.com.,ns11.dnsmadeeasy.com.", served: system},
		{name: "git lacks a system server", apex: true,
			ns:     "@ 3600 NS ns10.dnsmadeeasy.com.\n@ 3600 NS ns1.other.example.\n",
			change: "+ ns1.other.example.", after: []string{"ns1.other.example."},
			warn:   "ns11.dnsmadeeasy.com.",
			served: []string{"ns1.other.example.", "ns10.dnsmadeeasy.com.", "ns11.dnsmadeeasy.com."}},
		{name: "manage_apex false", apex: false,
			ns:     "@ 3600 NS ns1.other.example.\n",
			served: system},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			id := s.AddZone("example.com")
			for _, n := range tc.seed {
				s.Seed(id, dmetest.Record{Name: "", Type: "NS", Value: n, TTL: 3600})
			}
			p := newProvider(t, s, apiKey, secretKey)
			d := providertest.Desired(t, "example.com.", head+tc.ns)
			compute := func() *plan.Plan {
				cur, err := p.Records(context.Background(), d.Origin)
				if err != nil {
					t.Fatal(err)
				}
				return plan.Compute(d, cur, plan.Options{ManageApex: tc.apex, Caps: p.Capabilities()})
			}
			pl := compute()
			var got []string
			for _, c := range pl.Changes {
				if c.Name != "example.com." || c.Type != dns.TypeNS {
					continue
				}
				set := c.New
				if set == nil {
					set = c.Old
				}
				got = append(got, c.Action.Symbol()+" "+strings.Join(plan.NSNames(set), ","))
			}
			if want := tc.change; (want == "" && len(got) > 0) || (want != "" && !slices.Equal(got, []string{want})) {
				t.Errorf("apex NS changes %q, want %q", got, want)
			}
			if w := strings.Join(pl.Warnings, "\n"); tc.warn != "" && (!strings.Contains(w, tc.warn) || !strings.Contains(w, "no push removes")) {
				t.Errorf("warnings %q lack %s", pl.Warnings, tc.warn)
			} else if tc.warn == "" && strings.Contains(w, "dnsmadeeasy.com") {
				t.Errorf("warnings %q", pl.Warnings)
			}
			if !slices.Equal(pl.ApexNS, tc.served) {
				t.Errorf("ApexNS %v, want %v", pl.ApexNS, tc.served)
			}
			if _, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil); err != nil {
				t.Fatal(err)
			}
			var custom []string
			for _, r := range s.Records(id) {
				if r.Name == "" && r.Type == "NS" {
					custom = append(custom, r.Value)
				}
			}
			if !slices.Equal(custom, tc.after) {
				t.Errorf("custom apex NS records after the push %q, want %q", custom, tc.after)
			}
			served := s.ApexNS(id)
			seen := map[string]bool{}
			for _, n := range served {
				if seen[n] {
					t.Errorf("DNS Made Easy serves %s twice at the apex: %v", n, served)
				}
				seen[n] = true
			}
			if again := compute(); len(again.Changes) != 0 {
				t.Errorf("not converged: %v", again.Changes)
			}
		})
	}
}

// TestSystemApexNSTTL: DNS Made Easy serves the domain's system name
// servers at a fixed TTL (dmetest.SystemNSTTL), which no API call
// changes: a plan whose git apex NS has another TTL says so, naming that
// TTL, rather than staying silent while the servers answer another, and
// the cutover takes that TTL as documented for the apex NS it cannot
// list.
func TestSystemApexNSTTL(t *testing.T) {
	const zoneText = "$ORIGIN example.com.\n@ 300 SOA ns10.dnsmadeeasy.com. h. 1 2 3 4 5\n@ 3600 NS ns10.dnsmadeeasy.com.\n@ 3600 NS ns11.dnsmadeeasy.com.\nwww 300 A 192.0.2.1\n"
	s := newServer(t)
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey, secretKey)
	d := providertest.Desired(t, "example.com.", zoneText)
	cur, err := p.Records(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	caps := p.Capabilities()
	pl := plan.Compute(d, cur, plan.Options{Caps: caps})
	want := fmt.Sprint(dmetest.SystemNSTTL)
	if w := strings.Join(pl.Warnings, "\n"); !strings.Contains(w, "example.com. NS") || !strings.Contains(w, want) {
		t.Errorf("warnings %q: none says the apex NS is served at %s, not git's 3600", pl.Warnings, want)
	}
	if got := caps.HiddenApexTTL[dns.TypeNS]; got != dmetest.SystemNSTTL {
		t.Errorf("HiddenApexTTL[NS] = %d, want %d", got, dmetest.SystemNSTTL)
	}
}

// TestApexTTLs: DNS Made Easy keeps the SOA outside the records (a
// custom SOA record assigned to the domain) and serves the system name
// servers at a fixed TTL no call changes, neither of which the records
// listing shows: after `ttl --cap` the plan warns of both and changes
// neither, and git's other apex records (MX, TXT) take git's TTL, down
// and up again; a second plan is empty (providertest.ApexTTLs, the zone
// read back by Records).
func TestApexTTLs(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey, secretKey)
	providertest.ApexTTLs(t, p, providertest.ApexTTL{
		Extra: "@ MX 10 mail.example.org.\n@ TXT \"v=spf1 -all\"\nwww A 192.0.2.1\n",
	})
}
