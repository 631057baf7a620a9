package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestApexNSChecksNoAnswer: an apex-ns check of a server that did not
// answer passes, as before, and says that it did not answer (it was said
// not to serve the zone); one that answers without the zone's apex NS
// passes as one that does not serve the zone.
func TestApexNSChecksNoAnswer(t *testing.T) {
	refused := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetRcode(r, dns.RcodeRefused)
		_ = w.WriteMsg(m)
	})
	dead := deadUDP(t)
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: 300 * time.Millisecond, apexSeen: newApexNSSeen()}
	c.Old = Side{Name: "old", Servers: []string{refused, dead}, Delegation: []string{"ns1.old.example.test."}}
	c.New = Side{Name: "new", Delegation: []string{"ns1.new.example.test."}}
	checks := apexNSChecks(context.Background(), c, "ns1.old.example.test.")
	if len(checks) != 2 {
		t.Fatalf("%d checks %+v, want 2: one for each old server (%s, %s)", len(checks), checks, refused, dead)
	}
	for i, tc := range []struct {
		server, detail, not string
	}{
		{refused, "does not serve the zone", "did not answer"},
		{dead, "did not answer", "does not serve the zone"},
	} {
		ch := checks[i]
		if ch.Server != tc.server || !ch.OK || !strings.Contains(ch.Detail, tc.detail) || strings.Contains(ch.Detail, tc.not) {
			t.Errorf("check %d: %s ok=%v %q; want %s passed, %q", i, ch.Server, ch.OK, ch.Detail, tc.server, tc.detail)
		}
	}
}
