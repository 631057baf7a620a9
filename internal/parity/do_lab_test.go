package parity_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/query"
)

// TestParityCompactDenialLab: the new side signs online and, like
// Cloudflare, Route 53 and NS1, answers a name that does not exist with
// NOERROR/NODATA and a minimally covering NSEC ("black lies", compact
// denial of existence) to queries with the DO bit, which every
// validating resolver (and BIND, and the public resolvers) sends; it
// answers NXDOMAIN only without DO. Old answers NXDOMAIN. Resolvers thus
// get NOERROR from new where old said NXDOMAIN (RFC 8020 cuts, DMARC np=,
// "domain does not exist" checks of mail servers): parity must ask as
// resolvers ask and report it as what it is, not as a wildcard on one
// side.
func TestParityCompactDenialLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	text := fixture(t)
	z := loadText(t, text)
	old := serve(t, "bind", text)
	o := lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, OnlineSign: true}
	new := lab.Knot(t, o).Addr
	// What a resolver gets (DO=1) and what a query without DO gets.
	for _, c := range []struct {
		addr string
		do   bool
		want int
	}{{old, true, dns.RcodeNameError}, {new, false, dns.RcodeNameError}, {new, true, dns.RcodeSuccess}} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		m, err := query.Msg(ctx, c.addr, "no-such-name."+origin, dns.TypeA, query.MsgOptions{DO: c.do})
		cancel()
		if err != nil || m.Rcode != c.want {
			t.Fatalf("%s DO=%v: %v %v; want %s", c.addr, c.do, m, err, dns.RcodeToString[c.want])
		}
	}
	rep := run(t, z, []string{old}, []string{new})
	dump(t, rep)
	var hit *parity.Finding
	for i, f := range rep.Findings {
		if strings.HasPrefix(f.Name, "dnsparity-") && f.Type == "A" {
			hit = &rep.Findings[i]
		}
	}
	if hit == nil {
		t.Fatalf("no finding for the random label under the apex: resolvers get NXDOMAIN from old and NOERROR/NODATA from new")
	}
	if hit.Kind != "compact-denial" || hit.Severity != parity.SevWarning || !strings.Contains(hit.Detail, "compact denial") || strings.Contains(hit.Detail, "wildcard") {
		t.Errorf("finding %s %s: %s; want a compact-denial warning, no wildcard", hit.Severity, hit.Kind, hit.Detail)
	}
	// A signer's way of denying is no data a push changes: named, but it
	// holds no flip.
	if !rep.OK() {
		t.Errorf("parity does not hold over compact denial alone: %+v", rep.Findings)
	}
}

// TestParityCompactDenialNotForNamesGitHasLab: compact denial excuses
// NOERROR against NXDOMAIN only for a name that does not exist. Git has
// app.lost.parity.test. (so lost.parity.test. is an empty non-terminal);
// old signs online (NODATA and an NSEC at the name, as for any NODATA)
// and has it; new has lost it and answers NXDOMAIN for the empty
// non-terminal: qname-minimising resolvers (Unbound, BIND) ask
// lost.parity.test. first and, with RFC 8020, take NXDOMAIN as "nothing
// below exists". That is new being wrong, not a signer's way of denying:
// an error, never a compact-denial warning.
func TestParityCompactDenialNotForNamesGitHasLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	text := fixture(t)
	full := text + "\napp.lost 300 IN TXT \"here\"\n"
	z := loadText(t, full)
	o := lab.Options{Zones: []lab.Zone{{Origin: origin, Text: full}}, OnlineSign: true}
	old := lab.Knot(t, o).Addr
	new := serve(t, "bind", text)
	rep := run(t, z, []string{old}, []string{new})
	dump(t, rep)
	var hit *parity.Finding
	for i, f := range rep.Findings {
		if f.Name == "lost."+origin {
			hit = &rep.Findings[i]
		}
	}
	if hit == nil {
		t.Fatalf("no finding for the empty non-terminal lost.%s: old answers NODATA, new NXDOMAIN", origin)
	}
	if hit.Kind == "compact-denial" || hit.Severity != parity.SevError {
		t.Errorf("finding %s %s: %s; want an error: git has names below lost.%s, new's NXDOMAIN is wrong", hit.Severity, hit.Kind, hit.Detail, origin)
	}
}

// TestParityCompactDenialDMARCnpLab: the zone's DMARC record rejects mail
// from subdomains that do not exist (np=reject, RFC 9989) and lets
// existing subdomains' mail through (sp=none). Receivers tell a
// subdomain that does not exist by NXDOMAIN; new signs online and
// answers such names NOERROR (compact denial): on new, mail from a
// made-up subdomain gets sp=none instead of np=reject. A mail server sees
// a weaker policy: a dmarc error naming np= and the policy applied
// instead, not only the generic compact-denial warnings.
func TestParityCompactDenialDMARCnpLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	text := strings.Replace(fixture(t), "p=quarantine;", "p=reject; sp=none; np=reject;", 1)
	z := loadText(t, text)
	old := serve(t, "bind", text)
	new := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, OnlineSign: true}).Addr
	rep := run(t, z, []string{old}, []string{new})
	dump(t, rep)
	found := false
	for _, f := range rep.Findings {
		if f.Kind == "dmarc" && f.Name == "_dmarc."+origin && f.Severity == parity.SevError && strings.Contains(f.Detail, "np=reject") && strings.Contains(f.Detail, "sp=none") {
			found = true
		}
	}
	if !found {
		t.Errorf("want a dmarc error: new's compact denial turns np=reject into sp=none for made-up subdomains")
	}
	// The same zone with sp=reject: nothing weaker is applied.
	text = strings.Replace(text, "sp=none;", "sp=reject;", 1)
	z = loadText(t, text)
	rep = run(t, z, []string{serve(t, "bind", text)}, []string{lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, OnlineSign: true}).Addr})
	for _, f := range rep.Findings {
		if f.Kind == "dmarc" && f.Severity != parity.SevInfo {
			t.Errorf("np= equal to sp=: %s %s: %s", f.Severity, f.Kind, f.Detail)
		}
	}
}

// TestParityCompactDenialDMARCnpSubdomainLab: a subdomain's own DMARC
// record (_dmarc.sub, which receivers ask before the organizational
// domain's, RFC 7489 §6.6.3) with np=reject and sp=none loses its np= on
// the side that answers names that do not exist with compact denial
// (Knot signing online), as the apex's does: a dmarc error at
// _dmarc.sub naming np= and the policy applied instead; with sp= as
// strict as np= nothing weaker is applied.
func TestParityCompactDenialDMARCnpSubdomainLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	// sp= of each row, and whether new applies a weaker policy than np=.
	weaker := map[string]bool{"none": true, "reject": false}
	for _, sp := range []string{"none", "reject"} {
		t.Run("sp="+sp, func(t *testing.T) {
			text := verdictBase + "sub IN A 192.0.2.1\n_dmarc.sub IN TXT \"v=DMARC1; p=reject; sp=" + sp + "; np=reject\"\n"
			new := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, OnlineSign: true}).Addr
			rep := run(t, loadText(t, text), []string{serve(t, "bind", text)}, []string{new})
			found := false
			for _, f := range rep.Findings {
				if f.Kind != "dmarc" || f.Severity == parity.SevInfo {
					continue
				}
				if weaker[sp] && f.Name == "_dmarc.sub."+origin && f.Severity == parity.SevError && strings.Contains(f.Detail, "np=reject is not applied on new") && strings.Contains(f.Detail, "sp=none") {
					found = true
					continue
				}
				t.Errorf("unexpected %s %s at %s: %s", f.Severity, f.Kind, f.Name, f.Detail)
			}
			if weaker[sp] && !found {
				t.Errorf("want a dmarc error at _dmarc.sub.%s: new's compact denial turns np=reject into sp=none for made-up subdomains", origin)
				dump(t, rep)
			}
		})
	}
}
