// Compatibility shims: checks on the raw text of a record line, and
// rewrites, where miekg/dns alone would accept what BIND refuses (or refuse
// what BIND accepts).

package zone

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// twoWordTTL is the problem of a TTL written as two words, first and next
// ("1h 30m": BIND and miekg/dns read a TTL and then a type or class), ""
// when they do not make one TTL (first ends in a unit, next goes on it).
func twoWordTTL(first, next string) string {
	if first == "" || next == "" || isDigit(first[len(first)-1]) || !isDigit(next[0]) {
		return ""
	}
	if _, ok := ParseTTL(first + next); !ok {
		return ""
	}
	return fmt.Sprintf("TTL written as two words (%s %s): a TTL is one word, its units without a blank (%s%s)", redact.Word(first), redact.Word(next), first, next)
}

// isEmptyRdata catches records miekg/dns accepts with no RDATA (a last line
// "www A" at the end of a file).
func isEmptyRdata(rr dns.RR) bool {
	switch r := rr.(type) {
	case *dns.RFC3597:
		// A type of its own may be empty (RFC 3597); one dnsparity
		// reads beyond miekg/dns (ExtraTypes) has fields, as to BIND.
		return r.Rdata == "" && extraCode(r.Hdr.Rrtype)
	case *dns.APL: // an APL may hold no items (RFC 3123 §4)
		return false
	case *dns.A:
		return r.A == nil
	case *dns.AAAA:
		return r.AAAA == nil
	case *dns.TXT:
		return len(r.Txt) == 0
	case *dns.SPF:
		return len(r.Txt) == 0
	case *dns.MX:
		return r.Mx == ""
	case *dns.CNAME:
		return r.Target == ""
	case *dns.NS:
		return r.Ns == ""
	case *dns.PTR:
		return r.Ptr == ""
	case *dns.SRV:
		return r.Target == ""
	}
	h := rr.Header()
	full := rr.String()
	return strings.TrimSpace(full) == strings.TrimSpace(h.String())
}

// meta is what the feeder learnt about a record line from its text.
type meta struct {
	file       string
	line       int
	hasTTL     bool
	ttl        uint32
	hasDefault bool
	defTTL     uint32
	// defBad: the $TTL in force is one that could not be read (said
	// there): a record without a TTL is not also said to have none.
	defBad     bool
	problems   []Problem
	skip       bool // a problem was found in the text: do not add the record
	genericLen int  // RFC 3597 form: declared RDATA length + 1 (0: not that form)
	// noRdata: nothing follows the type (miekg/dns then gives a record of
	// zero values, as for an RFC 2136 delete, which packs to garbage).
	noRdata bool
	// rdataTok is the place of the RDATA's first token among the line's
	// tokens (fields), for fieldPos; 0: the line has no type.
	rdataTok int
}

// pushMeta records the metadata of an RR line: its explicit TTL (the parser
// needs it for BIND's TTL rules) and checks on the raw text.
func (f *feeder) pushMeta(l []byte, file string, line int) []byte {
	m := meta{file: file, line: line, hasDefault: f.defSet, defTTL: f.defTTL, defBad: f.defBad}
	typ, i, typeAt := m.head(l)
	if name, meta := metaTypeToken(string(typ)); typ != nil && meta {
		// miekg/dns reads some of them past the line's end (a TKEY took
		// the next record with it): hand over a placeholder, skipped.
		m.problems = append(m.problems, Problem{Severity: Error, Message: fmt.Sprintf("meta RR type %s cannot be in a zone", name)})
		m.skip = true
		f.queue = append(f.queue, m)
		return genericLine(l, fields(l), typeAt, dns.TypeTXT, "00")
	}
	if typ == nil {
		// An owner alone ("svCB" on the last line): BIND reads an owner
		// name without a type; miekg/dns may take the name for the type.
		m.problems = append(m.problems, Problem{Severity: Error, Message: "record without a type"})
		m.skip = true
	} else {
		m.rdataTok = typeAt + 1
	}
	l = m.rdataCount(l, typ, i)
	if bytes.IndexByte(l, 0) >= 0 {
		if msg, at := nulProblem(l); msg != "" {
			m.errorAt(l, at, msg)
		}
	}
	if bytes.IndexByte(l, '\\') >= 0 {
		if msg, at := escapeProblem(l); msg != "" {
			m.errorAt(l, at, msg)
		}
	}
	l = f.typeLine(l, typ, i, typeAt, &m)
	f.queue = append(f.queue, m)
	return l
}

// at is the place of the byte at off of the record's text l: a record
// written over several lines (parentheses) keeps its newlines, so the
// line of a token is the record's first line and the newlines before it.
func (m *meta) at(l []byte, off int) Pos {
	return Pos{File: m.file, Line: m.line + countNL(l[:min(off, len(l))])}
}

// fieldPos is the place of the RDATA field at of the record's text l as
// fed (the line pushMeta returned), for a problem found after parsing
// (checkRdata): a record written over several lines names the line of
// the field at fault, as the problems found in the text do (at). pos
// (the record's first line) when at is the record as a whole, when the
// field is not found, or when the RDATA is in RFC 3597 form (its fields
// are octets, not tokens).
func (m *meta) fieldPos(l []byte, at rdataField, pos Pos) Pos {
	if at.n == 0 || m.rdataTok == 0 || m.genericLen > 0 {
		return pos
	}
	if at.n > 0 {
		return fieldLine(m.fieldLines(l), at.n, pos)
	}
	// An SvcParam: its key as a name or as keyNNNNN, alone or with "="
	// (at.again: the second one).
	name, num := at.param.String(), fmt.Sprintf("key%d", uint16(at.param))
	for i := tokAt(l, 0, m.rdataTok); ; {
		s, e := nextTok(l, i)
		if s == e {
			return pos
		}
		k, _, _ := strings.Cut(string(l[s:e]), "=")
		if strings.EqualFold(k, name) || strings.EqualFold(k, num) {
			if !at.again {
				return m.at(l, s)
			}
			at.again = false
		}
		i = e
	}
}

// fieldLines is the line of each RDATA token of the record's text l as
// fed (Zone.FieldPos), or nil for a record on one line or in RFC 3597
// form.
func (m *meta) fieldLines(l []byte) []int32 {
	if m.rdataTok == 0 || m.genericLen > 0 || bytes.IndexByte(l[:max(len(l)-1, 0)], '\n') < 0 {
		return nil
	}
	var lines []int32
	line, from := m.line, 0
	for i := tokAt(l, 0, m.rdataTok); ; {
		s, e := nextTok(l, i)
		if s == e {
			return lines
		}
		line += countNL(l[from:s])
		from = s
		lines = append(lines, int32(line))
		i = e
	}
}

// errorAt notes an error at the byte at off of l; the record is not read.
func (m *meta) errorAt(l []byte, off int, msg string) {
	m.problems = append(m.problems, Problem{Pos: m.at(l, off), Severity: Error, Message: msg})
	m.skip = true
}

// tokAt is where the k-th token from i of l starts (the token fields
// gives as its k-th), len(l) when there are fewer.
func tokAt(l []byte, i, k int) int {
	for ; ; k-- {
		s, e := nextTok(l, i)
		if s == e || k == 0 {
			return s
		}
		i = e
	}
}

// head reads an RR line's owner, TTL and class (a TTL's problems into m)
// and returns its type token (nil: none), the index after it, and the
// type's place among the line's tokens (for the RFC 3597 rewrites).
func (m *meta) head(l []byte) (typ []byte, i, typeAt int) {
	if !(l[0] == ' ' || l[0] == '\t') {
		_, i = nextTok(l, 0) // owner
	}
	if l[0] != ' ' && l[0] != '\t' {
		typeAt = 1
	}
	var num []byte    // the token before t when it was a TTL
	var ttlTok []byte // the record's TTL, once read
	extra := 0        // TTLs after the first: a token more each
	for n := 0; n < 3+extra; n++ {
		s, e := nextTok(l, i)
		if s == e {
			break
		}
		t := l[s:e]
		i = e
		last := num
		num = nil
		if isDigit(t[0]) && ttlTok != nil {
			// A second TTL: miekg/dns said "expecting RR type or
			// class, not this...", or took three tokens for no type.
			msg := twoWordTTL(string(last), string(t))
			if msg == "" {
				msg = fmt.Sprintf("two TTLs (%s, then %s): a record has one TTL, one word (1h30m, not 1h 30m)", redact.Quote(string(ttlTok)), redact.Quote(string(t)))
			}
			m.problems = append(m.problems, Problem{Severity: Error, Message: msg})
			m.skip = true
			typeAt++
			extra++
			continue
		}
		if isDigit(t[0]) {
			ttlTok = t
			ttl, ok := ParseTTL(string(t))
			if !ok {
				// No type starts with a digit; miekg/dns reads "1h30"
				// as a TTL, BIND and Knot do not.
				m.problems = append(m.problems, Problem{Severity: Error, Message: fmt.Sprintf(
					"bad TTL %s: %s", redact.Quote(string(t)), ttlForm)})
				m.skip = true
				typeAt++
				continue
			}
			if ttl > MaxTTL {
				m.problems = append(m.problems, Problem{Severity: Warning, Message: maxTTLMessage("TTL", ttl)})
				ttl = 0
			}
			m.hasTTL, m.ttl = true, ttl
			num = t
			typeAt++
			continue
		}
		if isClassTok(t) {
			typeAt++
			continue
		}
		if unitWord(t) {
			// miekg/dns reads a word of TTL unit letters ("www", "ms")
			// as a TTL of 0 and the next word as the type: an indented
			// " www IN A 192.0.2.1" became an address of the owner
			// above. BIND reads it as the type ("unknown RR type
			// 'www'"), Knot's kzonecheck as a TTL ("invalid number"):
			// both refuse the line.
			msg := unknownTypeMessage(string(t)) + indentHint(l, t)
			if _, ok := ParseTTL(string(last) + string(t)); last != nil && ok {
				// "1 h": a unit apart from its TTL, not a type meant.
				msg = fmt.Sprintf("unknown RR type %s: a TTL's unit follows its number without a blank (%s%s)", redact.Word(string(t)), last, t)
			}
			m.problems = append(m.problems, Problem{Severity: Error, Message: msg})
			m.skip = true
		} else if u := unitName(t); u != 0 && last != nil && isDigit(last[0]) {
			// "30 days": a unit as a word after the TTL, which
			// miekg/dns refused as "expecting RR type or class".
			m.problems = append(m.problems, Problem{Severity: Error, Message: fmt.Sprintf(
				"unknown RR type %s: a TTL's unit is one letter after its number (%s%c)", redact.Word(string(t)), last, u)})
			m.skip = true
		}
		typ = t
		break
	}
	return typ, i, typeAt
}

// unitName is the TTL unit letter a word names ("days": 'd'), 0 for
// none or a type's name.
func unitName(t []byte) byte {
	if isTypeName(t) {
		return 0
	}
	switch strings.TrimSuffix(strings.ToLower(string(t)), "s") {
	case "second", "sec":
		return 's'
	case "minute", "min":
		return 'm'
	case "hour", "hr":
		return 'h'
	case "day":
		return 'd'
	case "week", "wk":
		return 'w'
	}
	return 0
}

// unitWord: t is made only of the TTL unit letters and is no type's
// name (DS, MD are types).
func unitWord(t []byte) bool {
	return unitLetters(t) && !isTypeName(t)
}

// isTypeName: t names an RR type, in any case (DS, MD, A).
func isTypeName(t []byte) bool {
	_, known := dns.StringToType[strings.ToUpper(string(t))]
	return known
}

// unitLetters: t is made only of the TTL unit letters (s, m, h, d, w,
// any case), as miekg/dns reads a TTL of 0 from.
func unitLetters(t []byte) bool {
	for _, c := range t {
		switch c | 0x20 {
		case 's', 'm', 'h', 'd', 'w':
		default:
			return false
		}
	}
	return true
}

// indentHint explains an unknown type tok on a record line l that starts
// with a blank: the blank makes it a record of the owner above (RFC 1035
// §5.1), so the name meant as the owner is read as the type.
func indentHint(l, tok []byte) string {
	if len(l) == 0 || l[0] != ' ' && l[0] != '\t' {
		return ""
	}
	if s, e := nextTok(l, 0); !bytes.Equal(l[s:e], tok) {
		return "" // a TTL or class first: tok is where a type belongs
	}
	return fmt.Sprintf(": the line starts with a blank, so it is another record of the owner above (RFC 1035 §5.1); to make %s the owner, remove the blank", redact.Word(string(tok)))
}

// rdataCount checks the number of RDATA fields of the types miekg/dns
// reads otherwise than BIND with fields missing or too many, notes an RFC
// 3597 form's declared length, and returns the line (an APL with no items
// in RFC 3597 form).
func (m *meta) rdataCount(l, typ []byte, i int) []byte {
	if s, e := nextTok(l, i); typ != nil && s == e {
		if asciiEqualFold(typ, "APL") {
			// An APL may hold no items (RFC 3123 §4); BIND loads it.
			// miekg/dns reads one only at the end of its input ("unexpected
			// newline" before another record): give it the RFC 3597 form.
			l = append(append([]byte(nil), l[:i]...), " \\# 0\n"...)
		} else {
			m.noRdata = true
		}
	} else if want, most := rdataFields(typ); want > 0 && !(e-s == 2 && l[s] == '\\' && l[s+1] == '#') {
		// miekg/dns takes the missing fields of these types as zero or
		// empty; BIND says "unexpected end of input". It joins the
		// strings after the last into it (HINFO "a" "b" "c" is
		// HINFO "a" "b c"); BIND says "extra input text".
		n := 0
		for j := i; ; n++ {
			s, e := nextTok(l, j)
			if s == e {
				break
			}
			j = e
		}
		if n < want {
			m.problems = append(m.problems, Problem{Severity: Error, Message: fmt.Sprintf(
				"incomplete %s record: %d fields, %d needed", strings.ToUpper(string(typ)), n, want)})
			m.skip = true
		} else if n == 1 && asciiEqualFold(typ, "ISDN") {
			// RFC 1183 §3.2 allows it; miekg/dns packs an empty
			// subaddress after the address, another RDATA.
			m.problems = append(m.problems, Problem{Severity: Error, Message: "ISDN without a subaddress: dnsparity's DNS library adds an empty subaddress string to it, so it cannot be pushed as written; not supported (an ISDN with a subaddress is)"})
			m.skip = true
		} else if most > 0 && n > most {
			m.problems = append(m.problems, Problem{Severity: Error, Message: fmt.Sprintf(
				"%s record of %d fields, at most %d (BIND: extra input text): quote a value holding blanks as one string", strings.ToUpper(string(typ)), n, most)})
			m.skip = true
		}
	} else if e-s == 2 && l[s] == '\\' && l[s+1] == '#' {
		// RFC 3597 form: remember the declared length (miekg/dns turns
		// "TYPE1 \# 5 c000020101" into an A record and drops the extra
		// octet; BIND rejects it).
		if s2, e2 := nextTok(l, e); s2 < e2 {
			if n, err := strconv.Atoi(string(l[s2:e2])); err == nil && n >= 0 {
				m.genericLen = n + 1
			}
		}
	}
	return l
}

// typeLine checks and rewrites the RDATA of the types miekg/dns reads
// otherwise than BIND (their problems into m) and returns the line to
// hand it.
func (f *feeder) typeLine(l, typ []byte, i, typeAt int, m *meta) []byte {
	longStrings(l, typ, i, m)
	switch {
	case asciiEqualFold(typ, "SVCB") || asciiEqualFold(typ, "HTTPS"):
		if msg, k := svcbKeyProblem(fields(l[i:])); msg != "" {
			m.errorAt(l, tokAt(l, i, k), msg)
		} else if msg, k := svcbIPv6HintProblem(fields(l[i:])); msg != "" {
			m.errorAt(l, tokAt(l, i, k), msg)
		}
		l = svcbEmptyLine(l, i)
	case asciiEqualFold(typ, "CAA"):
		l = caaGenericLine(l, i, m)
	case asciiEqualFold(typ, "L64") || asciiEqualFold(typ, "NID"):
		if toks := fields(l[i:]); len(toks) == 2 && !fourHexGroups(toks[1]) {
			m.errorAt(l, tokAt(l, i, 1), fmt.Sprintf(
				"%s %s: four groups of 1 to 4 hex digits with colons between (RFC 6742 §2.3.1, e.g. 0014:4fff:ff20:ee64)", strings.ToUpper(string(typ)), redact.Quote(toks[1])))
		}
	case asciiEqualFold(typ, "SOA"):
		// The timers are TTLs (RFC 1035 §3.3.13, BIND's units); miekg/dns
		// reads "1h30" too, and a word of units alone ("h") as 0: BIND
		// refuses both.
		if toks := fields(l[i:]); len(toks) >= 7 {
			for k, t := range toks[3:7] {
				if _, ok := ParseTTL(t); !ok && (isDigit(t[0]) || unitLetters([]byte(t))) {
					m.errorAt(l, tokAt(l, i, 3+k), fmt.Sprintf(
						"bad SOA timer %s: %s", redact.Quote(t), ttlForm))
					break
				}
			}
		}
	case asciiEqualFold(typ, "LOC"):
		if msg, k := locProblem(fields(l[i:])); msg != "" {
			m.errorAt(l, tokAt(l, i, k), msg)
		}
		l = locSecondsLine(l, i)
	case asciiEqualFold(typ, "DNSKEY") || asciiEqualFold(typ, "CDNSKEY") || asciiEqualFold(typ, "KEY"):
		l = keyAlgorithmLine(l, i)
	case asciiEqualFold(typ, "UINFO") || asciiEqualFold(typ, "UID") || asciiEqualFold(typ, "GID") || asciiEqualFold(typ, "UNSPEC"):
		// Types 100-103: reserved by IANA; BIND and Knot do not read
		// their names (miekg/dns does), BIND reads TYPE100 \# form.
		m.problems = append(m.problems, Problem{Severity: Error, Message: fmt.Sprintf(
			"unknown RR type %s to BIND and Knot (type %d, reserved by IANA): write TYPE%d \\# with its octets if it is meant", strings.ToUpper(string(typ)), dns.StringToType[strings.ToUpper(string(typ))], dns.StringToType[strings.ToUpper(string(typ))])})
		m.skip = true
	case asciiEqualFold(typ, "X25"):
		// The PSDN address is a <character-string> (RFC 1183 §3.1):
		// miekg/dns refuses it quoted ("garbage after rdata").
		if s, e := nextTok(l, i); e-s > 2 && l[s] == '"' && l[e-1] == '"' && !bytes.ContainsAny(l[s+1:e-1], " \t\\\"") {
			l = append(append(append([]byte(nil), l[:s]...), l[s+1:e-1]...), l[e:]...)
		}
	case asciiEqualFold(typ, "IPSECKEY"):
		l = f.ipseckeyLine(l, fields(l), typeAt)
	case asciiEqualFold(typ, "NAPTR"):
		l = naptrQuotedLine(l, i)
	case asciiEqualFold(typ, "NSAP"):
		// miekg/dns does not know NSAP (RFC 1706): hand it over in RFC 3597 form.
		l = f.nsapLine(l, fields(l), typeAt, m)
	default:
		if x := findExtra(typ); x != nil && !m.skip {
			l = f.extraLine(l, fields(l), typeAt, x, m)
		}
	}
	return l
}

// longStrings reports each character-string of over 255 octets in the
// RDATA of the types made of them (RFC 1035 §3.3: a length octet):
// miekg/dns splits one in two, which in a HINFO makes a third string that
// pushes a record other than the one written (BIND: syntax error). i is
// where the RDATA starts.
func longStrings(l, typ []byte, i int, m *meta) {
	kind := ""
	switch {
	case asciiEqualFold(typ, "TXT") || asciiEqualFold(typ, "SPF"):
		kind = "txt"
	case asciiEqualFold(typ, "HINFO"):
		kind = "hinfo"
	case asciiEqualFold(typ, "AVC") || asciiEqualFold(typ, "NINFO") || asciiEqualFold(typ, "RESINFO") || asciiEqualFold(typ, "WALLET"):
		kind = "other"
	default:
		return
	}
	if s, e := nextTok(l, i); e-s == 2 && l[s] == '\\' && l[s+1] == '#' {
		return
	}
	name := strings.ToUpper(string(typ))
	for {
		s, e := nextTok(l, i)
		if s == e {
			return
		}
		i = e
		n := octets(l[s:e])
		if n <= 255 {
			continue
		}
		msg := fmt.Sprintf("%s string of %d octets (over 255): a character-string holds at most 255 (RFC 1035 §3.3); BIND rejects it", name, n)
		switch kind {
		case "txt":
			msg = fmt.Sprintf("TXT string of %d octets (over 255): BIND rejects it; Knot and PowerDNS split it and serve %s; write it as several quoted strings", n, splitAt255(n))
		case "other":
			msg += "; write it as several quoted strings"
		case "hinfo":
			msg += "; a HINFO is two strings, CPU and OS: shorten it"
		}
		m.problems = append(m.problems, Problem{Pos: m.at(l, s), Severity: Error, Message: msg})
	}
}

// fourHexGroups: an L64 locator or NID node id, four 16-bit groups in hex
// with colons between (RFC 6742 §2.3.1); miekg/dns reads any separator
// and drops a fifth group.
func fourHexGroups(t string) bool {
	gs := strings.Split(t, ":")
	if len(gs) != 4 {
		return false
	}
	for _, g := range gs {
		if len(g) < 1 || len(g) > 4 {
			return false
		}
		if _, err := strconv.ParseUint(g, 16, 16); err != nil {
			return false
		}
	}
	return true
}

// rdataFields is the least number of RDATA fields of the types miekg/dns
// accepts with fields missing or with fields too many (0: not one of
// them), and the most (0: any number).
func rdataFields(typ []byte) (least, most int) {
	for _, t := range []struct {
		name        string
		least, most int
	}{{"SOA", 7, 0}, {"DS", 4, 0}, {"CDS", 4, 0}, {"DLV", 4, 0}, {"TA", 4, 0}, {"SSHFP", 3, 0}, {"TLSA", 4, 0}, {"SMIMEA", 4, 0}, {"CERT", 4, 0},
		{"HINFO", 2, 2}, {"ISDN", 1, 2}} { // RFC 1035 §3.3.2, RFC 1183 §3.2
		if asciiEqualFold(typ, t.name) {
			return t.least, t.most
		}
	}
	return 0, 0
}

// keyAlgorithmLine rewrites the algorithm mnemonic of a DNSKEY, CDNSKEY or
// KEY record (RFC 4034 §2.2: "RSASHA256" for 8; RFC 2535 §7.1 for KEY) as
// its number: miekg/dns reads the mnemonic in a DS and an RRSIG, not here.
// i is where the RDATA starts; flags, protocol, algorithm.
func keyAlgorithmLine(l []byte, i int) []byte {
	for n := 0; n < 3; n++ {
		s, e := nextTok(l, i)
		if s == e || (n == 0 && string(l[s:e]) == "\\#") {
			return l
		}
		if n == 2 && !isDigit(l[s]) {
			alg, ok := dns.StringToAlgorithm[strings.ToUpper(string(l[s:e]))]
			if !ok {
				return l
			}
			return append(append(append([]byte(nil), l[:s]...), strconv.Itoa(int(alg))...), l[e:]...)
		}
		i = e
	}
	return l
}

// locSecondsLine writes the seconds a LOC record leaves out after its
// minutes ("52 22 N" is "52 22 0 N", RFC 1876 §3: d1 [m1 [s1]]): miekg/dns
// reads degrees alone, or all three, not degrees and minutes. i is where
// the RDATA starts.
func locSecondsLine(l []byte, i int) []byte {
	var at []int // where to insert "0 "
	for _, hemi := range []string{"NS", "EW"} {
		var starts []int
		for n := 0; n < 4; n++ {
			s, e := nextTok(l, i)
			if s == e {
				return l
			}
			i = e
			if e-s == 1 && strings.ContainsRune(hemi, rune(l[s]&^0x20)) {
				if n == 2 {
					at = append(at, s)
				}
				break
			}
			starts = append(starts, s)
		}
		if len(starts) > 3 {
			return l
		}
	}
	for k := len(at) - 1; k >= 0; k-- {
		l = append(append(append([]byte(nil), l[:at[k]]...), "0 "...), l[at[k]:]...)
	}
	return l
}

// nsapLine rewrites "owner [ttl] [class] NSAP 0x47.0005..." as
// "... TYPE22 \# n hex"; a bad value is recorded in m and the record skipped.
func (f *feeder) nsapLine(l []byte, toks []string, typeAt int, m *meta) []byte {
	val := strings.Join(toks[typeAt+1:], "")
	h, ok := nsapHex(val)
	if !ok {
		m.problems = append(m.problems, Problem{Severity: Error, Message: fmt.Sprintf("bad NSAP address %s: 0x then an even number of hex digits (dots allowed)", redact.Quote(val))})
		m.skip = true
		h = "00"
	}
	return genericLine(l, toks, typeAt, 22, h)
}

// ipseckeyLine rewrites an IPSECKEY record in RFC 3597 form, its octets
// as miekg/dns packs it: miekg/dns v1.1.73 reads the public key to the end
// of the line and then one token more, so an IPSECKEY followed by another
// record was "garbage after rdata" at the next line's owner. Parsed alone
// (at the end of its input), it reads right. A record that does not parse
// is left as written, for the zone parser to report.
func (f *feeder) ipseckeyLine(l []byte, toks []string, typeAt int) []byte {
	if len(toks) > typeAt+1 && toks[typeAt+1] == "\\#" {
		return l
	}
	zp := dns.NewZoneParser(strings.NewReader("@ 0 IN IPSECKEY "+strings.Join(toks[typeAt+1:], " ")+"\n"), f.origin, "")
	zp.SetIncludeAllowed(false)
	rr, ok := zp.Next()
	if !ok || zp.Err() != nil {
		return l
	}
	rd, _, err := PackRdata(rr, nil)
	if err != nil {
		return l
	}
	return genericLine(l, toks, typeAt, dns.TypeIPSECKEY, hex.EncodeToString(rd))
}

// svcbEmptyLine writes an SvcParam given as "key=" with nothing after its
// first '=' (an empty value, RFC 9460 Appendix A; ech=…AA= is not one) as
// key="": miekg/dns took the next token for its value, the next line's
// owner when the parameter ends the line. i is where the RDATA starts.
func svcbEmptyLine(l []byte, i int) []byte {
	for {
		s, e := nextTok(l, i)
		if s == e {
			return l
		}
		if bytes.IndexByte(l[s:e], '=') == e-s-1 && l[s] != '"' && (e == len(l) || l[e] != '"') {
			l = append(append(append([]byte(nil), l[:e]...), `""`...), l[e:]...)
			e += 2
		}
		i = e
	}
}

// naptrQuotedLine quotes a NAPTR's flags, services and regexp written
// unquoted: they are character-strings (RFC 3403 §4.1), which RFC 1035
// §5.1 lets one write without quotes, as BIND reads them; miekg/dns
// refused them ("invalid flags"). i is where the RDATA starts.
func naptrQuotedLine(l []byte, i int) []byte {
	var out []byte
	last := 0
	for n := 0; n < 5; n++ {
		s, e := nextTok(l, i)
		if s == e {
			break
		}
		if n >= 2 && l[s] != '"' {
			out = append(append(append(append(out, l[last:s]...), '"'), l[s:e]...), '"')
			last = e
		}
		i = e
	}
	if out == nil {
		return l
	}
	return append(out, l[last:]...)
}

// genericLine is a record line rewritten with its RDATA in RFC 3597 form.
func genericLine(l []byte, toks []string, typeAt int, code uint16, hexData string) []byte {
	var b strings.Builder
	if l[0] == ' ' || l[0] == '\t' {
		b.WriteByte(' ')
	}
	for _, t := range toks[:typeAt] {
		b.WriteString(t)
		b.WriteByte(' ')
	}
	fmt.Fprintf(&b, "TYPE%d \\# %d %s\n", code, len(hexData)/2, hexData)
	return []byte(b.String())
}

// extraLine rewrites a record of a type miekg/dns cannot read (extratypes.go)
// in RFC 3597 form; a bad value is recorded in m and the record skipped.
func (f *feeder) extraLine(l []byte, toks []string, typeAt int, x *extraType, m *meta) []byte {
	if len(toks) > typeAt+1 && toks[typeAt+1] == "\\#" {
		// Already in RFC 3597 form: only the type's name is new to
		// miekg/dns.
		var b strings.Builder
		if l[0] == ' ' || l[0] == '\t' {
			b.WriteByte(' ')
		}
		for i, t := range toks {
			if i == typeAt {
				t = fmt.Sprintf("TYPE%d", x.code)
			}
			b.WriteString(t)
			b.WriteByte(' ')
		}
		b.WriteByte('\n')
		return []byte(b.String())
	}
	data, err := x.encode(toks[typeAt+1:], f.origin)
	if err == nil && len(data) > 0xFFFF {
		err = fmt.Errorf("record data is %d octets, over 65535", len(data))
	}
	if err != nil {
		m.problems = append(m.problems, Problem{Severity: Error, Message: fmt.Sprintf("bad %s record: %v", x.name, err)})
		m.skip = true
		data = []byte{0}
	}
	return genericLine(l, toks, typeAt, x.code, hex.EncodeToString(data))
}

func nsapHex(v string) (string, bool) {
	if len(v) < 2 || v[0] != '0' || v[1]|0x20 != 'x' {
		return "", false
	}
	var b strings.Builder
	for i := 2; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '.':
			continue
		case isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f'):
			b.WriteByte(c)
		default:
			return "", false
		}
	}
	h := b.String()
	if len(h) == 0 || len(h)%2 != 0 {
		return "", false
	}
	return h, true
}

// splitAt255 is how a server that splits a long TXT string serves n octets:
// strings of 255 and the rest ("255+255+244" for 754).
func splitAt255(n int) string {
	var parts []string
	for ; n > 255; n -= 255 {
		parts = append(parts, "255")
	}
	return strings.Join(append(parts, strconv.Itoa(n)), "+")
}

// placed is p at its own place in the record's text, or at the record's
// (pos) when the check that found it gave none.
func (m *meta) placed(p Problem, pos Pos) Problem {
	if p.Pos.Line == 0 {
		p.Pos = pos
	}
	return p
}
