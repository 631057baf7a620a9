package mailauth

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"testing"
)

// pkcs1 is the SubjectPublicKeyInfo RSA key spki (base64) as a bare PKCS
// #1 RSAPublicKey, the other form DKIM verifiers take.
func pkcs1(t testing.TB, spki string) string {
	der, err := base64.StdEncoding.DecodeString(spki)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(pub.(*rsa.PublicKey)))
}

func TestSameMeaning(t *testing.T) {
	const key = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB"
	cases := []struct {
		name, owner string
		a, b        []string
		kind        string // "" = not the same
	}{
		{"dmarc order and case", "_dmarc.example.", []string{"v=DMARC1; p=reject; sp=none"}, []string{"v=DMARC1; SP=None; p=REJECT"}, "DMARC"},
		{"dmarc sp differs", "_dmarc.example.", []string{"v=DMARC1; p=reject; sp=none"}, []string{"v=DMARC1; p=reject"}, ""},
		{"dkim tags reordered", "s._domainkey.example.", []string{"v=DKIM1; k=rsa; p=" + key}, []string{"v=DKIM1; p=" + key + "; k=rsa"}, "DKIM"},
		{"dmarc rua local part case differs", "_dmarc.example.", []string{"v=DMARC1; p=none; rua=mailto:A@example"}, []string{"v=DMARC1; p=none; rua=mailto:a@example"}, ""},
		{"dmarc rua to another domain", "_dmarc.example.", []string{"v=DMARC1; p=reject; rua=mailto:a@example"}, []string{"v=DMARC1; p=reject; rua=mailto:b@vendor.example"}, ""},
		{"dkim spaces in p=", "s._domainkey.example.", []string{"v=DKIM1; p=" + key}, []string{"v=DKIM1;p = " + key[:50] + " " + key[50:]}, "DKIM"},
		{"dmarc ruf, fo, ri added", "_dmarc.example.", []string{"v=DMARC1; p=reject"}, []string{"v=DMARC1; p=reject; ruf=mailto:f@example; fo=1; ri=3600"}, ""},
		{"dmarc pct differs", "_dmarc.example.", []string{"v=DMARC1; p=reject; pct=100"}, []string{"v=DMARC1; p=reject; pct=50"}, ""},
		// Tags written at the value receivers take without them (RFC 7489
		// §6.3, RFC 9091 §4.1) say nothing.
		{"dmarc defaults written out", "_dmarc.example.", []string{"v=DMARC1; p=reject"}, []string{"v=DMARC1; p=reject; sp=reject; np=reject; pct=100; adkim=r; aspf=R; fo=0; rf=afrf; ri=86400"}, "DMARC"},
		{"dmarc np at sp's value", "_dmarc.example.", []string{"v=DMARC1; p=none; sp=reject"}, []string{"v=DMARC1; p=none; sp=reject; np=reject"}, "DMARC"},
		{"dmarc np at p's value, sp other", "_dmarc.example.", []string{"v=DMARC1; p=none; sp=reject"}, []string{"v=DMARC1; p=none; sp=reject; np=none"}, ""},
		{"dkim note differs", "s._domainkey.example.", []string{"v=DKIM1; n=old key; p=" + key}, []string{"v=DKIM1; n=rotated 2026; p=" + key}, "DKIM"},
		{"dkim tag value case differs", "s._domainkey.example.", []string{"v=DKIM1; k=rsa; p=" + key}, []string{"v=DKIM1; k=RSA; p=" + key}, ""},
		{"dmarc aspf added", "_dmarc.example.", []string{"v=DMARC1; p=reject"}, []string{"v=DMARC1; p=reject; aspf=s"}, ""},
		{"dmarc one does not parse", "_dmarc.example.", []string{"v=DMARC1; p=reject"}, []string{"v=DMARC1; p=rejectt"}, ""},
		{"dkim revoked vs key", "s._domainkey.example.", []string{"v=DKIM1; p=" + key}, []string{"v=DKIM1; p="}, ""},
		{"dmarc-like text at no DMARC owner", "example.", []string{"v=DMARC1; p=reject"}, []string{"v=DMARC1; p=reject; rua=mailto:a@example"}, ""},
		{"spf across qualifiers", "example.", []string{"v=spf1 -a mx -all"}, []string{"v=spf1 mx -a -all"}, ""},
		{"dkim one side does not parse", "s._domainkey.example.", []string{"p=" + key + "; v=DKIM1"}, []string{"v=DKIM1; p=" + key}, ""},
		{"spf macro case", "example.", []string{"v=spf1 exists:%{i}.x.example -all"}, []string{"v=spf1 exists:%{I}.x.example -all"}, ""},
		{"spf domain case", "example.", []string{"v=spf1 include:_SPF.Example.net -all"}, []string{"v=spf1 include:_spf.example.net -all"}, "SPF"},
		{"spf run reordered, other TXT equal", "example.", []string{"v=spf1 a mx -all", "site-verification=x"}, []string{"site-verification=x", "v=spf1 mx a -all"}, "SPF"},
		{"mta-sts spacing and extension", "_mta-sts.example.", []string{"v=STSv1; id=abc"}, []string{"v=STSv1;id=abc; x=y"}, "MTA-STS"},
		{"mta-sts id differs", "_mta-sts.example.", []string{"v=STSv1; id=abc"}, []string{"v=STSv1; id=abd"}, ""},
		{"spf other TXT differs", "example.", []string{"v=spf1 a mx -all", "x=1"}, []string{"v=spf1 mx a -all", "x=2"}, ""},
		{"tlsrpt spacing", "_smtp._tls.example.", []string{"v=TLSRPTv1; rua=mailto:a@example"}, []string{"v=TLSRPTv1;rua=mailto:a@example"}, "TLSRPT"},
		{"tlsrpt rua differs", "_smtp._tls.example.", []string{"v=TLSRPTv1; rua=mailto:a@example"}, []string{"v=TLSRPTv1; rua=mailto:b@example"}, ""},
		// DKIM tags at their defaults, lists reordered, unknown tags
		// (RFC 6376 §3.2, §3.6.1): verifiers read the same key.
		{"dkim v= and k=rsa left out", "s._domainkey.example.", []string{"v=DKIM1; k=rsa; p=" + key}, []string{"p=" + key}, "DKIM"},
		{"dkim s=* and s=email", "s._domainkey.example.", []string{"v=DKIM1; s=*; p=" + key}, []string{"v=DKIM1; s=email; p=" + key}, "DKIM"},
		{"dkim t= flags reordered, an unknown flag", "s._domainkey.example.", []string{"v=DKIM1; t=y:s; p=" + key}, []string{"v=DKIM1; t=s:x:y; p=" + key}, "DKIM"},
		{"dkim empty t=", "s._domainkey.example.", []string{"v=DKIM1; t=; p=" + key}, []string{"v=DKIM1; p=" + key}, "DKIM"},
		{"dkim h= reordered", "s._domainkey.example.", []string{"v=DKIM1; h=sha1:sha256; p=" + key}, []string{"v=DKIM1; h=sha256 : sha1; p=" + key}, "DKIM"},
		// "Unrecognized tags MUST be ignored" (§3.2); the list may be
		// folded (FWS), and a revoked key is only that.
		{"dkim unknown tag", "s._domainkey.example.", []string{"v=DKIM1; p=" + key}, []string{"v=DKIM1; x_vendor=1; p=" + key}, "DKIM"},
		{"dkim folded tag list", "s._domainkey.example.", []string{"v=DKIM1;\r\n\tk=rsa;\r\n\tp=" + key[:40] + "\r\n\t" + key[40:] + ";"}, []string{"v=DKIM1; k=rsa; p=" + key}, "DKIM"},
		{"dkim revoked, tags aside", "s._domainkey.example.", []string{"v=DKIM1; k=rsa; t=y; p="}, []string{"v=DKIM1; p="}, "DKIM"},
		{"dkim ed25519 spacing", "s._domainkey.example.", []string{"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="}, []string{"k=ed25519;p=11qYAYKx CrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="}, "DKIM"},
		// One RSA key, as SubjectPublicKeyInfo or bare PKCS #1 (both
		// taken by verifiers, §3.6.1).
		{"dkim the key as PKCS #1", "s._domainkey.example.", []string{"v=DKIM1; p=" + key}, []string{"v=DKIM1; p=" + pkcs1(t, key)}, "DKIM"},
		// A tag that limits the key or marks it a test is read.
		{"dkim h= added", "s._domainkey.example.", []string{"v=DKIM1; p=" + key}, []string{"v=DKIM1; h=sha256; p=" + key}, ""},
		{"dkim t=y added", "s._domainkey.example.", []string{"v=DKIM1; p=" + key}, []string{"v=DKIM1; t=y; p=" + key}, ""},
		{"dkim ed25519 key vs revoked", "s._domainkey.example.", []string{"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="}, []string{"v=DKIM1; k=ed25519; p="}, ""},
		// TLSRPT: a report goes to every rua= URI (RFC 8460 §3); schemes
		// are case-insensitive (RFC 3986 §3.1).
		{"tlsrpt rua reordered", "_smtp._tls.example.", []string{"v=TLSRPTv1; rua=mailto:a@example,https://r.example/t"}, []string{"v=TLSRPTv1; rua=https://r.example/t, mailto:a@example"}, "TLSRPT"},
		{"tlsrpt scheme case", "_smtp._tls.example.", []string{"v=TLSRPTv1; rua=MAILTO:a@example"}, []string{"v=TLSRPTv1; rua=mailto:a@example"}, "TLSRPT"},
		{"tlsrpt one rua more", "_smtp._tls.example.", []string{"v=TLSRPTv1; rua=mailto:a@example"}, []string{"v=TLSRPTv1; rua=mailto:a@example,https://r.example/t"}, ""},
		// BIMI Assertion Records: DKIM's tag-list, l=, a= (absent:
		// empty), lps=; other tags ignored; values as written.
		{"bimi tags reordered and spaced", "default._bimi.example.", []string{"v=BIMI1; l=https://x.example/l.svg; a=https://x.example/a.pem"}, []string{"v=BIMI1;a = https://x.example/a.pem;l=https://x.example/l.svg;"}, "BIMI"},
		{"bimi a= empty vs absent, unknown tag", "default._bimi.example.", []string{"v=BIMI1; l=https://x.example/l.svg; a="}, []string{"v=BIMI1; l=https://x.example/l.svg; x=1"}, "BIMI"},
		{"bimi lps= prefixes reordered", "default._bimi.example.", []string{"v=BIMI1; l=; a=; lps=a-,b-"}, []string{"v=BIMI1; lps=b-, a-; l=; a="}, "BIMI"},
		{"bimi avp=brand is the default", "default._bimi.example.", []string{"v=BIMI1; l=https://x.example/l.svg; avp=brand"}, []string{"v=BIMI1; l=https://x.example/l.svg"}, "BIMI"},
		{"bimi avp=personal vs the default", "default._bimi.example.", []string{"v=BIMI1; l=https://x.example/l.svg; avp=personal"}, []string{"v=BIMI1; l=https://x.example/l.svg"}, ""},
		{"bimi another logo", "default._bimi.example.", []string{"v=BIMI1; l=https://x.example/l.svg"}, []string{"v=BIMI1; l=https://x.example/m.svg"}, ""},
		{"bimi declined vs a logo", "default._bimi.example.", []string{"v=BIMI1; l=; a="}, []string{"v=BIMI1; l=https://x.example/l.svg"}, ""},
		{"bimi lps= on one side", "default._bimi.example.", []string{"v=BIMI1; l=; a="}, []string{"v=BIMI1; l=; a=; lps="}, ""},
		{"bimi URI case", "default._bimi.example.", []string{"v=BIMI1; l=https://x.example/L.svg"}, []string{"v=BIMI1; l=https://x.example/l.svg"}, ""},
		{"bimi v= not first", "default._bimi.example.", []string{"l=https://x.example/l.svg; v=BIMI1"}, []string{"v=BIMI1; l=https://x.example/l.svg"}, ""},
		{"bimi no l=", "default._bimi.example.", []string{"v=BIMI1; a=https://x.example/a.pem"}, []string{"v=BIMI1; a=https://x.example/a.pem; x=1"}, ""},
		// SPF terms as receivers match them (RFC 7208 §5.3-§5.6, §6):
		// a network by its masked prefix, default CIDR lengths, the
		// record's own domain, unknown modifiers ignored.
		{"spf ip4 /32 written out", "example.", []string{"v=spf1 ip4:192.0.2.1/32 -all"}, []string{"v=spf1 ip4:192.0.2.1 -all"}, "SPF"},
		{"spf ip6 text forms", "example.", []string{"v=spf1 ip6:2001:DB8:0::1 ip6:2001:db8:1::/48 -all"}, []string{"v=spf1 ip6:2001:db8::1/128 ip6:2001:db8:1:0::/48 -all"}, "SPF"},
		{"spf ip4 host bits past the length", "example.", []string{"v=spf1 ip4:192.0.2.0/24 -all"}, []string{"v=spf1 ip4:192.0.2.7/24 -all"}, "SPF"},
		{"spf a and mx at the owner, default lengths", "example.com.", []string{"v=spf1 a mx/24 -all"}, []string{"v=spf1 a:Example.com./32//128 mx:example.com/24 -all"}, "SPF"},
		{"spf unknown modifier", "example.", []string{"v=spf1 -all"}, []string{"v=spf1 -all x-vendor=1"}, "SPF"},
		// ...but another network, length, domain or explanation is read.
		{"spf ip4 another length", "example.", []string{"v=spf1 ip4:192.0.2.0/24 -all"}, []string{"v=spf1 ip4:192.0.2.0/25 -all"}, ""},
		{"spf a at another domain", "example.com.", []string{"v=spf1 a -all"}, []string{"v=spf1 a:mail.example.com -all"}, ""},
		{"spf a ipv6 length", "example.", []string{"v=spf1 a -all"}, []string{"v=spf1 a//64 -all"}, ""},
		{"spf exp differs", "example.", []string{"v=spf1 -all exp=x.example"}, []string{"v=spf1 -all exp=y.example"}, ""},
		// RFC 6652's reporting modifiers: where receivers that report
		// send SPF failure reports.
		{"spf ra= differs", "example.", []string{"v=spf1 -all ra=postmaster"}, []string{"v=spf1 -all ra=abuse"}, ""},
		{"spf rr= on one side", "example.", []string{"v=spf1 -all rr=all"}, []string{"v=spf1 -all"}, ""},
		{"no mail record", "example.", []string{"a"}, []string{"b"}, ""},
	}
	// SameDMARCPolicy: the same policy, reports aside (every other row: no).
	policy := map[string]bool{"dmarc order and case": true, "dmarc rua local part case differs": true, "dmarc rua to another domain": true, "dmarc ruf, fo, ri added": true, "dmarc defaults written out": true, "dmarc np at sp's value": true}
	for _, c := range cases {
		kind, ok := SameMeaning(c.owner, c.a, c.b)
		if kind != c.kind || ok != (c.kind != "") {
			t.Errorf("%s: SameMeaning = %q, %v; want %q", c.name, kind, ok, c.kind)
		}
		if got := SameDMARCPolicy(c.owner, c.a, c.b); got != policy[c.name] {
			t.Errorf("%s: SameDMARCPolicy = %v, want %v", c.name, got, policy[c.name])
		}
	}
}

// BenchmarkSameMeaning: what parity pays per TXT RRset that differs
// between the sides (compareSet asks only for those).
func BenchmarkSameMeaning(b *testing.B) {
	const key = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB"
	for _, c := range []struct{ name, owner, a, b string }{
		{"dkim", "s._domainkey.example.", "v=DKIM1; k=rsa; p=" + key, "v=DKIM1; p=" + key + "; k=rsa"},
		{"dmarc", "_dmarc.example.", "v=DMARC1; p=reject; rua=mailto:a@example", "v=DMARC1; rua=mailto:a@example; p=reject"},
		{"spf", "example.", "v=spf1 a mx include:_spf.example.net -all", "v=spf1 mx a include:_spf.example.net -all"},
		{"other", "example.", "site-verification=abc", "site-verification=abd"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				SameMeaning(c.owner, []string{c.a}, []string{c.b})
			}
		})
	}
}
