package mailauth

import "testing"

func TestSameMeaning(t *testing.T) {
	const key = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB"
	cases := []struct {
		name, owner string
		a, b        []string
		kind        string // "" = not the same
	}{
		{"dkim tags reordered", "s._domainkey.example.", []string{"v=DKIM1; k=rsa; p=" + key}, []string{"v=DKIM1; p=" + key + "; k=rsa"}, "DKIM"},
		{"dkim spaces in p=", "s._domainkey.example.", []string{"v=DKIM1; p=" + key}, []string{"v=DKIM1;p = " + key[:50] + " " + key[50:]}, "DKIM"},
		{"dkim tag value case differs", "s._domainkey.example.", []string{"v=DKIM1; k=rsa; p=" + key}, []string{"v=DKIM1; k=RSA; p=" + key}, ""},
		{"dkim revoked vs key", "s._domainkey.example.", []string{"v=DKIM1; p=" + key}, []string{"v=DKIM1; p="}, ""},
		{"dkim one side does not parse", "s._domainkey.example.", []string{"p=" + key + "; v=DKIM1"}, []string{"v=DKIM1; p=" + key}, ""},
		{"dmarc order and case", "_dmarc.example.", []string{"v=DMARC1; p=reject; sp=none"}, []string{"v=DMARC1; SP=None; p=REJECT"}, "DMARC"},
		{"dmarc sp differs", "_dmarc.example.", []string{"v=DMARC1; p=reject; sp=none"}, []string{"v=DMARC1; p=reject"}, ""},
		{"dmarc rua local part case differs", "_dmarc.example.", []string{"v=DMARC1; p=none; rua=mailto:A@example"}, []string{"v=DMARC1; p=none; rua=mailto:a@example"}, ""},
		{"spf run reordered, other TXT equal", "example.", []string{"v=spf1 a mx -all", "site-verification=x"}, []string{"site-verification=x", "v=spf1 mx a -all"}, "SPF"},
		{"spf other TXT differs", "example.", []string{"v=spf1 a mx -all", "x=1"}, []string{"v=spf1 mx a -all", "x=2"}, ""},
		{"spf across qualifiers", "example.", []string{"v=spf1 -a mx -all"}, []string{"v=spf1 mx -a -all"}, ""},
		{"spf macro case", "example.", []string{"v=spf1 exists:%{i}.x.example -all"}, []string{"v=spf1 exists:%{I}.x.example -all"}, ""},
		{"spf domain case", "example.", []string{"v=spf1 include:_SPF.Example.net -all"}, []string{"v=spf1 include:_spf.example.net -all"}, "SPF"},
		{"mta-sts spacing and extension", "_mta-sts.example.", []string{"v=STSv1; id=abc"}, []string{"v=STSv1;id=abc; x=y"}, "MTA-STS"},
		{"mta-sts id differs", "_mta-sts.example.", []string{"v=STSv1; id=abc"}, []string{"v=STSv1; id=abd"}, ""},
		{"tlsrpt spacing", "_smtp._tls.example.", []string{"v=TLSRPTv1; rua=mailto:a@example"}, []string{"v=TLSRPTv1;rua=mailto:a@example"}, "TLSRPT"},
		{"tlsrpt rua differs", "_smtp._tls.example.", []string{"v=TLSRPTv1; rua=mailto:a@example"}, []string{"v=TLSRPTv1; rua=mailto:b@example"}, ""},
		{"no mail record", "example.", []string{"a"}, []string{"b"}, ""},
	}
	for _, c := range cases {
		kind, ok := SameMeaning(c.owner, c.a, c.b)
		if kind != c.kind || ok != (c.kind != "") {
			t.Errorf("%s: SameMeaning = %q, %v; want %q", c.name, kind, ok, c.kind)
		}
	}
}

func TestSameDMARCPolicy(t *testing.T) {
	cases := []struct {
		name string
		a, b string
		same bool
	}{
		{"rua differs", "v=DMARC1; p=reject; rua=mailto:a@example", "v=DMARC1; p=reject; rua=mailto:b@vendor.example", true},
		{"ruf, fo, ri added", "v=DMARC1; p=reject", "v=DMARC1; p=reject; ruf=mailto:f@example; fo=1; ri=3600", true},
		{"p differs", "v=DMARC1; p=reject; rua=mailto:a@example", "v=DMARC1; p=none; rua=mailto:b@example", false},
		{"pct differs", "v=DMARC1; p=reject; pct=100", "v=DMARC1; p=reject; pct=50", false},
		{"aspf added", "v=DMARC1; p=reject", "v=DMARC1; p=reject; aspf=s", false},
		{"one does not parse", "v=DMARC1; p=reject", "v=DMARC1; p=rejectt", false},
	}
	for _, c := range cases {
		if got := SameDMARCPolicy("_dmarc.example.", []string{c.a}, []string{c.b}); got != c.same {
			t.Errorf("%s: SameDMARCPolicy = %v, want %v", c.name, got, c.same)
		}
	}
	if SameDMARCPolicy("example.", []string{"v=DMARC1; p=reject"}, []string{"v=DMARC1; p=reject; rua=mailto:a@example"}) {
		t.Error("SameDMARCPolicy at a name that is no DMARC owner")
	}
}
