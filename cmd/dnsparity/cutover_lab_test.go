package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/lab"
	prog "github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/progress/progresstest"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// The proof of issue 8: a parent zone test. on BIND, example.test. on
// PowerDNS (old) and Knot (new), each on port 53 of its own address with
// glue in the parent, two Unbound resolvers following the delegation, a
// parent NS TTL of a few seconds.

const (
	coOrigin   = "example.test."
	coNSTTL    = 4 // the parent's NS TTL
	coHighTTL  = 6 // the zone's TTLs before pre-staging
	coPrestage = 2 // policy.prestage_ttl, and the zone's TTLs after
)

var coKey = &lab.TSIGKey{Name: "cutover-key.", Algorithm: "hmac-sha256", Secret: "Y3V0b3Zlci1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}

// childZone is example.test. as one side serves it: the SOA MNAME and the
// apex NS name the side's own server (they legitimately differ between
// providers and tell them apart); everything else is the zone in git.
func childZone(side string, ttl int, serial uint32, oldIP, newIP, wwwIP string) string {
	return fmt.Sprintf(`$ORIGIN example.test.
$TTL %[1]d
@        IN SOA ns1.%[2]s.example.test. hostmaster.example.test. ( %[3]d 60 60 3600 %[1]d )
@        IN NS   ns1.%[2]s.example.test.
ns1.old  IN A    %[4]s
ns1.new  IN A    %[5]s
www      IN A    %[6]s
www      IN AAAA 2001:db8::10
@        IN MX   10 mail.example.test.
mail     IN A    192.0.2.25
@        IN TXT  "v=spf1 ip4:192.0.2.0/24 -all"
alias    IN CNAME www.example.test.
_sip._tcp IN SRV 10 5 5060 sip.example.test.
sip      IN A    192.0.2.30
@        IN CAA  0 issue "letsencrypt.org"
*.wild   IN A    192.0.2.40
sel._domainkey IN TXT "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDNrFv4QmUVN0IvhaPVdOio9qvZtMR1ut6cpFAJTfL4FSHpJYAmn/ez0u" "toey6o1fdm/XQhtdvf08PX/ZrxWiWdzrzT9bZ62klVmrArbVj8YJngpChyitAS8ShNLZ+2FaxbOXpza/F7cms12mHTNVIct7D+Wmv3/SSMlITKqHUmjQIDAQAB"
_dmarc   IN TXT  "v=DMARC1; p=reject; rua=mailto:dmarc@example.test"
`, ttl, side, serial, oldIP, newIP, wwwIP)
}

func parentZone(parentIP, oldIP string) string {
	return fmt.Sprintf(`$ORIGIN test.
$TTL %[1]d
@        IN SOA ns.test. hostmaster.test. ( 1 60 60 3600 %[1]d )
@        IN NS  ns.test.
ns       IN A   %[2]s
example  IN NS  ns1.old.example.test.
ns1.old.example IN A %[3]s
`, coNSTTL, parentIP, oldIP)
}

type coLab struct {
	dir, cfgPath, zonePath string
	env                    map[string]string
	parent, new, lame      *lab.Server
	old                    *lab.PowerDNS
	resolvers              []*lab.Server
	oldIP, newIP, parentIP string
	serial                 uint32
	ttl                    int
	overlap                string
	// apexNS, when set, is the apex NS both git and the old side serve
	// (the old provider pointed at the new server before finish).
	apexNS string
	// secondary, when set, is the IPv6 address of the old provider's
	// second server ns2.old.example.test. (its IPv4 address is the old
	// server's): git and the old side list it in the apex NS, and every
	// side serves its A and AAAA, as the zone's data.
	secondary string
	// extra, when set, is more of the zone's data, in git and on both
	// sides.
	extra string
	// progress, when set, is where the steps run shows their progress
	// (app.progress).
	progress prog.Progress
}

func newCoLab(t *testing.T) *coLab {
	t.Helper()
	return startCoLab(t, baseCoLab(t))
}

// startCoLab starts the sides and resolvers of l (baseCoLab, its fields
// set as a test wants them) and writes its git copy and config.
func startCoLab(t *testing.T, l *coLab) *coLab {
	t.Helper()
	l.startOld(t, "192.0.2.10")
	l.new = lab.Knot(t, lab.Options{IP: l.newIP, TSIG: coKey, AllowUpdate: true, Zones: []lab.Zone{l.side("new", "192.0.2.10")}})
	for i := 0; i < 2; i++ {
		l.resolvers = append(l.resolvers, lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {l.parentIP}}}))
	}
	l.zonePath = filepath.Join(l.dir, "example.test.zone")
	l.writeGit(t)
	l.cfgPath = filepath.Join(l.dir, "dnsparity.yaml")
	l.writeConfig(t, l.cfgPath, nil)
	return l
}

// baseCoLab is the lab before its sides start: the addresses and the
// parent zone.
func baseCoLab(t *testing.T) *coLab {
	t.Helper()
	lab.Require(t, "named", "knotd", "pdns_server", "unbound")
	l := &coLab{dir: t.TempDir(), serial: 2026112701, ttl: coHighTTL, overlap: "1h"}
	l.parentIP, l.oldIP, l.newIP = lab.Addr(t), lab.Addr(t), lab.Addr(t)
	l.parent = lab.BIND(t, lab.Options{IP: l.parentIP, TSIG: coKey, AllowUpdate: true,
		Zones: []lab.Zone{{Origin: "test.", Text: parentZone(l.parentIP, l.oldIP)}}})
	return l
}

func (l *coLab) side(name, wwwIP string) lab.Zone {
	return lab.Zone{Origin: coOrigin, Text: l.withApex(childZone(name, l.ttl, l.serial, l.oldIP, l.newIP, wwwIP), name)}
}

// withApex makes the old side's apex NS l.apexNS, when set, and adds the
// old provider's second server when l.secondary is set.
func (l *coLab) withApex(text, side string) string {
	text += l.extra
	if l.secondary != "" {
		text += fmt.Sprintf("ns2.old  IN A    %s\nns2.old  IN AAAA %s\n", l.oldIP, l.secondary)
		if side == "old" {
			text = strings.Replace(text, "IN NS   ns1.old.example.test.\n", "IN NS   ns1.old.example.test.\n@        IN NS   ns2.old.example.test.\n", 1)
		}
	}
	if l.apexNS == "" || side != "old" {
		return text
	}
	return strings.Replace(text, "IN NS   ns1.old.example.test.", "IN NS   "+l.apexNS, 1)
}

func (l *coLab) startOld(t *testing.T, wwwIP string) {
	t.Helper()
	l.old = lab.PDNS(t, lab.Options{IP: l.oldIP, TSIG: coKey, Zones: []lab.Zone{l.side("old", wwwIP)}})
	if l.env == nil {
		l.env = map[string]string{"OLD_TSIG": coKey.Secret, "NEW_TSIG": coKey.Secret, "PARENT_TSIG": coKey.Secret, "GITHUB_ACTOR": "tester"}
	}
	l.env["OLD_PDNS_KEY"] = l.old.APIKey
}

// reloadOld reloads the old side (lab.Reload rectifies a PowerDNS zone, so
// empty non-terminals keep answering NODATA).
func (l *coLab) reloadOld(t *testing.T, wwwIP string) {
	t.Helper()
	l.old.Reload(t, l.side("old", wwwIP))
}

// writeGit writes the zone file as git has it (the old side's apex).
func (l *coLab) writeGit(t *testing.T) {
	t.Helper()
	if err := os.WriteFile(l.zonePath, []byte(l.withApex(childZone("old", l.ttl, l.serial, l.oldIP, l.newIP, "192.0.2.10"), "old")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (l *coLab) writeConfig(t *testing.T, path string, extraNew []string) {
	t.Helper()
	newNS := append([]string{l.newIP}, extraNew...)
	var rs []string
	for _, r := range l.resolvers {
		rs = append(rs, r.Addr)
	}
	cfg := fmt.Sprintf(`zones:
  - name: example.test.
    file: example.test.zone
providers:
  old:
    type: powerdns
    url: %s
    server_id: localhost
    api_key_env: OLD_PDNS_KEY
    tsig: {name: %s, algorithm: hmac-sha256, secret_env: OLD_TSIG}  # transfers (parity.axfr) are signed
    nameservers: [%s]
    delegation: [ns1.old.example.test.]
  new:
    type: rfc2136
    server: %s:53
    tsig: {name: %s, algorithm: hmac-sha256, secret_env: NEW_TSIG}
    nameservers: [%s]
    delegation: [ns1.new.example.test.]
  parent:
    type: rfc2136
    server: %s:53
    tsig: {name: %s, algorithm: hmac-sha256, secret_env: PARENT_TSIG}
registrar:
  type: parent
  zone: test.
  provider: parent
policy:
  prestage_ttl: %d
  overlap: %s
  delegation: {min_ns: 1, accept: [ns-diversity]}  # one server a side, all on 127.53.0.0/24
parity:
  timeout: 2s
  retries: 2
cutover:
  resolvers: [%s]
  parent_servers: [%s:53]
  state_dir: state
  watch: 30s
`, l.old.APIURL, coKey.Name, l.oldIP, l.newIP, coKey.Name, strings.Join(newNS, ", "), l.parentIP, coKey.Name,
		coPrestage, l.overlap, strings.Join(rs, ", "), l.parentIP)
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
}

// run runs a cutover command in-process with --format json and decodes
// the report; the raw JSON is checked against the contract's keys.
func (l *coLab) run(t *testing.T, cfg string, args ...string) (int, *cutover.Report, string) {
	t.Helper()
	var out, errs bytes.Buffer
	a := &app{stdout: &out, stderr: &errs, getenv: func(k string) string { return l.env[k] }, progress: l.progress}
	full := append(append([]string{}, args...), "--zone", "example.test", "--config", cfg, "--format", "json")
	code := a.main(context.Background(), full)
	var rep cutover.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v: exit %d, no JSON report: %v\nstdout: %s\nstderr: %s", args, code, err, out.String(), errs.String())
	}
	checkContract(t, out.Bytes())
	return code, &rep, errs.String()
}

// checkContract checks the JSON keys docs/ARCHITECTURE.md promises.
func checkContract(t *testing.T, b []byte) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"zone", "stage", "delegation", "gates", "actions", "next"} {
		if _, ok := m[k]; !ok {
			t.Errorf("report lacks %q: %s", k, b)
		}
	}
	d, _ := m["delegation"].(map[string]any)
	for _, k := range []string{"ns", "ns_ttl", "ds", "ds_ttl", "points_to"} {
		if _, ok := d[k]; !ok {
			t.Errorf("delegation lacks %q", k)
		}
	}
	gs, _ := m["gates"].([]any)
	for _, g := range gs {
		gm := g.(map[string]any)
		for _, k := range []string{"name", "ok", "detail"} {
			if _, ok := gm[k]; !ok {
				t.Errorf("gate lacks %q: %v", k, gm)
			}
		}
	}
	ns, _ := m["next"].([]any)
	for _, n := range ns {
		nm := n.(map[string]any)
		for _, k := range []string{"step", "earliest"} {
			if _, ok := nm[k]; !ok {
				t.Errorf("next lacks %q: %v", k, nm)
			}
		}
	}
}

func gateOf(rep *cutover.Report, name string) *cutover.Gate {
	for i := range rep.Gates {
		if rep.Gates[i].Name == name {
			return &rep.Gates[i]
		}
	}
	return nil
}

// wantRefused checks exit 1, the named gates unmet, and the parent zone
// untouched.
func (l *coLab) wantRefused(t *testing.T, what string, code int, rep *cutover.Report, stderr string, before string, gates ...string) {
	t.Helper()
	if code != exitProblem || rep.Result != cutover.ResultRefused {
		t.Fatalf("%s: exit %d result %s, want 1 refused\n%+v\n%s", what, code, rep.Result, rep.Gates, stderr)
	}
	for _, g := range gates {
		if x := gateOf(rep, g); x == nil || x.OK {
			t.Errorf("%s: gate %s should be unmet: %+v", what, g, rep.Gates)
		}
	}
	if after := l.parentText(t); after != before {
		t.Errorf("%s: the parent zone changed on a refusal:\n%s\n---\n%s", what, before, after)
	}
}

// parentText is the parent zone as BIND serves it (AXFR), sorted.
func (l *coLab) parentText(t *testing.T) string {
	t.Helper()
	rrs := lab.AXFR(t, l.parent.Addr, "test.", coKey)
	var lines []string
	for _, rr := range rrs[1:] { // the closing SOA repeats the first
		lines = append(lines, rr.String())
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func (l *coLab) parentNS(t *testing.T) string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(coOrigin, dns.TypeNS)
	m.RecursionDesired = false
	r, err := dns.Exchange(m, l.parent.Addr)
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, rr := range r.Ns {
		if n, ok := rr.(*dns.NS); ok {
			ns = append(ns, n.Ns)
		}
	}
	return strings.Join(ns, " ")
}

// pdnsQueries is PowerDNS's own count of the UDP queries it received.
func (l *coLab) pdnsQueries(t *testing.T) int64 {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, l.old.APIURL+"/api/v1/servers/localhost/statistics?statistic=udp-queries", nil)
	req.Header.Set("X-API-Key", l.old.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var stats []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	if err := json.Unmarshal(b, &stats); err != nil || len(stats) == 0 {
		t.Fatalf("pdns statistics: %v %s", err, b)
	}
	var n int64
	fmt.Sscan(stats[0].Value, &n)
	return n
}

// freshQueries asks n never-cached names through each resolver and says
// which provider's SOA each negative answer carries.
func (l *coLab) freshQueries(t *testing.T, n int) map[string]int {
	t.Helper()
	seen := map[string]int{}
	c := &dns.Client{Timeout: 5 * time.Second}
	for _, r := range l.resolvers {
		for i := 0; i < n; i++ {
			m := new(dns.Msg)
			m.SetQuestion(fmt.Sprintf("fresh-%d-%d.%s", time.Now().UnixNano(), i, coOrigin), dns.TypeA)
			resp, _, err := c.Exchange(m, r.Addr)
			if err != nil {
				seen["error"]++
				continue
			}
			side := "unknown"
			for _, rr := range resp.Ns {
				if soa, ok := rr.(*dns.SOA); ok {
					side = strings.TrimSuffix(strings.TrimPrefix(soa.Ns, "ns1."), ".example.test.")
				}
			}
			seen[side]++
		}
	}
	return seen
}

// clients ask every name and type of the zone through both resolvers,
// continuously, and record every answer that differs from the zone file.
type clients struct {
	answers    atomic.Int64
	timeouts   atomic.Int64 // no answer at all within the client's timeout
	mu         sync.Mutex
	mismatches []string
	sides      map[string]int // apex SOA MNAME seen
	stop       chan struct{}
	wg         sync.WaitGroup
}

type question struct {
	name  string
	qtype uint16
}

func startClients(t *testing.T, l *coLab) *clients {
	t.Helper()
	git, err := zone.Load(l.zonePath, zone.Options{Origin: coOrigin})
	if err != nil {
		t.Fatal(err)
	}
	var qs []question
	for _, s := range git.Sets {
		qs = append(qs, question{s.Name, s.Type})
	}
	qs = append(qs, question{"alias." + coOrigin, dns.TypeA}, question{"nothing-here." + coOrigin, dns.TypeA},
		question{"anything.wild." + coOrigin, dns.TypeA})
	c := &clients{stop: make(chan struct{}), sides: map[string]int{}}
	for _, r := range l.resolvers {
		c.wg.Add(1)
		go func(addr string) {
			defer c.wg.Done()
			cl := &dns.Client{Timeout: 2 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-c.stop:
					return
				default:
				}
				q := qs[i%len(qs)]
				m := new(dns.Msg)
				m.SetQuestion(q.name, q.qtype)
				resp, _, err := cl.Exchange(m, addr)
				if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
					c.timeouts.Add(1) // not an answer; counted below
					continue
				}
				c.answers.Add(1)
				if why := c.check(git, q, resp, err); why != "" {
					c.mu.Lock()
					c.mismatches = append(c.mismatches, fmt.Sprintf("%s via %s: %s", dns.TypeToString[q.qtype], addr, why))
					c.mu.Unlock()
				}
				time.Sleep(5 * time.Millisecond)
			}
		}(r.Addr)
	}
	return c
}

func (c *clients) finish(t *testing.T) {
	t.Helper()
	close(c.stop)
	c.wg.Wait()
	t.Logf("clients: %d answers through %d resolvers, %d differ from the zone file, %d queries unanswered (timeouts); apex SOA MNAMEs seen: %v", c.answers.Load(), 2, len(c.mismatches), c.timeouts.Load(), c.sides)
	if c.timeouts.Load()*20 > c.answers.Load() {
		t.Errorf("%d of %d queries got no answer: the resolvers lost their way", c.timeouts.Load(), c.answers.Load()+c.timeouts.Load())
	}
	if len(c.mismatches) > 0 {
		t.Errorf("%d answers differ from the zone file, e.g. %s", len(c.mismatches), strings.Join(c.mismatches[:min(5, len(c.mismatches))], "; "))
	}
}

// check compares one resolver answer with the zone file: the same records
// (TTLs aside), the CNAME chain followed, NXDOMAIN for a name the zone
// lacks; the apex SOA and NS may be either provider's own.
func (c *clients) check(git *zone.Zone, q question, r *dns.Msg, err error) string {
	name := q.name
	if err != nil {
		return name + ": " + err.Error()
	}
	if strings.HasPrefix(name, "nothing-here.") {
		if r.Rcode != dns.RcodeNameError {
			return name + ": rcode " + dns.RcodeToString[r.Rcode] + ", want NXDOMAIN"
		}
		return ""
	}
	if r.Rcode != dns.RcodeSuccess {
		return name + ": rcode " + dns.RcodeToString[r.Rcode]
	}
	if name == coOrigin && (q.qtype == dns.TypeSOA || q.qtype == dns.TypeNS) {
		for _, rr := range r.Answer {
			var target string
			switch v := rr.(type) {
			case *dns.SOA:
				target = v.Ns
			case *dns.NS:
				target = v.Ns
			}
			if target != "ns1.old.example.test." && target != "ns1.new.example.test." {
				return name + ": apex " + rr.String() + " is neither provider's"
			}
			if q.qtype == dns.TypeSOA {
				c.mu.Lock()
				c.sides[target]++
				c.mu.Unlock()
			}
		}
		if len(r.Answer) == 0 {
			return name + ": empty apex answer"
		}
		return ""
	}
	want := map[string]bool{}
	for n, t := name, q.qtype; ; {
		s := git.Get(n, t)
		if s == nil && git.Get(n, dns.TypeCNAME) == nil {
			// a wildcard answers with the question's name
			if w := git.Get("*."+strings.SplitN(n, ".", 2)[1], t); w != nil {
				for _, r := range w.Records {
					want[n+" "+dns.TypeToString[t]+" "+r.Rdata] = true
				}
				break
			}
		}
		if s == nil {
			cn := git.Get(n, dns.TypeCNAME)
			if cn == nil {
				return name + ": the test asks for something git lacks"
			}
			for _, r := range cn.Records {
				want[n+" CNAME "+r.Rdata] = true
			}
			n = cn.RRs()[0].(*dns.CNAME).Target
			continue
		}
		for _, r := range s.Records {
			want[n+" "+dns.TypeToString[t]+" "+r.Rdata] = true
		}
		break
	}
	got := map[string]bool{}
	for _, rr := range r.Answer {
		rd, err := zone.CanonicalRdata(rr)
		if err != nil {
			return err.Error()
		}
		got[zone.Fold(rr.Header().Name)+" "+dns.TypeToString[rr.Header().Rrtype]+" "+rd] = true
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%s: %d records, want %d", name, len(got), len(want))
	}
	for k := range want {
		if !got[k] {
			return fmt.Sprintf("%s: lacks %q", name, k)
		}
	}
	return ""
}

func TestCutoverLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	before := l.parentText(t)
	t.Logf("parent %s, old (PowerDNS) %s, new (Knot) %s, resolvers %s %s", l.parent.Addr, l.old.Addr, l.new.Addr, l.resolvers[0].Addr, l.resolvers[1].Addr)

	// status before anything: delegation to old, not started.
	code, rep, stderr := l.run(t, cfg, "status")
	if code != exitOK || rep.Delegation.PointsTo != "old" || rep.Stage != cutover.StageNotStarted || rep.Delegation.NSTTL != coNSTTL {
		t.Fatalf("status: exit %d points_to %s stage %s ns_ttl %d errors %v\n%s", code, rep.Delegation.PointsTo, rep.Stage, rep.Delegation.NSTTL, rep.Errors, stderr)
	}
	if g := gateOf(rep, cutover.GateTTLPrestaged); g == nil || g.OK {
		t.Errorf("status: ttl-prestaged should fail with TTL %d: %+v", coHighTTL, g)
	}
	if len(rep.Resolvers) != 2 || rep.Resolvers[0].Provider != "old" {
		t.Errorf("status: resolvers %+v, want both on old", rep.Resolvers)
	}

	// Refused: TTLs not pre-staged.
	code, rep, stderr = l.run(t, cfg, "flip")
	l.wantRefused(t, "flip with TTLs above the cap", code, rep, stderr, before, cutover.GateTTLPrestaged, cutover.GateTTLExpired)

	// Pre-stage: both providers and git at TTL 2.
	l.ttl, l.serial = coPrestage, l.serial+1
	l.writeGit(t)
	l.reloadOld(t, "192.0.2.10")
	l.new.Reload(t, l.side("new", "192.0.2.10"))
	lowered := time.Now()

	// Refused: TTLs pre-staged but the old ones not yet expired.
	code, rep, stderr = l.run(t, cfg, "flip")
	l.wantRefused(t, "flip before the old TTLs expired", code, rep, stderr, before, cutover.GateTTLExpired)
	if g := gateOf(rep, cutover.GateTTLPrestaged); g == nil || !g.OK {
		t.Errorf("ttl-prestaged should pass now: %+v", g)
	}
	if len(rep.Next) == 0 || rep.Next[0].Step != "flip" || rep.Next[0].Earliest.Before(lowered.Add(coHighTTL*time.Second-time.Second)) {
		t.Errorf("next flip %+v, want not before %s + %d s", rep.Next, lowered.UTC().Format(time.RFC3339), coHighTTL)
	}
	earlyNext := rep.Next

	// Refused: a parity mismatch (new serves another www address).
	l.serial++
	l.new.Reload(t, l.side("new", "192.0.2.99"))
	code, rep, stderr = l.run(t, cfg, "flip")
	l.wantRefused(t, "flip with a parity mismatch", code, rep, stderr, before, cutover.GateParity, cutover.GateDrift)
	l.serial++
	l.new.Reload(t, l.side("new", "192.0.2.10"))

	// Refused: a lame new nameserver (a Knot that does not serve the zone).
	l.lame = lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "other.test.", Text: "$TTL 60\n@ SOA ns.other.test. h.other.test. 1 60 60 60 60\n@ NS ns.other.test.\nns A 192.0.2.1\n"}}})
	lameCfg := filepath.Join(l.dir, "lame.yaml")
	l.writeConfig(t, lameCfg, []string{l.lame.IP})
	code, rep, stderr = l.run(t, lameCfg, "flip")
	l.wantRefused(t, "flip with a lame new nameserver", code, rep, stderr, before, cutover.GateNewAuthoritative)

	// Wait out the old TTL, then a dry run: every gate passes, nothing
	// changes. The trail dates the lowered TTLs when a step saw them
	// (the refused flip above, a few seconds after the reloads when its
	// gates ask slow resolvers first): wait for the earliest flip it
	// named.
	wait := lowered.Add(coHighTTL * time.Second)
	if len(earlyNext) > 0 && earlyNext[0].Earliest.After(wait) {
		wait = earlyNext[0].Earliest
	}
	time.Sleep(time.Until(wait.Add(500 * time.Millisecond)))
	code, rep, stderr = l.run(t, cfg, "flip", "--dry-run")
	if code != exitOK || rep.Result != cutover.ResultDryRun || rep.Change == nil || strings.Join(rep.Change.After.NS, " ") != "ns1.new.example.test." {
		t.Fatalf("flip --dry-run: exit %d %s change %+v gates %+v errors %v\n%s", code, rep.Result, rep.Change, rep.Gates, rep.Errors, stderr)
	}
	if got := rep.Change.After.Glue["ns1.new.example.test."]; len(got) != 1 || got[0] != l.newIP {
		t.Errorf("dry run glue %v, want %s", rep.Change.After.Glue, l.newIP)
	}
	if l.parentText(t) != before {
		t.Fatal("a dry run changed the parent")
	}

	// The flip, with clients asking through both resolvers throughout.
	cl := startClients(t, l)
	time.Sleep(time.Second)
	code, rep, stderr = l.run(t, cfg, "flip")
	if code != exitOK || rep.Result != cutover.ResultDone || rep.Delegation.PointsTo != "new" {
		cl.finish(t)
		t.Fatalf("flip: exit %d %s points_to %s gates %+v errors %v\n%s", code, rep.Result, rep.Delegation.PointsTo, rep.Gates, rep.Errors, stderr)
	}
	if got := l.parentNS(t); got != "ns1.new.example.test." {
		t.Errorf("parent NS after the flip: %q", got)
	}
	if !strings.Contains(l.parentText(t), "ns1.new.example.test.\t"+fmt.Sprint(coNSTTL)+"\tIN\tA\t"+l.newIP) || strings.Contains(l.parentText(t), "ns1.old.example.test.\t") {
		t.Errorf("parent glue after the flip:\n%s", l.parentText(t))
	}
	w := rep.Watch
	if w == nil || !w.AllMoved {
		t.Errorf("watch: %+v", w)
	} else {
		t.Logf("FLIP: registrar change to the last resolver answering from new: %.1f s (parent NS TTL %d s; goal <= %d s: %v)", w.Seconds, w.NSTTL, w.NSTTL+1, w.Seconds <= float64(w.NSTTL+1))
	}
	changed := rep.Change.At
	time.Sleep(time.Until(changed.Add(coNSTTL*time.Second + coPrestage*time.Second + time.Second)))
	q0 := l.pdnsQueries(t)
	fresh := l.freshQueries(t, 20)
	q1 := l.pdnsQueries(t)
	cl.finish(t)
	t.Logf("after the NS TTL: %d fresh names through the resolvers, PowerDNS (old) received %d queries; answers from %v", 40, q1-q0, fresh)
	if q1 != q0 || fresh["old"] != 0 || fresh["new"] < 30 {
		t.Errorf("after the NS TTL the old provider got %d queries, answers came from %v (want 0 queries and no answer from old)", q1-q0, fresh)
	}

	// status agrees with the trail; finish is refused before the overlap.
	code, rep, stderr = l.run(t, cfg, "status")
	if code != exitOK || rep.Stage != cutover.StageFlipped || rep.Delegation.PointsTo != "new" || len(rep.Errors) > 0 {
		t.Errorf("status after the flip: exit %d stage %s points_to %s errors %v\n%s", code, rep.Stage, rep.Delegation.PointsTo, rep.Errors, stderr)
	}
	for _, r := range rep.Resolvers {
		if r.Provider != "new" {
			t.Errorf("status: resolver %s answers from %s", r.Resolver, r.Provider)
		}
	}
	code, rep, stderr = l.run(t, cfg, "finish")
	if code != exitProblem || gateOf(rep, cutover.GateOverlap) == nil || gateOf(rep, cutover.GateOverlap).OK {
		t.Errorf("finish before the overlap: exit %d gates %+v\n%s", code, rep.Gates, stderr)
	}
	if got := l.parentNS(t); got != "ns1.new.example.test." {
		t.Errorf("parent NS after a refused finish: %q", got)
	}

	// Rollback, with the same assertions in reverse.
	cl = startClients(t, l)
	time.Sleep(time.Second)
	q0 = l.pdnsQueries(t)
	code, rep, stderr = l.run(t, cfg, "rollback")
	if code != exitOK || rep.Result != cutover.ResultDone || rep.Delegation.PointsTo != "old" {
		cl.finish(t)
		t.Fatalf("rollback: exit %d %s gates %+v errors %v\n%s", code, rep.Result, rep.Gates, rep.Errors, stderr)
	}
	if rep.Watch == nil || !rep.Watch.AllMoved {
		t.Errorf("rollback watch: %+v", rep.Watch)
	} else {
		t.Logf("ROLLBACK: registrar change to the last resolver answering from old: %.1f s (parent NS TTL %d s; goal <= %d s: %v)", rep.Watch.Seconds, rep.Watch.NSTTL, rep.Watch.NSTTL+1, rep.Watch.Seconds <= float64(rep.Watch.NSTTL+1))
	}
	time.Sleep(time.Until(rep.Change.At.Add(coNSTTL*time.Second + coPrestage*time.Second + time.Second)))
	q1 = l.pdnsQueries(t)
	fresh = l.freshQueries(t, 20)
	q2 := l.pdnsQueries(t)
	cl.finish(t)
	t.Logf("PowerDNS (old) received %d queries during the rollback; after the NS TTL %d for 40 fresh names, answers from %v", q1-q0, q2-q1, fresh)
	if fresh["new"] != 0 || fresh["old"] < 30 || q2-q1 < int64(fresh["old"]) {
		t.Errorf("after the rollback the old provider got %d queries for 40 fresh names; answers from %v (want all, or nearly, from old)", q2-q1, fresh)
	}
	if got := l.parentNS(t); got != "ns1.old.example.test." {
		t.Errorf("parent NS after the rollback: %q", got)
	}
	code, rep, _ = l.run(t, cfg, "finish")
	if code != exitProblem || !strings.Contains(gateOf(rep, cutover.GateOverlap).Detail, "rollback") {
		t.Errorf("finish after a rollback: exit %d %+v", code, rep.Gates)
	}

	// Emergency: the old provider is down.
	l.old.Stop()
	before = l.parentText(t)
	code, rep, stderr = l.run(t, cfg, "flip")
	if code != exitError || gateOf(rep, cutover.GateParity).OK || l.parentText(t) != before {
		t.Errorf("planned flip with the old side down: exit %d (want 2: the old provider cannot be listed), gates %+v\n%s", code, rep.Gates, stderr)
	}
	if plan := strings.Join(gateOf(rep, cutover.GateParity).Plan, " "); !strings.Contains(plan, "flip --emergency") {
		t.Errorf("planned flip with the old side down: the plan does not point to --emergency: %q", plan)
	}
	l.serial++
	l.new.Reload(t, l.side("new", "192.0.2.99"))
	code, rep, stderr = l.run(t, cfg, "flip", "--emergency")
	l.wantRefused(t, "emergency flip when new does not serve git", code, rep, stderr, before, cutover.GateNewMatchesGit)
	if g := gateOf(rep, cutover.GateOldDown); g == nil || !g.OK {
		t.Errorf("old-down should pass: %+v", g)
	}
	l.serial++
	l.new.Reload(t, l.side("new", "192.0.2.10"))
	code, rep, stderr = l.run(t, cfg, "flip", "--emergency")
	if code != exitOK || rep.Result != cutover.ResultDone || !rep.Emergency || rep.Delegation.PointsTo != "new" {
		t.Fatalf("emergency flip: exit %d %s gates %+v errors %v\n%s", code, rep.Result, rep.Gates, rep.Errors, stderr)
	}
	if rep.Watch != nil && rep.Watch.AllMoved {
		t.Logf("EMERGENCY FLIP: last resolver on new after %.1f s (NS TTL %d s)", rep.Watch.Seconds, rep.Watch.NSTTL)
	}
	var text bytes.Buffer
	a := &app{stdout: &text, stderr: io.Discard, getenv: func(k string) string { return l.env[k] }}
	a.main(context.Background(), []string{"status", "--zone", coOrigin, "--config", cfg})
	t.Logf("status after the emergency flip, as text:\n%s", text.String())
	if !strings.Contains(text.String(), "stage: flipped") || !strings.Contains(text.String(), "points to new") {
		t.Errorf("status text after the emergency flip:\n%s", text.String())
	}
	// The delegation has moved: status no longer suggests the failover
	// (the old side is still down, so parity is still unproven).
	if strings.Contains(text.String(), "--emergency") {
		t.Errorf("status after the emergency flip still suggests it:\n%s", text.String())
	}

	// Rollback refused while the old side is down, and while it is back
	// without what the new side served.
	before = l.parentText(t)
	code, rep, stderr = l.run(t, cfg, "rollback")
	l.wantRefused(t, "rollback with the old side down", code, rep, stderr, before, cutover.GateOldParity)
	if plan := strings.Join(gateOf(rep, cutover.GateOldParity).Plan, " "); strings.Contains(plan, "--emergency") {
		t.Errorf("rollback with the old side down suggests a flip --emergency: %q", plan)
	}
	l.startOld(t, "192.0.2.77")
	code, rep, stderr = l.run(t, cfg, "rollback")
	l.wantRefused(t, "rollback with the old side back but different", code, rep, stderr, before, cutover.GateOldParity)
	if g := gateOf(rep, cutover.GateOldParity); g != nil && !strings.Contains(g.Detail, "www.example.test.") {
		t.Errorf("old-parity should name the changed record: %s", g.Detail)
	}
	l.serial++
	l.reloadOld(t, "192.0.2.10")
	code, rep, stderr = l.run(t, cfg, "rollback")
	if code != exitOK || rep.Delegation.PointsTo != "old" {
		t.Fatalf("rollback after the outage: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}

	// Flip again, and finish after a (short) overlap.
	code, rep, stderr = l.run(t, cfg, "flip", "--watch", "1s")
	if code != exitOK {
		t.Fatalf("second flip: exit %d %+v %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	l.overlap = "2s"
	l.writeConfig(t, cfg, nil)
	time.Sleep(time.Until(rep.Change.At.Add(2*time.Second + 100*time.Millisecond)))
	// finish also waits for the last cached copy of the old delegation.
	time.Sleep(time.Until(rep.Watch.OldDelegationExpires.Add(100 * time.Millisecond)))

	// finish is refused while git's apex NS and the old provider's own
	// apex NS still name the old server (gate old-unreferenced)...
	before = l.parentText(t)
	code, rep, stderr = l.run(t, cfg, "finish")
	l.wantRefused(t, "finish while git and the old side name the old server", code, rep, stderr, before, cutover.GateOldUnreferenced)
	places := map[string]bool{}
	for _, c := range gateOf(rep, cutover.GateOldUnreferenced).Checks {
		if !c.OK {
			places[c.Name+" "+c.Server] = true
		}
	}
	if !places["apex-ns "+l.old.Addr] || !places["git-target example.test.zone:4"] || len(places) != 2 {
		t.Errorf("old-unreferenced places %v, want the old side's apex NS and git's apex NS (example.test.zone:4)", places)
	}
	if strings.Contains(strings.Join(rep.Actions, " "), "safe to decommission") {
		t.Errorf("a refused finish calls the old provider safe to decommission: %v", rep.Actions)
	}
	// ... and passes once git and the old provider name the new server
	// (what push does with providers.old.manage_apex and git's apex NS).
	l.apexNS, l.serial = "ns1.new.example.test.", l.serial+1
	l.writeGit(t)
	l.reloadOld(t, "192.0.2.10")
	// A status run sees the old side's NS set naming the new server; the
	// one naming the old server, served until then, expires its TTL later.
	if code, rep, stderr = l.run(t, cfg, "status"); code != exitOK {
		t.Fatalf("status: exit %d %v\n%s", code, rep.Errors, stderr)
	}
	time.Sleep(time.Duration(l.ttl)*time.Second + 200*time.Millisecond)
	code, rep, stderr = l.run(t, cfg, "finish")
	if code != exitOK || rep.Stage != cutover.StageFinished || !strings.Contains(strings.Join(rep.Actions, " "), "ttl --cap") {
		t.Fatalf("finish: exit %d stage %s gates %+v actions %v\n%s", code, rep.Stage, rep.Gates, rep.Actions, stderr)
	}
	// Nothing comes next, in finish's report or in status after it.
	if len(rep.Next) != 0 {
		t.Errorf("finish's report still has next steps: %+v", rep.Next)
	}
	text.Reset()
	a.main(context.Background(), []string{"status", "--zone", coOrigin, "--config", cfg})
	if !strings.Contains(text.String(), "stage: finished") || strings.Contains(text.String(), "next:") {
		t.Errorf("status after finish:\n%s", text.String())
	}

	// The audit trail holds every step, with the actor.
	tr, err := cutover.ReadTrail(filepath.Join(l.dir, "state", "example.test.json"), coOrigin)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range tr.Entries {
		if e.Actor != "tester" {
			t.Errorf("trail entry by %q", e.Actor)
		}
		if e.Command != "status" {
			steps = append(steps, e.Command+":"+e.Result)
		}
	}
	t.Logf("trail: %s", strings.Join(steps, " "))
	if stage, _ := tr.Stage(); stage != cutover.StageFinished {
		t.Errorf("trail stage %s", stage)
	}
}

// The clients' check can fail: a wrong address, a missing record, a broken
// CNAME chain, an apex SOA of a third party, a SERVFAIL.
func TestClientCheck(t *testing.T) {
	git, err := zone.Parse(strings.NewReader(childZone("old", 2, 1, "127.0.0.1", "127.0.0.2", "192.0.2.10")), "z", coOrigin, "")
	if err != nil {
		t.Fatal(err)
	}
	msg := func(rcode int, rrs ...string) *dns.Msg {
		m := new(dns.Msg)
		m.Rcode, m.Answer = rcode, transfertest.RRs(t, rrs...)
		return m
	}
	c := &clients{sides: map[string]int{}}
	tests := []struct {
		q    question
		r    *dns.Msg
		fail bool
	}{
		{question{"www.example.test.", dns.TypeA}, msg(0, "www.example.test. 2 IN A 192.0.2.10"), false},
		{question{"WWW.example.test.", dns.TypeA}, msg(0, "www.example.test. 2 IN A 192.0.2.10"), false},
		{question{"www.example.test.", dns.TypeA}, msg(0, "www.example.test. 2 IN A 192.0.2.11"), true},
		{question{"www.example.test.", dns.TypeA}, msg(0), true},
		{question{"www.example.test.", dns.TypeA}, msg(dns.RcodeServerFailure), true},
		{question{"alias.example.test.", dns.TypeA}, msg(0, "alias.example.test. 2 IN CNAME www.example.test.", "www.example.test. 2 IN A 192.0.2.10"), false},
		{question{"alias.example.test.", dns.TypeA}, msg(0, "alias.example.test. 2 IN CNAME www.example.test."), true},
		{question{"example.test.", dns.TypeSOA}, msg(0, "example.test. 2 IN SOA ns1.new.example.test. h.example.test. 5 60 60 3600 2"), false},
		{question{"example.test.", dns.TypeSOA}, msg(0, "example.test. 2 IN SOA ns.evil.example. h.example.test. 5 60 60 3600 2"), true},
		{question{"nothing-here.example.test.", dns.TypeA}, msg(dns.RcodeNameError), false},
		{question{"x.wild.example.test.", dns.TypeA}, msg(0, "x.wild.example.test. 2 IN A 192.0.2.40"), false},
		{question{"x.wild.example.test.", dns.TypeA}, msg(0, "x.wild.example.test. 2 IN A 192.0.2.41"), true},
		{question{"nothing-here.example.test.", dns.TypeA}, msg(0, "nothing-here.example.test. 2 IN A 192.0.2.1"), true},
	}
	for _, tt := range tests {
		why := c.check(git, question{zone.Fold(tt.q.name), tt.q.qtype}, tt.r, nil)
		if (why != "") != tt.fail {
			t.Errorf("check(%s %s, %v) = %q, want failure %v", tt.q.name, dns.TypeToString[tt.q.qtype], tt.r.Answer, why, tt.fail)
		}
	}
}

// TestCutoverProgressLab: a step on one zone shows its parity gate's
// answers as a progress task (it ran for seconds with no sign of life on
// a large zone), named after the zone, every answer counted; the step's
// log on stderr says what it did as before.
func TestCutoverProgressLab(t *testing.T) {
	l := newCoLab(t)
	rec := &progresstest.Recorder{}
	l.progress = rec
	code, rep, stderr := l.run(t, l.cfgPath, "status")
	if code != exitOK || gateOf(rep, cutover.GateParity) == nil || !gateOf(rep, cutover.GateParity).OK {
		t.Fatalf("status: exit %d, gates %+v\n%s", code, rep.Gates, stderr)
	}
	tasks := rec.Tasks()
	if len(tasks) != 1 {
		t.Fatalf("progress tasks %+v: want the parity gate's", tasks)
	}
	if tk := tasks[0]; tk.Label != "example.test." || tk.Unit != "answers" || tk.Total == 0 || tk.Last() != tk.Total || tk.Stops != 1 || tk.Failed {
		t.Errorf("progress task %+v: want example.test.'s answers, all counted, stopped once", tk)
	}
	if !strings.Contains(stderr, "example.test.: gate parity: asking old (") || !strings.Contains(stderr, "example.test.: parity: ") {
		t.Errorf("the step's log lacks the parity gate's lines:\n%s", stderr)
	}
}

// TestStatusNeedsNoRegistrarSecret: status reads the delegation from the
// parent's own servers, so it runs without the registrar's key (the key
// that can change the parent zone, kept in the protected environment):
// cutover-watch.yml runs status with read-only credentials after every
// flip. A flip still needs the key, and says so before anything is asked.
func TestStatusNeedsNoRegistrarSecret(t *testing.T) {
	l := newCoLab(t)
	delete(l.env, "PARENT_TSIG")
	code, rep, stderr := l.run(t, l.cfgPath, "status")
	if code != exitOK || rep.Result == cutover.ResultError || strings.Contains(stderr, "PARENT_TSIG") {
		t.Errorf("status without the registrar's secret: exit %d result %s errors %v\n%s", code, rep.Result, rep.Errors, stderr)
	}
	if rep.Delegation.PointsTo != "old" {
		t.Errorf("status: points_to %s, want old", rep.Delegation.PointsTo)
	}
	code, rep, stderr = l.run(t, l.cfgPath, "flip", "--dry-run")
	if code != exitError || !strings.Contains(strings.Join(rep.Errors, "\n"), "PARENT_TSIG is not set") {
		t.Errorf("flip --dry-run without the registrar's secret: exit %d errors %v, want 2 naming PARENT_TSIG\n%s", code, rep.Errors, stderr)
	}
}

// TestCutoverTrailPathRelativeLab: the audit trail a cutover report
// names is, like every file path of a report, relative to the repository
// root (the config's folder), in the JSON and the text: status, flip,
// rollback and finish printed it absolute ("trail":
// "/tmp/.../.dnsparity/cutover/example.test.json"), the runner's
// workspace path in a log, where the README says paths are relative.
func TestCutoverTrailPathRelativeLab(t *testing.T) {
	l := newCoLab(t)
	code, rep, stderr := l.run(t, l.cfgPath, "status")
	if code != exitOK {
		t.Fatalf("status: exit %d\n%s", code, stderr)
	}
	if want := "state/example.test.json"; rep.Trail != want { // the lab's cutover.state_dir: state
		t.Errorf("JSON trail %q, want %q", rep.Trail, want)
	}
	var out, errs bytes.Buffer
	a := &app{stdout: &out, stderr: &errs, getenv: func(k string) string { return l.env[k] }}
	if code := a.main(context.Background(), []string{"status", "--zone", "example.test", "--config", l.cfgPath}); code != exitOK {
		t.Fatalf("status (text): exit %d\n%s", code, errs.String())
	}
	if !strings.Contains(out.String(), "audit trail: state/example.test.json\n") || strings.Contains(out.String(), l.dir) {
		t.Errorf("text report: want the trail relative to the repository root, no %s:\n%s", l.dir, out.String())
	}
}
