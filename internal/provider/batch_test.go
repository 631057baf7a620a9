package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// packed shows batches as "name/type/action ...|...", with the ops.
func packed(bs []Batch[int]) string {
	var parts []string
	for _, b := range bs {
		var cs []string
		for i, c := range b.Changes {
			cs = append(cs, fmt.Sprintf("%s%s%d", strings.TrimSuffix(c.Name, ".x."), c.Action.Symbol(), b.Ops[i]))
		}
		parts = append(parts, strings.Join(cs, " "))
	}
	return strings.Join(parts, " | ")
}

// TestPacker: a name's changes stay together and fill the requests in
// ByName order; a change that needs no operation rides along; a name
// over the limit goes whole in a request of its own, or, with Split, one
// change after the other with its deletes last, the two behaviours the
// providers ask for (Cloudflare and DNS Made Easy whole, Route 53 split).
func TestPacker(t *testing.T) {
	ch := func(a Action, name string, typ uint16) Change {
		return Change{Action: a, Name: name + ".x.", Type: typ}
	}
	// The cost of a change is its number in the name's type field: A 1,
	// NS 2, CNAME 5, MX 15.
	cs := []Change{
		ch(Delete, "gone", dns.TypeA),
		ch(Create, "a", dns.TypeA),
		ch(Delete, "big", dns.TypeA),
		ch(Replace, "big", dns.TypeMX),
		ch(Create, "big", dns.TypeCNAME),
		ch(Create, "b", dns.TypeNS),
		ch(Replace, "free", dns.TypeA),
		ch(Create, "c", dns.TypeCNAME),
	}
	cost := map[uint16]int{dns.TypeA: 1, dns.TypeNS: 2, dns.TypeCNAME: 5, dns.TypeMX: 15}
	ops := func(c Change) (int, []int, error) {
		n := cost[c.Type]
		if c.Name == "free.x." {
			n = 0 // nothing left to do
		}
		return n, []int{n}, nil
	}
	for _, tc := range []struct {
		split bool
		want  string
	}{
		{false, "a+1 | big-1 big~15 big+5 | b+2 free~0 c+5 gone-1"},
		{true, "a+1 | big~15 | big+5 big-1 b+2 free~0 | c+5 gone-1"},
	} {
		bs, err := Packer[int]{Limits: []int{8}, Ops: ops, Split: tc.split}.Pack(cs)
		if err != nil {
			t.Fatal(err)
		}
		if got := packed(bs); got != tc.want {
			t.Errorf("split %v:\n got %s\nwant %s", tc.split, got, tc.want)
		}
	}
	// Several limits: the request closes when any would be passed.
	two := func(c Change) (int, []int, error) { return 1, []int{1, cost[c.Type]}, nil }
	bs, err := Packer[int]{Limits: []int{2, 6}, Ops: two}.Pack(cs[:2:2])
	if err != nil || packed(bs) != "a+1 gone-1" {
		t.Errorf("two limits, fitting: %s %v", packed(bs), err)
	}
	bs, _ = Packer[int]{Limits: []int{2, 6}, Ops: two}.Pack([]Change{cs[1], cs[5], cs[7]})
	if packed(bs) != "a+1 b+1 | c+1" {
		t.Errorf("two limits: %s", packed(bs))
	}
	// An operation that cannot be made names its change.
	_, err = Packer[int]{Limits: []int{8}, Ops: func(c Change) (int, []int, error) {
		return 0, nil, errors.New("not here")
	}}.Pack(cs[1:2])
	if err == nil || err.Error() != "+ a.x. A: not here" {
		t.Errorf("error %v", err)
	}
}

// TestSequence: ByName's order, with a name's other types ahead of the
// CNAME it gets; a CNAME deleted keeps its place.
func TestSequence(t *testing.T) {
	cs := []Change{
		{Action: Delete, Name: "old.x.", Type: dns.TypeCNAME},
		{Action: Create, Name: "www.x.", Type: dns.TypeCNAME},
		{Action: Delete, Name: "www.x.", Type: dns.TypeA},
		{Action: Delete, Name: "www.x.", Type: dns.TypeAAAA},
		{Action: Create, Name: "old.x.", Type: dns.TypeA},
		{Action: Replace, Name: "mx.x.", Type: dns.TypeMX},
	}
	var got []string
	for _, c := range Sequence(cs) {
		got = append(got, c.String())
	}
	want := "- old.x. CNAME, + old.x. A, - www.x. A, - www.x. AAAA, + www.x. CNAME, ~ mx.x. MX"
	if strings.Join(got, ", ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, ", "), want)
	}
}

// TestDelegationOrder: one call at a time (Sequence, CreatesFirst), a DS
// goes in after the NS at its name and out before them, whatever the
// plan's order of types; other names and types keep theirs.
func TestDelegationOrder(t *testing.T) {
	cs := []Change{
		{Action: Delete, Name: "gone.x.", Type: dns.TypeNS},
		{Action: Delete, Name: "gone.x.", Type: dns.TypeDS},
		{Action: Create, Name: "new.x.", Type: dns.TypeDS},
		{Action: Create, Name: "new.x.", Type: dns.TypeNS},
		{Action: Replace, Name: "sub.x.", Type: dns.TypeDS},
		{Action: Replace, Name: "sub.x.", Type: dns.TypeNS},
		{Action: Create, Name: "www.x.", Type: dns.TypeA},
	}
	for _, c := range []struct {
		name  string
		order func([]Change) []Change
		want  string
	}{
		{"Sequence", Sequence, "+ new.x. NS, + new.x. DS, ~ sub.x. NS, ~ sub.x. DS, + www.x. A, - gone.x. DS, - gone.x. NS"},
		{"CreatesFirst", CreatesFirst, "+ new.x. NS, + new.x. DS, ~ sub.x. NS, ~ sub.x. DS, + www.x. A, - gone.x. DS, - gone.x. NS"},
	} {
		var got []string
		for _, ch := range c.order(cs) {
			got = append(got, ch.String())
		}
		if strings.Join(got, ", ") != c.want {
			t.Errorf("%s: got  %s\nwant %s", c.name, strings.Join(got, ", "), c.want)
		}
	}
}
