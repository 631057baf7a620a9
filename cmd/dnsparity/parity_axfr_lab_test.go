package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestParityAXFRRefusedLab: when a transfer was asked for (--axfr, or
// parity.axfr) and a side refuses it (a wrong TSIG secret, no key where
// one is required), parity exits 2 naming the side and the rcode: the
// check for records that are not in git did not run, so nothing is proven
// (issue 15, hole 8). A transfer that passes its bound (a server that
// sends records forever) exits 2 naming the limit (hole 6).
func TestParityAXFRRefusedLab(t *testing.T) {
	lab.Require(t, "knotd", "named")
	key := &lab.TSIGKey{Name: "transfer-key.", Secret: "c2VjcmV0LXRyYW5zZmVyLWtleS1mb3ItZG5zcGFyaXR5LXRlc3Q="}
	wrong := "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZy1zZWNyZXQ="
	knotOld := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "cli.test.", Text: cliZone}}, TSIG: key})
	bindOld := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "cli.test.", Text: cliZone}}, TSIG: key})
	new := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "cli.test.", Text: cliZone}}})
	endless := endlessServer(t, "cli.test.", cliZone)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cli.test.zone"), []byte(cliZone), 0o644); err != nil {
		t.Fatal(err)
	}
	config := func(old, tsig, parity string) string {
		p := filepath.Join(dir, fmt.Sprintf("c%d.yaml", len(old)+len(tsig)+len(parity)))
		text := "zones:\n  - {name: cli.test., file: cli.test.zone}\nproviders:\n" +
			"  old: {type: rfc2136, server: " + old + ", nameservers: [" + old + "]" + tsig + "}\n" +
			"  new: {type: rfc2136, server: " + new.Addr + ", nameservers: [" + new.Addr + "]}\n" + parity
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	withKey := ", tsig: {name: transfer-key., secret_env: OLD_TSIG}"
	for _, c := range []struct {
		name   string
		cfg    string
		args   []string
		secret string
		code   int
		words  []string
	}{
		{"right key (control)", config(knotOld.Addr, withKey, "parity: {axfr: true}\n"), nil, key.Secret, exitOK, nil},
		{"knot: wrong secret, axfr from the config", config(knotOld.Addr, withKey, "parity: {axfr: true}\n"), nil, wrong, exitError,
			[]string{"old", "NOTAUTH", knotOld.Addr}},
		{"bind: wrong secret, --axfr", config(bindOld.Addr, withKey, ""), []string{"--axfr"}, wrong, exitError,
			[]string{"old", "NOTAUTH", bindOld.Addr}},
		{"bind: no key where one is required", config(bindOld.Addr, "", "parity: {axfr: true}\n"), nil, "", exitError,
			[]string{"old", "REFUSED", bindOld.Addr}},
		{"knot: no key where one is required, --axfr", config(knotOld.Addr, "", ""), []string{"--axfr"}, "", exitError,
			[]string{"old", "NOTAUTH", knotOld.Addr}},
		{"a transfer that never ends", config(endless, "", "parity: {axfr: true, axfr_max_records: 2000}\n"), nil, "", exitError,
			[]string{"old", "records limit", "more than 2000 records", "parity.axfr_max_records"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			a := &app{stdout: &out, stderr: &errb, getenv: func(k string) string {
				if k == "OLD_TSIG" {
					return c.secret
				}
				return ""
			}}
			code := a.main(context.Background(), append([]string{"parity", "--config", c.cfg, "--timeout", "1s"}, c.args...))
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstderr: %s\nstdout: %s", code, c.code, errb.String(), out.String())
			}
			for _, w := range c.words {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errb.String())
				}
			}
			t.Logf("stderr: %s", errb.String())
			if strings.Contains(out.String()+errb.String(), wrong) || strings.Contains(out.String()+errb.String(), key.Secret) {
				t.Error("a TSIG secret reached the output")
			}
		})
	}
}

// endlessServer answers the zone's questions over UDP and TCP like an
// authoritative server, and an AXFR with the SOA followed by records
// forever, never the closing SOA.
func endlessServer(t *testing.T, origin, text string) string {
	t.Helper()
	zp := dns.NewZoneParser(strings.NewReader(text), origin, "")
	var rrs []dns.RR
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		rrs = append(rrs, rr)
	}
	if err := zp.Err(); err != nil {
		t.Fatal(err)
	}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		m.Authoritative = true
		qq := q.Question[0]
		if qq.Qtype == dns.TypeAXFR {
			m.Answer = rrs[:1]
			if w.WriteMsg(m) != nil {
				return
			}
			for i := 0; ; i++ {
				m.Answer = nil
				for j := 0; j < 100; j++ {
					m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: fmt.Sprintf("h%d-%d.%s", i, j, origin), Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 300}, A: net.IPv4(192, 0, 2, byte(j))})
				}
				if w.WriteMsg(m) != nil {
					return
				}
			}
		}
		found := false
		for _, rr := range rrs {
			if strings.EqualFold(rr.Header().Name, qq.Name) {
				found = true
				if rr.Header().Rrtype == qq.Qtype {
					m.Answer = append(m.Answer, rr)
				}
			}
		}
		if !found {
			m.Rcode = dns.RcodeNameError
		}
		if len(m.Answer) == 0 {
			m.Ns = rrs[:1]
		}
		w.WriteMsg(m)
	})
	ip := lab.Addr(t)
	pc, err := net.ListenPacket("udp", ip+":0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(pc.LocalAddr().String())
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, port))
	if err != nil {
		t.Fatal(err)
	}
	udp := &dns.Server{PacketConn: pc, Handler: h}
	tcp := &dns.Server{Listener: ln, Handler: h}
	go udp.ActivateAndServe()
	go tcp.ActivateAndServe()
	t.Cleanup(func() { udp.Shutdown(); tcp.Shutdown() })
	return pc.LocalAddr().String()
}
