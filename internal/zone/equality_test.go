package zone

import (
	"strings"
	"testing"
)

// TestCanonicalEquality: zone files that differ only in the case of names,
// record order, TTL units, \DDD against literal characters and the RFC
// 3597 form against the known one load to RRsets with the same data.
func TestCanonicalEquality(t *testing.T) {
	const apex = "@ 3600 SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 3600 NS ns1\nns1 3600 A 192.0.2.1\n"
	tests := []struct{ name, a, b string }{
		{"owner case", "www 300 A 192.0.2.2\n", "WwW.Example.Test. 300 A 192.0.2.2\n"},
		{"name rdata case", "@ 300 MX 10 Mail.Example.Test.\nmail 300 A 192.0.2.3\n", "@ 300 MX 10 mail\nMAIL 300 A 192.0.2.3\n"},
		{"cname target case", "c 300 CNAME WWW.EXAMPLE.NET.\n", "c 300 cname www.example.net.\n"},
		{"srv target case", "_sip._tcp 300 SRV 0 5 5060 SIP.example.test.\n", "_SIP._TCP 300 SRV 0 5 5060 sip\n"},
		{"record order", "m 300 A 192.0.2.5\nm 300 A 192.0.2.4\nm 300 TXT \"b\"\nm 300 TXT \"a\"\n", "m 300 TXT \"a\"\nm 300 A 192.0.2.4\nm 300 TXT \"b\"\nm 300 A 192.0.2.5\n"},
		{"TTL units", "t 1h A 192.0.2.6\nu 1w2d A 192.0.2.7\n", "t 3600 A 192.0.2.6\nu 777600 A 192.0.2.7\n"},
		{"$TTL units", "$TTL 1H\nt A 192.0.2.6\n", "$TTL 3600\nt A 192.0.2.6\n"},
		{"TXT \\DDD", "x 300 TXT \"caf\\195\\169\" \"a\\059b\" \"\\034\"\n", "x 300 TXT \"café\" \"a;b\" \"\\\"\"\n"},
		{"TXT bare word", "x 300 TXT abc\n", "x 300 TXT \"abc\"\n"},
		{"owner \\DDD", "a\\098c 300 A 192.0.2.8\n", "abc 300 A 192.0.2.8\n"},
		{"name rdata \\DDD", "p 300 PTR \\119ww.example.test.\n", "p 300 PTR www\n"},
		{"name rdata \\DDD upper case", "p 300 PTR \\087ww.example.test.\n", "p 300 PTR www\n"},
		{"mx \\DDD upper case", "m3 300 MX 10 \\077ail.example.test.\n", "m3 300 MX 10 mail\n"},
		{"A as TYPE1", "h 300 TYPE1 \\# 4 C0000209\n", "h 300 A 192.0.2.9\n"},
		{"MX as TYPE15", "m2 300 TYPE15 \\# 16 000a046d61696c076578616d706c6500\n", "m2 300 MX 10 mail.example.\n"},
		{"TXT as generic", "g 300 TXT \\# 4 03616263\n", "g 300 TXT \"abc\"\n"},
		{"CAA as TYPE257", "@ 300 TYPE257 \\# 17 0005697373756563612e6578616d706c65\n", "@ 300 CAA 0 issue \"ca.example\"\n"},
		{"class omitted or given", "w 300 IN A 192.0.2.10\n", "w IN 300 A 192.0.2.10\n"},
		{"parentheses", "@ 300 MX ( 10\n  mx.example.net. )\n", "@ 300 MX 10 mx.example.net.\n"},
		{"NAPTR flags \\DDD", "n 300 NAPTR 100 10 \"\\085\" \"E2U+sip\" \"!^.*$!sip:a@b!\" .\n", "n 300 NAPTR 100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:a@b!\" .\n"},
		{"CAA tag case", "@ 300 CAA 0 ISSUE \"ca.example\"\n", "@ 300 CAA 0 issue \"ca.example\"\n"},
		{"IPSECKEY gateway case", "i 300 IPSECKEY 10 3 2 GW.Example.NET. AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==\n", "i 300 IPSECKEY 10 3 2 gw.example.net. AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==\n"},
		{"AMTRELAY relay case", "r 300 AMTRELAY 0 0 3 Relay.Example.NET.\n", "r 300 AMTRELAY 0 0 3 relay.example.net.\n"},
		{"TALINK names case", "t 300 TALINK Prev.Example.NET. Next.Example.NET.\n", "t 300 TALINK prev.example.net. next.example.net.\n"},
		{"HIP rendezvous case", "h 300 HIP 2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D RVS1.Example.NET.\n", "h 300 HIP 2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D rvs1.example.net.\n"},
		{"IPv6 forms", "v 300 AAAA 2001:DB8:0:0:0:0:0:1\n", "v 300 AAAA 2001:db8::1\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			load := func(body string) *Zone {
				text := "$ORIGIN example.test.\n" + apex + body
				z, err := Parse(strings.NewReader(text), tc.name+".zone", "", "")
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range z.Problems {
					if p.Severity == Error {
						t.Fatalf("%q: %v", body, p)
					}
				}
				return z
			}
			a, b := load(tc.a), load(tc.b)
			if len(a.Sets) != len(b.Sets) || len(a.Sets) <= 3 {
				t.Fatalf("%d RRsets against %d", len(a.Sets), len(b.Sets))
			}
			for i, s := range a.Sets {
				o := b.Sets[i]
				if !s.SameData(o) || s.TTL != o.TTL {
					t.Errorf("%s %d %q against %s %d %q", s.Key(), s.TTL, s.Strings(), o.Key(), o.TTL, o.Strings())
				}
			}
		})
	}
}

// TestCanonicalInequality: what does differ is not made equal.
func TestCanonicalInequality(t *testing.T) {
	pairs := [][2]string{
		{"x 300 TXT \"Abc\"\n", "x 300 TXT \"abc\"\n"},      // TXT is case-sensitive
		{"x 300 TXT \"ab\" \"c\"\n", "x 300 TXT \"abc\"\n"}, // string boundaries
		{"x 300 CAA 0 issue \"Ca.example\"\n", "x 300 CAA 0 issue \"ca.example\"\n"},
		{"x 300 A 192.0.2.1\n", "x 300 A 192.0.2.2\n"},
		{"a\\.b 300 A 192.0.2.1\n", "a.b 300 A 192.0.2.1\n"}, // an escaped dot is not a label separator
	}
	for _, p := range pairs {
		za, err1 := Parse(strings.NewReader(p[0]), "a.zone", "example.test.", "")
		zb, err2 := Parse(strings.NewReader(p[1]), "b.zone", "example.test.", "")
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if len(za.Sets) == 1 && len(zb.Sets) == 1 && za.Sets[0].SameData(zb.Sets[0]) {
			t.Errorf("%q and %q load as the same data", p[0], p[1])
		}
	}
}
