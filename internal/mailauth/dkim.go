package mailauth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// DKIMKey is a parsed DKIM key record (RFC 6376 §3.6.1).
type DKIMKey struct {
	// Key is the public key data (p=) without whitespace; "" when revoked.
	Key     string
	Revoked bool
	// KeyType is k= (default "rsa").
	KeyType string
}

// ParseDKIM parses a DKIM key record (the TXT strings concatenated) per
// RFC 6376 §3.6.1 and the tag-list grammar of §3.2: v=, when present,
// first and exactly "DKIM1"; p= present and valid base64 (empty: revoked);
// no tag twice.
func ParseDKIM(rec string) (*DKIMKey, error) {
	tags, err := parseTags(rec)
	if err != nil {
		return nil, err
	}
	for i, t := range tags {
		if t.Name == "v" {
			if i != 0 {
				return nil, errors.New("v= must be the first tag")
			}
			if t.Value != "DKIM1" {
				return nil, fmt.Errorf("v=%s, want DKIM1", t.Value)
			}
		}
	}
	k := &DKIMKey{KeyType: "rsa"}
	if v, ok := tagValue(tags, "k"); ok {
		k.KeyType = v
	}
	p, ok := tagValue(tags, "p")
	if !ok {
		return nil, errors.New("no p= tag")
	}
	p = strings.Join(strings.Fields(p), "")
	if p == "" {
		k.Revoked = true
		return k, nil
	}
	if _, err := base64.StdEncoding.DecodeString(p); err != nil {
		return nil, fmt.Errorf("p= is not valid base64: %w", err)
	}
	k.Key = p
	return k, nil
}
