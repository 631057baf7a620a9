package provider

import (
	"fmt"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Current is a record held at a provider (R: the provider's API record)
// with its canonical RDATA.
type Current[R any] struct {
	Rec   R
	Rdata string
}

// IndexRecords sorts a provider's records by RRset. conv turns an API
// record into an RR (nil, nil for one the provider layer leaves out);
// label names a record in an error ("record LABEL: ...").
func IndexRecords[R any](rs []R, conv func(R) (dns.RR, error), label func(R) string) (map[zone.Key][]Current[R], error) {
	cur := map[zone.Key][]Current[R]{}
	for _, r := range rs {
		rr, err := conv(r)
		if err != nil {
			return nil, fmt.Errorf("record %s: %w", label(r), err)
		}
		if rr == nil {
			continue
		}
		rd, err := zone.CanonicalRdata(rr)
		if err != nil {
			return nil, fmt.Errorf("record %s: %w", label(r), err)
		}
		k := zone.Key{Name: zone.CanonicalName(rr.Header().Name), Type: rr.Header().Rrtype}
		cur[k] = append(cur[k], Current[R]{r, rd})
	}
	return cur, nil
}

// Held reads records of a zone as RRs for IndexRecords and ZoneOf: nil
// for one omitted (it has no zone-file form), else toRR's RR of it.
func Held[R any](omitted func(R) bool, toRR func(origin string, r R) (dns.RR, error)) func(origin string) func(R) (dns.RR, error) {
	return func(origin string) func(R) (dns.RR, error) {
		return func(r R) (dns.RR, error) {
			if omitted(r) {
				return nil, nil
			}
			return toRR(origin, r)
		}
	}
}

// ReadRR reads a record as an API lists it back into an RR: name and typ
// as the API shows them (for errors), owner its absolute name, ttl its
// TTL as text, rdata its zone-file RDATA, or err why it has none. A name
// holding a backslash is not read (PlainName).
func ReadRR(name, typ, owner, ttl, rdata string, err error) (dns.RR, error) {
	if err == nil {
		err = PlainName(name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", name, typ, err)
	}
	rr, err := zone.NewRR(fmt.Sprintf("%s %s IN %s %s", owner, ttl, typ, rdata))
	if err != nil || rr == nil {
		return nil, fmt.Errorf("%s %s %q: cannot read: %v", name, typ, rdata, err)
	}
	return rr, nil
}

// Kept is a wanted record the provider already holds.
type Kept[R any] struct {
	Have Current[R]
	RR   dns.RR // the wanted record
}

// Match pairs the records of want with those held (by RDATA, each held
// record used once): Kept are held already, Added are not, Left are
// held but not wanted. Every list keeps the order of its input.
func Match[R any](want *zone.RRSet, have []Current[R]) (kept []Kept[R], added []dns.RR, left []Current[R]) {
	left = have
	for i, rr := range want.RRs() {
		rd := want.Records[i].Rdata
		k := -1
		for j, h := range left {
			if h.Rdata == rd {
				k = j
				break
			}
		}
		if k < 0 {
			added = append(added, rr)
			continue
		}
		kept = append(kept, Kept[R]{left[k], rr})
		left = append(left[:k:k], left[k+1:]...)
	}
	return kept, added, left
}

// Edit is a held record to write over in place with a wanted one (New,
// as the API writes it), keeping the held record's id and whatever the
// API keeps with it.
type Edit[R, W any] struct {
	Have Current[R]
	New  W
}

// Pair turns what Match found added (wanted, not held) and left (held,
// not wanted) into writes, in order: each added record as conv writes it
// for the API, the first of them over left records in place (edits),
// the rest to create; the left records no edit takes are to delete.
func Pair[R, W any](added []dns.RR, left []Current[R], conv func(dns.RR) (W, error)) (edits []Edit[R, W], creates []W, deletes []Current[R], err error) {
	for _, rr := range added {
		w, err := conv(rr)
		if err != nil {
			return nil, nil, nil, err
		}
		if len(left) > 0 {
			edits = append(edits, Edit[R, W]{left[0], w})
			left = left[1:]
			continue
		}
		creates = append(creates, w)
	}
	return edits, creates, left, nil
}

// ZoneOf is the zone of a provider's records; conv and label as for
// IndexRecords.
func ZoneOf[R any](origin string, rs []R, conv func(R) (dns.RR, error), label func(R) string) (*zone.Zone, error) {
	rrs := make([]dns.RR, 0, len(rs))
	for _, r := range rs {
		rr, err := conv(r)
		if err != nil {
			return nil, fmt.Errorf("record %s: %w", label(r), err)
		}
		if rr != nil {
			rrs = append(rrs, rr)
		}
	}
	return zone.FromRRs(origin, rrs)
}
