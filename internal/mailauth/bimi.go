package mailauth

import (
	"errors"
	"sort"
	"strings"
)

// BIMI Assertion Records (draft-brand-indicators-for-message-identification,
// "Assertion Record Definition": https://github.com/authindicators/rfc-brand-indicators-for-message-identification,
// draft-brand-indicators-for-message-identification.md at 257cfcaa): a TXT
// record at SELECTOR._bimi.DOMAIN in DKIM's tag-list syntax (RFC 6376 §3.2),
// v=BIMI1 first and exact, l= (the indicator's URI, or empty: declined)
// required, a= (the evidence document's URI) optional and empty when
// absent, lps= (local-part selector prefixes, comma-separated) optional;
// unknown tags "MUST be ignored", and receivers "MUST NOT attempt to fix
// syntactical or capitalization errors".

// IsBIMIName reports whether name (lower case) is the owner of a BIMI
// Assertion Record (SELECTOR._bimi.DOMAIN).
func IsBIMIName(name string) bool { return strings.Contains(name, "._bimi.") }

// IsBIMI reports whether rec starts with the version tag v=BIMI1 (the
// draft's bimi-version: "v" *WSP "=" *WSP "BIMI1", the first tag).
func IsBIMI(rec string) bool {
	first, _, _ := strings.Cut(rec, ";")
	name, value, ok := strings.Cut(first, "=")
	return ok && strings.Trim(name, " \t") == "v" && strings.Trim(value, " \t") == "BIMI1"
}

// bimiMeaning is what receivers act on in a BIMI Assertion Record: l=,
// a= (absent: empty), avp= (Avatar Preference, absent: brand; personal
// shows the sender's own avatar instead of the logo) and lps= when
// present (its prefixes a set), each value as written; the order of the
// tags, whitespace around them and unknown tags change nothing.
func bimiMeaning(rec string) (string, error) {
	tags, empty, err := parseTags(rec)
	if err != nil {
		return "", err
	}
	if len(empty) > 0 {
		return "", errors.New("empty tag (outside RFC 6376 §3.2's tag-list)")
	}
	if len(tags) == 0 || tags[0].Name != "v" || tags[0].Value != "BIMI1" {
		return "", errors.New("v=BIMI1 is not the first tag")
	}
	l, ok := tagValue(tags, "l")
	if !ok {
		return "", errors.New("no l= tag (required)")
	}
	a, _ := tagValue(tags, "a")
	avp, ok := tagValue(tags, "avp")
	if !ok {
		avp = "brand"
	}
	m := "l=" + l + ";a=" + a + ";avp=" + avp
	if lps, ok := tagValue(tags, "lps"); ok {
		var prefixes []string
		for _, p := range strings.Split(lps, ",") {
			if p = strings.Trim(p, " \t\r\n"); p != "" {
				prefixes = append(prefixes, p)
			}
		}
		sort.Strings(prefixes)
		m += ";lps=" + strings.Join(prefixes, ",")
	}
	return m, nil
}
