package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/query"
)

// TestCopyReadInRefreshSecondLab: TestFinishNewFeedRefreshedThisSecondLab
// for the other readers of a side's copies. A BIND secondary refreshed
// in the second it is asked answers an EDNS EXPIRE equal to its SOA's
// expire field (RFC 7314), as a primary does. Its copy lasts that SOA
// expire (3,600 s here) while the parent's NS TTL is two hours:
// resolvers that take the delegation now keep asking it after it
// expires. Read a second later, each reader refuses it; on the code
// before, read in that second, flip's new-authoritative and the planned
// rollback's old-parity (judgeCopy) passed it and status's copy_expires
// (servedCopy) did not list it: each took the secondary for a primary.
// Now each asks such a server again a second later when its copy, were
// it one, would expire before the need (copyExpiry). Each attempt
// starts a fresh secondary and goes on only when the test's own reading
// finds it in its refresh second (inExpireSecond).
func TestCopyReadInRefreshSecondLab(t *testing.T) {
	for _, tc := range []struct {
		name string
		// secondary: which side the fresh secondary is.
		secondary string
		// refused reads c as the step's reader does, reporting
		// whether it refused the secondary, and what it said.
		refused func(ctx context.Context, c *Config, rep *Report) (bool, string)
	}{
		{"flip new-authoritative", "new", func(ctx context.Context, c *Config, rep *Report) (bool, string) {
			g := c.judgeCopy(ctx, rep, Gate{Name: GateNewAuthoritative, OK: true}, &c.New, c.New.Servers)
			return !g.OK && strings.Contains(g.Detail, "expires"), g.Detail
		}},
		{"rollback old-parity", "old", func(ctx context.Context, c *Config, rep *Report) (bool, string) {
			g := c.judgeCopy(ctx, rep, Gate{Name: GateOldParity, OK: true}, &c.Old, c.Old.Servers)
			return !g.OK && strings.Contains(g.Detail, "expires"), g.Detail
		}},
		{"status copy_expires", "new", func(ctx context.Context, c *Config, rep *Report) (bool, string) {
			rep.Delegation.PointsTo = "new"
			c.servedCopy(ctx, rep, &Trail{})
			return rep.CopyExpires != nil && rep.CopyExpires.Server == c.New.Servers[0] && len(rep.Errors) > 0 && strings.Contains(rep.Errors[0], "expire before"),
				fmt.Sprintf("copy_expires %+v, errors %q", rep.CopyExpires, rep.Errors)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { copyReadInRefreshSecond(t, tc.secondary, tc.refused) })
	}
}

func copyReadInRefreshSecond(t *testing.T, secondary string, refused func(context.Context, *Config, *Report) (bool, string)) {
	lab.Require(t, "named")
	const soaExpire, parentTTL = 3600, 7200 // at least BIND's floor, refresh + retry (800 s): answered as is
	ctx := context.Background()
	ip := map[string]string{"parent": lab.Addr(t)}
	text := fmt.Sprintf("$ORIGIN example.test.\n$TTL 1\n@ SOA ns1.primary.test. h.example.test. 1 60 60 %d 1\n@ NS ns1.new.example.test.\nns1.new A 192.0.2.53\nwww A 192.0.2.80\n", soaExpire)
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: "$TTL 1\n@ SOA ns.test. h.test. 1 60 60 1209600 1\n@ NS ns.test.\nns A 127.0.0.1\n"}}})
	primary := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: text}}})
	for attempt := 1; attempt <= 40; attempt++ {
		ip["old"], ip["new"] = lab.Addr(t), lab.Addr(t)
		sec := lab.BIND(t, lab.Options{IP: ip[secondary], Zones: []lab.Zone{{Origin: "example.test.", Primary: primary.Addr}}})
		old, nw := sec, primary
		if secondary == "new" {
			old, nw = primary, sec
		}
		c := signedConfig(t, gitZone(t, text), ip, old, nw, parentSrv, TrailPath(t.TempDir(), "example.test."), 60)
		if !inExpireSecond(t, sec.Addr, soaExpire) {
			sec.Stop()
			continue
		}
		rep := &Report{}
		rep.Delegation.NSTTL = parentTTL
		ok, what := refused(ctx, c, rep)
		if !ok {
			t.Fatalf("read in the second %s took its copy (EDNS EXPIRE at the SOA expire %d s, parent NS TTL %d s): not refused: %s", sec.Addr, soaExpire, parentTTL, what)
		}
		t.Logf("attempt %d: %s", attempt, what)
		return
	}
	t.Fatal("no attempt read a secondary in the second it took its copy")
}

// TestPrimaryShortExpireNotACopyLab: a primary answers EDNS EXPIRE equal
// to its SOA's expire field (RFC 7314 §4) whenever it is asked. With that
// expire (60 s) shorter than the step's need (a parent NS TTL of two
// hours), copyExpiry asks it again a second later, as it would a
// secondary refreshed in that second (TestCopyReadInRefreshSecondLab),
// and, answered the same, takes it for the primary it is: flip's
// new-authoritative passes it and status lists no copy. The lab's other
// zones expire in two weeks, past any step's need, so that their steps do
// not wait that second (lab_helper_test.go): this is the test that reads
// a primary of a short expire again, for each kind of server that answers
// the option (PowerDNS does not).
func TestPrimaryShortExpireNotACopyLab(t *testing.T) {
	const soaExpire, parentTTL = 60, 7200
	text := fmt.Sprintf("$ORIGIN example.test.\n$TTL 1\n@ SOA ns1.new.example.test. h.example.test. 1 60 60 %d 1\n@ NS ns1.new.example.test.\nns1.new A 192.0.2.53\nwww A 192.0.2.80\n", soaExpire)
	for _, tc := range []struct {
		name, binary string
		start        func(lab.T, lab.Options) *lab.Server
	}{
		{"BIND", "named", lab.BIND},
		{"Knot", "knotd", lab.Knot},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lab.Require(t, tc.binary)
			ctx := context.Background()
			ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t)}
			srv := tc.start(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: text}}})
			m, err := query.Msg(ctx, srv.Addr, "example.test.", dns.TypeSOA, query.MsgOptions{Expire: true})
			if err != nil {
				t.Fatal(err)
			}
			if e, ok := query.Expire(m); !ok || e != soaExpire {
				t.Fatalf("the %s primary answers EDNS EXPIRE %d (%v), want its SOA expire %d", tc.name, e, ok, soaExpire)
			}
			c := signedConfig(t, gitZone(t, text), ip, srv, srv, srv, TrailPath(t.TempDir(), "example.test."), 60)
			c.soaSeen = newApexSOASeen()
			rep := &Report{}
			rep.Delegation.NSTTL = parentTTL
			if g := c.judgeCopy(ctx, rep, Gate{Name: GateNewAuthoritative, OK: true}, &c.New, c.New.Servers); !g.OK || rep.CopyExpires != nil {
				t.Errorf("new-authoritative took the %s primary for a copy: %+v, copy_expires %+v", tc.name, g, rep.CopyExpires)
			}
			if len(c.soaSeen.later) != 1 {
				t.Errorf("the %s primary, its SOA expire %d s short of the need, was asked again %d times, want once", tc.name, soaExpire, len(c.soaSeen.later))
			}
			rep.Delegation.PointsTo = "new"
			c.servedCopy(ctx, rep, &Trail{})
			if rep.CopyExpires != nil || len(rep.Errors) > 0 {
				t.Errorf("status took the %s primary for a copy: copy_expires %+v, errors %q", tc.name, rep.CopyExpires, rep.Errors)
			}
		})
	}
}
