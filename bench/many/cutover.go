package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/bench/internal/benchzone"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// cutoverPhase times the cutover's steps that only read over n zones of
// rrsets RRsets, each delegated from the parent test. (BIND) to the old
// side (Knot) and served by the new one too (BIND), with an Unbound
// resolver, each behind a relay that delays every message (delayed):
// steps, each over every zone in one run (--zones-from): by default
// status and flip --dry-run, with the wave size each takes by default
// and with --wave 8, and the Action's status of them all ("action"). Each zone's gates ask the parent, both sides and the
// resolver: the time is round trips, per zone.
func cutoverPhase(n, rrsets int, bin string, repeat int, delay time.Duration, steps []string, before string) map[string]result {
	s := benchrun.New("many-cutover", bin)
	defer s.Close()
	// The servers on their own addresses; the names, the config and the
	// resolver give the relays' (delayed), where each message waits
	// delay each way.
	parentAt, oldAt, newAt := lab.Addr(s), lab.Addr(s), lab.Addr(s)
	parentIP, oldIP, newIP := delayed(s, parentAt+":53", delay), delayed(s, oldAt+":53", delay), delayed(s, newAt+":53", delay)
	var parent, names strings.Builder
	fmt.Fprintf(&parent, "$TTL 60\n@ SOA ns.test. h.test. 1 60 60 60 60\n@ NS ns.test.\nns A %s\nns1.old.dns A %s\nns1.new.dns A %s\n", parentIP, oldIP, newIP)
	var old, new []lab.Zone
	for i := range n {
		origin := fmt.Sprintf("c%05d.test.", i)
		fmt.Fprintf(&parent, "%s NS ns1.old.dns.test.\n", strings.TrimSuffix(origin, ".test."))
		fmt.Fprintln(&names, origin)
		git := sideZone(origin, "old", rrsets)
		s.Write("zones/"+strings.TrimSuffix(origin, ".")+".zone", git)
		old = append(old, lab.Zone{Origin: origin, Text: git})
		new = append(new, lab.Zone{Origin: origin, Text: sideZone(origin, "new", rrsets)})
	}
	t0 := time.Now()
	p := lab.BIND(s, lab.Options{IP: parentAt, Zones: []lab.Zone{{Origin: "test.", Text: parent.String()}}})
	knot := lab.Knot(s, lab.Options{IP: oldAt, Zones: old})
	bind := lab.BIND(s, lab.Options{IP: newAt, Zones: new})
	res := lab.Unbound(s, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parentIP}}})
	resIP := delayed(s, res.Addr, delay)
	fmt.Printf("\n## cutover: status and flip --dry-run of %d zones of %d RRsets in one run, every server behind a relay adding %v each way\n\n", n, rrsets, delay)
	fmt.Printf("servers: parent BIND %s, Knot (old) %s, BIND (new) %s, Unbound %s (relays %s, %s, %s, %s), up in %.0f s\n", p.Addr, knot.Addr, bind.Addr, res.Addr, parentIP, oldIP, newIP, resIP, time.Since(t0).Seconds())
	cfg := s.Write("dnsparity.yaml", fmt.Sprintf(`zones:
  - files: zones/*.zone
providers:
  old: {type: rfc2136, server: %s, nameservers: [%s], delegation: [ns1.old.dns.test.]}
  new: {type: rfc2136, server: %s, nameservers: [%s], delegation: [ns1.new.dns.test.]}
  parent: {type: rfc2136, server: %s}
registrar: {type: parent, zone: test., provider: parent}
policy: {prestage_ttl: 300, overlap: 168h}
cutover: {resolvers: [%s], parent_servers: [%s], state_dir: state}
`, oldIP+":53", oldIP, newIP+":53", newIP, parentIP+":53", resIP+":53", parentIP+":53"))
	list := s.Write("zones.txt", names.String())
	figs := map[string]result{}
	for _, st := range steps {
		step := strings.Fields(st)
		if st == "action" {
			figs["action status"] = actionStatus(s, names.String(), cfg, repeat, before)
			continue
		}
		var rs []result
		var w waveSummary
		for range max(repeat, 1) {
			r := run(s, append(append([]string{}, step...), "--zones-from", list, "--config", cfg, "--format", "json")...)
			if err := json.Unmarshal(r.out, &w); err != nil {
				s.Fatalf("%v: no JSON report: %v", step, err)
			}
			rs = append(rs, r)
		}
		m := median(rs)
		figs[st] = m
		fmt.Printf("%-32s %6.2f s wall%s, %6.2f s CPU, peak RSS %6.1f MiB, exit %d; waves of %d: %d done, %d refused, %d could not run\n",
			strings.Join(step, " ")+",", m.wall, m.walls, m.cpu, m.rss, m.exit, w.Summary.Wave, len(w.Summary.Done), len(w.Summary.Refused), len(w.Summary.Failed))
	}
	return figs
}

// actionStatus times the Action's status of every zone (its zone input
// naming them all, as a cutover workflow dispatched over a wave does):
// the command's run plus the JSON report and summary the Action makes of
// it. With before (a build of another commit, -before), that build's
// too, one after the other in turn, and the ratios of this build's
// figures to it.
func actionStatus(s *benchrun.Bench, names, cfg string, repeat int, before string) result {
	env := s.Env
	summary := s.Write("summary", "")
	s.Env = append(append([]string{}, env...), "INPUT_COMMAND=status", "INPUT_ZONE="+strings.Join(strings.Fields(names), " "), "INPUT_COMMENT=false",
		"INPUT_CONFIG="+cfg, "GITHUB_WORKSPACE="+s.Dir, "GITHUB_EVENT_NAME=workflow_dispatch", "GITHUB_OUTPUT="+s.Write("outputs", ""), "GITHUB_STEP_SUMMARY="+summary)
	defer func() { s.Env = env }()
	this := s.Bin
	defer func() { s.Bin = this }()
	var rs, bs []result
	var sizes [2]int
	var md []byte // this build's last summary
	for range max(repeat, 1) {
		for i, bin := range []string{this, before} {
			if bin == "" {
				continue
			}
			s.Bin = bin
			os.WriteFile(summary, nil, 0o644)
			r := run(s, "action")
			if fi, err := os.Stat(summary); err == nil {
				sizes[i] = int(fi.Size())
			}
			if i == 0 {
				md, _ = os.ReadFile(summary)
				rs = append(rs, r)
			} else {
				bs = append(bs, r)
			}
		}
	}
	m := median(rs)
	fmt.Printf("%-32s %6.2f s wall%s, %6.2f s CPU, peak RSS %6.1f MiB, exit %d, summary %d KiB\n", "action status,", m.wall, m.walls, m.cpu, m.rss, m.exit, sizes[0]>>10)
	m.out = md // the output measured: the step summary
	if before == "" {
		return m
	}
	b := median(bs)
	fmt.Printf("%-32s %6.2f s wall%s, %6.2f s CPU, peak RSS %6.1f MiB, exit %d, summary %d KiB\n", "action status (before),", b.wall, b.walls, b.cpu, b.rss, b.exit, sizes[1]>>10)
	fmt.Printf("action status, this build / before, %d zones: %.2fx peak RSS, %.2fx CPU, %.2fx wall\n", len(strings.Fields(names)), m.rss/b.rss, m.cpu/b.cpu, m.wall/b.wall)
	return m
}

// waveSummary is the part of a many-zone step's JSON report the phase
// prints.
type waveSummary struct {
	Summary struct {
		Wave    int      `json:"wave"`
		Done    []string `json:"done"`
		Refused []string `json:"refused"`
		Failed  []string `json:"failed"`
	} `json:"summary"`
}

// sideZone is zone origin as side serves it: its own SOA MNAME and apex
// NS (ns1.SIDE.dns.test.), then RRsets up to rrsets (the git copy is
// old's).
func sideZone(origin, side string, rrsets int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n@ IN SOA ns1.%s.dns.test. hostmaster 1 3600 600 1209600 300\n@ IN NS ns1.%s.dns.test.\n", origin, side, side)
	benchzone.Body(&b, origin, 2, rrsets)
	return b.String()
}
