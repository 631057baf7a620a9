package cutover

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// errNoApexNS: the server answered without the zone's apex NS.
var errNoApexNS = errors.New("no apex NS")

// apexNSIn is the apex NS set of z in the answer r and its largest TTL.
func apexNSIn(r *dns.Msg, z string) ([]string, uint32, error) {
	var ns []string
	var ttl uint32
	for _, rr := range r.Answer {
		if n, ok := rr.(*dns.NS); ok && zone.Fold(n.Hdr.Name) == z {
			ns = append(ns, zone.Fold(n.Ns))
			ttl = max(ttl, n.Hdr.Ttl)
		}
	}
	if len(ns) == 0 {
		return nil, 0, fmt.Errorf("%w (rcode %s)", errNoApexNS, dns.RcodeToString[r.Rcode])
	}
	sort.Strings(ns)
	return ns, ttl, nil
}

// sideNS is what a side's servers serve as apex NS (the step's answers,
// apexNSSeen): the first answer's set (any answer: the classifier tells
// the sides apart by the names), and the apex NS TTL the side serves,
// of authoritative answers only (servedNSTTL, the one rule: a lame
// server's or a cache's TTL is not the zone's; ok false, and 0, when
// none answered so).
func sideNS(ctx context.Context, c *Config, s *Side) ([]string, uint32, bool) {
	answers := c.apexSeen.apexNSOf(ctx, c, s.Servers)
	var first []string
	for _, a := range answers {
		if a.err == nil {
			first = a.ns
			break
		}
	}
	ttl, ok := servedNSTTL(answers)
	return first, ttl, ok
}

// leftNSTTLUnread is the NS TTL status counts for side, the one the step
// e moved the delegation away from, when none of its servers answers for
// its own NS set with authority (its provider down, its servers lame):
// as the step's watch counts it then (watchMove), what the step recorded
// for it (leftNSTTL: its watch's reading, which was that side's served
// TTL or this same bound), else the trail's bound (Trail.nsTTLBound).
// how says which, for the report.
func leftNSTTLUnread(tr *Trail, e *Entry, side string) (uint32, string) {
	if v := leftNSTTL(e, side); v > 0 {
		return v, fmt.Sprintf("what the %s at %s recorded for it", e.Command, e.Time.UTC().Format(time.RFC3339))
	}
	return tr.nsTTLBound(side)
}

// settling is when no resolver may still be sent to the side a move
// left (settles).
type settling struct {
	at time.Time
	// waits names each figure still after now (Wait*).
	waits []string
	// parentTTL and childTTL are the NS TTLs of WaitNSTTL's count;
	// otherNS and otherTTL what the side left serves (unread: how its
	// TTL was found when none of its servers answered with authority).
	parentTTL, childTTL, otherTTL uint32
	otherNS                       []string
	unread                        string
	// held are moveHeld's figures; all those and WaitNSTTL's, from
	// which at is counted (finishWhen counts them from policy.overlap's
	// end).
	held, all held
}

// settles is when no resolver may still be sent to the side the move e
// (to target, from other) left, and what it still waits for: the one
// rule for status's settled and, with policy.overlap, finish's overlap
// gate. Its figures: the move plus the parent's NS TTL of the
// delegation replaced (movedNSTTL, with parentNow, the parent's NS TTL
// read now) plus the larger apex NS TTL either side serves with
// authority (the side left with none: what the step recorded for it,
// else the trail's bound, as its watch counts it), WaitNSTTL; and
// moveHeld's, which the overlap gate counts: the move's watch
// (old_delegation_expires: the side left may serve a lower NS TTL now
// than a resolver took then), the referrals served before it and, after
// a flip, those served after it and every apex NS set of the old side
// naming an old server (c.oldNS, the step's observation: while the old
// side serves one, resolvers that take it keep asking the old servers,
// RFC 2181 §5.4.1). Before, status counted only the NS TTLs and the
// watch, and called a flip settled that finish refused. After a flip,
// policy.overlap still ahead is named too (finish waits for it;
// resolvers do not, so it moves no settled_at).
func (c *Config) settles(ctx context.Context, tr *Trail, e *Entry, target, other *Side, cur *OldApexNS, parentNow uint32, now time.Time) settling {
	if k := c.settledNow; k != nil && k.e == e && k.cur == cur && k.parentNow == parentNow && k.now.Equal(now) {
		return k.s // the step's one count (Config.settledNow)
	}
	s := settling{parentTTL: movedNSTTL(e, parentNow)}
	// Each side's NS TTL at every server resolvers may be sent to
	// after the move (sideAfter: the recorded delegation's servers
	// too), as old-apex-ns and new-apex-ns read them; not the
	// configured servers alone, which may name another server (a lower
	// TTL: settled early).
	target, other = c.sideAfter(ctx, tr, e, target), c.sideAfter(ctx, tr, e, other)
	targetTTL, _ := servedNSTTL(c.apexSeen.apexNSOf(ctx, c, target.Servers))
	var aa bool
	s.otherNS, s.otherTTL, aa = sideNS(ctx, c, other)
	if !aa {
		// Counting 0 s for it would settle before the step's own
		// old_delegation_expires, which counted the recorded TTL or
		// the bound (watchMove): the one rule, the watch's.
		s.otherTTL, s.unread = leftNSTTLUnread(tr, e, other.Name)
	}
	s.childTTL = max(targetTTL, s.otherTTL)
	// cur: the old side's apex NS as this run saw it (after a rollback
	// moveHeld reads the new side's itself).
	from, _ := MoveSides(e.Command)
	s.held = c.moveHeld(ctx, tr, e, cur, now)
	s.all = held{figures: slices.Clone(s.held.figures), waits: slices.Clone(s.held.waits)}
	nsEnd := flipTime(e).Add(time.Duration(s.parentTTL)*time.Second + time.Duration(s.childTTL)*time.Second)
	s.all.take(WaitNSTTL, nsEnd, now, fmt.Sprintf("; the move settles at %s (status's settled_at: the %s, the parent's NS TTL %d s and the larger apex NS TTL either side serves, %d s)", deadline.Format(nsEnd), e.Command, s.parentTTL, s.childTTL))
	s.waits = slices.Clone(s.all.waits)
	if from == "old" && flipTime(e).Add(c.Overlap).After(now) {
		s.waits = append(s.waits, WaitOverlap)
	}
	s.at, _, _ = s.all.from(time.Time{})
	c.settledNow = &settledFor{e: e, cur: cur, parentNow: parentNow, now: now, s: s}
	return s
}

// settledFor is the step's count of settles for the move e (with cur
// and parentNow) at now: status's propagation, its next finish and
// leftBogusUnderDS, and finish's overlap gate read one answer, counted
// once (newObservation drops it with the answers it read). Keyed by now
// too: which figures still lie ahead (waits) and the runs a reading
// leaves open (apexNSNamesOwn) are counted at it, so an answer counted
// at an earlier time (leftBogusUnderDS's, before parity ran) read at a
// later one gave settled with waits_for naming a figure past, or
// settled_at early.
type settledFor struct {
	e         *Entry
	cur       *OldApexNS
	parentNow uint32
	now       time.Time
	s         settling
}

// propagation compares, after a flip or a rollback, every parent server's
// delegation, the target side's own apex NS and what each resolver answers
// for the zone's NS and SOA; a resolver still answering from the other
// side once the parent's NS TTL and the child's NS TTL have passed since
// the step is an error with its likely cause. now is the step's one
// instant (Status's, read once after its observations): settled_at and
// status's next finish (finishWhen) count the same observations from it,
// so they are one count (settles, keyed by it). Before, this read the
// clock again, seconds later under load, and settled_at came after the
// finish status named.
func propagation(ctx context.Context, c *Config, tr *Trail, rep *Report, now time.Time) *Propagation {
	stage, e := tr.Stage()
	var target, other *Side
	switch stage {
	case StageFlipped:
		target, other = &c.New, &c.Old
	case StageRolledBack:
		target, other = &c.Old, &c.New
	default:
		return nil
	}
	st := c.settles(ctx, tr, e, target, other, c.oldNS, rep.Delegation.NSTTL, now)
	p := &Propagation{Target: target.Name, Since: flipTime(e).UTC(), ParentNSTTL: st.parentTTL, ChildNSTTL: st.childTTL, SettledAt: st.at, Settled: !now.Before(st.at), WaitsFor: st.waits}
	want := target.Want(c.Zone.Origin, 0)
	parentBad := []string{}
	for _, v := range rep.Parent {
		row := ParentRow{Server: v.Server, NS: v.Delegation.NS, Glue: v.Delegation.Glue}
		switch {
		case v.Err != "":
			row.Detail = v.Err
		case strings.Join(v.Delegation.NS, " ") != strings.Join(want.NS, " "):
			row.Detail = fmt.Sprintf("delegates to NS %s, not the %s side's %s", strings.Join(v.Delegation.NS, " "), target.Name, strings.Join(want.NS, " "))
		case !registrar.SameGlue(v.Delegation.Glue, want.Glue):
			row.Detail = fmt.Sprintf("serves glue %s, the %s side's is %s", registrar.GlueText(v.Delegation.Glue), target.Name, registrar.GlueText(want.Glue))
		default:
			row.OK = true
			row.Detail = fmt.Sprintf("NS and glue of the %s side", target.Name)
		}
		if !row.OK {
			parentBad = append(parentBad, v.Server+" "+row.Detail)
		}
		p.Parent = append(p.Parent, row)
	}
	var childBad []string
	// every server resolvers are sent to on the target side: the
	// configured ones and those its recorded delegation names
	// (sideAfter, as settles reads it)
	targetServers := c.sideAfter(ctx, tr, e, target).Servers
	answers := c.apexSeen.apexNSOf(ctx, c, targetServers)
	for i, a := range answers {
		srv, ns, err := targetServers[i], a.ns, a.err
		row := ChildRow{Server: srv, NS: ns, OK: err == nil && strings.Join(ns, " ") == strings.Join(want.NS, " ")}
		if !row.OK {
			childBad = append(childBad, fmt.Sprintf("%s serves %s", srv, strings.Join(ns, " ")))
		}
		p.Child = append(p.Child, row)
	}
	otherNS := st.otherNS
	if st.unread != "" {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("no %s nameserver answers with authority for the %s side's own NS TTL (its provider is down, its servers lame, or out of reach from here): settled_at counts %d s for it, %s", other.Name, other.Name, st.otherTTL, st.unread))
	}
	targetNS := want.NS
	if len(p.Child) > 0 && len(p.Child[0].NS) > 0 {
		targetNS = p.Child[0].NS
	}
	var cl *classifier
	if len(c.Resolvers) > 0 {
		cl, _ = newClassifier(ctx, c)
	}
	oldNS, newNS := otherNS, targetNS
	if target.Name == "old" {
		oldNS, newNS = targetNS, otherNS
	}
	for _, res := range c.Resolvers {
		row := PropagationRR{Resolver: res, NSSide: "unknown", SOASide: "unknown", Side: "unknown"}
		if a := askNS(ctx, c, res, true); a.err == nil {
			row.NS = a.ns
			row.NSSide = c.sideByNS(a.ns, oldNS, newNS)
		} else {
			row.Detail = "NS: " + a.err.Error()
		}
		if r, err := ask(ctx, res, c.Zone.Origin, dns.TypeSOA, true, c.Timeout); err == nil {
			row.SOA = soaOf(r.Answer, c.Zone.Origin)
			if cl != nil {
				if side := sideOf(row.SOA, cl.old.soa, cl.new.soa); side != "" {
					row.SOASide = side
				}
			}
		}
		if cl != nil {
			side, detail := cl.which(ctx, c, res)
			row.Side = side
			if row.Detail == "" {
				row.Detail = detail
			}
		}
		row.OK = row.Side != other.Name && row.NSSide != other.Name
		if !row.OK && p.Settled {
			rep.Errors = append(rep.Errors, fmt.Sprintf("resolver %s still answers from the %s side (NS %s, SOA %s) %s after the %s; the parent's NS TTL (%d s) and the child's NS TTL (%d s) passed at %s. Likely cause: %s",
				res, other.Name, strings.Join(row.NS, " "), dash(row.SOA), now.Sub(p.Since).Round(time.Second), e.Command, p.ParentNSTTL, p.ChildNSTTL,
				deadline.Format(p.SettledAt), likelyCause(c, target, other, parentBad, childBad, row, otherNS)))
		}
		p.Resolvers = append(p.Resolvers, row)
	}
	return p
}

func likelyCause(c *Config, target, other *Side, parentBad, childBad []string, row PropagationRR, otherNS []string) string {
	switch {
	case len(parentBad) > 0:
		return fmt.Sprintf("not every parent server delegates to the %s side (%s): the registrar change has not reached them; run %s again, then ask the registrar", target.Name, strings.Join(parentBad, "; "), zoneCmd(c.Zone.Origin, "status"))
	case len(childBad) > 0:
		return fmt.Sprintf("the %s side's own apex NS is not its delegation (%s): resolvers that trust the child's NS set (RFC 2181 §5.4.1) follow it back to the %s servers; make the %s provider serve its own NS (manage_apex false, or git's apex NS) and push (the apex trap: %s names it)", target.Name, strings.Join(childBad, "; "), other.Name, target.Name, providerCmd("plan", target.Name, c.Zone.Origin))
	case len(row.NS) > 0 && strings.Join(row.NS, " ") == strings.Join(otherNS, " "):
		return fmt.Sprintf("the resolver keeps following the %s servers: it refreshes their own NS set from them, which they still serve for themselves (a \"ghost domain\": RFC 2181 §5.4.1 ranks the child's NS set above the referral), or it has a stub or forward zone for %s pointing at them. Let the %s side's apex NS name the %s servers (git's apex NS with providers.%s.manage_apex: true, then push) so stragglers are sent over, check the resolver's configuration, and flush it (unbound-control flush_zone %s; rndc flushname %s)", other.Name, c.Zone.Origin, other.Name, target.Name, other.Name, c.Zone.Origin, c.Zone.Origin)
	}
	return fmt.Sprintf("the resolver does not follow the parent's delegation: a stub or forward zone for %s pointing at the %s servers, or a cache that keeps records past their TTL (cache-min-ttl, serve-expired); check its configuration and flush it", c.Zone.Origin, other.Name)
}
