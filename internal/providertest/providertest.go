// Package providertest is the coverage every HTTP API provider shares,
// run against that provider's fake API (an httptest server that follows
// the documented request and response shapes and keeps state): a first
// push read back record by record, a no-op push that writes nothing,
// pagination, 429 then success, a 5xx in the middle of a plan reported
// exactly and converging on a re-run, and bad credentials refused before
// anything is written with no secret in the message.
package providertest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Harness connects the shared tests to one provider and its fake.
type Harness struct {
	// Origin of the zone the fake holds (empty at first).
	Origin string
	// Secret is the credential the fake accepts.
	Secret string
	// New makes a provider against the fake with this credential (short
	// retry waits, small pages).
	New func(t *testing.T, secret string) provider.Provider
	// Writes counts the write requests the fake received (failed ones
	// included); Lists the listing requests.
	Writes, Lists func() int
	// SeedA stores n plain A records directly in the fake (not through
	// the provider).
	SeedA func(n int)
	// PageSize is the listing page size New sets.
	PageSize int
	// Fault makes the fake answer the write requests after the next skip
	// ones with status, times times (429 with the provider's rate-limit
	// headers).
	Fault func(status, skip, times int)
	// ZoneFile is the zone to push; the provider holds all of it.
	ZoneFile string
	// MidSkip is the number of write requests that succeed before the
	// 5xx of ServerErrorMidPlan (default 1).
	MidSkip int
}

// CommonRecords are zone-file lines (below $ORIGIN example.com.) every
// hosted provider holds: address, mail, SPF, CAA, CNAME and SRV records.
const CommonRecords = `@        A     192.0.2.1
@        A     192.0.2.2
@        AAAA  2001:db8::1
@        MX    10 mail.example.com.
@        MX    20 mail.other.net.
@        TXT   "v=spf1 ip4:192.0.2.0/24 -all"
@        CAA   0 issue "letsencrypt.org"
@        CAA   128 iodef "mailto:security@example.com"
www      CNAME example.com.
mail     A     192.0.2.25
_sip._tcp SRV  10 5 5060 sip.example.com.
sip      A     192.0.2.30
`

// Desired parses a zone file text for origin and fails on errors.
func Desired(t testing.TB, origin, text string) *zone.Zone {
	t.Helper()
	z, err := zone.Parse(strings.NewReader(text), "test.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range z.Problems {
		if p.Severity == zone.Error {
			t.Fatalf("zone: %s", p)
		}
	}
	return z
}

// Plan computes the plan from the provider's records to d; no RRset may
// be unsupported.
func Plan(t testing.TB, p provider.Provider, d *zone.Zone) *plan.Plan {
	t.Helper()
	cur, err := p.Records(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
	for _, u := range pl.Unsupported {
		t.Errorf("unsupported: %s", u)
	}
	return pl
}

// Push plans and applies d fully.
func Push(t testing.TB, p provider.Provider, d *zone.Zone) provider.Result {
	t.Helper()
	pl := Plan(t, p, d)
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	if len(res.Applied) != len(pl.Changes) {
		t.Fatalf("applied %d of %d", len(res.Applied), len(pl.Changes))
	}
	return res
}

// Run runs every shared test.
func Run(t *testing.T, h Harness) {
	t.Run("PushReadBackNoop", func(t *testing.T) { PushReadBackNoop(t, h) })
	t.Run("Pagination", func(t *testing.T) { Pagination(t, h) })
	t.Run("Retry429", func(t *testing.T) { Retry429(t, h) })
	t.Run("ServerErrorMidPlan", func(t *testing.T) { ServerErrorMidPlan(t, h) })
	t.Run("BadCredentials", func(t *testing.T) { BadCredentials(t, h) })
}

// PushReadBackNoop: every RRset pushed reads back byte for byte with its
// TTL, and a second push has nothing to do and writes nothing.
func PushReadBackNoop(t *testing.T, h Harness) {
	p := h.New(t, h.Secret)
	d := Desired(t, h.Origin, h.ZoneFile)
	Push(t, p, d)
	got, err := p.Records(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range d.Sets {
		if set.Name == d.Origin && (set.Type == dns.TypeSOA || set.Type == dns.TypeNS) {
			continue
		}
		g := got.Get(set.Name, set.Type)
		if g == nil || !g.SameData(set) || g.TTL != set.TTL {
			var have []string
			if g != nil {
				have = g.Strings()
			}
			t.Errorf("%s %s: read back %v, want %v", set.Name, dns.Type(set.Type), have, set.Strings())
		}
	}
	before := h.Writes()
	if pl := Plan(t, p, d); !pl.Empty() {
		t.Fatalf("second plan not empty: %v", pl.Changes)
	}
	if n := h.Writes() - before; n != 0 {
		t.Errorf("no-op push sent %d writes", n)
	}
}

// Pagination: records over several pages are all read, one request per
// page.
func Pagination(t *testing.T, h Harness) {
	const n = 23
	h.SeedA(n)
	p := h.New(t, h.Secret)
	before := h.Lists()
	z, err := p.Records(context.Background(), h.Origin)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for i := range n {
		if z.Get(fmt.Sprintf("h%02d.%s", i, h.Origin), dns.TypeA) != nil {
			seen++
		}
	}
	if seen != n {
		t.Errorf("read %d of %d seeded records over pages", seen, n)
	}
	min := (n + h.PageSize - 1) / h.PageSize
	if got := h.Lists() - before; got < min {
		t.Errorf("%d list requests for %d records at %d per page, want at least %d", got, n, h.PageSize, min)
	}
}

// Retry429: two 429 answers to the first write, then success.
func Retry429(t *testing.T, h Harness) {
	p := h.New(t, h.Secret)
	d := Desired(t, h.Origin, h.ZoneFile)
	h.Fault(429, 0, 2)
	before := h.Writes()
	res := Push(t, p, d)
	// Every try is a request: the provider's count includes the refused
	// ones.
	if got, want := h.Writes()-before, res.Requests; got != want || got < 3 {
		t.Errorf("fake saw %d write requests, the provider counted %d (two refused tries and one more at least)", got, want)
	}
	if pl := Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged after 429s: %v", pl.Changes)
	}
}

// ServerErrorMidPlan: the second write fails on every try; the Result
// lists exactly what is at the provider, the error says which changes
// failed, and a re-run converges.
func ServerErrorMidPlan(t *testing.T, h Harness) {
	p := h.New(t, h.Secret)
	d := Desired(t, h.Origin, h.ZoneFile)
	pl := Plan(t, p, d)
	h.Fault(503, max(h.MidSkip, 1), 100)
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes)
	if err == nil {
		t.Fatal("no error")
	}
	t.Logf("the failed push says: %v", err)
	if !strings.Contains(err.Error(), "503") {
		t.Errorf("error does not name the status: %v", err)
	}
	if len(res.Applied) == 0 || len(res.Applied) >= len(pl.Changes) {
		t.Fatalf("applied %d of %d", len(res.Applied), len(pl.Changes))
	}
	h.Fault(0, 0, 0)
	got, err := p.Records(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	applied := map[zone.Key]bool{}
	for _, c := range res.Applied {
		applied[c.Key()] = true
		if g := got.Get(c.Name, c.Type); g == nil || !g.SameData(c.New) {
			t.Errorf("%s reported applied but not there", c)
		}
	}
	for _, c := range pl.Changes {
		// A change left half-done (one call of several) must be named.
		if !applied[c.Key()] && got.Get(c.Name, c.Type) != nil && !strings.Contains(err.Error(), c.String()+" partly applied") {
			t.Errorf("%s there but not reported applied", c)
		}
	}
	Push(t, p, d)
	if pl := Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

// BadCredentials: refused with ErrAuth, nothing written, no secret in any
// message.
func BadCredentials(t *testing.T, h Harness) {
	bad := "wrong-secret-" + strings.Repeat("x", 12)
	p := h.New(t, bad)
	before := h.Writes()
	_, err := p.Records(context.Background(), h.Origin)
	if !errors.Is(err, provider.ErrAuth) {
		t.Fatalf("error %v does not wrap ErrAuth", err)
	}
	d := Desired(t, h.Origin, h.ZoneFile)
	var cs []provider.Change
	for _, s := range d.Sets {
		if s.Name != d.Origin {
			cs = append(cs, provider.Change{Action: provider.Create, Name: s.Name, Type: s.Type, New: s})
			break
		}
	}
	_, aerr := p.Apply(context.Background(), d.Origin, cs)
	if !errors.Is(aerr, provider.ErrAuth) {
		t.Errorf("apply: %v", aerr)
	}
	_, nerr := p.Nameservers(context.Background(), h.Origin)
	for _, e := range []error{err, aerr, nerr} {
		if e != nil && (strings.Contains(e.Error(), bad) || strings.Contains(e.Error(), h.Secret)) {
			t.Errorf("a secret is in the message: %v", e)
		}
	}
	if n := h.Writes() - before; n != 0 {
		t.Errorf("%d writes with bad credentials", n)
	}
}

// CheckHolds checks caps.Holds against every case: a record (zone-file
// text) and whether the provider holds it as a one-record RRset.
func CheckHolds(t *testing.T, caps provider.Capabilities, cases map[string]bool) {
	t.Helper()
	for _, text := range slices.Sorted(maps.Keys(cases)) {
		rr, err := dns.NewRR(text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		set, err := zone.NewRRSet([]dns.RR{rr})
		if err != nil {
			t.Fatal(err)
		}
		if ok, why := caps.Holds(set); ok != cases[text] {
			t.Errorf("%s: holds %v (%s), want %v", text[:min(len(text), 60)], ok, why, cases[text])
		}
	}
}
