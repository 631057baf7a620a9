package config

import (
	"strings"
	"testing"
)

// TestSyntaxErrorLine: a YAML syntax error (wrong indentation, a tab, an
// unclosed bracket or quote, a stray colon) names the line where the file
// goes wrong, not the line where the enclosing mapping or list began
// (yaml.v3 reports that one, counted from 0: a user looking at it sees a
// correct line).
func TestSyntaxErrorLine(t *testing.T) {
	const base = "zones:\n" + // 1
		"  - name: example.com.\n" + // 2
		"    file: zones/example.com.zone\n" + // 3
		"providers:\n" + // 4
		"  old:\n" + // 5
		"    type: rfc2136\n" + // 6
		"    server: 127.0.0.1:53\n" + // 7
		"  new:\n" + // 8
		"    type: powerdns\n" + // 9
		"    url: http://127.0.0.1:8081\n" + // 10
		"    api_key_env: PDNS_API_KEY\n" + // 11
		"    nameservers: [127.0.0.2]\n" + // 12
		"registrar:\n" + // 13
		"  type: manual\n" // 14
	for _, tc := range []struct {
		name, from, to string
		line           string
	}{
		{"key indented less than its mapping", "    url:", "   url:", ":10: "},
		{"key indented less, under a list item", "    file:", "   file:", ":3: "},
		{"key indented more than its mapping", "    api_key_env:", "      api_key_env:", ":11: "},
		{"a list item out of line", "  - name: example.com.\n", "  - name: example.com.\n - name: x.\n", ":3: "},
		{"a tab for indentation", "    url:", "\turl:", ":10: "},
		{"a tab for indentation, then spaces", "    url:", "\t  url:", ":10: "},
		{"a tab before a list item", "  - name: example.com.", "\t- name: example.com.", ":2: "},
		{"a tab before a key at the top", "registrar:", "\tregistrar:", ":13: "},
		{"an unclosed flow list", "[127.0.0.2]", "[127.0.0.2", ":12: "},
		{"an unclosed quote", "url: http://127.0.0.1:8081", `url: "http://127.0.0.1:8081`, ":10: "},
		{"a second colon", "PDNS_API_KEY", "PDNS: API_KEY", ":11: "},
		{"a mapping key at the top indented", "registrar:", " registrar:", ":13: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(base, tc.from, tc.to, 1)
			if text == base {
				t.Fatalf("%q not in the base config", tc.from)
			}
			_, err := Parse([]byte(text), "dnsparity.yaml")
			if err == nil {
				t.Fatal("parsed")
			}
			if !strings.HasPrefix(err.Error(), "dnsparity.yaml"+tc.line) {
				t.Errorf("err = %v, want it at dnsparity.yaml%s", err, tc.line)
			}
			// A tab in the indentation is said as such, with what to do
			// (yaml.v3: "found character that cannot start any token").
			const tabs = "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces"
			if strings.Contains(tc.to, "\t") != strings.Contains(err.Error(), tabs) {
				t.Errorf("err = %v, want %q exactly when the line is indented with a tab", err, tabs)
			}
		})
	}
	if _, err := Parse([]byte(base), "dnsparity.yaml"); err != nil {
		t.Fatalf("the base config: %v", err)
	}
}
