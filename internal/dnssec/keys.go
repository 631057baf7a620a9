package dnssec

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// parseDS reads DS RDATA in presentation form ("12345 13 2 ABCD…") for
// zone; the error names the record that does not parse.
func parseDS(zone string, rdata []string) ([]*dns.DS, error) {
	out := make([]*dns.DS, 0, len(rdata))
	for i, s := range rdata {
		rr, err := dns.NewRR(fmt.Sprintf("%s 0 IN DS %s", zone, s))
		if err != nil {
			return nil, fmt.Errorf("DS %d %q: %w", i+1, s, err)
		}
		ds, ok := rr.(*dns.DS)
		if !ok || rr == nil {
			return nil, fmt.Errorf("DS %d %q: not DS RDATA", i+1, s)
		}
		if _, err := hex.DecodeString(ds.Digest); err != nil || ds.Digest == "" {
			return nil, fmt.Errorf("DS %d %q: the digest is not hexadecimal", i+1, s)
		}
		out = append(out, ds)
	}
	return out, nil
}

// supportedDigest reports whether a DS digest type can be computed here
// (SHA-1, SHA-256, SHA-384: RFC 4034, 4509, 6605).
func supportedDigest(t uint8) bool {
	return t == dns.SHA1 || t == dns.SHA256 || t == dns.SHA384
}

// matchesDS reports whether key hashes to ds: same key tag and algorithm,
// and the digest that key.ToDS computes equals the DS digest. Revoked keys
// and keys without the zone flag never match.
func matchesDS(key *dns.DNSKEY, ds *dns.DS) bool {
	if key.Flags&dns.ZONE == 0 || key.Flags&dns.REVOKE != 0 || key.Protocol != 3 {
		return false
	}
	if key.Algorithm != ds.Algorithm || key.KeyTag() != ds.KeyTag || !supportedDigest(ds.DigestType) {
		return false
	}
	got := key.ToDS(ds.DigestType)
	return got != nil && strings.EqualFold(got.Digest, ds.Digest)
}

// ApexKeys are the DNSKEY records of an answer owned by zone.
func ApexKeys(answer []dns.RR, zone string) []*dns.DNSKEY {
	var out []*dns.DNSKEY
	for _, rr := range answer {
		if k, ok := rr.(*dns.DNSKEY); ok && equalName(k.Hdr.Name, zone) {
			out = append(out, k)
		}
	}
	return out
}

// KeyOf is the key of keys that ds (DS RDATA in presentation form, of
// zone) is made from, as a validator matches them (matchesDS: a zone key,
// not revoked, the DS's algorithm, key tag and digest); nil when none is
// or ds does not parse.
func KeyOf(zone, ds string, keys []*dns.DNSKEY) *dns.DNSKEY {
	dss, err := parseDS(zone, []string{ds})
	if err != nil {
		return nil
	}
	if m := dsMatched(keys, dss); len(m) > 0 {
		return m[0]
	}
	return nil
}

// dsMatched returns the keys of keys that match one of dss.
func dsMatched(keys []*dns.DNSKEY, dss []*dns.DS) []*dns.DNSKEY {
	var out []*dns.DNSKEY
	for _, k := range keys {
		for _, ds := range dss {
			if matchesDS(k, ds) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// keyTags lists the key tags of keys, sorted, as text ("111, 222").
func keyTags(keys []*dns.DNSKEY) string {
	tags := make([]int, 0, len(keys))
	for _, k := range keys {
		tags = append(tags, int(k.KeyTag()))
	}
	return intList(tags)
}

// dsTags lists the key tags the DS records name.
func dsTags(dss []*dns.DS) string {
	tags := make([]int, 0, len(dss))
	for _, d := range dss {
		tags = append(tags, int(d.KeyTag))
	}
	return intList(tags)
}

func intList(v []int) string {
	if len(v) == 0 {
		return "none"
	}
	sort.Ints(v)
	parts := make([]string, 0, len(v))
	for i, x := range v {
		if i > 0 && v[i-1] == x {
			continue
		}
		parts = append(parts, strconv.Itoa(x))
	}
	return strings.Join(parts, ", ")
}

// tagSet lists a set of key tags, sorted.
func tagSet[V any](m map[uint16]V) string {
	v := make([]int, 0, len(m))
	for t := range m {
		v = append(v, int(t))
	}
	return intList(v)
}
