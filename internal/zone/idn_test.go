package zone

import (
	"slices"
	"strings"
	"testing"
)

// idnHead starts each zone of TestIDNWrittenInUnicode: its SOA at line 2,
// the records under test from line 4.
const idnHead = "$TTL 300\n@ SOA ns1.example.org. h.example.org. 1 2 3 4 5\n@ NS ns1.example.org.\n"

// TestIDNWrittenInUnicode: a name written as Unicode text (an editor's
// UTF-8, "bücher") is a name no resolver is asked for; check warns at its
// line with the A-label to write: the zone's own name once (at its SOA),
// an owner below it, a target. The zone's name is not said again at each
// name below it, and a DNS-SD instance name (a blank: no IDNA name) and
// names already in A-labels pass. Before: only check-names' "not a host
// name" on A/AAAA owners, nothing on a TXT owner, a CNAME target or the
// zone's name, and no word of the name to write.
func TestIDNWrittenInUnicode(t *testing.T) {
	head := idnHead
	for _, tc := range []struct {
		name, origin, text string
		want               []string // warnings mentioning Unicode, as prefixes
	}{
		{"origin", "bücher.example.", head + "www A 192.0.2.1\n_dmarc TXT \"v=DMARC1; p=none\"\n",
			[]string{`f.zone:2: the zone's name b\195\188cher.example. (bücher.example.) is written in Unicode`}},
		{"owner", "example.org.", head + "café TXT \"x\"\nwww.münchen A 192.0.2.1\n",
			[]string{`f.zone:4: caf\195\169.example.org. (café.example.org.): the name is written in Unicode`,
				`f.zone:5: www.m\195\188nchen.example.org. (www.münchen.example.org.): the name is written in Unicode`}},
		{"targets", "example.org.", head + "www CNAME straße.example.net.\n@ MX 10 mäil\nmäil A 192.0.2.1\n_x._tcp SRV 0 0 1 bücher.example.\n",
			[]string{`f.zone:4: www.example.org. CNAME: the target stra\195\159e.example.net. (straße.example.net.) is written in Unicode`,
				`f.zone:5: example.org. MX: the target m\195\164il.example.org. (mäil.example.org.) is written in Unicode`,
				`f.zone:6: m\195\164il.example.org. (mäil.example.org.): the name is written in Unicode`,
				`f.zone:7: _x._tcp.example.org. SRV: the target b\195\188cher.example. (bücher.example.) is written in Unicode`}},
		{"fine", "example.org.", head + "xn--bcher-kva A 192.0.2.1\nBüro\\032Drucker._ipp._tcp TXT \"x\"\nBüro._ipp._tcp TXT \"x\"\nDrucker-Büro._printer._udp TXT \"x\"\nwww CNAME xn--caf-dma.example.net.\n", nil},
	} {
		var got []string
		for _, p := range unicodeProblems(t, tc.origin, tc.text) {
			got = append(got, p.String())
			if p.Severity != Warning {
				t.Errorf("%s: %s is not a warning (BIND loads the name as written)", tc.name, p)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d Unicode warnings %q, want %d", tc.name, len(got), got, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if !strings.HasPrefix(got[i], w) {
				t.Errorf("%s: %q, want it to start %q", tc.name, got[i], w)
			}
		}
		if slices.ContainsFunc(got, func(s string) bool {
			_, fix, ok := strings.Cut(s, "; write ")
			if !ok {
				_, fix, _ = strings.Cut(s, "; name the zone ")
			}
			return !strings.Contains(fix, "xn--")
		}) {
			t.Errorf("%s: a warning without the A-label to write: %q", tc.name, got)
		}
	}
}

// TestIDNNameToWrite: the name a Unicode warning says to write is one
// absolute name, in the root zone too (it ended "..": the owner's
// A-labels, absolute there already, joined to the origin ".").
func TestIDNNameToWrite(t *testing.T) {
	for _, tc := range []struct {
		origin, text, want string
	}{
		{".", "$TTL 300\n. SOA a.root-servers.net. h.example. 1 2 3 4 5\n. NS a.root-servers.net.\nbücher. TXT \"x\"\n", "; write xn--bcher-kva."},
		{".", "$TTL 300\n. SOA a.root-servers.net. h.example. 1 2 3 4 5\n. NS a.root-servers.net.\nwww.münchen. A 192.0.2.1\n", "; write www.xn--mnchen-3ya."},
		{".", "$TTL 300\n. SOA a.root-servers.net. h.example. 1 2 3 4 5\n. NS a.root-servers.net.\nexample. NS straße.example.net.\n", "; write xn--strae-oqa.example.net."},
		{"example.org.", idnHead + "café TXT \"x\"\n", "; write xn--caf-dma.example.org."},
	} {
		var got []string
		for _, p := range unicodeProblems(t, tc.origin, tc.text) {
			got = append(got, p.Message)
		}
		if len(got) != 1 || !strings.HasSuffix(got[0], tc.want) {
			t.Errorf("%s %q: %q, want one warning ending %q", tc.origin, tc.text, got, tc.want)
		}
	}
}

// unicodeProblems are check's problems of the zone text (file f.zone, at
// origin) that say a name is written in Unicode.
func unicodeProblems(t *testing.T, origin, text string) []Problem {
	t.Helper()
	z, err := Parse(strings.NewReader(text), "f.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []Problem
	for _, p := range Check(z) {
		if strings.Contains(p.Message, "Unicode") {
			out = append(out, p)
		}
	}
	return out
}
