package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// takesDNSKEY reports whether reg takes DNSSEC keys as the DNSKEY rather
// than as a DS (registrar.KeyTaker).
func takesDNSKEY(reg registrar.Registrar) bool {
	_, ok := reg.(registrar.KeyTaker)
	return ok
}

// dsAsKeys converts each DS of ds (presentation RDATA) to the DNSKEY of
// keys it is made from (dnssec.KeyOf, as a validator matches them), as the text a
// registrar that takes keys wants: "FLAGS 3 ALGORITHM PUBLICKEY". A DS
// no key makes is kept as it is when held has it (the registrar holds its
// key already and matches it), else it is named in missing. Two DS of
// one key (two digest types) give the key once.
func dsAsKeys(origin string, ds, held []string, keys []*dns.DNSKEY) (out, missing []string) {
	out = []string{}
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, text := range ds {
		key := dnssec.KeyOf(origin, text, keys)
		switch {
		case key != nil:
			add(fmt.Sprintf("%d %d %d %s", key.Flags, key.Protocol, key.Algorithm, key.PublicKey))
		case slices.ContainsFunc(held, func(h string) bool { return strings.EqualFold(h, text) }):
			add(text)
		default:
			missing = append(missing, text)
		}
	}
	return out, missing
}

// registrarWant is want as c.Registrar is given it: want itself, or, for
// a registrar that takes keys (registrar.KeyTaker), want with each DS
// replaced by the DNSKEY to's servers serve that makes it
// (registrarKeys). held is the DS set the registrar holds now.
func registrarWant(ctx context.Context, c *Config, to *Side, want registrar.Delegation, held []string) (registrar.Delegation, error) {
	if len(want.DS) == 0 || !takesDNSKEY(c.Registrar) {
		return want, nil
	}
	keys, err := registrarKeys(ctx, c, to, want.DS, held)
	if err != nil {
		return want, err
	}
	send := copyDelegation(want)
	send.DS = keys
	return send, nil
}

// registrarKeys is the DS set ds as a registrar that takes keys wants it
// (dsAsKeys), with the keys the DNSKEY sets of to's servers hold: each
// server is asked until every DS is matched. held is the DS set the
// registrar holds now. The error names each DS no served key makes and
// the servers asked: nothing may be sent then (the registrar would refuse
// the DS, or set another key set than the one the gates checked).
func registrarKeys(ctx context.Context, c *Config, to *Side, ds, held []string) ([]string, error) {
	var keys []*dns.DNSKEY
	var asked, failed []string
	out, missing := dsAsKeys(c.Zone.Origin, ds, held, nil)
	for _, s := range to.Servers {
		if len(missing) == 0 && len(asked) > 0 {
			break
		}
		asked = append(asked, s)
		r, err := ask(ctx, s, c.Zone.Origin, dns.TypeDNSKEY, false, c.Timeout)
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", s, err))
			continue
		}
		if r.Rcode != dns.RcodeSuccess {
			failed = append(failed, fmt.Sprintf("%s: %s", s, dns.RcodeToString[r.Rcode]))
			continue
		}
		keys = append(keys, dnssec.ApexKeys(r.Answer, c.Zone.Origin)...)
		out, missing = dsAsKeys(c.Zone.Origin, ds, held, keys)
	}
	if len(missing) == 0 {
		return out, nil
	}
	msg := fmt.Sprintf("the registrar takes DNSSEC keys as the DNSKEY, not the DS, and holds no key for DS %s; no DNSKEY the %s side's servers serve (asked: %s) makes it",
		strings.Join(quoteAll(missing), ", "), to.Name, strings.Join(asked, " "))
	if len(failed) > 0 {
		msg += " (no answer from " + strings.Join(failed, "; ") + ")"
	}
	return nil, fmt.Errorf("%s", msg)
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// refuseKeys is move's refusal when a DS of the delegation to set has no
// key the registrar can be given (registrarWant): nothing changed at the
// registrar; recorded.
func (c *Config) refuseKeys(ctx context.Context, tr *Trail, rep *Report, to *Side, before registrar.Delegation, err error) *Report {
	rep.Result = ResultRefused
	rep.Errors = append(rep.Errors, "registrar: "+err.Error())
	rep.Actions = append(rep.Actions, fmt.Sprintf("nothing changed at the registrar: make the %s side's servers serve the key of each DS named (or set the DS at the registrar by hand), then run the step again", to.Name))
	return c.stopped(ctx, tr, rep, before)
}
