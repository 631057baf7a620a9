package query

import (
	"context"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// caseServer answers every question with one TXT record at the question
// name, writing the letters of the question it echoes and of the record's
// owner in random case (as a server or a front end that applies 0x20
// randomisation to its own answers would), on the wire: the octets of
// escaped dots and of bytes outside ASCII are untouched.
func caseServer(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	random := func(name string) string {
		b := []byte(name)
		for i, c := range b {
			if c >= 'a' && c <= 'z' && rand.IntN(2) == 0 {
				b[i] = c - 'a' + 'A'
			}
		}
		return string(b)
	}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		m.Question[0].Name = random(r.Question[0].Name)
		m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: random(r.Question[0].Name), Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60}, Txt: []string{"x"}})
		_ = w.WriteMsg(m)
	})
	s := &dns.Server{PacketConn: pc, Handler: h}
	go func() { _ = s.ActivateAndServe() }()
	t.Cleanup(func() { _ = s.Shutdown() })
	return pc.LocalAddr().String()
}

// TestOddNamesAnswered: questions at owner names of odd form (escaped
// dots, spaces, '@', octets outside ASCII, a name of 255 octets) get their
// answer from a server that writes the names in random case, on the
// batched path and in Exchange; each answer's owner is the question's
// name in the one canonical form.
func TestOddNamesAnswered(t *testing.T) {
	l63 := "l23456789012345678901234567890123456789012345678901234567890123"
	names := []string{
		`a\.b.example.com.`, `sp\ ace.example.com.`, `at\@sign.example.com.`, `paren\(.example.com.`,
		`quote\".example.com.`, `hi\128\255.example.com.`, "mixed.example.com.", "a.*.example.com.",
		"_dmarc.example.com.", l63 + "." + l63 + "." + l63 + "." + "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm.example.com.",
	}
	c := &Client{Server: &Server{Label: "old", Addr: caseServer(t)}, Timeout: time.Second, Retries: 2, Batch: true}
	var qs []Question
	for _, n := range names {
		qs = append(qs, Question{Name: n, Type: dns.TypeTXT})
	}
	ctx := context.Background()
	for i, a := range c.AskEach(ctx, qs, 4) {
		if a.Err != "" || len(a.Answer) != 1 || a.Answer[0].Name != names[i] {
			t.Errorf("%s: %s (err %q)", names[i], a.Text(), a.Err)
		}
	}
	for _, n := range names {
		if a := c.Exchange(ctx, n, dns.TypeTXT); a.Err != "" || len(a.Answer) != 1 || a.Answer[0].Name != n {
			t.Errorf("Exchange %s: %s (err %q)", n, a.Text(), a.Err)
		}
	}
}

// TestSameQuestionOddNames: a response's question matches the query's
// when its name differs in the case of ASCII letters only; an escaped dot,
// an octet outside ASCII or the type differing is another question.
func TestSameQuestionOddNames(t *testing.T) {
	pack := func(name string, typ uint16) []byte {
		b, err := PackQuery(name, typ)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range []struct {
		q, r   string
		qt, rt uint16
		same   bool
	}{
		{`a\.b.example.`, `A\.B.EXAMPLE.`, dns.TypeTXT, dns.TypeTXT, true},
		{`a\.b.example.`, "a.b.example.", dns.TypeTXT, dns.TypeTXT, false},
		{`hi\128.example.`, `HI\128.example.`, dns.TypeTXT, dns.TypeTXT, true},
		{`hi\128.example.`, `hi\160.example.`, dns.TypeTXT, dns.TypeTXT, false}, // 0x80 and 0xa0 differ by 0x20
		{`at\@.example.`, `at\096.example.`, dns.TypeTXT, dns.TypeTXT, false},   // '@' and '`' differ by 0x20
		{"www.example.", "WWW.example.", dns.TypeHTTPS, dns.TypeHTTPS, true},
		{"www.example.", "www.example.", dns.TypeHTTPS, 97, false}, // 0x0041 and 0x0061
	} {
		if got := sameQuestion(pack(c.r, c.rt), pack(c.q, c.qt)); got != c.same {
			t.Errorf("%s %d asked, %s %d answered: same %v, want %v", c.q, c.qt, c.r, c.rt, got, c.same)
		}
	}
}
