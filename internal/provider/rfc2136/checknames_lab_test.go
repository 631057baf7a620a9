package rfc2136_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestCheckNamesNSTarget: BIND's check-names (primary fail, the default)
// covers NS targets too, not only A/AAAA owners and MX/SRV targets. A
// delegation to a server whose name has an underscore passed `check` and
// the bind flavor's plan, then BIND refused the UPDATE. The plan now
// refuses it up front.
func TestCheckNamesNSTarget(t *testing.T) {
	srv := start(t, servers[0])
	p := newFlavor(t, srv.Addr, key.Secret, "bind")
	min, err := os.ReadFile(minZone)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "z.zone")
	text := string(min) + "\nsub 300 NS ns_1.example.net.\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	desired, err := zone.Load(path, zone.Options{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cur, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
	if len(pl.Unsupported) == 0 {
		_, err := p.Apply(ctx, origin, pl.Changes, nil)
		t.Errorf("check and plan accept the zone, BIND at apply: %v", err)
	} else if why := pl.Unsupported[0].String(); !strings.Contains(why, "z.zone:") || !strings.Contains(why, "check-names") {
		t.Errorf("refusal %q: want the file and line and check-names", why)
	}
}

// TestCheckNamesAgreesWithBIND sends each record by UPDATE to BIND with
// the generic flavor (no check-names of ours) and compares what BIND does
// with zone.CheckNames, the rules `check` and the bind flavor use. A
// REFUSED answer, signed with the accepted key, is not "credentials
// refused" (provider.ErrAuth): the server refused the data.
func TestCheckNamesAgreesWithBIND(t *testing.T) {
	lab.Require(t, "named")
	const rev = "2.0.192.in-addr.arpa."
	revText := "$ORIGIN " + rev + "\n$TTL 300\n@ SOA ns1.example.com. hostmaster.example.com. 1 3600 600 1209600 300\n@ NS ns1.example.com.\n"
	srv := lab.BIND(t, lab.Options{Zones: []lab.Zone{lab.ZoneFile(t, origin, minZone), {Origin: rev, Text: revText}}, TSIG: key, AllowUpdate: true})
	p := newFlavor(t, srv.Addr, key.Secret, "generic")
	bind := newFlavor(t, srv.Addr, key.Secret, "bind")
	min, err := os.ReadFile(minZone)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		origin, line string
		refused      bool
	}{
		{origin, "sub NS ns_1.example.net.", true},
		{origin, "sub NS ns1.example.net.", false},
		{origin, "mx MX 10 mail_1.example.net.", true},
		{origin, "m_x MX 10 mail.example.net.", true},
		{origin, "*.w MX 10 mail.example.net.", false},
		{origin, "_sip._tcp SRV 1 1 5060 sip_1.example.net.", true},
		{origin, "rt RT 1 a_b.example.net.", true},
		{origin, "afs AFSDB 1 a_b.example.net.", true},
		{origin, "kx KX 1 a_b.example.net.", false},
		{origin, "svc SVCB 1 a_b.example.net.", true},
		{origin, "svc SVCB 0 a_b.example.net.", false},
		{origin, "web HTTPS 1 a_b.example.net.", true},
		{origin, "p PTR a_b.example.net.", false},
		{origin, "rp RP a_b.example.com. .", false},
		{origin, "rp RP a.b_c.example.com. .", true},
		{origin, "mi MINFO a.b_c.example.com. a.example.com.", true},
		{origin, "h_1 A 192.0.2.1", true},
		{origin, "c CNAME a_b.example.net.", false},
		{rev, "1 PTR my_host.example.com.", true},
		{rev, "1 PTR my-host.example.com.", false},
		{rev, "lb._dns-sd._udp PTR a_b.example.com.", false},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.line, func(t *testing.T) {
			head := string(min)
			if tc.origin == rev {
				head = revText
			}
			path := filepath.Join(t.TempDir(), "z.zone")
			if err := os.WriteFile(path, []byte(head+tc.line+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			desired, err := zone.Load(path, zone.Options{Origin: tc.origin})
			if err != nil {
				t.Fatal(err)
			}
			warned := false
			for _, pr := range zone.Check(desired) {
				if strings.Contains(pr.Message, "check-names") {
					warned = true
					if pr.Severity != zone.Warning || !strings.Contains(pr.String(), "z.zone:") {
						t.Errorf("check: %v, want a warning naming file and line", pr)
					}
				}
			}
			cur, err := p.Records(ctx, tc.origin)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(plan.Compute(desired, cur, plan.Options{Caps: bind.Capabilities()}).Unsupported); (n > 0) != tc.refused {
				t.Errorf("bind flavor refuses it: %v, want %v", n > 0, tc.refused)
			}
			pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
			_, err = p.Apply(ctx, tc.origin, pl.Changes, nil)
			if (err != nil) != tc.refused {
				t.Fatalf("BIND: %v, want refused %v", err, tc.refused)
			}
			if warned != tc.refused {
				t.Errorf("check warns: %v, BIND refuses: %v", warned, tc.refused)
			}
			if err != nil && (errors.Is(err, provider.ErrAuth) || !strings.Contains(err.Error(), "the server refused the update") || !strings.Contains(err.Error(), "log")) {
				t.Errorf("refusal of a signed update reads %q: want the server's refusal and its log, not ErrAuth", err)
			}
		})
	}
}
