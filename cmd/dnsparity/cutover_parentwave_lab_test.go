package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestCutoverParentWaveLab: two zones delegated from one parent zone
// (example.test. and example2.test. under test., BIND, changed by the
// parent registrar through RFC 2136), both pre-staged, flipped in one wave
// of 2, both UPDATEs planned before either is applied (updateBarrier):
// both flip, and the parent delegates both to the new provider.
// Before, each UPDATE required the parent's SOA serial as its plan read
// it, and the second of the wave was refused (walk9: NXRRSET, "the
// zone's SOA serial moved from 1 to 2 since the plan", exit 2).
func TestCutoverParentWaveLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "pdns_server", "unbound")
	l := &coLab{dir: t.TempDir(), serial: 2026112701, ttl: coPrestage, overlap: "1h"}
	l.parentIP, l.oldIP, l.newIP = lab.Addr(t), lab.Addr(t), lab.Addr(t)
	l.parent = lab.BIND(t, lab.Options{IP: l.parentIP, TSIG: coKey, AllowUpdate: true,
		Zones: []lab.Zone{{Origin: "test.", Text: fmt.Sprintf(`$ORIGIN test.
$TTL %[1]d
@        IN SOA ns.test. hostmaster.test. ( 1 60 60 3600 %[1]d )
@        IN NS  ns.test.
ns       IN A   %[2]s
ns1.old  IN A   %[3]s
ns1.new  IN A   %[4]s
example  IN NS  ns1.old.test.
example2 IN NS  ns1.old.test.
`, coNSTTL, l.parentIP, l.oldIP, l.newIP)}}})
	// Each side's servers are named in the parent zone itself (out of
	// both children's bailiwick: no glue of one child is the other's), and
	// example2.test. is example.test.'s data under another origin.
	names := strings.NewReplacer("ns1.old.example.test.", "ns1.old.test.", "ns1.new.example.test.", "ns1.new.test.")
	second := func(text string) string {
		return strings.Replace(text, "$ORIGIN example.test.", "$ORIGIN example2.test.", 1)
	}
	oldZ, newZ := l.side("old", "192.0.2.10"), l.side("new", "192.0.2.10")
	oldZ.Text, newZ.Text = names.Replace(oldZ.Text), names.Replace(newZ.Text)
	l.old = lab.PDNS(t, lab.Options{IP: l.oldIP, TSIG: coKey, Zones: []lab.Zone{oldZ, {Origin: "example2.test.", Text: second(oldZ.Text)}}})
	l.env = map[string]string{"OLD_TSIG": coKey.Secret, "NEW_TSIG": coKey.Secret, "PARENT_TSIG": coKey.Secret, "GITHUB_ACTOR": "tester", "OLD_PDNS_KEY": l.old.APIKey}
	l.new = lab.Knot(t, lab.Options{IP: l.newIP, TSIG: coKey, AllowUpdate: true, Zones: []lab.Zone{newZ, {Origin: "example2.test.", Text: second(newZ.Text)}}})
	for i := 0; i < 2; i++ {
		l.resolvers = append(l.resolvers, lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {l.parentIP}}}))
	}
	l.zonePath = filepath.Join(l.dir, "example.test.zone")
	l.writeGit(t)
	git, err := os.ReadFile(l.zonePath)
	if err != nil {
		t.Fatal(err)
	}
	git = []byte(names.Replace(string(git)))
	if err := os.WriteFile(l.zonePath, git, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(l.dir, "example2.test.zone"), []byte(second(string(git))), 0o644); err != nil {
		t.Fatal(err)
	}
	l.cfgPath = filepath.Join(l.dir, "dnsparity.yaml")
	l.writeConfig(t, l.cfgPath, nil)
	cfg, err := os.ReadFile(l.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	one := "  - name: example.test.\n    file: example.test.zone\n"
	if !bytes.Contains(cfg, []byte(one)) {
		t.Fatalf("the lab's config has no %q", one)
	}
	cfg = bytes.Replace(cfg, []byte(one), []byte(one+"  - name: example2.test.\n    file: example2.test.zone\n"), 1)
	cfg = []byte(names.Replace(string(cfg)))
	// The registrar reaches the parent through a relay that holds each
	// UPDATE until both zones' are waiting: both changes are planned
	// against the same parent zone before either is applied.
	direct := "  parent:\n    type: rfc2136\n    server: " + l.parentIP + ":53\n"
	if !bytes.Contains(cfg, []byte(direct)) {
		t.Fatalf("the lab's config has no %q", direct)
	}
	cfg = bytes.Replace(cfg, []byte(direct), []byte("  parent:\n    type: rfc2136\n    server: "+updateBarrier(t, l.parentIP+":53", 2)+"\n"), 1)
	if err := os.WriteFile(l.cfgPath, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	// Both pre-staged an hour ago (the trail's TTL history).
	now := time.Now().UTC()
	for _, z := range []string{"example.test.", "example2.test."} {
		path := filepath.Join(l.dir, "state", z+"json")
		tr, err := cutover.ReadTrail(path, z)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range []cutover.Entry{
			{Time: now.Add(-2 * time.Hour), Actor: "tester", Command: "status", Result: cutover.ResultObserved, TTL: &cutover.TTLs{OldMax: coHighTTL, NewMax: coHighTTL}},
			{Time: now.Add(-time.Hour), Actor: "tester", Command: "status", Result: cutover.ResultObserved, TTL: &cutover.TTLs{OldMax: coPrestage, NewMax: coPrestage}},
		} {
			if err := tr.Append(path, e); err != nil {
				t.Fatal(err)
			}
		}
	}

	var out, errs bytes.Buffer
	a := &app{stdout: &out, stderr: &errs, getenv: func(k string) string { return l.env[k] }}
	code := a.main(context.Background(), []string{"flip", "--zone", "example.test", "--zone", "example2.test", "--wave", "2", "--watch", "1s", "--format", "json", "--config", l.cfgPath})
	var w cutover.WaveReport
	if err := json.Unmarshal(out.Bytes(), &w); err != nil {
		t.Fatalf("exit %d, no JSON: %v\n%s\n%s", code, err, out.String(), errs.String())
	}
	if code != exitOK || !reflect.DeepEqual(w.Summary.Done, []string{"example.test.", "example2.test."}) || w.Summary.Wave != 2 {
		for _, r := range w.Reports {
			t.Logf("%s: %s, errors %v", r.Zone, r.Result, r.Errors)
		}
		t.Fatalf("flip of two zones of one parent in a wave of 2: exit %d, summary %+v\n%s", code, w.Summary, errs.String())
	}
	parent := l.parentText(t)
	for _, z := range []string{"example.test.", "example2.test."} {
		if !strings.Contains(parent, z+"\t4\tIN\tNS\tns1.new.test.") || strings.Contains(parent, z+"\t4\tIN\tNS\tns1.old.test.") {
			t.Errorf("the parent does not delegate %s to the new provider alone:\n%s", z, parent)
		}
	}
}

// updateBarrier is a TCP relay on loopback to the DNS server upstream
// that holds each UPDATE message until n of them are waiting, then lets
// them all through (later ones pass at once); every other message, and
// every answer, passes as it comes. Its address is returned.
func updateBarrier(t *testing.T, upstream string, n int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var mu sync.Mutex
	waiting := 0
	release := make(chan struct{})
	relay := func(c net.Conn) {
		defer c.Close()
		u, err := net.Dial("tcp", upstream)
		if err != nil {
			return
		}
		defer u.Close()
		go io.Copy(c, u)
		for {
			var l [2]byte
			if _, err := io.ReadFull(c, l[:]); err != nil {
				return
			}
			msg := make([]byte, binary.BigEndian.Uint16(l[:]))
			if _, err := io.ReadFull(c, msg); err != nil {
				return
			}
			if len(msg) > 2 && int(msg[2]>>3&0xF) == dns.OpcodeUpdate {
				mu.Lock()
				waiting++
				if waiting == n {
					close(release)
				}
				mu.Unlock()
				<-release
			}
			if _, err := u.Write(append(l[:], msg...)); err != nil {
				return
			}
		}
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go relay(c)
		}
	}()
	return ln.Addr().String()
}
