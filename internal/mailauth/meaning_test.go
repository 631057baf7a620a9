package mailauth

import "testing"

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
