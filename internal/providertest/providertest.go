// Package providertest is the coverage every HTTP API provider shares,
// run against that provider's fake API (an httptest server that follows
// the documented request and response shapes and keeps state): a first
// push read back record by record, a no-op push that writes nothing,
// pagination, 429 then success, a 5xx in the middle of a plan reported
// exactly and converging on a re-run, bad credentials refused before
// anything is written with no secret in the message, and a sequence of
// generated zones pushed one over another (Transitions: a name's type
// changed, CNAME to A and back, sets grown and shrunk, TTLs changed).
package providertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/export"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
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
	// headers), with retryAfter as their Retry-After when not "".
	Fault func(status, skip, times int, retryAfter string)
	// ZoneFile is the zone to push; the provider holds all of it.
	ZoneFile string
	// MidSkip is the number of write requests that succeed before the
	// 5xx of ServerErrorMidPlan (default 1).
	MidSkip int
	// Short makes the fake drop one record from its next listing page
	// while still reporting the zone's true size (pages, totals, a next
	// page), as an API losing rows does.
	Short func()
	// Refuses are the Corpus cases the provider cannot hold, each with a
	// part of the reason plan gives (RoundTrip).
	Refuses map[string]string
	// SeedUnreadable stores directly in the fake, at a name and type the
	// zone file lacks, a record the vendor's API can hold and list but the
	// provider's conversion refuses (a record made by hand at the
	// provider). It returns the record's owner (absolute) and type as the
	// provider's feature names them, and held, which reports whether the
	// fake still holds it (Unreadable).
	SeedUnreadable func() (name, typ string, held func() bool)
	// SetPageSize is the provider's test hook for its listing page size
	// (SetPageSize); PageSizesTaken are sizes its API takes,
	// PageSizesRefused sizes it does not (PageSizes).
	SetPageSize                      func(p provider.Provider, n int) error
	PageSizesTaken, PageSizesRefused []int
	// WriteApplied makes the fake apply the write request after the
	// next skip ones (whatever it creates, replaces or deletes) and then
	// answer it with status (a 5xx), or with none, the connection closed
	// (status -1, fakeapi.Lost): AppliedAtEachWrite.
	WriteApplied func(skip, status int)
}

// LargeRecords is the number of records LargeZone adds to the zone file.
const LargeRecords = 250

// Large is the harness's zone file with LargeRecords more records of
// several types (address, text, mail, alias), one RRset each.
func Large(h Harness) string {
	var b strings.Builder
	b.WriteString(h.ZoneFile)
	for i := range LargeRecords {
		switch i % 5 {
		case 0, 1:
			fmt.Fprintf(&b, "big%03d 300 A 198.51.100.%d\n", i, i%250+1)
		case 2:
			fmt.Fprintf(&b, "big%03d 900 TXT \"record %d of the large zone\"\n", i, i)
		case 3:
			fmt.Fprintf(&b, "big%03d 300 MX 10 mail%d.example.net.\n", i, i)
		case 4:
			fmt.Fprintf(&b, "big%03d 3600 CNAME target%d.example.net.\n", i, i)
		}
	}
	return b.String()
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

// Desired parses a zone file text for origin and fails on errors
// (zonetest.Load).
func Desired(t testing.TB, origin, text string) *zone.Zone {
	t.Helper()
	return zonetest.Load(t, text, origin)
}

// fresh is where most shared tests start: a provider against the fake
// with the harness's credential, and the harness's zone as git has it.
func (h Harness) fresh(t *testing.T) (provider.Provider, *zone.Zone) {
	t.Helper()
	return h.New(t, h.Secret), Desired(t, h.Origin, h.ZoneFile)
}

// converged fails t when d planned again against p is not empty: what
// came before (after: a push, a wait, refused tries) left something to
// do.
func converged(t testing.TB, p provider.Provider, d *zone.Zone, after string) {
	t.Helper()
	if pl := Plan(t, p, d); !pl.Empty() {
		t.Errorf("%s: plan not empty: %v", after, pl.Changes)
	}
}

// PlanOf computes the plan from the provider's records to d, refusals
// and all (Unsupported), for the test to judge.
func PlanOf(t testing.TB, p provider.Provider, d *zone.Zone) *plan.Plan {
	t.Helper()
	cur, err := p.Records(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	return plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
}

// Plan computes the plan from the provider's records to d; no RRset may
// be unsupported.
func Plan(t testing.TB, p provider.Provider, d *zone.Zone) *plan.Plan {
	t.Helper()
	pl := PlanOf(t, p, d)
	for _, u := range pl.Unsupported {
		t.Errorf("unsupported: %s", u)
	}
	return pl
}

// PlanRefusing computes the plan from the provider's records to d and
// requires it to refuse at least one RRset (Unsupported); a plan that
// refuses nothing is pushed, and the test fails with what the API
// answered.
func PlanRefusing(t testing.TB, p provider.Provider, d *zone.Zone) *plan.Plan {
	t.Helper()
	pl := PlanOf(t, p, d)
	if len(pl.Unsupported) == 0 {
		_, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
		t.Fatalf("plan refuses nothing; the push: %v", err)
	}
	return pl
}

// Refuses plans d against p and requires the plan to refuse exactly one
// RRset, of type typ and, unless owner is "", owner's, for a reason
// naming want, and to send no change of type typ: what the API refuses
// is refused when planned, never met half-way through a push. A plan
// that refuses nothing is pushed, and the test fails with what the API
// answered. The plan is returned for further checks.
func Refuses(t testing.TB, p provider.Provider, d *zone.Zone, owner string, typ uint16, want string) *plan.Plan {
	t.Helper()
	pl := PlanRefusing(t, p, d)
	if u := pl.Unsupported; len(u) != 1 || (owner != "" && u[0].Set.Name != owner) || u[0].Set.Type != typ || !strings.Contains(u[0].Reason, want) {
		t.Fatalf("plan refuses %v, want %s %s, naming %s", u, owner, dns.Type(typ), want)
	}
	for _, c := range pl.Changes {
		if c.Type == typ {
			t.Errorf("the plan still sends %s", c)
		}
	}
	return pl
}

// Push plans and applies d fully; the Apply reports its progress to the
// task it is handed (recorder.check).
func Push(t testing.TB, p provider.Provider, d *zone.Zone) provider.Result {
	t.Helper()
	pl := Plan(t, p, d)
	var rec recorder
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, &rec)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	if len(res.Applied) != len(pl.Changes) {
		t.Fatalf("applied %d of %d", len(res.Applied), len(pl.Changes))
	}
	rec.check(t, res)
	return res
}

// recorder is the progress handed to an Apply in a test
// (progress.Updater, which has no Stop: the caller owns the task): it
// records every Update.
type recorder struct {
	done []int
}

var _ progress.Updater = (*recorder)(nil)

func (r *recorder) Update(done int) { r.done = append(r.done, done) }

// check checks the progress an Apply that gave res reported to r: done
// never going back, and the last report all that res says applied (each
// change request that succeeded is reported).
func (r *recorder) check(t testing.TB, res provider.Result) {
	t.Helper()
	n := len(res.Applied)
	if n > 0 && (len(r.done) == 0 || r.done[len(r.done)-1] != n) {
		t.Errorf("progress of an Apply that applied %d changes: %v, want the last report %d", n, r.done, n)
	}
	for i := 1; i < len(r.done); i++ {
		if r.done[i] < r.done[i-1] {
			t.Errorf("progress goes back: %v", r.done)
			break
		}
	}
}

// LargeZone: a zone of LargeRecords records more than the shared zone,
// read with the smallest page the API allows (h.PageSize, at least 2.5
// pages), round trips: push, read back record by record, an empty plan,
// a push that writes nothing, and import (the provider's zone written as
// a zone file that parses and plans empty against the provider).
func LargeZone(t *testing.T, h Harness) {
	p := h.New(t, h.Secret)
	d := Desired(t, h.Origin, Large(h))
	Push(t, p, d)
	listsBefore := h.Lists()
	got, err := p.Records(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	// Counted in RRsets (the unit of NS1's listing; a lower bound for
	// the APIs that list records), the SOA aside (some APIs give it apart).
	records := 0
	for _, set := range got.Sets {
		if set.Type != dns.TypeSOA {
			records++
		}
	}
	if pages := float64(records) / float64(h.PageSize); pages < 2.5 {
		t.Fatalf("%d RRsets at %d per page are %.1f pages: the test needs at least 2.5", records, h.PageSize, pages)
	}
	if n, want := h.Lists()-listsBefore, (records+h.PageSize-1)/h.PageSize; n < want {
		t.Errorf("%d listing requests for %d RRsets at %d per page, want at least %d", n, records, h.PageSize, want)
	}
	missing := 0
	for _, set := range d.Sets {
		if set.Name == d.Origin && (set.Type == dns.TypeSOA || set.Type == dns.TypeNS) {
			continue
		}
		if g := got.Get(set.Name, set.Type); g == nil || !g.SameData(set) || g.TTL != set.TTL {
			missing++
			if missing <= 5 {
				t.Errorf("%s %s: read back wrong or missing", set.Name, dns.Type(set.Type))
			}
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d RRsets not read back", missing, len(d.Sets))
	}
	pl := Plan(t, p, d)
	if !pl.Empty() {
		t.Fatalf("plan after the push not empty: %d changes, first %v", len(pl.Changes), pl.Changes[0])
	}
	before := h.Writes()
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err != nil || res.Requests != 0 || h.Writes() != before {
		t.Errorf("a push of the empty plan: %v, %d requests, %d writes at the fake", err, res.Requests, h.Writes()-before)
	}
	// Import: the zone as the provider holds it, written as a zone file.
	ns, err := p.Nameservers(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := export.Write(&buf, got, export.Options{Source: "providertest", Nameservers: ns, File: "import.zone"}); err != nil {
		t.Fatal(err)
	}
	imported := Desired(t, d.Origin, buf.String())
	for _, set := range d.Sets {
		if set.Name == d.Origin && (set.Type == dns.TypeSOA || set.Type == dns.TypeNS) {
			continue
		}
		if g := imported.Get(set.Name, set.Type); g == nil || !g.SameData(set) {
			t.Errorf("import lacks %s %s", set.Name, dns.Type(set.Type))
		}
	}
	converged(t, p, imported, "the imported zone")
}

// ShortListing: a listing that comes back shorter than the API says the
// zone is (a page with a record missing) is an error, never a smaller
// zone: push would create what exists, import would drop records.
func ShortListing(t *testing.T, h Harness) {
	if h.Short == nil {
		t.Fatal("the harness has no Short fault")
	}
	p := h.New(t, h.Secret)
	d := Desired(t, h.Origin, Large(h))
	Push(t, p, d)
	h.Short()
	z, err := p.Records(context.Background(), d.Origin)
	if err == nil {
		n := 0
		if z != nil {
			n = z.Len()
		}
		t.Fatalf("a listing one record short was taken as the zone (%d RRsets, %d pushed)", n, len(d.Sets))
	}
	t.Logf("the short listing says: %v", err)
	if _, err := p.Records(context.Background(), d.Origin); err != nil {
		t.Errorf("the next listing, whole again: %v", err)
	}
}

// sharedTest is one shared test and its name.
type sharedTest struct {
	name string
	run  func(*testing.T, Harness)
}

// shared are the shared tests, in the order Names lists them: the one
// list of them (RunOne's and Names').
var shared = []sharedTest{
	{"PushReadBackNoop", PushReadBackNoop}, {"Pagination", Pagination}, {"Retry429", Retry429},
	{"RetryAfterWaited", RetryAfterWaited}, {"RetryAfterDate", RetryAfterDate}, {"RetryPastDeadline", RetryPastDeadline},
	{"ServerErrorMidPlan", ServerErrorMidPlan}, {"BadCredentials", BadCredentials},
	{"LargeZone", LargeZone}, {"ShortListing", ShortListing}, {"ReadOnce", ReadOnce},
	{"Corpus", Corpus}, {"Unreadable", Unreadable}, {"Transitions", Transitions},
	{"PageEdges", PageEdges}, {"OverBatch", OverBatch}, {"PageSizes", PageSizes},
	{"FailedAtEachWrite", FailedAtEachWrite}, {"AppliedAtEachWrite", AppliedAtEachWrite},
	{"DeclaredTypes", DeclaredTypes},
}

// RunOne runs the shared test of that name (each in a fresh fake: the
// caller's t.Run builds it).
func RunOne(t *testing.T, name string, h Harness) {
	i := slices.IndexFunc(shared, func(s sharedTest) bool { return s.name == name })
	if i < 0 {
		t.Fatalf("no shared test %q", name)
	}
	shared[i].run(t, h)
}

// Names are the shared tests, for RunOne.
var Names = func() []string {
	var out []string
	for _, s := range shared {
		out = append(out, s.name)
	}
	return out
}()

// ReadOnce: provider.Read, what plan and import read a zone with, lists
// it once (as many listing requests as Records) for the records Records
// reads and the features Features reports: a provider with features is a
// provider.Reader, so that many zones cost one listing each of the
// account's API budget, not two.
func ReadOnce(t *testing.T, h Harness) {
	p, d := h.fresh(t)
	Push(t, p, d)
	ctx := context.Background()
	before := h.Lists()
	want, err := p.Records(ctx, h.Origin)
	if err != nil {
		t.Fatal(err)
	}
	lists := h.Lists() - before
	var wantF []provider.Feature
	fr, reports := p.(provider.FeatureReporter)
	if reports {
		if wantF, err = fr.Features(ctx, h.Origin); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := p.(provider.Reader); reports && !ok {
		t.Error("the provider reports features but is no provider.Reader: plan lists each zone twice")
	}
	before = h.Lists()
	got, gotF, err := provider.Read(ctx, p, h.Origin)
	if err != nil {
		t.Fatal(err)
	}
	if n := h.Lists() - before; n != lists || lists == 0 {
		t.Errorf("Read sent %d listing requests, Records %d", n, lists)
	}
	text := func(z *zone.Zone) string {
		var out []string
		for _, s := range z.Sets {
			out = append(out, fmt.Sprintf("%d %s", s.TTL, strings.Join(s.Strings(), " | ")))
		}
		sort.Strings(out)
		return strings.Join(out, "\n")
	}
	if g, w := text(got), text(want); g != w || len(got.Sets) == 0 {
		t.Errorf("Read's records:\n%s\nRecords':\n%s", g, w)
	}
	if fmt.Sprint(gotF) != fmt.Sprint(wantF) {
		t.Errorf("Read's features %v, Features' %v", gotF, wantF)
	}
}

// Unreadable: a record the provider lists but cannot read (a hand-made
// one, h.SeedUnreadable) stops nothing. The listing goes on: provider.Read
// (what plan, push and the cutover's gates read a zone with) returns
// every other record and the record as an omitted
// provider.Unrepresentable feature; plan never deletes it, though git
// lacks it; a push of git's zone changed elsewhere (an RRset replaced,
// one created, one deleted) leaves it where it is, and so does the push
// after it, which has nothing to do.
func Unreadable(t *testing.T, h Harness) {
	if h.SeedUnreadable == nil {
		t.Fatal("the harness has no SeedUnreadable")
	}
	p, d := h.fresh(t)
	Push(t, p, d)
	name, typ, held := h.SeedUnreadable()
	ctx := context.Background()
	read := func() (*zone.Zone, []provider.Feature) {
		t.Helper()
		z, fs, err := provider.Read(ctx, p, h.Origin)
		if err != nil {
			t.Fatalf("a record it cannot read stopped the listing: %v", err)
		}
		return z, fs
	}
	z, fs := read()
	var found []provider.Feature
	for _, f := range fs {
		if f.Feature == provider.Unrepresentable {
			found = append(found, f)
		}
	}
	if len(found) != 1 || found[0].Name != name || found[0].Type != typ || !found[0].Omitted ||
		!strings.Contains(found[0].Detail, "dnsparity cannot read this record") || found[0].Advice == "" {
		t.Errorf("features %+v: want one omitted %s of %s %s", fs, provider.Unrepresentable, name, typ)
	}
	if z.Get(name, dns.StringToType[typ]) != nil {
		t.Errorf("the record it cannot read is listed: %v", z.Get(name, dns.StringToType[typ]).Strings())
	}
	pl := plan.Compute(d, z, plan.Options{Caps: p.Capabilities()})
	if len(pl.Changes) != 0 {
		t.Errorf("git's zone again: %d changes: %s", len(pl.Changes), provider.Describe(pl.Changes, 10))
	}
	ReadBack(t, p, d)
	// git's zone changed: one RRset replaced, one created, one deleted.
	var text []string
	for _, line := range strings.Split(h.ZoneFile, "\n") {
		if !strings.HasPrefix(line, "_sip._tcp ") {
			text = append(text, strings.Replace(line, "192.0.2.25", "192.0.2.27", 1))
		}
	}
	d2 := Desired(t, h.Origin, strings.Join(text, "\n")+"\nunread-new 300 TXT \"new\"\n")
	if len(d2.Sets) != len(d.Sets) {
		t.Fatalf("the changed zone file: %d RRsets, want %d", len(d2.Sets), len(d.Sets))
	}
	res := Push(t, p, d2)
	if len(res.Applied) == 0 {
		t.Error("the changed zone was not pushed")
	}
	for _, c := range res.Applied {
		if c.Name == zone.CanonicalName(name) && c.Type == dns.StringToType[typ] {
			t.Errorf("the push changed the record it cannot read: %s", c)
		}
	}
	if !held() {
		t.Fatalf("the push removed %s %s, which dnsparity cannot read", name, typ)
	}
	ReadBack(t, p, d2)
	Noop(t, p, d2, h.Writes)
	if !held() {
		t.Errorf("%s %s is gone", name, typ)
	}
	if _, fs := read(); len(fs) == 0 {
		t.Error("the record it cannot read is no longer reported")
	}
	// git gains an RRset at the record's own name and type: it is in no
	// listing, so a plan that did not know of the record would create
	// it, which overwrites it (an upsert), collides with it (the API
	// refuses, every run) or stands beside it. The plan lists it as
	// unsupported (push refuses) and changes nothing there.
	value := map[string]string{"A": "192.0.2.10", "TXT": `"from git"`, "OPENPGPKEY": "mQENBFLTs2YBCADHtTNoOhsi2yWbvKCsNxBWcJw2Q0g=", "HTTPS": "1 svc.example.net."}[typ]
	if value == "" {
		t.Fatalf("no value of type %s for git's RRset at %s", typ, name)
	}
	d3 := Desired(t, h.Origin, strings.Join(text, "\n")+"\nunread-new 300 TXT \"new\"\n"+name+" 300 "+typ+" "+value+"\n")
	z3, fs3 := read()
	pl = plan.Compute(d3, z3, plan.Options{Caps: p.Capabilities(), Unreadable: fs3})
	for _, c := range pl.Changes {
		if c.Name == zone.CanonicalName(name) && c.Type == dns.StringToType[typ] {
			t.Errorf("git's %s %s over the record it cannot read: the plan has %s", name, typ, c)
		}
	}
	if len(pl.Unsupported) != 1 || !strings.Contains(pl.Unsupported[0].Reason, "cannot read") || len(pl.Blocked(plan.Policy{Force: true})) == 0 {
		t.Errorf("git's %s %s over the record it cannot read: unsupported %v, want it refused even with --force", name, typ, pl.Unsupported)
	}
}

// PushReadBackNoop: every RRset pushed reads back byte for byte with its
// TTL, and a second push has nothing to do and writes nothing.
func PushReadBackNoop(t *testing.T, h Harness) {
	p, d := h.fresh(t)
	Push(t, p, d)
	ReadBack(t, p, d)
	Noop(t, p, d, h.Writes)
}

// ReadBack checks that the provider holds every RRset of d (the apex SOA
// and NS aside) byte for byte with its TTL.
func ReadBack(t testing.TB, p provider.Provider, d *zone.Zone) {
	t.Helper()
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
}

// Noop checks that a second push of d has nothing to do and sends no
// write (writes counts the fake's write requests).
func Noop(t testing.TB, p provider.Provider, d *zone.Zone, writes func() int) {
	t.Helper()
	before := writes()
	if pl := Plan(t, p, d); !pl.Empty() {
		t.Fatalf("second plan not empty: %v", pl.Changes)
	}
	if n := writes() - before; n != 0 {
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

// RetryAfterWaited: a refusal for rate whose Retry-After (1 s) is longer
// than the retry policy's Max (FastRetry's 20 ms) is waited whole before
// the write is tried again: the server asked for it (Cloudflare blocks
// every call for five minutes after a 429), and a try sooner only spends
// requests. The push then converges.
func RetryAfterWaited(t *testing.T, h Harness) {
	retryAfterWaited(t, h, func() (string, time.Time) { return "1", time.Now().Add(950 * time.Millisecond) })
}

// RetryAfterDate: as RetryAfterWaited, the Retry-After an HTTP-date
// (RFC 9110 §10.2.3: "Retry-After = HTTP-date / delay-seconds"), two
// seconds on (at least one whole second from now at the date's
// one-second precision): the push waits until then, as for a number of
// seconds.
func RetryAfterDate(t *testing.T, h Harness) {
	retryAfterWaited(t, h, func() (string, time.Time) {
		at := time.Now().Add(2 * time.Second)
		return at.UTC().Format(http.TimeFormat), at.Truncate(time.Second).Add(-50 * time.Millisecond)
	})
}

// retryAfterWaited: a push whose first write is refused for rate with
// the Retry-After value of retry (made once the fake and the provider
// are set up, just before the fault is set: a date made before a slow
// set-up could lie in the past and check nothing) does not end before
// until, and converges.
func retryAfterWaited(t *testing.T, h Harness, retry func() (value string, until time.Time)) {
	p, d := h.fresh(t)
	value, until := retry()
	h.Fault(429, 0, 1, value)
	defer h.Fault(0, 0, 0, "")
	Push(t, p, d)
	if now := time.Now(); now.Before(until) {
		t.Errorf("the push ended %s before the Retry-After of %q had passed: tried again before it", until.Sub(now), value)
	}
	converged(t, p, d, "after the wait")
}

// RetryPastDeadline: a refusal for rate whose Retry-After (3 s, within
// the retry policy's Longest) ends past the push's deadline (1 s) fails
// at once, naming the wait (httpretry.ErrWaitTooLong): never a sleep
// until the deadline ends it with "context deadline exceeded", which
// says neither why nor how long. The first write went through before it:
// the Result lists what is at the provider (what it could not read back
// in time said perhaps applied), and a re-run converges.
func RetryPastDeadline(t *testing.T, h Harness) {
	p, d := h.fresh(t)
	pl := Plan(t, p, d)
	h.Fault(429, max(h.MidSkip, 1), 100, "3")
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	var rec recorder
	res, err := p.Apply(ctx, d.Origin, pl.Changes, &rec)
	took := time.Since(start)
	if !errors.Is(err, httpretry.ErrWaitTooLong) || !strings.Contains(err.Error(), "3s before another try") {
		t.Errorf("a Retry-After past the deadline: %v, want %v naming the 3s wait", err, httpretry.ErrWaitTooLong)
	}
	if ctx.Err() != nil {
		t.Errorf("the push ended after its deadline (%s), not at the refusal", took)
	}
	if err == nil {
		return
	}
	t.Logf("the push past its deadline says: %v", err)
	rec.check(t, res)
	h.Fault(0, 0, 0, "")
	reported(t, p, d, pl, res, err, true)
}

// Retry429: two 429 answers to the first write, then success.
func Retry429(t *testing.T, h Harness) {
	p, d := h.fresh(t)
	h.Fault(429, 0, 2, "0")
	before := h.Writes()
	res := Push(t, p, d)
	// Every try is a request: the provider's count includes the refused
	// ones.
	if got, want := h.Writes()-before, res.Requests; got != want || got < 3 {
		t.Errorf("fake saw %d write requests, the provider counted %d (two refused tries and one more at least)", got, want)
	}
	converged(t, p, d, "after 429s")
}

// ServerErrorMidPlan: the second write fails on every try; the Result
// lists exactly what is at the provider, the error says which changes
// failed, and a re-run converges.
func ServerErrorMidPlan(t *testing.T, h Harness) {
	p, d := h.fresh(t)
	pl := Plan(t, p, d)
	h.Fault(503, max(h.MidSkip, 1), 100, "")
	var rec recorder
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, &rec)
	if err == nil {
		t.Fatal("no error")
	}
	t.Logf("the failed push says: %v", err)
	if !strings.Contains(err.Error(), "503") {
		t.Errorf("error does not name the status: %v", err)
	}
	rec.check(t, res)
	h.Fault(0, 0, 0, "")
	partlyApplied(t, p, d, pl, res, err)
}

// partlyApplied: after pl (of d's creates) was applied half-way to p
// (res, and the push's error pushErr), some but not all of its changes
// are reported applied; exactly those are at the provider, as planned
// (but one pushErr names as partly applied: one call of several), and a
// re-run converges.
func partlyApplied(t *testing.T, p provider.Provider, d *zone.Zone, pl *plan.Plan, res provider.Result, pushErr error) {
	t.Helper()
	if len(res.Applied) == 0 || len(res.Applied) >= len(pl.Changes) {
		t.Fatalf("applied %d of %d", len(res.Applied), len(pl.Changes))
	}
	reported(t, p, d, pl, res, pushErr, false)
}

// reported checks what a failed push reported against what the provider
// holds, then that a re-run converges: each change reported applied is
// there, each change of the plan is in one list of the Result
// (accounted), and each there but not reported applied is accounted for
// by the Result's Left (unreported): left neither old nor new, it is
// listed partly applied; done whole, with perhaps (a provider that could
// not read back what it sent), it is listed perhaps applied.
func reported(t *testing.T, p provider.Provider, d *zone.Zone, pl *plan.Plan, res provider.Result, pushErr error, perhaps bool) {
	t.Helper()
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
	accounted(t, pl.Changes, res, pushErr, "the push")
	for _, c := range pl.Changes {
		if applied[c.Key()] || got.Get(c.Name, c.Type) == nil {
			continue
		}
		if pushErr != nil && unreported(c, got.Get(c.Name, c.Type), res.Left, perhaps) {
			continue
		}
		t.Errorf("%s there but not reported applied (the Result's left: %+v)", c, res.Left)
	}
	Push(t, p, d)
	converged(t, p, d, "pushed again")
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
		if s.Name != d.Origin && len(cs) < 3 {
			cs = append(cs, provider.Change{Action: provider.Create, Name: s.Name, Type: s.Type, New: s})
		}
	}
	res, aerr := p.Apply(context.Background(), d.Origin, cs, nil)
	if !errors.Is(aerr, provider.ErrAuth) {
		t.Errorf("apply: %v", aerr)
	}
	// Refused at the zone lookup, before any write: every change is
	// listed not applied, and the error says so.
	accounted(t, cs, res, aerr, "apply with bad credentials")
	if len(res.Left.NotApplied) != len(cs) {
		t.Errorf("apply with bad credentials: the Result's left: %+v, want all %d changes not applied", res.Left, len(cs))
	}
	_, nerr := p.Nameservers(context.Background(), h.Origin)
	for _, e := range []error{err, aerr, nerr} {
		if e != nil && (strings.Contains(e.Error(), bad) || strings.Contains(e.Error(), h.Secret)) {
			t.Errorf("a secret is in the message: %v", e)
		}
		// The refusal is said once ("credentials refused: the API key (HTTP 401 ...)"),
		// not "refused: credentials refused".
		if e != nil && strings.Count(e.Error(), "refused") > 1 {
			t.Errorf("the refusal is said twice: %v", e)
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

// SDKFixtures are the raw string literals (`...`) of a test file of a
// pinned SDK module that keep accepts: the SDK's own recorded answers and
// expected bodies, read from the module cache (not copied) for a provider
// test to decode with the provider's code.
func SDKFixtures(t *testing.T, module, file string, keep func(string) bool) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	if err != nil {
		t.Fatalf("locating %s in the module cache: %v", module, err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(strings.TrimSpace(string(out)), file), nil, 0)
	if err != nil {
		t.Fatalf("%s's %s: %v", module, file, err)
	}
	var texts []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.HasPrefix(lit.Value, "`") {
			if s, err := strconv.Unquote(lit.Value); err == nil && keep(s) {
				texts = append(texts, s)
			}
		}
		return true
	})
	if len(texts) == 0 {
		t.Fatalf("no fixture of the kind wanted in %s's %s any more", module, file)
	}
	return texts
}
