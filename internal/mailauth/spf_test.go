package mailauth_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/mailauth"
)

// TestEvaluateLoops: a name met again on the evaluation's path is named
// by the terms that lead back to it: an include loop, a redirect loop
// (RFC 7208 §6.1: each redirect= is a new check_host(); a chain that
// comes back ends only at the lookup limit, §4.6.4), or a loop of both.
// The same include twice in a row is no loop, nor is an include=
// modifier an include.
func TestEvaluateLoops(t *testing.T) {
	z := suiteZone{
		"self.test":   {"SPF v=spf1 include:self.test -all"},
		"i1.test":     {"SPF v=spf1 include:i2.test -all"},
		"i2.test":     {"SPF v=spf1 include:i1.test -all"},
		"r.test":      {"SPF v=spf1 ip4:192.0.2.1 redirect=r.test"},
		"r1.test":     {"SPF v=spf1 redirect=r2.test"},
		"r2.test":     {"SPF v=spf1 redirect=R1.test."},
		"m1.test":     {"SPF v=spf1 include:m2.test -all"},
		"m2.test":     {"SPF v=spf1 redirect=m1.test"},
		"top.test":    {"SPF v=spf1 include:r1.test -all"},
		"twice.test":  {"SPF v=spf1 include:leaf.test include:leaf.test -all"},
		"leaf.test":   {"SPF v=spf1 -all"},
		"modinc.test": {"SPF v=spf1 ip4:192.0.2.1 include=nospf.test"},
		"nospf.test":  {"TXT not spf"},
	}
	cases := []struct {
		name, want string // want: the one problem, "" for none
	}{
		{"self.test", "include loop at self.test (it includes itself, directly or through others)"},
		{"i1.test", "include loop at i1.test"},
		{"r.test", "redirect loop at r.test (its redirect= leads back to itself, directly or through others)"},
		{"r1.test", "redirect loop at r1.test"},
		{"m1.test", "include and redirect loop at m1.test"},
		{"m2.test", "include and redirect loop at m2.test"},
		// The loop below an include is the redirects' own.
		{"top.test", "redirect loop at r1.test"},
		{"twice.test", ""},
		// include= is an unknown modifier (RFC 7208 §6: ignored), not an
		// include: its target is not read.
		{"modinc.test", ""},
	}
	for _, c := range cases {
		n := mailauth.Evaluate(context.Background(), z, c.name)
		oneProblem(t, c.name, n.Problems, c.want)
	}
}

// oneProblem checks an evaluation's problems: none when want is "", else
// one starting with want.
func oneProblem(t *testing.T, name string, problems []string, want string) {
	t.Helper()
	switch {
	case want == "" && len(problems) != 0:
		t.Errorf("%s: problems %q, want none", name, problems)
	case want != "" && (len(problems) != 1 || !strings.HasPrefix(problems[0], want)):
		t.Errorf("%s: problems %q, want one starting %q", name, problems, want)
	}
}

// TestEvaluateMacroTargets: an include or redirect target with a macro
// of the sender (%{i}, %{s}, %{l}, %{o}, %{h}) is expanded per message:
// counted, and reported as not read (Unknown), never a silent 0 for its
// record; one of the domain alone (%{d} and its transformers, RFC 7208
// §7.3) reads the same for every message, so it is expanded and
// followed, its lookups and void lookups counted.
func TestEvaluateMacroTargets(t *testing.T) {
	z := suiteZone{
		"d.test":             {"TXT v=spf1 include:%{d}._spf.d.test -all"},
		"d.test._spf.d.test": {"TXT v=spf1 a mx -all"},
		"a.b.c.test":         {"TXT v=spf1 include:_spf.%{d2} include:%{d1r}.x.test include:%{dr-}.y.test -all"},
		"_spf.c.test":        {"TXT v=spf1 a:nx.c.test -all"},
		"a.x.test":           {"TXT v=spf1 -all"},
		"a.b.c.test.y.test":  {"TXT v=spf1 -all"},
		"i.test":             {"TXT v=spf1 include:%{i}._spf.i.test -all"},
		"r.test":             {"TXT v=spf1 ip4:192.0.2.1 redirect=%{l}.r.test"},
		"mixed.test":         {"TXT v=spf1 include:%{o}.%{d} -all"},
		"self.test":          {"TXT v=spf1 include:%{d} -all"},
		"exists.test":        {"TXT v=spf1 exists:%{i}.x.test a:%{d} -all"},
	}
	cases := []struct {
		name           string
		total, voids   int
		unknown        string // the one Unknown's name, "" none
		reached, probl string // the last name reached; the one problem's start
	}{
		{"d.test", 3, 2, "", "d.test._spf.d.test.", ""},
		{"a.b.c.test", 4, 1, "", "a.b.c.test.y.test.", ""},
		{"i.test", 1, 0, "%{i}._spf.i.test", "i.test.", ""},
		{"r.test", 1, 0, "%{l}.r.test", "r.test.", ""},
		{"mixed.test", 1, 0, "%{o}.%{d}", "mixed.test.", ""},
		{"self.test", 1, 0, "", "self.test.", "include loop at self.test"},
		// exists with the sender's address: counted, its A not asked;
		// a:%{d} is the record's own name, which has no A: void.
		{"exists.test", 2, 1, "", "exists.test.", ""},
	}
	for _, c := range cases {
		n := mailauth.Evaluate(context.Background(), z, c.name)
		var unknown string
		if len(n.Unknown) == 1 {
			unknown = n.Unknown[0].Name
		}
		reached := n.Reached()
		if n.Total != c.total || n.Voids != c.voids || unknown != c.unknown || len(n.Unknown) > 1 || reached[len(reached)-1] != c.reached {
			t.Errorf("%s: %d lookups, %d void, unknown %v, reached %v; want %d, %d, %q, last %s", c.name, n.Total, n.Voids, n.Unknown, reached, c.total, c.voids, c.unknown, c.reached)
		}
		oneProblem(t, c.name, n.Problems, c.probl)
	}
}

// TestCountsDiffer: where two sides' evaluations of one SPF record part:
// the records whose own lookups differ, or that one side reads only.
func TestCountsDiffer(t *testing.T) {
	old := suiteZone{
		"r.test":    {"TXT v=spf1 include:s.test include:t.test -all"},
		"s.test":    {"TXT v=spf1 a mx -all"},
		"t.test":    {"TXT v=spf1 a -all"},
		"u.test":    {"TXT v=spf1 -all"},
		"same.test": {"TXT v=spf1 include:t.test -all"},
	}
	// new: r.test includes u.test for t.test, s.test asks one less.
	nu := maps.Clone(old)
	nu["r.test"] = []string{"TXT v=spf1 include:s.test include:u.test -all"}
	nu["s.test"] = []string{"TXT v=spf1 a -all"}
	for _, c := range []struct{ name, want string }{
		{"r.test", "s.test (2 on old, 1 on new), t.test (1 on old, not read on new), u.test (not read on old, 0 on new)"},
		{"same.test", ""},
	} {
		ctx := context.Background()
		got := strings.Join(mailauth.CountsDiffer(mailauth.Evaluate(ctx, old, c.name), mailauth.Evaluate(ctx, nu, c.name), "old", "new"), ", ")
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// failingTXT answers top.test's SPF record and fails every other lookup
// with status.
type failingTXT struct{ status string }

func (f failingTXT) Lookup(_ context.Context, name string, _ uint16) (mailauth.Result, error) {
	if strings.TrimSuffix(name, ".") == "top.test" {
		return mailauth.Result{Status: "NOERROR", Records: []string{"v=spf1 include:_spf.example.net -all"}}, nil
	}
	return mailauth.Result{Status: f.status, Failed: true}, nil
}

// TestUnknownSaid: an include that could not be read is said in one
// sentence whatever the cause. Before, a failed lookup read "the include
// or redirect= target _spf.example.net is its TXT lookup answered
// SERVFAIL" (parity's spf-unknown, with a resolver that could not reach
// the include's servers).
func TestUnknownSaid(t *testing.T) {
	for _, status := range []string{"SERVFAIL", "timeout"} {
		n := mailauth.Evaluate(context.Background(), failingTXT{status}, "top.test")
		var said []string
		for _, u := range n.Unknown {
			said = append(said, u.String())
		}
		want := "the include or redirect= target _spf.example.net is unreadable (its TXT lookup answered " + status + "): its lookups are not counted"
		if len(said) != 1 || said[0] != want {
			t.Errorf("%s: %q, want %q", status, said, want)
		}
	}
}

// TestChainEndsWhereLookupsAre: the chain an SPF count names follows the
// includes that cost lookups, and ends at the record whose own terms
// cost them: eleven includes of names without an SPF record are the
// apex record's eleven lookups (it said "example.com → a.example", as if
// a.example held them).
func TestChainEndsWhereLookupsAre(t *testing.T) {
	leaf := func(name string, own int) *mailauth.Node {
		return &mailauth.Node{Name: name, Own: own, Total: own, Read: own > 0}
	}
	flat := &mailauth.Node{Name: "example.com.", Own: 11, Total: 11, Read: true}
	for _, n := range []string{"a.example.", "b.example.", "c.example."} {
		flat.Children = append(flat.Children, leaf(n, 0))
	}
	deep := &mailauth.Node{Name: "example.com.", Own: 3, Total: 11, Read: true, Children: []*mailauth.Node{leaf("_spf-small.example.com.", 1), leaf("_spf.example.com.", 7)}}
	for _, tc := range []struct {
		n    *mailauth.Node
		want string
	}{
		{flat, "example.com"},
		{deep, "example.com → _spf.example.com"},
		{&mailauth.Node{Name: "example.com.", Own: 11, Total: 11, Read: true, Children: []*mailauth.Node{leaf("_spf.example.com.", 0)}}, "example.com → _spf.example.com"},
	} {
		if got := tc.n.Chain(); got != tc.want {
			t.Errorf("Chain() = %q, want %q", got, tc.want)
		}
	}
}
