package zone

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// Loading runs as a pipeline, so that a large zone uses both cores: the
// feeder (one goroutine) cuts the file into logical lines, applies the
// directives and makes every owner name explicit; workers parse batches of
// lines with miekg/dns and canonicalize the records; the caller's goroutine
// applies BIND's TTL rules and builds the zone, batch by batch in file order.

const batchLines = 2048

var badFieldRE = regexp.MustCompile(`^bad [A-Z0-9-]+ [A-Za-z0-9]+$`)

// job is one record line of a batch, and what a worker made of it.
type job struct {
	m         meta
	tstart    int32 // the line as fed, buf[tstart:tend] (for messages)
	tend      int32
	startLine int // first line of the job in the batch stream
	// Results.
	name   string
	rrtype uint16
	class  uint16
	minttl uint32 // SOA MINIMUM, for BIND's no-TTL rule
	rdata  string
	empty  bool
	err    string // normalize or pack error
}

// batch is a run of record lines as one stream for miekg/dns: "$TTL 0"
// (the TTL rules are ours), then each line, preceded by "$ORIGIN" whenever
// the origin changes.
type batch struct {
	buf   []byte
	lines int // newlines in buf
	jobs  []job
	done  chan struct{}
	// Set by the worker: jobs[:n] parsed; perr is the parse error after them.
	n    int
	perr *Problem
}

func newBatch(origin string, free chan *batch) *batch {
	var b *batch
	select {
	case b = <-free:
		clear(b.jobs)
		*b = batch{buf: b.buf[:0], jobs: b.jobs[:0]}
	default:
		b = &batch{buf: make([]byte, 0, 64*1024), jobs: make([]job, 0, batchLines)}
	}
	b.done = make(chan struct{})
	b.add("$TTL 0\n$ORIGIN " + origin + "\n")
	return b
}

func (b *batch) add(s string) {
	b.buf = append(b.buf, s...)
	b.lines += strings.Count(s, "\n")
}

// produce runs the feeder and sends batches to work (for the workers) and
// to order (for the collector, in file order).
func (f *feeder) produce(work, order chan<- *batch, free chan *batch, stop <-chan struct{}) {
	defer close(order)
	defer close(work)
	origin := f.origin
	b := newBatch(origin, free)
	send := func() bool {
		select {
		case order <- b:
		case <-stop:
			return false
		}
		select {
		case work <- b:
		case <-stop:
			close(b.done)
			return false
		}
		return true
	}
	var ownerTok, ownerOrigin string
	for f.next() {
		line := f.cur
		if len(line) == 0 || line[0] == '$' {
			continue // $ORIGIN lines: f.origin is already current
		}
		m := f.pop()
		if f.origin != origin {
			origin = f.origin
			b.add("$ORIGIN " + origin + "\n")
		}
		j := job{m: m, startLine: b.lines + 1}
		if line[0] == ' ' || line[0] == '\t' {
			// A blank owner is the previous record's owner.
			if ownerTok == "" {
				// BIND: "no current owner name". Parse it at the
				// origin, to report what else is wrong, but skip it.
				j.m.problems = append(j.m.problems, Problem{Severity: Error, Message: "no current owner name: the first record must name its owner"})
				j.m.skip = true
				b.buf = append(b.buf, origin...)
			} else {
				owner, ok := absName(ownerTok, ownerOrigin)
				if !ok {
					owner = ownerTok
				}
				b.buf = append(b.buf, owner...)
				if f.afterOrigin && ownerOrigin != origin {
					j.m.problems = append(j.m.problems, Problem{Severity: Warning, Message: fmt.Sprintf(
						"record with inherited owner (%s) immediately after $ORIGIN (%s): the owner is the previous record's, not the new origin; write @ or the name", owner, origin)})
				}
			}
		} else {
			k := 0
			for k < len(line) && line[k] != ' ' && line[k] != '\t' && line[k] != '\n' && line[k] != '(' {
				if line[k] == '\\' {
					k++
				}
				k++
			}
			ownerTok, ownerOrigin = string(line[:min(k, len(line))]), origin
		}
		f.afterOrigin = false
		j.tstart = int32(len(b.buf))
		b.buf = append(b.buf, line...)
		j.tend = int32(len(b.buf))
		b.lines += countNL(line)
		b.jobs = append(b.jobs, j)
		if len(b.jobs) == batchLines {
			if !send() {
				return
			}
			b = newBatch(origin, free)
		}
	}
	if len(b.jobs) > 0 {
		send()
	}
}

// work parses batches.
func work(in <-chan *batch, zoneOrigin string) {
	buf := make([]byte, 0, 1024)
	for b := range in {
		parseBatch(b, zoneOrigin, &buf)
		close(b.done)
	}
}

func parseBatch(b *batch, zoneOrigin string, buf *[]byte) {
	zp := dns.NewZoneParser(bytes.NewReader(b.buf), zoneOrigin, "")
	zp.SetIncludeAllowed(false)
	for i := range b.jobs {
		rr, ok := zp.Next()
		if !ok {
			b.n = i
			b.perr = b.mapError(zp.Err(), i)
			return
		}
		j := &b.jobs[i]
		h := rr.Header()
		j.class = h.Class
		if soa, ok := rr.(*dns.SOA); ok {
			j.minttl = soa.Minttl
		}
		if h.Rrtype == 0 || h.Rrtype == 65535 {
			j.err = fmt.Sprintf("RR type %d is reserved (RFC 6895) and cannot be in a zone", h.Rrtype)
			continue
		}
		if isMetaType(h.Rrtype) {
			j.err = fmt.Sprintf("meta RR type %s cannot be in a zone", typeName(h.Rrtype))
			continue
		}
		if j.m.noRdata || isEmptyRdata(rr) {
			j.empty, j.rrtype = true, h.Rrtype
			continue
		}
		rr, err := Normalize(rr)
		if err != nil {
			j.err = err.Error()
			continue
		}
		h = rr.Header()
		j.name, j.rrtype = h.Name, h.Rrtype
		var rd []byte
		rd, *buf, err = PackRdata(rr, *buf)
		j.rdata = string(rd)
		if err != nil {
			j.err = packErrMessage(rr, err)
			continue
		}
		if g := j.m.genericLen - 1; g >= 0 && len(j.rdata) != g {
			j.err = fmt.Sprintf("%s record in RFC 3597 form: \\# %d octets given, but the %s data in them is %d octets (extra input data)",
				typeName(j.rrtype), g, typeName(j.rrtype), len(j.rdata))
			continue
		}
		// A name over 255 octets makes long RDATA or a long owner: check
		// only then (miekg/dns packs such names without complaint).
		if j.tend-j.tstart > 250 || len(j.rdata) > 255 || len(j.name) > 250 {
			if msg := nameLengthProblem(rr, j.rdata); msg != "" {
				j.err = msg
			}
		}
	}
	b.n = len(b.jobs)
	if _, ok := zp.Next(); ok || zp.Err() != nil {
		// Cannot happen: one line, one record.
		b.perr = b.mapError(zp.Err(), len(b.jobs)-1)
	}
}

// isMetaType reports the types that are never data in a zone: OPT and the
// meta and query types 128-255 (RFC 6895 §3.1; BIND: "meta RR type").
func isMetaType(t uint16) bool {
	return t == dns.TypeOPT || t >= 128 && t <= 255
}

// mapError turns a miekg/dns error in the batch stream into a Problem at the
// file line; at is the job being parsed.
func (b *batch) mapError(err error, at int) *Problem {
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
	tok, _ := strconv.Unquote(m[2])
	msg = m[1]
	switch {
	case msg == "not a TTL" && isTypeLike(tok):
		msg = fmt.Sprintf("unknown RR type %s (dnsparity cannot read this type; write it in RFC 3597 form: TYPEnnn \\# LEN HEX)", tok)
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
		msg += fmt.Sprintf(" near %q", tok)
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
		return fmt.Sprintf("%s record data is %d octets, over the 65535 a record can hold", typeName(h.Rrtype), n)
	}
	if u := errors.Unwrap(err); u != nil {
		err = u
	}
	return fmt.Sprintf("%s record cannot be encoded: %s", typeName(h.Rrtype), strings.TrimPrefix(err.Error(), "dns: "))
}

// nameLengthProblem reports a domain name (owner or in the RDATA) longer
// than 255 octets on the wire (RFC 1035 §2.3.4), which BIND rejects.
func nameLengthProblem(rr dns.RR, rdata string) string {
	h := rr.Header()
	if n := nameWireLen(h.Name); n > 255 {
		return fmt.Sprintf("owner name is %d octets long on the wire, over the 255 allowed (RFC 1035 §2.3.4)", n)
	}
	hdr := *h
	hdr.Name = "."
	if _, err := FromRdata(hdr, rdata); err != nil {
		// miekg/dns packs over-long names without complaint but cannot
		// unpack them (ErrLongDomain, or a buffer error).
		return fmt.Sprintf("%s record: a domain name in the data is over the 255 octets allowed (RFC 1035 §2.3.4)", typeName(h.Rrtype))
	}
	return ""
}

// nameWireLen is the length of an absolute name in wire form.
func nameWireLen(name string) int {
	buf := make([]byte, 4*len(name)+2)
	off, err := dns.PackDomainName(name, buf, 0, nil, false)
	if err != nil {
		return 0
	}
	return off
}

// loadPipelined fills z from the feeder.
func loadPipelined(z *Zone, f *feeder) {
	work1 := make(chan *batch, 4)
	order := make(chan *batch, 8)
	stop := make(chan struct{})
	free := make(chan *batch, 16)
	go f.produce(work1, order, free, stop)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(work1, z.Origin)
		}()
	}
	var (
		lastTTL uint32
		lastSet bool
		stopped bool
	)
	for b := range order {
		if stopped {
			continue
		}
		<-b.done
		for i := range b.jobs[:b.n] {
			j := &b.jobs[i]
			m := &j.m
			pos := Pos{File: m.file, Line: m.line}
			var ttl uint32
			// TTL the way BIND does it.
			switch {
			case m.hasTTL:
				ttl = m.ttl
				if !m.hasDefault {
					lastTTL, lastSet = m.ttl, true
				}
			case m.hasDefault:
				ttl = m.defTTL
			case lastSet:
				ttl = lastTTL
			default:
				if j.rrtype == dns.TypeSOA {
					ttl = j.minttl
					lastTTL, lastSet = j.minttl, true
					z.Problems = append(z.Problems, Problem{pos, Warning, "no TTL specified; using SOA MINTTL instead"})
				} else {
					z.Problems = append(z.Problems, Problem{pos, Error, "no TTL specified"})
					continue
				}
			}
			if j.class != dns.ClassINET {
				z.Problems = append(z.Problems, Problem{pos, Error, "class " + dns.Class(j.class).String() + " does not match zone class IN"})
				continue
			}
			if j.empty {
				z.Problems = append(z.Problems, Problem{pos, Error, fmt.Sprintf("%s record has no data", typeName(j.rrtype))})
				continue
			}
			for _, p := range m.problems {
				z.Problems = append(z.Problems, Problem{pos, p.Severity, p.Message})
			}
			if m.skip {
				continue
			}
			if j.err != "" {
				z.Problems = append(z.Problems, Problem{pos, Error, j.err})
				continue
			}
			if !inZone(z.Origin, j.name) {
				z.Problems = append(z.Problems, Problem{pos, Warning, fmt.Sprintf("ignoring out-of-zone data (%s): it is not below %s", j.name, z.Origin)})
				continue
			}
			if !z.addPacked(j.name, j.rrtype, j.class, ttl, j.rdata, pos) {
				z.Problems = append(z.Problems, Problem{pos, Warning, "duplicate record ignored: " + strings.Join(strings.Fields(string(b.buf[j.tstart:j.tend])), " ")})
			}
		}
		if b.perr != nil {
			z.Problems = append(z.Problems, *b.perr)
			z.truncated = true
			stopped = true
			close(stop)
		}
		select {
		case free <- b:
		default:
		}
	}
	wg.Wait()
	if !z.truncated && f.err != nil {
		z.Problems = append(z.Problems, f.errProblem())
		z.truncated = true
	}
}

// inZone is dns.IsSubDomain(origin, name) for canonical names, fast for
// names without escapes.
func inZone(origin, name string) bool {
	if strings.IndexByte(name, '\\') >= 0 || strings.IndexByte(origin, '\\') >= 0 {
		return dns.IsSubDomain(origin, name)
	}
	if origin == "." || name == origin {
		return true
	}
	return len(name) > len(origin) && strings.HasSuffix(name, origin) && name[len(name)-len(origin)-1] == '.'
}
