package cutover

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/lab/inproc"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// The delegation gate against real servers (issue 16): a parent test. on
// BIND, the old side on Knot, the new side on two Knot servers in two
// /24s, an Unbound resolver following the parent. The NS names live in the
// parent zone (sibling glue), so every fault is a change of which servers
// a case lists and what they serve. Each planted fault refuses the flip
// with only the delegation gate unmet, the check named, and the parent
// untouched; the clean case flips; finish is refused while the new apex
// still lists the old server, and passes once nothing names it.

var dlKey = &lab.TSIGKey{Name: "deleg-key.", Secret: "ZGVsZWdhdGlvbi1nYXRlLWtleS1mb3ItZG5zcGFyaXR5LXQ="}

const dlOldNS = "oldns.oldprov.test."

// dlZone is example.test. as a side serves it (and git: the old side's).
func dlZone(mname string, serial uint32, apex ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN example.test.\n$TTL 60\n@ SOA %s hostmaster.example.test. %d 3600 600 604800 60\n", mname, serial)
	for _, n := range apex {
		fmt.Fprintf(&b, "@ NS %s\n", n)
	}
	b.WriteString("www A 192.0.2.80\nmail A 192.0.2.25\n@ MX 10 mail.example.test.\n_sip._tcp SRV 0 5 5060 www.example.test.\n")
	return b.String()
}

// longNames are 13 NS names of 60-odd octets in the parent zone.
func longNames() []string {
	var out []string
	for i := 0; i < 13; i++ {
		out = append(out, fmt.Sprintf("ns%02d-%s.newprov.test.", i, strings.Repeat("x", 50)))
	}
	return out
}

type dlLab struct {
	parent, o1, n1, n2, n3, rec *lab.Server
	udp                         *inproc.Auth
	udpAddr                     string
	resolver                    *lab.Server
	reg                         *parent.Parent
	git                         *zone.Zone
	serial                      uint32
}

func newDLLab(t *testing.T) *dlLab {
	t.Helper()
	lab.Require(t, "named", "knotd", "unbound")
	l := &dlLab{serial: 100}
	pIP, oIP := lab.Addr(t), lab.Addr(t)
	n1IP := lab.Addr(t)
	n2IP := lab.AddrOtherNet(t, n1IP)
	n3IP := lab.AddrWhere(t, func(ip string) bool { return sameNet24(ip, n1IP) })
	recIP := lab.AddrOtherNet(t, n1IP)
	udpIP := lab.AddrOtherNet(t, n1IP)
	var pz strings.Builder
	fmt.Fprintf(&pz, "$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 3600 5\n@ NS ns.test.\nns A %s\n", pIP)
	fmt.Fprintf(&pz, "example NS %s\noldns.oldprov A %s\n", dlOldNS, oIP)
	for name, ip := range map[string]string{"ns1": n1IP, "ns2": n2IP, "ns3": n3IP, "nsrec": recIP, "nsudp": udpIP, "bad": oIP} {
		fmt.Fprintf(&pz, "%s.newprov A %s\n", name, ip)
	}
	for i, n := range longNames() {
		fmt.Fprintf(&pz, "%s A %s\n%s AAAA fd00:53::%d\n", n, []string{n1IP, n2IP}[i%2], n, i+1)
	}
	l.parent = lab.BIND(t, lab.Options{IP: pIP, TSIG: dlKey, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: pz.String()}}})
	l.o1 = lab.Knot(t, lab.Options{IP: oIP, TSIG: dlKey, Zones: []lab.Zone{{Origin: "example.test.", Text: dlZone(dlOldNS, 1, dlOldNS)}}})
	clean := dlZone("ns1.newprov.test.", l.serial, "ns1.newprov.test.", "ns2.newprov.test.")
	for _, s := range []struct {
		ip  string
		dst **lab.Server
	}{{n1IP, &l.n1}, {n2IP, &l.n2}, {n3IP, &l.n3}} {
		*s.dst = lab.Knot(t, lab.Options{IP: s.ip, TSIG: dlKey, Zones: []lab.Zone{{Origin: "example.test.", Text: clean}}})
	}
	l.rec = lab.BIND(t, lab.Options{IP: recIP, TSIG: dlKey, Recursion: true, Zones: []lab.Zone{{Origin: "example.test.", Text: clean}}})
	l.udp = inproc.NewAuth("udp-only", inproc.TSIGKey{Name: dlKey.Name, Secret: dlKey.Secret})
	l.udpAddr = udpIP + ":53"
	l.udp.AddZone("example.test.", parseRRs(t, clean))
	if err := l.udp.ListenUDP(l.udpAddr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.udp.Stop)
	l.resolver = lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {pIP}}})
	l.reg = &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, l.parent.Addr, dlKey)}
	l.git = gitZone(t, dlZone(dlOldNS, 1, dlOldNS))
	return l
}

func sameNet24(a, b string) bool {
	return a[:strings.LastIndex(a, ".")] == b[:strings.LastIndex(b, ".")]
}

func parseRRs(t *testing.T, text string) []dns.RR {
	t.Helper()
	var out []dns.RR
	zp := dns.NewZoneParser(strings.NewReader(text), "example.test.", "")
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		out = append(out, rr)
	}
	if err := zp.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// serve makes every new-side server serve apex NS apex (a fresh serial).
func (l *dlLab) serve(t *testing.T, apex []string, servers ...*lab.Server) {
	t.Helper()
	l.serial++
	text := dlZone("ns1.newprov.test.", l.serial, apex...)
	for _, s := range servers {
		s.Reload(t, lab.Zone{Origin: "example.test.", Text: text})
	}
	l.udp.AddZone("example.test.", parseRRs(t, text))
}

// config is a step's Config: the new side's servers and delegation as the
// case lists them (glue: none, the names are in the parent zone).
func (l *dlLab) config(t *testing.T, servers []string, ns []string, policy delegation.Policy) *Config {
	t.Helper()
	path := prestagedTrail(t, 60)
	return &Config{
		Zone:          l.git,
		Old:           Side{Name: "old", Servers: []string{l.o1.Addr}, Delegation: []string{dlOldNS}, Provider: rfc2136Provider(t, l.o1.Addr, dlKey)},
		New:           Side{Name: "new", Servers: servers, Delegation: ns, Glue: map[string][]string{}, Provider: rfc2136Provider(t, l.n1.Addr, dlKey)},
		Registrar:     l.reg,
		ParentZone:    "test.",
		ParentServers: []string{l.parent.Addr},
		Resolvers:     []string{l.resolver.Addr},
		TrailPath:     path,
		Actor:         "tester",
		PrestageTTL:   60,
		Overlap:       time.Millisecond,
		Watch:         2 * time.Second,
		Parity:        parity.Options{Timeout: 2 * time.Second, Retries: 2},
		Log:           io.Discard,
		Delegation:    policy,
	}
}

func (l *dlLab) parentNS(t *testing.T) string {
	t.Helper()
	d, ok := registrar.Agreed(registrar.Lookup(context.Background(), []string{l.parent.Addr}, "example.test.", time.Second))
	if !ok {
		t.Fatalf("cannot read the parent")
	}
	return strings.Join(d.NS, " ")
}

func delegationGate(rep *Report) *Gate {
	for i := range rep.Gates {
		if rep.Gates[i].Name == GateDelegation {
			return &rep.Gates[i]
		}
	}
	return nil
}

func failing(g *Gate, name, server string) *delegation.Check {
	if g == nil {
		return nil
	}
	for i, c := range g.Checks {
		if c.Name == name && !c.OK && !c.Accepted && (server == "" || c.Server == server) {
			return &g.Checks[i]
		}
	}
	return nil
}

func TestDelegationGateLab(t *testing.T) {
	l := newDLLab(t)
	ctx := context.Background()
	clean := []string{"ns1.newprov.test.", "ns2.newprov.test."}
	cleanServers := []string{l.n1.Addr, l.n2.Addr}

	faults := []struct {
		name    string
		ns      []string
		servers []string
		apex    []string // what the listed servers serve as apex NS (default: ns)
		glue    map[string][]string
		setup   func(t *testing.T)
		undo    func(t *testing.T)
		check   string
		server  string
		policy  delegation.Policy
		detail  string
	}{
		{name: "new child NS listing old", ns: clean, servers: cleanServers, apex: []string{"ns1.newprov.test.", dlOldNS}, check: delegation.CheckChildNS, server: l.n1.Addr},
		// A rogue apex NS (a server of neither side, from git's apex with
		// manage_apex true): child-centric resolvers would follow it.
		{name: "new child NS listing a rogue server", ns: clean, servers: cleanServers, apex: append(clean[:2:2], "ns.rogue.example."), check: delegation.CheckChildNS, server: l.n1.Addr},
		{name: "an NS name with no address", ns: append(clean[:2:2], "nowhere.newprov.test."), servers: cleanServers, check: delegation.CheckNSResolves, server: "nowhere.newprov.test."},
		{name: "glue pointing at a server of another side", ns: []string{"ns1.newprov.test.", "bad.newprov.test."}, servers: cleanServers, check: delegation.CheckGlue, server: "bad.newprov.test."},
		{name: "a lagging secondary", ns: clean, servers: cleanServers,
			setup: func(t *testing.T) { l.serve(t, clean, l.n1) }, undo: func(t *testing.T) { l.serve(t, clean, l.n1, l.n2) },
			check: delegation.CheckSerial, server: l.n2.Addr},
		{name: "a recursive server", ns: []string{"ns1.newprov.test.", "nsrec.newprov.test."}, servers: []string{l.n1.Addr, l.rec.Addr}, check: delegation.CheckRecursion, server: l.rec.Addr},
		{name: "a server without TCP", ns: []string{"ns1.newprov.test.", "nsudp.newprov.test."}, servers: []string{l.n1.Addr, l.udpAddr}, check: delegation.CheckTCP, server: l.udpAddr},
		{name: "a referral over 1232 octets", ns: longNames(), servers: cleanServers, check: delegation.CheckReferralSize},
		{name: "one NS", ns: clean[:1], servers: cleanServers[:1], check: delegation.CheckNSCount},
		{name: "all servers in one /24", ns: []string{"ns1.newprov.test.", "ns3.newprov.test."}, servers: []string{l.n1.Addr, l.n3.Addr}, check: delegation.CheckNSDiversity},
		{name: "registry .de: SOA refresh out of DENIC's range", ns: clean, servers: cleanServers, policy: delegation.Policy{Registry: mustProfile(t, "de")},
			check: delegation.CheckRegistry, detail: "SOA refresh between 10000 and 86400 s"},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			apex := f.apex
			if apex == nil {
				apex = f.ns
			}
			l.serve(t, apex, l.n1, l.n2, l.n3, l.rec)
			if f.setup != nil {
				f.setup(t)
			}
			if f.undo != nil {
				defer f.undo(t)
			}
			rep := Flip(ctx, l.config(t, f.servers, f.ns, f.policy), false, false)
			g := delegationGate(rep)
			if rep.ExitCode() != 1 || g == nil || g.OK || g.Side != "new" {
				t.Fatalf("flip: exit %d, result %s, delegation gate %+v, errors %v", rep.ExitCode(), rep.Result, g, rep.Errors)
			}
			c := failing(g, f.check, f.server)
			for i := range g.Checks {
				if ch := g.Checks[i]; f.detail != "" && ch.Name == f.check && !ch.OK && strings.Contains(ch.Detail, f.detail) {
					c = &g.Checks[i]
				}
			}
			if c == nil || f.detail != "" && !strings.Contains(c.Detail, f.detail) {
				t.Fatalf("check %s at %q not failing; gate: %s", f.check, f.server, g.Detail)
			}
			if c.Detail == "" || c.Fix == "" || c.Asked == "" || c.Severity == delegation.SevInfo {
				t.Errorf("check %s lacks detail, fix, asked or severity: %+v", f.check, c)
			}
			for _, o := range rep.Gates {
				if o.Name != GateDelegation && !o.OK {
					t.Errorf("gate %s unmet too (the case must fail on the delegation alone): %s", o.Name, o.Detail)
				}
			}
			if got := l.parentNS(t); got != dlOldNS {
				t.Fatalf("the parent changed: NS %s", got)
			}
			if !strings.Contains(strings.Join(rep.Actions, " "), "nothing changed at the registrar: unmet gates delegation") {
				t.Errorf("actions: %v", rep.Actions)
			}
			t.Logf("%s: %s", f.check, c.Detail)
		})
	}

	// A server this machine cannot send to (no route: a runner without
	// IPv6) is not checked from here: the gate passes on the servers it
	// can ask and names it; when it can ask none, it could not run (exit
	// 2), the parent untouched.
	v6 := net.JoinHostPort(lab.Unroutable(t), "53")
	t.Run("a server not checked from here", func(t *testing.T) {
		l.serve(t, clean, l.n1, l.n2, l.n3, l.rec)
		cfg := l.config(t, append(cleanServers[:2:2], v6), clean, delegation.Policy{})
		g := gateDelegation(ctx, cfg, &cfg.New, nil, nil)
		if !g.OK || g.Err || !strings.Contains(g.Detail, "not checked from here") || !strings.Contains(g.Detail, v6+" (no route from this machine (network is unreachable))") {
			t.Fatalf("gate with %s unreachable: ok %v err %v: %s", v6, g.OK, g.Err, g.Detail)
		}
		n := 0
		for _, c := range g.Checks {
			switch {
			case c.Server == v6:
				n++
				if c.OK || c.Severity != delegation.SevNotChecked {
					t.Errorf("%s at %s: ok %v severity %s, want not-checked", c.Name, c.Server, c.OK, c.Severity)
				}
			case !c.OK:
				t.Errorf("%s at %s fails: %s", c.Name, c.Server, c.Detail)
			}
		}
		if n != 13 {
			t.Errorf("%d checks at %s, want the 13 per-server checks (soa-fields and edns-truncated among them)", n, v6)
		}
		table := delegationTable(cfg, &Report{Gates: []Gate{g}})
		for _, row := range table.Rows {
			if row.Who == v6 && (row.Cells[delegation.CheckAA] != delegation.SevNotChecked || TableSymbol(row.Cells[delegation.CheckAA]) != "?") {
				t.Errorf("table row of %s: %v", v6, row.Cells)
			}
		}

		cfg = l.config(t, []string{v6}, clean, delegation.Policy{})
		g = gateDelegation(ctx, cfg, &cfg.New, nil, nil)
		if g.OK || !g.Err || !strings.Contains(g.Detail, "could not run: none of the new side's 1 servers can be checked from this machine") {
			t.Fatalf("gate with no server reachable: ok %v err %v: %s", g.OK, g.Err, g.Detail)
		}
		rep := Flip(ctx, cfg, false, false)
		if g := delegationGate(rep); rep.ExitCode() != 2 || g == nil || !g.Err {
			t.Errorf("flip with no new server reachable: exit %d, delegation gate %+v", rep.ExitCode(), g)
		}
		if got := l.parentNS(t); got != dlOldNS {
			t.Fatalf("the parent changed: NS %s", got)
		}
	})

	// The clean delegation passes, and the flip goes through.
	cfg := l.config(t, cleanServers, clean, delegation.Policy{}) // its trail outlives the subtests
	flipped := false
	t.Run("the clean delegation", func(t *testing.T) {
		l.serve(t, clean, l.n1, l.n2, l.n3, l.rec)
		rep := Flip(ctx, cfg, false, false)
		g := delegationGate(rep)
		if rep.ExitCode() != 0 || g == nil || !g.OK {
			t.Fatalf("clean flip: exit %d %s, gates %+v, errors %v", rep.ExitCode(), rep.Result, rep.Gates, rep.Errors)
		}
		for _, c := range g.Checks {
			if !c.OK {
				t.Errorf("clean case: %s at %s fails: %s", c.Name, c.Server, c.Detail)
			}
		}
		if got := l.parentNS(t); got != strings.Join(clean, " ") {
			t.Fatalf("after the flip the parent delegates to %s", got)
		}
		flipped = true
	})

	t.Run("finish while the new apex still lists old", func(t *testing.T) {
		if !flipped {
			t.Skip("needs the clean flip before it")
		}
		// finish also waits for the last cached copy of the old
		// delegation (the parent's NS TTL, 5 s, and the old side's
		// own, 60 s): these finishes run after it.
		cfg.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
		l.serve(t, append(clean[:2:2], dlOldNS), l.n1, l.n2)
		rep := Finish(ctx, cfg)
		var u *Gate
		for i := range rep.Gates {
			if rep.Gates[i].Name == GateOldUnreferenced {
				u = &rep.Gates[i]
			}
		}
		if rep.ExitCode() != 1 || u == nil || u.OK || failing(u, CheckApexNS, l.n1.Addr) == nil || failing(u, CheckGitTarget, "example.test.zone:4") == nil {
			t.Fatalf("finish with the new apex listing old: exit %d, actions %v, gate %+v", rep.ExitCode(), rep.Actions, u)
		}
		if strings.Contains(strings.Join(rep.Actions, " "), "safe to decommission") {
			t.Errorf("finish calls the old provider safe to decommission: %v", rep.Actions)
		}
		t.Logf("old-unreferenced: %s", u.Detail)

		// Nothing names the old server any more: the new side's own NS,
		// the old side's apex pointing at the new servers, git naming them.
		l.serve(t, clean, l.n1, l.n2)
		l.o1.Reload(t, lab.Zone{Origin: "example.test.", Text: dlZone(dlOldNS, 2, clean...)})
		cfg.Zone = gitZone(t, dlZone(dlOldNS, 1, clean...))
		// The old side served its own NS set (60 s) until this run
		// saw it gone: resolvers that took it keep asking the old
		// server that long.
		if rep = Finish(ctx, cfg); rep.ExitCode() != 1 {
			t.Fatalf("finish right after the old side's apex stopped naming old: exit %d, gates %+v", rep.ExitCode(), rep.Gates)
		}
		cfg.Now = func() time.Time { return time.Now().Add(2*time.Minute + 61*time.Second) }
		rep = Finish(ctx, cfg)
		// The old provider (rfc2136) cannot list its zones: finish says
		// the zone no longer needs it, never "safe to decommission"
		// for an account it did not read whole.
		if rep.ExitCode() != 0 || !strings.Contains(strings.Join(rep.Actions, " "), "the zone no longer needs the old provider") {
			t.Fatalf("finish once nothing names the old side: exit %d, gates %+v", rep.ExitCode(), rep.Gates)
		}
	})
}

func mustProfile(t *testing.T, name string) *delegation.Profile {
	p, err := delegation.LookupProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
