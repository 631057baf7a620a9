// Messages: miekg/dns errors and encoding failures turned into plain
// problems at the right file line.

package zone

import (
	"bytes"
	"errors"
	"fmt"
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
	switch {
	case msg == "not a TTL" && isTypeLike(tok):
		msg = unknownTypeMessage(tok)
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
		}
	}
	if tok != "" && tok != "\n" {
		msg += " near " + redact.Quote(tok)
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
