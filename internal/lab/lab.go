// Package lab starts real DNS servers (BIND, Knot, PowerDNS, Unbound) on
// distinct loopback addresses for tests and benchmarks.
//
// Every starter waits until the server answers, captures its output in a log
// file in its directory, and stops it by PID in Cleanup. Addresses come from
// Addr, which holds a lock file per address so that concurrent test
// processes never share one.
package lab

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/miekg/dns"
)

// T is the part of testing.TB the lab needs; testing.TB satisfies it, and
// Standalone returns one for programs outside `go test`.
type T interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
	TempDir() string
	Logf(format string, args ...any)
}

// RequireEnv is the environment variable that turns a skip for a missing
// binary into a failure.
const RequireEnv = "DNSPARITY_REQUIRE_LAB"

// startTimeout is how long a server may take to answer after it started.
const startTimeout = 10 * time.Second

// signTimeout is how long BIND may take to sign a zone of dnssec-policy
// after it loaded it: it makes its keys first, which on a loaded machine
// (2 CPUs, tests in parallel) took over 10 s once (BIND stalled after
// "sizing zone task pool").
const signTimeout = 30 * time.Second

// Zone is one zone a server serves.
type Zone struct {
	Origin string // "example.com."
	Text   string // zone file text (BIND syntax)
	// Primary (BIND), when set ("IP" or "IP:PORT"), makes the zone a
	// secondary one transferred from there (Text unused): its copy
	// expires at the SOA expire after its last successful refresh
	// (RFC 1035 §3.3.13), which it tells an SOA query carrying the
	// EDNS EXPIRE option (RFC 7314).
	Primary string
}

// ZoneFile reads a zone file into a Zone, failing t when it cannot be read.
func ZoneFile(t T, origin, path string) Zone {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("lab: read zone %s: %v", path, err)
	}
	return Zone{Origin: dns.Fqdn(origin), Text: string(b)}
}

// TSIGKey is a shared TSIG key.
type TSIGKey struct {
	Name      string // "transfer-key."
	Algorithm string // "hmac-sha256" (default)
	Secret    string // base64
}

func (k *TSIGKey) algorithm() string {
	if k.Algorithm == "" {
		return "hmac-sha256"
	}
	return strings.TrimSuffix(strings.ToLower(k.Algorithm), ".")
}

func (k *TSIGKey) name() string { return dns.Fqdn(k.Name) }

// DNSAlgorithm is the algorithm name as miekg/dns spells it (dns.HmacSHA256…).
func (k *TSIGKey) DNSAlgorithm() string { return dns.Fqdn(k.algorithm()) }

// Options configure an authoritative server.
type Options struct {
	Zones []Zone
	// TSIG, when set, is configured on the server; AXFR and UPDATE are then
	// allowed only when signed with it.
	TSIG *TSIGKey
	// AllowUpdate enables RFC 2136 UPDATE (signed with TSIG when TSIG is set,
	// otherwise from 127.0.0.0/8) for every zone.
	AllowUpdate bool
	// TransferKey, with TSIG, is a second key (another name: servers tell
	// keys by name) that may transfer every zone and never update it: the
	// read-only credential of pull-request and drift jobs.
	TransferKey *TSIGKey
	// NoTransfer (BIND) allows no transfer (allow-transfer { none; }):
	// a key it knows, allowed to update, is refused the transfer in an
	// answer signed with it.
	NoTransfer bool
	// OpenTransfer (BIND), with TSIG, also allows a transfer without a
	// key (allow-transfer { any; }): a parent zone anyone may read.
	OpenTransfer bool
	// NoRectify (PowerDNS): the zones are loaded as pdnsutil load-zone
	// leaves them, not rectified: empty non-terminals answer NXDOMAIN
	// (a zone loaded by hand and never rectified).
	NoRectify bool
	// IP to listen on (default: Addr(t)); Port (default 53).
	IP   string
	Port int
	// Signing: Knot signs every zone online (dnssec-signing, an ECDSA
	// P-256 KSK and ZSK made at load, NSEC; keymgr and knotc work on
	// Server.Conf); PowerDNS publishes DNSKEY records of the zone data
	// beside its own keys (direct-dnskey, RFC 8901 multi-signer; its own
	// keys come from the API or pdnsutil); BIND signs every zone
	// (dnssec-policy default, inline-signing: a CSK, NSEC, and its
	// signing state in TYPE65534 records at the apex, which it serves
	// and transfers).
	Signing bool
	// NSEC3 (BIND, Knot; with Signing) signs with an NSEC3 chain (no
	// salt, no extra iterations: RFC 9276) instead of NSEC; OptOut
	// sets its opt-out flag (RFC 5155 §6: insecure delegations left
	// out of the chain).
	NSEC3, OptOut bool
	// OnlineSign (Knot) signs every answer as it is sent (mod-onlinesign,
	// a key made at load): to a query with the DO bit, a name that does
	// not exist is answered NOERROR/NODATA with a minimally covering
	// NSEC at the name itself (compact denial of existence, "black
	// lies", as Cloudflare, Route 53 and NS1 answer); without DO,
	// NXDOMAIN. Not with Signing.
	OnlineSign bool
	// ZONEMD (Knot) keeps a ZONEMD (RFC 8976, SHA-384) at every zone's
	// apex, made again at each change (zonemd-generate: zonemd-sha384),
	// as a provider's zone pipeline does.
	ZONEMD bool
	// NSID is the identifier the server returns to an NSID query (RFC
	// 5001): BIND server-id, Knot nsid, PowerDNS server-id. Empty: none
	// (PowerDNS then sends its host name).
	NSID string
	// Dnstap, when set, is the file BIND (dnstap { auth; }) or Knot
	// (mod-dnstap) writes every query and response to, in dnstap
	// Frame Streams format; it is complete once the server stopped.
	Dnstap string
	// QueryLog (BIND) logs every query (querylog yes) to the server's log
	// (Server.Log), in BIND's query-log text format.
	QueryLog bool
	// GeoIP (Knot) is the mod-geoip configuration in subnet mode: names,
	// each with a list of "net:" subnets and the records answered to a
	// client in it (the zone file holds the answers for everybody
	// else); EDNS Client Subnet is turned on.
	GeoIP string
	// GeoIPTTL is the TTL of mod-geoip's answers (0: Knot's default, 60).
	GeoIPTTL int
	// LUA (PowerDNS) turns on LUA records (enable-lua-records) and EDNS
	// Client Subnet processing, so that LUA view() and bestwho answer
	// by the query's ECS subnet.
	LUA bool
	// RateLimit (BIND) is the body of a rate-limit { } statement
	// (response rate limiting: "nxdomains-per-second 1; slip 1;").
	RateLimit string
	// TransfersOut (BIND) is transfers-out, the outgoing zone transfers
	// it runs at once (BIND's default: 10); it answers SERVFAIL to a
	// transfer over it. 0: the default.
	TransfersOut int
	// MaxNSEC3Iterations (PowerDNS) is max-nsec3-iterations, the highest
	// NSEC3 iteration count it accepts for a zone (PowerDNS 4.7's
	// default, 100, refuses more through the API and pdnsutil): a lab
	// provider signing with more than validators accept (RFC 9276).
	// 0: the default.
	MaxNSEC3Iterations int
	// Recursion: BIND also offers recursion to anyone (an open resolver
	// beside the zones, with root hints at the lab's refusing root
	// (refusingRoot) so that it never asks the internet and fails names
	// outside its stubs at once). Others: ignored.
	Recursion bool
	// Stubs (BIND, with Recursion): zone → addresses ("IP") of its
	// authoritative servers, as static-stub zones: BIND follows
	// delegations from there (UnboundOptions.Stubs).
	Stubs map[string][]string
	// TrustAnchors (BIND, with Recursion), when set, turn on DNSSEC
	// validation with these DS records as static trust anchors
	// ("test. IN DS 12345 13 2 ABCD..."): answers that validate carry
	// AD, bogus ones are SERVFAIL (UnboundOptions.TrustAnchors).
	TrustAnchors []string
	// MaxNcacheTTL (BIND, with Recursion) is max-ncache-ttl in seconds
	// (0: BIND's default, 3 hours): the cap on how long a negative
	// answer is cached, and on the TTLs BIND gives it.
	MaxNcacheTTL int
	// QuerySource (BIND, with Recursion) is the address BIND sends its
	// queries from (query-source; default the kernel's choice, 127.0.0.1
	// on loopback): another one lets a firewall rule drop the test's
	// queries to a server while the resolver still reaches it
	// (UnboundOptions.OutgoingIP).
	QuerySource string
	// MaxZoneTTL (BIND) is max-zone-ttl in seconds (0: none): the
	// highest TTL BIND keeps; a zone file above it is refused, and an
	// UPDATE's records above it are stored with it (a parent that caps
	// what a registrar writes).
	MaxZoneTTL int
}

// keys are the TSIG keys a server knows: TSIG, then TransferKey.
func (o Options) keys() []*TSIGKey {
	var ks []*TSIGKey
	if o.TSIG != nil {
		ks = append(ks, o.TSIG)
		if o.TransferKey != nil {
			ks = append(ks, o.TransferKey)
		}
	}
	return ks
}

// Server is a running DNS server.
type Server struct {
	Kind string // "bind", "knot", "powerdns", "unbound"
	IP   string
	Port int
	Addr string // "IP:PORT" for dns.Client
	PID  int
	Dir  string // its working directory
	Log  string // file with its stdout and stderr
	Conf string // its configuration file (Knot, BIND, Unbound; PowerDNS: pdns.conf in Dir)

	cmd      *exec.Cmd
	done     chan struct{}
	stopOnce sync.Once
	files    map[string]string                    // origin → zone file
	reload   func(t T, origin, file string) error // makes the server read file again
}

// Stop ends the server by PID (SIGTERM, then SIGKILL after 5 s) and waits
// for it. It is registered in Cleanup and may be called more than once.
func (s *Server) Stop() {
	if s == nil || s.cmd == nil {
		return
	}
	s.stopOnce.Do(func() {
		select {
		case <-s.done:
			return
		default:
		}
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
}

// Exited reports whether the server process has ended.
func (s *Server) Exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// LogTail returns the last n lines of the server's log.
func (s *Server) LogTail(n int) string { return tail(s.Log, n) }

// Require skips the test when one of the binaries is missing, or fails it
// when DNSPARITY_REQUIRE_LAB=1.
func Require(t T, binaries ...string) {
	t.Helper()
	var missing []string
	for _, b := range binaries {
		if _, err := findBinary(b); err != nil {
			missing = append(missing, b)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("lab: %s not installed (Debian: bind9 knot pdns-server pdns-backend-sqlite3 sqlite3 unbound dnsdist)", strings.Join(missing, ", "))
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s; %s=1 requires the lab", msg, RequireEnv)
		return
	}
	t.Skipf("%s", msg)
}

// RequireKnotModule is Require for a Knot module (geoip, dnstap): its
// shared object from the Debian package knot-module-NAME.
func RequireKnotModule(t T, name string) {
	t.Helper()
	if m, _ := filepath.Glob("/usr/lib/*/knot/modules-*/" + name + ".so"); len(m) > 0 {
		return
	}
	msg := fmt.Sprintf("lab: the Knot module %s is not installed (Debian: knot-module-%s)", name, name)
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s; %s=1 requires the lab", msg, RequireEnv)
		return
	}
	t.Skipf("%s", msg)
}

// Binary is Require for one binary, and returns its path (PATH or an sbin
// directory).
func Binary(t T, name string) string {
	t.Helper()
	Require(t, name)
	p, _ := findBinary(name)
	return p
}

// requireRoot skips (or fails with DNSPARITY_REQUIRE_LAB=1) when not root:
// port 53 and `ip addr add` need it.
func requireRoot(t T) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("lab: servers need root (port 53, ip addr add); %s=1 requires the lab", RequireEnv)
		return
	}
	t.Skipf("lab: servers need root (port 53, ip addr add)")
}

var sbinDirs = []string{"/usr/sbin", "/sbin", "/usr/local/sbin"}

// findBinary looks in PATH and in the sbin directories, which a test's PATH
// may lack.
func findBinary(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, d := range sbinDirs {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not found in PATH or %s", name, strings.Join(sbinDirs, ", "))
}

// run runs a helper command to completion and fails t with its output.
func run(t T, name string, args ...string) {
	t.Helper()
	if err := runErr(name, args...); err != nil {
		t.Fatalf("lab: %v", err)
	}
}

func runErr(name string, args ...string) error {
	p, err := findBinary(name)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, p, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// start launches a server process with its output in DIR/KIND.log and
// registers its Stop in Cleanup.
func start(t T, s *Server, bin string, args ...string) {
	t.Helper()
	p, err := findBinary(bin)
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	s.Log = filepath.Join(s.Dir, s.Kind+".log")
	logf, err := os.Create(s.Log)
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	cmd := exec.Command(p, args...)
	cmd.Dir = s.Dir
	cmd.Stdout = logf
	cmd.Stderr = logf
	// Kill the server when the test process dies without cleaning up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("lab: start %s: %v", s.Kind, err)
	}
	s.cmd = cmd
	s.PID = cmd.Process.Pid
	s.done = make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logf.Close()
		close(s.done)
	}()
	t.Cleanup(func() {
		s.Stop()
		if f, ok := t.(interface{ Failed() bool }); ok && f.Failed() {
			t.Logf("lab: %s on %s, %s (tail):\n%s", s.Kind, s.Addr, s.Log, s.LogTail(20))
		}
	})
}

// waitReady polls until every zone's SOA is answered authoritatively over
// UDP, or (without zones) until the server answers anything. It fails t with
// the log's tail when the server exits or the deadline passes.
func waitReady(t T, s *Server, zones []Zone) {
	t.Helper()
	// Big zones take longer to load: a second more per MiB of zone text.
	size := 0
	for _, z := range zones {
		size += len(z.Text)
	}
	limit := startTimeout + time.Duration(size>>20)*time.Second
	deadline := time.Now().Add(limit)
	c := &dns.Client{Net: "udp", Timeout: 300 * time.Millisecond}
	pending := make([]string, 0, len(zones))
	for _, z := range zones {
		pending = append(pending, dns.Fqdn(z.Origin))
	}
	var last string
	for {
		if s.Exited() {
			s.Stop()
			t.Fatalf("lab: %s on %s exited while starting (%s)\n--- %s (tail) ---\n%s", s.Kind, s.Addr, s.cmd.ProcessState, s.Log, s.LogTail(40))
		}
		var ok bool
		var why string
		pending, ok, why = probe(c, s.Addr, pending)
		if ok {
			return
		}
		last = why
		if time.Now().After(deadline) {
			s.Stop()
			t.Fatalf("lab: %s on %s did not answer within %v: %s\n--- %s (tail) ---\n%s", s.Kind, s.Addr, limit, last, s.Log, s.LogTail(40))
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// probe asks for each zone's SOA (all must answer with AA), or for
// version.bind CH TXT when there are no zones. It returns the zones still
// pending: a server with thousands of zones is not asked again for those
// it already serves.
func probe(c *dns.Client, addr string, pending []string) ([]string, bool, string) {
	if len(pending) == 0 {
		m := new(dns.Msg)
		m.SetQuestion("version.bind.", dns.TypeTXT)
		m.Question[0].Qclass = dns.ClassCHAOS
		if _, _, err := c.Exchange(m, addr); err != nil {
			return pending, false, err.Error()
		}
		return pending, true, ""
	}
	for i, origin := range pending {
		m := new(dns.Msg)
		m.SetQuestion(origin, dns.TypeSOA)
		r, _, err := c.Exchange(m, addr)
		if err != nil {
			return pending[i:], false, fmt.Sprintf("SOA %s: %v", origin, err)
		}
		if r.Rcode != dns.RcodeSuccess || !r.Authoritative || len(r.Answer) == 0 {
			return pending[i:], false, fmt.Sprintf("SOA %s: rcode %s, aa=%v, %d answers", origin, dns.RcodeToString[r.Rcode], r.Authoritative, len(r.Answer))
		}
	}
	return nil, true, ""
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

// newServer fills the common fields from the options.
func newServer(t T, kind, ip string, port int) *Server {
	t.Helper()
	requireRoot(t)
	if ip == "" {
		ip = Addr(t)
	}
	if port == 0 {
		port = 53
	}
	s := &Server{Kind: kind, IP: ip, Port: port, Dir: t.TempDir()}
	s.Addr = net.JoinHostPort(ip, strconv.Itoa(port)) // [::1]:PORT for an IPv6 address
	return s
}

// writeZones writes each zone to DIR/zone-N.db and returns the paths.
func writeZones(t T, s *Server, zones []Zone) []string {
	t.Helper()
	dir := s.Dir
	s.files = make(map[string]string, len(zones))
	paths := make([]string, len(zones))
	for i, z := range zones {
		if z.Origin == "" {
			t.Fatalf("lab: zone %d has no origin", i)
		}
		paths[i] = filepath.Join(dir, fmt.Sprintf("zone-%d.db", i))
		s.files[strings.ToLower(dns.Fqdn(z.Origin))] = paths[i]
		if z.Primary != "" {
			continue // the server writes the transferred copy there
		}
		text := z.Text
		if !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		if err := os.WriteFile(paths[i], []byte(text), 0o644); err != nil {
			t.Fatalf("lab: %v", err)
		}
	}
	return paths
}

func writeFile(t T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatalf("lab: %v", err)
	}
}

// Script is a T for programs outside `go test` (benchmarks, demos):
// Cleanup functions run on Close (last first); Fatalf and Skipf run Close,
// print the message and exit with status 2.
type Script struct {
	mu       sync.Mutex
	cleanups []func()
	// Verbose makes Logf print to stderr.
	Verbose bool
}

// Standalone returns a T for programs outside `go test`; defer its Close.
func Standalone() *Script { return &Script{} }

func (s *Script) Helper() {}

func (s *Script) Cleanup(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cleanups = append(s.cleanups, f)
}

func (s *Script) Fatalf(format string, args ...any) {
	s.Close()
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}

func (s *Script) Skipf(format string, args ...any) { s.Fatalf(format, args...) }

func (s *Script) Logf(format string, args ...any) {
	if s.Verbose {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
}

func (s *Script) TempDir() string {
	d, err := os.MkdirTemp("", "dnsparity-lab-")
	if err != nil {
		s.Fatalf("lab: %v", err)
	}
	s.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// Close runs the cleanup functions, last registered first.
func (s *Script) Close() {
	for {
		s.mu.Lock()
		n := len(s.cleanups)
		if n == 0 {
			s.mu.Unlock()
			return
		}
		f := s.cleanups[n-1]
		s.cleanups = s.cleanups[:n-1]
		s.mu.Unlock()
		f()
	}
}

// shortDir returns dir, or a short temporary directory when dir is too long
// for the Unix sockets a server creates in it (108 bytes).
func shortDir(t T, dir string) string {
	t.Helper()
	if len(dir) < 80 {
		return dir
	}
	d, err := os.MkdirTemp("", "lab")
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}
