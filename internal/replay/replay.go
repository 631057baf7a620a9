// Package replay reads the questions of a query log, for parity to ask
// what real traffic asks: dnstap files (Frame Streams of dnstap protobuf
// messages, as BIND, Knot, PowerDNS and Unbound write them) and BIND's
// query-log text. Each logged query gives its question (the name as
// logged, case preserved) and, when the query carried an EDNS Client
// Subnet option, that subnet.
package replay

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"regexp"
	"strconv"
	"strings"

	framestream "github.com/farsightsec/golang-framestream"
	"github.com/miekg/dns"
	"google.golang.org/protobuf/encoding/protowire"
)

// Question is one logged question.
type Question struct {
	Name   string // fully qualified, as logged (case preserved)
	Type   uint16
	Subnet netip.Prefix // the query's ECS subnet; invalid when it had none
}

// Log is the distinct questions of a log that a filter kept.
type Log struct {
	// Questions are the distinct questions (name with its case, type,
	// subnet), in the order first logged, at most Max of them.
	Questions []Question
	// Logged counts the queries read that the filter kept (duplicates
	// included); Over the queries among them whose question was left out
	// past Max (counted per query, so that the memory stays bounded by
	// Max whatever the log's size).
	Logged, Over int
}

// Load reads the log at path (dnstap or BIND query-log text, told apart by
// their first bytes), keeps the questions whose name keep accepts (nil:
// all), de-duplicates them and keeps at most max distinct ones (0: no
// bound).
func Load(path string, keep func(name string) bool, max int) (*Log, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l := &Log{}
	seen := map[string]bool{}
	var key []byte
	add := func(q Question) {
		if keep != nil && !keep(q.Name) {
			return
		}
		l.Logged++
		key = append(key[:0], q.Name...)
		key = strconv.AppendUint(append(key, ' '), uint64(q.Type), 10)
		if q.Subnet.IsValid() {
			key = append(append(key, ' '), q.Subnet.String()...)
		}
		if seen[string(key)] {
			return
		}
		if max > 0 && len(l.Questions) >= max {
			l.Over++
			return
		}
		seen[string(key)] = true
		l.Questions = append(l.Questions, q)
	}
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(4)
	if len(head) == 4 && bytes.Equal(head, []byte{0, 0, 0, 0}) {
		// A Frame Streams file starts with a control frame, whose
		// length field is the escape 0.
		err = readDnstap(br, add)
	} else {
		err = readQueryLog(br, add)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// dnstapContentType is the Frame Streams content type of dnstap.
var dnstapContentType = []byte("protobuf:dnstap.Dnstap")

// readDnstap reads the query messages of a dnstap file (AUTH_QUERY,
// CLIENT_QUERY, RESOLVER_QUERY, …): responses are left out, so that a
// log of both counts each query once.
//
// Frames are read with golang-framestream; each frame's dnstap message
// is read with protowire (the protobuf wire format) for the few fields
// used here, not through golang-dnstap's generated code: linking the
// protobuf runtime keeps, through its reflection, every exported method
// of the cloud SDKs' types and triples the binary (35 → 106 MB). The tests
// write their dnstap files with golang-dnstap's own encoder.
func readDnstap(r io.Reader, add func(Question)) error {
	fr, err := framestream.NewReader(r, &framestream.ReaderOptions{ContentTypes: [][]byte{dnstapContentType}})
	if err != nil {
		return fmt.Errorf("not a dnstap file: %w", err)
	}
	buf := make([]byte, 1<<16)
	var m dns.Msg
	for n := 1; ; n++ {
		size, err := fr.ReadFrame(buf)
		switch {
		case errors.Is(err, framestream.ErrDataFrameTooLarge):
			continue // not a DNS message of ours (64 KiB at most)
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return fmt.Errorf("dnstap frame %d: %w", n, err)
		}
		typ, wire, err := dnstapQuery(buf[:size])
		if err != nil {
			return fmt.Errorf("dnstap frame %d: %w", n, err)
		}
		if typ%2 != 1 || len(wire) == 0 {
			continue // a response (even types), or no query message
		}
		m = dns.Msg{}
		if err := m.Unpack(wire); err != nil || m.Opcode != dns.OpcodeQuery || len(m.Question) != 1 || m.Question[0].Qclass != dns.ClassINET {
			continue // a malformed query (or an UPDATE) is not a question to replay
		}
		q := Question{Name: m.Question[0].Name, Type: m.Question[0].Qtype}
		if opt := m.IsEdns0(); opt != nil {
			for _, o := range opt.Option {
				if e, ok := o.(*dns.EDNS0_SUBNET); ok {
					q.Subnet = subnetOf(e.Address, e.SourceNetmask)
				}
			}
		}
		add(q)
	}
}

// Field numbers of dnstap.proto: Dnstap.message (14), Message.type (1),
// Message.query_message (10). Message types: odd numbers are queries
// (AUTH_QUERY 1, RESOLVER_QUERY 3, CLIENT_QUERY 5, …), even ones
// responses.
const (
	dnstapMessage    = 14
	messageType      = 1
	messageQueryWire = 10
	dnstapTypeAbsent = 0
)

// dnstapQuery reads a Dnstap protobuf message: the type of its Message
// and the query message's wire bytes (nil when absent).
func dnstapQuery(b []byte) (typ uint64, wire []byte, err error) {
	var msg []byte
	if err := fields(b, func(num protowire.Number, t protowire.Type, v []byte, u uint64) {
		if num == dnstapMessage && t == protowire.BytesType {
			msg = v
		}
	}); err != nil {
		return 0, nil, err
	}
	if msg == nil {
		return dnstapTypeAbsent, nil, nil
	}
	err = fields(msg, func(num protowire.Number, t protowire.Type, v []byte, u uint64) {
		switch {
		case num == messageType && t == protowire.VarintType:
			typ = u
		case num == messageQueryWire && t == protowire.BytesType:
			wire = v
		}
	})
	return typ, wire, err
}

// fields calls f for each field of a protobuf message: its number, wire
// type, and value (bytes for length-delimited fields, the number for
// varints); other wire types are skipped.
func fields(b []byte, f func(protowire.Number, protowire.Type, []byte, uint64)) error {
	for len(b) > 0 {
		num, t, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("bad protobuf: %w", protowire.ParseError(n))
		}
		b = b[n:]
		switch t {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return fmt.Errorf("bad protobuf: %w", protowire.ParseError(n))
			}
			f(num, t, nil, v)
			b = b[n:]
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return fmt.Errorf("bad protobuf: %w", protowire.ParseError(n))
			}
			f(num, t, v, 0)
			b = b[n:]
		default:
			n := protowire.ConsumeFieldValue(num, t, b)
			if n < 0 {
				return fmt.Errorf("bad protobuf: %w", protowire.ParseError(n))
			}
			b = b[n:]
		}
	}
	return nil
}

func subnetOf(ip []byte, bits uint8) netip.Prefix {
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return netip.Prefix{}
	}
	p, err := a.Unmap().Prefix(int(bits))
	if err != nil {
		return netip.Prefix{}
	}
	return p
}

// queryLine is BIND's query log entry: "query: NAME CLASS TYPE FLAGS
// (SERVER-ADDRESS)", with " [ECS ADDRESS/SOURCE/SCOPE]" after it when the
// query carried a client subnet.
var (
	queryLine = regexp.MustCompile(`\bquery: (\S+) (\S+) (\S+) \S*`)
	ecsField  = regexp.MustCompile(`\[ECS ([0-9A-Fa-f:.]+)/(\d+)/\d+\]`)
)

// readQueryLog reads BIND query-log text (querylog yes, or a file channel
// of category queries): every line with "query: "; other lines are
// skipped. A query line that does not parse is an error naming its line.
func readQueryLog(r io.Reader, add func(Question)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line, queries := 0, 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 && !isText(text) {
			return errors.New("neither a dnstap file nor BIND query-log text")
		}
		if !strings.Contains(text, "query: ") {
			continue
		}
		m := queryLine.FindStringSubmatch(text)
		if m == nil {
			return fmt.Errorf("line %d: a query line that does not read as BIND's \"query: NAME CLASS TYPE FLAGS\"", line)
		}
		if m[2] != "IN" {
			continue
		}
		t, ok := dns.StringToType[m[3]]
		if !ok && strings.HasPrefix(m[3], "TYPE") {
			n, err := strconv.ParseUint(m[3][4:], 10, 16)
			t, ok = uint16(n), err == nil
		}
		if !ok {
			return fmt.Errorf("line %d: unknown query type %q", line, m[3])
		}
		name := dns.Fqdn(m[1])
		if _, ok := dns.IsDomainName(name); !ok {
			return fmt.Errorf("line %d: %q is not a domain name", line, m[1])
		}
		q := Question{Name: name, Type: t}
		if e := ecsField.FindStringSubmatch(text); e != nil {
			a, err := netip.ParseAddr(e[1])
			bits, berr := strconv.Atoi(e[2])
			if err != nil || berr != nil {
				return fmt.Errorf("line %d: bad ECS field %q", line, e[0])
			}
			if p, err := a.Unmap().Prefix(bits); err == nil {
				q.Subnet = p
			}
		}
		queries++
		add(q)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", line+1, err)
	}
	if line > 0 && queries == 0 {
		return errors.New("no query lines (BIND query-log text has \"query: NAME IN TYPE\"; a dnstap file starts with a Frame Streams control frame)")
	}
	return nil
}

// isText reports whether a line looks like text (no control characters
// but tab).
func isText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
