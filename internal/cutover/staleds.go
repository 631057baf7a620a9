package cutover

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/dnssec"
)

// staleDS are old-unreferenced's parent-ds checks of the DS records at
// the parent (ds): one failed check per DS that matches no key the new
// side serves (dnssec.Unmatched), the old provider's KSK left behind, or
// only a key it publishes and does not sign its DNSKEY set with (that KSK
// kept in the new side's set from the multi-signer overlap, which RFC
// 8901 section 8 removes after the DS; or a standby key). A
// DS is the parent vouching for a key (RFC 4035 §5): while it stays, the
// old provider, which keeps that key's private half once it is
// decommissioned (and whoever takes it from there), can sign a DNSKEY set,
// and with it any answer for the zone, that validates through it. RFC
// 8901's removal of a signer, and a KSK rollover's last step (RFC 6781
// §4.1.2), end with that DS gone from the parent: finish, which calls the
// old provider safe to decommission, waits for it. It waits as long for
// such a DS gone from the parent that validating resolvers may still hold
// (held: the DS sets the trail saw there, each until its last sighting
// plus its TTL, Trail.CachedDS): for them the parent vouches for it until
// then, and until is the latest of those ends (zero when none holds a
// finish back). No DS matching a key
// that signs the new side's DNSKEY set means the zone does not validate
// now: failed too. Keys that
// cannot be compared (the new side's DNSKEY not read) fail as well
// (nothing is concluded). A DS of a digest type dnsparity cannot compute
// that may be a new key's (dnssec.Unmatched's unknown) is a warning,
// named without the advice to remove it. One passed check when every DS
// matches, none when the parent holds none and resolvers hold none.
//
// oldAsked is until when resolvers may still ask the old side (finish's
// overlap gate: the old delegation and apex NS sets they cached): the
// old side signs its DNSKEY set with the key such a DS names, so the
// advice to remove it names that time while it is ahead. Removed
// sooner, the DS set resolvers fetch no longer vouches for the old
// side's keys, and its answers turn bogus (SERVFAIL) for those still
// asking it (TestFinishStaleDSBeforeOverlapLab).
func staleDS(ctx context.Context, c *Config, ds []string, held []dnssec.HeldDS, oldAsked time.Time) (checks []delegation.Check, warnings []string, until time.Time) {
	// The DS records resolvers may hold that the parent no longer
	// serves, each with the latest end of a set holding it.
	cached := map[string]time.Time{}
	var gone []string
	for _, h := range held {
		for _, d := range h.DS {
			if dsSubset([]string{d}, ds) {
				continue
			}
			k := dsNorm([]string{d})[0]
			if _, ok := cached[k]; !ok {
				gone = append(gone, d)
			}
			if h.Until.After(cached[k]) {
				cached[k] = h.Until
			}
		}
	}
	if len(ds) == 0 && len(gone) == 0 {
		return nil, nil, time.Time{}
	}
	ch := delegation.Check{Name: CheckParentDS, Server: c.ParentZone, Asked: "DS " + c.Zone.Origin + " at the parent, and DNSKEY at the new side's servers",
		Expected: "every DS matching a DNSKEY the new side serves", Got: strings.Join(ds, "; ")}
	stale, published, unknown, served, err := dnssec.Unmatched(ctx, c.Zone.Origin, append(slices.Clone(ds), gone...), c.New.Servers, c.Timeout)
	if err != nil {
		ch.Detail = fmt.Sprintf("the DS at the parent were not compared with the new side's keys: %v", err)
		ch.Fix = "run finish again when the new side's servers answer DNSKEY"
		return []delegation.Check{failed(ch)}, nil, time.Time{}
	}
	// atParent splits xs into the DS the parent serves and those only
	// cached.
	atParent := func(xs []string) (now, held []string) {
		for _, x := range xs {
			if dsSubset([]string{x}, ds) {
				now = append(now, x)
			} else {
				held = append(held, x)
			}
		}
		return now, held
	}
	stale, staleHeld := atParent(stale)
	published, publishedHeld := atParent(published)
	for _, d := range unknown {
		f := strings.Fields(d)
		warnings = append(warnings, fmt.Sprintf("the parent holds DS %s (key tag %s) of digest type %s, which dnsparity cannot compute: it was not compared with the new side's keys (key tags %s), one of which has its key tag and algorithm; check it with a tool that knows that digest type before removing it",
			d, f[0], f[2], served))
	}
	if len(ds) > 0 && len(stale)+len(published) == len(ds) {
		ch.Detail = fmt.Sprintf("no DS at the parent (%s) matches a DNSKEY that signs the new side's DNSKEY set (key tags served %s): validating resolvers cannot validate %s now", strings.Join(ds, "; "), served, c.Zone.Origin)
		ch.Fix = "publish the new side's DS at the registrar and remove these (or remove them all to go unsigned), then run finish again"
		return []delegation.Check{failed(ch)}, warnings, time.Time{}
	}
	// Each DS gone from the parent that resolvers may hold: wait.
	for _, d := range append(staleHeld, publishedHeld...) {
		end := cached[dsNorm([]string{d})[0]]
		ch := ch
		ch.Got = d
		ch.Detail = fmt.Sprintf("the parent no longer serves DS %s (key tag %s), for a key that does not sign the new side's DNSKEY set (key tags served %s), but validating resolvers that cached it may hold it until %s (the trail's last sighting of it plus its TTL). For them the parent still vouches for it: whoever holds its private key (the old provider, after it is decommissioned) can sign answers for %s that validate",
			d, strings.Fields(d)[0], served, end.UTC().Format(time.RFC3339), c.Zone.Origin)
		ch.Fix = fmt.Sprintf("wait until %s (the DS's TTL after the parent stopped serving it), then run finish again", end.UTC().Format(time.RFC3339))
		checks = append(checks, failed(ch))
		if end.After(until) {
			until = end
		}
	}
	// Each DS left behind: what its key is to the new side, and the fix.
	when := ""
	if now := c.Now(); now.Before(oldAsked) {
		when = fmt.Sprintf("not before %s (when finish's overlap gate passes: until then resolvers holding the old delegation still ask the old side, which signs its DNSKEY set with that key; removed sooner, its answers turn bogus, SERVFAIL, for them): ", deadline.Format(oldAsked))
	}
	const vouches = "The parent still vouches for it: whoever holds its private key (the old provider, after it is decommissioned) can sign answers for %s that validate"
	for _, k := range []struct {
		ds        []string
		what, fix string
	}{
		{stale, "which matches no DNSKEY the new side serves (key tags %s): the old provider's key, left behind",
			"remove that DS record at the registrar (dnsparity has no command for it), keeping the others, then run finish again"},
		{published, "for a key the new side publishes in its DNSKEY set (key tags %s) but does not sign it with: the old provider's key, kept from the multi-signer overlap (RFC 8901 section 8 removes its DS first, then the key), or a standby key",
			"remove that DS record at the registrar (dnsparity has no command for it), keeping the others, then the old provider's keys from the new side's DNSKEY set, then run finish again; a standby key of the new provider's own rollover: run finish once the rollover is done"},
	} {
		for _, d := range k.ds {
			ch := ch
			ch.Got = d
			ch.Detail = fmt.Sprintf("the parent holds DS %s (key tag %s), "+k.what+". "+vouches, d, strings.Fields(d)[0], served, c.Zone.Origin)
			ch.Fix = when + k.fix
			checks = append(checks, failed(ch))
		}
	}
	if len(checks) == 0 {
		ch.Detail = fmt.Sprintf("every DS at the parent matches a DNSKEY that signs the new side's DNSKEY set (key tags served %s)", served)
		if len(gone) > 0 {
			ch.Detail += fmt.Sprintf(", and so does every DS validating resolvers may still hold (%s)", strings.Join(gone, "; "))
		}
		checks = append(checks, passed(ch))
	}
	return checks, warnings, until
}

// oldKeyChecks is old-unreferenced's old-key check: no key of the new
// side's DNSKEY set is one the old side signs with and the new side does
// not (dnssec.Kept: the old provider's ZSK or KSK kept from an RFC 8901
// overlap, whose DS may be gone). A validator trusts every zone key of
// the DNSKEY set the parent's DS vouches for, so whoever keeps such a
// key's private half (the old provider once decommissioned) can sign any
// answer for the zone that validates: one failed check naming them. Keys
// that cannot be compared (a side's servers not answering) fail too:
// nothing is concluded. oldAsked is until when resolvers may still ask
// the old side (the overlap gate's time): a resolver holding the new
// side's DNSKEY set validates the old side's answers with those keys
// until then, so the fix names that time while it is ahead. No check
// when the new side serves no DNSKEY. The keys the trail saw the old
// side sign with (tr's signersSeen, dnssec.KeptOf) count as well: an old
// side that stopped signing before finish (it serves the zone unsigned,
// or other keys) names them no more, and its provider still holds their
// private halves (TestFinishOldKeyStoppedSigningLab).
func oldKeyChecks(ctx context.Context, c *Config, tr *Trail, oldAsked time.Time) []delegation.Check {
	ch := delegation.Check{Name: CheckOldKey, Server: strings.Join(c.New.Servers, " "), Asked: "DNSKEY and SOA " + c.Zone.Origin + " at both sides' servers",
		Expected: "no key the old side signs with in the new side's DNSKEY set"}
	// The old servers finish's parity gate asks: those the delegation
	// recorded before the flip names too, each this machine can ask.
	olds, _, _ := c.oldServersAsked(ctx, false)
	news, _ := notFromHere(ctx, c, c.New.Servers)
	kept, served, err := dnssec.Kept(ctx, c.Zone.Origin, olds, news, c.Timeout)
	if recorded := tr.signersSeen("old"); err == nil && len(recorded) > 0 {
		var was []string
		if was, _, err = dnssec.KeptOf(ctx, c.Zone.Origin, recorded, news, c.Timeout); err == nil {
			for _, k := range was {
				if !slices.Contains(kept, k) {
					kept = append(kept, k)
				}
			}
		}
	}
	switch {
	case err != nil:
		ch.Detail = fmt.Sprintf("the new side's DNSKEY set was not compared with the keys the old side signs with: %v", err)
		ch.Fix = "run finish again when both sides' servers answer DNSKEY and SOA"
		return []delegation.Check{failed(ch)}
	case len(kept) == 0 && served == "none":
		return nil
	case len(kept) == 0:
		ch.Detail = fmt.Sprintf("no key of the new side's DNSKEY set (key tags %s) is one the old side signs with and the new side does not", served)
		return []delegation.Check{passed(ch)}
	}
	when := ""
	if now := c.Now(); now.Before(oldAsked) {
		when = fmt.Sprintf("not before %s (when finish's overlap gate passes: until then resolvers holding the old delegation still ask the old side, and validate its answers with the new side's DNSKEY set if they cached it): ", deadline.Format(oldAsked))
	}
	ch.Got = strings.Join(kept, "; ")
	ch.Detail = fmt.Sprintf("the new side's DNSKEY set (key tags %s) holds %s, which the old side signs with (or did, as the trail saw) and the new side does not: the old provider's, kept from the multi-signer overlap. A validator trusts every key of the DNSKEY set the parent's DS vouches for (RFC 4035 section 5.3.1), whatever DS names it: whoever holds its private half (the old provider, after it is decommissioned) can sign answers for %s that validate",
		served, strings.Join(kept, ", "), c.Zone.Origin)
	ch.Fix = when + "remove those keys from the new provider's DNSKEY set (RFC 8901 section 8: the leaving signer's DS first, then its keys), then run finish again"
	return []delegation.Check{failed(ch)}
}

// newCDSChecks is old-unreferenced's new-cds check: the CDS and CDNSKEY
// records the new side publishes (dnssec.PublishedCDS) ask the parent for
// no DS of the old provider's key. A parent that follows CDS (RFC 7344
// section 4.1: the set is signed by a key its DS set vouches for; RFC
// 8078) puts such a DS back, and with it the parent vouches again for a
// key whose private half the old provider keeps: what parent-ds refuses,
// coming back after finish. A CDS of a key the new side does not sign
// its DNSKEY set with (dnssec.Unmatched: stale or only published) is the
// old provider's when the old side publishes or signs with a key of its
// tag now (dnssec.HeldTags), or the trail saw it as the old side's (tr's
// oldKeyTags: its DNSKEY sets, the parent's DS before the flip), so
// that a key the old side no longer signs with, or no longer serves, is
// still named. Any other is the new provider's own next key, not signing
// yet: a KSK rollover by the double-DS method (RFC 6781 section 4.1.2)
// asks for the next key's DS before the key signs, or is even published
// (RFC 7344 section 4: CDS names the DS the child wants), and refusing
// it held finish for the length of the rollover
// (TestFinishNewCDSKSKRolloverLab). When neither the old side's servers
// nor the trail tell whose key it is, it is refused (nothing
// concluded). One failed check naming the old provider's; one that
// could not be read fails too; none when the new side publishes none.
func newCDSChecks(ctx context.Context, c *Config, tr *Trail) []delegation.Check {
	ch := delegation.Check{Name: CheckNewCDS, Server: strings.Join(c.New.Servers, " "), Asked: "CDS and CDNSKEY " + c.Zone.Origin + ", and DNSKEY, at the new side's servers",
		Expected: "no CDS or CDNSKEY for a key of the old provider"}
	// Each new server this machine can ask (a server not asked from
	// here is the delegation gate's to name).
	servers, _ := notFromHere(ctx, c, c.New.Servers)
	cds, err := dnssec.PublishedCDS(ctx, c.Zone.Origin, servers, c.Timeout)
	var stale, published []string
	served := ""
	if err == nil && len(cds) > 0 {
		stale, published, _, served, err = dnssec.Unmatched(ctx, c.Zone.Origin, cds, servers, c.Timeout)
	}
	if err != nil {
		ch.Detail = fmt.Sprintf("the new side's CDS and CDNSKEY were not compared with its keys: %v", err)
		ch.Fix = "run finish again when the new side's servers answer CDS, CDNSKEY and DNSKEY"
		return []delegation.Check{failed(ch)}
	}
	if len(cds) == 0 {
		return nil
	}
	bad, own, unknown := c.oldCDS(ctx, tr, append(stale, published...))
	var tags []string
	for _, d := range bad {
		tags = append(tags, "key tag "+strings.Fields(d)[0])
	}
	switch {
	case len(bad) == 0:
		ch.Detail = fmt.Sprintf("the new side's CDS and CDNSKEY ask for the DS of keys it signs its DNSKEY set with (%s)", strings.Join(cds, "; "))
		if len(own) > 0 {
			ch.Detail += fmt.Sprintf("; %s, which do not sign it yet, the old side neither publishes nor signs with, and the trail never saw as the old side's: the new provider's next keys (a KSK rollover by the double-DS method, RFC 6781 section 4.1.2)", strings.Join(own, "; "))
		}
		return []delegation.Check{passed(ch)}
	case unknown != "":
		ch.Got = strings.Join(bad, "; ")
		ch.Detail = fmt.Sprintf("the new side publishes CDS or CDNSKEY asking the parent for the DS of %s, a key it does not sign its DNSKEY set with (key tags served %s), and whether it is the old provider's cannot be told: %s. A parent that follows CDS (RFC 7344 section 4.1, RFC 8078) puts that DS back: were it the old provider's key, whoever holds its private half could sign answers for %s that validate",
			strings.Join(tags, ", "), served, unknown, c.Zone.Origin)
		ch.Fix = "run finish again when the old side's servers answer DNSKEY and SOA; or, when the key is the old provider's, remove those CDS and CDNSKEY records at the new provider"
		return []delegation.Check{failed(ch)}
	default:
		ch.Got = strings.Join(bad, "; ")
		ch.Detail = fmt.Sprintf("the new side publishes CDS or CDNSKEY asking the parent for the DS of %s, a key it does not sign its DNSKEY set with (key tags served %s) and the old side publishes or signs with, or did (the trail): the old provider's, left from the multi-signer overlap. A parent that follows CDS (RFC 7344 section 4.1, RFC 8078) puts that DS back, vouching for a key whose private half the old provider keeps: whoever holds it can sign answers for %s that validate",
			strings.Join(tags, ", "), served, c.Zone.Origin)
		ch.Fix = "remove those CDS and CDNSKEY records at the new provider (keep only those of the keys it signs its DNSKEY set with, or its own next keys, or none), then run finish again"
		return []delegation.Check{failed(ch)}
	}
}

// oldCDS splits ds, the DS a new side's CDS asks for of keys it does not
// sign its DNSKEY set with, into bad (a key tag the old side's servers
// asked from here publish or sign with now, or the trail saw as the old
// side's: oldKeyTags) and own (neither: the new provider's next key).
// unknown says why the old side's keys could not be read when the trail
// holds none of them either: then every one is bad.
func (c *Config) oldCDS(ctx context.Context, tr *Trail, ds []string) (bad, own []string, unknown string) {
	if len(ds) == 0 {
		return nil, nil, ""
	}
	tags := tr.oldKeyTags()
	olds, _, _ := c.oldServersAsked(ctx, false)
	live, err := dnssec.HeldTags(ctx, c.Zone.Origin, olds, c.Timeout)
	switch {
	case err == nil && len(olds) > 0:
		for t := range live {
			tags[t] = true
		}
	case len(tags) == 0:
		why := "no old server is asked from here, and the trail saw none of its keys"
		if err != nil {
			why = fmt.Sprintf("the old side's keys were not read (%v), and the trail saw none of them", err)
		}
		return ds, nil, why
	}
	for _, d := range ds {
		tag, err := strconv.ParseUint(strings.Fields(d)[0], 10, 16)
		if err != nil || tags[uint16(tag)] {
			bad = append(bad, d)
		} else {
			own = append(own, d)
		}
	}
	return bad, own, ""
}
