package delegation

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

func TestLongName(t *testing.T) {
	for _, z := range []string{"example.test.", "a.b.c.example.", "x."} {
		n := longName(z)
		if got := wireLen(n); got != 255 {
			t.Errorf("%s: %s is %d octets, want 255", z, n, got)
		}
		if !dns.IsSubDomain(z, n) {
			t.Errorf("%s is not under %s", n, z)
		}
		if _, ok := dns.IsDomainName(n); !ok {
			t.Errorf("%s is not a domain name", n)
		}
	}
}

func TestMixedCase(t *testing.T) {
	if got := mixedCase("example.test."); got != "ExAmPlE.tEsT." {
		t.Errorf("mixedCase: %s", got)
	}
	if got := mixedCase("1.2."); got != "1.2." {
		t.Errorf("no letters: %s", got)
	}
}

func TestSerialLess(t *testing.T) {
	for _, c := range []struct {
		a, b uint32
		want bool
	}{{1, 2, true}, {2, 1, false}, {5, 5, false}, {0xfffffff0, 3, true}, {3, 0xfffffff0, false}} {
		if got := serialLess(c.a, c.b); got != c.want {
			t.Errorf("serialLess(%d, %d) = %v", c.a, c.b, got)
		}
	}
}

// The overall checks on addresses alone, no server asked.
func TestCountAndDiversity(t *testing.T) {
	tests := []struct {
		name             string
		ns               []string
		addrs            map[string][]string
		min              int
		count, diversity bool
	}{
		{"two names, two /24s", []string{"a.", "b."}, map[string][]string{"a.": {"192.0.2.1"}, "b.": {"198.51.100.1"}}, 0, true, true},
		{"two names, one /24", []string{"a.", "b."}, map[string][]string{"a.": {"192.0.2.1"}, "b.": {"192.0.2.2"}}, 0, true, false},
		{"one name", []string{"a."}, map[string][]string{"a.": {"192.0.2.1"}}, 0, false, false},
		{"one name allowed", []string{"a."}, map[string][]string{"a.": {"192.0.2.1"}}, 1, true, false},
		{"two names, one address", []string{"a.", "b."}, map[string][]string{"a.": {"192.0.2.1"}, "b.": {"192.0.2.1"}}, 0, false, false},
		{"IPv6 in one /48", []string{"a.", "b."}, map[string][]string{"a.": {"192.0.2.1", "2001:db8:1::1"}, "b.": {"198.51.100.1", "2001:db8:1:2::1"}}, 0, true, false},
		// DELEGATION01 NOT_ENOUGH_IPV4_NS_DEL: IPv4 at one name of two.
		{"IPv4 at one name of two", []string{"a.", "b."}, map[string][]string{"a.": {"192.0.2.1", "2001:db8:1::1"}, "b.": {"2001:db8:2::1"}}, 0, false, false},
		{"IPv4 at one name, one allowed", []string{"a.", "b."}, map[string][]string{"a.": {"192.0.2.1"}, "b.": {"2001:db8:2::1"}}, 1, true, false},
		{"IPv6 at one name of two", []string{"a.", "b."}, map[string][]string{"a.": {"192.0.2.1", "2001:db8:1::1"}, "b.": {"198.51.100.1"}}, 0, true, false},
		{"IPv6 in two /48", []string{"a.", "b."}, map[string][]string{"a.": {"192.0.2.1", "2001:db8:1::1"}, "b.": {"198.51.100.1", "2001:db8:2::1"}}, 0, true, true},
	}
	for _, tc := range tests {
		tg := &Target{Zone: "example.test.", Side: "new", NS: tc.ns, Policy: Policy{MinNS: tc.min}}
		r := &Result{Addrs: tc.addrs}
		if c := tg.nsCount(r); c.OK != tc.count {
			t.Errorf("%s: ns-count ok=%v (%s)", tc.name, c.OK, c.Detail)
		}
		if c := tg.nsDiversity(r); c.OK != tc.diversity {
			t.Errorf("%s: ns-diversity ok=%v (%s)", tc.name, c.OK, c.Detail)
		}
	}
}

// The referral is measured as miekg/dns packs it: two short names fit,
// thirteen long names with A and AAAA glue do not.
func TestReferralSize(t *testing.T) {
	ctx := context.Background()
	tg := &Target{Zone: "example.test.", ParentZone: "test.", NS: []string{"ns1.newprov.test.", "ns2.newprov.test."}}
	r := &Result{Addrs: map[string][]string{"ns1.newprov.test.": {"192.0.2.1"}, "ns2.newprov.test.": {"198.51.100.1", "2001:db8::1"}}}
	size, c := tg.referralSize(ctx, r)
	if !c.OK || size < 255 || size > 500 {
		t.Errorf("two names: %d octets, %+v", size, c)
	}
	// The size is the packed message's: question, 2 NS, 3 glue, OPT.
	m, _ := tg.referral(ctx, r, false)
	if b, err := m.Pack(); err != nil || len(b) != size || len(m.Extra) != 4 {
		t.Errorf("packed %d octets (err %v), measured %d, extra %d", len(b), err, size, len(m.Extra))
	}
	var long []string
	r.Addrs = map[string][]string{}
	for i := 0; i < 13; i++ {
		n := strings.Repeat("n", 50) + string(rune('a'+i)) + ".newprov.test."
		long = append(long, n)
		r.Addrs[n] = []string{"192.0.2.1", "2001:db8::1"}
	}
	tg.NS = long
	size, c = tg.referralSize(ctx, r)
	if c.OK || size <= MaxReferral || c.Fix == "" {
		t.Errorf("13 long names: %d octets, %+v", size, c)
	}
	// Names outside the parent's bailiwick get no glue.
	tg.ParentZone = "other."
	m, _ = tg.referral(ctx, r, false)
	if len(m.Extra) != 1 { // the OPT record alone
		t.Errorf("glue for names outside the parent's zone: %v", m.Extra)
	}
	// A DS set counts.
	tg.NS, tg.ParentZone = []string{"ns1.newprov.test."}, "test."
	before, _ := tg.referralSize(ctx, r)
	tg.DS = []string{"12345 13 2 " + strings.Repeat("AB", 32)}
	after, _ := tg.referralSize(ctx, r)
	if after-before < 36 {
		t.Errorf("a DS adds %d octets", after-before)
	}
}

func TestValidatePolicy(t *testing.T) {
	for _, c := range []struct {
		p    Policy
		want string
	}{
		{Policy{Accept: []string{CheckNSDiversity, CheckAXFROpen, CheckRecursion, CheckUpwardReferral}}, ""},
		{Policy{Accept: []string{"nope"}}, "is not a check"},
		{Policy{Accept: []string{CheckChildNS}}, "cannot be accepted"},
		{Policy{MinNS: -1}, "negative"},
	} {
		err := ValidatePolicy(c.p)
		if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.p, err, c.want)
		}
	}
}

func TestAccepted(t *testing.T) {
	r := &Result{Checks: []Check{{Name: CheckNSDiversity, Severity: SevWarning, Accepted: true}, {Name: CheckAA, OK: true}}}
	if !r.OK() || len(r.Failed()) != 0 || !strings.Contains(r.Summary(), "1 accepted") {
		t.Errorf("an accepted warning refuses: %s", r.Summary())
	}
	r.Checks = append(r.Checks, Check{Name: CheckRecursion, Severity: SevWarning, Server: "192.0.2.1:53", Detail: "RA", Fix: "turn it off"})
	if r.OK() || r.Fixes()[0] != "turn it off" || !strings.Contains(r.Summary(), "warning recursion at 192.0.2.1:53: RA") {
		t.Errorf("a failed warning: ok %v, %s, %v", r.OK(), r.Summary(), r.Fixes())
	}
}

// The registry profiles, evaluated on what the checks found.
func TestProfiles(t *testing.T) {
	if _, err := LookupProfile("xx"); err == nil || !strings.Contains(err.Error(), "de, fr") {
		t.Errorf("unknown profile: %v", err)
	}
	de, _ := LookupProfile(".DE")
	fr, _ := LookupProfile("fr")
	soa := func(refresh, retry, expire, minimum uint32) *[4]uint32 {
		return &[4]uint32{refresh, retry, expire, minimum}
	}
	good := func() (*Target, *Result) {
		tg := &Target{Zone: "example.de.", Side: "new", NS: []string{"ns1.a.net.", "ns2.b.net."}}
		r := &Result{Addrs: map[string][]string{"ns1.a.net.": {"192.0.2.1"}, "ns2.b.net.": {"198.51.100.1"}},
			Servers: []Server{{Addr: "192.0.2.1:53", Timers: soa(86400, 7200, 3600000, 3600), soa: &dns.SOA{Serial: 1, Refresh: 86400, Retry: 7200, Expire: 3600000, Minttl: 3600}},
				{Addr: "198.51.100.1:53", Timers: soa(86400, 7200, 3600000, 3600), soa: &dns.SOA{Serial: 1, Refresh: 86400, Retry: 7200, Expire: 3600000, Minttl: 3600}}},
			Checks: []Check{{Name: CheckAA, OK: true}, {Name: CheckRecursion, OK: true}}}
		return tg, r
	}
	failed := func(cs []Check) []string {
		var out []string
		for _, c := range cs {
			if !c.OK {
				out = append(out, c.Asked)
			}
		}
		return out
	}
	for _, p := range []*Profile{de, fr} {
		tg, r := good()
		if f := failed(p.evaluate(tg, r)); len(f) > 0 {
			t.Errorf("%s: a good delegation fails %v", p.Name, f)
		}
	}
	// .de: refresh below 10000, one /24, serials that differ.
	tg, r := good()
	r.Servers[0].Timers, r.Servers[0].soa = soa(3600, 7200, 3600000, 3600), &dns.SOA{Serial: 2, Refresh: 3600, Retry: 7200, Expire: 3600000, Minttl: 3600}
	r.Addrs["ns2.b.net."] = []string{"192.0.2.2"}
	f := strings.Join(failed(de.evaluate(tg, r)), "\n")
	for _, want := range []string{"SOA refresh between 10000 and 86400", "differ in the first three octets", "the SOA is the same on every name server"} {
		if !strings.Contains(f, want) {
			t.Errorf(".de: %q not failing; failing:\n%s", want, f)
		}
	}
	// .fr: a recursor is an ERROR in Zonemaster's default profile, a
	// short expire a WARNING.
	tg, r = good()
	r.Checks[1].OK = false
	r.Servers[1].Timers = soa(86400, 7200, 172800, 3600)
	var sev = map[string]string{}
	for _, c := range fr.evaluate(tg, r) {
		if !c.OK {
			sev[c.Asked] = c.Severity
		}
	}
	if len(sev) != 2 {
		t.Errorf(".fr failing: %v", sev)
	}
	for a, s := range sev {
		if strings.Contains(a, "IS_A_RECURSOR") && s != SevError || strings.Contains(a, "EXPIRE_MINIMUM") && s != SevWarning {
			t.Errorf(".fr: %s is %s", a, s)
		}
	}
	// .fr: an address not globally reachable and a server failing AAAA
	// questions are ERRORs (ADDRESS01, NAMESERVER05).
	tg, r = good()
	r.Checks = append(r.Checks, Check{Name: CheckNSAddress, Server: "ns1.a.net."}, Check{Name: CheckAAAA, Server: "192.0.2.1:53"})
	sev = map[string]string{}
	for _, c := range fr.evaluate(tg, r) {
		if !c.OK {
			sev[c.Asked] = c.Severity
		}
	}
	if len(sev) != 2 {
		t.Errorf(".fr failing: %v", sev)
	}
	for a, s := range sev {
		if !strings.Contains(a, "ADDRESS01") && !strings.Contains(a, "NAMESERVER05") || s != SevError {
			t.Errorf(".fr: %s is %s", a, s)
		}
	}
}

func TestApexTrap(t *testing.T) {
	oldNS := []string{"ns1.oldprovider.test.", "ns2.oldprovider.test."}
	newNS := []string{"ns1.newprovider.test.", "ns2.newprovider.test."}
	resolve := func(n string) ([]string, string) {
		if strings.HasPrefix(n, "ns3") {
			return nil, "NXDOMAIN from 127.0.0.14:53"
		}
		return []string{"192.0.2.1"}, ""
	}
	base := Apex{Zone: "example.test.", Side: "new", Delegation: newNS, Others: []Other{{Name: "old", NS: oldNS}}, Delegated: "old", Resolve: resolve}

	a := base
	a.After, a.From = oldNS, Source{Git: true, At: "zones/example.test.zone:15"}
	w, n := ApexTrap(a)
	if len(w) != 1 || len(n) != 0 || !strings.Contains(w[0], "apex trap, provider new") || !strings.Contains(w[0], "ns1.oldprovider.test. (providers.old's)") ||
		!strings.Contains(w[0], "manage_apex: false") || !strings.Contains(w[0], "zones/example.test.zone:15") || !strings.Contains(w[0], "RFC 2181") {
		t.Errorf("git's apex NS at the new side: %v %v", w, n)
	}

	// The provider's own names, kept (manage_apex already false): the
	// change is the config's delegation, or git's apex NS with
	// manage_apex: true, never "set manage_apex: false" (which it is).
	// manage_apex: true helps only where git's apex NS is the side's
	// delegation; where it names the other side's servers, the NS is
	// changed at the provider.
	for _, tc := range []struct {
		git  []string
		want string
	}{
		{newNS, "set providers.new.manage_apex: true (git's apex NS already names ns1.newprovider.test. ns2.newprovider.test.), then push."},
		{oldNS, "make the apex NS at the provider ns1.newprovider.test. ns2.newprovider.test. by hand (its API or control panel): push keeps the provider's own while manage_apex is false, and git's apex NS (ns1.oldprovider.test. ns2.oldprovider.test.) names other servers."},
	} {
		a = base
		a.After, a.From, a.Git = []string{"ns1.example.org.", "ns2.example.net."}, Source{}, tc.git
		w, _ = ApexTrap(a)
		if len(w) != 1 || strings.Contains(w[0], "manage_apex: false (") || !strings.Contains(w[0], "make providers.new.delegation name them") || !strings.Contains(w[0], tc.want) {
			t.Errorf("the provider's own apex NS, git's %v: %v, want %q", tc.git, w, tc.want)
		}
	}

	a = base
	a.After = newNS
	if w, n := ApexTrap(a); len(w)+len(n) != 0 {
		t.Errorf("each side its own: %v %v", w, n)
	}

	a = base
	a.After = append(newNS[:1:1], "ns3.newprovider.test.")
	w, _ = ApexTrap(a)
	if len(w) != 2 || !strings.Contains(w[1], "ns3.newprovider.test.") || !strings.Contains(w[1], "does not resolve (NXDOMAIN") {
		t.Errorf("a name that does not resolve: %v", w)
	}
	// Git's NS (manage_apex: true) is changed in git and pushed; the
	// provider's own, which push keeps, at the provider.
	// A zone push creates takes providers.SIDE.delegation's names.
	for _, tc := range []struct {
		fromGit, created bool
		want             string
	}{
		{true, false, "name only servers that exist in the apex NS, then push."},
		{false, false, "name only servers that exist in the apex NS at the provider (its API"},
		{false, true, "name only servers that exist in providers.new.delegation, which the zone is created with, then push."},
		{true, true, "name only servers that exist in the apex NS, then push."},
	} {
		a.From = Source{Git: tc.fromGit, Created: tc.created}
		w, _ = ApexTrap(a)
		if !strings.Contains(w[len(w)-1], "Change: "+tc.want) {
			t.Errorf("a name that does not resolve, git's NS %v, created %v: %s, want %q", tc.fromGit, tc.created, w[len(w)-1], tc.want)
		}
	}

	// An apex NS inside the zone whose address the zone no longer holds
	// after the push (the provider's own NS, kept: git deleted them).
	a = base
	a.After = []string{"ns1.example.test.", "ns2.example.test."}
	a.Delegation = a.After
	a.Addrs = func(n string) []string {
		if n == "ns1.example.test." {
			return []string{"192.0.2.53"}
		}
		return nil
	}
	w, _ = ApexTrap(a)
	if len(w) != 1 || !strings.Contains(w[0], "ns2.example.test.") || !strings.Contains(w[0], "no address") || strings.Contains(w[0], "ns1.example.test.") {
		t.Errorf("an in-zone apex NS without its address after the push: %v", w)
	}
	a.Addrs = func(string) []string { return []string{"192.0.2.53"} }
	if w, _ := ApexTrap(a); len(w) != 0 {
		t.Errorf("in-zone apex NS with their addresses: %v", w)
	}

	// After the flip the old side naming the new servers is a note.
	a = Apex{Zone: "example.test.", Side: "old", Delegation: oldNS, Others: []Other{{Name: "new", NS: newNS}}, Delegated: "new", After: newNS, Resolve: resolve}
	if w, n := ApexTrap(a); len(w) != 0 || len(n) != 1 || !strings.Contains(n[0], "stragglers") && !strings.Contains(n[0], "still asking") {
		t.Errorf("old naming new after the flip: %v %v", w, n)
	}
	// Before it, the same is the trap.
	a.Delegated = "old"
	if w, _ := ApexTrap(a); len(w) != 1 {
		t.Errorf("old naming new before the flip: %v", w)
	}
}

// TestNSSource: with the NS set git's (NSFromGit), a name outside the
// zone fails ns-source, unless it is one the side's provider assigns and
// answers whatever git says (ProviderNS: Cloudflare's, DNS Made Easy's
// with manage_apex, which push never writes: git copies it); a name in
// the zone passes; a rollback's recorded set, or a set the config names,
// is not judged.
func TestNSSource(t *testing.T) {
	base := Target{Zone: "example.test.", Side: "new", NSFromGit: "git", ProviderNS: []string{"ada.ns.cloudflare.com."}}
	for _, c := range []struct {
		what, name string
		t          func(Target) Target
		judged, ok bool
	}{
		{"outside the zone", "ns.evil.test.", nil, true, false},
		{"the provider's own name", "ADA.ns.cloudflare.com.", nil, true, true},
		{"in the zone", "ns1.example.test.", nil, true, true},
		{"recorded set", "ns.evil.test.", func(t Target) Target { t.Recorded = true; return t }, false, false},
		{"set from the config", "ns.evil.test.", func(t Target) Target { t.NSFromGit = ""; return t }, false, false},
	} {
		tg := base
		if c.t != nil {
			tg = c.t(tg)
		}
		ch, judged := tg.nsSource(c.name)
		if judged != c.judged || judged && ch.OK != c.ok {
			t.Errorf("%s: judged %v, ok %v (%s); want judged %v, ok %v", c.what, judged, ch.OK, ch.Detail, c.judged, c.ok)
		}
	}
}

// TestNSMoved: a name outside the zone of a rollback's recorded set
// passes ns-moved while every address it resolves to is one it had at
// the flip (the trail's, in any spelling) or a configured server; one
// leading elsewhere is an error naming both; one the trail recorded
// nothing for (an older trail) is not-checked; a name with glue, or a
// set that is not recorded, is not judged.
func TestNSMoved(t *testing.T) {
	base := Target{Zone: "example.test.", Side: "old", Recorded: true,
		Configured:    []string{"192.0.2.1:53", "[2001:db8::1]:53"},
		RecordedAddrs: map[string][]string{"ns1.oldprovider.test.": {"192.0.2.7", "2001:db8:0:0::7"}, "ns.gone.test.": {}}}
	for _, c := range []struct {
		what   string
		nr     nameResult
		t      func(Target) Target
		judged bool
		sev    string // "" passes
	}{
		{"where it led at the flip", nameResult{name: "ns1.oldprovider.test.", addrs: []string{"192.0.2.7", "2001:db8::7"}}, nil, true, ""},
		{"a configured server", nameResult{name: "ns1.oldprovider.test.", addrs: []string{"192.0.2.1", "2001:db8::1"}}, nil, true, ""},
		{"moved elsewhere", nameResult{name: "ns1.oldprovider.test.", addrs: []string{"192.0.2.7", "198.51.100.66"}}, nil, true, SevError},
		{"resolved to none at the flip, now somewhere", nameResult{name: "ns.gone.test.", addrs: []string{"198.51.100.66"}}, nil, true, SevError},
		{"not recorded (an older trail)", nameResult{name: "ns.legacy.test.", addrs: []string{"198.51.100.66"}}, nil, true, SevNotChecked},
		{"not recorded, a configured server", nameResult{name: "ns.legacy.test.", addrs: []string{"192.0.2.1"}}, nil, true, ""},
		{"glue", nameResult{name: "ns1.example.test.", addrs: []string{"198.51.100.66"}, glue: true}, nil, false, ""},
		{"the side's own set", nameResult{name: "ns1.oldprovider.test.", addrs: []string{"198.51.100.66"}}, func(t Target) Target { t.Recorded = false; return t }, false, ""},
	} {
		tg := base
		if c.t != nil {
			tg = c.t(tg)
		}
		ch, judged := tg.nsMoved(c.nr, nil)
		if judged != c.judged {
			t.Errorf("%s: judged %v, want %v", c.what, judged, c.judged)
			continue
		}
		if !judged {
			continue
		}
		if ch.OK != (c.sev == "") || !ch.OK && ch.Severity != c.sev && !(c.sev == SevError && ch.Severity == "") {
			t.Errorf("%s: ok %v severity %q (%s); want severity %q", c.what, ch.OK, ch.Severity, ch.Detail, c.sev)
		}
		if c.sev == SevError && (!strings.Contains(ch.Detail, "198.51.100.66") || ch.Fix == "") {
			t.Errorf("%s: the refusal does not name the address it leads to now, or has no fix: %+v", c.what, ch)
		}
	}
}

// TestSourceSays: where a side's apex NS come from, as the apex trap's
// warnings name it: the zone's creation first (with manage_apex too, a
// zone push creates takes its NS from its creation), then git's apex NS
// with its place in the file when known, else the provider's own.
func TestSourceSays(t *testing.T) {
	for _, tc := range []struct {
		s    Source
		want string
	}{
		{Source{Git: true, At: "zones/x.zone:15"}, "git's apex NS, providers.new.manage_apex: true, zones/x.zone:15"},
		{Source{Git: true}, "git's apex NS, providers.new.manage_apex: true"},
		{Source{}, "the provider's own, kept: manage_apex is false"},
		{Source{Created: true, At: "providers.new.delegation"}, "the zone's creation: providers.new.delegation"},
		{Source{Git: true, Created: true, At: "git's apex NS"}, "the zone's creation: git's apex NS"},
	} {
		if got := tc.s.Says("new"); got != tc.want {
			t.Errorf("%+v.Says(new) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestChildNSProviderKeepsNS: a side whose provider keeps its own apex
// NS (Cloudflare's assigned servers, DNS Made Easy's system ones) serves
// them whatever push writes, so child-ns's fix names the config, never
// "then push"; a provider whose apex NS push writes is told to push.
func TestChildNSProviderKeepsNS(t *testing.T) {
	cf := []string{"ada.ns.cloudflare.com.", "bob.ns.cloudflare.com."}
	for _, tc := range []struct {
		name       string
		providerNS []string
		only       string
		served     []string
		want       string
		not        string
	}{
		{"cloudflare, its own NS only", cf, "multi-provider DNS is off", cf,
			"make providers.new.delegation name the provider's servers ada.ns.cloudflare.com. bob.ns.cloudflare.com.", "then push"},
		{"dns made easy, its own beside git's", cf, "", append([]string{"ns1.new.example.test."}, cf...),
			"no push removes them", "then push"},
		{"a provider whose apex NS push writes", nil, "", []string{"ns9.other.test."}, "then push", "keeps its own"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg := Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.new.example.test."}, ProviderNS: tc.providerNS, ProviderNSOnly: tc.only,
				ApexNS: func(ctx context.Context, server string) (*dns.Msg, error) {
					m := new(dns.Msg)
					m.SetQuestion("example.test.", dns.TypeNS)
					m.Response, m.Authoritative = true, true
					for _, n := range tc.served {
						m.Answer = append(m.Answer, &dns.NS{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 300}, Ns: n})
					}
					return m, nil
				}}
			c := tg.childNS(context.Background(), &probe{server: "192.0.2.1:53"}, query.MsgOptions{})
			if c.OK || !strings.Contains(c.Fix, tc.want) || strings.Contains(c.Fix, tc.not) {
				t.Errorf("child-ns OK %v, fix %q: want %q, not %q", c.OK, c.Fix, tc.want, tc.not)
			}
		})
	}
}
