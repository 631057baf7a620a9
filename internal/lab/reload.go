package lab

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/miekg/dns"
)

// Reload replaces the content of one of the server's zones with z.Text,
// makes the server read it without a restart, and waits (up to 10 s) until
// it answers with the new SOA serial, so bump the serial. BIND (SIGHUP) and
// Knot (SIGHUP) reread the file; PowerDNS reloads it with `pdnsutil
// load-zone` and purges its caches through the API. A BIND zone started
// with AllowUpdate is dynamic and cannot be reloaded from its file: change
// it with UPDATE instead.
func (s *Server) Reload(t T, z Zone) {
	t.Helper()
	origin := strings.ToLower(dns.Fqdn(z.Origin))
	file, ok := s.files[origin]
	if !ok || s.reload == nil {
		t.Fatalf("lab: %s on %s: cannot reload zone %s (not one of its zones, or not supported)", s.Kind, s.Addr, origin)
	}
	serial, err := soaSerial(z)
	if err != nil {
		t.Fatalf("lab: reload %s: %v", origin, err)
	}
	text := z.Text
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	// An mtime after the last load, which BIND compares with.
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatalf("lab: %v", err)
	}
	future := time.Now().Add(time.Second)
	_ = os.Chtimes(file, future, future)
	if err := s.reload(t, origin, file); err != nil {
		t.Fatalf("lab: reload %s on %s %s: %v\n--- %s (tail) ---\n%s", origin, s.Kind, s.Addr, err, s.Log, s.LogTail(20))
	}
	deadline := time.Now().Add(startTimeout)
	c := &dns.Client{Timeout: 300 * time.Millisecond}
	var last string
	for {
		m := new(dns.Msg)
		m.SetQuestion(origin, dns.TypeSOA)
		r, _, err := c.Exchange(m, s.Addr)
		switch {
		case err != nil:
			last = err.Error()
		case len(r.Answer) == 0:
			last = "no SOA: rcode " + dns.RcodeToString[r.Rcode]
		default:
			if soa, ok := r.Answer[0].(*dns.SOA); ok && soa.Serial == serial {
				return
			}
			last = fmt.Sprintf("serial still %v", r.Answer[0])
		}
		if s.Exited() || time.Now().After(deadline) {
			t.Fatalf("lab: reload %s on %s %s: new serial %d not served: %s\n--- %s (tail) ---\n%s", origin, s.Kind, s.Addr, serial, last, s.Log, s.LogTail(20))
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// soaSerial parses z.Text and returns its SOA serial.
func soaSerial(z Zone) (uint32, error) {
	zp := dns.NewZoneParser(strings.NewReader(z.Text), dns.Fqdn(z.Origin), "")
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if soa, isSOA := rr.(*dns.SOA); isSOA {
			return soa.Serial, nil
		}
	}
	if err := zp.Err(); err != nil {
		return 0, fmt.Errorf("zone %s: %w", z.Origin, err)
	}
	return 0, fmt.Errorf("zone %s: no SOA record", z.Origin)
}

// hup is the reload of BIND and Knot.
func (s *Server) hup(T, string, string) error {
	return s.cmd.Process.Signal(syscall.SIGHUP)
}
