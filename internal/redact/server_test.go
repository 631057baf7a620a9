package redact

import (
	"context"
	"fmt"
	"math/rand"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
)

// mixedEscape writes s as a JSON string's content with the characters
// pick selects \u-escaped (lower- or upper-case hex as upper says), the
// rest as they are: one of the 2^k forms no list of forms holds.
func mixedEscape(s string, pick func(i int) bool, upper func(i int) bool) string {
	var b strings.Builder
	i := 0
	for _, r := range s {
		switch {
		case pick(i) || r == '"' || r == '\\' || r < ' ':
			format := `\u%04x`
			if upper(i) {
				format = `\u%04X`
			}
			if r1, r2 := utf16.EncodeRune(r); r1 != 0xFFFD {
				fmt.Fprintf(&b, format+format, r1, r2)
			} else {
				fmt.Fprintf(&b, format, r)
			}
		default:
			b.WriteRune(r)
		}
		i++
	}
	return b.String()
}

// mixedPercent percent-encodes every byte of s that pick selects, in
// lower- or upper-case hex as upper says.
func mixedPercent(s string, pick func(i int) bool, upper func(i int) bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if pick(i) || s[i] >= 0x80 || s[i] == '%' {
			f := "%%%02x"
			if upper(i) {
				f = "%%%02X"
			}
			fmt.Fprintf(&b, f, s[i])
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestServerText: a secret a server echoes in any mix of encodings is
// taken out of its text, and the rest of the text is kept as it was.
func TestServerText(t *testing.T) {
	const key = "pk/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Jsä0Ka😀"
	even := func(i int) bool { return i%2 == 0 }
	odd := func(i int) bool { return i%2 == 1 }
	never := func(int) bool { return false }
	rnd := rand.New(rand.NewSource(1))
	coin := func(int) bool { return rnd.Intn(2) == 0 }
	forms := map[string]string{
		"plain":                       key,
		"every other character \\u":   mixedEscape(key, even, never),
		"every other, HEX":            mixedEscape(key, odd, func(int) bool { return true }),
		"every other, hex case mixed": mixedEscape(key, even, odd),
		"random mix":                  mixedEscape(key, coin, coin),
		"solidus \\/":                 strings.ReplaceAll(key, "/", `\/`),
		"percent, case mixed":         mixedPercent(key, func(int) bool { return true }, odd),
		"percent, some bytes":         mixedPercent(key, even, even),
		"query escape, + for space":   url.QueryEscape(key + " tail"),
		"percent of a JSON form":      mixedPercent(mixedEscape(key, even, never), func(int) bool { return false }, never),
		"JSON of a percent form":      mixedEscape(mixedPercent(key, odd, odd), even, odd),
		"html entities":               strings.NewReplacer("/", "&#47;", "+", "&#x2B;").Replace(key),
		"percent, then \\u of the %":  strings.ReplaceAll(url.PathEscape(key), "%", `\u0025`),
	}
	for name, form := range forms {
		for _, tc := range []struct{ text, want string }{
			{`{"message":"key ` + form + ` refused","code":9}`, `{"message":"key *** refused","code":9}`},
			{"HTTP 400: key " + form, "HTTP 400: key ***"},
		} {
			got := ServerText(context.Background(), tc.text, key)
			if name == "query escape, + for space" {
				// the secret is followed by an encoded " tail"
				if strings.Contains(got, "pk") || !strings.Contains(got, "***") {
					t.Errorf("%s: ServerText(%q) = %q", name, tc.text, got)
				}
				continue
			}
			if got != tc.want {
				t.Errorf("%s: ServerText(%q) = %q, want %q", name, tc.text, got, tc.want)
			}
		}
		// Cut inside the secret, as a server bounding its message does.
		cut := form[:len(form)*2/3]
		if got := ServerText(context.Background(), "key "+cut, key); got != "key ***" {
			t.Errorf("%s cut: ServerText(%q) = %q", name, "key "+cut, got)
		}
	}
}

// TestServerTextContext: the secrets come from the context as well as
// from the caller: the set's (WithSecrets), what a call that learned one
// added to it (FromContext), each new form told to OnAdd once.
func TestServerTextContext(t *testing.T) {
	var told []string
	set := Secrets{OnAdd: func(forms []string) { told = append(told, forms...) }}
	set.Add("set-secret/0123456789")
	ctx := WithSecrets(context.Background(), &set)
	if FromContext(ctx) != &set {
		t.Fatalf("FromContext is not the set WithSecrets attached")
	}
	FromContext(ctx).Add("learned-secret/0123456789")
	if !strings.Contains(strings.Join(set.Values(), " "), "learned-secret") {
		t.Errorf("FromContext(ctx).Add did not add to the set: %q", set.Values())
	}
	if !slices.Contains(told, "set-secret/0123456789") || !slices.Contains(told, "learned-secret/0123456789") || !slices.Contains(told, "learned-secret%2F0123456789") {
		t.Errorf("OnAdd was not told every new form: %q", told)
	}
	n := len(told)
	FromContext(ctx).Add("learned-secret/0123456789")
	if len(told) != n {
		t.Errorf("OnAdd told again of forms known before: %q", told[n:])
	}
	text := `a set\u002dsecret\/0123456789 b learned%2Dsecret%2F0123456789 c own\u002dsecret`
	if got, want := ServerText(ctx, text, "own-secret"), "a *** b *** c ***"; got != want {
		t.Errorf("ServerText = %q, want %q", got, want)
	}
	// Without a set a learned secret goes nowhere, and nothing breaks.
	if FromContext(context.Background()) != nil || FromContext(context.Background()).Add("sts-session/0123456789") != nil {
		t.Errorf("a context without a set: FromContext not nil, or Add on it added")
	}
	if got := ServerText(context.Background(), "nothing to hide here"); got != "nothing to hide here" {
		t.Errorf("no secrets: %q", got)
	}
}

// TestServerTextKeeps: text without a secret is kept byte for byte, even
// with escapes, broken ones and invalid UTF-8 in it.
func TestServerTextKeeps(t *testing.T) {
	ctx := WithSecrets(context.Background(), &Secrets{})
	FromContext(ctx).Add("the-secret-0123456789")
	for _, text := range []string{
		`{"message":"bad \u00e4 \ud83d\ude00 %2F &amp; \"x\" \/"}`,
		`\u12 %G1 &#; &#xZZ; \ud800 trailing \`,
		"\xff\xfe%",
		`the-secr`, // a head shorter than MinCut
	} {
		if got := ServerText(ctx, text); got != text {
			t.Errorf("ServerText(%q) = %q", text, got)
		}
	}
}

// TestServerTextWrappedAndCut: a secret the server's text breaks across
// lines (at any point, with \n or \r\n, the next line indented or not,
// as text or as a JSON \n escape, or by a quoted-printable soft line
// break, "=" before it) is masked whole, the break with it; so
// is its end when the text starts inside it (cut at its start), as its
// start is when the text ends inside it. Only the head was masked: the
// rest of the key stood on the next line.
func TestServerTextWrappedAndCut(t *testing.T) {
	const key = "pk/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka"
	for cut := 1; cut < len(key); cut++ {
		// = before the break: quoted-printable's soft line break (RFC
		// 2045 §6.7: "=" at a line's end is no part of the text).
		for _, brk := range []string{"\n", "\r\n", "\n    ", " \n\t", `\n`, `\r\n  `, "=\r\n", "=\n", `=\r\n`} {
			text := `{"message":"key ` + key[:cut] + brk + key[cut:] + ` refused"}`
			got := ServerText(context.Background(), text, key)
			want := `{"message":"key *** refused"}`
			if got != want {
				t.Errorf("cut at %d by %q: %s, want %s", cut, brk, got, want)
			}
		}
	}
	// A secret that holds "=" broken after it is read with it too.
	const eq = "pk/7Hq2mZ9=wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka"
	if got := ServerText(context.Background(), "key "+eq[:11]+"\n"+eq[11:]+" refused", eq); got != "key *** refused" {
		t.Errorf("a secret holding = broken after it: %q", got)
	}
	for _, tt := range []struct{ text, want string }{
		{"…" + key[10:] + " refused", "…*** refused"},
		{"…" + key[len(key)-MinCut:] + " refused", "…*** refused"},
		{"…" + key[len(key)-MinCut+1:] + " refused", "…" + key[len(key)-MinCut+1:] + " refused"}, // shorter than MinCut: kept
		{"first line\n  second line\r\nthird", "first line\n  second line\r\nthird"},
	} {
		if got := ServerText(context.Background(), tt.text, key); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestServerTextRendered: a secret a reader of rendered Markdown or HTML
// reads whole (split across tags, or by emphasis marks) is masked, also
// when the secret itself holds a mark that is no emphasis there (an
// underscore in a key emphasised with *), and by Replace too. Tags and
// autolinks as GitHub reads them, not by the inline grammar alone: an
// HTML block's tag at a line's start (CommonMark 0.31 §4.6) is read as a
// browser reads it, a backtick or "=" in an unquoted value, or no blank
// between attributes (the inline grammar read text and a code span, and
// left the key's pieces on each side of the line break a reader reads
// across); an email autolink (§6.5), a backtick in its address, shows
// the address, its brackets taken out.
func TestServerTextRendered(t *testing.T) {
	for _, c := range []struct{ key, text string }{
		{"sk_a1b2_c3d4e5", "key sk_a1*b2_c3*d4e5 refused"},
		{"sk_a1b2_c3d4e5", "key sk_a1<em>b2_c3</em>d4e5 refused"},
		{"sk-a1b2-c3d4e5", "key sk-a1__b2-c3__d4e5 refused"},
		{"sk-a1b2-c3d4e5", "key `sk-a1`<code>b2-c3</code>~~d4e5~~ refused"},
		{"sk-a1b2-c3d4e5", "key sk-a1b2\n<div class=a`b>-c3d4e5 refused"},
		{"sk-a1b2-c3d4e5", "key sk-a1b2\n<div class=\"a\"id=b>-c3d4e5 refused"},
		{"sk-a1b2-c3d4e5", "key sk-a1b2\n  </DIV\n>-c3d4e5 refused"},
		{"sk-a1@b2.c3d4e5", "key <sk-a1@b2.c3>d4e5 refused"},
		{"sk`a1@b2.c3d4e5", "key <sk`a1@b2.c3>d4e5` refused"},
	} {
		// Marks around the mask may stay: they are no part of the key
		// (an autolink's "<").
		unmarked := strings.NewReplacer("*", "", "_", "", "~", "", "`", "", "<", "")
		got := ServerText(context.Background(), c.text, c.key)
		if unmarked.Replace(strings.ReplaceAll(got, "***", "#")) != "key # refused" {
			t.Errorf("ServerText(%q) = %q, want the key masked", c.text, got)
		}
		s := &Secrets{}
		s.Add(c.key)
		if got := s.Replace(c.text); unmarked.Replace(strings.ReplaceAll(got, "***", "#")) != "key # refused" {
			t.Errorf("Replace(%q) = %q, want the key masked", c.text, got)
		}
	}
}

// TestServerTextRenderedTagTaken: a secret whose last piece a tag closes
// is masked with that tag: "key ***</code> refused" kept a tag of the
// split form, which escaped for Markdown ("&lt;/code&gt;") is a piece of
// that form as a reader of the escaped text sees it.
func TestServerTextRenderedTagTaken(t *testing.T) {
	const key = "sk-a1b2-c3d4e5"
	for _, text := range []string{"key sk-a1<code>b2-c3d4e5</code> refused", "key <b>sk-a1b2</b><i>-c3d4e5</i> refused"} {
		if got := ServerText(context.Background(), text, key); got != "key *** refused" && got != "key <b>*** refused" {
			t.Errorf("ServerText(%q) = %q, want the key and the tags it ends in masked", text, got)
		}
	}
}

// TestServerTextPunycode: a key in a name's IDNA label (punycode, RFC
// 3492: the label's ASCII characters copied whole, in order, before the
// encoded ones; the key lower-cased as IDNA maps it) is found as it
// stands, without decoding punycode.
func TestServerTextPunycode(t *testing.T) {
	const key = "pk-7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka"
	// "ä" + the key, lower-cased, as IDNA's ToASCII writes it.
	const text = "host xn--pk-7hq2mz9wxr4lt8vn3bc6yd1fg5js0ka-93c.example refused"
	if got := ServerText(context.Background(), text, key); got != "host xn--***-93c.example refused" {
		t.Errorf("ServerText(%q) = %q", text, got)
	}
}

// TestLookAlikeBound: compat looks a letter up in lookAlike only up to
// maxLookAlike.
func TestLookAlikeBound(t *testing.T) {
	for r := range lookAlike {
		if r > maxLookAlike {
			t.Errorf("%q (%U) is beyond maxLookAlike", r, r)
		}
	}
}

// TestDigitOf: digitOf reads a decimal digit's value as its offset from
// its unicode.Nd range's start, modulo 10, which holds when every range
// is a run of tens (Unicode's stability policy for Numeric_Type=Decimal):
// a table that breaks it fails here, not in what a run shows.
func TestDigitOf(t *testing.T) {
	for _, g := range unicode.Nd.R16 {
		if g.Stride != 1 || (int(g.Hi)-int(g.Lo)+1)%10 != 0 {
			t.Errorf("unicode.Nd range %U-%U (stride %d) is not a run of tens", g.Lo, g.Hi, g.Stride)
		}
	}
	for _, g := range unicode.Nd.R32 {
		if g.Stride != 1 || (int(g.Hi)-int(g.Lo)+1)%10 != 0 {
			t.Errorf("unicode.Nd range %U-%U (stride %d) is not a run of tens", g.Lo, g.Hi, g.Stride)
		}
	}
	for r, want := range map[rune]byte{'٣': '3', '३': '3', '৯': '9', '𝟘': '0', '𝟫': '9', '0': '0', 'x': 0, '³': 0} {
		if got := digitOf(r); got != want {
			t.Errorf("digitOf(%q) = %q, want %q", r, got, want)
		}
	}
}

// TestServerTextQuotedPrintableEquals: a secret that holds "=" before two
// hex digits ("=Bc", which quoted-printable reads as one byte), echoed
// with its other characters escaped otherwise (percent-encoded, \u, HTML
// references: no run of MinCut characters as it stands), is masked whole
// by ServerText and Replace: read as quoted-printable, the layer that
// decodes the other escapes holds "\xbc" where the secret has "=Bc".
func TestServerTextQuotedPrintableEquals(t *testing.T) {
	const secret = "Ab3dE5gH=Bc4kL2mN8pR"
	var s Secrets
	s.Add(secret)
	for _, in := range []string{
		"key A%62%33dE5gH=Bc4k%4C2mN8%70R refused",
		`key A\u0062\u0033dE5gH=Bc4k\u004c2mN8\u0070R refused`,
		"key Ab3d&#69;5gH=Bc4kL2m&#78;8pR refused",
		"key Ab3dE5gH=Bc4k%4C2mN8pR refused",
		// Quoted-printable itself still read: its "=" written =3D.
		"key Ab3dE5gH=3DBc4kL2mN8pR refused",
	} {
		for name, out := range map[string]string{"ServerText": ServerText(context.Background(), in, secret), "Replace": s.Replace(in)} {
			if out != "key *** refused" {
				t.Errorf("%s(%q) = %q, want the secret masked whole", name, in, out)
			}
		}
	}
}

// TestDecodedLayerSpans: a decoded layer, which keeps its runs rather
// than a span a byte, says where each of its bytes came from alike
// looked up one by one (at) and walked in order (spans, as joined and
// the other views copy them), through layers decoded twice, with
// escapes that decode to several bytes, to one, and a run copied.
func TestDecodedLayerSpans(t *testing.T) {
	for _, text := range []string{
		`a%2541b&#x26;lt;c\u0041\u00e4d`,
		`%41%42%43`,
		`plain text, nothing to decode`,
		`x=3D41y &amp;amp; z`,
	} {
		l := newLayer(text)
		for depth := 0; depth < 3; depth++ {
			for _, m := range []mode{{}, {qp: true}} {
				d, changed := l.decode(m)
				if !changed {
					continue
				}
				var want []span
				for k := range d.b {
					want = append(want, d.at(k))
				}
				if got := d.spans(nil, 0, len(d.b)); !slices.Equal(got, want) {
					t.Errorf("%q, layer %d: spans %v, at %v", text, depth+1, got, want)
				}
				for i := 0; i <= len(d.b); i++ {
					for j := i; j <= len(d.b); j++ {
						if got := d.spans(nil, i, j); !slices.Equal(got, want[i:j]) {
							t.Fatalf("%q, layer %d, bytes %d to %d: spans %v, at %v", text, depth+1, i, j, got, want[i:j])
						}
					}
				}
				if w := want[0]; w.start < 0 || int(want[len(want)-1].end) > len(text) {
					t.Errorf("%q: spans out of the text: %v", text, want)
				}
			}
			if next, changed := l.decode(mode{}); changed {
				l = next
			}
		}
	}
}

// TestServerTextWidenedFence: a code span whose fence is widened around a
// backtick the text holds, with the blank CommonMark strips inside each
// end (§6.1), joins what stands before its fence with what it holds: a
// fence of two backticks around " `Rt8sW` " right after "Zq9Lm3Vx7"
// renders as "Zq9Lm3Vx7`Rt8sW`", though a blank
// follows the opening fence and no 12 bytes of the secret stand together.
func TestServerTextWidenedFence(t *testing.T) {
	const key = "Zq9Lm3Vx7`Rt8sW`"
	text := "key Zq9Lm3Vx7`` `Rt8sW` `` refused"
	if got := ServerText(context.Background(), text, key); strings.Contains(got, "Zq9Lm3Vx7") || strings.Contains(got, "Rt8sW") {
		t.Errorf("ServerText(%q) = %q, want the key masked", text, got)
	}
	s := &Secrets{}
	s.Add(key)
	if got := s.Replace(text); strings.Contains(got, "Zq9Lm3Vx7") || strings.Contains(got, "Rt8sW") {
		t.Errorf("Replace(%q) = %q, want the key masked", text, got)
	}
}

// TestServerTextEqualsInTagName: an "=" in a tag's name, or where an
// attribute's name starts, starts no value (a browser reads it as part
// of the name), so the tag ends at its first ">" and what follows is
// shown: a secret there, split by tags, is masked (rawTag read a quoted
// value from the "=" on, and the rendered view dropped the key).
func TestServerTextEqualsInTagName(t *testing.T) {
	const key = "sk-a1b2-c3d4e5"
	for _, text := range []string{
		`<div ="a>sk-a1b2<b>-c3d4e5</b>" >`,
		"<div>\n<x=\"a>sk-a1b2<b>-c3d4e5</b>\">",
		"<div>\n<x =\"a>sk-a1b2</x>-c3d4e5 \">",
		"<div>\n<x/=\"a>sk-a1b2<i>-c3d4e5</i>\">",
	} {
		if got := ServerText(context.Background(), text, key); strings.Contains(got, "a1b2") || strings.Contains(got, "c3d4e5") {
			t.Errorf("ServerText(%q) = %q, want the key masked", text, got)
		}
	}
}

// TestServerTextBrowserHides: a secret split by what a browser hides in
// an HTML block (a bogus comment, "</>", a comment ended by "--!>":
// https://html.spec.whatwg.org/multipage/parsing.html#tag-open-state),
// by inline markup CommonMark passes through and a browser then hides
// to its first ">", or by tags in an HTML block inside a block quote or
// a list item (CommonMark 0.31 §5) or a kind 7 block after a heading
// (§4.6), reads whole on screen: ServerText and Replace mask it.
func TestServerTextBrowserHides(t *testing.T) {
	const key = "sk-a1b2-c3d4e5"
	for _, text := range []string{
		"<div>\nkey sk-a1b2<?x>-c3d4e5 refused\n",
		"<div>\nkey sk-a1b2</ x>-c3d4e5 refused\n",
		"<div>\nkey sk-a1b2</>-c3d4e5 refused\n",
		"<div>\nkey sk-a1b2<!>-c3d4e5 refused\n",
		"<div>\nkey sk-a1b2<!-x>-c3d4e5 refused\n",
		"<div>\nkey sk-a1b2</3>-c3d4e5 refused\n",
		"<div>\nkey sk-a1b2<!-- x --!>-c3d4e5 --> refused\n",
		"key sk-a1b2<?x>-c3d4e5?> refused",
		"key sk-a1b2<!-- x --!>-c3d4e5 --> refused",
		"> <div class=a`b>key sk-a1b2<b c=`>-c3d4e5 refused\n",
		"><div class=a`b>key sk-a1b2<b c=`>-c3d4e5 refused\n",
		"- <div class=a`b>key sk-a1b2<b c=`>-c3d4e5 refused\n",
		"1. <div class=a`b>key sk-a1b2<b c=`>-c3d4e5 refused\n",
		"> 1) <div class=a`b>key sk-a1b2<b c=`>-c3d4e5 refused\n",
		"# head\n<x>\nkey sk-a1b2<b c=`>-c3d4e5 refused\n",
		"---\n<x>\nkey sk-a1b2<b c=`>-c3d4e5 refused\n",
		// A thematic break wins over a list item (§5.2): the indented
		// block is no item's, and goes on at the line after it.
		"* * *\n  <div>\nkey sk-a1b2<b c=`>-c3d4e5 refused\n",
		"- - -\n  <div>\nkey sk-a1b2<b c=`>-c3d4e5 refused\n",
		// A kind 3 block's end is looked for from the line's start:
		// "<?>" ends on its own line, and the autolink after it is read.
		"<?>\nkey <https://h/sk-a1b2>-c3d4e5 refused\n",
		// A fenced code block ends with its container (§5.1): the
		// block after the quote is an HTML block.
		"> ```\n\n<div>\nkey sk-a1b2</ x>-c3d4e5 refused\n",
		"- ```\n\n<div>\nkey sk-a1b2</ x>-c3d4e5 refused\n",
		// A backtick fence's info string holds no backtick (§4.5): no
		// fence opens, the block after it is read.
		"```a`b\n\n<div>\nkey sk-a1b2</ x>-c3d4e5 refused\n",
		// Past the containers read, quote markers are still taken off.
		strings.Repeat(">", 33) + " <div class=a`b>key sk-a1b2<b c=`>-c3d4e5 refused\n",
	} {
		s := &Secrets{}
		s.Add(key)
		for name, got := range map[string]string{"ServerText": ServerText(context.Background(), text, key), "Replace": s.Replace(text)} {
			if strings.Contains(got, "a1b2") || strings.Contains(got, "c3d4e5") {
				t.Errorf("%s(%q) = %q, want the key masked", name, text, got)
			}
		}
	}
}
