package zone

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestGeneratedAgainstNamedCheckzone is differential testing of the
// reader against BIND's: records written the ways zone files write them
// (owners absolute, relative, @, wildcard, escaped; TTL and class in
// either order, TTL units; RDATA split over lines inside parentheses, a
// continuation at the first column or indented, comments between
// tokens, quoted and unquoted strings, escapes), each in a zone of its
// own. named-checkzone and check must agree on whether the zone loads,
// and where it does, on every record (owner, type, TTL, canonical
// RDATA). DNSPARITY_LEXDIFF_SEED=N runs other cases than the fixed seed
// (the failing case's text is printed).
func TestGeneratedAgainstNamedCheckzone(t *testing.T) {
	bin := lab.Binary(t, "named-checkzone")
	seed := lab.Seed(t, "DNSPARITY_LEXDIFF_SEED")
	g := lexGen{rand.New(rand.NewPCG(seed, 0))}
	dir := t.TempDir()
	loaded := 0
	for i := 0; i < 300; i++ {
		text := g.record()
		f := writeZonediff(t, dir, "mail A 192.0.2.2\nt A 192.0.2.3\n"+text+"\n", "", false)
		ours, bind, bindErr := loadedAsBIND(t, bin, f, dir)
		var refused bool
		var records []string
		for _, o := range ours {
			switch {
			case strings.HasPrefix(o, "error: "):
				refused = true
			case !strings.HasPrefix(o, "warning: "):
				records = append(records, o)
			}
		}
		if refused != (bindErr != nil) {
			t.Errorf("case %d (seed %d): check refuses it: %v, named-checkzone: %v\n%s\ncheck: %q\nnamed-checkzone: %q", i, seed, refused, bindErr != nil, text, ours, bind)
			continue
		}
		if refused {
			continue
		}
		loaded++
		if !slices.Equal(records, bind) {
			t.Errorf("case %d (seed %d): other records\n%s\ncheck          %q\nnamed-checkzone %q", i, seed, text, records, bind)
		}
	}
	if loaded < 200 {
		t.Errorf("only %d of 300 generated zones load: the generator writes too few valid records to compare", loaded)
	}
}

// lexGen writes records for TestGeneratedAgainstNamedCheckzone.
type lexGen struct{ r *rand.Rand }

func (g lexGen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

func (g lexGen) blank() string { return g.pick(" ", "\t", "  ", " \t ") }

// rdata is a random type and its RDATA tokens.
func (g lexGen) rdata() (string, []string) {
	hex64 := "a9cdf989b504fe5dca90c0d2167b6550570734f7c763e09fdf88904e06157065"
	split := func(h string) []string {
		if g.r.IntN(2) == 0 {
			return []string{h}
		}
		return []string{h[:len(h)/2], h[len(h)/2:]}
	}
	switch g.r.IntN(15) {
	case 0:
		return "A", []string{fmt.Sprintf("192.0.2.%d", g.r.IntN(256))}
	case 1:
		return "AAAA", []string{fmt.Sprintf("2001:db8::%x", 1+g.r.IntN(999))}
	case 2:
		return "MX", []string{strconv.Itoa(g.r.IntN(100)), g.pick("mail", "mail.example.", ".")}
	case 3:
		var ss []string
		for n := 1 + g.r.IntN(4); n > 0; n-- {
			ss = append(ss, g.pick(`"a b"`, `abc`, `"x\"y"`, `"\065\066"`, `a\;b`, `"semi;colon"`, `"\\"`, `v=spf1`, `"v=DKIM1; p=AAAA"`, `""`, `"(paren)"`, `\(p\)`))
		}
		return "TXT", ss
	case 4:
		return "SRV", []string{"1", "2", "443", g.pick("t", "t.example.", ".")}
	case 5:
		return "CAA", []string{"0", g.pick("issue", "iodef", "issuewild"), g.pick(`"ca.example"`, `ca.example`, `";"`, `"mailto:a@b.c"`)}
	case 6:
		return "SSHFP", append([]string{"1", "2"}, split(hex64)...)
	case 7:
		return "NAPTR", []string{"100", "10", `"S"`, `"SIP+D2U"`, `""`, "_sip._udp.example."}
	case 8:
		return "HINFO", []string{g.pick(`"PC"`, `PC`, `"Intel x86"`), g.pick(`"Linux"`, `Linux`)}
	case 9:
		return "CNAME", []string{g.pick("t", "t.example.")}
	case 10:
		return "DS", append([]string{"12345", "8", "2"}, split(strings.ToUpper(hex64))...)
	case 11:
		return "TLSA", append([]string{"3", "1", "1"}, split(hex64)...)
	case 12:
		params := []string{"alpn=h2", `alpn="h2,h3"`, "port=443", "ipv4hint=192.0.2.1", "no-default-alpn", `port="8443"`}
		g.r.Shuffle(len(params), func(i, j int) { params[i], params[j] = params[j], params[i] })
		return "SVCB", append([]string{"1", "svc.example."}, params[:g.r.IntN(4)]...)
	case 13:
		return "URI", []string{"10", "1", `"https://example.test/"`}
	default:
		if g.r.IntN(2) == 0 {
			return "LOC", strings.Fields("52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m")
		}
		return "LOC", strings.Fields("52 N 4 E 1m")
	}
}

// tokens joins toks with blanks, or from a random token on inside
// parentheses, with line ends (a continuation at the first column or
// indented) and comments between tokens.
func (g lexGen) tokens(toks []string) string {
	if g.r.IntN(2) == 0 || len(toks) < 2 {
		return strings.Join(toks, g.blank())
	}
	k := g.r.IntN(len(toks))
	var b strings.Builder
	b.WriteString(strings.Join(toks[:k], g.blank()))
	b.WriteString(g.blank() + "(")
	lineEnd := false
	for _, tok := range toks[k:] {
		if !lineEnd {
			b.WriteString(g.blank())
		}
		b.WriteString(tok)
		// After a line end the next token starts the line (the
		// first column) or is indented.
		lineEnd = true
		switch g.r.IntN(10) {
		case 0, 1:
			b.WriteString("\n")
		case 2:
			b.WriteString(" ;c\n")
		case 3:
			b.WriteString("\n\t")
		default:
			lineEnd = false
		}
	}
	b.WriteString(g.blank() + ")")
	return b.String()
}

// record is one record (after an A record at w, sometimes, so that a
// blank owner has one), a trailing comment at times.
func (g lexGen) record() string {
	owner := g.pick("x", "x.example.", "*.w", "@", "a-b", `\046y`, "_s._tcp")
	typ, toks := g.rdata()
	if typ == "CNAME" && owner == "@" {
		owner = "x"
	}
	line := owner + g.blank() + g.pick("", "300 ", "IN ", "300 IN ", "IN 300 ", "1h ", "1H30m ", "2w ", "0 ") + typ + g.blank() + g.tokens(toks)
	if g.r.IntN(5) == 0 {
		line += " ; trailing"
	}
	if g.r.IntN(10) < 3 {
		line = "w A 192.0.2.99\n" + line
	}
	return line
}
