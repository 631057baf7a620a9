package rfc2136_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const (
	origin   = "example.com."
	fullZone = "../../../testdata/push/example.com.zone"
	minZone  = "../../../testdata/push/minimal.zone"
)

var key = &lab.TSIGKey{Name: "update-key.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0LWtleS1mb3ItZG5zcGFyaXR5LXRlc3RzLTEyMzQ="}

type server struct {
	name  string // also the flavor
	start func(lab.T, lab.Options) *lab.Server
	bins  []string
	// unsupported is what the provider reports it cannot hold there.
	unsupported string
}

var servers = []server{
	{"bind", lab.BIND, []string{"named"}, ""},
	{"knot", lab.Knot, []string{"knotd"}, ""},
	// PowerDNS refuses RFC 3597 types in UPDATE (FORMERR): reported before
	// anything is sent.
	{"powerdns", func(t lab.T, o lab.Options) *lab.Server { return lab.PDNS(t, o).Server }, []string{"pdns_server"}, "unknown.example.com. TYPE65000"},
}

func newProvider(t *testing.T, addr, secret string) *rfc2136.Provider {
	t.Helper()
	return newFlavor(t, addr, secret, "")
}

// newFlavor makes a provider for a server of the given flavor.
func newFlavor(t *testing.T, addr, secret, flavor string) *rfc2136.Provider {
	t.Helper()
	p, err := rfc2136.New(&config.Provider{Name: "test", Type: "rfc2136", TSIG: &config.TSIG{Name: key.Name, Algorithm: key.Algorithm, SecretEnv: "X", Secret: config.Secret(secret)}, Settings: &rfc2136.Settings{Server: addr, Flavor: flavor}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func load(t *testing.T, path string) *zone.Zone {
	t.Helper()
	z, err := zone.Load(path, zone.Options{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range z.Problems {
		if p.Severity == zone.Error {
			t.Fatalf("%s", p)
		}
	}
	return z
}

func start(t *testing.T, s server) *lab.Server {
	lab.Require(t, s.bins...)
	return s.start(t, lab.Options{Zones: []lab.Zone{lab.ZoneFile(t, origin, minZone)}, TSIG: key, AllowUpdate: true})
}

// push plans desired against the provider and applies it.
func push(t *testing.T, p provider.Provider, desired *zone.Zone, unsupported string) (*plan.Plan, provider.Result) {
	t.Helper()
	ctx := context.Background()
	cur, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
	var un []string
	for _, u := range pl.Unsupported {
		un = append(un, u.Set.Name+" "+dns.Type(u.Set.Type).String())
	}
	if strings.Join(un, ",") != unsupported {
		t.Fatalf("unsupported: %v, want %q", pl.Unsupported, unsupported)
	}
	if len(pl.Changes) == 0 {
		return pl, provider.Result{}
	}
	res, err := p.Apply(ctx, origin, pl.Changes, nil)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	if len(res.Applied) != len(pl.Changes) {
		t.Fatalf("applied %d of %d", len(res.Applied), len(pl.Changes))
	}
	return pl, res
}

// sameExceptSOA checks that got holds exactly want's RRsets, the apex SOA
// aside.
func sameExceptSOA(t *testing.T, want, got *zone.Zone) {
	t.Helper()
	keys := func(z *zone.Zone) map[zone.Key]*zone.RRSet {
		m := map[zone.Key]*zone.RRSet{}
		for _, s := range z.Sets {
			if s.Type != dns.TypeSOA {
				m[s.Key()] = s
			}
		}
		return m
	}
	w, g := keys(want), keys(got)
	for k, s := range w {
		o := g[k]
		if o == nil {
			t.Errorf("%s missing on the server", k)
			continue
		}
		if !s.SameData(o) || s.TTL != o.TTL {
			t.Errorf("%s: want %d %q, server has %d %q", k, s.TTL, s.Strings(), o.TTL, o.Strings())
		}
	}
	for k := range g {
		if w[k] == nil {
			t.Errorf("%s on the server but not in the zone file", k)
		}
	}
}

func TestPushAndReadBack(t *testing.T) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			desired := load(t, fullZone)
			held := load(t, fullZone) // what the server can hold of it
			if s.unsupported != "" {
				name, typ, _ := strings.Cut(s.unsupported, " ")
				n, _ := strconv.Atoi(strings.TrimPrefix(typ, "TYPE"))
				held = without(held, name, uint16(n))
				if held.Len() != desired.Len()-1 {
					t.Fatalf("%s not in the zone file", s.unsupported)
				}
			}

			pl, res := push(t, p, desired, s.unsupported)
			if c, r, d := pl.Count(); c == 0 || r != 0 || d != 0 {
				t.Fatalf("first push: %d create %d replace %d delete, want only creates", c, r, d)
			}
			if res.Requests != 1 {
				t.Errorf("first push took %d UPDATE messages, want 1", res.Requests)
			}
			got, err := p.Records(context.Background(), origin)
			if err != nil {
				t.Fatal(err)
			}
			sameExceptSOA(t, held, got)

			// A second push is empty and sends nothing.
			before := p.Updates()
			pl2, _ := push(t, p, desired, s.unsupported)
			if len(pl2.Changes) != 0 || p.Updates() != before {
				t.Fatalf("second push: %d changes, %d UPDATE messages", len(pl2.Changes), p.Updates()-before)
			}

			// Editing one record gives exactly one change in one message.
			edited := held
			lb := edited.Get("lb.example.com.", dns.TypeA)
			rr, _ := dns.NewRR("lb.example.com. 300 IN A 192.0.2.82")
			edited.AddSet(mustSet(t, append(lb.RRs()[:1], rr)))
			pl3, res3 := push(t, p, edited, "")
			if len(pl3.Changes) != 1 || pl3.Changes[0].Action != provider.Replace || res3.Requests != 1 {
				t.Fatalf("edit: %v in %d messages, want one replace in one", pl3.Changes, res3.Requests)
			}
			got, _ = p.Records(context.Background(), origin)
			sameExceptSOA(t, edited, got)

			// Serial: the server bumps it on UPDATE.
			if soa := got.Get(origin, dns.TypeSOA); soa == nil || soa.RRs()[0].(*dns.SOA).Serial <= 1 {
				t.Errorf("SOA serial not bumped by UPDATE: %v", soa.Strings())
			}

			// Back to git, then the oracle: dig's AXFR through
			// named-compilezone equals the zone file through it.
			if s.unsupported == "" {
				push(t, p, desired, "")
				oracle(t, srv.Addr)
			}
		})
	}
}

func without(z *zone.Zone, name string, typ uint16) *zone.Zone {
	out := zone.New(z.Origin)
	for _, s := range z.Sets {
		if s.Name != name || s.Type != typ {
			out.AddSet(s)
		}
	}
	out.Sort()
	return out
}

func mustSet(t *testing.T, rrs []dns.RR) *zone.RRSet {
	s, err := zone.NewRRSet(rrs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// oracle compares, with tools that are not ours, the server's zone (dig
// AXFR) and the zone file: both through `named-compilezone -s full`, the
// SOA aside.
func oracle(t *testing.T, addr string) {
	t.Helper()
	lab.Require(t, "dig", "named-compilezone")
	host, port, _ := strings.Cut(addr, ":")
	out, err := exec.Command("dig", "@"+host, "-p", port, "-y", "hmac-sha256:"+strings.TrimSuffix(key.Name, ".")+":"+key.Secret,
		"AXFR", origin, "+onesoa", "+nocmd", "+nostats", "+nocomments").CombinedOutput()
	if err != nil {
		t.Fatalf("dig: %v\n%s", err, out)
	}
	dump := filepath.Join(t.TempDir(), "axfr.zone")
	var kept []string
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) > 3 && f[3] != "TSIG" && !strings.HasPrefix(l, ";") {
			kept = append(kept, l)
		}
	}
	if err := os.WriteFile(dump, []byte(strings.Join(kept, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	canon := func(file string) []string {
		out, err := exec.Command("named-compilezone", "-q", "-i", "none", "-k", "ignore", "-s", "full", "-o", "-", "example.com", file).CombinedOutput()
		if err != nil {
			t.Fatalf("named-compilezone %s: %v\n%s", file, err, out)
		}
		var lines []string
		for _, l := range strings.Split(string(out), "\n") {
			f := strings.Fields(l)
			if len(f) < 4 || f[3] == "SOA" {
				continue
			}
			if _, err := strconv.Atoi(f[1]); err != nil {
				continue
			}
			lines = append(lines, strings.Join(f, " "))
		}
		sort.Strings(lines)
		return lines
	}
	want, got := canon(fullZone), canon(dump)
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Errorf("named-compilezone of the zone file and of dig's AXFR differ:\nfile:\n%s\n\nserver:\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
	if len(want) < 30 {
		t.Errorf("oracle compared only %d records", len(want))
	}
}

func TestBadCredentials(t *testing.T) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			good := newFlavor(t, srv.Addr, key.Secret, s.name)
			before, err := good.Records(context.Background(), origin)
			if err != nil {
				t.Fatal(err)
			}
			bad := newFlavor(t, srv.Addr, "d3Jvbmctc2VjcmV0LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNA==", s.name)
			if _, err := bad.Records(context.Background(), origin); !errors.Is(err, provider.ErrAuth) {
				t.Errorf("AXFR with a wrong secret: %v, want ErrAuth", err)
			}
			desired := load(t, fullZone)
			pl := plan.Compute(desired, before, plan.Options{Caps: bad.Capabilities()})
			res, err := bad.Apply(context.Background(), origin, pl.Changes, nil)
			if !errors.Is(err, provider.ErrAuth) {
				t.Errorf("UPDATE with a wrong secret: %v, want ErrAuth", err)
			}
			if strings.Contains(err.Error(), key.Secret) {
				t.Errorf("error shows the secret: %v", err)
			}
			if len(res.Applied) != 0 {
				t.Errorf("reported %d changes applied", len(res.Applied))
			}
			after, err := good.Records(context.Background(), origin)
			if err != nil {
				t.Fatal(err)
			}
			sameExceptSOA(t, before, after)
		})
	}
}

func TestServerDown(t *testing.T) {
	addr := lab.Addr(t) + ":53"
	p := newProvider(t, addr, key.Secret)
	if _, err := p.Records(context.Background(), origin); !errors.Is(err, provider.ErrUnavailable) {
		t.Errorf("AXFR from nothing: %v, want ErrUnavailable", err)
	}
	ch := provider.Change{Action: provider.Delete, Name: "www.example.com.", Type: dns.TypeA}
	if _, err := p.Apply(context.Background(), origin, []provider.Change{ch}, nil); !errors.Is(err, provider.ErrUnavailable) {
		t.Errorf("UPDATE to nothing: %v, want ErrUnavailable", err)
	}
}

// TestManyMessages pushes a zone too large for one UPDATE message: every
// message is signed on its own (not as a continuation of the last).
func TestManyMessages(t *testing.T) {
	for _, s := range servers[:2] {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			var b strings.Builder
			b.WriteString("$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.53\nns2 A 198.51.100.53\n")
			for i := range 3000 {
				b.WriteString("host" + strconv.Itoa(i) + " TXT \"some text to make the record longer " + strconv.Itoa(i) + "\"\n")
			}
			desired, err := zone.Parse(strings.NewReader(b.String()), "many.zone", origin, "")
			if err != nil {
				t.Fatal(err)
			}
			_, res := push(t, p, desired, "")
			if res.Requests < 2 {
				t.Fatalf("%d UPDATE messages, want several", res.Requests)
			}
			got, err := p.Records(context.Background(), origin)
			if err != nil {
				t.Fatal(err)
			}
			sameExceptSOA(t, desired, got)
		})
	}
}

// TestPartialFailure: when a later message fails, only the changes of the
// messages that succeeded are reported done, and a push again converges.
func TestPartialFailure(t *testing.T) {
	for _, s := range servers[:2] {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			ctx := context.Background()
			var b strings.Builder
			b.WriteString("$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.53\nns2 A 198.51.100.53\n")
			for i := range 2000 {
				b.WriteString("host" + strconv.Itoa(i) + " TXT \"some text to make the record longer " + strconv.Itoa(i) + "\"\n")
			}
			desired, err := zone.Parse(strings.NewReader(b.String()), "many.zone", origin, "")
			if err != nil {
				t.Fatal(err)
			}
			cur, _ := p.Records(ctx, origin)
			pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
			// A record outside the zone makes the last message fail (NOTZONE).
			rr, _ := dns.NewRR("outside.example.net. 300 IN A 192.0.2.1")
			bad := mustSet(t, []dns.RR{rr})
			cs := append(pl.Changes, provider.Change{Action: provider.Create, Name: bad.Name, Type: bad.Type, New: bad})
			res, err := p.Apply(ctx, origin, cs, nil)
			if err == nil || res.Requests < 2 {
				t.Fatalf("apply: %v in %d messages, want a failure after several", err, res.Requests)
			}
			t.Logf("%v", err)
			if len(res.Applied) == 0 || len(res.Applied) >= len(pl.Changes) {
				t.Fatalf("%d of %d reported applied", len(res.Applied), len(pl.Changes))
			}
			got, _ := p.Records(ctx, origin)
			for i, c := range pl.Changes {
				have := got.Get(c.Name, c.Type) != nil
				if have != (i < len(res.Applied)) {
					t.Fatalf("%s: on server %v, reported applied %v", c, have, i < len(res.Applied))
				}
			}
			// Push again: the rest goes, then nothing is left.
			again := plan.Compute(desired, got, plan.Options{Caps: p.Capabilities()})
			if len(again.Changes) != len(pl.Changes)-len(res.Applied) {
				t.Fatalf("second plan %d changes, want %d", len(again.Changes), len(pl.Changes)-len(res.Applied))
			}
			push(t, p, desired, "")
			got, _ = p.Records(ctx, origin)
			sameExceptSOA(t, desired, got)
		})
	}
}

// TestReplaceApexNS: with manage_apex, a changed apex NS set must replace
// the old one. RFC 2136 §3.4.2.4 makes servers ignore "delete the NS RRset
// at the apex", so the provider adds the new NS first and deletes the old
// ones record by record; otherwise the server keeps the union.
func TestReplaceApexNS(t *testing.T) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			ctx := context.Background()
			text := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 600 NS ns3.example.net.\n@ 600 NS ns1\nns1 A 192.0.2.53\nns2 A 198.51.100.53\n"
			desired, err := zone.Parse(strings.NewReader(text), "apex.zone", origin, "")
			if err != nil {
				t.Fatal(err)
			}
			cur, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			pl := plan.Compute(desired, cur, plan.Options{ManageApex: true, Caps: p.Capabilities()})
			if len(pl.Changes) != 1 || pl.Changes[0].Action != provider.Replace || pl.Changes[0].Type != dns.TypeNS {
				t.Fatalf("plan: %v, want one replace of the apex NS", pl.Changes)
			}
			if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
				t.Fatalf("apply: %v", err)
			}
			got, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			ns := got.Get(origin, dns.TypeNS)
			if ns == nil || !ns.SameData(desired.Get(origin, dns.TypeNS)) || ns.TTL != 600 {
				t.Fatalf("apex NS after push: %d %v, want 600 %v", ns.TTL, ns.Strings(), desired.Get(origin, dns.TypeNS).Strings())
			}
			if again := plan.Compute(desired, got, plan.Options{ManageApex: true, Caps: p.Capabilities()}); len(again.Changes) != 0 {
				t.Errorf("second plan: %v, want empty", again.Changes)
			}
		})
	}
}

// TestZoneNotServed: servers refuse an AXFR of a zone they do not serve
// with an unsigned NOTAUTH/REFUSED, which looks like a refused key; the
// provider must say the zone is missing, not that the key is wrong.
func TestZoneNotServed(t *testing.T) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			_, err := p.Records(context.Background(), "other.example.")
			if !errors.Is(err, provider.ErrZoneNotFound) || errors.Is(err, provider.ErrAuth) {
				t.Fatalf("AXFR of a zone the server lacks: %v, want ErrZoneNotFound", err)
			}
			bad := newProvider(t, srv.Addr, "d3Jvbmctc2VjcmV0LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNA==")
			if _, err := bad.Records(context.Background(), origin); !errors.Is(err, provider.ErrAuth) {
				t.Errorf("AXFR with a wrong secret: %v, want ErrAuth", err)
			}
		})
	}
}

// TestRRsetTooLarge: an RRset that no UPDATE message can carry is
// reported by the plan (before anything is sent), not found out half-way
// through a push.
func TestRRsetTooLarge(t *testing.T) {
	p := newProvider(t, "127.0.0.1:53", key.Secret)
	var rrs []dns.RR
	for i := range 400 {
		rr, err := dns.NewRR("big.example.com. 300 IN TXT \"" + strings.Repeat("x", 150) + strconv.Itoa(i) + "\"")
		if err != nil {
			t.Fatal(err)
		}
		rrs = append(rrs, rr)
	}
	big, err := zone.NewRRSet(rrs)
	if err != nil {
		t.Fatal(err)
	}
	desired := zone.New(origin)
	desired.AddSet(big)
	pl := plan.Compute(desired, nil, plan.Options{Caps: p.Capabilities()})
	if len(pl.Unsupported) != 1 || len(pl.Changes) != 0 || !strings.Contains(pl.Unsupported[0].Reason, "octets") {
		t.Fatalf("plan: changes %v, unsupported %v; want the 60 KB RRset unsupported", pl.Changes, pl.Unsupported)
	}
}
