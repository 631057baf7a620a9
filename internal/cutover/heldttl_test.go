package cutover

import (
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestOldDelegationHeldCountsAddresses: the watch's
// old_delegation_expires counts the parent's glue TTL beside its NS TTL
// and, beside the old side's own NS TTL, the TTL of the addresses it
// served for its in-zone NS names (ns_addr_ttl: a resolver that took ns1's
// address from the old side keeps asking that server until it expires).
// Every other figure of the same expiry counted neither: an entry
// without a watch (oldDelegationExpires' fallback: the registrar's NS TTL
// of 60 s, not its glue's 7,200 s), and a flip not confirmed at every
// parent server until a later status (seenAfter, which finish's
// overlap gate reads; ttl-expired's spans; pendingExpires), which ended
// the old delegation 60 + 60 s after that status while resolvers could
// hold ns1's address from the old side for 3,600 s.
func TestOldDelegationHeldCountsAddresses(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	changed := t0
	// No watch: the glue's TTL counts with the NS TTL.
	e := Entry{Time: t0.Add(time.Minute), Command: "flip", Result: ResultDone, ChangedAt: &changed,
		Before: &registrar.Delegation{NSTTL: 60, GlueTTL: 7200}, TTL: &TTLs{OldMax: 300, NewMax: 300}}
	if got, want := oldDelegationExpires(&e), t0.Add((7200+300)*time.Second); !got.Equal(want) {
		t.Errorf("without a watch: oldDelegationExpires = %v, want %v (glue TTL 7200 s + the old side's 300 s)", got, want)
	}
	// Not confirmed at every parent server until a status two hours later.
	f := Entry{Time: t0.Add(time.Minute), Command: "flip", Result: ResultDone, ChangedAt: &changed,
		Before: &registrar.Delegation{NSTTL: 60, GlueTTL: 60}, DelegatedTo: []string{"old", "new"}, ParentNSTTL: 60,
		Watch: &WatchResult{Target: "new", NSTTL: 60, GlueTTL: 60, ChildNSTTL: 60, NSAddrTTL: 3600, OldDelegationExpires: t0.Add(3660 * time.Second)}}
	confirmed := t0.Add(2 * time.Hour)
	st := Entry{Time: confirmed, Command: "status", Result: ResultObserved, DelegatedTo: []string{"new"}, ParentNSTTL: 60, TTL: &TTLs{OldMax: 60, NewMax: 60}}
	tr := &Trail{Entries: []Entry{{Time: t0.Add(-time.Hour), Command: "status", Result: ResultObserved, DelegatedTo: []string{"old"}, ParentNSTTL: 60}, f, st}}
	want := confirmed.Add((60 + 3600) * time.Second)
	if _, got := tr.seenAfter(&tr.Entries[1], "old", confirmed.Add(10*time.Minute)); got.Before(want) {
		t.Errorf("seenAfter = %v, want at least %v (the status that saw every parent server moved + 60 s + ns1's address TTL 3600 s)", got, want)
	}
	if spans := tr.delegated()["old"]; len(spans) == 0 || spans[len(spans)-1].to.Before(want) {
		t.Errorf("ttl-expired's spans of the old side: %+v, want the last to end at %v or later", spans, want)
	}
	if got := pendingExpires(&tr.Entries[1], confirmed, 0); got.Before(want) {
		t.Errorf("pendingExpires = %v, want at least %v", got, want)
	}
}
