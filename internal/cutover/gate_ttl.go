package cutover

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// observeTTLs takes the longest each provider's data may be cached: the
// largest TTL it lists, the apex SOA and NS TTLs its servers serve
// (sideMaxTTL), and the largest TTL any of its servers served above the
// cap in answer to parity's questions (sum: the parity run of the step;
// every RRset of the zone, on every server). Without those answers (parity
// did not complete) the served TTLs are unknown, and said so.
func observeTTLs(ctx context.Context, c *Config, l *listing, sum *ParitySummary) TTLs {
	var t TTLs
	above := sum.servedAbove()
	if above == nil {
		t.ServedUnknown = "parity did not complete: the TTLs its answers carry are not known"
	}
	if l.oldErr != nil {
		t.OldErr = l.oldErr.Error()
	} else {
		t.OldMax, t.OldApex = sideMaxTTL(l.old, apexServed(ctx, c, &c.Old), c.Old.Provider.Capabilities())
		t.OldMax, t.OldServed = withServed(t.OldMax, above, "old")
	}
	if l.newErr != nil {
		t.NewErr = l.newErr.Error()
	} else {
		t.NewMax, t.NewApex = sideMaxTTL(l.new, apexServed(ctx, c, &c.New), c.New.Provider.Capabilities())
		t.NewMax, t.NewServed = withServed(t.NewMax, above, "new")
	}
	return t
}

// withServed is m raised to the longest TTL side's servers served above
// the cap, and which RRset at which server that was ("" when none).
func withServed(m uint32, above *parity.TTLsAbove, side string) (uint32, string) {
	if above == nil {
		return m, ""
	}
	v, ok := above.Max[side]
	if !ok {
		return m, ""
	}
	for _, w := range above.Worst {
		if w.Side == side && w.TTL == v {
			return max(m, v), servedText(w)
		}
	}
	return max(m, v), fmt.Sprintf("%d s served", v)
}

func servedText(w parity.ServedTTL) string {
	return fmt.Sprintf("%s %s %d s at %s", w.Name, dns.Type(w.Type), w.TTL, w.Server)
}

// ZoneMaxTTL is the largest TTL a resolver may cache from z's data: every
// RRset's TTL (the SOA's negative-caching TTL, the minimum of its TTL and
// MINIMUM, is never larger). DNSSEC records a signing provider makes itself
// (DNSKEY, RRSIG, NSEC...) are left out: the dnssec gate weighs their TTLs.
func ZoneMaxTTL(z *zone.Zone) uint32 {
	var m uint32
	for _, s := range z.Sets {
		if zone.Generated(z.Origin, s.Name, s.Type) {
			continue
		}
		m = max(m, s.TTL)
	}
	return m
}

// gateTTLPrestaged: the longest each provider's data may be cached (t,
// observeTTLs) is at most the cap. The RRsets served above it (sum, the
// step's parity run: name, type, TTL and server, worst first) are its
// checks, named in its detail; with the served TTLs unknown it is unmet.
func gateTTLPrestaged(origin string, t TTLs, cap uint32, l *listing, sum *ParitySummary) Gate {
	g := Gate{Name: GateTTLPrestaged}
	if t.OldErr != "" || t.NewErr != "" {
		g.Err = true
		g.Detail = "cannot list the providers' TTLs: " + strings.TrimSpace(t.OldErr+" "+t.NewErr)
		return g
	}
	g.OK = t.Max() <= cap && t.ServedUnknown == ""
	g.Detail = fmt.Sprintf("largest TTL: old %d s, new %d s; policy.prestage_ttl %d s", t.OldMax, t.NewMax, cap)
	if t.OldApex != "" || t.NewApex != "" {
		g.Detail += fmt.Sprintf(" (old: %s; new: %s)", dash(t.OldApex), dash(t.NewApex))
	}
	above := sum.servedAbove()
	switch {
	case t.ServedUnknown != "":
		g.Detail += "; the TTLs the servers serve beyond the apex are not checked: " + t.ServedUnknown
	case above != nil && len(above.Worst) > 0:
		g.Detail += "; " + servedDetail(above)
		g.Checks = servedChecks(above, cap)
	}
	if t.Max() > cap {
		var over []string
		apex := false
		for _, side := range []struct {
			name string
			z    *zone.Zone
		}{{"old", l.old}, {"new", l.new}} {
			names, atApex := overCap(side.z, cap)
			apex = apex || atApex
			if len(names) > 0 {
				over = append(over, side.name+": "+strings.Join(names, ", "))
			}
		}
		if len(over) > 0 {
			g.Detail += "; over the cap: " + strings.Join(over, "; ")
		}
		if len(over) > 0 || len(g.Checks) == 0 {
			g.Plan = []string{fmt.Sprintf("cap the TTLs in git: `dnsparity ttl --cap %d ZONEFILE`, commit, push to both providers", cap)}
		}
		if apex {
			g.Plan = append(g.Plan, "the apex SOA and NS: push sets their TTLs (and the SOA minimum) from git where the provider's API allows it; where it does not, "+zoneCmd(origin, "plan")+" warns and says what to set by hand at that provider")
		}
		if len(g.Checks) > 0 {
			g.Plan = append(g.Plan, fmt.Sprintf("the RRsets served above the cap (the gate's checks; a server may serve an RRset longer than git and the provider's listing say: a provider's minimum TTL or TTL override, a server the push did not reach, a record outside the provider's API): serve them at or under %d s (the provider's TTL setting, that server's zone), or, where a provider's minimum is higher, make policy.prestage_ttl that minimum", cap))
		}
		g.Plan = append(g.Plan, "run "+zoneCmd(origin, "status")+" after the push: it records when the TTLs went down", "wait until the previous maximum TTL has passed")
	}
	if t.ServedUnknown != "" {
		g.Plan = append(g.Plan, "make parity complete (gate parity: every server of both sides must answer), then run the step again")
	}
	return g
}

// servedDetail names the RRsets served above the cap: how many, and the
// worst three with their server.
func servedDetail(a *parity.TTLsAbove) string {
	var ws []string
	for i, w := range a.Worst {
		if i == 3 {
			break
		}
		ws = append(ws, fmt.Sprintf("%s (%s)", servedText(w), w.Side))
	}
	s := fmt.Sprintf("served above the cap: %s (%s): %s", plural.N(a.RRsets, "RRset", "RRsets"), plural.N(a.Served, "server answer", "server answers"), strings.Join(ws, ", "))
	if n := max(a.Served, len(a.Worst)) - len(ws); n > 0 {
		s += fmt.Sprintf(", and %d more", n)
	}
	return s
}

// servedChecks are the gate's checks: each RRset served above the cap,
// by server, worst first (at most parity.MaxTTLsAbove).
func servedChecks(a *parity.TTLsAbove, cap uint32) []delegation.Check {
	var out []delegation.Check
	for _, w := range a.Worst {
		out = append(out, delegation.Check{Name: CheckServedTTL, Server: w.Server, Severity: "error",
			Detail: fmt.Sprintf("the %s side serves %s %s with TTL %d s, above policy.prestage_ttl %d s", w.Side, w.Name, dns.Type(w.Type), w.TTL, cap),
			Asked:  fmt.Sprintf("%s %s", w.Name, dns.Type(w.Type)), Expected: fmt.Sprintf("TTL at most %d s", cap), Got: fmt.Sprintf("TTL %d s", w.TTL),
			Fix: fmt.Sprintf("serve it at or under %d s from %s (the provider's TTL setting or minimum, or that server's zone)", cap, w.Server)})
	}
	return out
}

// overCap names the RRsets of z above the cap (the first 3 and how many
// more) and whether the apex SOA or NS is among them.
func overCap(z *zone.Zone, cap uint32) ([]string, bool) {
	if z == nil {
		return nil, false
	}
	var out []string
	apex, n := false, 0
	for _, s := range z.Sets {
		if zone.Generated(z.Origin, s.Name, s.Type) || s.TTL <= cap {
			continue
		}
		if s.Name == z.Origin && (s.Type == dns.TypeSOA || s.Type == dns.TypeNS) {
			apex = true
		}
		if n++; n <= 3 {
			out = append(out, fmt.Sprintf("%s %s %d s", s.Name, dns.Type(s.Type), s.TTL))
		}
	}
	if n > 3 {
		out = append(out, fmt.Sprintf("and %d more", n-3))
	}
	return out, apex
}

// gateTTLExpired: the previous maximum TTL has passed since the TTLs were
// seen at or under the cap. It returns the earliest time it passes.
func gateTTLExpired(tr *Trail, t TTLs, cap uint32, now time.Time) (Gate, time.Time) {
	g := Gate{Name: GateTTLExpired}
	if t.OldErr != "" || t.NewErr != "" {
		g.Err = true
		g.Detail = "cannot list the providers' TTLs"
		return g, time.Time{}
	}
	if t.ServedUnknown != "" {
		g.Detail = "the TTLs the servers serve are not known (" + t.ServedUnknown + "): not seen at or under the cap"
		return g, time.Time{}
	}
	since, prev, known, ok := tr.Lowered(t, cap, now)
	if !ok {
		g.Detail = "TTLs are not pre-staged yet"
		return g, time.Time{}
	}
	at := since.Add(time.Duration(prev) * time.Second)
	how := fmt.Sprintf("previous maximum TTL %d s (recorded in the audit trail: observed, or pushed, on a side while the parent delegated to it)", prev)
	if !known {
		how = fmt.Sprintf("previous maximum TTL unknown (the trail never saw TTLs above the cap on a side while the parent delegated to it), assumed %d s", prev)
	}
	g.OK = !now.Before(at)
	g.Detail = fmt.Sprintf("TTLs at or under %d s since %s; %s; old TTLs certainly expired from caches at %s", cap, since.UTC().Format(time.RFC3339), how, deadline.Format(at))
	if !g.OK {
		g.Detail += fmt.Sprintf(" (in %s)", at.Sub(now).Round(time.Second))
		wait := "wait until " + deadline.Format(at)
		if !known {
			// The day is no TTL seen: say so, or the wait reads as a
			// measured one.
			wait += fmt.Sprintf(": no TTL above the cap was seen on a side while the parent delegated to it (the first observation, at %s, found them at or under it already), so the wait covers the largest TTL resolvers may hold, %d s, from then; what they cached before cannot be known, and nothing shortens it",
				since.UTC().Format(time.RFC3339), AssumedPreviousTTL)
		}
		g.Plan = []string{wait, "run the step again"}
	}
	return g, at
}
