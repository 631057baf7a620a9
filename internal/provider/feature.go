package provider

import (
	"context"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Feature is provider-only behaviour on a record that a BIND zone file
// cannot express and that another provider will not reproduce: a proxied
// record answering with the provider's addresses, an alias or ANAME, a
// flattened apex CNAME, geo/latency/weighted answers, a web redirect, TTL
// "automatic". plan, parity and import report each one; none is a silent
// difference.
type Feature struct {
	Name    string `json:"name"` // owner, absolute, lower case
	Type    string `json:"type"` // the record type as the provider shows it (A, ALIAS, ...)
	Feature string `json:"feature"`
	// Detail says what the provider does with it; Advice what the user
	// should decide before migrating.
	Detail string `json:"detail"`
	Advice string `json:"advice"`
	// Value is the record as the provider shows it (e.g. an alias
	// target), for import's comments.
	Value string `json:"value,omitempty"`
	// Omitted: Records leaves this record out because a zone file cannot
	// express it (an alias, a flattened apex CNAME, one answer of a
	// routing policy); import lists it as not written.
	Omitted bool `json:"omitted,omitempty"`
}

// FeatureReporter is a provider that can list the provider-only features
// used in a zone it holds.
type FeatureReporter interface {
	Features(ctx context.Context, zone string) ([]Feature, error)
}

// Reader is a provider that reads a zone's records and its provider-only
// features from one listing of the zone, where Records then Features
// would list it twice: an API provider's requests per zone halve, within
// the account's budget that many zones share.
type Reader interface {
	Read(ctx context.Context, zone string) (*zone.Zone, []Feature, error)
}

// Read reads a zone's records and features from p: one listing when p is
// a Reader, else Records then Features (none when p reports none). A
// zone p lacks is ErrZoneNotFound, as Records says it.
func Read(ctx context.Context, p Provider, origin string) (*zone.Zone, []Feature, error) {
	if r, ok := p.(Reader); ok {
		return r.Read(ctx, origin)
	}
	z, err := p.Records(ctx, origin)
	if err != nil {
		return nil, nil, err
	}
	fr, ok := p.(FeatureReporter)
	if !ok {
		return z, nil, nil
	}
	fs, err := fr.Features(ctx, origin)
	if err != nil {
		return nil, nil, err
	}
	return z, fs, nil
}
