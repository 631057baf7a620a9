// Package route53domains is a Registrar for domains registered with
// Amazon Route 53 Domains (through the official aws-sdk-go-v2): it reads
// the nameservers, glue and DNSSEC keys (GetDomainDetail), replaces the
// nameservers (UpdateDomainNameservers) and the DS set
// (AssociateDelegationSignerToDomain / DisassociateDelegationSignerFromDomain),
// and polls every operation (GetOperationDetail) until it completes.
//
// Config (dnsparity.yaml):
//
//	registrar:
//	  type: route53domains
//	  region: us-east-1                # the API's only region (default)
//	  access_key_id_env: AWS_KEY_ID    # optional: else the standard AWS chain
//	  secret_access_key_env: AWS_SECRET
//	  url: https://route53domains.us-east-1.amazonaws.com  # optional; AWS_ENDPOINT_URL_ROUTE_53_DOMAINS works too
//
// Route 53 Domains takes a DNSSEC key as the DNSKEY (flags, algorithm,
// public key) and computes the DS itself: a wanted DS that matches no key
// the registry holds must be given as its DNSKEY ("257 3 13 BASE64").
//
// It is tested against an httptest server that follows the documented
// JSON 1.1 API shapes (r53dtest), not against AWS.
package route53domains

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53d "github.com/aws/aws-sdk-go-v2/service/route53domains"
	"github.com/aws/aws-sdk-go-v2/service/route53domains/types"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/awsconf"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	registrar.Register("route53domains", func(r *config.Registrar, env registrar.Env) (registrar.Registrar, error) {
		return New(context.Background(), r, env, httpretry.Default)
	})
	// Its keys, else the AWS credential chain's variables, and the
	// chain's profile.
	config.RegisterRegistrar("route53domains", config.RegistrarType{Vars: func(r *config.Registrar) []config.Var {
		return append(r.AWS.Vars(), awsconf.ProfileVars(&r.AWS)...)
	}})
}

// Registrar talks to Route 53 Domains.
type Registrar struct {
	client  *r53d.Client
	secrets []string // the configured keys, taken out of an operation's message (a 2xx answer)
	poll    time.Duration
	timeout time.Duration
}

// ErrAuth: the credentials were refused.
var ErrAuth = errors.New("credentials refused")

// New makes a registrar; secrets not yet resolved are read through
// env.Getenv.
func New(ctx context.Context, r *config.Registrar, env registrar.Env, pol httpretry.Policy) (*Registrar, error) {
	if r.URL != "" {
		u, err := url.Parse(r.URL)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("url %q is not an http(s) URL", redact.URL(r.URL)) // no credentials written into it
		}
	}
	a := r.AWS
	if a.Region == "" {
		// The API has one endpoint, in us-east-1: AWS_REGION is the
		// region of the job's other services, not this API's.
		a.Region = awsconf.DefaultRegion
	}
	getenv := env.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	for _, s := range []struct {
		dst *config.Secret
		env string
		key string
	}{{&a.AccessKeyID, a.AccessKeyIDEnv, "access_key_id_env"}, {&a.SecretAccessKey, a.SecretAccessKeyEnv, "secret_access_key_env"}, {&a.SessionToken, a.SessionTokenEnv, "session_token_env"}} {
		if s.env == "" || s.dst.Value() != "" {
			continue
		}
		v := getenv(s.env)
		if v == "" {
			return nil, config.UnsetError("registrar."+s.key, s.env)
		}
		*s.dst = config.Secret(v)
	}
	ac, err := awsconf.Load(ctx, a, pol)
	if err != nil {
		return nil, err
	}
	reg := &Registrar{secrets: awsconf.Secrets(a), poll: 10 * time.Second, timeout: 30 * time.Minute}
	reg.client = r53d.NewFromConfig(ac, func(o *r53d.Options) {
		if r.URL != "" {
			o.BaseEndpoint = aws.String(strings.TrimRight(r.URL, "/"))
		}
	})
	return reg, nil
}

// SetPoll sets how often and how long operations are polled (default
// every 10 s, up to 30 min).
func (r *Registrar) SetPoll(every, timeout time.Duration) { r.poll, r.timeout = every, timeout }

func domain(z string) string { return strings.TrimSuffix(zone.CanonicalName(z), ".") }

// wrap says what failed, with the API's message (awsconf.Message;
// awsconf's HTTP client took the run's secrets out of the error answer it
// comes from).
func (r *Registrar) wrap(what string, err error) error {
	if awsconf.Code(err) == "" && awsconf.NoCredentials(err) {
		return fmt.Errorf("route53domains: %s: %w: %s", what, ErrAuth, awsconf.NoCredentialsHelp)
	}
	if awsconf.AuthCodes[awsconf.Code(err)] {
		return fmt.Errorf("route53domains: %s: %w (%s)", what, ErrAuth, awsconf.Message(err))
	}
	return fmt.Errorf("route53domains: %s: %s", what, awsconf.Message(err))
}

func (r *Registrar) detail(ctx context.Context, z string) (*r53d.GetDomainDetailOutput, error) {
	out, err := r.client.GetDomainDetail(ctx, &r53d.GetDomainDetailInput{DomainName: aws.String(domain(z))})
	if err != nil {
		return nil, r.wrap("GetDomainDetail "+domain(z), err)
	}
	return out, nil
}

// Delegation reads the domain's nameservers, glue and DS (as the registry
// computed them from the keys). TTLs are the registry's and not known
// here (0).
func (r *Registrar) Delegation(ctx context.Context, z string) (registrar.Delegation, error) {
	out, err := r.detail(ctx, z)
	if err != nil {
		return registrar.Delegation{}, err
	}
	var d registrar.Delegation
	for _, ns := range out.Nameservers {
		name := zone.CanonicalName(dns.Fqdn(aws.ToString(ns.Name)))
		d.NS = append(d.NS, name)
		if len(ns.GlueIps) > 0 {
			if d.Glue == nil {
				d.Glue = map[string][]string{}
			}
			d.Glue[name] = append([]string(nil), ns.GlueIps...)
		}
	}
	for _, k := range out.DnssecKeys {
		d.DS = append(d.DS, dsText(k))
	}
	d.Normalize()
	return d, nil
}

// dsText is a key's DS in presentation form (RDATA only).
func dsText(k types.DnssecKey) string {
	return fmt.Sprintf("%d %d %d %s", aws.ToInt32(k.KeyTag), aws.ToInt32(k.Algorithm), aws.ToInt32(k.DigestType), strings.ToUpper(aws.ToString(k.Digest)))
}

// wanted is one entry of want.DS: a DS, or a DNSKEY to associate.
type wanted struct {
	text   string
	ds     *dns.DS
	dnskey *dns.DNSKEY
}

func parseWanted(z string, text string) (wanted, error) {
	w := wanted{text: text}
	f := strings.Fields(text)
	if len(f) >= 4 {
		if flags, err := strconv.Atoi(f[0]); err == nil && f[1] == "3" && (flags == 256 || flags == 257) {
			rr, err := dns.NewRR(zone.CanonicalName(dns.Fqdn(z)) + " 3600 IN DNSKEY " + text)
			if err != nil {
				return w, fmt.Errorf("DNSKEY %q: %w", text, err)
			}
			w.dnskey = rr.(*dns.DNSKEY)
			return w, nil
		}
	}
	rr, err := dns.NewRR(zone.CanonicalName(dns.Fqdn(z)) + " 3600 IN DS " + text)
	if err != nil {
		return w, fmt.Errorf("DS %q: %w", text, err)
	}
	w.ds = rr.(*dns.DS)
	return w, nil
}

// matches reports whether the registry's key k is the wanted entry.
func (w wanted) matches(k types.DnssecKey) bool {
	if w.dnskey != nil {
		return aws.ToInt32(k.Algorithm) == int32(w.dnskey.Algorithm) && aws.ToInt32(k.Flags) == int32(w.dnskey.Flags) &&
			strings.ReplaceAll(aws.ToString(k.PublicKey), " ", "") == strings.ReplaceAll(w.dnskey.PublicKey, " ", "")
	}
	return aws.ToInt32(k.KeyTag) == int32(w.ds.KeyTag) && aws.ToInt32(k.Algorithm) == int32(w.ds.Algorithm) &&
		aws.ToInt32(k.DigestType) == int32(w.ds.DigestType) && strings.EqualFold(aws.ToString(k.Digest), w.ds.Digest)
}

// TakesDNSKEY marks that Route 53 Domains takes DNSSEC keys as the
// DNSKEY (registrar.KeyTaker): a DS it holds no key for is refused.
func (r *Registrar) TakesDNSKEY() {}

var _ registrar.KeyTaker = (*Registrar)(nil)

// SetDelegation replaces the nameservers (with glue) and, when want.DS is
// not nil, the DNSSEC keys. Order: new keys are associated first, then
// the nameservers replaced, then keys no longer wanted disassociated, so
// that the chain of trust holds for either set of nameservers throughout.
// Every operation is polled until it completes. Nothing is sent when a
// wanted DS cannot be matched to a key (give its DNSKEY). An error says
// which steps were done.
func (r *Registrar) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	// Its pending operations waited for first: a run that timed out
	// left its operation pending, the registry refuses another
	// nameserver update until it completes (DuplicateRequest), and what
	// GetDomainDetail shows is not final before then.
	want, cur, add, remove, err := r.plan(ctx, z, want, true)
	if err != nil {
		return err
	}
	var done []string
	fail := func(err error) error {
		var p *pendingError
		switch {
		case errors.As(err, &p) && len(done) == 0:
			return fmt.Errorf("%w: the registry may still apply it; a re-run waits for it, then converges", err)
		case errors.As(err, &p):
			return fmt.Errorf("%w: the registry may still apply it; a re-run waits for it, then converges (done before: %s)", err, strings.Join(done, "; "))
		case errors.Is(err, errUnknown) && len(done) == 0:
			return fmt.Errorf("%w; a re-run reads the registry, then converges", err)
		case errors.Is(err, errUnknown):
			return fmt.Errorf("%w; a re-run reads the registry, then converges (done before: %s)", err, strings.Join(done, "; "))
		case len(done) == 0:
			return fmt.Errorf("%w (nothing was changed)", err)
		}
		return fmt.Errorf("%w (done before the failure: %s)", err, strings.Join(done, "; "))
	}
	for _, k := range add {
		out, err := r.client.AssociateDelegationSignerToDomain(ctx, &r53d.AssociateDelegationSignerToDomainInput{
			DomainName: aws.String(domain(z)),
			SigningAttributes: &types.DnssecSigningAttributes{
				Algorithm: aws.Int32(int32(k.Algorithm)), Flags: aws.Int32(int32(k.Flags)), PublicKey: aws.String(k.PublicKey)},
		})
		if err != nil {
			return fail(r.wrap("AssociateDelegationSignerToDomain", err))
		}
		if err := r.wait(ctx, aws.ToString(out.OperationId)); err != nil {
			return fail(err)
		}
		done = append(done, fmt.Sprintf("key tag %d associated", k.KeyTag()))
	}
	if !sameNS(cur.Nameservers, want) {
		ns := make([]types.Nameserver, 0, len(want.NS))
		for _, n := range want.NS {
			t := types.Nameserver{Name: aws.String(strings.TrimSuffix(n, "."))}
			if g := want.Glue[n]; len(g) > 0 {
				t.GlueIps = append([]string(nil), g...)
			}
			ns = append(ns, t)
		}
		out, err := r.client.UpdateDomainNameservers(ctx, &r53d.UpdateDomainNameserversInput{DomainName: aws.String(domain(z)), Nameservers: ns})
		if err != nil {
			return fail(r.wrap("UpdateDomainNameservers", err))
		}
		if err := r.wait(ctx, aws.ToString(out.OperationId)); err != nil {
			return fail(err)
		}
		done = append(done, "nameservers set to "+strings.Join(want.NS, " "))
	}
	for _, k := range remove {
		out, err := r.client.DisassociateDelegationSignerFromDomain(ctx, &r53d.DisassociateDelegationSignerFromDomainInput{
			DomainName: aws.String(domain(z)), Id: k.Id})
		if err != nil {
			return fail(r.wrap("DisassociateDelegationSignerFromDomain", err))
		}
		if err := r.wait(ctx, aws.ToString(out.OperationId)); err != nil {
			return fail(err)
		}
		done = append(done, "DS "+dsText(k)+" disassociated")
	}
	return nil
}

var _ registrar.Planner = (*Registrar)(nil)

// Plan says whether SetDelegation would take want, sending nothing (a
// dry run asks it, as it asks the parent registrar's): what SetDelegation
// refuses before it sends anything is refused so here too (glue the API
// cannot hold, a domain whose status forbids the change: heldStatus, a
// DS whose key the registry does not hold and is not given). It does
// not wait for the operations pending (the step lists them: Pending).
func (r *Registrar) Plan(ctx context.Context, z string, want registrar.Delegation) error {
	_, _, _, _, err := r.plan(ctx, z, want, false)
	return err
}

// plan is what SetDelegation checks and reads before it sends anything,
// and Plan: want normalized, the domain's detail, the keys to associate
// and those to disassociate. wait: the domain's pending operations are
// waited for first (waitPending), else not asked.
func (r *Registrar) plan(ctx context.Context, z string, want registrar.Delegation, wait bool) (registrar.Delegation, *r53d.GetDomainDetailOutput, []*dns.DNSKEY, []types.DnssecKey, error) {
	want.Normalize()
	glue := map[string][]string{}
	for n, ips := range want.Glue {
		glue[zone.CanonicalName(dns.Fqdn(n))] = ips
	}
	want.Glue = glue
	if len(want.NS) == 0 {
		return want, nil, nil, nil, fmt.Errorf("route53domains: %s: no nameservers to set", domain(z))
	}
	if err := checkGlue(z, want); err != nil {
		return want, nil, nil, nil, err
	}
	if wait {
		if err := r.waitPending(ctx, z); err != nil {
			return want, nil, nil, nil, fmt.Errorf("%w (nothing was changed by this run)", err)
		}
	}
	cur, err := r.detail(ctx, z)
	if err != nil {
		return want, nil, nil, nil, err
	}
	if err := heldStatus(cur.StatusList); err != nil {
		return want, nil, nil, nil, fmt.Errorf("route53domains: %s: %w; refused, nothing was changed", domain(z), err)
	}
	var add []*dns.DNSKEY
	var remove []types.DnssecKey
	if want.DS != nil {
		if add, remove, err = keyChanges(z, cur.DnssecKeys, want.DS); err != nil {
			return want, nil, nil, nil, err
		}
	}
	return want, cur, add, remove, nil
}

// keyChanges are the keys to associate (the wanted DS's DNSKEYs the
// registry does not hold) and to disassociate (those it holds that no
// wanted DS matches) so that the registry holds ds; an error, before
// anything is sent, for a wanted DS it holds no key for and that was not
// given as a DNSKEY (Route 53 Domains takes keys, not DS).
func keyChanges(z string, held []types.DnssecKey, ds []string) (add []*dns.DNSKEY, remove []types.DnssecKey, err error) {
	ws := make([]wanted, 0, len(ds))
	for _, t := range ds {
		w, err := parseWanted(z, t)
		if err != nil {
			return nil, nil, fmt.Errorf("route53domains: %s: %w (nothing was changed)", domain(z), err)
		}
		ws = append(ws, w)
	}
	kept := make([]bool, len(held))
	for _, w := range ws {
		found := false
		for i, k := range held {
			if w.matches(k) {
				kept[i], found = true, true
			}
		}
		switch {
		case found:
		case w.dnskey != nil:
			add = append(add, w.dnskey)
		default:
			return nil, nil, fmt.Errorf("route53domains: %s: the registry holds no key for DS %q, and Route 53 Domains takes the DNSKEY, not the DS: give the key as \"FLAGS 3 ALGORITHM PUBLICKEY\" (nothing was changed)", domain(z), w.text)
		}
	}
	for i, k := range held {
		if !kept[i] {
			remove = append(remove, k)
		}
	}
	return add, remove, nil
}

// sameNS reports whether the registry already holds want's names and glue.
func sameNS(cur []types.Nameserver, want registrar.Delegation) bool {
	if len(cur) != len(want.NS) {
		return false
	}
	for _, c := range cur {
		n := zone.CanonicalName(dns.Fqdn(aws.ToString(c.Name)))
		if !slices.Contains(want.NS, n) {
			return false
		}
		a, b := slices.Clone(c.GlueIps), slices.Clone(want.Glue[n])
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			return false
		}
	}
	return true
}

// checkGlue refuses, before anything is sent, glue the API refuses:
// GlueIps are for, and only for, a name inside the domain, and hold one
// IPv4 and one IPv6 address at most (the Nameserver type's constraint in
// the API reference). A registry that cannot take every address of a
// server cannot publish the delegation the gates checked.
func checkGlue(z string, want registrar.Delegation) error {
	for _, n := range want.NS {
		inside := registrar.InBailiwick(n, z)
		g := want.Glue[n]
		if inside && len(g) == 0 {
			return fmt.Errorf("route53domains: %s: nameserver %s is inside the domain and needs glue (one IPv4 and/or one IPv6 address) (nothing was changed)", domain(z), n)
		}
		if !inside && len(g) > 0 {
			return fmt.Errorf("route53domains: %s: glue %s for %s: Route 53 Domains takes glue only for nameservers inside the domain; the address of an outside name comes from its own zone (nothing was changed)", domain(z), strings.Join(g, " "), n)
		}
		v4, v6 := 0, 0
		for _, ip := range g {
			a, err := netip.ParseAddr(ip)
			switch {
			case err != nil:
				return fmt.Errorf("route53domains: %s: glue %q of %s is not an IP address (nothing was changed)", domain(z), ip, n)
			case a.Unmap().Is4():
				v4++
			default:
				v6++
			}
		}
		if v4 > 1 || v6 > 1 {
			return fmt.Errorf("route53domains: %s: glue of %s is %s, but Route 53 Domains holds one IPv4 and one IPv6 address per nameserver: keep one address of each family for %s in the new side's nameservers (nothing was changed)", domain(z), n, strings.Join(g, " "), n)
		}
	}
	return nil
}

// pendingError: an operation was submitted and was not seen to complete
// (the wait ended, or its state could not be read).
type pendingError struct {
	id     string
	typ    types.OperationType
	status types.OperationStatus // the last seen; SUBMITTED before any
	// flag is the last StatusFlag seen: "Lists any outstanding operations
	// that require customer action" (GetOperationDetail), "" for none.
	flag types.StatusFlag
	err  error
}

func (e *pendingError) Error() string {
	waits := ""
	if e.flag != "" {
		waits = fmt.Sprintf(", StatusFlag %s: it waits for an action of the domain's owner, not for the registry", e.flag)
	}
	return fmt.Sprintf("route53domains: operation %s (%s) submitted and still %s%s when the wait ended (%v)", e.id, e.typ, e.status, waits, e.err)
}

func (e *pendingError) Unwrap() error { return e.err }

// leaving are the operation types that take the domain away from this
// account (OperationType, API Reference, ListOperations /
// GetOperationDetail:
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_domains_OperationSummary.html):
// DELETE_DOMAIN (DeleteDomain: "This action is permanent"; the registry
// may hold the name, then release it to anyone), EXPIRE_DOMAIN,
// TRANSFER_OUT_DOMAIN (to another registrar, which then holds the
// delegation), INTERNAL_TRANSFER_OUT_DOMAIN (to another AWS account:
// TransferDomainToAnotherAwsAccount), PUSH_DOMAIN (a .uk domain pushed to
// another registrar's tag) and RELEASE_TO_GANDI. A delegation changed
// meanwhile is lost with the domain, or handed to whoever takes it.
var leaving = []types.OperationType{types.OperationTypeDeleteDomain, types.OperationTypeExpireDomain,
	types.OperationTypeTransferOutDomain, types.OperationTypeInternalTransferOutDomain,
	types.OperationTypePushDomain, types.OperationTypeReleaseToGandi}

// Pending lists the domain's operations that are SUBMITTED or
// IN_PROGRESS (ListOperations, every page), oldest first: its delegation
// operations (nameservers, DNSSEC keys) and those that take the domain
// away from the account (leaving), which move the delegation too.
func (r *Registrar) Pending(ctx context.Context, z string) ([]registrar.Operation, error) {
	in := &r53d.ListOperationsInput{
		Status: []types.OperationStatus{types.OperationStatusSubmitted, types.OperationStatusInProgress},
		Type:   append([]types.OperationType{types.OperationTypeUpdateNameserver, types.OperationTypeAddDnssec, types.OperationTypeRemoveDnssec}, leaving...),
	}
	var ops []registrar.Operation
	for {
		out, err := r.client.ListOperations(ctx, in)
		if err != nil {
			return nil, r.wrap("ListOperations (looking for an operation still under way)", err)
		}
		for _, o := range out.Operations {
			if strings.EqualFold(strings.TrimSuffix(aws.ToString(o.DomainName), "."), domain(z)) {
				ops = append(ops, registrar.Operation{ID: aws.ToString(o.OperationId), Type: string(o.Type), Status: string(o.Status), Submitted: aws.ToTime(o.SubmittedDate), Leaving: slices.Contains(leaving, o.Type)})
			}
		}
		if aws.ToString(out.NextPageMarker) == "" {
			break
		}
		in.Marker = out.NextPageMarker
	}
	slices.SortStableFunc(ops, func(a, b registrar.Operation) int { return a.Submitted.Compare(b.Submitted) })
	return ops, nil
}

// waitPending waits for the domain's delegation operations that are
// SUBMITTED or IN_PROGRESS (Pending), and refuses, waiting for nothing,
// while one is taking the domain away from the account (leaving): a
// delegation changed then goes with the domain to whoever holds it next,
// or is deleted with it.
func (r *Registrar) waitPending(ctx context.Context, z string) error {
	ops, err := r.Pending(ctx, z)
	if err != nil {
		return err
	}
	for _, o := range ops {
		if slices.Contains(leaving, types.OperationType(o.Type)) {
			return fmt.Errorf("route53domains: %s: %s is taking the domain away from this account: a delegation changed now would go with it (to another registrar or account, or deleted with the registration); refused: cancel that operation, or move the delegation where the domain goes: %w", domain(z), o, ErrLeaving)
		}
	}
	for _, o := range ops {
		// One that ends FAILED changed nothing, one that ends ERROR
		// perhaps something: this run reads the registry after and
		// makes what is still missing.
		if err := r.wait(ctx, o.ID); err != nil && !errors.Is(err, errFailed) && !errors.Is(err, errUnknown) {
			return err
		}
	}
	return nil
}

// heldStatus is why the domain's EPP status codes (GetDomainDetail's
// StatusList, "also known as Extensible Provisioning Protocol (EPP)
// status codes":
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_domains_GetDomainDetail.html)
// forbid a delegation change, nil when none does (each code is read up to
// its first space: ICANN's form appends the code's URL). clientHold and
// serverHold: the registry publishes no delegation for the domain (RFC
// 5731 §2.3: "DNS delegation information MUST NOT be published"), so the
// change would never be served. pendingDelete, redemptionPeriod (RFC
// 3915 §3.1) and pendingTransfer: the domain is being deleted or
// transferred away (ErrLeaving), and the delegation with it.
func heldStatus(statuses []string) error {
	for _, st := range statuses {
		code, _, _ := strings.Cut(strings.TrimSpace(st), " ")
		switch strings.ToLower(code) {
		case "clienthold", "serverhold":
			return fmt.Errorf("the domain has status %s: the registry publishes no delegation for it (RFC 5731 §2.3), so a change would never be served; have the hold lifted first (Route 53 Domains suspends a domain whose registrant contact is not verified)", code)
		case "pendingdelete", "redemptionperiod", "pendingtransfer":
			return fmt.Errorf("the domain has status %s: it is being deleted or transferred away, and a delegation changed now with it: %w", code, ErrLeaving)
		}
	}
	return nil
}

// ErrLeaving: the domain is being deleted or transferred away from the
// account (a pending operation of a leaving type); nothing was changed.
var ErrLeaving = errors.New("the domain is leaving the account")

// errFailed: an operation ended FAILED.
var errFailed = errors.New("the registry did not make the change")

// errUnknown: an operation ended ERROR, which the API reference lists
// among an operation's statuses (GetOperationDetail: "SUBMITTED |
// IN_PROGRESS | ERROR | SUCCESSFUL | FAILED",
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_domains_GetOperationDetail.html)
// without saying whether the change was made: not read as FAILED.
var errUnknown = errors.New("a status Route 53 Domains does not explain: the registry may have made the change or not")

// wait polls GetOperationDetail until the operation is SUCCESSFUL, for
// at most r.timeout: the bound stops the next poll from starting, not a
// poll under way, which is read to its answer (itself bounded by
// r.timeout). A poll abandoned in flight still reaches the API and is
// answered after wait returned: the caller would report the operation
// pending on an answer nobody read, which may have said it completed.
func (r *Registrar) wait(ctx context.Context, id string) error {
	deadline := time.Now().Add(r.timeout)
	last := &pendingError{id: id, status: types.OperationStatusSubmitted}
	for {
		pctx, cancel := context.WithTimeout(ctx, r.timeout)
		out, err := r.client.GetOperationDetail(pctx, &r53d.GetOperationDetailInput{OperationId: aws.String(id)})
		cancel()
		if err != nil {
			if pctx.Err() != nil && ctx.Err() == nil {
				last.err = fmt.Errorf("not answered within %v: %w", r.timeout, pctx.Err())
			} else if ctx.Err() != nil {
				last.err = fmt.Errorf("stopped: %w", ctx.Err())
			} else {
				last.err = r.wrap("GetOperationDetail "+id, err)
			}
			return last
		}
		last.typ, last.status, last.flag = out.Type, out.Status, out.StatusFlag
		switch out.Status {
		case types.OperationStatusSuccessful:
			return nil
		case types.OperationStatusError:
			return fmt.Errorf("route53domains: operation %s (%s) %s: %s: %w", id, out.Type, out.Status, redact.ServerText(ctx, aws.ToString(out.Message), r.secrets...), errUnknown)
		case types.OperationStatusFailed:
			return fmt.Errorf("route53domains: operation %s (%s) %s: %s: %w", id, out.Type, out.Status, redact.ServerText(ctx, aws.ToString(out.Message), r.secrets...), errFailed)
		}
		left := time.Until(deadline)
		if left <= 0 {
			last.err = fmt.Errorf("not complete after %v: %w", r.timeout, context.DeadlineExceeded)
			return last
		}
		t := time.NewTimer(min(r.poll, left))
		select {
		case <-ctx.Done():
			t.Stop()
			last.err = fmt.Errorf("stopped: %w", ctx.Err())
			return last
		case <-t.C:
		}
	}
}
