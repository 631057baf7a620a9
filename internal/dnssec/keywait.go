package dnssec

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
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
type KeySet struct {
	Tags    []uint16 `json:"tags"`
	TTL     uint32   `json:"ttl"`
	Serials []uint32 `json:"serials,omitempty"`
	RRSIG   string   `json:"rrsig,omitempty"`
}

// mayHaveChanged reports whether the DNSKEY set may have changed between
// the record a and the later record b, although both hold the same keys:
// both its serial and the signatures over it moved. Records without them
// (made before they were kept) are taken as unchanged, as before.
func mayHaveChanged(a, b KeySet) bool {
	if len(a.Serials) == 0 || len(b.Serials) == 0 || a.RRSIG == "" || b.RRSIG == "" {
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
}

// add counts one server's DNSKEY answer; soa is its answer to the apex
// SOA (nil: not asked, or no answer).
func (o *keyObs) add(answer []dns.RR, zone string, soa *dns.Msg) {
	if o.count == nil {
		o.count = map[uint16]int{}
	}
	o.servers++
	for _, rr := range answer {
		if sig, ok := rr.(*dns.RRSIG); ok && sig.TypeCovered == dns.TypeDNSKEY && dns.CanonicalName(sig.Hdr.Name) == dns.CanonicalName(zone) {
			o.sigs = append(o.sigs, fmt.Sprintf("%d %d %d %d %s", sig.Algorithm, sig.KeyTag, sig.Inception, sig.Expiration, sig.Signature))
		}
	}
	if soa != nil {
		for _, rr := range soa.Answer {
			if v, ok := rr.(*dns.SOA); ok && dns.CanonicalName(v.Hdr.Name) == dns.CanonicalName(zone) && !slices.Contains(o.serials, v.Serial) {
				o.serials = append(o.serials, v.Serial)
			}
		}
	}
	seen := map[uint16]bool{}
	for _, k := range apexKeys(answer, zone) {
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
	}
	return ks, true
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

// keysWait is the DNSKEY TTL wait of RFC 8901 (sections 3 and 4.1): the
// other side's DNSKEY set holds every key the side signs with (checked),
// but a validating resolver that cached it before those keys were added
// keeps the earlier set until its TTL runs out, and cannot validate the
// side's answers until then. since is the first of the unbroken run of
// observations up to now whose set held them all (in.OtherKeys, then this
// one at in.Now; without a record, now), and the wait is the largest
// DNSKEY TTL of both sides over that run and the observation before it.
// Zero when the caller does not track (in.WaitDNSKEY false), when no
// server of the other side answered (the emergency: nothing to compare),
// or when the wait is over.
func (c *check) keysWait() (until time.Time, why string) {
	cur, ok := c.otherKeys.set()
	if !c.in.WaitDNSKEY || !ok || len(c.signers) == 0 {
		return time.Time{}, ""
	}
	since, ttl := c.in.Now, max(cur.TTL, c.dnskeyTTL)
	later, changed := cur, "" // the record after h in the run (first: this observation)
	for i := len(c.in.OtherKeys) - 1; i >= 0; i-- {
		h := c.in.OtherKeys[i]
		if h.At.After(c.in.Now) {
			continue
		}
		ttl = max(ttl, h.TTL)
		if !holdsAll(h.Tags, c.signers) {
			break
		}
		if mayHaveChanged(h.KeySet, later) {
			// The keys may have been removed and added again
			// between h and the record after it: they count as
			// published from that record on.
			changed = fmt.Sprintf("; the %s side's SOA serial and the signatures over its DNSKEY set changed after %s (serial %s, then %s), so the set may have lost those keys meanwhile: they count from the record after it",
				otherSide(c.in), h.At.UTC().Format(time.RFC3339), serialsText(h.Serials), serialsText(later.Serials))
			break
		}
		since, later = h.At, h.KeySet
	}
	until = since.Add(secs(ttl))
	if !c.in.Now.Before(until) {
		c.notes = append(c.notes, fmt.Sprintf("the %s side's DNSKEY sets have held key tags %s since %s at least, longer than the DNSKEY TTL (%d s)",
			otherSide(c.in), tagSet(c.signers), since.UTC().Format(time.RFC3339), ttl))
		return time.Time{}, ""
	}
	first := "now (no earlier record of them)"
	if since.Before(c.in.Now) {
		first = since.UTC().Format(time.RFC3339) + " (when a step first saw them)"
	}
	return until, fmt.Sprintf("the %s side's DNSKEY sets hold key tags %s, which the %s side signs with, only since %s: a validating resolver that cached the set from before keeps it until %s (the largest DNSKEY TTL of both sides, %d s) and cannot validate the %s side's answers until then%s",
		otherSide(c.in), tagSet(c.signers), side(c.in), first, until.UTC().Format(time.RFC3339), ttl, side(c.in), changed)
}

func serialsText(xs []uint32) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, "/")
}

func holdsAll(tags []uint16, need map[uint16]bool) bool {
	for t := range need {
		if !slices.Contains(tags, t) {
			return false
		}
	}
	return true
}
