package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab/inproc"
)

// TestByHandState: --keep's "By hand" list first says where the lab's
// delegation stands, from the parent's own server: after the whole story
// the new side (the emergency flip), where `flip --dry-run` has nothing to
// do and finish is refused while an apex NS names an old server; before a
// flip, the old side.
func TestByHandState(t *testing.T) {
	ctx := context.Background()
	l, err := inproc.Start(inproc.Options{Parent: "test.", Zone: exampleZone, NSTTL: 2, SOATTL: 1, Resolvers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var b strings.Builder
	d := &demo{lab: l, out: &b, dir: t.TempDir()}
	d.byHand(ctx)
	if want := "The lab delegates to the old side: try `status`, then `flip --dry-run`.\n\nBy hand"; !strings.Contains(b.String(), want) {
		t.Errorf("before a flip, the list lacks %q:\n%s", want, b.String())
	}

	var del, ins []dns.RR
	del = append(del, &dns.NS{Hdr: dns.RR_Header{Name: exampleZone, Rrtype: dns.TypeNS, Class: dns.ClassINET}})
	for _, n := range l.New.NS {
		ins = append(ins, &dns.NS{Hdr: dns.RR_Header{Name: exampleZone, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 2}, Ns: n})
	}
	if err := l.Update(ctx, l.Parent, "test.", del, ins); err != nil {
		t.Fatal(err)
	}
	d.steps = []Step{{Name: "status", OK: true}, {Name: "emergency", OK: true}}
	b.Reset()
	d.byHand(ctx)
	for _, want := range []string{
		"The lab now delegates to the new side (the emergency flip): `flip --dry-run` has nothing to do; try `status`, then `rollback --dry-run`.",
		"`finish` is refused until no apex NS names an old server (gate old-unreferenced",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("after the story, the list lacks %q:\n%s", want, b.String())
		}
	}
}
