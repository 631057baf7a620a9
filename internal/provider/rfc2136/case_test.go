package rfc2136_test

import (
	"context"
	"errors"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// TestMixedCasePrerequisites: a server whose zone writes RDATA names in
// mixed case (MX MAIL.Example.COM.), a CAA tag or NAPTR flags in upper
// case, still takes a replace planned from its transfer: the
// prerequisite is not a false conflict.
func TestMixedCasePrerequisites(t *testing.T) {
	const text = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.53\nns2 A 198.51.100.53\n" +
		"mail A 192.0.2.25\nmail2 A 192.0.2.26\nother A 192.0.2.27\nmx MX 10 MAIL.Example.COM.\nsrv SRV 0 5 443 Target.Example.COM.\nalias CNAME Www.Example.COM.\nsvc HTTPS 1 Svc.Example.COM. alpn=h2\ncaa CAA 0 ISSUE \"ca.example\"\nnaptr NAPTR 100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:a@example.com!\" .\n"
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			lab.Require(t, s.bins...)
			srv := s.start(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, TSIG: key, AllowUpdate: true})
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			ctx := context.Background()
			cur, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			desired := parseZone(t, conflictZone+"mail A 192.0.2.25\nmail2 A 192.0.2.26\nother A 192.0.2.27\nmx MX 20 mail2.example.com.\nsrv SRV 0 5 443 other.example.com.\nalias CNAME other.example.com.\nsvc HTTPS 1 other.example.com. alpn=h2\ncaa CAA 0 issue \"ca.example\"\ncaa CAA 0 issuewild \";\"\nnaptr NAPTR 100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:b@example.com!\" .\n")
			pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
			if len(pl.Changes) != 6 {
				t.Fatalf("plan: %v", pl.Changes)
			}
			if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
				t.Fatalf("replace of mixed-case RDATA: %v", err)
			}
			got, _ := p.Records(ctx, origin)
			sameExceptSOA(t, desired, got)
		})
	}
}

// TestPrerequisitesEveryType: every type of the full test zone, pushed and
// then deleted RRset by RRset, each delete carrying its old records as a
// prerequisite: no server reports a false conflict.
func TestPrerequisitesEveryType(t *testing.T) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			ctx := context.Background()
			full := load(t, fullZone)
			push(t, p, full, s.unsupported)
			cur, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			pl := plan.Compute(load(t, minZone), cur, plan.Options{Caps: p.Capabilities()})
			if len(pl.Changes) < 25 {
				t.Fatalf("%d deletes", len(pl.Changes))
			}
			for _, c := range pl.Changes {
				if _, err := p.Apply(ctx, origin, []provider.Change{c}, nil); err != nil {
					t.Errorf("%s: %v", c, err)
				}
			}
		})
	}
}

// TestNAPTRFromFile: a NAPTR record whose replacement is a name (SIP's
// "S" records), in a zone the server loaded from a file, is replaced and
// deleted by a push. PowerDNS 4.7 never matches such a record in a
// value-dependent prerequisite (NXRRSET; the same record added through
// UPDATE matches): its flavor requires the RRset's existence instead, as
// for SVCB and HTTPS, and the SOA serial the first prerequisite carries
// still refuses a change another writer made meanwhile.
func TestNAPTRFromFile(t *testing.T) {
	const naptr = "sip NAPTR 100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.com.\nsip NAPTR 200 10 \"S\" \"SIP+D2T\" \"\" _sip._tcp.example.com.\n" +
		"enum NAPTR 100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:a@example.com!\" .\n"
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			lab.Require(t, s.bins...)
			srv := s.start(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: conflictZone + naptr}}, TSIG: key, AllowUpdate: true})
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			ctx := context.Background()
			cur, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			desired := parseZone(t, conflictZone+"sip NAPTR 100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.net.\n")
			pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
			if len(pl.Changes) != 2 {
				t.Fatalf("plan: %v", pl.Changes)
			}
			// Another writer first: the push is refused, nothing applied.
			otherWriter(t, srv.Addr, nil, []string{"other.example.com. 300 IN TXT \"other writer\""})
			if _, err := p.Apply(ctx, origin, pl.Changes, nil); !errors.Is(err, provider.ErrConflict) {
				t.Fatalf("push after another writer: %v, want ErrConflict", err)
			}
			if cur, err = p.Records(ctx, origin); err != nil {
				t.Fatal(err)
			}
			pl = plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
			if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
				t.Fatalf("replace and delete of NAPTR RRsets loaded from a file: %v", err)
			}
			got, _ := p.Records(ctx, origin)
			sameExceptSOA(t, desired, got)
		})
	}
}
