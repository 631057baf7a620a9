package cutover

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestDSChangedWithEveryServer: a step that left the DS set alone says
// the parent serves another one when any confirmed parent server does,
// not only the first that answered; servers serving the judged set, and
// ones that did not answer, say nothing.
func TestDSChangedWithEveryServer(t *testing.T) {
	judged := []string{"11111 13 2 AAAA", "22222 13 2 BBBB"}
	at := func(server string, ds ...string) registrar.AtServer {
		return registrar.AtServer{Server: server, Delegation: registrar.Delegation{NS: []string{"ns1.new.example."}, DS: ds}}
	}
	for _, tc := range []struct {
		name  string
		views []registrar.AtServer
		want  string // "" or a piece of the message
	}{
		{"every server the judged set", []registrar.AtServer{at("a", judged...), at("b", judged...)}, ""},
		{"the first server changed", []registrar.AtServer{at("a", judged[0]), at("b", judged...)}, "key tags 11111, not 2"},
		{"a later server changed", []registrar.AtServer{at("a", judged...), at("b", judged[0])}, "key tags 11111, not 2"},
		{"a later server silent", []registrar.AtServer{at("a", judged...), {Server: "b", Err: "timeout"}}, ""},
	} {
		rep := &Report{Command: "flip"}
		rep.Delegation.DS = judged
		got := dsChangedWith(&Config{}, rep, registrar.Delegation{}, confirmation{ok: true, views: tc.views})
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestParentDSServerSilent: the trail saw DS set a last; now one parent
// server serves set b and another does not answer (a timeout, a lame
// moment). That server may still hand resolvers a (a change published
// server by server): the step records a, so that CachedDS counts a's TTL
// from a record that saw every server without it, not from this one. On
// the code before, a silent server was skipped and b recorded: the
// dnssec gate stopped checking a a DS TTL after this record, while
// resolvers that fetched a from that server later still held it.
func TestParentDSServerSilent(t *testing.T) {
	a, b := []string{"11111 13 2 AAAA"}, []string{"22222 13 2 BBBB"}
	at := func(server string, ds []string, err string) registrar.AtServer {
		return registrar.AtServer{Server: server, Delegation: registrar.Delegation{NS: []string{"ns1.new.example."}, DS: ds, DSTTL: 60}, Err: err}
	}
	for _, tc := range []struct {
		name  string
		views []registrar.AtServer
		want  []string
	}{
		{"every server b", []registrar.AtServer{at("x", b, ""), at("y", b, "")}, b},
		{"one server still a", []registrar.AtServer{at("x", b, ""), at("y", a, "")}, a},
		{"one server silent", []registrar.AtServer{at("x", b, ""), at("y", nil, "timeout")}, a},
		{"every server silent", []registrar.AtServer{at("x", nil, "timeout"), at("y", nil, "timeout")}, a},
		{"every server a", []registrar.AtServer{at("x", a, ""), at("y", a, "")}, a},
	} {
		c := &Config{lastDS: &DSSeen{DS: a, TTL: 60}}
		rep := &Report{Parent: tc.views}
		rep.Delegation.DS, rep.Delegation.DSTTL = b, 60
		if tc.name == "every server a" {
			rep.Delegation.DS = a
		}
		if got := c.parentDS(rep); strings.Join(got.DS, ";") != strings.Join(tc.want, ";") {
			t.Errorf("%s: recorded %v, want %v", tc.name, got.DS, tc.want)
		}
	}
}
