package providertest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// RetriedThenEndless: d pushed while the fake refuses the first write
// requests (faults, added before) is pushed whole in wantWrites write
// requests (writes counts them: the refused tries and the one that
// went through); then, with endless (added then) refusing every request
// more often than the provider's policy tries, reading the zone is an
// error naming code (a status, an API's error code), not a hang.
func RetriedThenEndless(t *testing.T, p provider.Provider, d *zone.Zone, writes func() int, wantWrites int, endless func(), code string) {
	t.Helper()
	before := writes()
	Push(t, p, d)
	if n := writes() - before; n != wantWrites {
		t.Errorf("%d write requests, want %d (the refused tries, then success)", n, wantWrites)
	}
	endless()
	if _, err := p.Records(context.Background(), d.Origin); err == nil || !strings.Contains(err.Error(), code) {
		t.Errorf("refused past the retry policy: %v, want an error naming %s", err, code)
	}
}

// MidPlanFailure: the plan of d into p's empty zone, applied while the
// fake fails its second write request on every try (fault, called after
// planning), gives an error naming each of want (which batch failed, the
// status or code); check, when not nil, checks the Result further (the
// provider's request count, the fake's store). Exactly the changes the
// Result lists as applied are at the provider, and a re-run converges.
func MidPlanFailure(t *testing.T, p provider.Provider, d *zone.Zone, fault func(), want []string, check func(res provider.Result)) {
	t.Helper()
	pl := Plan(t, p, d)
	fault()
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not say %q (which batch failed, and why): %v", w, err)
		}
	}
	if check != nil {
		check(res)
	}
	partlyApplied(t, p, d, pl, res, err)
}

// RefusedCredentials: p, made with a credential the fake refuses (key,
// the part that is secret), reads nothing: an error wrapping ErrAuth and
// naming code (the API's own word for the refusal, when not empty), and
// never quoting key. A create of mail.example.com.'s A record (of d) at
// x.example.com. is refused the same way, and nothing is written (writes
// counts the fake's write requests).
func RefusedCredentials(t *testing.T, p provider.Provider, key string, d *zone.Zone, writes func() int, code string) {
	t.Helper()
	before := writes()
	_, err := p.Records(context.Background(), d.Origin)
	if !errors.Is(err, provider.ErrAuth) || !strings.Contains(err.Error(), code) {
		t.Fatalf("error %v: want ErrAuth and %q", err, code)
	}
	if strings.Contains(err.Error(), key) {
		t.Errorf("error shows the secret: %v", err)
	}
	_, err = p.Apply(context.Background(), d.Origin, []provider.Change{{Action: provider.Create, Name: "x." + d.Origin, Type: dns.TypeA, New: d.Get("mail."+d.Origin, dns.TypeA)}}, nil)
	if !errors.Is(err, provider.ErrAuth) || strings.Contains(err.Error(), key) {
		t.Errorf("apply: %v", err)
	}
	if n := writes() - before; n != 0 {
		t.Errorf("%d writes with bad credentials", n)
	}
}
