// Messages: miekg/dns errors and encoding failures turned into plain
// problems at the right file line.

package zone

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/redact"
)

var badFieldRE = regexp.MustCompile(`^bad [A-Z0-9-]+ [A-Za-z0-9]+$`)

// mapError turns a miekg/dns error in the batch stream into a Problem at the
// file line; at is the job being parsed.
func (b *batch) mapError(err error, at, shift int) *Problem {
	if at >= len(b.jobs) {
		at = len(b.jobs) - 1
	}
	pos := Pos{b.jobs[at].m.file, b.jobs[at].m.line}
	if err == nil {
		return &Problem{pos, Error, "cannot parse the record"}
	}
	msg := err.Error()
	m := parseErrRE.FindStringSubmatch(msg)
	if m == nil {
		return &Problem{pos, Error, strings.TrimPrefix(msg, "dns: ")}
	}
	line, _ := strconv.Atoi(m[3])
	line += shift
	tok, _ := strconv.Unquote(m[2])
	msg = m[1]
	why := "" // which rule a name breaks (nameRule)
	switch {
	case msg == "not a TTL" && isTypeLike(tok):
		j := &b.jobs[at]
		msg = unknownTypeMessage(tok) + indentHint(b.buf[j.tstart:j.tend], []byte(tok))
		tok = ""
	case msg == "":
		msg = "bad RDATA"
	case strings.Contains(msg, "overflow unpacking") || strings.Contains(msg, "dns: "):
		if strings.Contains(msg, "unpacking") {
			// A known type in RFC 3597 form whose \# data is too short.
			msg = "record data in RFC 3597 form (\\# LEN HEX) is too short or malformed for its type"
			tok = ""
		} else {
			msg = strings.ReplaceAll(msg, "dns: ", "")
		}
	case badFieldRE.MatchString(msg):
		// miekg/dns says "bad A A", "bad MX Mx": type, then field.
		f := strings.Fields(msg)
		field := strings.ToLower(f[2])
		if strings.EqualFold(f[1], f[2]) {
			field = "value"
		}
		msg = fmt.Sprintf("bad %s record: invalid %s", f[1], field)
		if strings.TrimSpace(tok) == "" {
			msg = fmt.Sprintf("incomplete %s record: %s missing", f[1], field)
		} else if isNameField(f[1], f[2]) {
			why = nameRule(tok)
		}
	case msg == "bad owner name":
		why = nameRule(tok)
	}
	if tok != "" && tok != "\n" {
		msg += " near " + redact.Quote(tok)
	}
	if why != "" {
		msg += ": " + why
	}
	// The record being parsed is job at (one line, one record); find the
	// line of the offending token within it: miekg/dns's own line number
	// is sometimes one too far inside parentheses.
	j := &b.jobs[at]
	pos.Line = j.m.line + errLineOffset(b.buf[j.tstart:j.tend], tok, line-j.startLine)
	return &Problem{pos, Error, msg}
}

// errLineOffset returns the line (0-based within the record's text) to
// report for an error near tok; guess is miekg/dns's (possibly off by one).
// A missing value (tok empty or a newline) is reported at the record's
// first line, as BIND does.
func errLineOffset(text []byte, tok string, guess int) int {
	lines := bytes.SplitAfter(text, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	if strings.TrimSpace(tok) == "" || len(lines) <= 1 {
		return 0
	}
	guess = max(0, min(guess, len(lines)-1))
	for d := 0; d < len(lines); d++ {
		for _, i := range []int{guess - d, guess + d} {
			if i >= 0 && i < len(lines) && bytes.Contains(lines[i], []byte(tok)) {
				return i
			}
		}
	}
	return 0
}

// packErrMessage explains why a parsed record cannot be put on the wire.
func packErrMessage(rr dns.RR, err error) string {
	h := rr.Header()
	if n := dns.Len(rr) - (len(h.Name) + 11); n > 0xFFFF {
		return fmt.Sprintf("%s record data is %d octets, over the 65535 a record can hold", TypeName(h.Rrtype), n)
	}
	if u := errors.Unwrap(err); u != nil {
		err = u
	}
	return fmt.Sprintf("%s record cannot be encoded: %s", TypeName(h.Rrtype), strings.TrimPrefix(err.Error(), "dns: "))
}

// nameLengthProblem reports a domain name (owner or in the RDATA) longer
// than 255 octets on the wire (RFC 1035 §2.3.4), which BIND rejects.
func nameLengthProblem(rr dns.RR, rdata string) string {
	h := rr.Header()
	if n := WireLen(h.Name); n > 255 {
		return fmt.Sprintf("owner name is %d octets long on the wire, over the 255 allowed (RFC 1035 §2.3.4)", n)
	}
	hdr := *h
	hdr.Name = "."
	if _, err := FromRdata(hdr, rdata); err != nil {
		// miekg/dns packs over-long names without complaint but cannot
		// unpack them (ErrLongDomain, or a buffer error).
		return fmt.Sprintf("%s record: a domain name in the data is over the 255 octets allowed (RFC 1035 §2.3.4)", TypeName(h.Rrtype))
	}
	return ""
}

// WireLen is the length of an absolute name in wire form (0 for a name
// that cannot be packed): what RFC 1035 §2.3.4 limits to 255 octets,
// where the presentation form's length says nothing ("\128" is one
// octet, "a\.b" one label of three).
func WireLen(name string) int {
	buf := make([]byte, 4*len(name)+2)
	off, err := dns.PackDomainName(name, buf, 0, nil, false)
	if err != nil {
		return 0
	}
	return off
}

// isNameField reports whether field (a miekg/dns struct field, as its
// "bad TYPE Field" errors name it) of the record type typ holds a domain
// name.
func isNameField(typ, field string) bool {
	t, ok := dns.StringToType[typ]
	if !ok {
		return false
	}
	mk, ok := dns.TypeToRR[t]
	if !ok {
		return false
	}
	f, ok := reflect.TypeOf(mk()).Elem().FieldByName(field)
	return ok && strings.HasSuffix(f.Tag.Get("dns"), "domain-name")
}

// nameRule says which rule of RFC 1035 §2.3.4 the domain name tok (in
// presentation form, relative or absolute) breaks: an empty label, a label
// over 63 octets, over 255 octets on the wire (what is written: a relative
// name is longer still); "" when it breaks none of them (or has an escape
// that is not one, which escapeProblem reports).
func nameRule(tok string) string {
	if tok == "." || tok == "@" || tok == "" {
		return ""
	}
	wire, label := 1, 0 // the root's octet; octets in the current label
	end := func() string {
		if label > 63 {
			return fmt.Sprintf("a label of %d octets, over the 63 allowed (RFC 1035 §2.3.4)", label)
		}
		wire += 1 + label
		label = 0
		return ""
	}
	for i := 0; i < len(tok); i++ {
		_, ddd := DecimalEscape(tok, i)
		switch {
		case tok[i] == '.':
			if label == 0 {
				return "an empty label (two dots in a row, or a dot first)"
			}
			if why := end(); why != "" {
				return why
			}
			continue
		case tok[i] != '\\':
		case ddd:
			i += 3
		case i+1 < len(tok) && !isDigit(tok[i+1]):
			i++
		default:
			return "" // not an escape: escapeProblem says so
		}
		label++
	}
	if label > 0 {
		if why := end(); why != "" {
			return why
		}
	}
	if wire > 255 {
		return fmt.Sprintf("%d octets long on the wire, over the 255 allowed (RFC 1035 §2.3.4)", wire)
	}
	return ""
}
