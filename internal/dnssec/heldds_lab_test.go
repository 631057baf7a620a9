package dnssec_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/dnssec"
)

// TestGateEachHeldDSLab: several DS sets held (Input.Held, not in order
// of their ends): the side signed with key A satisfies the parent's DS A
// and a held set naming A, not two held sets naming other keys. Each set
// is judged on its own (a resolver holds one): refused, the refusal names
// both sets the side fails with their ends, and the plan waits for the
// later end, whichever place it has in Held.
func TestGateEachHeldDSLab(t *testing.T) {
	a := newSigner(t, origin)
	addr := serve(t, "bind", a.sign(t, zoneText, signOpts{}))
	now := time.Now()
	const dsX = "11111 13 2 1111111111111111111111111111111111111111111111111111111111111111"
	const dsY = "22222 13 2 2222222222222222222222222222222222222222222222222222222222222222"
	res, err := dnssec.Gate(context.Background(), dnssec.Input{
		Zone: origin, DS: []string{a.ds(t, "2")}, DSTTL: 60,
		Held: []dnssec.HeldDS{
			{DS: []string{a.ds(t, "4")}, Until: now.Add(time.Hour)},
			{DS: []string{dsY}, Until: now.Add(3 * time.Hour)},
			{DS: []string{dsX}, Until: now.Add(2 * time.Hour)},
			{DS: []string{"33333 13 2 " + strings.Repeat("33", 32)}, Until: now.Add(-time.Second)}, // over
		},
		Servers: []string{addr}, Sample: samples, Timeout: 2 * time.Second, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ok=%v %s: %s; plan %q", res.OK, res.Situation, res.Detail, res.Plan)
	if res.OK || res.Situation != dnssec.SignedMismatch {
		t.Fatalf("ok=%v %s, want refused: the side signs with neither key 11111 nor 22222", res.OK, res.Situation)
	}
	for _, want := range []string{
		"(key tags 22222) until " + deadline.Format(now.Add(3*time.Hour)),
		"(key tags 11111) until " + deadline.Format(now.Add(2*time.Hour)),
	} {
		if !strings.Contains(res.Detail, want) {
			t.Errorf("the refusal does not name %q: %s", want, res.Detail)
		}
	}
	if strings.Contains(res.Detail, "33333") {
		t.Errorf("a held set whose end has passed is judged: %s", res.Detail)
	}
	last := now.Add(3 * time.Hour)
	if len(res.Steps) == 0 || !res.Steps[0].Earliest.Equal(last) || !strings.HasPrefix(res.Plan[0], "(b) 4. Wait until "+deadline.Format(last)) {
		t.Errorf("the plan does not wait for the later end (%s): %q", deadline.Format(last), res.Plan)
	}
}
