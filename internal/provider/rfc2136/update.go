package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// batch is one UPDATE message's worth of changes: the prerequisites say
// what each RRset was planned against, the update section changes it.
type batch struct {
	prereq  []dns.RR
	update  []dns.RR
	changes []provider.Change
	// kept are the RRsets required unchanged beside the changes
	// (ApplyRRsets), named when the server refuses.
	kept []provider.Change
	size int
}

// message builds the batch's UPDATE message, unsigned (send signs it).
func (b *batch) message(origin string) *dns.Msg {
	m := new(dns.Msg)
	m.SetUpdate(origin)
	m.Compress = true
	m.Answer = b.prereq
	m.Ns = b.update
	return m
}

// Apply sends the changes in as few UPDATE messages as fit, all changes
// of one owner name in the same message (a delete travels with the add it
// makes room for), names that only lose records last (provider.ByName).
// Each message carries prerequisites (RFC 2136 §2.4): an RRset to create
// must not exist, an RRset to replace or delete must hold exactly the
// records the plan saw; the first message after a transfer also requires
// the zone's SOA as the transfer saw it (nothing else changed, TTLs
// included). The server applies a message whole or not at all. Messages
// go in order, each TSIG-signed just before it is sent; the first that
// fails stops the push. A message refused on its prerequisites gives an
// error wrapping provider.ErrConflict that names what changed; one sent
// whose answer was lost or did not verify, an error that says it was
// perhaps applied (provider.PerhapsApplied, exchangeFailed); a server
// not reached, one that says nothing was sent. Result.Left lists every
// change not applied in the state the error gives it.
func (p *Provider) Apply(ctx context.Context, origin string, cs []provider.Change, task progress.Updater) (provider.Result, error) {
	return p.apply(ctx, origin, cs, nil, task, true)
}

// ApplyRRsets is Apply without the zone's SOA among the prerequisites:
// each message requires only its changed RRsets as the plan saw them
// (provider.RRsetConditional), so that a change made meanwhile elsewhere
// in the zone (another child's delegation in a parent zone) does not
// refuse it, and the message also requires each RRset of kept as its
// Old says: "RRset exists (value dependent)" (RFC 2136 §2.4.2) for one
// that exists, "RRset does not exist" (§2.4.3) for one that does not.
// The changes go in one message, applied whole or not at all (§3.2):
// split, a first message could set a child's NS set and a second, with
// its glue, be refused, leaving half a delegation. Changes that do not
// fit one message (kept's prerequisites counted) are refused before
// anything is sent. The SOA the last transfer saw is forgotten all the
// same.
func (p *Provider) ApplyRRsets(ctx context.Context, origin string, cs, kept []provider.Change, task progress.Updater) (provider.Result, error) {
	return p.apply(ctx, origin, cs, kept, task, false)
}

// apply is Apply; wholeZone adds the zone's SOA as the plan's transfer
// saw it to the first message's prerequisites; without it (ApplyRRsets)
// the changes must fit one message, which also requires kept.
// A failed push ends in provider.Settle (the changes of messages not
// sent, not applied).
func (p *Provider) apply(ctx context.Context, origin string, cs, kept []provider.Change, task progress.Updater, wholeZone bool) (res provider.Result, err error) {
	defer func() { res, err = provider.Settle(cs, res, err) }()
	origin = zone.CanonicalName(origin)
	if p.caps.noUpdate && len(cs) > 0 {
		return res, fmt.Errorf("rfc2136 %s: UPDATE %s: NSD takes no dynamic updates (flavor: nsd): change its zone file and reload it; nothing was sent", p.server, origin)
	}
	batches, err := p.batches(origin, cs)
	if err != nil {
		return res, err
	}
	if err := p.requireKept(origin, batches, kept); err != nil {
		return res, err
	}
	if !wholeZone {
		if err := p.oneMessage(origin, batches, cs); err != nil {
			return res, err
		}
	}
	// The first message also requires the zone's SOA as the plan's
	// transfer saw it (wholeZone): nothing at all changed in between.
	soa := p.takeSOA(origin)
	if !wholeZone {
		soa = nil
	}
	if soa != nil && len(batches) > 0 && !hasSOA(batches[0].prereq) {
		rr := dns.Copy(soa)
		rr.Header().Class, rr.Header().Ttl = dns.ClassINET, 0
		batches[0].prereq = append([]dns.RR{rr}, batches[0].prereq...)
	}
	w, err := p.dial(ctx)
	if err != nil {
		return res, provider.NotSent(fmt.Errorf("rfc2136 %s: UPDATE %s: %w, nothing was sent: %w", p.server, origin, provider.ErrUnavailable, err))
	}
	defer w.Close()
	for i, b := range batches {
		// fail records what became of this message's changes and the
		// later ones' (res.Left) when it stops the push.
		fail := func(perhaps bool, err error) (provider.Result, error) {
			var later []provider.Change
			for _, o := range batches[i+1:] {
				later = append(later, o.changes...)
			}
			res.BatchFailed(b.changes, perhaps, later)
			if perhaps {
				res.Left.PerhapsWhy = "the UPDATE was sent, and its answer was lost or did not verify; applied whole or not at all, RFC 2136 §3.7"
			}
			return res, err
		}
		if err := ctx.Err(); err != nil {
			return fail(false, fmt.Errorf("rfc2136 %s: UPDATE %s: stopped before message %d of %d: %w", p.server, origin, i+1, len(batches), err))
		}
		res.Requests++
		p.updates.Add(1)
		what := fmt.Sprintf("UPDATE %s (message %d of %d, %d RRsets: %s)", origin, i+1, len(batches), len(b.changes), provider.Describe(b.changes, 5))
		m := b.message(origin)
		r, err := w.Exchange(ctx, m)
		if err != nil {
			err = p.exchangeFailed(what, err)
			return fail(provider.PerhapsApplied(err), err)
		}
		switch r.Rcode {
		case dns.RcodeSuccess:
		case dns.RcodeNXRrset, dns.RcodeYXRrset, dns.RcodeNameError, dns.RcodeYXDomain:
			var planSOA dns.RR
			if i == 0 {
				planSOA = soa
			}
			return fail(false, fmt.Errorf("rfc2136 %s: %s: refused (%s): %w: %s; nothing of this message was applied; plan again",
				p.server, what, transfer.RcodeName(r.Rcode), provider.ErrConflict, p.conflicts(ctx, origin, planSOA, b.changes, b.kept)))
		case dns.RcodeRefused:
			// Exchange verified the answer's TSIG (a refused key gets
			// NOTAUTH with BADKEY or BADSIG, or an unsigned answer: an
			// error from Exchange, ErrAuth): the server took the key and
			// refused the update itself, not the credentials.
			return fail(false, fmt.Errorf("rfc2136 %s: %s: the server refused the update (REFUSED%s): its update policy does not allow this change, or its checks refused the data (BIND: check-names, see its log); nothing of this message was applied",
				p.server, what, p.signedBy()))
		case dns.RcodeNotAuth:
			return fail(false, p.wrap(what, fmt.Errorf("server answered %s", transfer.RcodeName(r.Rcode))))
		case dns.RcodeFormatError:
			hint := ""
			if p.flavor == "generic" && hasUnknown(b.changes) {
				hint = " (the message holds an RFC 3597 type; PowerDNS refuses those: declare flavor: powerdns)"
			}
			return fail(false, fmt.Errorf("rfc2136 %s: %s: server answered FORMERR%s", p.server, what, hint))
		default:
			return fail(false, fmt.Errorf("rfc2136 %s: %s: server answered %s", p.server, what, transfer.RcodeName(r.Rcode)))
		}
		res.Done(task, b.changes...)
	}
	return res, nil
}

// exchangeFailed is the error of an UPDATE message whose exchange
// failed (err, Exchange's), PerhapsApplied exactly when the server may
// have acted on it: it was sent whole and no answer was read
// (transfer.ErrNoAnswer: the connection closed, the wait ended), or the
// answer said NOERROR and did not verify (transfer.ErrUnverified:
// unsigned, a TSIG error, a MAC or time that does not check). Either
// way the message was applied whole or not at all (RFC 2136 §3.7). Any
// other error applied nothing: the message was not sent whole (a
// partial message is never acted on), or the server answered an error
// rcode (§3: no change is made then).
func (p *Provider) exchangeFailed(what string, err error) error {
	const state = "perhaps applied, the whole message or nothing of it (RFC 2136 §3.7); plan again: a re-run converges"
	switch {
	case errors.Is(err, transfer.ErrNoAnswer) && transfer.IsContextErr(err):
		return provider.Unanswered(fmt.Errorf("rfc2136 %s: %s: sent, and the wait for its answer stopped: %s: %w", p.server, what, state, err))
	case errors.Is(err, transfer.ErrNoAnswer):
		return fmt.Errorf("rfc2136 %s: %s: sent, and its answer was lost: %s: %w: %w", p.server, what, state, provider.ErrUnavailable, err)
	case errors.Is(err, transfer.ErrUnverified):
		return provider.Unanswered(fmt.Errorf("rfc2136 %s: %s: sent, and the server answered NOERROR, but its answer did not verify with TSIG key %s (a wrong secret, a clock off, or something between rewrote it): %s: %w", p.server, what, p.keyName, state, err))
	}
	var re *transfer.RcodeError
	if e := p.wrap(what, err); errors.As(err, &re) || !provider.PerhapsApplied(e) {
		return e
	}
	// Not sent whole (a network error, which wrap calls unreachable):
	// the server never read the message.
	return provider.NotSent(fmt.Errorf("%w; not sent whole, so nothing of this message was applied", p.wrap(what, err)))
}

// hasSOA: the prerequisites already hold the SOA (a change of the SOA
// requires exactly the one the plan saw; PowerDNS counts a second copy as
// another record and refuses).
func hasSOA(rrs []dns.RR) bool {
	for _, rr := range rrs {
		if rr.Header().Rrtype == dns.TypeSOA {
			return true
		}
	}
	return false
}

func hasUnknown(cs []provider.Change) bool {
	for _, c := range cs {
		if _, ok := dns.TypeToString[c.Type]; !ok {
			return true
		}
	}
	return false
}

// conflicts transfers the zone again and says, for each change of a
// refused message, how the server's RRset differs from what the plan saw.
func (p *Provider) conflicts(ctx context.Context, origin string, planSOA dns.RR, cs, kept []provider.Change) string {
	cur, err := p.Records(ctx, origin)
	if err != nil {
		return "the zone could not be read again to tell which RRset changed: " + err.Error()
	}
	var parts []string
	if now := cur.Get(origin, dns.TypeSOA); planSOA != nil && now != nil {
		if was, ok := planSOA.(*dns.SOA); ok && len(now.RRs()) == 1 {
			if is, ok := now.RRs()[0].(*dns.SOA); ok && is.Serial != was.Serial {
				parts = append(parts, fmt.Sprintf("the zone's SOA serial moved from %d to %d since the plan", was.Serial, is.Serial))
			}
		}
	}
	for _, c := range cs {
		if d := movedSincePlan(cur, c, false); d != "" {
			parts = append(parts, d)
		}
	}
	for _, c := range kept {
		if d := movedSincePlan(cur, c, true); d != "" {
			parts = append(parts, d)
		}
	}
	if len(parts) == 0 {
		return "no RRset of the message differs from the plan at the server now: another writer changed it back meanwhile, or the server does not match these prerequisites (PowerDNS: declare flavor: powerdns)"
	}
	return strings.Join(parts, "; ")
}

// movedSincePlan says how the server's zone cur holds c's RRset otherwise
// than c.Old, the plan's (nil: absent), or "": a change's RRset, or one
// the message required unchanged (kept).
func movedSincePlan(cur *zone.Zone, c provider.Change, kept bool) string {
	have := cur.Get(c.Name, c.Type)
	what := fmt.Sprintf("%s %s", c.Name, dns.Type(c.Type))
	switch {
	case c.Old == nil && have != nil:
		if kept {
			return fmt.Sprintf("%s was to stay absent, as the plan saw it, but the server now has it (%s)", what, strings.Join(have.Strings(), "; "))
		}
		return fmt.Sprintf("%s was to be created but the server now has it (%s)", what, strings.Join(have.Strings(), "; "))
	case c.Old != nil && have == nil:
		if kept {
			return fmt.Sprintf("%s was to stay as the plan saw it (%d records) but the server no longer has it", what, len(c.Old.Records))
		}
		return fmt.Sprintf("%s was planned against %d records but the server no longer has it", what, len(c.Old.Records))
	case c.Old != nil && !have.SameData(c.Old):
		if kept {
			return fmt.Sprintf("%s was to stay as the plan saw it but changed at the server (now: %s)", what, strings.Join(have.Strings(), "; "))
		}
		return fmt.Sprintf("%s changed at the server since the plan (now: %s)", what, strings.Join(have.Strings(), "; "))
	}
	return ""
}

// rrsLen is the wire size of rrs (names uncompressed), with 2 octets of
// slack each.
func rrsLen(rrs []dns.RR) int {
	n := 0
	for _, rr := range rrs {
		n += dns.Len(rr) + 2
	}
	return n
}

// prereqs states what the plan saw of the change's RRset: absent for a
// create (§2.4.3), exactly the old records for a replace or delete
// (§2.4.2, value dependent: no record more, none less); a replace or
// delete given without its old records only needs the RRset to exist
// (§2.4.1). Servers compare RDATA names case-sensitively, so the records
// are spelled as the server gave them when that is known (spelled).
func prereqs(c provider.Change, spelled []dns.RR, valueless bool) ([]dns.RR, error) {
	if c.Old == nil || valueless {
		class := uint16(dns.ClassANY)
		if c.Action == provider.Create && c.Old == nil {
			class = dns.ClassNONE
		}
		return []dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: c.Name, Rrtype: c.Type, Class: class}}}, nil
	}
	var out []dns.RR
	if spelled != nil {
		for _, rr := range spelled {
			rr = dns.Copy(rr)
			rr.Header().Class = dns.ClassINET
			rr.Header().Ttl = 0
			out = append(out, rr)
		}
		return out, nil
	}
	for _, r := range c.Old.Records {
		rr, err := oldRR(c, r.Rdata, dns.ClassINET)
		if err != nil {
			return nil, err
		}
		out = append(out, rr)
	}
	return out, nil
}

// oldRR is the record of c.Old with RDATA rdata in class, with TTL 0 (as
// a prerequisite or a delete names it).
func oldRR(c provider.Change, rdata string, class uint16) (dns.RR, error) {
	rr, err := zone.FromRdata(c.Old.Header(), rdata)
	if err != nil {
		return nil, fmt.Errorf("rfc2136: %s: %w", c, err)
	}
	rr.Header().Class, rr.Header().Ttl = class, 0
	return rr, nil
}

// updates is the update section of one change. The update section is
// processed in order (RFC 2136 §3.4.2): delete the RRset, then add its
// records. The apex NS is special: a server ignores "delete the apex NS
// RRset" (§3.4.2.4), so the new records are added first (with the new
// TTL, which an add applies to the RRset), then each old record not among
// them is deleted (class NONE); the server keeps the last NS whatever is
// asked. Records kept under a new TTL are also deleted and added again
// one by one when readd (Knot ignores an add of a record it has, TTL and
// all; PowerDNS takes the TTL but drops a record deleted and re-added in
// one message).
func updates(origin string, c provider.Change, readd bool) ([]dns.RR, error) {
	var out []dns.RR
	apexNS := c.Name == origin && c.Type == dns.TypeNS
	// The SOA is never deleted (§3.4.2.4: the server ignores it); an add
	// with a greater serial replaces it (§3.4.2.2).
	soa := c.Name == origin && c.Type == dns.TypeSOA
	if !apexNS && !soa && (c.Old != nil || c.Action != provider.Create) {
		out = append(out, &dns.ANY{Hdr: dns.RR_Header{Name: c.Name, Rrtype: c.Type, Class: dns.ClassANY}})
	}
	if c.Action != provider.Delete {
		if c.New == nil {
			return nil, fmt.Errorf("rfc2136: %s has no records", c)
		}
		for _, rr := range c.New.RRs() {
			rr.Header().Ttl = c.New.TTL
			out = append(out, rr)
		}
	}
	if apexNS && c.Old != nil {
		keep := map[string]bool{}
		if c.New != nil && c.Action != provider.Delete {
			for _, r := range c.New.Records {
				keep[r.Rdata] = true
			}
		}
		// Knot keeps the TTL of a record added again: each kept record is
		// taken out and added back, with a placeholder NS holding the
		// RRset meanwhile (a server keeps the last apex NS whatever is
		// asked). The message is applied whole: nobody sees the
		// placeholder.
		var hold dns.RR
		if readd && c.New != nil && c.Action != provider.Delete && c.Old.TTL != c.New.TTL {
			hold = &dns.NS{Hdr: dns.RR_Header{Name: c.Name, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: c.New.TTL}, Ns: placeholderNS}
			out = append(out, hold)
		}
		for _, r := range c.Old.Records {
			if keep[r.Rdata] {
				if hold != nil {
					rr, err := oldRR(c, r.Rdata, dns.ClassNONE)
					if err != nil {
						return nil, err
					}
					again := dns.Copy(rr)
					again.Header().Class, again.Header().Ttl = dns.ClassINET, c.New.TTL
					out = append(out, rr, again)
				}
				continue
			}
			rr, err := oldRR(c, r.Rdata, dns.ClassNONE)
			if err != nil {
				return nil, err
			}
			out = append(out, rr)
		}
		if hold != nil {
			out = append(out, &dns.NS{Hdr: dns.RR_Header{Name: c.Name, Rrtype: dns.TypeNS, Class: dns.ClassNONE}, Ns: placeholderNS})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("rfc2136: %s has no records", c)
	}
	return out, nil
}

// placeholderNS holds the apex NS RRset while its records are added
// again under a new TTL, within one UPDATE message (RFC 6761 .invalid).
const placeholderNS = "dnsparity-ttl-change.invalid."

// errTooLarge is a name whose changes do not fit in one message.
var errTooLarge = errors.New("too large for one UPDATE message")

// batches packs the changes into messages of at most p.maxMessage
// octets (compressed, as sent), all changes of one owner name in the same
// message.
func (p *Provider) batches(origin string, cs []provider.Change) ([]*batch, error) {
	var out []*batch
	var cur *batch
	for _, group := range provider.ByName(cs) {
		g := &batch{}
		for _, c := range group {
			pre, err := prereqs(c, p.spelled(origin, c), p.caps.noValuePrereq[c.Type])
			if err != nil {
				return nil, err
			}
			up, err := updates(origin, c, p.flavor != "powerdns")
			if err != nil {
				return nil, err
			}
			g.prereq = append(g.prereq, pre...)
			g.update = append(g.update, up...)
			g.changes = append(g.changes, c)
			g.size += rrsLen(pre) + rrsLen(up)
		}
		if g.size > p.maxMessage {
			return nil, fmt.Errorf("rfc2136: the changes at %s (%s) take %d octets: %w", group[0].Name, provider.Describe(group, 5), g.size, errTooLarge)
		}
		if cur != nil && cur.size+g.size > p.maxMessage {
			// The estimate counts names uncompressed; the message is sent
			// compressed. Measure it before starting another.
			cur.size = cur.message(origin).Len()
			if cur.size+g.size > p.maxMessage {
				cur = nil
			}
		}
		if cur == nil {
			cur = &batch{}
			out = append(out, cur)
		}
		cur.prereq = append(cur.prereq, g.prereq...)
		cur.update = append(cur.update, g.update...)
		cur.changes = append(cur.changes, g.changes...)
		cur.size += g.size
	}
	return out, nil
}

// oneMessage refuses changes that batches split into several messages,
// or whose one message (with its kept prerequisites) is larger than
// p.maxMessage: ApplyRRsets's changes are applied whole or not at all.
func (p *Provider) oneMessage(origin string, batches []*batch, cs []provider.Change) error {
	size := 0
	if len(batches) == 1 {
		size = batches[0].message(origin).Len()
	}
	if len(batches) > 1 || size > p.maxMessage {
		return fmt.Errorf("rfc2136 %s: UPDATE %s: the changes (%s) do not fit one UPDATE message of at most %d octets, and must be applied whole (a split one could leave half a delegation); nothing was sent: %w",
			p.server, origin, provider.Describe(cs, 5), p.maxMessage, errTooLarge)
	}
	return nil
}

// requireKept adds to every batch's prerequisites each RRset of kept as
// its Old says (nil: it must not exist): a change that leaves them alone
// still goes in only while they hold what the caller read.
func (p *Provider) requireKept(origin string, batches []*batch, kept []provider.Change) error {
	if len(kept) == 0 {
		return nil
	}
	var pre []dns.RR
	for _, k := range kept {
		c := provider.Change{Action: provider.Replace, Name: k.Name, Type: k.Type, Old: k.Old}
		if k.Old == nil {
			c.Action = provider.Create // §2.4.3: RRset does not exist
		}
		rrs, err := prereqs(c, p.spelled(origin, c), p.caps.noValuePrereq[c.Type])
		if err != nil {
			return err
		}
		pre = append(pre, rrs...)
	}
	for _, b := range batches {
		b.prereq = append(b.prereq, pre...)
		b.kept = kept
	}
	return nil
}

// ChecksOld: every UPDATE carries the plan's old RRsets as prerequisites
// (provider.Conditional).
func (p *Provider) ChecksOld() {}

// AppliesInTransactions: each UPDATE message is applied whole or not at
// all (RFC 2136 §3.2; provider.Transactional).
func (p *Provider) AppliesInTransactions() {}

var (
	_ provider.RRsetConditional = (*Provider)(nil)
	_ provider.Transactional    = (*Provider)(nil)
)

// Primary is the server the provider transfers from and updates
// (provider.Primary).
func (p *Provider) Primary() string { return p.server }

// signedBy says, for an answer whose TSIG verified, that the key was
// accepted ("" when the provider signs nothing).
func (p *Provider) signedBy() string {
	if p.keyName == "" {
		return ""
	}
	return fmt.Sprintf(", answer signed with key %s: the key was accepted", p.keyName)
}
