package cutover

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// A partial outage of the old provider (one of its two servers silent,
// the other answering with git's data) has a way out: the planned flip's
// parity names the exact emergency command, and flip --emergency passes
// old-down as "partly down" (the survivor compared with git). On the code
// before, old-down refused ("still answer authoritatively: this is no
// emergency") and the planned flip offered nothing.
func TestPartialOldOutageLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := silent(t)
	mk := l.withServer("old", dead)
	planned := Flip(ctx, mk(), false, false)
	unmetGates(t, "planned", planned)
	g := gateNamed(planned, GateParity)
	if planned.Result != ResultRefused || g == nil || g.Offer == nil || !strings.Contains(planOf(planned, GateParity), "`dnsparity flip --zone example.test. --emergency`") {
		t.Errorf("planned flip with one old server silent: %s; parity's plan %q offers no `dnsparity flip --zone example.test. --emergency`", planned.Result, planOf(planned, GateParity))
	}
	emerg := Flip(ctx, mk(), false, true)
	unmetGates(t, "emergency", emerg)
	if d := gateNamed(emerg, GateOldDown); emerg.Result != ResultDone || d == nil || !d.OK || !strings.Contains(d.Detail, "partly down") || !strings.Contains(d.Detail, dead) {
		t.Errorf("flip --emergency with one old server silent and the other serving git: %s, old-down %+v", emerg.Result, d)
	}
	for _, name := range []string{GateNewMatchesGit, GateNewAuthoritative, GateNewComplete, GateDNSSEC, GateDelegation, GateParentServers} {
		if gateNamed(emerg, name) == nil {
			t.Errorf("flip --emergency (partly down) did not run gate %s", name)
		}
	}
}

// Partly down, with the old server that answers serving other data than
// git: old-down stays refused and names the difference; the planned
// flip's plan says why the emergency is refused and what lets it run.
func TestPartialOldSurvivorDiffersLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := silent(t)
	mk := l.withServer("old", dead)
	setRRs(t, &mk().Old, "www.example.test. 60 IN A 192.0.2.99")
	emerg := Flip(ctx, mk(), false, true)
	unmetGates(t, "emergency", emerg)
	d := gateNamed(emerg, GateOldDown)
	if emerg.Result == ResultDone || d == nil || d.OK || !strings.Contains(d.Detail, "www.example.test.") || !strings.Contains(d.Detail, "do not serve the zone as git has it") {
		t.Errorf("flip --emergency with the old survivor serving other data: %s, old-down %+v", emerg.Result, d)
	}
	if nsAt(t, l) != "ns1.old.example.test." {
		t.Errorf("the delegation moved: %s", nsAt(t, l))
	}
	planned := Flip(ctx, mk(), false, false)
	if p := planOf(planned, GateParity); !strings.Contains(p, "is refused while a old server that answers does not serve git") || gateNamed(planned, GateParity).Offer != nil {
		t.Errorf("planned flip's parity plan %q: want the emergency named as refused, no offer", p)
	}
}

// The mirror: after a flip the new provider is partly down (one of its
// servers silent, the other serving git). The plain rollback's old-parity
// offers `dnsparity rollback --zone example.test. --emergency`, which
// passes new-down as partly down.
func TestPartialNewOutageRollbackLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	l.flip(t, ctx)
	dead := silent(t)
	mk := l.withServer("new", dead)
	planned := Rollback(ctx, mk(), false, false)
	unmetGates(t, "planned rollback", planned)
	g := gateNamed(planned, GateOldParity)
	if planned.Result != ResultRefused || g == nil || g.Offer == nil || !strings.Contains(planOf(planned, GateOldParity), "`dnsparity rollback --zone example.test. --emergency`") {
		t.Errorf("rollback with one new server silent: %s; old-parity's plan %q offers no `dnsparity rollback --zone example.test. --emergency`", planned.Result, planOf(planned, GateOldParity))
	}
	emerg := Rollback(ctx, mk(), false, true)
	unmetGates(t, "rollback --emergency", emerg)
	if d := gateNamed(emerg, GateNewDown); emerg.Result != ResultDone || d == nil || !d.OK || !strings.Contains(d.Detail, "partly down") {
		t.Errorf("rollback --emergency with one new server silent and the other serving git: %s, new-down %+v", emerg.Result, d)
	}
	if nsAt(t, l) != "ns1.old.example.test." {
		t.Errorf("after rollback --emergency the parent delegates to %s", nsAt(t, l))
	}
}

// unlistable is a provider whose API is down: its servers still answer.
type unlistable struct{ provider.Provider }

func (unlistable) Records(context.Context, string) (*zone.Zone, error) {
	return nil, errors.New("api.old.test: 503 Service Unavailable")
}

// Every old server answers, with stale data, while the old provider's
// API is down: no outage dnsparity can prove. The planned flip stays
// refused and its parity plan says which command applies (push once the
// API is back, then flip; or the operator's own decision at the
// registrar, which the flip records); flip --emergency stays refused.
func TestStaleOldAPIDownLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	setRRs(t, &l.mk().Old, "www.example.test. 60 IN A 192.0.2.99")
	mk := func() *Config {
		c := l.mk()
		c.Old.Provider = unlistable{c.Old.Provider}
		return c
	}
	planned := Flip(ctx, mk(), false, false)
	unmetGates(t, "planned", planned)
	p := planOf(planned, GateParity)
	for _, want := range []string{"cannot be listed", "`dnsparity push --provider old --zone example.test.`, then `dnsparity flip --zone example.test.`", "registrar by hand", "is refused while they answer"} {
		if !strings.Contains(p, want) {
			t.Errorf("planned flip, old stale with its API down: parity's plan lacks %q:\n%s", want, p)
		}
	}
	if planned.Result == ResultDone || gateNamed(planned, GateParity).Offer != nil {
		t.Errorf("planned flip: %s, offer %+v", planned.Result, gateNamed(planned, GateParity).Offer)
	}
	emerg := Flip(ctx, mk(), false, true)
	if d := gateNamed(emerg, GateOldDown); emerg.Result == ResultDone || d == nil || d.OK || !strings.Contains(d.Detail, "no emergency") {
		t.Errorf("flip --emergency with every old server answering (stale): %s, old-down %+v", emerg.Result, d)
	}
}

// filterComment marks the rules filterFromHere adds.
const filterComment = "dnsparity-lab-filtered"

// filterFromHere drops every DNS query to ip except those sent from
// from (a resolver's outgoing address, lab.UnboundOptions.OutgoingIP) for
// the rest of the test, with an iptables rule on INPUT (dropped there, a
// query times out; dropped on OUTPUT, the sender gets EPERM at once): a
// server that times out from here while a resolver still reaches it.
// The rule names the one source let through, not this machine's: the
// source the kernel picks for a query to ip is ip itself when ip is on lo
// (as the lab puts a BIND server's address, or one a killed run left
// there), 127.0.0.1 otherwise, so "-s 127.0.0.1" matched only sometimes.
//
// A run killed while it held the filter (its Cleanup never ran) left its
// rule, which would silence ip for this test too (it drops queries from
// this test's resolver): every rule of filterComment for ip is deleted
// first (ip is this test's, lab.Addr's reservation, so no running test's
// rule is).
func filterFromHere(t *testing.T, ip, from string) {
	t.Helper()
	iptables := lab.Binary(t, "iptables") // .ci/run installs it: missing, a failure under DNSPARITY_REQUIRE_LAB=1
	if err := dropStaleFilters(iptables, ip); err != nil {
		if os.Getenv(lab.RequireEnv) == "1" {
			t.Fatalf("%v; %s=1 requires the lab", err, lab.RequireEnv)
		}
		t.Skip(err)
	}
	for _, proto := range []string{"udp", "tcp"} {
		rule := []string{"INPUT", "!", "-s", from + "/32", "-d", ip + "/32", "-p", proto, "--dport", "53", "-m", "comment", "--comment", filterComment, "-j", "DROP"}
		if out, err := exec.Command(iptables, append([]string{"-A"}, rule...)...).CombinedOutput(); err != nil {
			if os.Getenv(lab.RequireEnv) == "1" {
				t.Fatalf("iptables: %v %s; %s=1 requires the lab", err, out, lab.RequireEnv)
			}
			t.Skipf("iptables: %v %s", err, out)
		}
		t.Cleanup(func() {
			if out, err := exec.Command(iptables, append([]string{"-D"}, rule...)...).CombinedOutput(); err != nil {
				t.Errorf("iptables -D: %v %s", err, out)
			}
		})
	}
}

// TestFilterFromHereReplacesStaleRuleLab: a run killed while a test held
// its filter (its Cleanup never ran) leaves the rule, dropping every query
// to that address but from the killed run's resolver; a later test that
// reserves the address and filters it for its own resolver must not be
// silenced by it. filterFromHere deletes every rule of its comment for
// that destination before adding its own. Before, the stale rule stayed:
// "a stale rule for 127.53.0.x is still there: -A INPUT ! -s
// 127.0.0.250/32 -d 127.53.0.x/32 -p udp ...".
func TestFilterFromHereReplacesStaleRuleLab(t *testing.T) {
	iptables := lab.Binary(t, "iptables")
	ip, from := lab.Addr(t), lab.Addr(t)
	const killedRuns = "127.0.0.250"
	stale := []string{"INPUT", "!", "-s", killedRuns + "/32", "-d", ip + "/32", "-p", "udp", "--dport", "53", "-m", "comment", "--comment", filterComment, "-j", "DROP"}
	if out, err := exec.Command(iptables, append([]string{"-A"}, stale...)...).CombinedOutput(); err != nil {
		if os.Getenv(lab.RequireEnv) == "1" {
			t.Fatalf("iptables: %v %s; %s=1 requires the lab", err, out, lab.RequireEnv)
		}
		t.Skipf("iptables: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(iptables, append([]string{"-D"}, stale...)...).Run() }) // when still there
	filterFromHere(t, ip, from)
	out, err := exec.Command(iptables, "-S", "INPUT").CombinedOutput()
	if err != nil {
		t.Fatalf("iptables -S: %v %s", err, out)
	}
	var ours int
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.Contains(line, "-d "+ip+"/32") {
			continue
		}
		if strings.Contains(line, killedRuns) {
			t.Errorf("a stale rule for %s is still there: %s", ip, line)
		}
		if strings.Contains(line, "! -s "+from+"/32") {
			ours++
		}
	}
	if ours != 2 {
		t.Errorf("%d rules of this test for %s (udp, tcp), want 2:\n%s", ours, ip, out)
	}
}

// dropStaleFilters deletes every INPUT rule with filterComment whose
// destination is ip (iptables -S INPUT, each such rule given back to -D).
func dropStaleFilters(iptables, ip string) error {
	out, err := exec.Command(iptables, "-S", "INPUT").CombinedOutput()
	if err != nil {
		return fmt.Errorf("iptables -S INPUT: %v %s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "-A" || !slices.Contains(f, filterComment) {
			continue
		}
		if d := slices.Index(f, "-d"); d < 0 || d+1 >= len(f) || f[d+1] != ip+"/32" {
			continue
		}
		if out, err := exec.Command(iptables, append([]string{"-D"}, f[1:]...)...).CombinedOutput(); err != nil {
			return fmt.Errorf("iptables -D %s: %v %s", strings.Join(f[1:], " "), err, out)
		}
	}
	return nil
}

// The old provider filters this machine's queries (they time out) while
// resolvers still reach it through the delegation: flip --emergency must
// not take that for an outage (it skips parity). old-down asks the
// configured resolvers for a fresh name under the zone and refuses,
// naming the resolver and what it got; with no resolver configured it
// passes with a warning that this could not be checked. On the code
// before, old-down passed: a timeout from here was "down".
func TestEmergencyOldFilteredFromHereLab(t *testing.T) {
	lab.Require(t, "unbound")
	l := newReviewLab(t, 5)
	ctx := context.Background()
	out := lab.Addr(t)
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {l.parent.IP}}, OutgoingIP: out})
	filterFromHere(t, l.oldIP, out)
	mk := func(resolvers ...string) *Config {
		c := l.mk()
		// Each question to the filtered old side times out (twice:
		// query.Msg's two tries); the resolver answers over loopback
		// in milliseconds: half a second is ample.
		c.Resolvers, c.Timeout = resolvers, 500*time.Millisecond
		return c
	}
	start := time.Now()
	rep := Flip(ctx, mk(resolver.Addr), true, true)
	unmetGates(t, "emergency, old filtered from here", rep)
	d := gateNamed(rep, GateOldDown)
	if rep.Result == ResultDone || d == nil || d.OK || !strings.Contains(d.Detail, resolver.Addr) || !strings.Contains(d.Detail, "NXDOMAIN") || !strings.Contains(d.Detail, "ns1.old.example.test.") {
		t.Errorf("flip --emergency with the old side filtered from here but answering the resolver %s: %s, old-down %+v", resolver.Addr, rep.Result, d)
	}
	// When to try again if the side is down for everyone: not before
	// the longest a resolver may answer from what it holds, git's largest
	// TTL here (the SOA it showed, capped at 5 s, is only what is left of
	// one cache entry).
	hold := time.Duration(ZoneMaxTTL(mk().Zone)) * time.Second
	if i := slices.IndexFunc(rep.Next, func(n Next) bool { return n.Step == "flip --emergency" }); i < 0 ||
		rep.Next[i].Earliest.Before(start.Add(hold)) || rep.Next[i].Earliest.After(time.Now().Add(hold+10*time.Second)) || !has(d.Plan, "--emergency` again not before") {
		t.Errorf("no time to run flip --emergency again once resolvers may no longer answer from what they hold (%s): next %+v, plan %q", hold, rep.Next, d.Plan)
	}
	rep = Flip(ctx, mk(), true, true)
	d = gateNamed(rep, GateOldDown)
	if d == nil || !d.OK || !has(rep.Warnings, "could not be checked") {
		t.Errorf("flip --emergency, no resolver configured: old-down %+v, warnings %q; want it passed with a warning", d, rep.Warnings)
	}
}
