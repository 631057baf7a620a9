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
