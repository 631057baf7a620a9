package config

import (
	"strings"
	"testing"
)

// TestParseKindNamesKey: a value of the wrong kind (a word for a number,
// one address for a list, a list for a file) is an error naming the file,
// the line, the key it is the value of (in a flow mapping as on its own
// line) and how to write it; an unknown key with no close match names the
// keys allowed there. On the code before, the key was missing
// (`dnsparity.yaml:2: "thirty" is not a number`), a list for a string
// came as yaml's own words (`cannot unmarshal !!seq into string`), and an
// unknown key with no close match named nothing to write instead, and
// a quoted true or 300 was "not true or false", "not a number", and a
// zone entry without its "- " was "a mapping, not a list" alone, and a
// zone entry written as its name alone named no key to write.
func TestParseKindNamesKey(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"word for a number", "policy:\n  max_change_percent: thirty\n",
			[]string{`dnsparity.yaml:2: policy.max_change_percent: "thirty" is not a number (write it as digits, without a unit)`}},
		{"unit on seconds, flow mapping", "policy: {overlap: 1m, prestage_ttl: 5m}\n",
			[]string{`dnsparity.yaml:1: policy.prestage_ttl: "5m" is not a number (write it as digits, without a unit)`}},
		{"one address for a list", "providers:\n  old:\n    type: rfc2136\n    nameservers: 127.0.0.1\n",
			[]string{`dnsparity.yaml:4: providers.old.nameservers: "127.0.0.1" is not a list (write [A, B], or one "- A" line per item below the key)`}},
		{"long value shortened", "providers:\n  old:\n    type: rfc2136\n    nameservers: 127.53.210.1\n",
			[]string{`dnsparity.yaml:4: providers.old.nameservers: "127.53...." is not a list`}},
		{"words for a boolean", "providers:\n  old:\n    type: rfc2136\n    manage_apex: yes please\n",
			[]string{`dnsparity.yaml:4: providers.old.manage_apex: "yes please" is not true or false`}},
		{"list for a file", "zones:\n  - name: a.example.\n    file: [a.zone]\n",
			[]string{`dnsparity.yaml:3: zones[0].file: a list, not a string (write one value)`}},
		{"one zone without its dash", "zones:\n  name: a.example.\n  file: a.zone\n",
			[]string{`dnsparity.yaml:2: zones: a mapping, not a list (one "- " line per item below the key; an item of several keys: "- " before its first, the others indented as it)`}},
		{"a zone entry as a word", "zones:\n  - example.com.\n",
			[]string{`dnsparity.yaml:2: zones[0]: "example..." is not a mapping (key: value lines), its keys: file, files, name`}},
		{"quoted boolean", "providers:\n  old:\n    type: rfc2136\n    manage_apex: \"true\"\n",
			[]string{`dnsparity.yaml:4: providers.old.manage_apex: "true" is quoted, so a string, not true or false: write it without the quotes`}},
		{"quoted number", "policy:\n  prestage_ttl: '300'\n",
			[]string{`dnsparity.yaml:2: policy.prestage_ttl: "300" is quoted, so a string, not a number: write it without the quotes`}},
		// A value inside a zone entry written on one line (flow, or
		// on the "- " line) names its own key, not the list's or the
		// entry's ("zones: a list, not a string", "zones[0]: a
		// mapping ..."); two such values on one line, each its own.
		{"list for a name, flow entry", "zones: [{name: [a.example.], file: a.zone}]\n",
			[]string{`dnsparity.yaml:1: zones[0].name: a list, not a string (write one value)`}},
		{"list for a file, entry on the dash line", "zones:\n  - {name: a.example., file: [a.zone]}\n",
			[]string{`dnsparity.yaml:2: zones[0].file: a list, not a string (write one value)`}},
		{"mapping for a file, first key on the dash line", "zones:\n  - file: {a: 1}\n    name: a.example.\n",
			[]string{`dnsparity.yaml:2: zones[0].file: a mapping, not a string (write one value)`}},
		{"two lists in one entry", "zones:\n  - name: a.example.\n  - {name: [b.example.], file: [b.zone]}\n",
			[]string{`dnsparity.yaml:3: zones[1].name: a list, not a string`, `dnsparity.yaml:3: zones[1].file: a list, not a string`}},
		{"two words for numbers on one line", "policy: {prestage_ttl: x, max_change_percent: x}\n",
			[]string{`dnsparity.yaml:1: policy.prestage_ttl: "x" is not a number`, `dnsparity.yaml:1: policy.max_change_percent: "x" is not a number`}},
		{"unknown key, none close", "zones: []\nx: 1\n",
			[]string{`dnsparity.yaml:2: unknown key "x" (the keys here: cutover, parity, policy, providers, registrar, zones)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "dnsparity.yaml")
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v, want %q", err, w)
				}
			}
		})
	}
}
