package dnssec

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/fanout"
)

// KeySet is what one side's DNSKEY sets held when a gate asked: the key
// tags every answering server of the side served, and the largest DNSKEY
// TTL among them. A caller keeps it (the cutover's audit trail) so that a
// later gate knows since when a key has been published (Input.OtherKeys).
//
// Serials (the SOA serials those servers served) and RRSIG (a digest of
// the signatures over their DNSKEY sets) tell whether the set may have
// changed since an earlier record holding the same tags: a key removed
// and added again between two records is published anew (RFC 7583
// section 3.3: a resolver that fetched the set meanwhile holds it without
// the key for its TTL), and removing or adding a key re-signs the DNSKEY
// set and, the zone changed, moves its serial (RFC 1982; a zone's serial
// grows with every change). Either one alone is no sign: a push moves the
// serial, a signer refreshes its signatures, and an online signer makes
// new ones for every answer. Empty in records made before they were kept.
//
// Signing says how those signatures behave: "stable" when every server
// gave the same signatures when asked again a second or more later (a
// signer that signs the set when it changes, or caches its signatures),
// "per-answer" when one gave others (an online signer signing each
// answer). A stable signer's signatures over the set change only when
// it re-signs it: on a change of the set (a key removed, or added back),
// or a scheduled refresh; so for two stable records, signatures that
// moved count alone, the serial aside: a provider that does not move the
// serial when its keys change (PowerDNS's key (de)activation, a signer
// re-signing at the same serial) is seen too. A refresh counted so costs
// one DNSKEY TTL more of waiting. For a per-answer signer only the serial
// and the signatures together count, as before: a key removed and added
// again between two records without a serial change cannot be seen
// there, and the gate's detail says so.
//
// Keys is a digest of the DNSKEY RRsets the side's servers served (each
// server's set, every key's full RDATA): the set itself, compared between
// records holding the same tags, tells a key replaced by another with the
// same key tag (tags are not unique, RFC 4034 appendix B), or a server
// serving another set. It does not tell a key removed and added again
// between two records: the set is the same at both.
//
// Signers are the keys themselves (RDATA: flags, protocol, algorithm,
// public key) the side's servers signed their DNSKEY set or apex SOA
// with, sorted: the keys whose private half that side's provider holds,
// named and checked later even once it stops signing or serving them
// (finish's old-key: KeptOf). Empty in records made before they were
// kept, which still load.
type KeySet struct {
	Tags    []uint16 `json:"tags"`
	TTL     uint32   `json:"ttl"`
	Serials []uint32 `json:"serials,omitempty"`
	RRSIG   string   `json:"rrsig,omitempty"`
	Signing string   `json:"signing,omitempty"`
	Keys    string   `json:"keys,omitempty"`
	Signers []string `json:"signers,omitempty"`
}

// Signing modes of KeySet.Signing.
const (
	SigningStable    = "stable"
	SigningPerAnswer = "per-answer"
)

// mayHaveChanged reports whether the DNSKEY set may have changed between
// the record a and the later record b, although both hold the same key
// tags: the set itself differs (Keys); or, both records' signers stable,
// the signatures over it moved; or both its serial and those signatures
// moved. Records without them (made before they were kept) are taken as
// unchanged, as before.
func mayHaveChanged(a, b KeySet) bool {
	if a.Keys != "" && b.Keys != "" && a.Keys != b.Keys {
		return true
	}
	if a.RRSIG == "" || b.RRSIG == "" {
		return false
	}
	if a.Signing == SigningStable && b.Signing == SigningStable {
		return a.RRSIG != b.RRSIG
	}
	if len(a.Serials) == 0 || len(b.Serials) == 0 {
		return false
	}
	return !slices.Equal(a.Serials, b.Serials) && a.RRSIG != b.RRSIG
}

// KeysAt is a KeySet seen at a time.
type KeysAt struct {
	At time.Time
	KeySet
}

// keyObs collects the DNSKEY sets of one side's servers: the tags every
// answering server serves (a key one server lacks is not published for the
// resolvers that ask that server) and the largest TTL.
type keyObs struct {
	servers int
	count   map[uint16]int
	ttl     uint32
	serials []uint32
	sigs    []string
	keySets []string
	signers []string // KeySet.Signers
	// first: each server's signatures over its DNSKEY set, and when it
	// was asked; asked again by again, perAnswer says one gave others.
	first     map[string]askedSigs
	perAnswer bool
	again     bool // every server in first was asked again
}

// askedSigs are a server's signatures over its DNSKEY set, as asked at.
type askedSigs struct {
	sigs string
	at   time.Time
}

// dnskeySigs are the signatures over zone's DNSKEY set in answer, one
// line each, sorted.
func dnskeySigs(answer []dns.RR, zone string) []string {
	var out []string
	for _, rr := range answer {
		if sig, ok := rr.(*dns.RRSIG); ok && sig.TypeCovered == dns.TypeDNSKEY && dns.CanonicalName(sig.Hdr.Name) == dns.CanonicalName(zone) {
			out = append(out, fmt.Sprintf("%d %d %d %d %s", sig.Algorithm, sig.KeyTag, sig.Inception, sig.Expiration, sig.Signature))
		}
	}
	slices.Sort(out)
	return out
}

// add counts one server's DNSKEY answer; soa is its answer to the apex
// SOA (nil: not asked, or no answer); addr, when not empty, keeps its
// signatures, asked now, for asking it again (keyObs.askAgain).
func (o *keyObs) add(answer []dns.RR, zone string, soa *dns.Msg, addr string) {
	if o.count == nil {
		o.count = map[uint16]int{}
	}
	o.servers++
	sigs := dnskeySigs(answer, zone)
	o.sigs = append(o.sigs, sigs...)
	if addr != "" && len(sigs) > 0 {
		if o.first == nil {
			o.first = map[string]askedSigs{}
		}
		o.first[addr] = askedSigs{strings.Join(sigs, "\n"), time.Now()}
	}
	signing := map[tagAlg]bool{}
	rrsetSigners(answer, zone, dns.TypeDNSKEY, signing)
	if soa != nil {
		rrsetSigners(soa.Answer, zone, dns.TypeSOA, signing)
	}
	var keys []string
	for _, rr := range answer {
		if k, ok := rr.(*dns.DNSKEY); ok && dns.CanonicalName(k.Hdr.Name) == dns.CanonicalName(zone) {
			keys = append(keys, keyRDATA(k))
			if signing[tagAlg{k.KeyTag(), k.Algorithm}] && !slices.Contains(o.signers, keyRDATA(k)) {
				o.signers = append(o.signers, keyRDATA(k))
			}
		}
	}
	slices.Sort(keys)
	o.keySets = append(o.keySets, strings.Join(slices.Compact(keys), "\n"))
	if soa != nil {
		for _, rr := range soa.Answer {
			if v, ok := rr.(*dns.SOA); ok && dns.CanonicalName(v.Hdr.Name) == dns.CanonicalName(zone) && !slices.Contains(o.serials, v.Serial) {
				o.serials = append(o.serials, v.Serial)
			}
		}
	}
	seen := map[uint16]bool{}
	for _, k := range ApexKeys(answer, zone) {
		if seen[k.KeyTag()] {
			continue
		}
		seen[k.KeyTag()] = true
		o.count[k.KeyTag()]++
		o.ttl = max(o.ttl, k.Hdr.Ttl)
	}
}

// set is the observation (false when no server answered).
func (o *keyObs) set() (KeySet, bool) {
	if o.servers == 0 {
		return KeySet{}, false
	}
	ks := KeySet{Tags: []uint16{}, TTL: o.ttl}
	for t, n := range o.count {
		if n == o.servers {
			ks.Tags = append(ks.Tags, t)
		}
	}
	slices.Sort(ks.Tags)
	if len(o.serials) > 0 && len(o.sigs) > 0 {
		ks.Serials = slices.Sorted(slices.Values(o.serials))
		sigs := slices.Compact(slices.Sorted(slices.Values(o.sigs)))
		sum := sha256.Sum256([]byte(strings.Join(sigs, "\n")))
		ks.RRSIG = hex.EncodeToString(sum[:8])
		switch {
		case o.perAnswer:
			ks.Signing = SigningPerAnswer
		case o.again:
			ks.Signing = SigningStable
		}
	}
	if len(o.signers) > 0 {
		ks.Signers = slices.Sorted(slices.Values(o.signers))
	}
	if len(o.keySets) > 0 {
		sets := slices.Compact(slices.Sorted(slices.Values(o.keySets)))
		sum := sha256.Sum256([]byte(strings.Join(sets, "\n--\n")))
		ks.Keys = hex.EncodeToString(sum[:8])
	}
	return ks, true
}

// signingGap is how long after its first DNSKEY answer a server is asked
// again to tell a signer that signs each answer (its signatures change
// from one second to the next: an online signer's inception follows the
// clock) from one whose signatures are stable.
const signingGap = 1100 * time.Millisecond

// askAgain asks every server o kept signatures of (keyObs.add) for its
// DNSKEY set again, signingGap after the first ask at the earliest, and
// notes whether one gave other signatures (perAnswer). Servers that do
// not answer again leave the signing mode unknown (the serial rule).
func (o *keyObs) askAgain(ctx context.Context, a asker, zone string) {
	if len(o.first) == 0 {
		return
	}
	var latest time.Time
	for _, f := range o.first {
		latest = maxTime(latest, f.at)
	}
	if wait := time.Until(latest.Add(signingGap)); wait > 0 {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
	all := true
	for addr, f := range o.first {
		r, err := a.ask(ctx, addr, zone, dns.TypeDNSKEY)
		if err != nil || r.Rcode != dns.RcodeSuccess || !r.Authoritative {
			all = false
			continue
		}
		if strings.Join(dnskeySigs(r.Answer, zone), "\n") != f.sigs {
			o.perAnswer = true
		}
	}
	o.again = all
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// seen is what the check saw of both sides, by side name.
func (c *check) seen() map[string]KeySet {
	out := map[string]KeySet{}
	if ks, ok := c.sideKeys.set(); ok {
		out[side(c.in)] = ks
	}
	if ks, ok := c.otherKeys.set(); ok {
		out[otherSide(c.in)] = ks
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// keysWait is the DNSKEY TTL wait of RFC 8901 (sections 3 and 4.1), both
// ways (heldWait): the other side's DNSKEY set holds every key the side
// signs with (c.signerKeys), and the side's own set every key the other
// side signs its answers with (c.otherSigned, the converse: after the step
// the other side's answers still reach resolvers through the delegation
// cached from before it); the later of the two waits, and why.
func (c *check) keysWait() (until time.Time, why string) {
	if !c.in.WaitDNSKEY {
		return time.Time{}, ""
	}
	var whys []string
	if cur, ok := c.otherKeys.set(); ok {
		if u, w := c.heldWait(cur, c.in.OtherKeys, c.signerKeys, otherSide(c.in), side(c.in)); !u.IsZero() {
			until, whys = u, append(whys, w)
		}
	}
	if cur, ok := c.sideKeys.set(); ok && len(c.in.Other) > 0 {
		if u, w := c.heldWait(cur, c.in.SideKeys, c.otherSigned, side(c.in), otherSide(c.in)); !u.IsZero() {
			until, whys = maxTime(until, u), append(whys, w+" (still served to resolvers that cached the delegation from before the step)")
		}
	}
	return until, strings.Join(whys, "; ")
}

// heldWait is one direction of keysWait: the DNSKEY sets of side holder
// (cur, this observation; records, the caller's record of them) hold every
// key of need, which side signer signs with, but a validating resolver
// that cached the set before those keys were added keeps the earlier set
// until its TTL runs out, and cannot validate signer's answers until then.
// since is the first of the unbroken run of observations up to now whose
// set held them all (records, then cur at in.Now; without a record, now),
// and the wait is the largest DNSKEY TTL of both sides over that run and
// the observation before it. Zero when need is empty or the wait is over.
func (c *check) heldWait(cur KeySet, records []KeysAt, need map[uint16]map[string]bool, holder, signer string) (until time.Time, why string) {
	if len(need) == 0 {
		return time.Time{}, ""
	}
	since, ttl := c.in.Now, max(cur.TTL, c.dnskeyTTL)
	later, changed := cur, "" // the record after h in the run (first: this observation)
	for i := len(records) - 1; i >= 0; i-- {
		h := records[i]
		if h.At.After(c.in.Now) {
			continue
		}
		ttl = max(ttl, h.TTL)
		if !holdsAll(h.Tags, need) {
			break
		}
		if mayHaveChanged(h.KeySet, later) {
			// The keys may have been removed and added again
			// between h and the record after it: they count as
			// published from that record on.
			what := fmt.Sprintf("SOA serial and the signatures over its DNSKEY set changed after %s (serial %s, then %s)", h.At.UTC().Format(time.RFC3339), serialsText(h.Serials), serialsText(later.Serials))
			switch {
			case h.Keys != "" && later.Keys != "" && h.Keys != later.Keys:
				what = fmt.Sprintf("DNSKEY set changed after %s, its key tags the same (a key replaced by another with the same tag, or a server serving another set)", h.At.UTC().Format(time.RFC3339))
			case slices.Equal(h.Serials, later.Serials):
				what = fmt.Sprintf("signatures over its DNSKEY set changed after %s, its SOA serial (%s) not (its signer re-signed the set: a change of the set, or a refresh)", h.At.UTC().Format(time.RFC3339), serialsText(h.Serials))
			}
			changed = fmt.Sprintf("; the %s side's %s, so the set may have lost those keys meanwhile: they count from the record after it", holder, what)
			break
		}
		since, later = h.At, h.KeySet
	}
	if cur.Signing == SigningPerAnswer && changed == "" {
		c.notes = append(c.notes, fmt.Sprintf("the %s side signs each answer anew: a key removed from its DNSKEY set and added again between two records without a change of its SOA serial cannot be seen", holder))
	}
	until = since.Add(secs(ttl))
	if !c.in.Now.Before(until) {
		c.notes = append(c.notes, fmt.Sprintf("the %s side's DNSKEY sets have held key tags %s since %s at least, longer than the DNSKEY TTL (%d s)",
			holder, tagSet(need), since.UTC().Format(time.RFC3339), ttl))
		return time.Time{}, ""
	}
	first := "now (no earlier record of them)"
	if since.Before(c.in.Now) {
		first = since.UTC().Format(time.RFC3339) + " (when a step first saw them)"
	}
	return until, fmt.Sprintf("the %s side's DNSKEY sets hold key tags %s, which the %s side signs with, only since %s: a validating resolver that cached the set from before keeps it until %s (the largest DNSKEY TTL of both sides, %d s) and cannot validate the %s side's answers until then%s",
		holder, tagSet(need), signer, first, deadline.Format(until), ttl, signer, changed)
}

func serialsText(xs []uint32) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, "/")
}

func holdsAll[V any](tags []uint16, need map[uint16]V) bool {
	for t := range need {
		if !slices.Contains(tags, t) {
			return false
		}
	}
	return true
}

// ServedKeySet is the DNSKEY sets zone's servers serve now, as the gate
// records a side's in Result.Seen (KeySet: the key tags every server
// serves, the largest TTL, Keys: the sets themselves), asked afresh with
// the DO bit: a step compares it with what its gate saw right before the
// registrar change, since a provider that stops signing or rolls its keys
// need move neither its SOA serial nor what its API lists. Servers that
// do not answer with authority are left out, as the gate leaves them
// out; false when none answers.
func ServedKeySet(ctx context.Context, zone string, servers []string, timeout time.Duration) (KeySet, bool) {
	a := newRun(timeout)
	answers := fanout.All(len(servers), func(i int) *dns.Msg {
		r, err := a.ask(ctx, servers[i], zone, dns.TypeDNSKEY)
		if err != nil || r.Rcode != dns.RcodeSuccess || !r.Authoritative {
			return nil
		}
		return r
	})
	var o keyObs
	for _, r := range answers {
		if r != nil {
			o.add(r.Answer, zone, nil, "")
		}
	}
	return o.set()
}
