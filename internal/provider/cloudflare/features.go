package cloudflare

import (
	"fmt"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// features are the provider-only features in the zone's listing (the
// Features of the zone): proxied records, CNAME flattening (at the apex,
// or by the record's flatten_cname setting) and TTL 1 ("automatic").
func features(origin string, rs []record) []provider.Feature {
	var out []provider.Feature
	for _, r := range rs {
		name := provider.FQDN(r.Name)
		value := r.Content
		if value == "" {
			value = string(r.Data)
		}
		f := provider.Feature{Name: name, Type: r.Type, Value: value}
		if !omitted(origin, r) {
			if _, err := toRR(r); err != nil {
				out = append(out, provider.Unreadable(f, err))
				continue
			}
		}
		switch {
		case omitted(origin, r):
			f.Feature = "cname-flattening"
			f.Detail = fmt.Sprintf("a CNAME at the apex to %s: Cloudflare answers A/AAAA questions with the target's addresses; a zone file cannot hold a CNAME at the apex, so it is not compared or pushed", r.Content)
			f.Advice = "put the addresses (A/AAAA) in git, or use the new provider's ALIAS/ANAME, before the flip"
			// Blocks: no A or AAAA stands beside it (Cloudflare answers
			// 81054 "A CNAME record with that host already exists";
			// Capabilities.CNAMEConflicts), so the plan refuses git's
			// apex A and AAAA up front rather than the API on every
			// push; MX, TXT and the rest stand beside it.
			f.Omitted, f.Blocks = true, true
			out = append(out, f)
			continue
		case r.Proxied != nil && *r.Proxied:
			f.Feature = "proxied"
			f.Detail = fmt.Sprintf("Cloudflare answers with its own anycast addresses, not %s, and an automatic TTL (300, read as 300)", r.Content)
			f.Advice = fmt.Sprintf("another provider will answer %s directly: keep a proxy/CDN in front of it, or accept that clients reach the origin", r.Content)
			out = append(out, f)
			continue
		case r.Settings != nil && r.Settings.FlattenCNAME:
			f.Feature = "cname-flattening"
			f.Detail = fmt.Sprintf("flatten_cname: Cloudflare answers with the addresses of %s instead of the CNAME", r.Content)
			f.Advice = "another provider answers with the CNAME itself; check that clients do not rely on the flattening"
			out = append(out, f)
		}
		if r.TTL == autoTTL {
			out = append(out, provider.Feature{Name: name, Type: r.Type, Value: value, Feature: "ttl-automatic",
				Detail: "TTL automatic (1 in the API): Cloudflare answers with TTL 300, and dnsparity reads it as 300",
				Advice: "keep 300 in git, or write the TTL you want (then pushed as a fixed TTL)"})
		}
	}
	return out
}
