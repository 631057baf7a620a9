package export

import (
	"context"
	"fmt"
	"io"
	"iter"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// FromProvider reads the zone origin from p (name and typ are how the
// config names it) and writes it to w with Write: its records, its
// nameservers for an apex the listing lacks, and its provider-only
// features as decision comments; a zone p does not hold is
// provider.NotHeld's error. The records a provider's signer or zone
// pipeline makes (zone.SignerMade: the DNSSEC records it generates when
// signing, an apex ZONEMD) are its own: never written, listed as
// skipped. file names
// the output in problems. It also returns the features, for the caller to
// list. shown (config.Config.ShownSecret; nil: none) is asked about the
// text the output and its listing show (each record, the features, the
// nameservers) before anything is written: a secret standing in a
// provider's record is refused with its error, so it goes neither into
// git nor to stderr.
func FromProvider(ctx context.Context, w io.Writer, p provider.Provider, name, typ, origin, file string, shown func(iter.Seq[string]) error) (Result, []provider.Feature, error) {
	z, features, err := provider.Read(ctx, p, origin)
	if err != nil {
		// A zone the provider lacks (a typo): said so, with the zone it
		// holds that was probably meant, where it lists its zones.
		return Result{}, nil, provider.NotHeld(ctx, p, name, typ, origin, err)
	}
	ns, err := p.Nameservers(ctx, origin)
	if err != nil {
		return Result{}, nil, fmt.Errorf("provider %s: nameservers: %w", name, err)
	}
	if shown != nil {
		if err := shown(texts(z, features, ns)); err != nil {
			return Result{}, nil, fmt.Errorf("zone %s at provider %s: %w", origin, name, err)
		}
	}
	var generated []Skipped
	keep := zone.New(origin)
	for _, s := range z.Sets {
		switch {
		case zone.Generated(origin, s.Name, s.Type):
			generated = append(generated, Skipped{Name: s.Name, Type: dns.Type(s.Type).String(),
				Why: plural.N(len(s.Records), "DNSSEC record", "DNSSEC records") + " the provider generates when signing"})
			continue
		case zone.SignerMade(origin, s.Name, s.Type):
			// An apex ZONEMD (RFC 8976): the provider's pipeline's
			// digest of the zone as it serves it. In git it would be
			// pushed back over the one the provider makes again at
			// every change; plan and parity leave a ZONEMD git lacks.
			generated = append(generated, Skipped{Name: s.Name, Type: dns.Type(s.Type).String(),
				Why: "the provider's zone digest (RFC 8976), which it makes again at every change"})
			continue
		}
		keep.AddSet(s)
	}
	keep.Sort()
	res, err := Write(w, keep, Options{Source: fmt.Sprintf("provider %s (type %s)", name, typ), Nameservers: ns, Features: features, File: file})
	if err != nil {
		return Result{}, nil, err
	}
	res.Skipped = append(generated, res.Skipped...)
	return res, features, nil
}

// texts is what an import shows of a provider's zone: its records
// (zone.Zone.Texts), each feature's name, value and words, and the
// nameservers.
func texts(z *zone.Zone, features []provider.Feature, ns []string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for t := range z.Texts() {
			if !yield(t) {
				return
			}
		}
		for _, f := range features {
			for _, t := range []string{f.Name, f.Type, f.Value, f.Detail, f.Advice} {
				if !yield(t) {
					return
				}
			}
		}
		for _, n := range ns {
			if !yield(n) {
				return
			}
		}
	}
}
