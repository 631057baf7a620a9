package providertest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Zone files of FailedAtEachWrite, below the harness's apex: changedFrom
// is what the provider holds, changedTo what is pushed over it. Between
// them RRsets grow, shrink, change their data, their TTL or both, a name
// changes type (a CNAME becomes an A), a type goes from a name that keeps
// another, an RRset goes and new ones come: every kind of change a
// provider may make in one call or in several (a delete then a create, a
// record at a time): multi's TTL changes and a record joins, which a
// provider writing a record at a time (ClouDNS) makes in three calls, so
// a push can be cut, or lose an answer, half-way through one change.
// TTLs are ones every provider takes (ClouDNS's list: 300, 900, 3600;
// Cloudflare's least outside Enterprise: 60).
const (
	changedFrom = `grow 300 A 192.0.2.10
data 300 TXT "before"
gone 300 A 192.0.2.11
retype 300 CNAME target.example.net.
mx 300 MX 10 mx1.example.net.
shrink 300 A 192.0.2.12
shrink 300 A 192.0.2.13
ttl 300 AAAA 2001:db8::14
both 300 TXT "kept"
both 300 A 192.0.2.15
srv 300 SRV 10 5 5060 sip1.example.net.
multi 300 A 192.0.2.30
multi 300 A 192.0.2.31
`
	changedTo = `grow 300 A 192.0.2.10
grow 300 A 192.0.2.20
data 900 TXT "after"
retype 300 A 192.0.2.21
mx 300 MX 10 mx1.example.net.
mx 300 MX 20 mx2.example.net.
shrink 300 A 192.0.2.13
ttl 3600 AAAA 2001:db8::14
both 300 A 192.0.2.15
srv 300 SRV 10 5 5061 sip2.example.net.
new1 300 A 192.0.2.22
new2 300 TXT "created"
new3 300 CNAME www.example.net.
multi 900 A 192.0.2.30
multi 900 A 192.0.2.31
multi 900 A 192.0.2.32
`
)

// FailedAtEachWrite: a push of changes (changedFrom to changedTo) cut
// short by a 503 at each of its write requests in turn, the first, the
// second, and so on until the push gets through whole. After each cut
// push, every change the Result lists as applied is at the provider as
// planned, and every other is not there at all (its RRset as it was
// before the push, or absent as before), unless the push's error names
// it partly applied (one change done in several calls, cut between
// them). What was done is said; and the push run again converges.
// ServerErrorMidPlan cuts a push of creates into an empty zone at one
// place; a replace sent as a delete and a create, or record by record,
// can leave an RRset neither old nor new only where it is cut.
func FailedAtEachWrite(t *testing.T, h Harness) {
	atEachWrite(t, h, func(skip int) { h.Fault(503, skip, 1000, "") }, "503", false)
}

// AppliedAtEachWrite: as FailedAtEachWrite, each write request in turn
// done by the API and then answered with a 502, or not answered at all
// (h.WriteApplied: a gateway's failure, a connection lost, after the
// work was done). The provider tries again, finds the work done, or
// fails; either way what is at the provider afterwards is what its
// Result and error say (a change not listed applied and not as before
// is named perhaps applied or partly applied), and the push run again
// converges. Every write of a push, a replace's and a delete's too, can
// be the one whose answer is lost. "two lost": the answers of two writes
// in a row are lost (each fault its own: the second is the next write
// after the first's), two writes under way at once for a provider that
// sends several at a time (NS1), a write and its retry for one that tries
// again: each change either done is named perhaps applied, whichever
// failed first.
func AppliedAtEachWrite(t *testing.T, h Harness) {
	if h.WriteApplied == nil {
		t.Fatal("the harness has no WriteApplied")
	}
	for _, st := range []struct {
		name   string
		status int
		faults int
	}{{"502", 502, 1}, {"lost", -1, 1}, {"two lost", -1, 2}} {
		t.Run(st.name, func(t *testing.T) {
			atEachWrite(t, h, func(skip int) {
				for range st.faults {
					h.WriteApplied(skip, st.status)
				}
			}, "", true)
		})
	}
}

// atEachWrite pushes changedTo over changedFrom with fault(skip) set
// for skip 0, 1, ... until a push goes through with its fault never met
// (or met and overcome). A failed push must name status (unless ""), and
// the provider must hold what the push reported (perhaps: the error may
// say a change is perhaps applied); the push again converges.
func atEachWrite(t *testing.T, h Harness, fault func(skip int), status string, perhaps bool) {
	ctx := context.Background()
	p := h.New(t, h.Secret)
	head := Head(h.ZoneFile)
	from := Desired(t, h.Origin, head+changedFrom)
	to := Desired(t, h.Origin, head+changedTo)
	h.Fault(0, 0, 0, "")
	Push(t, p, from)
	before := h.Writes()
	changes := len(Push(t, p, to).Applied)
	writes := h.Writes() - before
	for skip := 0; skip <= writes; skip++ {
		h.Fault(0, 0, 0, "")
		Push(t, p, from)
		pl := Plan(t, p, to)
		fault(skip)
		var rec recorder
		w0 := h.Writes()
		res, err := p.Apply(ctx, h.Origin, pl.Changes, &rec)
		made := h.Writes() - w0
		h.Fault(0, 0, 0, "")
		rec.check(t, res)
		if skip < writes && made <= skip {
			// The fault was never met: nothing of this round is tested.
			t.Errorf("fault at write %d: the push made %d write requests, of the %d a push makes", skip, made, writes)
		}
		if err == nil {
			if skip < writes && !perhaps {
				t.Fatalf("fault at write %d: a push with every write from there on refused succeeded", skip)
			}
			if len(res.Applied) != len(pl.Changes) {
				t.Errorf("fault at write %d: the push succeeded, applying %d of %d", skip, len(res.Applied), len(pl.Changes))
			}
		} else if status != "" && !strings.Contains(err.Error(), status) {
			t.Errorf("fault at write %d: the error does not name the status: %v", skip, err)
		}
		got, gerr := p.Records(ctx, h.Origin)
		if gerr != nil {
			t.Fatal(gerr)
		}
		applied := map[zone.Key]bool{}
		for _, c := range res.Applied {
			applied[c.Key()] = true
		}
		accounted(t, pl.Changes, res, err, fmt.Sprintf("fault at write %d", skip))
		for _, c := range pl.Changes {
			want, state := c.Old, "as before the push"
			if applied[c.Key()] {
				want, state = c.New, "reported applied"
			}
			if sameSet(got.Get(c.Name, c.Type), want) {
				continue
			}
			if !applied[c.Key()] && err != nil && unreported(c, got.Get(c.Name, c.Type), res.Left, perhaps) {
				continue
			}
			t.Errorf("fault at write %d: %s %s, %s, is %s, want %s (the Result's left: %+v; the error: %v)", skip, c.Name, dns.Type(c.Type), state, setText(got.Get(c.Name, c.Type)), setText(want), res.Left, err)
		}
		for _, g := range got.Sets {
			if to.Get(g.Name, g.Type) == nil && from.Get(g.Name, g.Type) == nil {
				t.Errorf("fault at write %d: %s %s at the provider, neither before nor after the push", skip, g.Name, dns.Type(g.Type))
			}
		}
		Push(t, p, to)
		converged(t, p, to, fmt.Sprintf("fault at write %d: the re-run", skip))
	}
	t.Logf("a fault at each of the %d write requests of a push of %d changes", writes, changes)
}

// unreported: c, not reported applied and not as before the push (at
// the provider now: have), is accounted for by what the push's Result
// says became of it (left, Result.Left): done whole, only where a write
// may have been applied all the same (perhaps), and then listed perhaps
// applied, as a part the rest of which was perhaps applied too, or as
// not known; neither old nor new, listed partly applied (or, only where
// a write may have been applied all the same, not known: a push whose
// every failed write was refused knows what it did).
// "partly applied" alone is not true of a change done whole, and a
// change left neither old nor new is no "perhaps applied, all of it or
// nothing".
func unreported(c provider.Change, have *zone.RRSet, left provider.Unfinished, perhaps bool) bool {
	k := c.Key()
	in := func(cs []provider.Change) bool {
		return slices.ContainsFunc(cs, func(o provider.Change) bool { return o.Key() == k })
	}
	part := slices.IndexFunc(left.Partly, func(p provider.Part) bool { return p.Change.Key() == k })
	if sameSet(have, c.New) {
		return perhaps && (in(left.Perhaps) || in(left.Unknown) || part >= 0 && left.Partly[part].Perhaps)
	}
	return part >= 0 || perhaps && in(left.Unknown)
}

// accounted fails t unless a failed push's Result (res, of the plan's
// changes cs) lists each change once: applied, or in one list of
// res.Left (what became of it), and its error says what Left lists in
// Left's words (Unfinished.String), at saying where.
func accounted(t testing.TB, cs []provider.Change, res provider.Result, err error, at string) {
	t.Helper()
	if err == nil {
		return
	}
	if left := res.Left.String(); len(res.Applied) < len(cs) && (left == "" || !strings.Contains(err.Error(), left)) {
		t.Errorf("%s: the error does not say what the Result's left lists (%q): %v", at, left, err)
	}
	seen := map[zone.Key]int{}
	count := func(cs []provider.Change) {
		for _, c := range cs {
			seen[c.Key()]++
		}
	}
	count(res.Applied)
	count(res.Left.Perhaps)
	count(res.Left.Unknown)
	count(res.Left.NotApplied)
	for _, p := range res.Left.Partly {
		seen[p.Change.Key()]++
	}
	for _, c := range cs {
		if n := seen[c.Key()]; n != 1 {
			t.Errorf("%s: %s is in %d of the Result's lists (applied, perhaps applied, partly applied, not known, not applied), want 1 (the error: %v)", at, c, n, err)
		}
		delete(seen, c.Key())
	}
	for k := range seen {
		t.Errorf("%s: the Result lists %s %s, not a change of the plan", at, k.Name, dns.Type(k.Type))
	}
}

// sameSet: a and b are both absent, or hold the same data at the same
// TTL.
func sameSet(a, b *zone.RRSet) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.SameData(b) && a.TTL == b.TTL
}

// setText is s for a test's message: its TTL and records, or "absent".
func setText(s *zone.RRSet) string {
	if s == nil {
		return "absent"
	}
	return strings.Join(append([]string{"ttl " + ttlOf(s)}, s.Strings()...), " ")
}
