package cutover

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestFinishStaleDSLab: an RFC 8901 migration whose overlap has passed;
// the new side (BIND) serves only its own keys (b) now, the parent (BIND,
// signed) still holds both DS (a: the old provider's KSK, b). finish is
// done, and warns about a's DS by its key tag with what to do; b's DS is
// not named. With only b's DS at the parent nothing is said, and with
// only a's the warning says the zone does not validate.
func TestFinishStaleDSLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p, a, b := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	dsA, dsB := a.ds(t), b.ds(t)
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "new", []string{dsA, dsB})}}})
	// Both sides serve git (apex NS: the new server); the old one still
	// signs with a, the new one with b alone (its copy of a's keys gone).
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, msZone("new", ip), b.keys(t))}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, msZone("new", ip), nil)}}})

	z := gitZone(t, msZone("new", ip))
	path := TrailPath(t.TempDir(), "example.test.")
	flipped := time.Now().UTC().Add(-time.Hour)
	before := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 5, DS: []string{dsA, dsB}, DSTTL: 5, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
	after := registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 5, DS: []string{dsA, dsB}, DSTTL: 5}
	appendTrail(t, path, flipEntry(flipped, before, after))
	c := signedConfig(t, z, ip, old, nw, parent, path, 5)
	c.Overlap = time.Minute
	rep := Finish(context.Background(), c)
	t.Logf("finish: %s; warnings %q; actions %q", rep.Result, rep.Warnings, rep.Actions)
	if rep.Result != ResultDone {
		t.Fatalf("finish: %s, gates %+v, errors %v", rep.Result, rep.Gates, rep.Errors)
	}
	named := func(ws []string, tag string) bool {
		return slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(w, "(key tag "+tag+")") })
	}
	if !named(rep.Warnings, a.KSKTag()) || !slices.ContainsFunc(rep.Warnings, func(w string) bool {
		return strings.Contains(w, "matches no DNSKEY the new side serves") && strings.Contains(w, "remove that DS record at the registrar")
	}) {
		t.Errorf("finish does not warn about the old provider's DS (key tag %s): %q", a.KSKTag(), rep.Warnings)
	}
	if named(rep.Warnings, b.KSKTag()) || len(rep.Warnings) != 1 {
		t.Errorf("finish warns about more than the old provider's DS: %q", rep.Warnings)
	}
	if !slices.ContainsFunc(rep.Actions, func(s string) bool { return strings.Contains(s, "remove the DS records the warnings name") }) {
		t.Errorf("actions: %q", rep.Actions)
	}

	// The same check with the new side's DS alone, and with the old one's.
	if w, _ := staleDS(context.Background(), c, []string{dsB}); len(w) != 0 {
		t.Errorf("only the new side's DS: %q", w)
	}
	if w, _ := staleDS(context.Background(), c, []string{dsA}); len(w) != 1 || !strings.Contains(w[0], "cannot validate") {
		t.Errorf("only the old side's DS: %q", w)
	}
	// A DS of the new side's key tag and algorithm of a digest type not
	// computed here (3, GOST R 34.11-94): it may be that key's, so it is
	// named as not compared, never as one to remove, nor as one matching
	// nothing. On the code before, finish told to remove it ("the old
	// provider's key, left behind"), and alone, that the zone did not
	// validate.
	f := strings.Fields(dsB)
	gost := strings.Join([]string{f[0], f[1], "3", strings.Repeat("AB", 32)}, " ")
	for _, set := range [][]string{{dsB, gost}, {gost}} {
		w, remove := staleDS(context.Background(), c, set)
		t.Logf("DS %q: %q", set, w)
		if remove || len(w) != 1 || !strings.Contains(w[0], "digest type 3") || strings.Contains(w[0], "remove that DS") || strings.Contains(w[0], "cannot validate") {
			t.Errorf("a DS of the new key's tag of digest type 3 (set %q): %q, remove %v", set, w, remove)
		}
	}
}
