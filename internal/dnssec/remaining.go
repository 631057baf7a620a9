package dnssec

import (
	"fmt"
	"time"
)

// RemainingShort is the least time the signatures a server of the side
// serves should stay valid for (Zonemaster DNSSEC04 REMAINING_SHORT, a
// WARNING: "shorter validity than 12 hours until expiration will give a
// serious operational problem"): a signer that stops re-signing (a
// presigned zone its old signer no longer feeds, a broken online signer)
// leaves every answer bogus once they expire, after the flip.
const RemainingShort = 12 * time.Hour

// expiry is a verified RRset and when its longest-lived valid signature
// expires.
type expiry struct {
	set string
	at  time.Time
}

// expires notes s, verified at addr: the latest expiration of its
// signatures by the zone that are valid now (a validator may use any),
// kept when it is the earliest of the server's RRsets.
func (c *check) expires(addr string, s sigSet) {
	var best time.Time
	for _, sig := range s.sigs {
		if !equalName(sig.SignerName, c.in.Zone) || !sig.ValidityPeriod(c.in.Now) {
			continue
		}
		if at := sigInstant(sig.Expiration, c.in.Now); at.After(best) {
			best = at
		}
	}
	if best.IsZero() {
		return
	}
	if c.expiring == nil {
		c.expiring = map[string]expiry{}
	}
	if e, ok := c.expiring[addr]; !ok || best.Before(e.at) {
		c.expiring[addr] = expiry{set: s.name, at: best}
	}
}

// remainingShort warns when addr's first verified RRset to lose its
// signatures loses them within RemainingShort of now.
func (c *check) remainingShort(addr string) {
	e, ok := c.expiring[addr]
	if !ok {
		return
	}
	left := e.at.Sub(c.in.Now)
	if left >= RemainingShort {
		return
	}
	c.warnings = append(c.warnings, fmt.Sprintf("%s: the signatures over %s expire at %s, in %s (under %s: Zonemaster DNSSEC04 REMAINING_SHORT): unless the %s side's signer re-signs before then, validating resolvers find every answer bogus (SERVFAIL) after the step; check that it signs the zone itself (not a presigned copy) and that its signatures are renewed",
		addr, e.set, e.at.Format(time.RFC3339), left.Round(time.Second), RemainingShort, side(c.in)))
}

// signedUntil is, per server, when its first verified RRset loses its
// last valid signature (expires; Result.SignedUntil); nil when none was
// verified.
func (c *check) signedUntil() map[string]time.Time {
	if len(c.expiring) == 0 {
		return nil
	}
	out := make(map[string]time.Time, len(c.expiring))
	for addr, e := range c.expiring {
		out[addr] = e.at
	}
	return out
}
