package dnssec

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// ErrParentDisagree is wrapped by ParentDS when the parent's servers hold
// different DS sets (a change still propagating among them).
var ErrParentDisagree = errors.New("the parent's servers disagree on the DS set")

// ParentDS asks each of the parent's authoritative servers (host:port, or
// host for port 53) directly for zone's DS RRset, DO=1, and returns the DS
// RDATA in presentation form (sorted, digests upper case) and its TTL (the
// smallest seen). No DS at the parent (an authoritative NODATA from the
// parent zone) gives an empty list and TTL 0. Every server must answer
// authoritatively (AA) from the parent zone, and all must hold the same
// set; otherwise the error names them.
func ParentDS(ctx context.Context, zone string, parentServers []string, timeout time.Duration) ([]string, uint32, error) {
	zone = dns.CanonicalName(zone)
	if len(parentServers) == 0 {
		return nil, 0, fmt.Errorf("dnssec: DS of %s: no parent servers", zone)
	}
	parentServers, err := query.ParseAddrs("parent server", parentServers)
	if err != nil {
		return nil, 0, fmt.Errorf("dnssec: DS of %s: %w", zone, err)
	}
	a := asker{timeout: timeout}
	var (
		first   []string
		ttl     uint32
		haveTTL bool
		seen    []string
	)
	for i, addr := range parentServers {
		ds, t, err := parentDSAt(ctx, a, zone, addr)
		if err != nil {
			return nil, 0, fmt.Errorf("dnssec: DS of %s: %w", zone, err)
		}
		seen = append(seen, fmt.Sprintf("%s: %s", addr, dsSetText(ds)))
		if i == 0 {
			first = ds
		} else if !slices.Equal(first, ds) {
			return nil, 0, fmt.Errorf("dnssec: DS of %s: %w (%s)", zone, ErrParentDisagree, strings.Join(seen, "; "))
		}
		if len(ds) > 0 && (!haveTTL || t < ttl) {
			ttl, haveTTL = t, true
		}
	}
	return first, ttl, nil
}

// parentDSAt reads the DS RRset from one parent server.
func parentDSAt(ctx context.Context, a asker, zone, addr string) ([]string, uint32, error) {
	r, err := a.ask(ctx, addr, zone, dns.TypeDS)
	if err != nil {
		return nil, 0, err
	}
	if r.Rcode != dns.RcodeSuccess {
		return nil, 0, fmt.Errorf("%s answered the DS query with %s", addr, rcodeText(r))
	}
	var out []string
	var ttl uint32
	for _, rr := range r.Answer {
		ds, ok := rr.(*dns.DS)
		if !ok || !equalName(ds.Hdr.Name, zone) {
			continue
		}
		if len(out) == 0 || ds.Hdr.Ttl < ttl {
			ttl = ds.Hdr.Ttl
		}
		out = append(out, dsRDATA(ds))
	}
	if !r.Authoritative {
		// A DS set read from a server that is not the parent's (a
		// referral, a cache) could be stale or absent: never trust it.
		return nil, 0, fmt.Errorf("%s answered the DS query of %s without AA: not an authoritative server of the parent zone", addr, zone)
	}
	if len(out) == 0 {
		for _, rr := range r.Ns {
			if soa, ok := rr.(*dns.SOA); ok && equalName(soa.Hdr.Name, zone) {
				// The child's own server answers NODATA for its apex DS.
				return nil, 0, fmt.Errorf("%s answered the DS query from %s itself (its SOA): a server of the zone, not of the parent", addr, zone)
			}
		}
	}
	if err := VerifyParentDS(ctx, addr, zone, r, a.timeout); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", addr, err)
	}
	slices.Sort(out)
	return slices.Compact(out), ttl, nil
}

func dsSetText(ds []string) string {
	if len(ds) == 0 {
		return "no DS"
	}
	return strings.Join(ds, ", ")
}

// dsRDATA is a DS record's RDATA in the one spelling DS sets are read,
// compared and recorded in (key tag, algorithm, digest type, the digest
// in upper case): the parent's, and those CDS and CDNSKEY ask for.
func dsRDATA(ds *dns.DS) string {
	return fmt.Sprintf("%d %d %d %s", ds.KeyTag, ds.Algorithm, ds.DigestType, strings.ToUpper(ds.Digest))
}
