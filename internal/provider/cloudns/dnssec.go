package cloudns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// DSState reports whether ClouDNS signs the zone and the DS records it
// publishes for the parent (get-dnssec-ds-records). DNSSEC off is not an
// error: Active is false, and every DS at the parent is then stale.
func (p *Provider) DSState(ctx context.Context, origin string) (provider.DSState, error) {
	origin = zone.CanonicalName(origin)
	var st provider.DSState
	if err := p.zone(ctx, origin); err != nil {
		return st, err
	}
	var raw json.RawMessage
	_, err := p.call(ctx, "/dns/get-dnssec-ds-records.json", url.Values{"domain-name": {apiName(origin)}}, false, &raw)
	var ae *apiError
	if errors.As(err, &ae) && strings.Contains(ae.text, "not active") {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("cloudns: zone %s: DNSSEC DS records: %w", origin, err)
	}
	ds, err := parseDS(raw)
	if err != nil {
		return st, fmt.Errorf("cloudns: zone %s: DNSSEC DS records: %w", origin, err)
	}
	st.Active, st.DS = true, ds
	return st, nil
}

// parseDS reads the DS records of a get-dnssec-ds-records answer: "ds",
// DS lines (a record line or its RDATA: the last four fields count), and
// "ds_records", the same as objects; each DS once, in presentation form.
func parseDS(raw []byte) ([]string, error) {
	var ans struct {
		DS      []string `json:"ds"`
		Records []struct {
			KeyTag     json.Number `json:"key_tag"`
			Algorithm  json.Number `json:"algorithm"`
			DigestType json.Number `json:"digest_type"`
			Digest     string      `json:"digest"`
		} `json:"ds_records"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return nil, fmt.Errorf("bad answer: %w", err)
	}
	var out []string
	seen := map[string]bool{}
	add := func(d string) {
		if k := strings.ToUpper(d); !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	for _, line := range ans.DS {
		f := strings.Fields(line)
		if len(f) < 4 {
			return nil, fmt.Errorf("DS %q: want key tag, algorithm, digest type and digest", line)
		}
		add(strings.Join(f[len(f)-4:], " "))
	}
	for _, r := range ans.Records {
		add(fmt.Sprintf("%s %s %s %s", r.KeyTag, r.Algorithm, r.DigestType, r.Digest))
	}
	return out, nil
}
