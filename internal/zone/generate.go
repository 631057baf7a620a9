package zone

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// generator expands a $GENERATE directive (BIND syntax):
//
//	$GENERATE start-stop[/step] lhs [ttl] [class] type rhs
//
// with $ and ${offset[,width[,base]]} (base d, o, x, X, n, N) in lhs and rhs,
// and \$ for a literal dollar. Unlike miekg/dns, a generated record without a
// TTL gets the $TTL in force (BIND's behaviour), because each generated line
// goes through the same TTL rules as a written one.
// MaxGenerate is the most records one $GENERATE directive may make. BIND
// has no limit; without one, "$GENERATE 0-2147483647" would take hours and
// gigabytes of memory.
const MaxGenerate = 65536

type generator struct {
	pos             Pos
	cur, stop, step int64
	lhs, mid, rhs   string
	err             string
	done            bool
}

func newGenerator(args []string, pos Pos) (*generator, error) {
	if len(args) < 4 {
		return nil, fmt.Errorf("$GENERATE: expected range, lhs, type and rhs")
	}
	g := &generator{pos: pos, step: 1}
	rng := args[0]
	if i := strings.IndexByte(rng, '/'); i >= 0 {
		st, err := strconv.ParseInt(rng[i+1:], 10, 64)
		if err != nil || st < 1 {
			return nil, fmt.Errorf("$GENERATE: bad step in range %s", redact.Quote(rng))
		}
		g.step = st
		rng = rng[:i]
	}
	a, b, ok := strings.Cut(rng, "-")
	if !ok {
		return nil, fmt.Errorf("$GENERATE: bad range %s", redact.Quote(args[0]))
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	stop, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || start < 0 || stop < start || stop > 1<<31-1 {
		return nil, fmt.Errorf("$GENERATE: bad range %s", redact.Quote(args[0]))
	}
	if n := (stop-start)/g.step + 1; n > MaxGenerate {
		return nil, fmt.Errorf("$GENERATE: range %s makes %d records, over the %d one directive may make (split it, or list the records)", redact.Quote(args[0]), n, MaxGenerate)
	}
	g.cur, g.stop = start, stop
	g.lhs = args[1]
	// BIND reads lhs [ttl] [class] type rhs and then the line's end: the
	// rhs is one token, quoted when it holds blanks ("MX 10 m$" is "extra
	// input text" there, and was read as MX 10 m1 here).
	i := 2
	for ttl, class := false, false; i < len(args); i++ {
		if _, ok := ParseTTL(args[i]); ok && !ttl {
			ttl = true
		} else if isClassTok([]byte(args[i])) && !class {
			class = true
		} else {
			break
		}
	}
	if i+2 > len(args) {
		return nil, fmt.Errorf("$GENERATE: expected range, lhs, type and rhs")
	}
	typ := args[i]
	if isDigit(typ[0]) {
		// No type starts with a digit: a TTL that is not one ("1hr"),
		// which the loop above passed over, or the second half of one.
		if msg := twoWordTTL(args[i-1], typ); msg != "" {
			return nil, fmt.Errorf("$GENERATE: %s", msg)
		}
		return nil, fmt.Errorf("$GENERATE: bad TTL %s: %s", redact.Quote(typ), ttlForm)
	}
	if rdata := args[i+1:]; len(rdata) > 1 {
		return nil, fmt.Errorf("$GENERATE: the RDATA after the type %s is one token, here %d: quote it as one (%s), as BIND requires",
			redact.Quote(typ), len(rdata), redact.Quote(strings.Join(rdata, " ")))
	}
	g.mid = strings.Join(args[2:i+1], " ")
	g.rhs = args[i+1]
	if name, meta := metaTypeToken(typ); meta {
		return nil, fmt.Errorf("$GENERATE: meta RR type %s cannot be in a zone", name)
	}
	switch strings.ToUpper(typ) {
	case "TXT", "SPF":
		// A quoted rhs is kept as one character-string (CONFORMANCE.md,
		// "Quoted $GENERATE right-hand side").
	default:
		// A quoted rhs is the RDATA's text, as in BIND: MX "10 m$"; BIND's
		// lexer turns \" in a quoted string into " (other escapes stay).
		if u := unquote(g.rhs); len(u) != len(g.rhs) {
			g.rhs = strings.ReplaceAll(u, `\"`, `"`)
		}
	}
	// Validate the templates once.
	if _, err := subst(g.lhs, 0); err != nil {
		return nil, err
	}
	if _, err := subst(g.rhs, 0); err != nil {
		return nil, err
	}
	return g, nil
}

func (g *generator) next() ([]byte, bool) {
	if g.done || g.cur > g.stop {
		return nil, false
	}
	lhs, err := subst(g.lhs, g.cur)
	if err != nil {
		g.err = err.Error()
		return nil, false
	}
	rhs, err := subst(g.rhs, g.cur)
	if err != nil {
		g.err = err.Error()
		return nil, false
	}
	g.cur += g.step
	if g.cur < 0 { // overflow
		g.done = true
	}
	return []byte(lhs + " " + g.mid + " " + rhs + "\n"), true
}

// subst replaces $ and ${offset,width,base} in a template.
func subst(t string, v int64) (string, error) {
	if strings.IndexByte(t, '$') < 0 {
		return t, nil
	}
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == '\\' && i+1 < len(t) {
			b.WriteByte(c)
			b.WriteByte(t[i+1])
			i++
			continue
		}
		if c != '$' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(t) && t[i+1] == '$' { // $$: a literal $ (as miekg/dns)
			b.WriteString(`\$`)
			i++
			continue
		}
		if i+1 < len(t) && t[i+1] == '{' {
			end := strings.IndexByte(t[i:], '}')
			if end < 0 {
				return "", fmt.Errorf("$GENERATE: missing } in %s", redact.Quote(t))
			}
			spec := t[i+2 : i+end]
			s, err := modifier(spec, v)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
			i += end
			continue
		}
		b.WriteString(strconv.FormatInt(v, 10))
	}
	return b.String(), nil
}

func modifier(spec string, v int64) (string, error) {
	parts := strings.Split(spec, ",")
	if len(parts) > 3 {
		return "", fmt.Errorf("$GENERATE: bad modifier %s", redact.Quote("${"+spec+"}"))
	}
	off, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return "", fmt.Errorf("$GENERATE: bad offset in %s", redact.Quote("${"+spec+"}"))
	}
	width := int64(0)
	if len(parts) > 1 {
		width, err = strconv.ParseInt(parts[1], 10, 64)
		if err != nil || width < 0 || width > 255 {
			return "", fmt.Errorf("$GENERATE: bad width in %s", redact.Quote("${"+spec+"}"))
		}
	}
	base := "d"
	if len(parts) > 2 {
		base = parts[2]
	}
	n := v + off
	if n > 1<<31-1 || n < -(1<<31) {
		return "", fmt.Errorf("$GENERATE: %s out of range for value %d", redact.Quote("${"+spec+"}"), v)
	}
	if base == "d" {
		// BIND's %0*d: the sign first, then the zeros (-009).
		return fmt.Sprintf("%0*d", width, n), nil
	}
	// BIND prints other bases from an unsigned int: a negative value wraps.
	n = int64(uint32(int32(n)))
	var s string
	switch base {
	case "o":
		s = strconv.FormatInt(n, 8)
	case "x":
		s = strconv.FormatInt(n, 16)
	case "X":
		s = strings.ToUpper(strconv.FormatInt(n, 16))
	case "n", "N":
		// Nibble form, as BIND's nibbles() (lib/dns/master.c): least
		// significant first, a dot between nibbles, while nibbles are
		// left or width (counting characters, dots too) is not used up;
		// so no trailing dot unless width asks for one.
		digits := "0123456789abcdef"
		if base == "N" {
			digits = "0123456789ABCDEF"
		}
		var out strings.Builder
		for u := uint32(n); ; {
			out.WriteByte(digits[u&0xf])
			u >>= 4
			if width > 0 {
				width--
			}
			if width > 0 || u != 0 {
				out.WriteByte('.')
				if width > 0 {
					width--
				}
			}
			if u == 0 && width == 0 {
				return out.String(), nil
			}
		}
	default:
		return "", fmt.Errorf("$GENERATE: bad base %s in %s", redact.Quote(base), redact.Quote("${"+spec+"}"))
	}
	for int64(len(s)) < width {
		s = "0" + s
	}
	return s, nil
}
