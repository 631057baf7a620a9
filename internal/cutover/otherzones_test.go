package cutover

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestConfigZones: the steps of one run share one list of the config's
// zones, each with its file, for finish's git-target checks (made once:
// each zone's setup listed every other zone); each step skips its own
// (TestGitTargetsLookedUpNotScanned).
func TestConfigZones(t *testing.T) {
	const yml = `
zones:
  - {name: example.test, file: zones/example.test.zone}
  - {name: other.test, file: zones/other.test.zone}
  - {name: third.test, file: /abs/third.zone}
`
	cfg, err := config.Parse([]byte(yml), "/repo/dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sh := &Shared{}
	got := sh.configZones(cfg)
	want := []GitZone{{Origin: "example.test.", File: "/repo/zones/example.test.zone"}, {Origin: "other.test.", File: "/repo/zones/other.test.zone"}, {Origin: "third.test.", File: "/abs/third.zone"}}
	if !slices.Equal(got, want) {
		t.Errorf("the config's zones %+v, want %+v", got, want)
	}
	if again := sh.configZones(cfg); &again[0] != &got[0] {
		t.Error("the list was made again for the next step")
	}
}

// TestGitTargetsLookedUpNotScanned: finish's git-target checks of a step
// ask each other zone of the config for the step's old-only names and
// addresses (an index made once per zone file, shared by the steps of a
// run), where each step scanned every record of every other zone again:
// a wave over N zones did N² zones' records of work. A step's
// allocations over 2,000 other zones are those over 200, give or take,
// and it finds the same records: an MX naming the old server in one
// zone, and in another a CNAME to a name that zone gives the old
// server's address.
func TestGitTargetsLookedUpNotScanned(t *testing.T) {
	dir := t.TempDir()
	write := func(origin, text string) GitZone {
		t.Helper()
		file := filepath.Join(dir, origin+"zone")
		if err := os.WriteFile(file, []byte("$ORIGIN "+origin+"\n$TTL 300\n@ SOA ns1.provider.example. h 1 2 3 4 5\n@ NS ns1.provider.example.\n"+text), 0o644); err != nil {
			t.Fatal(err)
		}
		return GitZone{Origin: origin, File: file}
	}
	others := func(n int) []GitZone {
		// The step's own zone is in the list a wave shares (its file
		// is not read: a step skips it).
		out := []GitZone{{Origin: "example.test.", File: filepath.Join(dir, "not-read.zone")}, write("mx.test.", "@ MX 10 ns1.old.example.\n"), write("addr.test.", "srv A 192.0.2.9\nwww CNAME srv\n")}
		for i := range n - len(out) {
			out = append(out, write(fmt.Sprintf("z%04d.test.", i), "@ MX 10 mail\nmail A 192.0.2.1\nwww CNAME @\nftp A 192.0.2.2\n"))
		}
		return out
	}
	own, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1.provider.example. h 1 2 3 4 5\n@ NS ns1.provider.example.\n"), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	step := func(n int) (allocs float64, got []string) {
		gz := &GitZones{}
		list := others(n)
		gz.load(list, "")
		c := &Config{Zone: own, Root: dir, ConfigZones: list, GitZones: gz, New: Side{Delegation: []string{"ns1.new.example."}}}
		names, ips := map[string]bool{"ns1.old.example.": true}, map[string]bool{"192.0.2.9": true}
		c.oldOnlyNow = &sideOnlySet{names: names, ips: ips, other: c.newNames(), looked: map[string]bool{"ns1.provider.example.": true}, why: map[string]string{}}
		for _, ch := range gitTargetChecks(context.Background(), c, names, ips) {
			if !ch.OK {
				got = append(got, ch.Server)
			}
		}
		return testing.AllocsPerRun(3, func() { gitTargetChecks(context.Background(), c, names, ips) }), got
	}
	small, gotSmall := step(200)
	large, gotLarge := step(2000)
	want := []string{"mx.test.zone:5", "addr.test.zone:6"}
	if !slices.Equal(gotSmall, want) || !slices.Equal(gotLarge, want) {
		t.Errorf("failed checks %v and %v, want %v", gotSmall, gotLarge, want)
	}
	t.Logf("allocations of a step: %.0f over 200 other zones, %.0f over 2,000", small, large)
	if large > 2*small+50 {
		t.Errorf("a step's git-target checks allocate %.0f times over 2,000 other zones, %.0f over 200: each zone's records are scanned again", large, small)
	}
}

// TestGitTargetsOfOwnZone: the step's own zone is checked as the other
// zones are (its index), each record naming an old-only server (in any
// case) a failed check at its file and line, in zone order, whose fix is
// the step's own (the new side's servers); the other zones' fix names
// their zone.
func TestGitTargetsOfOwnZone(t *testing.T) {
	dir := t.TempDir()
	otherFile := filepath.Join(dir, "other.test.zone")
	if err := os.WriteFile(otherFile, []byte("$ORIGIN other.test.\n$TTL 300\n@ SOA ns1.provider.example. h 1 2 3 4 5\n@ NS ns1.provider.example.\n@ MX 10 ns1.old.example.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ownText := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1.provider.example. h 1 2 3 4 5\n@ NS ns1.provider.example.\n" +
		"@ MX 10 ns1.old.example.\nsip SRV 1 1 5060 www\nold CNAME NS1.OLD.Example.\n_sip._udp SRV 1 1 5060 ns1.old.example.\n"
	own, err := zone.Parse(strings.NewReader(ownText), filepath.Join(dir, "example.test.zone"), "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	list := []GitZone{{Origin: "example.test.", File: filepath.Join(dir, "not-read.zone")}, {Origin: "other.test.", File: otherFile}}
	c := &Config{Zone: own, Root: dir, ConfigZones: list, GitZones: &GitZones{}, New: Side{Delegation: []string{"ns1.new.example."}}}
	names, ips := map[string]bool{"ns1.old.example.": true}, map[string]bool{}
	c.oldOnlyNow = &sideOnlySet{names: names, ips: ips, other: c.newNames(), looked: map[string]bool{"ns1.provider.example.": true}, why: map[string]string{}}
	var got []string
	for _, ch := range gitTargetChecks(context.Background(), c, names, ips) {
		if ch.OK {
			continue
		}
		fix := "other"
		if strings.Contains(ch.Fix, "for the apex NS: ns1.new.example.") {
			fix = "own"
		}
		got = append(got, ch.Server+" "+ch.Got+" "+fix)
	}
	// The zone's order: its RRsets in canonical order (_sip._udp before old).
	want := []string{"example.test.zone:5 ns1.old.example. own", "example.test.zone:8 ns1.old.example. own", "example.test.zone:7 ns1.old.example. own",
		"other.test.zone:5 ns1.old.example. other"}
	if !slices.Equal(got, want) {
		t.Errorf("failed checks\n got %q\nwant %q", got, want)
	}
}
