package cutover

import (
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
	"github.com/miekg/dns"
)

// TestStreak: a resolver counts as moved after need consecutive answers
// from the target; an answer from the other side after one from the
// target takes it back (named: several caches behind one address), no
// answer breaks the run, and its seconds are those of the first answer of
// the run that counted.
func TestStreak(t *testing.T) {
	start := time.Unix(1000, 0)
	for _, tt := range []struct {
		name    string
		answers string // one side a poll, a poll a second: n new, o old, u unknown
		need    int
		moved   bool
		seconds float64 // of the counted run's first answer
		detail  string  // in the detail after the last poll
		said    []string
	}{
		{"one answer is not a move", "n", 3, false, 0, "1 of 3 consecutive answers from new", nil},
		{"three in a row", "oonnn", 3, true, 2, "3 consecutive answers from new", []string{"r answers from new after 2.0 s (3 consecutive answers"}},
		{"stays moved", "nnnnn", 3, true, 0, "5 consecutive answers from new", []string{"r answers from new after 0.0 s"}},
		{"alternating never moves", "nonononon", 3, false, 0, "answered from new, then old again: several caches behind one address (4 times)",
			[]string{"r answered from new, then old again: several caches behind one address (1 time)"}},
		{"taken back after counting", "nnno", 3, false, 0, "answered from new, then old again: several caches behind one address (1 time); SOA old",
			[]string{"r answers from new after 0.0 s", "no longer counted as moved"}},
		{"moved again after the flap", "nnonnn", 3, true, 3, "answered from new, then old again: several caches behind one address (1 time) (3 consecutive answers",
			[]string{"r answered from new, then old again", "r answers from new after 3.0 s"}},
		{"no answer breaks the run", "nnunn", 3, false, 0, "2 of 3 consecutive answers from new", nil},
		{"no answer after counting", "nnnu", 3, false, 0, "timeout", []string{"r answers from new after 0.0 s", "r answered from neither side (timeout): no longer counted as moved until 3 consecutive answers from new"}},
		{"need 1: the first answer", "on", 1, true, 1, "1 consecutive answers from new", []string{"r answers from new after 1.0 s"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var st streak
			rw := ResolverWatch{Resolver: "r"}
			var said []string
			for i, a := range tt.answers {
				ans := map[rune][2]string{'n': {"new", "SOA new"}, 'o': {"old", "SOA old"}, 'u': {"unknown", "timeout"}}[a]
				if s := st.see(&rw, "new", ans[0], ans[1], tt.need, start, start.Add(time.Duration(i)*time.Second)); s != "" {
					said = append(said, s)
				}
			}
			if rw.Moved != tt.moved || rw.Seconds != tt.seconds || !strings.Contains(rw.Detail, tt.detail) {
				t.Errorf("after %s: moved %v, seconds %v, detail %q; want %v, %v, detail with %q", tt.answers, rw.Moved, rw.Seconds, rw.Detail, tt.moved, tt.seconds, tt.detail)
			}
			if len(said) != len(tt.said) {
				t.Fatalf("progress %q, want %d lines like %q", said, len(tt.said), tt.said)
			}
			for i := range said {
				if !strings.Contains(said[i], tt.said[i]) {
					t.Errorf("progress line %d %q, want it to say %q", i, said[i], tt.said[i])
				}
			}
		})
	}
}

// TestClassifierByNS: a resolver's apex NS answer is read as the sides'
// fingerprints are (apexNSIn): the apex's names only, folded and sorted,
// so that a set served in another order or case is still its side's.
func TestClassifierByNS(t *testing.T) {
	cl := &classifier{old: fingerprint{ns: "a.old.example. b.old.example."}, new: fingerprint{ns: "a.new.example."}}
	answer := func(rcode int, rrs ...string) *dns.Msg {
		m := new(dns.Msg)
		m.Rcode, m.Answer = rcode, transfertest.RRs(t, rrs...)
		return m
	}
	for _, tt := range []struct {
		name         string
		r            *dns.Msg
		side, detail string
	}{
		{"unsorted, upper case", answer(dns.RcodeSuccess, "EXAMPLE.TEST. 60 NS B.old.example.", "example.test. 60 NS a.OLD.example."), "old", "apex NS a.old.example. b.old.example."},
		{"another owner's NS left out", answer(dns.RcodeSuccess, "example.test. 60 NS a.new.example.", "sub.example.test. 60 NS b.old.example."), "new", "apex NS a.new.example."},
		{"neither side's", answer(dns.RcodeSuccess, "example.test. 60 NS a.old.example."), "unknown", `apex NS "a.old.example." is neither side's`},
		{"no apex NS", answer(dns.RcodeServerFailure), "unknown", "no apex NS in the answer (rcode SERVFAIL)"},
	} {
		side, detail := cl.byNS(tt.r, "example.test.")
		if side != tt.side || detail != tt.detail {
			t.Errorf("%s: byNS = %s (%s), want %s (%s)", tt.name, side, detail, tt.side, tt.detail)
		}
	}
}
