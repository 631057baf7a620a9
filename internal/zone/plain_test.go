package zone

import (
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/miekg/dns"
)

// TestRRSetRedactPlain: redact.Plain reaches what an RRset's wire RDATA
// holds (RRSet.RedactPlain): a secret in a TXT record's character-strings
// (whole, split across its strings and across the records of the set,
// between tabs) and in a CNAME's target is masked in the copy, which
// still packs and prints; the RRset given, and one without the secret,
// are kept.
func TestRRSetRedactPlain(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg"
	set := &redact.Secrets{}
	set.Add(secret)
	// rrset is the RRset the records make, in a zone file's lines.
	rrset := func(lines ...string) *RRSet {
		t.Helper()
		text := "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1.example.\n" + strings.Join(lines, "\n") + "\n"
		z, err := Parse(strings.NewReader(text), "zones/acme.test.zone", "acme.test.", "")
		if err != nil {
			t.Fatal(err)
		}
		rr, err := dns.NewRR(lines[0])
		if err != nil {
			t.Fatal(err)
		}
		s := z.Get(rr.Header().Name, rr.Header().Rrtype)
		if s == nil {
			t.Fatalf("no RRset of %q", lines[0])
		}
		return s
	}
	for _, s := range []*RRSet{
		rrset(`a.acme.test. 300 IN TXT "key ` + secret + `"`),
		rrset(`a.acme.test. 300 IN TXT "pk_7Hq" "2mZ9wX" "r4Lt8V" "n3Bc6Y" "d1Fg"`),
		rrset(`a.acme.test. 300 IN TXT "pk_7Hq2mZ9"`, `a.acme.test. 300 IN TXT "wXr4Lt8Vn"`, `a.acme.test. 300 IN TXT "3Bc6Yd1Fg"`),
		rrset(`a.acme.test. 300 IN TXT "pk_7Hq2\009mZ9wXr4\009Lt8Vn3B\009c6Yd1Fg"`),
		rrset(`www.acme.test. 300 IN CNAME pk_7hq2.mz9wxr4.lt8vn3b.c6yd1fg.example.`),
	} {
		before := strings.Join(s.Strings(), " ")
		// An RRset held by pointer, by value (RedactPlain has a pointer
		// receiver), and by value in a struct, a slice and a map.
		type held struct {
			Set    RRSet
			Sets   []RRSet
			ByName map[string]RRSet
		}
		h := redact.Plain(set, held{Set: *s, Sets: []RRSet{*s}, ByName: map[string]RRSet{"a": *s}})
		value := redact.Plain(set, *s)
		for what, got := range map[string]*RRSet{"pointer": redact.Plain(set, s), "value": &value,
			"struct field": &h.Set, "slice": &h.Sets[0], "map value": ptr(h.ByName["a"])} {
			shown := strings.NewReplacer(`\009`, "", `"`, "", " ", "", ".", "").Replace(strings.Join(got.Strings(), " "))
			if strings.Contains(strings.ToLower(shown), "7hq2") || strings.Contains(strings.ToLower(shown), "6yd1") || !strings.Contains(shown, "***") {
				t.Errorf("%s, by %s: shown as %q", before, what, strings.Join(got.Strings(), " "))
			}
		}
		if strings.Join(s.Strings(), " ") != before {
			t.Errorf("the RRset given changed: %q", s.Strings())
		}
	}
	plain := rrset(`a.acme.test. 300 IN TXT "v=spf1 mx -all"`, `a.acme.test. 300 IN TXT "other"`)
	if got := redact.Plain(set, plain); !got.SameData(plain) || got.Name != plain.Name {
		t.Errorf("an RRset without the secret changed: %q", got.Strings())
	}
}

func ptr[T any](v T) *T { return &v }

// TestRRSetRedactPlainPrintOrders: a secret split across the records of
// an RRset in an order other than the one the set keeps them in (its
// wire form's: a shorter record first) is masked when the records are
// printed in another order that joins it: by their text (a plan's
// columns), by their strings joined (parity's comparison). Each printed
// order is read as a reader reads it: the records one after another,
// quotes and blanks aside. On the code before, RedactPlain read the
// records in the set's own order only, where the pieces stand apart.
func TestRRSetRedactPlainPrintOrders(t *testing.T) {
	// Each piece starts with a later letter than the one before and is
	// shorter: sorted by text they spell the key, by wire form not.
	const key = "Aq2mZ9wXGkMt8VpZl7x"
	set := &redact.Secrets{}
	set.Add(key)
	for _, c := range []struct {
		name  string
		lines []string
	}{
		{"two records", []string{`a.acme.test. 300 IN TXT "` + key[10:] + `"`, `a.acme.test. 300 IN TXT "` + key[:10] + `"`}},
		{"three records", []string{`a.acme.test. 300 IN TXT "` + key[14:] + `"`, `a.acme.test. 300 IN TXT "` + key[:8] + `"`, `a.acme.test. 300 IN TXT "` + key[8:14] + `"`}},
		{"two strings a record", []string{`a.acme.test. 300 IN TXT "` + key[10:15] + `" "` + key[15:] + `"`, `a.acme.test. 300 IN TXT "` + key[:6] + `" "` + key[6:10] + `"`}},
		{"among other records", []string{`a.acme.test. 300 IN TXT "` + key[10:] + `"`, `a.acme.test. 300 IN TXT "zz-other"`, `a.acme.test. 300 IN TXT "` + key[:10] + `"`, `a.acme.test. 300 IN TXT "aa-other"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1.example.\n" + strings.Join(c.lines, "\n") + "\n"
			z, err := Parse(strings.NewReader(text), "zones/acme.test.zone", "acme.test.", "")
			if err != nil {
				t.Fatal(err)
			}
			s := z.Get("a.acme.test.", dns.TypeTXT)
			if s == nil {
				t.Fatal("no TXT RRset")
			}
			reader := strings.NewReplacer(`"`, "", " ", "")
			printed := func(s *RRSet) []string {
				rrs := s.RRs()
				var out []string
				for _, o := range append([][]int{nil}, PrintOrders(s.Records, rrs)...) {
					var b strings.Builder
					for k := range rrs {
						i := k
						if o != nil {
							i = o[k]
						}
						b.WriteString(reader.Replace(RdataString(rrs[i])))
					}
					out = append(out, b.String())
				}
				return out
			}
			if !slices.ContainsFunc(printed(s), func(p string) bool { return strings.Contains(p, key) }) {
				t.Fatalf("the test plants nothing: no printed order spells the key: %q", printed(s))
			}
			got := redact.Plain(set, s)
			for _, p := range printed(got) {
				if l := redactLeak(p, key); l != "" {
					t.Errorf("printed as %q: %s", p, l)
				}
			}
		})
	}
}

// redactLeak is the first run of MinCut bytes of secret text holds, or "".
func redactLeak(text, secret string) string {
	for i := 0; i+redact.MinCut <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+redact.MinCut]) {
			return secret[i : i+redact.MinCut]
		}
	}
	return ""
}
