package query

import (
	"encoding/binary"
	"fmt"

	"github.com/miekg/dns"
)

// PackQuery packs a query with RD=0 and EDNS0 (1232 octets), ID 0.
func PackQuery(name string, t uint16) ([]byte, error) {
	return AppendQuery(nil, name, t)
}

// ednsSize is the EDNS0 UDP payload size of every query (DNS flag day 2020).
const ednsSize = 1232

// AppendQuery packs a query for (name, t) into buf[:0] (grown when too
// small): ID 0, opcode QUERY, RD=0, one question of class IN and an OPT
// record with a 1232-octet UDP size, DO=0, no options; the bytes
// (*dns.Msg).Pack gives for SetQuestion, RecursionDesired = false and
// SetEdns0(1232, false), without building a message.
func AppendQuery(buf []byte, name string, t uint16) ([]byte, error) {
	return AppendQueryOpt(buf, name, t, nil)
}

// AppendQueryOpt is AppendQuery with EDNS options (packed option code,
// length and data, as appendOptions makes them) in the OPT record.
func AppendQueryOpt(buf []byte, name string, t uint16, opts []byte) ([]byte, error) {
	max := 12 + 255 + 4 + 11 + len(opts)
	if cap(buf) < max {
		buf = make([]byte, max)
	}
	buf = buf[:max]
	clear(buf[:12])
	binary.BigEndian.PutUint16(buf[4:], 1)  // QDCOUNT
	binary.BigEndian.PutUint16(buf[10:], 1) // ARCOUNT: the OPT record
	off, err := dns.PackDomainName(dns.Fqdn(name), buf, 12, nil, false)
	if err != nil {
		return nil, fmt.Errorf("pack query %s %s: %w", name, dns.Type(t), err)
	}
	buf = buf[:off+4+11]
	binary.BigEndian.PutUint16(buf[off:], t)
	binary.BigEndian.PutUint16(buf[off+2:], dns.ClassINET)
	opt := buf[off+4:]
	opt[0] = 0 // root owner
	binary.BigEndian.PutUint16(opt[1:], dns.TypeOPT)
	binary.BigEndian.PutUint16(opt[3:], ednsSize)
	clear(opt[5:]) // extended rcode, version, DO and Z; RDLENGTH
	binary.BigEndian.PutUint16(opt[9:], uint16(len(opts)))
	return append(buf, opts...), nil
}

// sameQuestion compares the question section of a response with the query
// (names case-insensitively).
// isResponse reports whether a message has the QR bit: a query (an echo,
// a reflection) is never taken for the answer.
func isResponse(msg []byte) bool { return len(msg) > 2 && msg[2]&0x80 != 0 }

func sameQuestion(resp, q []byte) bool {
	// Both start the question at offset 12; the query's name is not
	// compressed, a response's question name is not either in practice.
	end := 12
	for end < len(q) && q[end] != 0 {
		end += int(q[end]) + 1
	}
	name := end // the root label
	end += 5    // root label, type, class
	if end > len(q) || end > len(resp) {
		return false
	}
	// The name's octets case-insensitively (label lengths are below 64,
	// never a letter); the type and class exactly: HTTPS (0x0041) is not
	// type 97 (0x0061).
	for i := 12; i < name; i++ {
		a, b := resp[i], q[i]
		if a != b && fold(a) != fold(b) {
			return false
		}
	}
	return string(resp[name:end]) == string(q[name:end])
}

// truncated reports whether a response has the TC bit in its header:
// what resolvers read to ask again over TCP, whatever follows (a message
// cut in the middle of a record, RFC 1035 §4.2.1, does not unpack).
func truncated(msg []byte) bool { return len(msg) > 2 && msg[2]&0x02 != 0 }

func fold(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
