package plan

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
)

func TestApexTTLChanges(t *testing.T) {
	const cur = "@ 3600 SOA prov-ns prov-host 41 3600 600 1209600 3600\n@ 3600 NS p1.example.net.\n@ 3600 NS p2.example.net.\nwww A 192.0.2.1\n"
	// The provider keeps a TTL per record and lists its apex NS with
	// two (one edited by hand), the first git's.
	const mixed = "@ 3600 SOA prov-ns prov-host 41 3600 600 1209600 3600\n@ 5 NS p1.example.net.\n@ 3600 NS p2.example.net.\nwww A 192.0.2.1\n"
	tests := []struct {
		name, git string
		cur       string // the provider's zone when not cur
		o         Options
		changes   string // summary of the changes
		explain   string // substrings of Explain, joined by |
		warn      string // substring of the warnings ("" none)
		unsafe    bool
		pct       float64
	}{
		{name: "same apex", git: "@ 3600 SOA ns1 h 1 3600 600 1209600 3600\n@ 3600 NS ns1\nwww A 192.0.2.1\n"},
		{name: "capped", git: "@ 5 SOA ns1 h 1 3600 600 1209600 5\n@ 5 NS ns1\nwww 5 A 192.0.2.1\n",
			changes: "~ example.com. NS|~ example.com. SOA|~ www.example.com. A",
			explain: "apex NS: TTL 3600 → 5 (the provider's names kept)|apex SOA: TTL 3600 → 5, minimum 3600 → 5 (serial 41 → 42"},
		{name: "timers only", git: "@ 3600 SOA ns1 h 1 7200 300 604800 3600\n@ 3600 NS ns1\nwww A 192.0.2.1\n",
			changes: "~ example.com. SOA", explain: "apex SOA: refresh 3600 → 7200, retry 600 → 300, expire 1209600 → 604800 (serial 41 → 42"},
		{name: "provider cannot", git: "@ 5 SOA ns1 h 1 3600 600 1209600 5\n@ 5 NS ns1\nwww A 192.0.2.1\n",
			o:    Options{Caps: provider.Capabilities{NoApexSOA: "set it in the dashboard", NoApexNSTTL: "ask support"}},
			warn: "example.com. NS: TTL 3600 at the provider, 5 in git: ask support|example.com. SOA: TTL 3600 → 5, minimum 3600 → 5: set it in the dashboard"},
		{name: "manage_apex: names and TTL", git: "@ 3600 SOA ns1 h 1 3600 600 1209600 3600\n@ 5 NS ns1\nwww A 192.0.2.1\n",
			o: Options{ManageApex: true}, changes: "~ example.com. NS", unsafe: true, pct: 50},
		{name: "manage_apex: TTL only", git: "@ 3600 SOA ns1 h 1 3600 600 1209600 3600\n@ 5 NS p1.example.net.\n@ 5 NS p2.example.net.\nwww A 192.0.2.1\n",
			o: Options{ManageApex: true}, changes: "~ example.com. NS", explain: "apex NS: TTL 3600 → 5"},
		{name: "mixed apex NS TTLs", cur: mixed, git: "@ 3600 SOA ns1 h 1 3600 600 1209600 3600\n@ 5 NS ns1\nwww A 192.0.2.1\n",
			changes: "~ example.com. NS", explain: "apex NS: TTLs 5, 3600 → 5 (the provider's names kept)"},
		{name: "mixed apex NS TTLs, provider cannot", cur: mixed, git: "@ 3600 SOA ns1 h 1 3600 600 1209600 3600\n@ 5 NS ns1\nwww A 192.0.2.1\n",
			o:    Options{Caps: provider.Capabilities{NoApexNSTTL: "ask support"}},
			warn: "example.com. NS: TTLs 5, 3600 at the provider, 5 in git: ask support"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, d := parse(t, cur), parse(t, tt.git)
			if tt.cur != "" {
				c = parse(t, tt.cur)
			}
			p := Compute(d, c, tt.o)
			if got := strings.Join(summary(p), "|"); got != tt.changes {
				t.Errorf("changes %q, want %q", got, tt.changes)
			}
			var ex []string
			for _, ch := range p.Changes {
				if x := Explain(p.Zone, ch); x != "" {
					ex = append(ex, x)
				}
			}
			for _, want := range strings.Split(tt.explain, "|") {
				if !strings.Contains(strings.Join(ex, "|"), want) {
					t.Errorf("explain %q, want %q", ex, want)
				}
			}
			if tt.explain == "" && len(ex) != 0 {
				t.Errorf("explain %q, want none", ex)
			}
			if got := strings.Join(p.Warnings, "|"); got != tt.warn {
				t.Errorf("warnings %q, want %q", got, tt.warn)
			}
			if u := p.Unsafe(Policy{}); (len(u) != 0) != tt.unsafe {
				t.Errorf("unsafe with max_change_percent 0: %q, want %v", u, tt.unsafe)
			}
			if p.Percent() != tt.pct {
				t.Errorf("percent %v, want %v", p.Percent(), tt.pct)
			}
			// applying the plan's new RRsets makes the next plan empty
			for _, ch := range p.Changes {
				c.AddSet(ch.New)
			}
			if again := Compute(d, c, tt.o); !again.Empty() {
				t.Errorf("second plan %v", again.Changes)
			}
		})
	}
}

// TestApexChangesPointAtGit: the apex SOA and NS changes that carry
// git's TTL and timers point at git's records (FILE:LINE in the plan), as
// every other change does: the SOA's pointed at the provider's copy,
// which has no line, so the plan showed "~ example.com. SOA" alone.
func TestApexChangesPointAtGit(t *testing.T) {
	c := parse(t, "@ 3600 SOA prov-ns prov-host 41 3600 600 1209600 3600\n@ 3600 NS p1.example.net.\n")
	d := parse(t, "; git's copy\n;\n@ 5 SOA ns1 h 1 3600 600 1209600 5\n@ 5 NS ns1\n")
	p := Compute(d, c, Options{})
	want := map[string]int{"SOA": 5, "NS": 6}
	for _, ch := range p.Changes {
		typ := dns.TypeToString[ch.Type]
		if l, ok := want[typ]; ok {
			if got := ch.New.Pos().Line; got != l {
				t.Errorf("apex %s change points at line %d, want git's line %d", typ, got, l)
			}
			delete(want, typ)
		}
	}
	if len(want) > 0 {
		t.Errorf("no change of %v: %v", want, summary(p))
	}
}
