package parity_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// replayGit has a wildcard under apps; nothing under cdn.
const replayGit = geoGit + `www	IN A 192.0.2.30
*.apps	IN A 192.0.2.50
`

// clientLoop asks each server, over UDP like a resolver, n random names
// under each of the parents (names no zone file lists), and a mixed-case
// name.
func clientLoop(t *testing.T, servers []string, n int, parents ...string) {
	t.Helper()
	c := &dns.Client{Timeout: 2 * time.Second}
	ask := func(name string, qt uint16) {
		m := new(dns.Msg)
		m.SetQuestion(name, qt)
		m.RecursionDesired = false
		for _, s := range servers {
			if _, _, err := c.Exchange(m, s); err != nil {
				t.Fatalf("client loop: %s @%s: %v", name, s, err)
			}
		}
	}
	for i := 0; i < n; i++ {
		for _, p := range parents {
			ask(fmt.Sprintf("u%08x.%s", rand.Uint32(), p), dns.TypeA)
		}
	}
	ask("WwW.parity.test.", dns.TypeA)
	ask("www.parity.test.", dns.TypeA) // one of the zone's RRsets: not asked twice
}

// TestParityReplay: a dnstap file captured from the lab's BIND and one
// from Knot (each serving git) while a client loop asks random names
// under apps (a wildcard) and under cdn (nothing in git), replayed against
// a pair where the apps wildcard differs and new has a wildcard under
// cdn: both found, each as one finding for the 150 names it covers; the
// cdn wildcard only through the log (no zone-derived question reaches
// it).
func TestParityReplay(t *testing.T) {
	lab.Require(t, "named", "knotd", "pdns_server")
	dir := t.TempDir()
	bindTap, knotTap := filepath.Join(dir, "bind.tap"), filepath.Join(dir, "knot.tap")
	bd := lab.BIND(t, lab.Options{Dnstap: bindTap, Zones: []lab.Zone{{Origin: origin, Text: replayGit}}})
	kc := lab.Knot(t, lab.Options{Dnstap: knotTap, Zones: []lab.Zone{{Origin: origin, Text: replayGit}}})
	clientLoop(t, []string{bd.Addr, kc.Addr}, 150, "apps.parity.test.", "cdn.parity.test.")
	bd.Stop() // the dnstap files are complete once the servers stopped
	kc.Stop()

	z := loadText(t, replayGit)
	old := serve(t, "knot", replayGit)
	newText := strings.Replace(replayGit, "192.0.2.50", "192.0.2.51", 1) + "*.cdn IN A 192.0.2.60\n"
	nw := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: newText}}}).Addr
	run := func(queries string) *parity.Report {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		rep, err := parity.Run(ctx, z, []parity.Target{{Addr: old}}, []parity.Target{{Addr: nw}},
			parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8, Queries: queries})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	plain := run("")
	for _, f := range plain.Findings {
		if strings.Contains(f.Name, "cdn") || strings.Contains(f.Detail, "cdn") {
			t.Errorf("a zone-derived question reached cdn: %+v", f)
		}
	}
	for _, tap := range []string{bindTap, knotTap} {
		t.Run(filepath.Base(tap), func(t *testing.T) {
			rep := run(tap)
			dump(t, rep)
			// 303: the 300 random names, WwW, www and the apex SOA the
			// lab asks while it waits for the server to be ready (maybe
			// more than once: logged counts each query).
			if r := rep.Replayed; r == nil || r.Questions != 303 || r.OutsideZone != 300 || r.Logged < 303 {
				t.Errorf("replayed %+v, want 303 questions, 300 outside the zone's names, at least 303 logged", r)
			}
			var apps, cdn []parity.Finding
			for _, f := range rep.Findings {
				switch {
				case strings.Contains(f.Detail, "by the wildcard *.apps.parity.test."):
					apps = append(apps, f)
				case strings.Contains(f.Name, ".cdn.parity.test."):
					cdn = append(cdn, f)
				}
			}
			if len(apps) != 1 || apps[0].Severity != parity.SevError || !strings.HasPrefix(apps[0].Detail, "150 replayed questions") {
				t.Errorf("apps findings %+v; want one error for the 150 replayed names", apps)
			}
			if len(cdn) != 1 || cdn[0].Kind != "wildcard" || cdn[0].Severity != parity.SevError ||
				!strings.HasPrefix(cdn[0].Detail, "150 replayed questions answered by NXDOMAIN under parity.test.") ||
				!strings.Contains(cdn[0].New, "192.0.2.60") {
				t.Errorf("cdn findings %+v; want one wildcard error for the 150 replayed names, new answering 192.0.2.60", cdn)
			}
			for _, f := range rep.Findings {
				if strings.EqualFold(f.Name, "www.parity.test.") {
					t.Errorf("www differs: %+v", f)
				}
			}
		})
	}
}
