package mailauth

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// DMARC is a parsed DMARC policy record (RFC 7489 §6.3).
type DMARC struct {
	Policy    string // p=: none, quarantine, reject
	Subdomain string // sp= ("" when absent)
	Tags      []Tag
}

// IsDMARC reports whether a TXT record (strings concatenated) starts with
// the version tag "v=DMARC1": "v", optional whitespace, "=", optional
// whitespace, exactly "DMARC1" (RFC 7489 §6.4: "v" in any case, "DMARC1"
// case-sensitive), then ";" or the end. "v=DMARC10" is not.
func IsDMARC(rec string) bool {
	first, _, _ := strings.Cut(rec, ";")
	name, value, ok := strings.Cut(first, "=")
	return ok && zone.Fold(strings.TrimRight(name, " \t")) == "v" && strings.Trim(value, " \t") == "DMARC1"
}

// SelectDMARC finds the DMARC record among the TXT records at _dmarc.NAME
// (RFC 7489 §6.6.3): records not starting with v=DMARC1 are ignored; none
// is "no policy", more than one is invalid (an error), and the one found
// must parse.
func SelectDMARC(recs []string) (*DMARC, error) {
	var found []string
	for _, r := range recs {
		if IsDMARC(r) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		return nil, ErrNoDMARC
	case 1:
		return ParseDMARC(found[0])
	}
	return nil, fmt.Errorf("%d DMARC records (v=DMARC1) at one name: receivers apply none (RFC 7489 §6.6.3)", len(found))
}

// ErrNoDMARC: no record starts with v=DMARC1.
var ErrNoDMARC = errors.New("no DMARC record (v=DMARC1)")

// ParseDMARC parses a DMARC record per RFC 7489 §6.4: v=DMARC1 first, p=
// required (none, quarantine, reject), sp= likewise, adkim= and aspf= r or
// s, pct= 0-100, fo= 0/1/d/s joined by ":", ri= a number, rua= and ruf= URIs;
// no tag twice; unknown tags are ignored (§6.3). Without p= the record is
// valid only with rua= (then p=none, §6.6.3).
func ParseDMARC(rec string) (*DMARC, error) {
	if !IsDMARC(rec) {
		return nil, errors.New("does not start with v=DMARC1")
	}
	tags, err := parseTags(rec)
	if err != nil {
		return nil, err
	}
	// Tag names and the keyword values are case-insensitive (RFC 7489
	// §6.4's ABNF: quoted strings, RFC 5234 §2.3); only "DMARC1" is not.
	seen := map[string]bool{}
	for i := range tags {
		tags[i].Name = zone.Fold(tags[i].Name)
		if seen[tags[i].Name] {
			return nil, fmt.Errorf("tag %s= appears more than once", tags[i].Name)
		}
		seen[tags[i].Name] = true
		switch tags[i].Name {
		case "p", "sp", "adkim", "aspf", "fo":
			tags[i].Value = zone.Fold(tags[i].Value)
		}
	}
	d := &DMARC{Tags: tags}
	policy := func(v string) bool { return v == "none" || v == "quarantine" || v == "reject" }
	for _, t := range tags[1:] {
		v := t.Value
		bad := false
		switch t.Name {
		case "v":
			bad = true // only first
		case "p":
			d.Policy, bad = v, !policy(v)
		case "sp":
			d.Subdomain, bad = v, !policy(v)
		case "adkim", "aspf":
			bad = v != "r" && v != "s"
		case "pct":
			n, err := strconv.Atoi(v)
			bad = err != nil || n < 0 || n > 100
		case "ri":
			_, err := strconv.ParseUint(v, 10, 32)
			bad = err != nil
		case "fo":
			for _, o := range strings.Split(v, ":") {
				if o = strings.TrimSpace(o); o != "0" && o != "1" && o != "d" && o != "s" {
					bad = true
				}
			}
		case "rua", "ruf":
			for _, u := range strings.Split(v, ",") {
				if u = strings.TrimSpace(u); !strings.Contains(u, ":") {
					bad = true
				}
			}
		}
		if bad {
			return nil, fmt.Errorf("bad %s=%s", t.Name, v)
		}
	}
	if d.Policy == "" {
		if _, ok := tagValue(tags, "rua"); !ok {
			return nil, errors.New("no p= tag (and no rua=): receivers ignore the record (RFC 7489 §6.6.3)")
		}
		d.Policy = "none" // §6.6.3: a valid rua= without p= is p=none
	}
	return d, nil
}
