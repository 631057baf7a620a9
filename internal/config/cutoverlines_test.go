package config

import (
	"strings"
	"testing"
)

// TestCutoverErrorsNameTheLine: what a config lacks for a cutover step is
// said before anything is read or asked, each as FILE:LINE: (a missing
// key on its block's line, else line 1), every one in one error; an
// unknown zone or provider names the line of zones: or providers: (line
// 1 when the file has none).
func TestCutoverErrorsNameTheLine(t *testing.T) {
	const zones = "zones:\n  - {name: a.test., file: a.zone}\n" // lines 1-2
	const sides = "providers:\n" +                              // 3
		"  old:\n    type: rfc2136\n    nameservers: [192.0.2.1]\n" + // 4-6
		"  new:\n    type: rfc2136\n    nameservers: [192.0.2.2]\n" // 7-9
	for _, tc := range []struct {
		name, yaml string
		registrar  bool     // a step that changes the delegation
		want       []string // FILE:LINE: and a part of the message, each
	}{
		{"no cutover: section", zones + sides, false, []string{"dnsparity.yaml:1: cutover.parent_servers"}},
		{"no registrar: section, status", zones + sides + "cutover:\n  resolvers: [192.0.2.54]\n", false, nil},
		{"no registrar: section, flip", zones + sides + "cutover:\n  resolvers: [192.0.2.54]\n", true, []string{"dnsparity.yaml:1: registrar: not configured"}},
		{"a manual registrar with resolvers only", zones + sides + "registrar: {type: manual}\ncutover:\n  resolvers: [192.0.2.54]\n", true, []string{"dnsparity.yaml:11: cutover.parent_servers is required with registrar type manual"}},
		{"a manual registrar with resolvers only, status", zones + sides + "registrar: {type: manual}\ncutover:\n  resolvers: [192.0.2.54]\n", false, nil},
		{"a cutover: section without servers", zones + sides + "cutover:\n  state_dir: trail\n", false, []string{"dnsparity.yaml:10: cutover.parent_servers"}},
		{"parent servers given", zones + sides + "cutover:\n  parent_servers: [192.0.2.53]\n", true, []string{"dnsparity.yaml:1: registrar: not configured"}},
		{"resolvers given", zones + sides + "cutover:\n  resolvers: [192.0.2.54]\n", false, nil},
		{"no new side", zones + "providers:\n  old:\n    type: rfc2136\n    nameservers: [192.0.2.1]\ncutover:\n  resolvers: [192.0.2.54]\n", false,
			[]string{"dnsparity.yaml:3: providers.new is required"}},
		{"no providers at all", zones + "cutover:\n  resolvers: [192.0.2.54]\n", false,
			[]string{"dnsparity.yaml:1: providers.old is required", "dnsparity.yaml:1: providers.new is required"}},
		{"nameservers missing, a name, a bad delegation", zones + "providers:\n  old:\n    type: rfc2136\n  new:\n    type: rfc2136\n    nameservers:\n      - 192.0.2.2\n      - ns2.example.net\n    delegation: [ns1.example.net, 'a..b']\ncutover:\n  resolvers: [192.0.2.54]\n", false,
			[]string{"dnsparity.yaml:4: providers.old.nameservers: the addresses", "dnsparity.yaml:10: providers.new.nameservers: \"ns2.example.net\" is not an IP address", "dnsparity.yaml:11: providers.new.delegation: \"a..b\""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.yaml), FileName)
			if err != nil {
				t.Fatal(err)
			}
			err = c.CutoverErrors(tc.registrar)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("CutoverErrors = %v, want none", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CutoverErrors = nil, want %q", tc.want)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("CutoverErrors =\n%v\nwant %d lines: %q", err, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("line %d = %q, want it to start %q", i+1, lines[i], w)
				}
			}
		})
	}
	c, err := Parse([]byte("\n"+zones+"cutover:\n  resolvers: [192.0.2.54]\n"), FileName)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Zone("b.test."); err == nil || !strings.HasPrefix(err.Error(), "dnsparity.yaml:2: zone b.test. is not under zones:") {
		t.Errorf("Zone(b.test.) = %v, want it on the line of zones:", err)
	}
	if err := c.NoProvider("old"); err == nil || !strings.HasPrefix(err.Error(), "dnsparity.yaml:1: no provider \"old\"") {
		t.Errorf("NoProvider(old) = %v, want it on line 1 (no providers:)", err)
	}
}
