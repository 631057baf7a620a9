package cloudns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// availableTTLs are the TTLs a plan checks: the account's (askTTLs; read
// true), else the documented list (not asked yet, or the call failed).
func (p *Provider) availableTTLs() (ttls []uint32, read bool) {
	p.ttlMu.Lock()
	defer p.ttlMu.Unlock()
	if p.ttls != nil {
		return p.ttls, true
	}
	return documentedTTLs, false
}

// askTTLs asks ClouDNS which TTLs the account's plan allows its records
// ("Get available TTLs", dns/get-available-ttl.json with domain-name: a
// JSON array of seconds; ClouDNS refuses any other TTL on add-record,
// mod-record and records-import), once per provider whatever the zones:
// the list is the plan's, and a run's zones share one account. A call
// that fails, or an answer that is not a list of TTLs, is not asked
// again: the documented list stands in, and every plan says so
// (Capabilities.Warnings). Other failures of the listing are its own.
// Listings of other zones meanwhile (push reads several at once) wait for
// the answer, so that no plan checks a list the account's may replace.
func (p *Provider) askTTLs(ctx context.Context, origin string) {
	p.ttlMu.Lock()
	asked := p.ttlAsked
	p.ttlAsked = true
	p.ttlMu.Unlock()
	if asked {
		select {
		case <-p.ttlDone:
		case <-ctx.Done(): // the listing stops on it too
		}
		return
	}
	defer close(p.ttlDone)
	var raw json.RawMessage
	_, err := p.call(ctx, "/dns/get-available-ttl.json", url.Values{"domain-name": {apiName(origin)}}, false, &raw)
	var ttls []uint32
	if err == nil {
		if ttls, err = parseTTLs(raw); err != nil {
			// The answer quoted as the server's other texts are: the
			// password and the url:'s credentials taken out whatever
			// their encoding.
			err = fmt.Errorf("%w: %s", err, redact.Excerpt(redact.ServerText(ctx, string(raw), p.own...), 64, 64))
		}
	}
	p.ttlMu.Lock()
	defer p.ttlMu.Unlock()
	if err != nil {
		p.ttlWarning = fmt.Sprintf("cloudns: the TTLs this account's plan allows could not be read (dns/get-available-ttl.json: %v): TTLs are checked against ClouDNS's documented list (%s), which a plan may narrow; a TTL the account does not allow fails the push", err, ttlList(documentedTTLs))
		return
	}
	p.ttls = ttls
}

// parseTTLs reads get-available-ttl.json's answer: a JSON array of
// TTLs, numbers or numeric strings (every field of ClouDNS's other
// answers is a string), each once, in order. The array of numbers is
// what dnscontrol's ClouDNS provider decodes from the live API
// (providers/cloudns/api.go, fetchAvailableTTLValues: json.Unmarshal into
// []uint32, called with domain-name), checked there on 2026-12-05. Its errors quote nothing
// of the answer (the caller does, through redact.ServerText).
func parseTTLs(raw []byte) ([]uint32, error) {
	var vs []json.Number
	if err := json.Unmarshal(raw, &vs); err != nil {
		return nil, errors.New("bad answer (not a list of TTLs)")
	}
	var out []uint32
	for i, v := range vs {
		n, err := strconv.ParseUint(v.String(), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("bad answer (its TTL %d is not a number of seconds)", i+1)
		}
		if !slices.Contains(out, uint32(n)) {
			out = append(out, uint32(n))
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the answer lists no TTL")
	}
	slices.Sort(out)
	return out, nil
}
