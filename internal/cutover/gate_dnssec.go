package cutover

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// gateDNSSECAfter runs the dnssec gate when the gate that shows the side
// answers (pre) passed; otherwise it is not met without being asked, so a
// side that is down is a refusal, not a gate that could not run.
func gateDNSSECAfter(ctx context.Context, c *Config, tr *Trail, s, other *Side, rep *Report, pre string) Gate {
	if g, ok := dnssecNotChecked(rep, s, other, pre); ok {
		return g
	}
	g := servedDSToo(ctx, c, tr, s, other, rep, gateDNSSEC(ctx, c, tr, s, other, rep.Delegation, nil), nil, rep.Delegation.DS)
	return c.judgeSignatures(ctx, rep, g, s)
}

// dnssecNotChecked is the dnssec gate not asked, and not met, when the
// report's gate pre (the one that shows side s answers as the step
// needs) failed; ok false when pre did not fail. Its detail gives pre's
// reason: a parity gate that failed on findings (differs: every server
// answered) means s serves other data than other (or than git, for a
// matches-git gate), which that gate's plan makes right; one that could
// not be proven, that s must answer first; any other failure (a copy
// about to expire, say), that pre must be met first.
func dnssecNotChecked(rep *Report, s, other *Side, pre string) (Gate, bool) {
	for _, g := range rep.Gates {
		if g.Name != pre || g.OK {
			continue
		}
		detail := fmt.Sprintf("not checked: the %s side must meet that gate first, as its plan says (gate %s)", s.Name, pre)
		switch {
		case g.unproven || g.Err:
			detail = fmt.Sprintf("not checked: the %s side must answer first (gate %s)", s.Name, pre)
		case g.differs:
			against := "the " + other.Name + " side"
			if pre == GateOldMatchesGit || pre == GateNewMatchesGit {
				against = "git"
			}
			detail = fmt.Sprintf("not checked: the %s side answers, with other data than %s (gate %s failed): make it serve the same (gate %s's plan), then run the step again", s.Name, against, pre, pre)
		}
		return Gate{Name: GateDNSSEC, Detail: detail}, true
	}
	return Gate{}, false
}

// servedDSToo adds to g (the dnssec gate under the view's DS set, and
// the checked ones) the verdict under every other DS set a parent server
// serves while they disagree (Report.dsServed: a DS change half-published
// during a step out of an incident): resolvers that asked that server
// hold it, so the side the step moves to must validate under it too.
// target is the DS set the step sets (nil: left alone), for the CDS check.
func servedDSToo(ctx context.Context, c *Config, tr *Trail, s, other *Side, rep *Report, g Gate, target []string, checked ...[]string) Gate {
	for _, sd := range rep.dsServed {
		if slices.ContainsFunc(checked, func(ds []string) bool { return sameDSText(ds, sd.DS) }) {
			continue
		}
		d := rep.Delegation
		d.DS, d.DSTTL = sd.DS, sd.TTL
		h := gateDNSSEC(ctx, c, tr, s, other, d, target)
		g.Detail += fmt.Sprintf("; with the DS set %s (%d records, key tags %s): %s", sd.who(), len(sd.DS), dsTagsText(sd.DS), h.Detail)
		g.OK = g.OK && h.OK
		g.Err = g.Err || h.Err
		g.Plan = append(g.Plan, h.Plan...)
		g.next = append(g.next, h.next...)
		g.warnings = append(g.warnings, h.warnings...)
	}
	return g
}

// gateDNSSEC runs the dnssec gate against side s, which the delegation is
// to point to, with the DS the parent serves; other is the side it points
// to now, whose cached DNSKEY set must hold every key s signs with, and
// have held them for the DNSKEY TTL since the trail first saw it so (the
// gate's record of both sides' key sets goes to the step's entry). A DS
// removed from the parent lately that resolvers may still hold (from the
// trail) is checked as if the parent still served it. Both sides' CDS and
// CDNSKEY must not ask the parent for another DS set than the step's:
// target (the DS set a rollback restores) or, when nil, d.DS.
func gateDNSSEC(ctx context.Context, c *Config, tr *Trail, s, other *Side, d DelegationView, target []string) Gate {
	in := dnssec.Input{Zone: c.Zone.Origin, DS: d.DS, DSTTL: d.DSTTL, Servers: s.Servers, Sample: signedQuestions(c.Zone), EmptyNonTerminal: emptyNonTerminal(c.Zone),
		Timeout: c.Timeout, Now: c.Now(), Side: s.Name, NSTTL: d.NSTTL, MaxTTL: ZoneMaxTTL(c.Zone), OtherNSTTL: sideNSTTL(ctx, c, other),
		Other: other.Servers, TargetDS: target, NoIPv6: c.Delegation.NoIPv6}
	if tr != nil {
		in.Held = tr.CachedDS(d.DS, in.Now)
		in.UnseenDSSince, in.UnseenDSTTL = tr.dsRecordBegan(in.Now, d.DS, d.DSTTL)
		in.WaitDNSKEY, in.OtherKeys, in.SideKeys = true, tr.KeysSeen(other.Name), tr.KeysSeen(s.Name)
	}
	res, err := c.DNSSEC(ctx, in)
	g := Gate{Name: GateDNSSEC, keys: res.Seen, signedUntil: res.SignedUntil, keysAsked: map[string][]string{s.Name: s.Servers, other.Name: other.Servers}}
	switch {
	case err != nil:
		g.Err = true
		g.Detail = fmt.Sprintf("could not run (DS at the parent: %d): %v", len(d.DS), err)
	default:
		g.OK = res.OK
		g.Detail = res.Situation + ": " + res.Detail
		g.Plan = res.Plan
		for _, w := range res.Warnings {
			g.warnings = append(g.warnings, "dnssec: "+w)
		}
		if len(res.Steps) > 0 {
			g.Plan = nil
			for _, st := range res.Steps {
				g.Plan = append(g.Plan, st.String())
				if !res.OK && !st.Earliest.IsZero() {
					g.next = append(g.next, Next{Step: fmt.Sprintf("dnssec (%s) %d", st.Route, st.N), Earliest: st.Earliest.UTC(), Detail: st.Text})
				}
			}
		}
	}
	return g
}

// keysMoved names each side whose servers serve, right before the
// registrar change, another DNSKEY set than the dnssec gate judged
// (dnssec.ServedKeySet against the gate's record, Gate.keys): a provider
// that stopped signing, or rolled its keys, while the gates ran moves
// neither its SOA serial (Route 53's never moves; PowerDNS's does not
// when its DNSSEC is switched off) nor what its API lists, and the
// delegation would send resolvers to keys no DS or cached DNSKEY set
// was checked against. A side whose servers do not answer now is left to
// the authoritative gates' re-check.
func keysMoved(ctx context.Context, c *Config, rep *Report) []string {
	var out []string
	for _, g := range rep.Gates {
		if g.Name != GateDNSSEC {
			continue
		}
		for _, side := range slices.Sorted(maps.Keys(g.keys)) {
			then := g.keys[side]
			now, ok := dnssec.ServedKeySet(ctx, c.Zone.Origin, g.keysAsked[side], c.Timeout)
			if !ok || now.Keys == then.Keys {
				continue
			}
			same := ""
			if slices.Equal(then.Tags, now.Tags) {
				same = " (other keys under the same tags)"
			}
			out = append(out, fmt.Sprintf("the %s side served DNSKEY key tags %s, now %s%s", side, tagsText(then.Tags), tagsText(now.Tags), same))
		}
	}
	return out
}

// tagsText is a list of key tags, "none" when empty.
func tagsText(tags []uint16) string {
	if len(tags) == 0 {
		return "none"
	}
	s := make([]string, len(tags))
	for i, t := range tags {
		s[i] = fmt.Sprint(t)
	}
	return strings.Join(s, " ")
}

// signedQuestions are what the dnssec gate verifies on every server of
// the side: the owner/type pair of every RRset of the zone but those a
// signer makes (zone.Generated), and the denials resolvers get from it:
// at each owner of its own data (no CNAME, not a delegation, nothing
// occluded below one or a DNAME) a type it lacks (nodataProbe: its
// NSEC or NSEC3 must prove the NODATA), and each empty non-terminal it
// answers for, asked for A (the covering NSEC, or its own NSEC3), and
// for each wildcard a name below its parent that it answers (its types:
// the answer and the proof that no closer name exists). One
// RRset or one proof that fails is SERVFAIL for that name at validating
// resolvers, and parity compares no signatures. A sample of 20 left the
// rest unverified: a side serving one bogus RRset among sixty passed
// (TestFlipOneBogusRRsetLab), and so did one whose NSEC at a name still
// listed a type it no longer held (TestFlipStaleNSECBitmapLab), and one
// whose NSEC chain no longer covered the names its wildcard answers
// (TestFlipWildcardExpansionUnprovenLab).
func signedQuestions(z *zone.Zone) [][2]string {
	v := z.View()
	var out, nodata [][2]string
	types := map[string]map[uint16]bool{}
	var owners []string
	for _, s := range z.Sets {
		if types[s.Name] == nil {
			types[s.Name] = map[uint16]bool{}
			owners = append(owners, s.Name)
		}
		types[s.Name][s.Type] = true
		if zone.Generated(z.Origin, s.Name, s.Type) {
			continue
		}
		out = append(out, [2]string{s.Name, dns.Type(s.Type).String()})
	}
	for _, n := range owners {
		has := types[n]
		if has[dns.TypeCNAME] || (n != z.Origin && has[dns.TypeNS]) {
			continue
		}
		if owner, _ := v.Occluder(n); owner != "" {
			continue
		}
		if t := nodataProbe(has); t != 0 {
			nodata = append(nodata, [2]string{n, dns.Type(t).String()})
		}
	}
	// A name each wildcard answers: its answer must come with the proof
	// that no closer name exists (RFC 4035 section 5.3.4), which the
	// wildcard's own name, asked above, does not need.
	for _, n := range owners {
		parent, ok := strings.CutPrefix(n, "*.")
		if !ok {
			continue
		}
		// A wildcard delegation (NS, RFC 4592 section 4.2) answers with
		// a referral, not data: nothing to verify there.
		if owner, _ := v.Occluder(n); owner != "" || z.Get(n, dns.TypeNS) != nil {
			continue
		}
		probe := wildcardProbe + "." + parent
		if z.Get(probe, dns.TypeA) != nil || slices.ContainsFunc(owners, func(o string) bool { return dns.IsSubDomain(probe, o) }) {
			continue
		}
		for _, set := range z.Sets {
			if set.Name == n && !zone.Generated(z.Origin, set.Name, set.Type) {
				out = append(out, [2]string{probe, dns.Type(set.Type).String()})
			}
		}
	}
	for _, n := range v.ENTs() {
		if owner, _ := v.Occluder(n); owner == "" {
			nodata = append(nodata, [2]string{n, "A"})
		}
	}
	return append(out, nodata...)
}

// wildcardProbe is the label of the name signedQuestions asks below
// each wildcard's parent, answered by the wildcard.
const wildcardProbe = "dnsparity-wildcard"

// nodataProbe is a type an owner holding the types has not, for a NODATA
// question resolvers ask every day (dual-stack clients ask AAAA and A,
// mail and policy lookups TXT); 0 when it holds them all.
func nodataProbe(has map[uint16]bool) uint16 {
	for _, t := range []uint16{dns.TypeAAAA, dns.TypeA, dns.TypeTXT, dns.TypeMX, dns.TypeCAA} {
		if !has[t] {
			return t
		}
	}
	return 0
}

// sideNSTTL is the largest apex NS TTL the servers of s served in the
// step (apexNSSeen, which the old side's observation asks anyway), for
// the dnssec plan's route (a): the new DS waits for it after the change,
// as old_delegation_expires counts it. Authoritative answers only, as
// the TTLs observed count them (servedNSTTL). 0 outside a step, or when
// no server answered so.
func sideNSTTL(ctx context.Context, c *Config, s *Side) uint32 {
	if c.apexSeen == nil || len(s.Servers) == 0 {
		return 0
	}
	ttl, _ := servedNSTTL(c.apexSeen.apexNSOf(ctx, c, s.Servers))
	return ttl
}

// emptyNonTerminal is the zone's first empty non-terminal (View.ENTs)
// that its servers answer from its own data (not below a delegation or a
// DNAME), for the dnssec gate's NODATA probe of one; "" when it has none.
func emptyNonTerminal(z *zone.Zone) string {
	v := z.View()
	for _, n := range v.ENTs() {
		if owner, _ := v.Occluder(n); owner == "" {
			return n
		}
	}
	return ""
}
