package dnssec

import (
	"fmt"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
)

// Step is one step of the plan printed when the gate refuses.
type Step struct {
	// Route is "a" (go unsigned for the flip), "b" (multi-signer,
	// RFC 8901), "cds" (fix the CDS/CDNSKEY a side publishes, cds.go) or
	// "nsec3" (sign with NSEC3 iterations validators accept,
	// nsec3param.go);
	// N is the step's number within its route.
	Route string `json:"route"`
	N     int    `json:"n"`
	Text  string `json:"step"`
	// Earliest is the earliest time the step may be taken, when the plan
	// can say it (counted from the gate's Now, assuming every step before
	// it is done at once).
	Earliest time.Time `json:"earliest,omitzero"`
}

// String is the step as one line of the plan ("(a) 2. ...").
func (s Step) String() string {
	line := fmt.Sprintf("(%s) %d. %s", s.Route, s.N, s.Text)
	if !s.Earliest.IsZero() {
		line += " [not before " + deadline.Format(s.Earliest) + "]"
	}
	return line
}

// plan is the ordered way out of a DS that the side's keys do not satisfy.
// Route (a) removes the DS so that the flip happens while the zone is
// unsigned for resolvers; route (b) makes both providers serve both key
// sets and puts both DS at the parent (RFC 8901), after which the gate
// passes. served are the key tags the side serves now; dnskeyTTL the
// largest DNSKEY TTL seen (0: none served). A non-zero removed means the DS
// is gone from the parent already and resolvers may hold it until then:
// route (a) starts with the wait, and route (b) is moot.
func plan(in Input, dss []*dns.DS, served map[uint16]bool, dnskeyTTL uint32, removed time.Time) []Step {
	this, other := side(in), otherSide(in)
	now := in.Now
	dsGone := now.Add(secs(in.DSTTL))
	if !removed.IsZero() {
		dsGone = removed
	}
	// After the flip, a resolver may keep the parent's referral to the
	// previous side for the parent's NS TTL, and one that took that
	// side's own apex NS set just before the referral expired keeps it
	// for its TTL (RFC 2181 section 5.4.1): until both have run out it may
	// ask the previous (unsigned) servers, whose every answer a DS at the
	// parent makes bogus. The cutover's old_delegation_expires counts the
	// same two from the actual change. The previous provider's keys and
	// answers (the DNSKEY TTL, the zone's max TTL) bound it too.
	otherNSTTL := in.OtherNSTTL
	otherNSText := fmt.Sprintf("the %s side's apex NS TTL %d s", other, otherNSTTL)
	if otherNSTTL == 0 {
		otherNSTTL = in.MaxTTL
		otherNSText = fmt.Sprintf("the %s side's apex NS TTL, not known here: the zone's max TTL %d s", other, in.MaxTTL)
	}
	delegationTTL := in.NSTTL + otherNSTTL
	cacheTTL := max(delegationTTL, in.MaxTTL, dnskeyTTL)
	newDS := dsGone.Add(secs(cacheTTL))
	tags := dsTags(dss)
	servedText := "none yet"
	if len(served) > 0 {
		servedText = tagSet(served)
	}

	var steps []Step
	add := func(route, text string, at time.Time) {
		n := 1
		for _, s := range steps {
			if s.Route == route {
				n++
			}
		}
		steps = append(steps, Step{Route: route, N: n, Text: text, Earliest: at})
	}
	if removed.IsZero() {
		add("a", fmt.Sprintf("Remove the DS RRset of %s at the parent (key tags %s): the zone becomes unsigned for resolvers.", in.Zone, tags), now)
		add("a", fmt.Sprintf("Wait out the DS TTL (%d s) after every parent server stopped serving the DS: validating resolvers may hold it until %s.", in.DSTTL, deadline.Format(dsGone)), dsGone)
	} else {
		add("a", fmt.Sprintf("Wait until %s: the DS removed from the parent (key tags %s) may be held by validating resolvers until then.", deadline.Format(dsGone), tags), dsGone)
	}
	add("a", fmt.Sprintf("Flip the delegation to the %s provider (dnsparity flip); this gate then passes as unsigned.", this), dsGone)
	add("a", fmt.Sprintf("Sign %s at the %s provider (it serves key tags %s) and check that every %s server serves the DNSKEY set and signed answers.", in.Zone, this, servedText, this), dsGone)
	why := fmt.Sprintf("the parent NS TTL %d s + %s", in.NSTTL, otherNSText)
	if cacheTTL > delegationTTL {
		why += fmt.Sprintf(" = %d s; the old keys and answers may stay cached longer: the larger of the zone's max TTL %d s and the DNSKEY TTL %d s", delegationTTL, in.MaxTTL, dnskeyTTL)
	}
	add("a", fmt.Sprintf("Publish the %s provider's DS at the parent not before the old delegation has expired: the time the flip reports as old_delegation_expires, and not while finish still waits on the %s side's apex NS naming its own servers; never earlier than the actual change at the parent + %d s (%s). Until then resolvers may still follow the old delegation, or the %s side's own apex NS, to the %s servers, which do not serve the keys the new DS names: with it at the parent every answer they give is bogus (SERVFAIL). A provider that publishes CDS/CDNSKEY as soon as signing is enabled (step 4) can make a parent that polls them (RFC 7344, 8078) add the DS early: keep them unpublished until this step, or watch the parent's DS (dnsparity status) meanwhile.",
		this, other, cacheTTL, why, other, other), newDS)

	if !removed.IsZero() {
		return steps
	}
	keyWait := max(in.DSTTL, dnskeyTTL, in.MaxTTL)
	add("b", fmt.Sprintf("Sign %s at the %s provider if it does not yet (serves key tags %s); each provider keeps signing its own data with its own keys.", in.Zone, this, servedText), time.Time{})
	add("b", fmt.Sprintf("Import the %s provider's DNSKEYs (ZSK, and KSK) into the %s provider's DNSKEY set, and the %s provider's DNSKEYs (KSK key tags %s, and its ZSK) into the %s provider's DNSKEY set: both DNSKEY sets hold both providers' keys (RFC 8901).", this, other, other, tags, this), time.Time{})
	add("b", fmt.Sprintf("Add the %s provider's DS at the parent beside the existing DS (key tags %s): both DS at the parent.", this, tags), time.Time{})
	add("b", fmt.Sprintf("Wait the DNSKEY and DS TTLs after the last of these changes (%d s: the largest of DS TTL %d s, DNSKEY TTL %d s, the zone's max TTL %d s), so that every resolver sees both key sets.", keyWait, in.DSTTL, dnskeyTTL, in.MaxTTL), now.Add(secs(keyWait)))
	add("b", fmt.Sprintf("Run the flip again (dnsparity flip --dry-run first): this gate passes when every %s server serves a DNSKEY matching a DS, signed by it, with answers that validate.", this), now.Add(secs(keyWait)))
	add("b", fmt.Sprintf("After the overlap (dnsparity finish): remove the %s provider's keys from the DNSKEY set and its DS from the parent.", other), time.Time{})
	return steps
}

// commonAlgorithm rewrites route (b)'s first step when the side does not
// sign with every algorithm the DS set names (lacking; algorithms.go):
// multi-signer providers need a common algorithm (RFC 8901 section 4).
func commonAlgorithm(in Input, steps []Step, lacking map[uint8]bool) {
	for i, st := range steps {
		if st.Route != "b" || st.N != 1 {
			continue
		}
		steps[i].Text = fmt.Sprintf("Sign %s at the %s provider with %s as the %s provider does (the DS set names it): providers signing one zone need a common algorithm, since each must sign its DNSKEY RRset with every algorithm of the DS set and every RRset with every algorithm of its DNSKEY set (RFC 8901 section 4, RFC 4035 section 2.2). Or roll the zone's algorithm (RFC 6781 section 4.1.4) before the migration, at the %s provider, to one the %s provider signs with, or after it; route (a) needs no common algorithm. Each provider keeps signing its own data with its own keys.",
			in.Zone, side(in), algList(lacking), otherSide(in), otherSide(in), side(in))
	}
}

// waitHeld is the plan when the side satisfies the DS at the parent but
// not a DS set the parent served before it (dss), which validating
// resolvers may hold until until: a DS was added (RFC 8901 route (b),
// step 3) or replaced lately. Nothing to change: wait. algLack are the
// held set's algorithms the side (this) does not sign with
// (algorithms.go), when that is why.
func waitHeld(dss []*dns.DS, until time.Time, this string, algLack map[uint8]bool) []Step {
	why := fmt.Sprintf("the %s side's DNSKEY set is not signed by a key it names", this)
	if len(algLack) > 0 {
		why = fmt.Sprintf("the %s side does not sign with %s, which it names (RFC 4035 section 2.2)", this, algList(algLack))
	}
	return wait(until, fmt.Sprintf("validating resolvers may hold a DS set the parent served before its current one (key tags %s) until then (its TTL after the change), and %s.", dsTags(dss), why),
		"this gate then checks only the DS the parent serves.")
}

// waitKeys is the plan when the other side's DNSKEY set holds the keys
// the side signs with (tags) but has not for the DNSKEY TTL yet
// (check.keysWait). Nothing to change: wait.
func waitKeys(in Input, until time.Time, tags string) []Step {
	return wait(until, fmt.Sprintf("validating resolvers may hold the %s side's DNSKEY set from before it held key tags %s (which the %s side signs with) until then (the DNSKEY TTL after a step first saw them).", otherSide(in), tags, side(in)),
		"this gate then passes if the keys stayed published.")
}

// wait is route (b)'s steps 4 and 5 when only time is missing.
func wait(until time.Time, why, then string) []Step {
	return []Step{
		{Route: "b", N: 4, Earliest: until, Text: fmt.Sprintf("Wait until %s: %s", deadline.Format(until), why)},
		{Route: "b", N: 5, Earliest: until, Text: "Run the step again (with --dry-run first): " + then},
	}
}

func secs(v uint32) time.Duration { return time.Duration(v) * time.Second }
