package lab

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab/addrlock"
)

// testKey is a throwaway key for the lab only.
var testKey = &TSIGKey{Name: "transfer-key.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0LWZvci10aGUtbGFiLW9ubHktMDEyMzQ1Njc4OQ=="}

var (
	longA = strings.Repeat("a", 200)
	longB = strings.Repeat("b", 150)
)

func testZone() Zone {
	return Zone{Origin: "example.com.", Text: `$TTL 300
@	IN SOA ns1.example.com. hostmaster.example.com. 2024010101 3600 600 604800 300
@	IN NS ns1.example.com.
ns1	IN A 192.0.2.1
www	IN A 192.0.2.10
dkim	IN TXT "` + longA + `" "` + longB + `"
*.wild	IN TXT "wildcard"
odd	IN TYPE65000 \# 3 abcdef
`}
}

type starter struct {
	kind  string
	start func(T, Options) *Server
}

var starters = []starter{
	{"bind", BIND},
	{"knot", Knot},
	{"powerdns", func(t T, o Options) *Server { return PDNS(t, o).Server }},
}

func query(t *testing.T, addr, netw, name string, qtype uint16) *dns.Msg {
	t.Helper()
	c := &dns.Client{Net: netw, Timeout: 2 * time.Second}
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	r, _, err := c.Exchange(m, addr)
	if err != nil {
		t.Fatalf("%s %s %s @%s: %v", netw, name, dns.TypeToString[qtype], addr, err)
	}
	return r
}

func TestServe(t *testing.T) {
	for _, st := range starters {
		t.Run(st.kind, func(t *testing.T) {
			t.Parallel()
			s := st.start(t, Options{Zones: []Zone{testZone()}})
			if s.Kind != st.kind || s.PID == 0 || !strings.HasPrefix(s.IP, "127.53.") || s.Addr != s.IP+":53" {
				t.Fatalf("server fields: %+v", s)
			}
			for _, netw := range []string{"udp", "tcp"} {
				r := query(t, s.Addr, netw, "example.com.", dns.TypeSOA)
				if r.Rcode != dns.RcodeSuccess || !r.Authoritative || len(r.Answer) != 1 {
					t.Errorf("%s SOA: rcode %s aa=%v answers %d", netw, dns.RcodeToString[r.Rcode], r.Authoritative, len(r.Answer))
				}
				r = query(t, s.Addr, netw, "dkim.example.com.", dns.TypeTXT)
				if len(r.Answer) != 1 {
					t.Fatalf("%s TXT: %v", netw, r)
				}
				txt := r.Answer[0].(*dns.TXT).Txt
				if len(txt) != 2 || txt[0] != longA || txt[1] != longB {
					t.Errorf("%s TXT strings: %d %q", netw, len(txt), txt)
				}
				r = query(t, s.Addr, netw, "x.wild.example.com.", dns.TypeTXT)
				if len(r.Answer) != 1 || r.Answer[0].(*dns.TXT).Txt[0] != "wildcard" || r.Answer[0].Header().Name != "x.wild.example.com." {
					t.Errorf("%s wildcard: %v", netw, r.Answer)
				}
				r = query(t, s.Addr, netw, "odd.example.com.", 65000)
				if len(r.Answer) != 1 {
					t.Fatalf("%s TYPE65000: %v", netw, r)
				}
				if u, ok := r.Answer[0].(*dns.RFC3597); !ok || u.Rdata != "abcdef" {
					t.Errorf("%s TYPE65000: %v", netw, r.Answer[0])
				}
			}
		})
	}
}

// axfr transfers the test zone: its 7 records, the closing SOA left out.
func axfr(addr string, key *TSIGKey) ([]dns.RR, error) {
	return TransferZone(addr, "example.com.", key)
}

func update(t *testing.T, addr string, key *TSIGKey, rr dns.RR) int {
	t.Helper()
	m := new(dns.Msg)
	m.SetUpdate("example.com.")
	m.Insert([]dns.RR{rr})
	c := &dns.Client{Net: "tcp", Timeout: 2 * time.Second}
	if key != nil {
		m.SetTsig(key.Name, key.DNSAlgorithm(), 300, time.Now().Unix())
		c.TsigSecret = map[string]string{key.Name: key.Secret}
	}
	r, _, err := c.Exchange(m, addr)
	if err != nil {
		t.Logf("update: %v", err)
		return -1
	}
	return r.Rcode
}

func TestTSIG(t *testing.T) {
	for _, st := range starters {
		t.Run(st.kind, func(t *testing.T) {
			t.Parallel()
			s := st.start(t, Options{Zones: []Zone{testZone()}, TSIG: testKey, AllowUpdate: true})
			rrs, err := axfr(s.Addr, testKey)
			if err != nil || len(rrs) < 7 {
				t.Fatalf("signed AXFR: %d records, %v", len(rrs), err)
			}
			if rrs, err := axfr(s.Addr, nil); err == nil && len(rrs) > 0 {
				t.Errorf("unsigned AXFR allowed: %d records", len(rrs))
			}
			bad := &TSIGKey{Name: testKey.Name, Secret: "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC0wMTIzNDU2Nzg5"}
			if rrs, err := axfr(s.Addr, bad); err == nil && len(rrs) > 0 {
				t.Errorf("AXFR with a wrong secret allowed: %d records", len(rrs))
			}

			unsigned, _ := dns.NewRR("unsigned.example.com. 300 IN A 192.0.2.77")
			if rc := update(t, s.Addr, nil, unsigned); rc == dns.RcodeSuccess {
				t.Errorf("unsigned UPDATE accepted")
			}
			added, _ := dns.NewRR("added.example.com. 300 IN TXT \"hello\"")
			if rc := update(t, s.Addr, testKey, added); rc != dns.RcodeSuccess {
				t.Fatalf("signed UPDATE: rcode %d", rc)
			}
			r := query(t, s.Addr, "udp", "added.example.com.", dns.TypeTXT)
			if len(r.Answer) != 1 || r.Answer[0].(*dns.TXT).Txt[0] != "hello" {
				t.Errorf("after UPDATE: %v", r)
			}
			r = query(t, s.Addr, "udp", "unsigned.example.com.", dns.TypeA)
			if len(r.Answer) != 0 {
				t.Errorf("unsigned UPDATE stored: %v", r.Answer)
			}
		})
	}
}

func TestNoTSIG(t *testing.T) {
	for _, st := range starters {
		t.Run(st.kind, func(t *testing.T) {
			t.Parallel()
			s := st.start(t, Options{Zones: []Zone{testZone()}, AllowUpdate: true})
			if rrs, err := axfr(s.Addr, nil); err != nil || len(rrs) < 7 {
				t.Fatalf("AXFR: %d records, %v", len(rrs), err)
			}
			rr, _ := dns.NewRR("plain.example.com. 300 IN TXT \"x\"")
			if rc := update(t, s.Addr, nil, rr); rc != dns.RcodeSuccess {
				t.Fatalf("UPDATE: rcode %d", rc)
			}
			r := query(t, s.Addr, "tcp", "plain.example.com.", dns.TypeTXT)
			if len(r.Answer) != 1 {
				t.Errorf("after UPDATE: %v", r)
			}
			// An unknown type through UPDATE: BIND and Knot store it,
			// PowerDNS 4.7 refuses it (FORMERR, "Failed prescan check").
			rr, _ = dns.NewRR("plain.example.com. 300 IN TYPE65000 \\# 2 beef")
			rc := update(t, s.Addr, nil, rr)
			if st.kind == "powerdns" {
				if rc != dns.RcodeFormatError {
					t.Errorf("TYPE65000 UPDATE on powerdns: rcode %d, want FORMERR (behaviour changed?)", rc)
				}
				return
			}
			if rc != dns.RcodeSuccess {
				t.Fatalf("TYPE65000 UPDATE: rcode %d", rc)
			}
			r = query(t, s.Addr, "tcp", "plain.example.com.", 65000)
			if len(r.Answer) != 1 {
				t.Errorf("after TYPE65000 UPDATE: %v", r)
			}
		})
	}
}

func TestNoUpdateWithoutAllowUpdate(t *testing.T) {
	for _, st := range starters {
		t.Run(st.kind, func(t *testing.T) {
			t.Parallel()
			s := st.start(t, Options{Zones: []Zone{testZone()}, TSIG: testKey})
			rr, _ := dns.NewRR("no.example.com. 300 IN A 192.0.2.9")
			if rc := update(t, s.Addr, testKey, rr); rc == dns.RcodeSuccess {
				t.Errorf("UPDATE accepted without AllowUpdate")
			}
		})
	}
}

func TestDistinctAddresses(t *testing.T) {
	// Two servers alive at the same time (both subtests wait for each other).
	var mu sync.Mutex
	ips := map[string]string{}
	var ready sync.WaitGroup
	pair := starters[:2] // -test.parallel is 2 on a 2-core machine
	ready.Add(len(pair))
	t.Run("group", func(t *testing.T) {
		for _, st := range pair {
			t.Run(st.kind, func(t *testing.T) {
				t.Parallel()
				s := st.start(t, Options{Zones: []Zone{testZone()}})
				mu.Lock()
				if other, dup := ips[s.IP]; dup {
					t.Errorf("%s got %s, already held by %s", st.kind, s.IP, other)
				}
				ips[s.IP] = st.kind
				mu.Unlock()
				ready.Done()
				done := make(chan struct{})
				go func() { ready.Wait(); close(done) }()
				select {
				case <-done:
				case <-time.After(20 * time.Second):
					t.Skip("servers did not overlap (-test.parallel 1?)")
				}
				if r := query(t, s.Addr, "udp", "example.com.", dns.TypeSOA); !r.Authoritative {
					t.Errorf("not authoritative: %v", r)
				}
			})
		}
	})
	if len(ips) != len(pair) {
		t.Errorf("addresses: %v", ips)
	}
}

func TestStopIdempotent(t *testing.T) {
	s := Knot(t, Options{Zones: []Zone{testZone()}})
	s.Stop()
	s.Stop()
	if !s.Exited() {
		t.Fatal("still running after Stop")
	}
	c := &dns.Client{Timeout: 300 * time.Millisecond}
	m := new(dns.Msg)
	m.SetQuestion("example.com.", dns.TypeSOA)
	if _, _, err := c.Exchange(m, s.Addr); err == nil {
		t.Error("answers after Stop")
	}
}

// TestLockAcrossProcesses holds an address and runs this test binary again
// as a second process that must not get it.
func TestLockAcrossProcesses(t *testing.T) {
	if ip := os.Getenv("DNSPARITY_LAB_HELPER_LOCK"); ip != "" {
		_, err := lockAddr(ip)
		fmt.Printf("RESULT %v\n", err)
		return
	}
	ip := Addr(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockAcrossProcesses$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DNSPARITY_LAB_HELPER_LOCK="+ip)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "RESULT "+addrlock.ErrLocked.Error()) {
		t.Fatalf("second process could lock %s:\n%s", ip, out)
	}
}

// TestHoldWaits: Hold on an address another holder has waits until it
// is released, then holds it until its test ends.
func TestHoldWaits(t *testing.T) {
	ip, release, err := reserve()
	if err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	go func() {
		time.Sleep(100 * time.Millisecond)
		close(released)
		release()
	}()
	t.Run("hold", func(t *testing.T) {
		Hold(t, ip)
		select {
		case <-released:
		default:
			t.Errorf("Hold took %s while another holder had it", ip)
		}
		if _, err := lockAddr(ip); err == nil {
			t.Errorf("%s held by Hold could be locked again", ip)
		}
	})
	again, err := lockAddr(ip)
	if err != nil {
		t.Fatalf("lock after Hold's test ended: %v", err)
	}
	again()
}

func TestLockReleased(t *testing.T) {
	var ip string
	t.Run("hold", func(t *testing.T) { ip = Addr(t) })
	release, err := lockAddr(ip)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	release()
}

// recorder is a T that records how the lab stopped it.
type recorder struct {
	*testing.T
	fatal, skip string
}

func (r *recorder) Fatalf(f string, a ...any) { r.fatal = fmt.Sprintf(f, a...) }
func (r *recorder) Skipf(f string, a ...any)  { r.skip = fmt.Sprintf(f, a...) }

func TestRequire(t *testing.T) {
	tests := []struct {
		env, bin        string
		wantFatal, skip bool
	}{
		{"", "no-such-dns-server-binary", false, true},
		{"1", "no-such-dns-server-binary", true, false},
		{"", "sh", false, false},
		{"1", "sh", false, false},
	}
	for _, tc := range tests {
		t.Setenv(RequireEnv, tc.env)
		r := &recorder{T: t}
		Require(r, tc.bin)
		if (r.fatal != "") != tc.wantFatal || (r.skip != "") != tc.skip {
			t.Errorf("env %q bin %s: fatal %q skip %q", tc.env, tc.bin, r.fatal, r.skip)
		}
		if tc.wantFatal && !strings.Contains(r.fatal, tc.bin) {
			t.Errorf("message does not name the binary: %q", r.fatal)
		}
	}
}

// TestUnboundDelegation: Unbound has a stub for test. on BIND, which
// delegates child.test. to Knot; the answer must come from Knot.
func TestUnboundDelegation(t *testing.T) {
	knotIP := Addr(t)
	bindIP := Addr(t)
	child := Knot(t, Options{IP: knotIP, Zones: []Zone{{Origin: "child.test.", Text: `$TTL 60
@	IN SOA ns.child.test. h.child.test. 1 3600 600 604800 60
@	IN NS ns.child.test.
ns	IN A ` + knotIP + `
www	IN A 192.0.2.55
dkim	IN TXT "` + longA + `" "` + longB + `"
*.wild	IN TXT "child-wildcard"
`}}})
	parent := BIND(t, Options{IP: bindIP, Zones: []Zone{{Origin: "test.", Text: `$TTL 60
@	IN SOA ns.test. h.test. 1 3600 600 604800 60
@	IN NS ns.test.
ns	IN A ` + bindIP + `
child	IN NS ns.child.test.
ns.child	IN A ` + knotIP + `
`}}})
	// A second stub outside test. (no default local zone) on another port.
	other := Knot(t, Options{Port: 5353, Zones: []Zone{testZone()}})
	u := Unbound(t, UnboundOptions{Stubs: map[string][]string{
		"test.":        {parent.IP},
		"example.com.": {other.Addr},
	}})

	tests := []struct {
		name  string
		qtype uint16
		check func(*dns.Msg) bool
	}{
		{"www.child.test.", dns.TypeA, func(r *dns.Msg) bool {
			a, ok := r.Answer[0].(*dns.A)
			return ok && a.A.String() == "192.0.2.55"
		}},
		{"dkim.child.test.", dns.TypeTXT, func(r *dns.Msg) bool {
			txt, ok := r.Answer[0].(*dns.TXT)
			return ok && len(txt.Txt) == 2 && txt.Txt[0] == longA && txt.Txt[1] == longB
		}},
		{"x.wild.child.test.", dns.TypeTXT, func(r *dns.Msg) bool {
			txt, ok := r.Answer[0].(*dns.TXT)
			return ok && txt.Txt[0] == "child-wildcard"
		}},
		{"odd.example.com.", 65000, func(r *dns.Msg) bool {
			u, ok := r.Answer[0].(*dns.RFC3597)
			return ok && u.Rdata == "abcdef"
		}},
	}
	for _, tc := range tests {
		for _, netw := range []string{"udp", "tcp"} {
			c := &dns.Client{Net: netw, Timeout: 5 * time.Second}
			m := new(dns.Msg)
			m.SetQuestion(tc.name, tc.qtype)
			m.RecursionDesired = true
			r, _, err := c.Exchange(m, u.Addr)
			if err != nil {
				t.Fatalf("%s %s: %v", netw, tc.name, err)
			}
			if r.Rcode != dns.RcodeSuccess || len(r.Answer) == 0 || !tc.check(r) {
				t.Errorf("%s %s: %v", netw, tc.name, r)
			}
			if r.Authoritative || !r.RecursionAvailable {
				t.Errorf("%s %s: aa=%v ra=%v, want a resolver's answer", netw, tc.name, r.Authoritative, r.RecursionAvailable)
			}
		}
	}
	// The answer came from Knot: the child's name does not exist at BIND.
	if r := query(t, parent.Addr, "udp", "www.child.test.", dns.TypeA); len(r.Answer) != 0 || len(r.Ns) == 0 {
		t.Errorf("BIND should refer, not answer: %v", r)
	}
	if !strings.Contains(tail(child.Log, 100), "child.test") {
		t.Errorf("knot log does not mention the zone")
	}

	// Outside the stubs nothing resolves, and it fails at once: the root
	// hints point at the lab's refusing root, so Unbound answers SERVFAIL
	// within the client's timeout (a silent root made it retry for more
	// than 10 s, and every such question cost its asker a timeout).
	c := &dns.Client{Timeout: 2 * time.Second}
	for _, name := range []string{"www.example.net.", "."} {
		m := new(dns.Msg)
		m.SetQuestion(name, dns.TypeSOA)
		r, _, err := c.Exchange(m, u.Addr)
		if err != nil {
			t.Errorf("%s: no answer within %v from the resolver (the lab root should refuse at once): %v", name, c.Timeout, err)
			continue
		}
		if r.Rcode != dns.RcodeServerFailure {
			t.Errorf("%s outside the stubs: rcode %s, want SERVFAIL: %v", name, dns.RcodeToString[r.Rcode], r)
		}
	}
}

func TestStubAddr(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"127.53.0.7", "127.53.0.7", true},
		{"127.53.0.7:5353", "127.53.0.7@5353", true},
		{"192.0.2.1", "", false},
		{"::1", "", false},
		{"ns.example.", "", false},
	}
	for _, tc := range tests {
		got, err := stubAddr(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("stubAddr(%q) = %q, %v", tc.in, got, err)
		}
	}
}

// TestPDNSEmptyAPI: PowerDNS with no zones starts, and a zone created
// through its API is served.
func TestPDNSEmptyAPI(t *testing.T) {
	p := PDNS(t, Options{TSIG: testKey, AllowUpdate: true})
	if p.APIURL != "http://"+p.IP+":8081" || p.ServerID != "localhost" || len(p.APIKey) < 16 {
		t.Fatalf("fields: %+v", p)
	}
	body := `{"name":"api.test.","kind":"Native","nameservers":["ns1.api.test."]}`
	for _, tc := range []struct {
		key  string
		want int
	}{{"wrong-key", http.StatusUnauthorized}, {p.APIKey, http.StatusCreated}} {
		req, err := http.NewRequest(http.MethodPost, p.APIURL+"/api/v1/servers/localhost/zones", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-API-Key", tc.key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Fatalf("create zone: %s %s, want %d", resp.Status, b, tc.want)
		}
	}
	r := query(t, p.Addr, "udp", "api.test.", dns.TypeSOA)
	if r.Rcode != dns.RcodeSuccess || !r.Authoritative || len(r.Answer) != 1 {
		t.Errorf("SOA of the API zone: %v", r)
	}
	p.Pdnsutil(t, "set-meta", "api.test.", "TSIG-ALLOW-AXFR", testKey.Name)
	if out := p.Pdnsutil(t, "get-meta", "api.test.", "TSIG-ALLOW-AXFR"); !strings.Contains(out, "transfer-key") {
		t.Errorf("get-meta: %q", out)
	}
}

func TestReload(t *testing.T) {
	for _, st := range starters {
		t.Run(st.kind, func(t *testing.T) {
			t.Parallel()
			z := testZone()
			s := st.start(t, Options{Zones: []Zone{z}, TSIG: testKey})
			for i, serial := range []string{"2024010102", "2024010103"} {
				z2 := z
				z2.Text = strings.Replace(z.Text, "2024010101", serial, 1)
				z2.Text = strings.Replace(z2.Text, "192.0.2.10", fmt.Sprintf("192.0.2.%d", 20+i), 1)
				z2.Text += "new IN TXT \"reloaded\"\nsel._domainkey IN TXT \"v=DKIM1; p=\"\n"
				s.Reload(t, z2)
				// The empty non-terminal the reload made answers NODATA on
				// every server (PowerDNS only after a rectify).
				if r := query(t, s.Addr, "udp", "_domainkey.example.com.", dns.TypeTXT); r.Rcode != dns.RcodeSuccess || len(r.Answer) != 0 {
					t.Errorf("reload %d: empty non-terminal: %s, %d answers", i, dns.RcodeToString[r.Rcode], len(r.Answer))
				}
				r := query(t, s.Addr, "udp", "www.example.com.", dns.TypeA)
				if len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != fmt.Sprintf("192.0.2.%d", 20+i) {
					t.Errorf("reload %d: www: %v", i, r.Answer)
				}
				r = query(t, s.Addr, "tcp", "new.example.com.", dns.TypeTXT)
				if len(r.Answer) != 1 {
					t.Errorf("reload %d: new: %v", i, r.Answer)
				}
			}
			if rrs, err := axfr(s.Addr, testKey); err != nil || len(rrs) < 8 {
				t.Errorf("signed AXFR after reload: %d records, %v", len(rrs), err)
			}
			if rrs, err := axfr(s.Addr, nil); err == nil && len(rrs) > 0 {
				t.Errorf("unsigned AXFR allowed after reload")
			}
		})
	}
}

// BenchmarkStart measures start-until-ready plus stop, per server kind.
func BenchmarkStart(b *testing.B) {
	for _, st := range starters {
		b.Run(st.kind, func(b *testing.B) {
			for range b.N {
				s := st.start(b, Options{Zones: []Zone{testZone()}, TSIG: testKey, AllowUpdate: true})
				s.Stop()
			}
		})
	}
	b.Run("unbound", func(b *testing.B) {
		for range b.N {
			Unbound(b, UnboundOptions{Stubs: map[string][]string{"test.": {"127.53.255.254"}}}).Stop()
		}
	})
}

// TestServeOddTestName: a server's files live under the test's temporary
// folder, whose path holds the test's name; Knot reads a zone file's path
// as a format ('%s' the zone, '%%' a percent sign), so a name with '%' in
// it (a row named after an SPF macro, "include of %{d}") made Knot look
// for another file and the server never served.
func TestServeOddTestName(t *testing.T) {
	for _, st := range starters {
		t.Run(st.kind+" %{d} %s 100%", func(t *testing.T) {
			s := st.start(t, Options{Zones: []Zone{testZone()}})
			if r := query(t, s.Addr, "udp", "example.com.", dns.TypeSOA); r.Rcode != dns.RcodeSuccess || len(r.Answer) != 1 {
				t.Errorf("SOA: rcode %s, %d answers", dns.RcodeToString[r.Rcode], len(r.Answer))
			}
		})
	}
}
