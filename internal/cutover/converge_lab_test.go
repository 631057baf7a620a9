package cutover

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
)

// Parent servers that disagree stop a step; a flip whose registrar change
// happened but was never recorded (the run died) is found in live DNS and
// recorded by the next run, which changes nothing; re-runs converge.
func TestConvergeLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	key := &lab.TSIGKey{Name: "k.", Secret: "Y29udmVyZ2Uta2V5LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNA=="}
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	// The NS names live in the parent zone; the sides serve their own.
	parentText := func(ns string) string {
		return "$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample NS " + ns + "\nns.old A " + oldIP + "\nns.new A " + newIP + "\n"
	}
	sideZone := func(side string) string {
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns.%s.test. h.example.test. 1 60 60 1209600 60\n@ NS ns.%s.test.\nwww A 192.0.2.80\n", side, side)
	}
	p1 := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText("ns.old.test.")}}})
	p2 := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText("ns.new.test.")}}})
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: sideZone("old")}}})
	new := lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: sideZone("new")}}})
	z := gitZone(t, sideZone("old"))
	reg := &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p1.Addr, key)}
	path := prestagedTrail(t, 60)
	mk := func(parents ...string) *Config {
		return &Config{
			Zone:          z,
			Old:           Side{Name: "old", Servers: []string{old.Addr}, Delegation: []string{"ns.old.test."}, Provider: rfc2136Provider(t, old.Addr, nil)},
			New:           Side{Name: "new", Servers: []string{new.Addr}, Delegation: []string{"ns.new.test."}, Provider: rfc2136Provider(t, new.Addr, nil)},
			ParentZone:    "test.",
			Registrar:     reg,
			ParentServers: parents,
			TrailPath:     path,
			Actor:         "tester",
			PrestageTTL:   60,
			Watch:         time.Second,
			Parity:        parity.Options{Timeout: 2 * time.Second, Retries: 2},
			Log:           io.Discard,
			// One server a side in one /24, transfers open (the names are
			// asked of the parent: no resolver).
			Delegation: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}},
		}
	}
	ctx := context.Background()

	rep := Flip(ctx, mk(p1.Addr, p2.Addr), false, false)
	if rep.ExitCode() != 2 || len(rep.Errors) == 0 || !strings.Contains(rep.Errors[0], "disagree") || rep.Delegation.PointsTo != "mixed" {
		t.Fatalf("flip with parent servers that disagree: %s %v points_to %s", rep.Result, rep.Errors, rep.Delegation.PointsTo)
	}
	if d, _ := registrar.Agreed(registrar.Lookup(ctx, []string{p1.Addr}, "example.test.", time.Second)); strings.Join(d.NS, " ") != "ns.old.test." {
		t.Fatalf("the parent changed: %v", d.NS)
	}

	// Every gate passes: a dry run says so, changes nothing, records itself.
	rep = Flip(ctx, mk(p1.Addr), true, false)
	if rep.ExitCode() != 0 || rep.Result != ResultDryRun {
		t.Fatalf("dry run: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}

	// The flip's registrar change happens, the run dies before recording.
	want := registrar.Delegation{NS: []string{"ns.new.test."}}
	if err := reg.SetDelegation(ctx, "example.test.", want); err != nil {
		t.Fatal(err)
	}
	rep = Flip(ctx, mk(p1.Addr), false, false)
	if rep.ExitCode() != 0 || rep.Result != ResultNothing || !strings.Contains(strings.Join(rep.Actions, " "), "recorded the flip found in live DNS") {
		t.Fatalf("re-run after a lost record: %s %v %v", rep.Result, rep.Actions, rep.Errors)
	}
	tr := readTrail(t, path)
	if st, _ := tr.Stage(); st != StageFlipped {
		t.Errorf("stage %s after the re-run", st)
	}
	n := len(tr.Entries)
	rep = Flip(ctx, mk(p1.Addr), false, false)
	tr = readTrail(t, path)
	if rep.Result != ResultNothing || len(tr.Entries) != n || len(rep.Errors) != 0 {
		t.Errorf("a second re-run: %s, %d → %d entries, errors %v", rep.Result, n, len(tr.Entries), rep.Errors)
	}

	// Rollback, and again: nothing to do.
	rep = Rollback(ctx, mk(p1.Addr), false, false)
	if rep.ExitCode() != 0 || rep.Result != ResultDone || rep.Delegation.PointsTo != "old" || !rep.Change.Confirmed {
		t.Fatalf("rollback: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if rep = Rollback(ctx, mk(p1.Addr), false, false); rep.Result != ResultNothing {
		t.Errorf("second rollback: %s", rep.Result)
	}
}
