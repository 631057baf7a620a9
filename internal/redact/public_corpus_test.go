package redact

import (
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

// TestPublicRealisticZonesNotRefused: the forms Public looks for (every
// piece of MinCut characters of each form, NFKC-folded, base32 and
// reversed among them) refuse no text of a realistic zone for realistic
// secrets: 250 secrets (40-character API tokens, TSIG base64, AWS secret
// keys and key ids, GitHub tokens) against 9,000 records (DKIM keys split
// in 255-byte strings, TLSA SHA-256 and SHA-512, NSEC3 base32hex hashes,
// DS, DNSKEY, long TXT, IDN names in xn-- form, TXT of compatibility
// characters), random from a fixed seed. A false refusal stops a run for a
// secret that is not there. Controls: a secret, reversed, in base32 and
// full-width-led in a TXT are found.
func TestPublicRealisticZonesNotRefused(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(alpha string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[r.IntN(len(alpha))]
		}
		return string(b)
	}
	bytesN := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		return b
	}
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var secrets []string
	kinds := map[string]int{}
	for i := 0; i < 50; i++ {
		secrets = append(secrets, pick(alnum, 40))                                     // API tokens
		secrets = append(secrets, base64.StdEncoding.EncodeToString(bytesN(32)))       // TSIG hmac-sha256
		secrets = append(secrets, pick(alnum+"+/", 40))                                // AWS secret access key
		secrets = append(secrets, "AKIA"+pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)) // AWS access key id
		secrets = append(secrets, "ghp_"+pick(alnum, 36))                              // GitHub token
	}
	words := []string{"münchen", "bücher", "straße", "日本語", "пример", "ελληνικά", "café", "niño", "zürich", "ferienhäuser", "例え", "테스트", "δοκιμή", "испытание"}
	var texts []string
	add := func(kind, s string) { texts = append(texts, s); kinds[kind]++ }
	b32hex := base32.HexEncoding.WithPadding(base32.NoPadding)
	for i := 0; i < 1000; i++ {
		key := base64.StdEncoding.EncodeToString(bytesN(294)) // RSA-2048 SPKI
		// As a zone text shows a DKIM TXT: split in 255-byte strings.
		dkim := "v=DKIM1; k=rsa; p=" + key
		var parts []string
		for len(dkim) > 255 {
			parts = append(parts, `"`+dkim[:255]+`"`)
			dkim = dkim[255:]
		}
		parts = append(parts, `"`+dkim+`"`)
		add("dkim", fmt.Sprintf("s%d._domainkey.example.com. 300 IN TXT %s", i, strings.Join(parts, " ")))
		add("tlsa256", fmt.Sprintf("_443._tcp.www%d.example.com. 300 IN TLSA 3 1 1 %s", i, strings.ToUpper(hex.EncodeToString(bytesN(32)))))
		add("tlsa512", fmt.Sprintf("_25._tcp.mx%d.example.com. 300 IN TLSA 3 1 2 %s", i, hex.EncodeToString(bytesN(64))))
		add("nsec3", fmt.Sprintf("%s.example.com. 300 IN NSEC3 1 0 0 - %s A RRSIG", strings.ToLower(b32hex.EncodeToString(bytesN(20))), b32hex.EncodeToString(bytesN(20))))
		add("longtxt", fmt.Sprintf("example.com. 300 IN TXT \"google-site-verification=%s\" \"%s\"", base64.RawURLEncoding.EncodeToString(bytesN(32)), pick(alnum+" .,-", 200)))
		w := words[r.IntN(len(words))] + words[r.IntN(len(words))]
		a, err := idna.Lookup.ToASCII(w)
		if err != nil {
			t.Fatal(err)
		}
		add("idn", fmt.Sprintf("%s.xn--p1ai. 300 IN A 192.0.2.%d", a, i%250))
		add("ds", fmt.Sprintf("sub%d.example.com. 300 IN DS %d 13 2 %s", i, r.IntN(65536), hex.EncodeToString(bytesN(32))))
		add("dnskey", fmt.Sprintf("example.com. 300 IN DNSKEY 257 3 13 %s", base64.StdEncoding.EncodeToString(bytesN(64))))
		add("utf8txt", fmt.Sprintf("example.com. 300 IN TXT \"%s ①②③ ＡＢＣ 𝐤𝐞𝐲 ﬁ %s\"", w, pick(alnum, 30)))
	}
	p := NewPublic(secrets)
	hits := map[string]int{}
	var examples []string
	for _, tx := range texts {
		if i := p.In(slices.Values([]string{tx})); i >= 0 {
			hits[strings.Fields(tx)[0]]++
			if len(examples) < 5 {
				examples = append(examples, fmt.Sprintf("%q in %q", secrets[i], tx))
			}
		}
	}
	for _, pos := range []string{secrets[0], reverse(secrets[5]), base32.StdEncoding.EncodeToString([]byte(secrets[7])), "ｘ" + secrets[11][:14]} {
		if p.In(slices.Values([]string{"example.com. 300 IN TXT \"" + pos + "\""})) < 0 {
			t.Errorf("control: %q not found", pos)
		}
	}
	total := 0
	for _, n := range hits {
		total += n
	}
	if total > 0 {
		t.Errorf("secrets %d, texts %d (%v): %d refused, want none: %s", len(secrets), len(texts), kinds, total, strings.Join(examples, "; "))
	}
}
