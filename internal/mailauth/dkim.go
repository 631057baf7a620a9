package mailauth

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Unparsed says what a DKIM key record that does not parse (ParseDKIM's
// error, why; "" when what says it) means: the rule of RFC 6376 §3.6.1,
// verifiers fail every signature with this selector (who: "verifiers",
// "verifiers that reach old"). what says which records and how ("does
// not parse", "on new does not parse"). The one wording of that rule for
// check (a zone's record) and parity (a side's).
func Unparsed(what, why, who string) string {
	s := "the DKIM key record " + what + " (RFC 6376 §3.6.1):"
	if why != "" {
		s += " " + why + ";"
	}
	return s + " " + who + " fail every signature with this selector"
}

// DKIMKey is a parsed DKIM key record (RFC 6376 §3.6.1).
type DKIMKey struct {
	// Public is the key as verifiers use it: an rsa key as its
	// SubjectPublicKeyInfo DER in base64 (a bare PKCS #1 RSAPublicKey,
	// which verifiers also take, re-encoded: the same key written either
	// way is one key), an ed25519 key as p= holds it without whitespace;
	// "" when revoked.
	Public  string
	Revoked bool
	// KeyType is k= (default "rsa").
	KeyType string
}

// ParseDKIM parses a DKIM key record (the TXT strings concatenated) per
// RFC 6376 §3.6.1 and the tag-list grammar of §3.2: v=, when present,
// first and exactly "DKIM1"; p= present and valid base64 (empty: revoked);
// no tag twice. A record verifiers ignore, failing every signature with
// it, is an error too: k= neither rsa nor ed25519 (unrecognized key types
// are ignored, §3.6.1; ed25519: RFC 8463), h= without sha256 (the only
// hash RFC 8301 §3.1 lets verifiers accept; a key whose h= omits the
// signature's hash is ignored, §6.1.2), s= without email or *, an ed25519
// key that is not 32 octets (RFC 8463 §4.2), an rsa key that is not a DER
// RSA public key (a key cut short, as a bad 255-octet split leaves it) or
// has fewer than 1024 bits (RFC 8301 §3.2: verifiers reject it).
func ParseDKIM(rec string) (*DKIMKey, error) {
	tags, empty, err := parseTags(rec)
	if err != nil {
		return nil, err
	}
	if len(empty) > 0 {
		// Outside §3.2's grammar: the record is invalid (§6.1.2), and
		// OpenDKIM rejects it.
		return nil, fmt.Errorf("empty tag at position %d", empty[0])
	}
	for i, t := range tags {
		if t.Name == "v" {
			if i != 0 {
				return nil, errors.New("v= must be the first tag")
			}
			if t.Value != "DKIM1" {
				return nil, fmt.Errorf("v=%s, want DKIM1", word(t.Value))
			}
		}
	}
	k := &DKIMKey{KeyType: "rsa"}
	if v, ok := tagValue(tags, "k"); ok {
		k.KeyType = v
		if v != "rsa" && v != "ed25519" {
			return nil, fmt.Errorf("k=%s is not a key type verifiers know (rsa, ed25519): they ignore the key (RFC 6376 §3.6.1, RFC 8463)", word(v))
		}
	}
	if v, ok := tagValue(tags, "h"); ok && !listHas(v, "sha256") {
		return nil, fmt.Errorf("h=%s does not allow sha256, the only hash verifiers accept (RFC 6376 §3.6.1, RFC 8301 §3.1)", word(v))
	}
	if v, ok := tagValue(tags, "s"); ok && !listHas(v, "email") && !listHas(v, "*") {
		return nil, fmt.Errorf("s=%s: the key is not for email (email or *), verifiers ignore it (RFC 6376 §3.6.1)", word(v))
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
	raw, err := base64.StdEncoding.DecodeString(p)
	if err != nil {
		return nil, fmt.Errorf("p= is not valid base64: %w", err)
	}
	if k.KeyType == "ed25519" && len(raw) != 32 {
		return nil, fmt.Errorf("p= holds %d octets: an ed25519 key is the bare 32-octet public key (RFC 8463 §4.2)", len(raw))
	}
	k.Public = p
	if k.KeyType == "rsa" {
		pub, spki, err := rsaKey(raw)
		if err != nil {
			return nil, err
		}
		if !spki {
			// DER is one encoding per key: only the PKCS #1 form needs
			// writing again.
			der, err := x509.MarshalPKIXPublicKey(pub)
			if err != nil {
				return nil, fmt.Errorf("p=: %w", err)
			}
			k.Public = base64.StdEncoding.EncodeToString(der)
		}
	}
	return k, nil
}

// minRSABits is the smallest RSA key a verifier accepts (RFC 8301 §3.2).
const minRSABits = 1024

// rsaKey checks p= of an rsa key and returns it, and whether it was
// written as a SubjectPublicKeyInfo: RFC 6376 §3.6.1 names an
// RSAPublicKey in a SubjectPublicKeyInfo; verifiers (OpenDKIM, go-msgauth)
// also take the bare PKCS #1 form, so either is valid.
func rsaKey(der []byte) (pub *rsa.PublicKey, spki bool, err error) {
	if k, err := x509.ParsePKIXPublicKey(der); err == nil {
		r, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, false, fmt.Errorf("p= holds a %T key, not an RSA key: give k= its type (RFC 6376 §3.6.1)", k)
		}
		pub, spki = r, true
	} else if r, err := x509.ParsePKCS1PublicKey(der); err == nil {
		pub = r
	} else {
		return nil, false, fmt.Errorf("p= is not an RSA public key (%d octets that are neither a SubjectPublicKeyInfo nor PKCS #1: cut short or damaged?)", len(der))
	}
	if n := pub.N.BitLen(); n < minRSABits {
		return nil, false, fmt.Errorf("p= is a %d-bit RSA key: verifiers reject keys under %d bits (RFC 8301 §3.2)", n, minRSABits)
	}
	return pub, spki, nil
}

// listHas reports whether the colon-separated list (whitespace allowed
// around the items, RFC 6376 §3.6.1) holds item.
func listHas(list, item string) bool {
	for _, v := range strings.Split(list, ":") {
		if strings.TrimSpace(v) == item {
			return true
		}
	}
	return false
}
