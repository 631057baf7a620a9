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

	dnstap "github.com/dnstap/golang-dnstap"
	"github.com/miekg/dns"
	"google.golang.org/protobuf/proto"
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

// readDnstap reads the query messages of a dnstap file (AUTH_QUERY,
// CLIENT_QUERY, RESOLVER_QUERY, …): responses are left out, so that a
// log of both counts each query once.
func readDnstap(r io.Reader, add func(Question)) error {
	fr, err := dnstap.NewReader(r, nil)
	if err != nil {
		return fmt.Errorf("not a dnstap file: %w", err)
	}
	dec := dnstap.NewDecoder(fr, 1<<16)
	var d dnstap.Dnstap
	var m dns.Msg
	for n := 1; ; n++ {
		proto.Reset(&d)
		if err := dec.Decode(&d); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("dnstap frame %d: %w", n, err)
		}
		msg := d.GetMessage()
		if msg == nil || !strings.HasSuffix(msg.GetType().String(), "_QUERY") || len(msg.GetQueryMessage()) == 0 {
			continue
		}
		m = dns.Msg{}
		if err := m.Unpack(msg.GetQueryMessage()); err != nil || len(m.Question) != 1 {
			continue // a malformed query on the wire is not a question to replay
		}
		q := Question{Name: m.Question[0].Name, Type: m.Question[0].Qtype}
		if m.Question[0].Qclass != dns.ClassINET {
			continue
		}
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
