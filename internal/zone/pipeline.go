package zone

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io"
	"runtime"
	"slices"
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

// job is one record line of a batch, and what a worker made of it.
type job struct {
	m         meta
	tstart    int32 // the line as fed, buf[tstart:tend] (for messages)
	tend      int32
	startLine int    // first line of the job in the batch stream
	bstart    int32  // where the job's text starts in buf (its owner included)
	origin    string // the origin in force for the job
	// Results.
	name   string
	rrtype uint16
	class  uint16
	minttl uint32 // SOA MINIMUM, for BIND's no-TTL rule
	rdata  string
	empty  bool
	err    string     // normalize or pack error
	errAt  rdataField // where in the RDATA err is (checkRdata's)
	perr   *Problem   // miekg/dns could not parse the line
	fast   bool       // parsed by fastRR, not by miekg/dns
	// newRun: the record starts a run of lines of another owner (as
	// written, case kept) than the record line before, or is the first
	// after an $INCLUDE began or ended (fileRun): BIND's loader gives an
	// RRset the TTL of its first record in the last run that holds it
	// (Zone.runStart). gen: a $GENERATE's record, which BIND loads on
	// its own at once, the run of lines around it going on.
	newRun, fileRun, gen bool
	// Made by the worker for the collector (prepare): the index hash of
	// (name, rrtype) and the record's RRset, used when it is a new one.
	hash uint64
	set  *set1
}

// batch is a run of record lines as one stream for miekg/dns: "$TTL 0"
// (the TTL rules are ours), then each line, preceded by "$ORIGIN" whenever
// the origin changes.
type batch struct {
	buf   []byte
	lines int // newlines in buf
	jobs  []job
	done  chan struct{}
}

func newBatch(origin string, free chan *batch) *batch {
	var b *batch
	select {
	case b = <-free:
		clear(b.jobs)
		*b = batch{buf: b.buf[:0], jobs: b.jobs[:0]}
	default:
		// Grown as lines come: a small zone's one batch stays small (a
		// full one is 2,048 jobs of ~200 octets); a big zone's batches
		// are recycled through free once grown.
		b = &batch{buf: make([]byte, 0, 4096), jobs: make([]job, 0, 64)}
	}
	b.done = make(chan struct{})
	b.add("$TTL 0\n$ORIGIN " + origin + "\n")
	return b
}

func (b *batch) add(s string) {
	b.buf = append(b.buf, s...)
	b.lines += strings.Count(s, "\n")
}

// produce runs the feeder and hands each batch to emit, in file order
// (the pipeline sends it to the workers and the collector).
func (f *feeder) produce(emit func(*batch), free chan *batch) {
	origin := f.origin
	b := newBatch(origin, free)
	send := func() { emit(b) }
	// The last explicit owner token (copied: the line's buffer is
	// reused) and the origin it was written under.
	var (
		ownerTok    []byte
		ownerOrigin string
	)
	// The owner when each $INCLUDE began: BIND restores it, with the
	// origin, when the included file ends (a blank owner after the
	// $INCLUDE line is the owner before it).
	type owner struct {
		tok    []byte
		origin string
	}
	var saved []owner
	// runOwner is the owner of the last record line (not a $GENERATE's)
	// as BIND's loader compares owners (absolute, case kept);
	// runIncludes and runDepth the $INCLUDEs met and open by then.
	var runOwner, written []byte
	runIncludes, runDepth := 0, 0
	for f.next() {
		for depth := max(len(f.stack)-1, 0); len(saved) != depth; {
			if len(saved) < depth {
				saved = append(saved, owner{append([]byte(nil), ownerTok...), ownerOrigin})
			} else {
				o := saved[len(saved)-1]
				saved = saved[:len(saved)-1]
				ownerTok, ownerOrigin = append(ownerTok[:0], o.tok...), o.origin
			}
		}
		line := f.cur
		if len(line) == 0 || line[0] == '$' {
			continue // $ORIGIN lines: f.origin is already current
		}
		m := f.pop()
		if f.origin != origin {
			origin = f.origin
			b.add("$ORIGIN " + origin + "\n")
		}
		j := job{m: m, startLine: b.lines + 1, bstart: int32(len(b.buf)), origin: origin}
		if line[0] == ' ' || line[0] == '\t' {
			// A blank owner is the previous record's owner.
			if len(ownerTok) == 0 {
				// BIND: "no current owner name". Parse it at the
				// origin, to report what else is wrong, but skip it.
				j.m.problems = append(j.m.problems, Problem{Severity: Error, Message: "no current owner name: the first record must name its owner"})
				j.m.skip = true
				b.buf = append(b.buf, origin...)
			} else {
				owner, ok := absName(string(ownerTok), ownerOrigin)
				if !ok {
					owner = string(ownerTok)
				}
				b.buf = append(b.buf, owner...)
				if f.afterOrigin && ownerOrigin != origin {
					j.m.problems = append(j.m.problems, Problem{Severity: Warning, Message: fmt.Sprintf(
						"record with inherited owner (%s) immediately after $ORIGIN (%s): the owner is the previous record's, not the new origin; write @ or the name", owner, origin)})
				}
			}
		} else if f.gen == nil {
			// A $GENERATE's records (f.gen is set while it feeds them)
			// leave the owner as it was: BIND's blank owner after them is
			// the last one written.
			ownerTok, ownerOrigin = append(ownerTok[:0], ownerToken(line)...), origin
		}
		f.afterOrigin = false
		j.tstart = int32(len(b.buf))
		b.buf = append(b.buf, line...)
		j.tend = int32(len(b.buf))
		switch fileRun := len(f.includes) != runIncludes || len(f.stack) != runDepth; {
		case f.gen != nil:
			// A file begun or ended has loaded the runs before it,
			// before this record (the next line's run starts anew).
			j.gen, j.fileRun = true, fileRun
		case line[0] != ' ' && line[0] != '\t' || fileRun:
			// The owner as fed (a blank one is the previous record's,
			// written before the line).
			written = writtenOwner(written[:0], b.buf[j.bstart:j.tend], origin)
			if !bytes.Equal(written, runOwner) || fileRun {
				j.newRun, j.fileRun = true, fileRun
				runOwner, written = written, runOwner
				runIncludes, runDepth = len(f.includes), len(f.stack)
			}
		}
		b.lines += countNL(line)
		b.jobs = append(b.jobs, j)
		if len(b.jobs) == batchLines {
			send()
			b = newBatch(origin, free)
		}
	}
	if len(b.jobs) > 0 {
		send()
	}
}

// work parses batches.
func work(in <-chan *batch, zoneOrigin string, seed maphash.Seed) {
	buf := make([]byte, 0, 1024)
	var sc fastScratch
	for b := range in {
		parseBatch(b, zoneOrigin, &buf, &sc)
		prepare(b, seed)
		close(b.done)
	}
}

func parseBatch(b *batch, zoneOrigin string, buf *[]byte, sc *fastScratch) {
	// The plainest lines are read from their tokens (fastRR); the others
	// go to miekg/dns, each run of them as one stream.
	for i := range b.jobs {
		j := &b.jobs[i]
		if rr := fastRR(b, j, sc); rr != nil {
			j.fast = true
			parsed(j, rr, buf)
		}
	}
	// A line miekg/dns cannot parse ends its stream: parse on from the next
	// line in a new one, so that every broken line is reported (as
	// named-checkzone does).
	for from := 0; from < len(b.jobs); {
		if b.jobs[from].fast {
			from++
			continue
		}
		to := from + 1
		for to < len(b.jobs) && !b.jobs[to].fast {
			to++
		}
		for from < to {
			from = parseRun(b, from, to, zoneOrigin, buf) + 1
		}
	}
}

// parseRun parses the jobs from from up to to in one miekg/dns stream and
// returns the index of the job it stopped at (to when all parsed).
func parseRun(b *batch, from, to int, zoneOrigin string, buf *[]byte) int {
	end := len(b.buf)
	if to < len(b.jobs) {
		end = int(b.jobs[to].bstart)
	}
	var (
		r     io.Reader = bytes.NewReader(b.buf[:end])
		shift int       // batch stream line = stream line + shift
	)
	if from > 0 {
		j := &b.jobs[from]
		r = io.MultiReader(strings.NewReader("$TTL 0\n$ORIGIN "+j.origin+"\n"), bytes.NewReader(b.buf[j.bstart:end]))
		shift = j.startLine - 3
	}
	zp := dns.NewZoneParser(r, zoneOrigin, "")
	zp.SetIncludeAllowed(false)
	for i := from; i < to; i++ {
		rr, ok := zp.Next()
		if !ok {
			b.jobs[i].perr = b.mapError(zp.Err(), i, shift)
			return i
		}
		parsed(&b.jobs[i], rr, buf)
	}
	if _, ok := zp.Next(); ok || zp.Err() != nil {
		// Cannot happen: one line, one record.
		b.jobs[to-1].perr = b.mapError(zp.Err(), to-1, shift)
	}
	return to
}

// prepare makes, for each record of a parsed batch, what the collector
// would otherwise make on its one goroutine: the record's index hash and
// its RRset (newSet1; dropped when the record joins an RRset already
// there, or is not taken).
func prepare(b *batch, seed maphash.Seed) {
	for i := range b.jobs {
		j := &b.jobs[i]
		if j.perr != nil || j.err != "" || j.empty || j.m.skip || j.name == "" {
			continue
		}
		j.hash = setHash(seed, j.name, j.rrtype)
		j.set = newSet1(j.name, j.rrtype, j.class, j.rdata)
	}
}

// parsed canonicalizes a parsed record into its job and checks its RDATA.
func parsed(j *job, rr dns.RR, buf *[]byte) {
	h := rr.Header()
	j.class = h.Class
	if soa, ok := rr.(*dns.SOA); ok {
		j.minttl = soa.Minttl
	}
	if h.Rrtype == 0 || h.Rrtype == 65535 {
		j.err = fmt.Sprintf("RR type %d is reserved (RFC 6895) and cannot be in a zone", h.Rrtype)
		return
	}
	if isMetaType(h.Rrtype) {
		j.err = fmt.Sprintf("meta RR type %s cannot be in a zone", TypeName(h.Rrtype))
		return
	}
	if j.m.noRdata || isEmptyRdata(rr) {
		j.empty, j.rrtype = true, h.Rrtype
		return
	}
	if _, generic := rr.(*dns.RFC3597); j.m.genericLen > 0 && !generic {
		// miekg/dns unpacked the \# data into the known type itself.
		rr = Unpacked(rr)
	}
	rr, err := Normalize(rr)
	if err != nil {
		j.err = err.Error()
		return
	}
	h = rr.Header()
	j.name, j.rrtype = h.Name, h.Rrtype
	if msg, at := checkRdata(rr); msg != "" {
		j.err, j.errAt = msg, at
		return
	}
	var rd []byte
	rd, *buf, err = PackRdata(rr, *buf)
	j.rdata = string(rd)
	if err != nil {
		j.err = packErrMessage(rr, err)
		return
	}
	if g := j.m.genericLen - 1; g >= 0 && len(j.rdata) != g {
		j.err = fmt.Sprintf("%s record in RFC 3597 form: \\# %d octets given, but the %s data in them is %d octets (extra input data)",
			TypeName(j.rrtype), g, TypeName(j.rrtype), len(j.rdata))
		return
	}
	// A name over 255 octets makes long RDATA or a long owner: check
	// only then (miekg/dns packs such names without complaint).
	if j.tend-j.tstart > 250 || len(j.rdata) > 255 || len(j.name) > 250 {
		if msg := nameLengthProblem(rr, j.rdata); msg != "" {
			j.err = msg
		}
	}
}

// isMetaType reports the types that are never data in a zone: OPT and the
// meta and query types 128-255 (RFC 6895 §3.1; BIND: "meta RR type").
func isMetaType(t uint16) bool {
	return t == dns.TypeOPT || t >= 128 && t <= 255
}

// metaTypeToken reports whether a type token of a zone file names a meta
// type (isMetaType: TKEY, TSIG, OPT, ANY, AXFR, IXFR, MAILA, MAILB,
// TYPE249, ...), and its name.
func metaTypeToken(tok string) (string, bool) {
	t, ok := dns.StringToType[strings.ToUpper(tok)]
	if !ok {
		// TYPEnnn, parsed without an error value (this runs on every
		// record line).
		if len(tok) < 5 || len(tok) > 9 || !strings.EqualFold(tok[:4], "TYPE") {
			return "", false
		}
		n := 0
		for i := 4; i < len(tok); i++ {
			if !isDigit(tok[i]) {
				return "", false
			}
			n = n*10 + int(tok[i]-'0')
		}
		if n > 0xFFFF {
			return "", false
		}
		t = uint16(n)
	}
	if !isMetaType(t) {
		return "", false
	}
	return TypeName(t), true
}

// inlineSize is the file size up to which a zone is loaded in the
// caller's goroutine alone: a small zone has one or two batches, and the
// pipeline's goroutines and hand-offs would cost more than they save
// (check and parity over thousands of small zones run zones in parallel
// instead).
const inlineSize = 256 << 10

// Scratch is what loading a small zone (loadInline) allocates and a run
// over many zones reuses from one zone to the next, one per goroutine
// (LoadEach): the batch, grown to the zone's lines, and the parse's
// buffers. Nothing of a zone stays in it once the zone is loaded.
type scratch struct {
	free chan *batch
	buf  []byte
	fast fastScratch
}

func newScratch() *scratch {
	return &scratch{free: make(chan *batch, 1), buf: make([]byte, 0, 1024)}
}

// loadInline fills z from the feeder in the caller's goroutine: each batch
// is parsed and taken as soon as it is cut. sc is reused (nil: its own).
func loadInline(z *Zone, f *feeder, sc *scratch) {
	var t ttlState
	if sc == nil {
		sc = newScratch()
	}
	free := sc.free
	f.produce(func(b *batch) {
		parseBatch(b, z.Origin, &sc.buf, &sc.fast)
		close(b.done)
		z.collect(b, &t)
		select {
		case free <- b:
		default:
		}
	}, free)
	// The batch kept for the next zone keeps nothing of this one (its
	// jobs point into the zone's RRsets).
	select {
	case b := <-free:
		clear(b.jobs)
		b.jobs = b.jobs[:0]
		free <- b
	default:
	}
	if f.err != nil {
		z.truncated = true
	}
}

// collect takes a parsed batch's records into z.
func (z *Zone) collect(b *batch, t *ttlState) {
	for i := range b.jobs {
		j := &b.jobs[i]
		if !z.take(b, j, t) {
			z.markUnread(b, j)
		}
	}
}

// loadPipelined fills z from the feeder.
func loadPipelined(z *Zone, f *feeder) {
	work1 := make(chan *batch, 4)
	order := make(chan *batch, 8)
	free := make(chan *batch, 16)
	// The collector reads every batch (a broken line does not stop the
	// file), so the sends need no way out.
	go func() {
		defer close(order)
		defer close(work1)
		f.produce(func(b *batch) {
			order <- b
			work1 <- b
		}, free)
	}()
	z.idx.ready() // the workers read its seed
	seed := z.idx.seed
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(work1, z.Origin, seed)
		}()
	}
	var t ttlState
	for b := range order {
		<-b.done
		z.collect(b, &t)
		select {
		case free <- b:
		default:
		}
	}
	wg.Wait()
	if f.err != nil {
		z.truncated = true // a read error: the rest of the file is unknown
	}
}

// ownerToken is the owner a record line starts with, as written (up to
// a blank, a newline or a parenthesis; an escaped one is part of it).
func ownerToken(line []byte) []byte {
	k := 0
	for k < len(line) && line[k] != ' ' && line[k] != '\t' && line[k] != '\n' && line[k] != '(' {
		if line[k] == '\\' {
			k++
		}
		k++
	}
	return line[:min(k, len(line))]
}

// writtenOwner is the owner of a record line as BIND's loader tells one
// owner's run of lines from the next: absolute, its letters' case kept
// (x then X starts a new run); a blank owner is the previous one's
// (the caller keeps it). It is appended to dst.
func writtenOwner(dst, line []byte, origin string) []byte {
	tok := ownerToken(line)
	switch {
	case string(tok) == "@":
		return append(dst, origin...)
	case len(tok) > 0 && tok[len(tok)-1] == '.' && (len(tok) < 2 || tok[len(tok)-2] != '\\'):
		return append(dst, tok...)
	case origin == ".":
		return append(append(dst, tok...), '.')
	}
	return append(append(append(dst, tok...), '.'), origin...)
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

// ttlState is what BIND's TTL rules remember from record to record.
type ttlState struct {
	last uint32
	set  bool
}

// take adds the record of a parsed job to z, or reports why it cannot; false
// when the record could not be read (it is not in the zone).
func (z *Zone) take(b *batch, j *job, t *ttlState) bool {
	m := &j.m
	switch {
	case j.newRun:
		z.runStart(b, j)
	case j.fileRun:
		z.endRuns()
	}
	pos := Pos{File: m.file, Line: m.line}
	if j.perr != nil {
		// A line we found wrong ourselves: our message is the better one.
		if m.skip && len(m.problems) > 0 {
			for _, p := range m.problems {
				z.problem(m.placed(p, pos))
			}
		} else {
			z.problem(*j.perr)
		}
		return false
	}
	var ttl uint32
	// TTL the way BIND does it.
	switch {
	case m.hasTTL:
		ttl = m.ttl
		if !m.hasDefault {
			t.last, t.set = m.ttl, true
		}
	case m.hasDefault:
		ttl = m.defTTL
	case t.set:
		ttl = t.last
	case m.defBad:
		// A $TTL was written, and is an error at its line: the records
		// it was for are kept (at the SOA's MINTTL, else 0), not each
		// said to have no TTL, nor dropped (an apex then without NS).
		ttl = j.minttl
		if j.rrtype == dns.TypeSOA {
			t.last, t.set = j.minttl, true
		}
	default:
		if j.rrtype != dns.TypeSOA {
			z.problem(Problem{pos, Error, "no TTL specified"})
			return false
		}
		ttl = j.minttl
		t.last, t.set = j.minttl, true
		z.problem(Problem{pos, Warning, "no TTL specified; using SOA MINTTL instead"})
	}
	if j.class != dns.ClassINET {
		z.problem(Problem{pos, Error, "class " + dns.Class(j.class).String() + " does not match zone class IN"})
		return false
	}
	if j.empty {
		z.problem(Problem{pos, Error, fmt.Sprintf("%s record has no data", TypeName(j.rrtype))})
		return false
	}
	for _, p := range m.problems {
		z.problem(m.placed(p, pos))
	}
	if m.skip {
		return false
	}
	if j.err != "" {
		z.problem(Problem{m.fieldPos(b.buf[j.tstart:j.tend], j.errAt, pos), Error, j.err})
		return false
	}
	if !inZone(z.Origin, j.name) {
		z.outOfZone(j.name, j.rrtype)
		z.problem(Problem{pos, Warning, outOfZoneHead + fmt.Sprintf("(%s): it is not below %s: no plan or push sends it; move it to the file of the zone it belongs to, or delete it", j.name, z.Origin)})
		return true
	}
	run := &z.inRun
	switch {
	case j.gen:
		run = nil
	case z.glue:
		run = &z.inGlue
	case j.rrtype == dns.TypeNS:
		// The run's delegation: a name it names is glue (runStart).
		if target, _, err := dns.UnpackDomainName([]byte(j.rdata), 0); err == nil {
			z.runNS = append(z.runNS, target)
		}
	}
	added := false
	if j.set != nil {
		added = z.addSet1(j.hash, j.set, j.name, j.rrtype, j.class, ttl, j.rdata, pos, run)
	} else {
		added = z.addPacked(j.name, j.rrtype, j.class, ttl, j.rdata, pos, run)
	}
	switch lines := m.fieldLines(b.buf[j.tstart:j.tend]); {
	case !added:
		z.problem(Problem{pos, Warning, "duplicate record ignored: " + strings.Join(strings.Fields(string(b.buf[j.tstart:j.tend])), " ")})
	case lines != nil:
		if z.fieldLines == nil {
			z.fieldLines = map[Pos][]int32{}
		}
		z.fieldLines[pos] = lines
	}
	return true
}

// runStart begins the run of lines of job j's owner as BIND's loader
// does (master.c): the run of a delegation's glue (a name that an NS
// record of the current run names, compared case-insensitively: is_glue)
// is a list of its own, after which a line of the current run's owner
// (compared as written) goes on with that run; any other owner, or a
// file begun or ended ($INCLUDE), starts a new one.
func (z *Zone) runStart(b *batch, j *job) {
	glue := z.glue
	z.glue, z.inGlue = false, z.inGlue[:0]
	written := writtenOwner(z.runWritten[:0], b.buf[j.bstart:j.tend], j.origin)
	z.runWritten = written
	switch {
	case j.fileRun:
	case glue && bytes.Equal(written, z.runOwner):
		return
	case j.name != "" && slices.ContainsFunc(z.runNS, func(n string) bool { return strings.EqualFold(n, j.name) }):
		z.glue = true
		return
	}
	z.runOwner, z.runWritten = written, z.runOwner
	z.endRuns()
}

// endRuns ends the runs of lines open (all loaded: BIND's commit), as an
// $INCLUDE does when its file begins and when it ends.
func (z *Zone) endRuns() {
	z.glue = false
	z.inRun, z.inGlue, z.runNS = z.inRun[:0], z.inGlue[:0], z.runNS[:0]
}

// markUnread remembers the owner of a record that could not be read, so
// that the zone-wide checks, which still run, do not blame its absence on
// other records (a broken SOA line is not also "no SOA").
func (z *Zone) markUnread(b *batch, j *job) {
	owner := j.name
	if owner == "" {
		text := b.buf[j.bstart:j.tend]
		if j.tstart > j.bstart {
			// A blank owner: produce wrote the previous owner, absolute.
			owner = string(b.buf[j.bstart:j.tstart])
		} else if s, e := nextTok(text, 0); s < e {
			if n, ok := absName(string(text[s:e]), j.origin); ok {
				owner = n
			}
		}
	}
	if owner == "" {
		return
	}
	if z.unread == nil {
		z.unread = map[string]bool{}
	}
	z.unread[CanonicalName(owner)] = true
}
