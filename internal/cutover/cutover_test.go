package cutover

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func TestPointsTo(t *testing.T) {
	old := []string{"ns1.old.example.", "ns2.old.example."}
	new := []string{"ns1.new.example."}
	tests := []struct {
		ns   []string
		want string
	}{
		{[]string{"ns1.old.example.", "ns2.old.example."}, "old"},
		{[]string{"NS2.OLD.example", "ns1.old.example."}, "old"},
		{[]string{"ns1.new.example."}, "new"},
		{[]string{"ns1.old.example.", "ns1.new.example."}, "mixed"},
		{[]string{"ns1.old.example."}, "mixed"}, // only part of the old set
		{[]string{"ns1.new.example.", "other.example."}, "mixed"},
		{[]string{"other.example."}, "unknown"},
		{nil, "unknown"},
	}
	for _, tt := range tests {
		if got := PointsTo(tt.ns, old, new); got != tt.want {
			t.Errorf("PointsTo(%v) = %s, want %s", tt.ns, got, tt.want)
		}
	}
}

func TestTrailStageAndLowered(t *testing.T) {
	dir := t.TempDir()
	path := TrailPath(filepath.Join(dir, "state"), "example.test.")
	if filepath.Base(path) != "example.test.json" {
		t.Errorf("trail path %s", path)
	}
	tr, err := ReadTrail(path, "example.test.")
	if err != nil || len(tr.Entries) != 0 {
		t.Fatalf("empty trail: %v %v", tr, err)
	}
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	steps := []Entry{
		{Time: at(0), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 3600, NewMax: 300}},
		{Time: at(100), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 300, NewMax: 300}},
		{Time: at(200), Command: "flip", Result: ResultRefused, TTL: &TTLs{OldMax: 300, NewMax: 300}},
		{Time: at(4000), Command: "flip", Result: ResultDryRun, DryRun: true},
	}
	for _, e := range steps {
		if err := tr.Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
	back, err := ReadTrail(path, "example.test.")
	if err != nil || len(back.Entries) != len(steps) {
		t.Fatalf("read back: %d entries, %v", len(back.Entries), err)
	}
	if st, _ := back.Stage(); st != StageNotStarted {
		t.Errorf("stage %s after refusals and a dry run", st)
	}
	since, prev, known, ok := back.Lowered(TTLs{OldMax: 300, NewMax: 300}, 300, at(5000))
	if !ok || !known || prev != 3600 || !since.Equal(at(100)) {
		t.Errorf("Lowered = %s %d %v %v, want since %s, previous 3600", since, prev, known, ok, at(100))
	}
	if _, _, _, ok := back.Lowered(TTLs{OldMax: 301}, 300, at(5000)); ok {
		t.Error("Lowered with a TTL above the cap")
	}
	// gate: not before 100 + 3600
	g, when := gateTTLExpired(back, TTLs{OldMax: 300, NewMax: 300}, 300, at(3000))
	if g.OK || !when.Equal(at(3700)) || len(g.Plan) == 0 {
		t.Errorf("ttl-expired at 3000: %+v %s", g, when)
	}
	if g, _ := gateTTLExpired(back, TTLs{OldMax: 300, NewMax: 300}, 300, at(3700)); !g.OK {
		t.Errorf("ttl-expired at 3700: %+v", g)
	}
	// A trail that never saw high TTLs assumes a day.
	fresh := &Trail{Zone: "example.test."}
	_, prev, known, _ = fresh.Lowered(TTLs{OldMax: 60, NewMax: 60}, 300, at(0))
	if known || prev != AssumedPreviousTTL {
		t.Errorf("unknown previous TTL: %d %v", prev, known)
	}

	for _, e := range []Entry{
		// the old side's NS TTL recorded and its apex NS seen naming
		// no old server: the overlap alone holds finish here
		// (gateOverlap counts status's settles too, finishWhen)
		{Time: at(6000), Command: "flip", Result: ResultDone, TTL: &TTLs{OldMax: 300, NewMax: 300}, OldApexNS: &OldApexNS{NS: []string{}}},
		{Time: at(7000), Command: "rollback", Result: ResultRefused},
	} {
		if err := back.Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
	if st, e := back.Stage(); st != StageFlipped || !e.Time.Equal(at(6000)) {
		t.Errorf("stage %s", st)
	}
	// finish's overlap gate, the old side without servers to ask (no
	// apex NS observed: cur nil).
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Overlap: time.Hour}
	g, end := c.gateOverlap(context.Background(), back, nil, 0, at(6000+1800))
	if g.OK || !end.Equal(at(6000+3600)) {
		t.Errorf("overlap half-way: %+v %s", g, end)
	}
	if g, _ := c.gateOverlap(context.Background(), back, nil, 0, at(6000+3600)); !g.OK {
		t.Errorf("overlap over: %+v", g)
	}
	if err := back.Append(path, Entry{Time: at(9000), Command: "rollback", Result: ResultDone}); err != nil {
		t.Fatal(err)
	}
	if g, _ := c.gateOverlap(context.Background(), back, nil, 0, at(99999)); g.OK || !strings.Contains(g.Detail, "rollback") {
		t.Errorf("overlap after a rollback: %+v", g)
	}

	// A trail of another zone, or a broken one, is an error naming the file.
	if _, err := ReadTrail(path, "other.test."); err == nil {
		t.Error("trail of another zone accepted")
	}
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadTrail(path, "example.test."); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("broken trail: %v", err)
	}
}

func TestGlue(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 h 1 1 1 1 1\n@ NS ns1\nns1 A 192.0.2.1\nns2 A 192.0.2.2\nns2 AAAA 2001:db8::2\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		names, servers []string
		want           map[string]string
		err            string
	}{
		{[]string{"ns1.example.test.", "ns2.example.test."}, []string{"127.0.0.1:53", "127.0.0.2:53"},
			map[string]string{"ns1.example.test.": "127.0.0.1", "ns2.example.test.": "127.0.0.2"}, ""},
		{[]string{"ns1.example.test."}, []string{"127.0.0.1:53", "127.0.0.2:53"},
			map[string]string{"ns1.example.test.": "127.0.0.1 127.0.0.2"}, ""},
		{[]string{"ns1.example.test.", "ns2.example.test."}, []string{"127.0.0.1:53"},
			map[string]string{"ns1.example.test.": "192.0.2.1", "ns2.example.test.": "192.0.2.2 2001:db8::2"}, ""},
		{[]string{"ns.provider.net."}, []string{"127.0.0.1:53"}, map[string]string{}, ""},
		{[]string{"ns3.example.test.", "ns1.example.test."}, []string{"127.0.0.1:53"}, nil, "ns3.example.test."},
	}
	for _, tt := range tests {
		got, err := Glue("example.test.", tt.names, tt.servers, z)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Glue(%v): err %v, want %q", tt.names, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Glue(%v): %v", tt.names, err)
			continue
		}
		flat := map[string]string{}
		for n, as := range got {
			flat[n] = strings.Join(as, " ")
		}
		if len(flat) != len(tt.want) {
			t.Errorf("Glue(%v) = %v, want %v", tt.names, flat, tt.want)
		}
		for n, w := range tt.want {
			if flat[n] != w {
				t.Errorf("Glue(%v)[%s] = %q, want %q", tt.names, n, flat[n], w)
			}
		}
	}
}

func TestInterval(t *testing.T) {
	tests := []struct {
		ttl  uint32
		want time.Duration
	}{
		{4, 250 * time.Millisecond},
		{300, 3 * time.Second},
		{3600, 36 * time.Second},
		{172800, time.Minute},
	}
	for _, tt := range tests {
		if got := interval(tt.ttl); got != tt.want {
			t.Errorf("interval(%d) = %s, want %s", tt.ttl, got, tt.want)
		}
	}
}

func TestExitCodeAndVerdict(t *testing.T) {
	tests := []struct {
		gates  []Gate
		result string
		code   int
	}{
		{[]Gate{{Name: "a", OK: true}}, "", 0},
		{[]Gate{{Name: "a", OK: true}, {Name: "b"}}, ResultRefused, 1},
		{[]Gate{{Name: "a", Err: true}, {Name: "b"}}, ResultError, 2},
	}
	for _, tt := range tests {
		rep := &Report{Gates: tt.gates}
		ok := verdict(rep)
		if ok != (tt.result == "") || (!ok && rep.Result != tt.result) {
			t.Errorf("verdict(%+v) = %v %s", tt.gates, ok, rep.Result)
			continue
		}
		if !ok && rep.ExitCode() != tt.code {
			t.Errorf("exit %d, want %d", rep.ExitCode(), tt.code)
		}
		if !ok && !strings.Contains(strings.Join(rep.Actions, " "), "nothing changed at the registrar") {
			t.Errorf("a refusal says nothing about the registrar: %v", rep.Actions)
		}
	}
	// finish never touches the registrar: its refusal says what did not
	// happen, the end of the migration.
	rep := &Report{Command: "finish", Gates: []Gate{{Name: "overlap", OK: true}, {Name: "old-unreferenced"}}}
	verdict(rep)
	if got := strings.Join(rep.Actions, " "); got != "the migration is not finished: unmet gates old-unreferenced" {
		t.Errorf("a refused finish says %q", got)
	}
	for res, code := range map[string]int{ResultDone: 0, ResultDryRun: 0, ResultNothing: 0, ResultObserved: 0, ResultRefused: 1, ResultError: 2} {
		if got := (&Report{Result: res}).ExitCode(); got != code {
			t.Errorf("%s: exit %d, want %d", res, got, code)
		}
	}
}

func TestSideWant(t *testing.T) {
	s := Side{Delegation: []string{"ns2.example.test.", "ns.provider.net."}, Glue: map[string][]string{"ns2.example.test.": {"192.0.2.2"}, "ns.provider.net.": {"198.51.100.1"}}}
	d := s.Want("example.test.", 300)
	if strings.Join(d.NS, " ") != "ns.provider.net. ns2.example.test." || d.NSTTL != 300 || d.DS != nil {
		t.Errorf("Want = %+v", d)
	}
	if _, ok := d.Glue["ns.provider.net."]; ok || len(d.Glue["ns2.example.test."]) != 1 {
		t.Errorf("glue for out-of-bailiwick names: %v", d.Glue)
	}
	var _ registrar.Delegation = d
}

// TestCachedDS: every DS set validating resolvers may hold, each until
// the first record that no longer saw it (now, when the last record saw
// it) plus its TTL. The cases from "A, then none" on are the reviewer's
// (TestReviewCachedDSForgetsEarlierSets): CachedDS stopped at the first
// set that differed from the parent's, and returned nothing when that set
// was empty, so a set replaced by deleting it and adding another (a
// status run in between), or by a short-lived one, was forgotten while
// still cached.
func TestCachedDS(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	seen := func(s int, ttl uint32, ds ...string) Entry {
		return Entry{Time: at(s), Command: "status", Result: ResultObserved, ParentDS: &DSSeen{DS: ds, TTL: ttl}}
	}
	const A, B, C = "1 13 2 AA", "2 13 2 BB", "3 13 2 CC"
	type held struct {
		ds    string // the set's records, joined by ", "
		until int
	}
	tests := []struct {
		name    string
		entries []Entry
		cur     []string
		now     int
		want    []held
	}{
		{"never signed", []Entry{seen(0, 0)}, nil, 100, nil},
		{"DS still at the parent", []Entry{seen(0, 3600, A)}, []string{A}, 100, nil},
		{"gone now, first seen gone", []Entry{seen(0, 3600, A)}, nil, 100, []held{{A, 3700}}},
		{"gone since an earlier run", []Entry{seen(0, 3600, A), seen(50, 0), {Time: at(60), Command: "flip"}}, nil, 100, []held{{A, 3650}}},
		{"gone long enough", []Entry{seen(0, 3600, A), seen(50, 0)}, nil, 3650, nil},
		{"a DS added beside it, first seen now", []Entry{seen(0, 3600, A)}, []string{A, B}, 100, []held{{A, 3700}}},
		{"a DS added, seen since an earlier run", []Entry{seen(0, 3600, A), seen(50, 3600, "2 13 2 bb", A)}, []string{A, B}, 100, []held{{A, 3650}}},
		{"a DS added long enough ago", []Entry{seen(0, 3600, A), seen(50, 3600, A, B)}, []string{A, B}, 3650, nil},
		{"a DS replaced", []Entry{seen(0, 60, A)}, []string{B}, 10, []held{{A, 70}}},
		{"signed after being unsigned", []Entry{seen(0, 0)}, []string{B}, 10, nil},
		{"A, then B", []Entry{seen(0, 3600, A), seen(50, 3600, B)}, []string{B}, 100, []held{{A, 3650}}},
		// A served until t=50 (the record of none), TTL 3600 s: held until t=3650.
		{"A, then none (delete, then add), then B", []Entry{seen(0, 3600, A), seen(50, 0)}, []string{B}, 100, []held{{A, 3650}}},
		{"A, then none, then A+B", []Entry{seen(0, 3600, A), seen(50, 0)}, []string{A, B}, 100, []held{{A, 3650}}},
		{"A, then none, then B, seen since", []Entry{seen(0, 3600, A), seen(50, 0), seen(70, 3600, B)}, []string{B}, 100, []held{{A, 3650}}},
		// C served until now (t=100, TTL 60 s), A until t=50.
		{"A, then a short-lived C, then B", []Entry{seen(0, 3600, A), seen(50, 60, C)}, []string{B}, 100, []held{{C, 160}, {A, 3650}}},
		{"A, then C, then B, C expired", []Entry{seen(0, 3600, A), seen(50, 60, C), seen(70, 3600, B)}, []string{B}, 200, []held{{A, 3650}}},
		{"A expired long ago, then none, then B", []Entry{seen(0, 60, A), seen(50, 0), seen(1000, 3600, B)}, []string{B}, 2000, nil},
		{"two sets both still held", []Entry{seen(0, 3600, A), seen(50, 3600, A, B)}, []string{B}, 100, []held{{A, 3650}, {A + ", " + B, 3700}}},
		// A served twice: its later run ended now (t=200).
		{"A, then B, then A again, then B", []Entry{seen(0, 3600, A), seen(50, 60, B), seen(100, 3600, A)}, []string{B}, 200, []held{{A, 3800}}},
	}
	for _, tt := range tests {
		tr := &Trail{Entries: tt.entries}
		var got []held
		for _, h := range tr.CachedDS(tt.cur, at(tt.now)) {
			got = append(got, held{strings.Join(h.DS, ", "), int(h.Until.Sub(t0) / time.Second)})
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: at t=%d CachedDS = %v (sets, until t=), want %v", tt.name, tt.now, got, tt.want)
		}
	}
}

func TestZoneMaxTTL(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 600 A 192.0.2.1\n@ 86400 DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := ZoneMaxTTL(z); got != 600 {
		t.Errorf("ZoneMaxTTL = %d, want 600 (the DNSKEY's 86400 is the dnssec gate's)", got)
	}
}

// TestDelegationPolicyIPv6: policy.delegation.ipv6 false leaves IPv6
// addresses out of the delegation gate's checks; absent or true keeps
// them; anything but a boolean is a config error naming the line.
func TestDelegationPolicyIPv6(t *testing.T) {
	for _, tc := range []struct {
		yaml   string
		noIPv6 bool
		err    string
	}{
		{"policy:\n  delegation: {min_ns: 1}\n", false, ""},
		{"policy:\n  delegation:\n    ipv6: true\n", false, ""},
		{"policy:\n  delegation:\n    ipv6: false\n", true, ""},
		{"policy:\n  delegation:\n    ipv6: sometimes\n", false, "dnsparity.yaml:3"},
	} {
		cfg, err := config.Parse([]byte(tc.yaml), "dnsparity.yaml")
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one naming %s", tc.yaml, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.yaml, err)
		}
		p, err := DelegationPolicy(cfg)
		if err != nil || p.NoIPv6 != tc.noIPv6 {
			t.Errorf("%q: NoIPv6 %v (%v), want %v", tc.yaml, p.NoIPv6, err, tc.noIPv6)
		}
	}
}
