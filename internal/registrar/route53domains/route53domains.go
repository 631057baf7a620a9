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
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	registrar.Register("route53domains", func(r *config.Registrar, env registrar.Env) (registrar.Registrar, error) {
		return New(context.Background(), r, env, httpretry.Default)
	})
}

// Registrar talks to Route 53 Domains.
type Registrar struct {
	client  *r53d.Client
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
			return nil, fmt.Errorf("url %q is not an http(s) URL", r.URL)
		}
	}
	a := r.AWS
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
	reg := &Registrar{poll: 10 * time.Second, timeout: 30 * time.Minute}
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

func wrap(what string, err error) error {
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
		return nil, wrap("GetDomainDetail "+domain(z), err)
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

// SetDelegation replaces the nameservers (with glue) and, when want.DS is
// not nil, the DNSSEC keys. Order: new keys are associated first, then
// the nameservers replaced, then keys no longer wanted disassociated, so
// that the chain of trust holds for either set of nameservers throughout.
// Every operation is polled until it completes. Nothing is sent when a
// wanted DS cannot be matched to a key (give its DNSKEY). An error says
// which steps were done.
func (r *Registrar) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	want.Normalize()
	glue := map[string][]string{}
	for n, ips := range want.Glue {
		glue[zone.CanonicalName(dns.Fqdn(n))] = ips
	}
	want.Glue = glue
	if len(want.NS) == 0 {
		return fmt.Errorf("route53domains: %s: no nameservers to set", domain(z))
	}
	cur, err := r.detail(ctx, z)
	if err != nil {
		return err
	}
	var add []*dns.DNSKEY
	var remove []types.DnssecKey
	if want.DS != nil {
		ws := make([]wanted, 0, len(want.DS))
		for _, t := range want.DS {
			w, err := parseWanted(z, t)
			if err != nil {
				return fmt.Errorf("route53domains: %s: %w (nothing was changed)", domain(z), err)
			}
			ws = append(ws, w)
		}
		kept := make([]bool, len(cur.DnssecKeys))
		for _, w := range ws {
			found := false
			for i, k := range cur.DnssecKeys {
				if w.matches(k) {
					kept[i], found = true, true
				}
			}
			switch {
			case found:
			case w.dnskey != nil:
				add = append(add, w.dnskey)
			default:
				return fmt.Errorf("route53domains: %s: the registry holds no key for DS %q, and Route 53 Domains takes the DNSKEY, not the DS: give the key as \"FLAGS 3 ALGORITHM PUBLICKEY\" (nothing was changed)", domain(z), w.text)
			}
		}
		for i, k := range cur.DnssecKeys {
			if !kept[i] {
				remove = append(remove, k)
			}
		}
	}
	var done []string
	fail := func(err error) error {
		if len(done) == 0 {
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
			return fail(wrap("AssociateDelegationSignerToDomain", err))
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
			return fail(wrap("UpdateDomainNameservers", err))
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
			return fail(wrap("DisassociateDelegationSignerFromDomain", err))
		}
		if err := r.wait(ctx, aws.ToString(out.OperationId)); err != nil {
			return fail(err)
		}
		done = append(done, "DS "+dsText(k)+" disassociated")
	}
	return nil
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

// wait polls GetOperationDetail until the operation is SUCCESSFUL.
func (r *Registrar) wait(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	for {
		out, err := r.client.GetOperationDetail(ctx, &r53d.GetOperationDetailInput{OperationId: aws.String(id)})
		if err != nil {
			return wrap("GetOperationDetail "+id, err)
		}
		switch out.Status {
		case types.OperationStatusSuccessful:
			return nil
		case types.OperationStatusError, types.OperationStatusFailed:
			return fmt.Errorf("route53domains: operation %s (%s) %s: %s", id, out.Type, out.Status, aws.ToString(out.Message))
		}
		t := time.NewTimer(r.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("route53domains: operation %s still %s after %v: %w", id, out.Status, r.timeout, ctx.Err())
		case <-t.C:
		}
	}
}
