package parity_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// splitEvery writes s as a TXT RDATA of quoted strings of n octets (the
// last shorter).
func splitEvery(s string, n int) string {
	var parts []string
	for len(s) > n {
		parts = append(parts, `"`+s[:n]+`"`)
		s = s[n:]
	}
	return strings.Join(append(parts, `"`+s+`"`), " ")
}

// rsaKeyB64 is a fresh RSA public key of bits, base64 SubjectPublicKeyInfo
// (DKIM's p=, RFC 6376 §3.6.1).
func rsaKeyB64(t *testing.T, bits int) string {
	t.Helper()
	spki, _ := rsaKeyForms(t, bits)
	return spki
}

// rsaKeyForms is a fresh RSA public key of bits in base64, as a
// SubjectPublicKeyInfo and as a bare PKCS #1 RSAPublicKey: the two forms
// DKIM verifiers take for p= (RFC 6376 §3.6.1; OpenDKIM, go-msgauth).
func rsaKeyForms(t *testing.T, bits int) (spki, pkcs1 string) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.StdEncoding.EncodeToString
	return enc(der), enc(x509.MarshalPKCS1PublicKey(&k.PublicKey))
}

// TestParityMailMeaningLab: mail records whose text differs between the
// sides but that every receiver reads the same (a DKIM key's tags in
// another order or with spaces, a DMARC record's tags reordered or in
// another case, SPF mechanisms of one qualifier reordered) are info, not
// an error that holds the flip; records that read otherwise stay errors.
// Knot serves old, BIND or Knot new (BIND refuses strings over 255).
func TestParityMailMeaningLab(t *testing.T) {
	p := rsaKeyB64(t, 4096)
	p2, p2pkcs1 := rsaKeyForms(t, 2048)
	dkim := "v=DKIM1; k=rsa; h=sha256; t=y:s; s=email; p=" + p
	cases := []struct {
		name     string
		typ      string // of the finding: "" TXT
		new      string // server kind of new (old: knot)
		old, nu  string // zone lines
		kind     string
		sev      string // of the one finding at the owner; "" none
		noErrors bool
	}{
		{"DKIM 4096-bit key in one 255-octet string and a tail vs short strings", "", "bind",
			"s1._domainkey IN TXT " + splitEvery(dkim, 255), "s1._domainkey IN TXT " + splitEvery(dkim, 37), "txt-split", "info", true},
		// The split is info; a TTL that differs too is still a warning.
		{"DKIM split otherwise with another TTL", "", "bind",
			"s1._domainkey IN TXT " + splitEvery(dkim, 255), "s1._domainkey 600 IN TXT " + splitEvery(dkim, 37), "ttl", "warning", false},
		{"DKIM tags reordered with another TTL", "", "bind",
			"s1._domainkey IN TXT " + splitEvery(dkim, 255), "s1._domainkey 600 IN TXT " + splitEvery("v=DKIM1; s=email; t=y:s; p="+p+"; h=sha256; k=rsa", 255), "ttl", "warning", false},
		{"DKIM tags h= t= s= reordered", "", "bind",
			"s1._domainkey IN TXT " + splitEvery(dkim, 255), "s1._domainkey IN TXT " + splitEvery("v=DKIM1; s=email; t=y:s; p="+p+"; h=sha256; k=rsa", 255), "dkim", "info", true},
		{"DKIM tags with spaces and a key broken by spaces", "", "bind",
			"s1._domainkey IN TXT " + splitEvery(dkim, 255), "s1._domainkey IN TXT " + splitEvery("v=DKIM1 ; k = rsa ; h = sha256 ; t = y : s ; s = email ; p = "+p[:300]+" "+p[300:], 255), "dkim", "info", true},
		{"DKIM another key is an error", "", "bind",
			"s1._domainkey IN TXT " + splitEvery(dkim, 255), "s1._domainkey IN TXT " + splitEvery("v=DKIM1; k=rsa; h=sha256; t=y:s; s=email; p="+p2, 255), "dkim", "error", false},
		{"DKIM t=y only on one side is an error (other flags)", "", "bind",
			"s1._domainkey IN TXT " + splitEvery(dkim, 255), "s1._domainkey IN TXT " + splitEvery("v=DKIM1; k=rsa; h=sha256; t=s; s=email; p="+p, 255), "dkim", "error", false},
		// Tags at their defaults (v=, k=rsa, s=), lists in another
		// order, an unknown tag: the same key to verifiers (RFC 6376
		// §3.2, §3.6.1).
		{"DKIM at defaults, lists reordered, an unknown tag", "", "bind",
			"s1._domainkey IN TXT " + splitEvery(dkim, 255), "s1._domainkey IN TXT " + splitEvery("h=sha256; t=s:y; x_esp=1; p="+p, 255), "dkim", "info", true},
		// One RSA key as SubjectPublicKeyInfo on old, bare PKCS #1 on
		// new: verifiers take both (RFC 6376 §3.6.1).
		{"DKIM the same key as PKCS #1", "", "knot",
			`s1._domainkey IN TXT "v=DKIM1; p=` + p2 + `"`, `s1._domainkey IN TXT "v=DKIM1; p=` + p2pkcs1 + `"`, "dkim", "info", true},
		{"DKIM ed25519 spaced", "", "knot",
			`s1._domainkey IN TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="`, `s1._domainkey IN TXT "k=ed25519 ;p=11qYAYKxCrfVS/7TyWQH Og7hcvPapiMlrwIaaPcHURo="`, "dkim", "info", true},
		{"DKIM revoked written otherwise", "", "knot",
			`s1._domainkey IN TXT "v=DKIM1; k=rsa; t=y; p="`, `s1._domainkey IN TXT "v=DKIM1; p="`, "dkim", "info", true},
		// BIMI (draft-brand-indicators-for-message-identification): the
		// tags' order and unknown tags change nothing; another logo does.
		{"BIMI tags reordered", "", "knot",
			`default._bimi IN TXT "v=BIMI1; l=https://logo.parity.test/l.svg; a=https://logo.parity.test/vmc.pem"`, `default._bimi IN TXT "v=BIMI1;a=https://logo.parity.test/vmc.pem; l=https://logo.parity.test/l.svg; x=1"`, "bimi", "info", true},
		{"BIMI another logo is an error", "", "knot",
			`default._bimi IN TXT "v=BIMI1; l=https://logo.parity.test/l.svg"`, `default._bimi IN TXT "v=BIMI1; l=https://logo.parity.test/m.svg"`, "rdata", "error", false},
		{"TLSRPT rua= reordered", "", "knot",
			`_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@parity.test,https://tls.parity.test/r"`, `_smtp._tls IN TXT "v=TLSRPTv1; rua=https://tls.parity.test/r,MAILTO:tls@parity.test"`, "tlsrpt", "info", true},
		{"DMARC tags reordered", "", "knot",
			`_dmarc IN TXT "v=DMARC1; p=reject; sp=quarantine; adkim=s; pct=100; rua=mailto:d@parity.test"`, `_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@parity.test; pct=100; adkim=s; sp=quarantine"`, "dmarc", "info", true},
		{"DMARC keyword case", "", "knot",
			`_dmarc IN TXT "v=DMARC1; p=reject; adkim=s"`, `_dmarc IN TXT "v=DMARC1; P=Reject; ADKIM=S"`, "dmarc", "info", true},
		// RFC 7489 §6.3, §7: rua=, ruf=, fo=, rf=, ri= say where reports
		// go; the policy receivers apply is the same.
		{"DMARC only the report address differs", "", "knot",
			`_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@parity.test"`, `_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@parity.test,mailto:x@parity.test; ruf=mailto:f@parity.test; fo=1"`, "dmarc", "warning", true},
		{"DMARC p= differs is an error", "", "knot",
			`_dmarc IN TXT "v=DMARC1; p=reject"`, `_dmarc IN TXT "v=DMARC1; p=quarantine"`, "dmarc", "error", false},
		{"DMARC pct= differs is an error", "", "knot",
			`_dmarc IN TXT "v=DMARC1; p=reject; pct=100"`, `_dmarc IN TXT "v=DMARC1; p=reject; pct=10"`, "dmarc", "error", false},
		{"MTA-STS the same id= with other spacing and an extension field", "", "knot",
			`_mta-sts IN TXT "v=STSv1; id=20160831085700Z"` + "\nmta-sts IN A 192.0.2.80", `_mta-sts IN TXT "v=STSv1;id=20160831085700Z; ext=1"` + "\nmta-sts IN A 192.0.2.80", "mta-sts", "info", true},
		{"TLSRPT the same rua= with other spacing", "", "knot",
			`_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@parity.test"`, `_smtp._tls IN TXT "v=TLSRPTv1;rua=mailto:tls@parity.test"`, "tlsrpt", "info", true},
		{"MTA-STS another id= is an error", "", "knot",
			`_mta-sts IN TXT "v=STSv1; id=1"` + "\nmta-sts IN A 192.0.2.80", `_mta-sts IN TXT "v=STSv1; id=2"` + "\nmta-sts IN A 192.0.2.80", "mta-sts", "error", false},
		{"SPF mechanisms of one qualifier reordered", "", "bind",
			`@ IN TXT "v=spf1 a mx ip4:192.0.2.0/24 -all"`, `@ IN TXT "v=spf1 ip4:192.0.2.0/24 MX a -all"`, "spf", "info", true},
		// RFC 7208 §5.3-§5.6, §6: the networks matched, default
		// lengths, the record's own domain, an unknown modifier.
		{"SPF networks and the own domain written otherwise", "", "bind",
			`@ IN TXT "v=spf1 ip4:192.0.2.1/32 ip6:2001:DB8:0::/32 ip4:198.51.100.9/24 a:Parity.test./32 -all"`, `@ IN TXT "v=spf1 ip4:192.0.2.1 ip6:2001:db8::/32 ip4:198.51.100.0/24 a -all vendor-id=7"`, "spf", "info", true},
		{"SPF modifier moved", "", "bind",
			`@ IN TXT "v=spf1 redirect=_spf.parity.test exp=x.parity.test"` + "\n_spf IN TXT \"v=spf1 a -all\"", `@ IN TXT "v=spf1 exp=x.parity.test redirect=_spf.parity.test"` + "\n_spf IN TXT \"v=spf1 a -all\"", "spf", "info", true},
		// RFC 7208 §6.1, §5.2: redirect=x gives x's result; include:x
		// -all gives pass or fail; alike when x gives only those.
		{"SPF redirect= vs include: then -all, the target ending -all", "", "bind",
			`@ IN TXT "v=spf1 ip4:192.0.2.0/24 redirect=_spf.parity.test"` + "\n_spf IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"",
			`@ IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.parity.test -all"` + "\n_spf IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"", "spf", "info", true},
		// The same record written otherwise is info; a TTL that
		// differs too is still a warning (the rdata error held it).
		{"SPF redirect= vs include: then -all with another TTL", "", "bind",
			`@ IN TXT "v=spf1 ip4:192.0.2.0/24 redirect=_spf.parity.test"` + "\n_spf IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"",
			`@ 600 IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.parity.test -all"` + "\n_spf IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"", "ttl", "warning", false},
		{"SPF redirect= vs include: then -all, the target ending ~all, is an error", "", "bind",
			`@ IN TXT "v=spf1 ip4:192.0.2.0/24 redirect=_spf.parity.test"` + "\n_spf IN TXT \"v=spf1 ip4:198.51.100.0/24 ~all\"",
			`@ IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.parity.test -all"` + "\n_spf IN TXT \"v=spf1 ip4:198.51.100.0/24 ~all\"", "rdata", "error", false},
		// x itself written otherwise on each side, read the same: judged
		// (x's own difference is the spf info at x).
		{"SPF redirect= vs include: then -all, the target written otherwise", "", "bind",
			`@ IN TXT "v=spf1 ip4:192.0.2.0/24 redirect=_spf.parity.test"` + "\n_spf IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"",
			`@ IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.parity.test -all"` + "\n_spf IN TXT \"v=spf1 ip4:198.51.100.9/24 -all\"", "spf", "info", true},
		// x differs: the error names x's records on each side.
		{"SPF redirect= vs include: then -all, the target differs", "", "bind",
			`@ IN TXT "v=spf1 ip4:192.0.2.0/24 redirect=_spf.parity.test"` + "\n_spf IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"",
			`@ IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.parity.test -all"` + "\n_spf IN TXT \"v=spf1 ip4:203.0.113.0/24 -all\"", "rdata", "error", false},
		// An include target split otherwise on new: its strings joined
		// without a blank (RFC 7208 §3.3) glue "a:a1.parity.test" and
		// "mx" into one term, one lookup fewer; old crosses 10 alone.
		{"SPF include target split otherwise crosses 10 on one side", "", "bind",
			`@ IN TXT "v=spf1 include:_spf.parity.test -all"` + "\na1 IN A 192.0.2.1\n_spf IN TXT \"v=spf1" + strings.Repeat(" a:a1.parity.test", 9) + "\" \" mx -all\"",
			`@ IN TXT "v=spf1 include:_spf.parity.test -all"` + "\na1 IN A 192.0.2.1\n_spf IN TXT \"v=spf1" + strings.Repeat(" a:a1.parity.test", 9) + "\" \"mx -all\"", "spf-lookups", "error", false},
		{"SPF mechanisms moved across qualifiers is an error", "", "bind",
			`@ IN TXT "v=spf1 -a mx -all"`, `@ IN TXT "v=spf1 mx -a -all"`, "rdata", "error", false},
		{"SPF macro letter case is an error (URL-encoding, RFC 7208 7.3)", "", "bind",
			`@ IN TXT "v=spf1 exists:%{i}._spf.parity.test -all"`, `@ IN TXT "v=spf1 exists:%{I}._spf.parity.test -all"`, "rdata", "error", false},
		// A difference in the obsolete SPF RR type: no receiver asks.
		{"SPF RR type only on old", "SPF", "knot",
			"@ IN TXT \"v=spf1 a -all\"\n@ IN SPF \"v=spf1 a -all\"", "@ IN TXT \"v=spf1 a -all\"", "spf", "warning", false},
		{"SPF RR type differs", "SPF", "bind",
			"@ IN TXT \"v=spf1 a -all\"\n@ IN SPF \"v=spf1 a -all\"", "@ IN TXT \"v=spf1 a -all\"\n@ IN SPF \"v=spf1 mx -all\"", "spf", "warning", false},
	}
	// What the detail must say, for the rows that need more than kind and
	// severity.
	words := map[string][]string{
		"SPF redirect= vs include: then -all, the target ending -all":              {"old has redirect=_spf.parity.test", "gives only fail or pass"},
		"SPF redirect= vs include: then -all, the target ending ~all, is an error": {"can give softfail", "gets softfail from old and fail from new"},
		"SPF include target split otherwise crosses 10 on one side":                {"SPF needs 11 DNS lookups on old and 10 on new", "the records whose own lookups differ: _spf.parity.test (10 on old, 9 on new)"},
		"SPF redirect= vs include: then -all, the target differs":                  {"not judged: _spf.parity.test's SPF record", "(old: _spf.parity.test: v=spf1 ip4:198.51.100.0/24 -all; new: _spf.parity.test: v=spf1 ip4:203.0.113.0/24 -all)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.typ == "" {
				c.typ = "TXT"
			}
			oldText := verdictBase + c.old + "\n"
			newText := verdictBase + c.nu + "\n"
			z := loadAny(t, oldText)
			rep := run(t, z, []string{serve(t, "knot", oldText)}, []string{serve(t, c.new, newText)})
			owner := strings.Fields(c.old)[0]
			name := owner + "." + origin
			if owner == "@" {
				name = origin
			}
			ok := hasFindings(t, rep, []finding{{name, c.typ, c.kind, c.sev, words[c.name]}})
			for _, f := range rep.Findings {
				// noErrors: no error, and no warning either where info is
				// the verdict; a difference in the SPF RR type: no error.
				if (c.noErrors || c.typ == "SPF") && f.Severity == parity.SevError || c.noErrors && c.sev == parity.SevInfo && f.Severity != parity.SevInfo {
					t.Errorf("unexpected %s %s at %s %s: %s", f.Severity, f.Kind, f.Name, f.Type, f.Detail)
					ok = false
				}
			}
			if !ok {
				dump(t, rep)
			}
		})
	}
}
