// Package dnssec checks that a delegation's DS records and the keys a side
// serves fit together, so that a flip never breaks validation: the cutover's
// dnssec gate and the ordered plan it prints when the gate fails.
package dnssec

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/query"
)

// Input is what the gate looks at.
type Input struct {
	Zone string // absolute
	// DS are the DS records at the parent, RDATA in presentation form
	// ("12345 13 2 ABCD..."); empty when the parent holds none.
	DS    []string
	DSTTL uint32
	// Servers are the nameserver addresses (host:port) of the side the
	// delegation is about to point to; each is asked directly, DO=1.
	Servers []string
	// Sample are owner/type pairs of the zone whose signed answers are
	// verified on every server ("www.example.test." "A").
	Sample [][2]string
	// EmptyNonTerminal is a name of the zone that owns no records but has
	// names below it (RFC 4592 section 2.2.2), when it has one; every
	// server is asked it (A), and must answer NODATA with the proof a
	// validator needs (QNAME minimisation asks such names, RFC 9156).
	// Optional: without it only the random name and the apex are asked
	// for denials.
	EmptyNonTerminal string
	Timeout          time.Duration
	Now              time.Time

	// Side names the side Servers belong to in the plan's wording: "new"
	// (default; the flip) or "old" (the rollback).
	Side string
	// NSTTL is the parent's NS TTL and MaxTTL the zone's largest TTL
	// (DNSKEY and apex NS included); OtherNSTTL is the apex NS TTL the
	// Other side's servers serve (0: unknown, MaxTTL counts for it). They
	// only shape the plan's times: route (a) publishes the new DS no
	// earlier than NSTTL + OtherNSTTL after the change at the parent.
	NSTTL      uint32
	MaxTTL     uint32
	OtherNSTTL uint32
	// Other are the servers of the side the delegation points to now (the
	// old side for a flip). With a DS, each one's DNSKEY set must hold
	// every key Servers sign their answers with: a resolver that cached
	// that DNSKEY set keeps using it for the answers of Servers after the
	// flip (RFC 8901: every provider publishes every provider's ZSK). A
	// server of Other that does not answer is noted, not held against the
	// flip (the emergency case). Optional.
	Other []string
	// Held are the DS sets other than DS the parent served lately (a DS
	// removed, or a set a DS was added to or replaced in), each of which
	// validating resolvers may still hold until its Until (when the
	// parent stopped serving it + its TTL; the cutover's record). A
	// resolver holds one DS set: before its Until the side must satisfy
	// each set on its own as well as DS (with no DS at the parent, as if
	// the parent still held it); a refusal names the set, by key tags,
	// and its Until.
	Held []HeldDS
	// UnseenDSSince, when set, is the start of the caller's record of
	// the parent's DS set, which never held a DS (the first time it saw
	// the parent serve none; Now when it never looked): a DS removed
	// before then is unknown to it. With no DS at the parent and no
	// Held set, a zone whose Other side serves DNSKEYs may have had a DS
	// for them until just before, which validating resolvers keep for
	// its TTL (UnseenDSTTL, not known: the caller's assumption): until
	// UnseenDSSince + UnseenDSTTL the side must satisfy a DS of the
	// Other side's keys (its SEP keys, else every zone key) as if the
	// parent had just removed it ("remove the DS, then flip" with the
	// removal made before anyone recorded the DS). An Other side that
	// does not answer (the emergency) or serves no DNSKEY: unsigned.
	UnseenDSSince time.Time
	UnseenDSTTL   uint32

	// WaitDNSKEY: the caller records what each side's DNSKEY sets held
	// (Result.Seen) and OtherKeys is its record of the Other side's,
	// oldest first. The gate then also refuses until the Other side's
	// DNSKEY set holding every key Servers sign with has been served for
	// the DNSKEY TTL (the largest of both sides'): a resolver that cached
	// it before the keys were added cannot validate Servers' answers
	// until then (RFC 8901 sections 3 and 4.1). Without a record that
	// set counts as first seen at Now.
	WaitDNSKEY bool
	OtherKeys  []KeysAt
	// SideKeys is the caller's record of the Servers side's DNSKEY sets,
	// oldest first: the converse wait (RFC 8901 section 3, both ways).
	// The gate refuses until Servers' DNSKEY set holding every key the
	// Other side signs its answers with has been served for the DNSKEY
	// TTL: after the step the Other side's answers still reach resolvers
	// (the delegation before it, cached), and one that cached Servers'
	// set before those keys were added cannot validate them until then.
	// Without a record that set counts as first seen at Now.
	SideKeys []KeysAt

	// TargetDS is the DS set the parent should hold once the step is done,
	// when it is not DS (a rollback that restores another DS set; nil:
	// DS). Every server of Servers and Other is asked for CDS and CDNSKEY
	// (RFC 7344, 8078): a set a parent acting on it would turn into a DS
	// set lacking one of these, a delete record while TargetDS is not
	// empty, or any set while it is, refuses the step (cds.go).
	TargetDS []string

	// NoIPv6 leaves the sides' IPv6 servers out of the CDS/CDNSKEY reading
	// (policy.delegation.ipv6: false); a server this machine has no route
	// to is left out too, with a warning naming it (query.NotFromHere, the
	// one decision every gate makes about such a server).
	NoIPv6 bool
}

// HeldDS is a DS set the parent no longer serves that validating
// resolvers may hold until Until (Input.Held).
type HeldDS struct {
	DS    []string // RDATA, as Input.DS
	Until time.Time
}

// Result is the gate's verdict.
type Result struct {
	OK bool `json:"ok"`
	// Situation: "unsigned" (no DS at the parent; OK also means a DS
	// removed lately, Input.Held, is satisfied), "signed-match" (a
	// served DNSKEY matches a DS and verifies on every server),
	// "signed-mismatch" (refused: validation would fail).
	Situation string `json:"situation"`
	Detail    string `json:"detail"`
	// Plan is the ordered list of steps to make the flip safe when !OK.
	Plan []string `json:"plan,omitempty"`

	// Problems lists every failed check, one per server and RRset.
	Problems []string `json:"problems,omitempty"`
	// Steps is Plan with the earliest time of each step where one is known.
	Steps []Step `json:"steps,omitempty"`
	// Warnings are findings that do not refuse the step (CDS/CDNSKEY sets
	// that add keys or differ between servers; a DNSKEY algorithm the DS
	// set does not name that signs nothing, algorithms.go; signatures
	// that expire within RemainingShort, remaining.go); Detail says them
	// too.
	Warnings []string `json:"warnings,omitempty"`
	// Seen is what the DNSKEY sets of each side the gate asked held, by
	// side ("new", "old"), for the caller's record (Input.OtherKeys).
	Seen map[string]KeySet `json:"dnskey_seen,omitempty"`
	// SignedUntil is, per server of the side (Input.Servers), when the
	// first of its verified RRsets loses its last valid signature
	// (remaining.go): a server nobody re-signs for (a secondary cut off
	// from its signing primary) leaves validating resolvers every answer
	// bogus from then.
	SignedUntil map[string]time.Time `json:"signed_until,omitempty"`
}

// Situations.
const (
	Unsigned       = "unsigned"
	SignedMatch    = "signed-match"
	SignedMismatch = "signed-mismatch"
	// CDSMismatch: the keys fit the DS, but a side publishes a CDS or
	// CDNSKEY set a parent acting on it would turn into a DS set other
	// than the step's (refused).
	CDSMismatch = "cds-mismatch"
)

// Gate checks in against the servers in.Servers. With no DS at the parent
// it passes (situation "unsigned") and only reports whether the servers
// serve DNSKEYs anyway. With a DS it passes ("signed-match") only when
// every server serves a DNSKEY matching a DS, the DNSKEY RRset carries a
// valid signature by such a key at in.Now, every in.Sample answer, the
// denial of a random name, the apex's NODATA (SRV) and the empty
// non-terminal's (in.EmptyNonTerminal) verify against the served keys and
// carry the whole proof of what they deny (denial.go), every algorithm
// of the DS set signs the DNSKEY RRset and those answers (RFC 4035
// section 2.2, algorithms.go), and every server
// of in.Other publishes the keys the side signs with; otherwise it refuses
// ("signed-mismatch") with the problems and the ordered plan. Each DS set
// the parent served lately that resolvers may still hold (in.Held, each
// until its Until) is checked the same way, on its own. An error means the gate could not run (bad input, a server
// of the side that does not answer).
func Gate(ctx context.Context, in Input) (Result, error) {
	if in.Zone == "" {
		return Result{}, errors.New("dnssec: no zone")
	}
	if len(in.Servers) == 0 {
		return Result{}, fmt.Errorf("dnssec: %s: no servers to check", in.Zone)
	}
	// Addresses only: a name would be looked up through the system
	// resolver, which the gate never uses.
	var err error
	if in.Servers, err = query.ParseAddrs("server", in.Servers); err != nil {
		return Result{}, fmt.Errorf("dnssec: %s: %w", in.Zone, err)
	}
	if in.Other, err = query.ParseAddrs("other-side server", in.Other); err != nil {
		return Result{}, fmt.Errorf("dnssec: %s: %w", in.Zone, err)
	}
	in.Zone = dns.CanonicalName(in.Zone)
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	dss, err := parseDS(in.Zone, in.DS)
	if err != nil {
		return Result{}, fmt.Errorf("dnssec: %s: %w", in.Zone, err)
	}
	if in.EmptyNonTerminal != "" {
		if !inZone(in.EmptyNonTerminal, in.Zone) || equalName(in.EmptyNonTerminal, in.Zone) {
			return Result{}, fmt.Errorf("dnssec: %s: empty non-terminal %q: not a name below the apex", in.Zone, in.EmptyNonTerminal)
		}
		in.EmptyNonTerminal = dns.CanonicalName(in.EmptyNonTerminal)
	}
	for i, smp := range in.Sample {
		if typeOf(smp[1]) == 0 || smp[0] == "" {
			return Result{}, fmt.Errorf("dnssec: %s: sample %d (%q %q): need an owner name and a type", in.Zone, i+1, smp[0], smp[1])
		}
		if !inZone(smp[0], in.Zone) {
			return Result{}, fmt.Errorf("dnssec: %s: sample %d (%q %q): the name is outside the zone", in.Zone, i+1, smp[0], smp[1])
		}
	}
	// One run: the keys' verdict (the parent's DS set and a held one) and
	// the CDS reading judge the same answers, each asked once per server.
	a := newRun(in.Timeout)
	want := dss
	if in.TargetDS != nil {
		if want, err = parseDS(in.Zone, in.TargetDS); err != nil {
			return Result{}, fmt.Errorf("dnssec: %s: target %w", in.Zone, err)
		}
	}
	res, err := keysVerdict(ctx, a, in, dss)
	if err != nil {
		return res, err
	}
	problems, warnings, err := checkCDS(ctx, a, in, dss, want)
	if err != nil {
		return Result{}, fmt.Errorf("dnssec: %s: %w", in.Zone, err)
	}
	return withCDS(res, want, problems, warnings), nil
}

// keysVerdict is the gate's verdict on the keys: the DS at the parent,
// and each DS set resolvers may still hold (in.Held), on its own: a
// resolver validates with the one set it cached, so a side that
// satisfies the parent's set, or another held one, may still be bogus
// for those holding this one.
func keysVerdict(ctx context.Context, a asker, in Input, dss []*dns.DS) (Result, error) {
	held, err := liveHeld(in)
	if err != nil {
		return Result{}, err
	}
	held = append(held, unseenDS(ctx, a, in, dss)...)
	if len(held) > 0 {
		var res Result
		if len(dss) > 0 {
			// The parent's set is in use by resolvers that ask it now.
			if res, err = signed(ctx, a, in, dss, time.Time{}); err != nil || !res.OK {
				return res, err
			}
		}
		var passed, refused []Result
		latest, last := -1, time.Time{} // the refused set held longest, and its end: the plan waits for it
		for _, h := range held {
			r, err := signed(ctx, a, in, h.ds, h.until)
			r.Detail = h.note + r.Detail
			switch {
			case err != nil:
				return r, err
			case r.OK:
				passed = append(passed, r)
			default:
				if latest < 0 || h.until.After(last) {
					latest, last = len(refused), h.until
				}
				refused = append(refused, r)
			}
		}
		if len(refused) > 0 {
			out := refused[latest]
			out.Detail, out.Problems = "", nil
			for i, r := range refused {
				if i > 0 {
					out.Detail += "; and "
				}
				out.Detail += r.Detail
				out.Problems = append(out.Problems, r.Problems...)
				out.Warnings = appendNew(out.Warnings, r.Warnings...)
			}
			return out, nil
		}
		for i, r := range passed {
			if i == 0 && len(dss) == 0 {
				res = r
				continue
			}
			res.Detail += "; and " + r.Detail
			res.Warnings = appendNew(res.Warnings, r.Warnings...)
		}
		return res, nil
	}
	if len(dss) == 0 {
		return unsigned(ctx, a, in)
	}
	return signed(ctx, a, in, dss, time.Time{})
}

// heldSet is a parsed Input.Held set, or one unseenDS assumes (note
// says why, first in the verdict's detail).
type heldSet struct {
	ds    []*dns.DS
	until time.Time
	note  string
}

// liveHeld is in.Held without the empty sets and those no resolver holds
// at in.Now any more, parsed.
func liveHeld(in Input) ([]heldSet, error) {
	var out []heldSet
	for _, h := range in.Held {
		if len(h.DS) == 0 || !in.Now.Before(h.Until) {
			continue
		}
		ds, err := parseDS(in.Zone, h.DS)
		if err != nil {
			return nil, fmt.Errorf("dnssec: %s: held %w", in.Zone, err)
		}
		out = append(out, heldSet{ds: ds, until: h.Until})
	}
	return out, nil
}

// unseenDS are the DS sets validating resolvers may hold although
// nobody recorded them (Input.UnseenDSSince): what the parent served
// before the caller's record began is not known. With no DS at the
// parent, a DS of the Other side's keys removed just before; with one, the
// set it replaced: the DS of the key the Other side signs its DNSKEY set
// with, alone (the parent's set before a DS was added beside it, RFC
// 8901 route (b) step 3, or swapped). A resolver holds one set and
// validates with any key it names, so each signing key counts as a set
// of its own; where no signature over the DNSKEY set names a key, the
// Other side's SEP keys (else every zone key) make one set. Each is held
// until UnseenDSSince + UnseenDSTTL; nil when that has passed, or no
// Other server answers with a DNSKEY set. The parent's current set
// itself (one DS, that key's) is not repeated.
func unseenDS(ctx context.Context, a asker, in Input, dss []*dns.DS) []heldSet {
	if in.UnseenDSSince.IsZero() {
		return nil
	}
	until := in.UnseenDSSince.Add(secs(in.UnseenDSTTL))
	if !in.Now.Before(until) {
		return nil
	}
	var sep, zsk, signers []*dns.DNSKEY
	seen := map[string]bool{}
	signing := map[tagAlg]bool{}
	for _, addr := range in.Other {
		r, err := a.ask(ctx, addr, in.Zone, dns.TypeDNSKEY)
		if err != nil || r.Rcode != dns.RcodeSuccess || !r.Authoritative {
			continue
		}
		rrsetSigners(r.Answer, in.Zone, dns.TypeDNSKEY, signing)
		for _, k := range ApexKeys(r.Answer, in.Zone) {
			if k.Flags&dns.ZONE == 0 || k.Flags&dns.REVOKE != 0 || seen[k.PublicKey] {
				continue
			}
			seen[k.PublicKey] = true
			if k.Flags&dns.SEP != 0 {
				sep = append(sep, k)
			} else {
				zsk = append(zsk, k)
			}
		}
	}
	for _, k := range append(slices.Clone(sep), zsk...) {
		if signing[tagAlg{k.KeyTag(), k.Algorithm}] {
			signers = append(signers, k)
		}
	}
	var sets [][]*dns.DS
	switch {
	case len(signers) > 0:
		for _, k := range signers {
			if len(dss) == 1 && matchesDS(k, dss[0]) {
				continue // the parent's set: checked as such
			}
			if ds := k.ToDS(dns.SHA256); ds != nil {
				sets = append(sets, []*dns.DS{ds})
			}
		}
	default:
		keys := sep
		if len(keys) == 0 {
			keys = zsk
		}
		var set []*dns.DS
		for _, k := range keys {
			if ds := k.ToDS(dns.SHA256); ds != nil {
				set = append(set, ds)
			}
		}
		if len(set) > 0 {
			sets = append(sets, set)
		}
	}
	note := fmt.Sprintf("no DS recorded at the parent since %s, while the %s side signs: a DS of its keys removed just before then is not known here (its TTL assumed %d s); ",
		in.UnseenDSSince.UTC().Format(time.RFC3339), otherSide(in), in.UnseenDSTTL)
	if len(dss) > 0 {
		note = fmt.Sprintf("the parent's DS set recorded only since %s: the set it replaced is not known here, and validating resolvers may hold a DS of the key the %s side signs its DNSKEY set with, alone, for the DS TTL (%d s) from then; ",
			in.UnseenDSSince.UTC().Format(time.RFC3339), otherSide(in), in.UnseenDSTTL)
	}
	out := make([]heldSet, 0, len(sets))
	for _, set := range sets {
		out = append(out, heldSet{ds: set, until: until, note: note})
	}
	return out
}

// withCDS adds the CDS/CDNSKEY findings to the keys' verdict: problems
// refuse the step (situation CDSMismatch when the keys passed), with a
// plan of their own; warnings only go to Detail and Warnings.
func withCDS(res Result, want []*dns.DS, problems, warnings []string) Result {
	if len(warnings) > 0 {
		res.Warnings = appendNew(res.Warnings, warnings...)
		res.Detail += "; warning: " + strings.Join(warnings, "; ")
	}
	if len(problems) == 0 {
		return res
	}
	if res.OK {
		res.OK, res.Situation = false, CDSMismatch
	}
	res.Problems = append(res.Problems, problems...)
	res.Detail += "; CDS/CDNSKEY: " + strings.Join(problems, "; ")
	target := "no DS"
	if len(want) > 0 {
		target = "the DS key tags " + dsTags(want)
	}
	for i, text := range []string{
		fmt.Sprintf("On each server named, publish CDS and CDNSKEY only for the DS the parent should hold for this step (%s), the same on both sides (RFC 8901 section 8), or none: a parent that polls CDS (RFC 7344, 8078) would otherwise replace or remove the DS on its own.", target),
		"Check the DS at the parent has not changed meanwhile (dnsparity status), then run the step again.",
	} {
		st := Step{Route: "cds", N: i + 1, Text: text}
		res.Steps = append(res.Steps, st)
		res.Plan = append(res.Plan, st.String())
	}
	return res
}

// signed is the verdict with DS records that validating resolvers use:
// the parent's (held zero), or a DS set the parent served lately that
// resolvers may hold until held (Input.Held).
func signed(ctx context.Context, a asker, in Input, dss []*dns.DS, held time.Time) (Result, error) {
	cached := !held.IsZero()
	c := check{in: in, dss: dss, a: a}
	for _, s := range in.Servers {
		if err := c.server(ctx, s); err != nil {
			return Result{}, fmt.Errorf("dnssec: %s: %w", in.Zone, err)
		}
	}
	if len(c.problems) == 0 {
		for _, s := range in.Other {
			c.other(ctx, s)
		}
	}
	if in.WaitDNSKEY {
		// How each side's signer signs (KeySet.Signing): the records
		// the wait compares depend on it.
		c.sideKeys.askAgain(ctx, a, in.Zone)
		c.otherKeys.askAgain(ctx, a, in.Zone)
	}
	var keysUntil time.Time
	if len(c.problems) == 0 {
		var why string
		if keysUntil, why = c.keysWait(); !keysUntil.IsZero() {
			c.problems = append(c.problems, why)
		}
	}
	problems := append(slices.Clip(c.problems), c.nsec3Problems...)
	notes := ""
	if len(c.notes) > 0 {
		notes = "; " + strings.Join(c.notes, "; ")
	}
	if len(c.warnings) > 0 {
		notes += "; warning: " + strings.Join(c.warnings, "; ")
	}
	what := fmt.Sprintf("DS at the parent (key tags %s)", dsTags(dss))
	switch {
	case cached && len(in.DS) == 0:
		what = fmt.Sprintf("no DS at the parent, but validating resolvers may hold the removed DS (key tags %s) until %s", dsTags(dss), deadline.Format(held))
	case cached:
		what = fmt.Sprintf("validating resolvers may hold a DS set the parent served before its current one (key tags %s) until %s", dsTags(dss), deadline.Format(held))
	}
	if len(problems) == 0 {
		otherText := ""
		if len(in.Other) > 0 {
			otherText = fmt.Sprintf("; the %s side's DNSKEY sets hold the signing keys %s", otherSide(in), tagSet(c.signerKeys))
		}
		situation := SignedMatch
		if cached {
			situation = Unsigned
		}
		return Result{
			OK:          true,
			Seen:        c.seen(),
			SignedUntil: c.signedUntil(),
			Warnings:    c.warnings,
			Situation:   situation,
			Detail: fmt.Sprintf("%s: it matches a DNSKEY on every %s server (%d) whose signature over the DNSKEY RRset is valid at %s; %s, %s verify on each, their proofs of non-existence whole%s%s",
				what, side(in), len(in.Servers), in.Now.UTC().Format(time.RFC3339), plural.N(len(in.Sample), "sample answer", "sample answers"), probesText(in), otherText, notes),
		}, nil
	}
	var steps []Step
	switch {
	case cached && len(in.DS) > 0:
		steps = waitHeld(dss, held, side(in), c.algLack)
	case !keysUntil.IsZero():
		steps = waitKeys(in, keysUntil, tagSet(c.signerKeys))
	case cached:
		steps = plan(in, dss, c.servedTags, c.dnskeyTTL, held)
	default:
		steps = plan(in, dss, c.servedTags, c.dnskeyTTL, time.Time{})
	}
	if len(c.algLack) > 0 {
		commonAlgorithm(in, steps, c.algLack)
	}
	if len(c.nsec3High) > 0 {
		// NSEC3 iterations validators do not accept (nsec3param.go):
		// their own way out, alone when the keys are fine.
		if len(c.problems) == 0 {
			steps = nil
		}
		steps = append(steps, nsec3Plan(in, c.nsec3High)...)
	}
	fails := "validation would fail"
	if len(c.problems) == 0 {
		fails = "every denial would lose its validation"
	}
	res := Result{
		Seen:        c.seen(),
		SignedUntil: c.signedUntil(),
		Warnings:    c.warnings,
		Situation:   SignedMismatch,
		Detail:      fmt.Sprintf("%s: %s once the delegation points to the %s side: %s%s", what, fails, side(in), strings.Join(problems, "; "), notes),
		Problems:    problems,
		Steps:       steps,
	}
	for _, st := range steps {
		res.Plan = append(res.Plan, st.String())
	}
	return res, nil
}

// unsigned is the verdict without a DS: nothing to validate, but say when
// the servers sign anyway (signed, not delegated securely: fine).
func unsigned(ctx context.Context, a asker, in Input) (Result, error) {
	var signed, plain, failed []string
	for _, addr := range in.Servers {
		r, err := a.ask(ctx, addr, in.Zone, dns.TypeDNSKEY)
		if err != nil {
			failed = append(failed, addr)
			continue
		}
		if keys := ApexKeys(r.Answer, in.Zone); len(keys) > 0 {
			signed = append(signed, fmt.Sprintf("%s (key tags %s)", addr, keyTags(keys)))
		} else {
			plain = append(plain, addr)
		}
	}
	detail := "no DS at the parent: resolvers treat " + in.Zone + " as unsigned, nothing to validate"
	if len(signed) > 0 {
		detail += fmt.Sprintf("; DNSKEYs served by %s: signed but not delegated securely, which is fine", strings.Join(signed, ", "))
	}
	if len(plain) > 0 && len(signed) > 0 {
		detail += fmt.Sprintf("; no DNSKEY on %s", strings.Join(plain, ", "))
	}
	if len(failed) > 0 {
		detail += fmt.Sprintf("; DNSKEY not asked on %s (no answer)", strings.Join(failed, ", "))
	}
	return Result{OK: true, Situation: Unsigned, Detail: detail}, nil
}

// typeOf reads a type mnemonic ("A", "TYPE65000"); unknown text gives 0.
func typeOf(s string) uint16 {
	if t, ok := dns.StringToType[strings.ToUpper(s)]; ok {
		return t
	}
	var n uint16
	if _, err := fmt.Sscanf(strings.ToUpper(s), "TYPE%d", &n); err == nil {
		return n
	}
	return 0
}

// side is the wording of in.Side.
func side(in Input) string {
	if in.Side == "old" {
		return "old"
	}
	return "new"
}

// otherSide is the side the delegation points to now.
func otherSide(in Input) string {
	if side(in) == "old" {
		return "new"
	}
	return "old"
}
