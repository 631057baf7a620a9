package route53domains_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains/r53dtest"
)

const (
	keyID  = "AKIDDOMAINS01"
	secret = "domains-secret-key-value"
)

// newRegistrar makes the registrar through the registry, as cutover does.
func newRegistrar(t *testing.T, s *r53dtest.Server, key string) registrar.Registrar {
	t.Helper()
	reg := registrarOf(t, "  url: "+s.URL+"\n", key)
	reg.(*route53domains.Registrar).SetPoll(time.Millisecond, 5*time.Second)
	return reg
}

// registrarOf makes the registrar of a route53domains config of these
// lines and keys named by variables that hold keyID and key.
func registrarOf(t *testing.T, lines, key string) registrar.Registrar {
	t.Helper()
	cfg, err := config.Parse([]byte("registrar:\n  type: route53domains\n"+lines+"  access_key_id_env: R53D_KEY\n  secret_access_key_env: R53D_SECRET\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"R53D_KEY": keyID, "R53D_SECRET": key}
	reg, err := registrar.New(cfg.Registrar, registrar.Env{Config: cfg, Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// A KSK (ECDSA P-256) for the DS tests.
const ksk = "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="

func dsOf(t *testing.T, dnskey string) string {
	t.Helper()
	rr, err := dns.NewRR("example.com. 3600 IN DNSKEY " + dnskey)
	if err != nil {
		t.Fatal(err)
	}
	ds := rr.(*dns.DNSKEY).ToDS(dns.SHA256)
	return strings.Join(strings.Fields(ds.String())[4:], " ")
}

func TestFlipAndRollbackThroughRegistrar(t *testing.T) {
	s := r53dtest.New(keyID, secret)
	defer s.Close()
	s.PendingPolls = 2
	s.AddDomain("example.com", "ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk")
	reg := newRegistrar(t, s, secret)
	ctx := context.Background()

	d, err := reg.Delegation(ctx, "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.NS, " ") != "ns-1.awsdns-01.org. ns-2.awsdns-02.co.uk." || len(d.DS) != 0 {
		t.Fatalf("initial delegation %+v", d)
	}
	old := d

	// Flip to the new provider, with in-bailiwick glue and a signed zone.
	want := registrar.Delegation{
		NS:   []string{"ns1.example.com.", "ADA.ns.cloudflare.com."},
		Glue: map[string][]string{"NS1.Example.com": {"192.0.2.53"}},
		DS:   []string{ksk},
	}
	if err := reg.SetDelegation(ctx, "example.com.", want); err != nil {
		t.Fatal(err)
	}
	got, err := reg.Delegation(ctx, "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.NS, " ") != "ada.ns.cloudflare.com. ns1.example.com." {
		t.Errorf("NS after flip: %v", got.NS)
	}
	if g := got.Glue["ns1.example.com."]; len(g) != 1 || g[0] != "192.0.2.53" {
		t.Errorf("glue after flip: %v", got.Glue)
	}
	if len(got.DS) != 1 || got.DS[0] != dsOf(t, ksk) {
		t.Errorf("DS after flip: %v, want %s", got.DS, dsOf(t, ksk))
	}
	if n := s.Count("GetOperationDetail"); n < 2*3 {
		t.Errorf("operations polled %d times, want each until it completed", n)
	}

	// The same delegation again: nothing to do (the DS given as DS now).
	before := s.Count("UpdateDomainNameservers") + s.Count("AssociateDelegationSignerToDomain")
	want.DS = got.DS
	if err := reg.SetDelegation(ctx, "example.com.", want); err != nil {
		t.Fatal(err)
	}
	if after := s.Count("UpdateDomainNameservers") + s.Count("AssociateDelegationSignerToDomain"); after != before {
		t.Errorf("an unchanged delegation sent %d changes", after-before)
	}

	// Roll back: the old NS and no DS.
	old.DS = []string{}
	if err := reg.SetDelegation(ctx, "example.com.", old); err != nil {
		t.Fatal(err)
	}
	back, err := reg.Delegation(ctx, "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(back.NS, " ") != "ns-1.awsdns-01.org. ns-2.awsdns-02.co.uk." || len(back.DS) != 0 || len(back.Glue) != 0 {
		t.Errorf("after rollback %+v", back)
	}
}

func TestSetDelegationFailures(t *testing.T) {
	s := r53dtest.New(keyID, secret)
	defer s.Close()
	s.AddDomain("example.com", "ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk")
	reg := newRegistrar(t, s, secret)
	ctx := context.Background()
	newNS := registrar.Delegation{NS: []string{"ada.ns.cloudflare.com.", "bob.ns.cloudflare.com."}}

	// A DS the registry cannot take (no DNSKEY): refused before any change.
	withDS := newNS
	withDS.DS = []string{"12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"}
	err := reg.SetDelegation(ctx, "example.com.", withDS)
	if err == nil || !strings.Contains(err.Error(), "DNSKEY") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("DS without key: %v", err)
	}
	if s.Count("UpdateDomainNameservers") != 0 {
		t.Error("nameservers changed although the DS was refused")
	}

	// The registry fails the operation: reported, nothing changed there.
	s.FailNext("UPDATE_NAMESERVER", "TLD registry rejected the nameservers")
	err = reg.SetDelegation(ctx, "example.com.", newNS)
	if err == nil || !strings.Contains(err.Error(), "FAILED") || !strings.Contains(err.Error(), "TLD registry rejected") {
		t.Errorf("failed operation: %v", err)
	}
	if ns := s.Nameservers("example.com"); ns[0].Name != "ns-1.awsdns-01.org" {
		t.Errorf("nameservers changed by a failed operation: %v", ns)
	}

	// A failure after a step that worked says what was done.
	s.FailNext("UPDATE_NAMESERVER", "registry busy")
	withKey := newNS
	withKey.DS = []string{ksk}
	err = reg.SetDelegation(ctx, "example.com.", withKey)
	if err == nil || !strings.Contains(err.Error(), "associated") || !strings.Contains(err.Error(), "registry busy") {
		t.Errorf("partial: %v", err)
	}
	// A re-run converges.
	if err := reg.SetDelegation(ctx, "example.com.", withKey); err != nil {
		t.Fatal(err)
	}
	if d, _ := reg.Delegation(ctx, "example.com."); len(d.DS) != 1 || d.NS[0] != "ada.ns.cloudflare.com." {
		t.Errorf("after re-run: %+v", d)
	}

	// Unknown domain.
	if _, err := reg.Delegation(ctx, "missing.org."); err == nil || !strings.Contains(err.Error(), "InvalidInput") {
		t.Errorf("unknown domain: %v", err)
	}
}

// TestOperationErrorNotNothingChanged: an operation that ends ERROR, a
// status the API reference lists but does not explain, may have made its
// change (the fake makes it here): the error must say so, not "nothing
// was changed", which is FAILED's meaning; a re-run reads the registry
// and converges.
func TestOperationErrorNotNothingChanged(t *testing.T) {
	s := r53dtest.New(keyID, secret)
	defer s.Close()
	s.AddDomain("example.com", "ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk")
	reg := newRegistrar(t, s, secret)
	ctx := context.Background()
	newNS := registrar.Delegation{NS: []string{"ada.ns.cloudflare.com.", "bob.ns.cloudflare.com."}}
	s.ErrorNext("UPDATE_NAMESERVER", "an internal error", true)
	err := reg.SetDelegation(ctx, "example.com.", newNS)
	if err == nil || strings.Contains(err.Error(), "nothing was changed") || !strings.Contains(err.Error(), "ERROR") || !strings.Contains(err.Error(), "may have") {
		t.Errorf("operation ended ERROR, its change made: %v; want it named ERROR and the change said perhaps made", err)
	}
	if ns := s.Nameservers("example.com"); ns[0].Name != "ada.ns.cloudflare.com" {
		t.Fatalf("the fake did not make the change: %v", ns)
	}
	if err := reg.SetDelegation(ctx, "example.com.", newNS); err != nil {
		t.Fatalf("re-run: %v", err)
	}
	if n := s.Count("UpdateDomainNameservers"); n != 1 {
		t.Errorf("%d UpdateDomainNameservers, want 1: the re-run reads the change made", n)
	}
}

func TestBadCredentials(t *testing.T) {
	s := r53dtest.New(keyID, secret)
	defer s.Close()
	s.AddDomain("example.com", "ns-1.awsdns-01.org")
	bad := "not-the-domains-secret"
	reg := newRegistrar(t, s, bad)
	_, err := reg.Delegation(context.Background(), "example.com.")
	if !errors.Is(err, route53domains.ErrAuth) || strings.Contains(err.Error(), bad) {
		t.Fatalf("bad secret: %v", err)
	}
	err = reg.SetDelegation(context.Background(), "example.com.", registrar.Delegation{NS: []string{"a.example.net."}})
	if !errors.Is(err, route53domains.ErrAuth) || s.Count("UpdateDomainNameservers") != 0 {
		t.Errorf("set with bad secret: %v", err)
	}
	// A missing variable is named, its value never needed.
	cfg, _ := config.Parse([]byte("registrar:\n  type: route53domains\n  access_key_id_env: NOPE_KEY\n  secret_access_key_env: NOPE_SECRET\n"), "dnsparity.yaml")
	if _, err := registrar.New(cfg.Registrar, registrar.Env{Config: cfg, Getenv: func(string) string { return "" }}); err == nil || !strings.Contains(err.Error(), "NOPE_KEY") {
		t.Errorf("missing variable: %v", err)
	}
}

func TestEndpointFromEnvironment(t *testing.T) {
	s := r53dtest.New(keyID, secret)
	defer s.Close()
	s.AddDomain("example.com", "ns-1.awsdns-01.org")
	t.Setenv("AWS_ENDPOINT_URL_ROUTE_53_DOMAINS", s.URL)
	reg := registrarOf(t, "", secret)
	d, err := reg.Delegation(context.Background(), "example.com.")
	if err != nil || len(d.NS) != 1 {
		t.Fatalf("%+v %v", d, err)
	}
}

// TestRegionDefault: Route 53 Domains has one endpoint, in us-east-1, so
// without a region in the config the registrar signs for us-east-1 even
// when AWS_REGION names the region of the job's other services; a region
// in the config is taken as written.
func TestRegionDefault(t *testing.T) {
	s := r53dtest.New(keyID, secret)
	defer s.Close()
	s.AddDomain("example.com", "ns-1.awsdns-01.org")
	var mu sync.Mutex
	var scope string
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Credential=KEY/DATE/REGION/SERVICE/aws4_request
		if _, cred, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
			if parts := strings.Split(cred, "/"); len(parts) > 2 {
				mu.Lock()
				scope = parts[2]
				mu.Unlock()
			}
		}
		s.Config.Handler.ServeHTTP(w, r)
	}))
	defer front.Close()
	t.Setenv("AWS_REGION", "eu-west-1")
	for _, tt := range []struct{ region, want string }{{"", "us-east-1"}, {"us-west-2", "us-west-2"}} {
		lines := "  url: " + front.URL + "\n"
		if tt.region != "" {
			lines += "  region: " + tt.region + "\n"
		}
		if _, err := registrarOf(t, lines, secret).Delegation(context.Background(), "example.com."); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		if scope != tt.want {
			t.Errorf("region %q in the config: signed for %q, want %q", tt.region, scope, tt.want)
		}
		mu.Unlock()
	}
}

// TestPendingNamesCustomerAction: an operation the registry holds
// IN_PROGRESS with a StatusFlag ("Lists any outstanding operations that
// require customer action", GetOperationDetail: PENDING_CUSTOMER_ACTION,
// e.g. an email to answer) waits for someone, not for the registry: the
// error at the end of the wait names that flag, so the operator knows
// what to do, beside the operation still pending.
func TestPendingNamesCustomerAction(t *testing.T) {
	s := r53dtest.New(keyID, secret)
	defer s.Close()
	s.AddDomain("example.com", "ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk")
	reg := newRegistrar(t, s, secret)
	reg.(*route53domains.Registrar).SetPoll(time.Millisecond, 50*time.Millisecond)
	s.PendingPolls = 1 << 30
	s.StatusFlag = "PENDING_CUSTOMER_ACTION"
	err := reg.SetDelegation(context.Background(), "example.com.", registrar.Delegation{NS: []string{"ada.ns.cloudflare.com.", "bob.ns.cloudflare.com."}})
	if err == nil || !strings.Contains(err.Error(), "PENDING_CUSTOMER_ACTION") || !strings.Contains(err.Error(), "IN_PROGRESS") || strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("error %v: want the operation named IN_PROGRESS with its PENDING_CUSTOMER_ACTION flag", err)
	}
}

// TestR53DRerunAfterOperationStillInProgress: an UpdateDomainNameservers
// the registry keeps IN_PROGRESS past the poll timeout is reported as
// submitted and pending (never "nothing was changed": the registry may
// still apply it), and a re-run waits for it instead of submitting a
// second one the API refuses with DuplicateRequest, then converges.
func TestR53DRerunAfterOperationStillInProgress(t *testing.T) {
	s := r53dtest.New(keyID, secret)
	defer s.Close()
	s.AddDomain("example.com", "ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk")
	reg := newRegistrar(t, s, secret)
	reg.(*route53domains.Registrar).SetPoll(time.Millisecond, 50*time.Millisecond)
	ctx := context.Background()
	want := registrar.Delegation{NS: []string{"ada.ns.cloudflare.com.", "bob.ns.cloudflare.com."}}

	s.PendingPolls = 1 << 30 // the registry works on it for hours
	err := reg.SetDelegation(ctx, "example.com.", want)
	if err == nil {
		t.Fatal("an operation still IN_PROGRESS was reported done")
	}
	if strings.Contains(err.Error(), "nothing was changed") || !strings.Contains(err.Error(), "IN_PROGRESS") || !strings.Contains(err.Error(), "may still apply it") {
		t.Errorf("error %q: want the operation named as submitted and still IN_PROGRESS, not \"nothing was changed\"", err)
	}

	s.PendingPolls = 3 // the registry finishes it while the re-run waits
	if err := reg.SetDelegation(ctx, "example.com.", want); err != nil {
		t.Fatalf("re-run: %v", err)
	}
	if n := s.Count("UpdateDomainNameservers"); n != 1 {
		t.Errorf("UpdateDomainNameservers sent %d times, want once (the re-run waits for the pending one)", n)
	}
	var got []string
	for _, ns := range s.Nameservers("example.com") {
		got = append(got, ns.Name)
	}
	if strings.Join(got, " ") != "ada.ns.cloudflare.com bob.ns.cloudflare.com" {
		t.Errorf("registry holds %v after the re-run", got)
	}
}

// TestR53DGlueTheAPICannotHold: glue with two addresses of one family (the
// API holds one IPv4 and one IPv6 per nameserver) is refused before any
// operation, including the DNSSEC key that would have been associated
// first.
func TestR53DGlueTheAPICannotHold(t *testing.T) {
	s := r53dtest.New(keyID, secret)
	defer s.Close()
	s.AddDomain("example.com", "ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk")
	reg := newRegistrar(t, s, secret)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		glue map[string][]string
		want string
	}{
		{"two IPv4", map[string][]string{"ns1.example.com.": {"192.0.2.53", "198.51.100.53"}}, "one IPv4 and one IPv6"},
		{"two IPv6", map[string][]string{"ns1.example.com.": {"2001:db8::53", "2001:db8::54", "192.0.2.53"}}, "one IPv4 and one IPv6"},
		{"none inside", nil, "needs glue"},
		{"outside", map[string][]string{"ns1.example.com.": {"192.0.2.53"}, "ada.ns.cloudflare.com.": {"192.0.2.1"}}, "only for nameservers inside"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := registrar.Delegation{NS: []string{"ns1.example.com.", "ada.ns.cloudflare.com."}, Glue: tc.glue, DS: []string{ksk}}
			err := reg.SetDelegation(ctx, "example.com.", want)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was changed") {
				t.Fatalf("error %v, want %q and nothing changed", err, tc.want)
			}
			if n := s.Count("AssociateDelegationSignerToDomain") + s.Count("UpdateDomainNameservers"); n != 0 || len(s.Keys("example.com")) != 0 {
				t.Errorf("%d changes sent, keys %v: want none", n, s.Keys("example.com"))
			}
		})
	}
}

// TestEchoedSecretKey: an error answer that quotes the secret access key
// (\u-escaped in part, as a JSON encoder may write it) gives an error
// without it: awsconf's HTTP client redacts the answer before the SDK
// reads its message.
func TestEchoedSecretKey(t *testing.T) {
	const key = "r53dSecret/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1"
	var mu sync.Mutex
	echoed := 0
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		echoed++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"__type":"InvalidInput","message":"key r53dSecret\u002f7Hq2mZ9wXr4\u002bLt8Vn3Bc6Yd1 is not valid here"}`)
	}))
	defer s.Close()
	reg := registrarOf(t, "  url: "+s.URL+"\n", key)
	_, err := reg.Delegation(context.Background(), "example.com.")
	mu.Lock()
	planted := echoed > 0
	mu.Unlock()
	if err == nil || !planted || !strings.Contains(err.Error(), "is not valid here") {
		t.Fatalf("the test plants nothing: asked %v, error %v", planted, err)
	}
	if strings.Contains(err.Error(), "7Hq2mZ9wXr4") || strings.Contains(err.Error(), key[:12]) {
		t.Errorf("the error quotes the key: %v", err)
	}
}

// TestURLCredentialsNotShown: a url: that is not an http(s) URL is
// quoted in the error without the credentials written into it.
func TestURLCredentialsNotShown(t *testing.T) {
	const pass = "r53d-Url-Pass-0123456789"
	cfg, err := config.Parse([]byte("registrar:\n  type: route53domains\n  url: 'htp://admin:"+pass+"@route53domains.example/'\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = registrar.New(cfg.Registrar, registrar.Env{Config: cfg, Getenv: func(string) string { return "" }})
	if err == nil || !strings.Contains(err.Error(), "not an http(s) URL") {
		t.Fatalf("the test plants nothing: %v", err)
	}
	if strings.Contains(err.Error(), pass) {
		t.Errorf("the error quotes the password: %v", err)
	}
}

// TestR53DPending: Pending lists the domain's delegation operations not
// complete yet (ListOperations filtered by Status SUBMITTED/IN_PROGRESS
// and Type, every page: the fake pages at 20 by default), with their id,
// type and submitted time, and no other domain's, nor a completed one.
func TestR53DPending(t *testing.T) {
	s := r53dtest.New(keyID, secret)
	defer s.Close()
	reg := newRegistrar(t, s, secret)
	reg.(*route53domains.Registrar).SetPoll(time.Millisecond, 10*time.Millisecond)
	ctx := context.Background()
	want := registrar.Delegation{NS: []string{"ada.ns.cloudflare.com.", "bob.ns.cloudflare.com."}}
	pl, ok := reg.(registrar.PendingLister)
	if !ok {
		t.Fatal("route53domains does not implement registrar.PendingLister")
	}

	s.AddDomain("example.com", "ns-1.awsdns-01.org")
	s.PendingPolls = 0
	if err := reg.SetDelegation(ctx, "example.com.", want); err != nil { // completes: not listed
		t.Fatal(err)
	}
	s.PendingPolls = 1 << 30
	for i := range 25 { // other domains' pending operations: the first page and more
		d := fmt.Sprintf("other%02d.com", i)
		s.AddDomain(d, "ns-1.awsdns-01.org")
		if err := reg.SetDelegation(ctx, d+".", want); err == nil {
			t.Fatalf("%s: operation reported complete", d)
		}
	}
	if ops, err := pl.Pending(ctx, "example.com."); err != nil || len(ops) != 0 {
		t.Fatalf("Pending with none for the domain: %v, %v", ops, err)
	}
	before := time.Now().Add(-time.Second)
	if err := reg.SetDelegation(ctx, "EXAMPLE.com.", registrar.Delegation{NS: []string{"ns-9.awsdns-09.net."}}); err == nil {
		t.Fatal("operation reported complete")
	}
	ops, err := pl.Pending(ctx, "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 1 || ops[0].ID == "" || ops[0].Type != "UPDATE_NAMESERVER" || (ops[0].Status != "SUBMITTED" && ops[0].Status != "IN_PROGRESS") ||
		ops[0].Submitted.Before(before) || ops[0].Submitted.After(time.Now().Add(time.Second)) {
		t.Fatalf("Pending = %+v, want the one UPDATE_NAMESERVER operation of example.com, submitted now", ops)
	}
	// (26 pending operations at 20 a page: example.com's is on the
	// second page.)
}

// TestR53DLeavingRefuses: while an operation that takes the domain away
// from the account is pending (deleted, transferred to another registrar
// or AWS account), a delegation change is refused, naming the operation,
// and nothing is sent; Pending lists it, so that the cutover's gates
// refuse too. On the code before, Pending listed only nameserver and
// DNSSEC operations: the nameservers were updated (UpdateDomainNameservers
// sent) on a domain about to be deleted or handed to someone else.
func TestR53DLeavingRefuses(t *testing.T) {
	for _, typ := range []string{"DELETE_DOMAIN", "TRANSFER_OUT_DOMAIN", "INTERNAL_TRANSFER_OUT_DOMAIN"} {
		t.Run(typ, func(t *testing.T) {
			s := r53dtest.New(keyID, secret)
			defer s.Close()
			s.AddDomain("example.com", "ns-1.awsdns-01.org")
			s.PendingPolls = 1 << 30
			reg := newRegistrar(t, s, secret)
			reg.(*route53domains.Registrar).SetPoll(time.Millisecond, 50*time.Millisecond)
			ctx := context.Background()
			id := s.Leave("example.com", typ)
			err := reg.SetDelegation(ctx, "example.com.", registrar.Delegation{NS: []string{"ada.ns.cloudflare.com.", "bob.ns.cloudflare.com."}})
			if !errors.Is(err, route53domains.ErrLeaving) || !strings.Contains(err.Error(), id) || !strings.Contains(err.Error(), typ) {
				t.Fatalf("SetDelegation while %s is pending: %v, want ErrLeaving naming %s", typ, err, id)
			}
			if n := s.Count("UpdateDomainNameservers"); n != 0 {
				t.Errorf("UpdateDomainNameservers sent %d times", n)
			}
			if ns := s.Nameservers("example.com"); len(ns) != 1 || ns[0].Name != "ns-1.awsdns-01.org" {
				t.Errorf("nameservers %v, want unchanged", ns)
			}
			ops, err := reg.(registrar.PendingLister).Pending(ctx, "example.com.")
			if err != nil || len(ops) != 1 || ops[0].ID != id || ops[0].Type != typ {
				t.Errorf("Pending = %+v, %v; want %s (%s)", ops, err, id, typ)
			}
		})
	}
}

// TestR53DHeldStatusRefuses: a domain whose EPP status says the registry
// publishes no delegation for it (clientHold, serverHold: a suspended
// domain) or that it is being deleted or transferred away
// (pendingDelete, redemptionPeriod, pendingTransfer) gets no delegation
// change: refused naming the status, nothing sent (ErrLeaving for the
// latter). A code in ICANN's form, its URL appended, reads the same. On
// the code before, UpdateDomainNameservers was sent and completed: a
// change the registry would never serve, or one handed away with the
// domain. Statuses that forbid neither (the transfer lock) change nothing.
func TestR53DHeldStatusRefuses(t *testing.T) {
	// status → what it makes of the change: held (refused), leaving
	// (refused, ErrLeaving) or made
	outcome := map[string]string{
		"clientHold": "held", "serverHold https://icann.org/epp#serverHold": "held",
		"pendingDelete": "leaving", "redemptionPeriod": "leaving", "pendingTransfer": "leaving",
		"clientTransferProhibited https://icann.org/epp#clientTransferProhibited": "made",
	}
	for status, want := range outcome {
		tc := struct {
			status           string
			leaving, refused bool
		}{status, want == "leaving", want != "made"}
		t.Run(strings.Fields(tc.status)[0], func(t *testing.T) {
			s := r53dtest.New(keyID, secret)
			defer s.Close()
			s.PendingPolls = 0
			s.AddDomain("example.com", "ns-1.awsdns-01.org")
			s.SetStatus("example.com", "clientTransferProhibited", tc.status)
			reg := newRegistrar(t, s, secret)
			err := reg.SetDelegation(context.Background(), "example.com.", registrar.Delegation{NS: []string{"ada.ns.cloudflare.com.", "bob.ns.cloudflare.com."}})
			if !tc.refused {
				if err != nil || s.Count("UpdateDomainNameservers") != 1 {
					t.Fatalf("status %s: %v, %d updates; want the change made", tc.status, err, s.Count("UpdateDomainNameservers"))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), strings.Fields(tc.status)[0]) || errors.Is(err, route53domains.ErrLeaving) != tc.leaving {
				t.Fatalf("status %s: %v; want refused naming it (ErrLeaving: %v)", tc.status, err, tc.leaving)
			}
			if n := s.Count("UpdateDomainNameservers"); n != 0 {
				t.Errorf("UpdateDomainNameservers sent %d times", n)
			}
		})
	}
}

// TestChainVars: route53domains registers the variables its client reads
// (config.RegisterRegistrar): its keys when it names them, else the AWS
// credential chain's, each a secret the config reads and redacts; on
// the code before, config knew them by the type's name.
func TestChainVars(t *testing.T) {
	for _, tc := range []struct{ registrar, want string }{
		{"{type: route53domains}", "AWS_ACCESS_KEY_ID AWS_ACCESS_KEY AWS_SECRET_ACCESS_KEY AWS_SECRET_KEY AWS_SESSION_TOKEN"},
		{"{type: route53domains, access_key_id_env: K_ID, secret_access_key_env: K_SECRET}", "K_ID K_SECRET"},
	} {
		c, err := config.Parse([]byte("registrar: "+tc.registrar+"\n"), "dnsparity.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(c.SecretEnvs(), " "); got != tc.want {
			t.Errorf("%s: secret variables %q, want %q", tc.registrar, got, tc.want)
		}
	}
}
