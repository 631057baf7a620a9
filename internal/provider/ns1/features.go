package ns1

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	nsdns "gopkg.in/ns1/ns1-go.v2/rest/model/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Features lists NS1-only behaviour in the zone: records with a filter
// chain (geo, up, weighted shuffle, select first n, …) answer per client,
// so parity may see one answer of many and another provider gives all;
// ALIAS, URLFWD, REDIRECT and linked records have no zone-file form; a record with
// an answer dnsparity cannot read is unrepresentable. Records with
// metadata or filters (tier above 1) are read one by one for their
// filter chain.
func (p *Provider) Features(ctx context.Context, origin string) ([]provider.Feature, error) {
	origin = zone.CanonicalName(origin)
	z, err := p.zone(ctx, origin)
	if err != nil {
		return nil, err
	}
	return p.features(ctx, origin, z)
}

// Read lists the zone once for its records and its features
// (provider.Reader).
func (p *Provider) Read(ctx context.Context, origin string) (*zone.Zone, []provider.Feature, error) {
	origin = zone.CanonicalName(origin)
	z, err := p.zone(ctx, origin)
	if err != nil {
		return nil, nil, err
	}
	out, err := records(origin, z)
	if err != nil {
		return nil, nil, err
	}
	fs, err := p.features(ctx, origin, z)
	if err != nil {
		return nil, nil, err
	}
	return out, fs, nil
}

// features are the provider-only features in the zone z, with the filter
// chain of each record that may have one read.
func (p *Provider) features(ctx context.Context, origin string, z *nsdns.Zone) ([]provider.Feature, error) {
	var out []provider.Feature
	for _, r := range z.Records {
		name := provider.FQDN(r.Domain)
		f := provider.Feature{Name: name, Type: r.Type, Value: strings.Join(r.ShortAns, ", ")}
		if !omitted(r) {
			if _, err := answers(r); err != nil {
				out = append(out, provider.Unreadable(f, err))
				continue
			}
		}
		switch {
		case r.Type == "ALIAS":
			f = provider.Alias(f, "NS1", "ALIAS", f.Value)
		case r.Type == "URLFWD":
			f = provider.Redirect(f, "url-forward", "NS1", f.Value)
		case r.Type == "REDIRECT":
			// Made by NS1 for a URL redirect configuration ("the
			// platform auto-generates a REDIRECT record type within the
			// corresponding DNS zone", ibm.com/docs/en/ns1-connect?
			// topic=redirects-configuring-url-redirect), not written
			// through the records endpoint: a web redirect, run
			// elsewhere, never a record to recreate by hand.
			f = provider.Redirect(f, "url-redirect", "NS1", "the target of its URL redirect configuration (NS1 portal: Redirects; GET /v1/redirect)")
		case r.Link != "":
			// It holds its domain and type (a record's key,
			// /v1/zones/:zone/:domain/:type): git's RRset there would
			// be a PUT NS1 refuses ("record already exists").
			f.Feature, f.Omitted, f.Blocks = "linked-record", true, true
			f.Value = r.Link
			f.Detail = fmt.Sprintf("answers with the data of the record it links to (%s)", r.Link)
			f.Advice = "write the linked record's data in git, and in NS1 replace the link by that data (or delete the record) so that push can write it"
		case r.Tier.String() != "" && r.Tier.String() != "1":
			var rec nsdns.Record
			path := fmt.Sprintf("zones/%s/%s/%s", url.PathEscape(provider.APIName(origin)), url.PathEscape(r.Domain), r.Type)
			if _, _, err := p.call(ctx, http.MethodGet, path, nil, &rec); err != nil {
				return nil, fmt.Errorf("ns1: zone %s: record %s %s: %w", origin, r.Domain, r.Type, err)
			}
			if len(rec.Filters) == 0 {
				continue
			}
			var chain []string
			for _, fl := range rec.Filters {
				if !fl.Disabled {
					chain = append(chain, fl.Type)
				}
			}
			if len(chain) == 0 {
				continue
			}
			f.Feature = "filter-chain"
			f.Detail = fmt.Sprintf("NS1 picks the answers per client through the filters %s: resolvers see some of %d answers, parity may see one answer of many; the zone file holds all of them (the default answers)",
				strings.Join(chain, ", "), len(rec.Answers))
			f.Advice = "another provider answers every client with all of these: set up its traffic steering, or keep the answers that suit everyone"
		default:
			continue
		}
		out = append(out, f)
	}
	return out, nil
}
