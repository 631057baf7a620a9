package config

import (
	"strings"
	"testing"
)

// TestParseAddressesAndNames: what no run could use is a bad config on
// its line, said when the file is loaded (check reports it, exit 2), not
// at the first status: a name where the cutover and parity need an
// address (cutover.parent_servers, cutover.resolvers, parity.resolver:
// the system resolver is never used); a registrar provider that is not
// under providers names the one meant; an unknown TSIG algorithm names
// the algorithms there are and the one meant. On the code before, the
// addresses passed check (exit 0) and status exited 2 without a file or
// line; the provider and the algorithm were named without a hint.
func TestParseAddressesAndNames(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"parent server by name", "cutover:\n  resolvers: [127.0.0.1:53]\n  parent_servers: [ns.test]\n",
			[]string{`dnsparity.yaml:3: cutover.parent_servers: "ns.test" is not an IP address (IP or IP:port`}},
		{"resolver with a bad port", "cutover:\n  resolvers: [127.0.0.1:5x3]\n",
			[]string{`dnsparity.yaml:2: cutover.resolvers: "127.0.0.1:5x3": bad port "5x3"`}},
		{"parity resolver by name", "parity:\n  resolver: resolver.example\n",
			[]string{`dnsparity.yaml:2: parity.resolver: "resolver.example" is not an IP address`}},
		{"registrar provider typo", "providers:\n  parent: {type: rfc2136, server: 127.0.0.1}\nregistrar: {type: parent, zone: test., provider: parnet}\n",
			[]string{`registrar: provider "parnet" is not under providers: did you mean parent?`}},
		{"tsig algorithm", "providers:\n  old:\n    type: rfc2136\n    server: 127.0.0.1\n    tsig: {name: k., algorithm: sha256, secret_env: S}\n",
			[]string{`dnsparity.yaml:5: providers.old: tsig: unknown algorithm "sha256" (did you mean hmac-sha256? the algorithms: hmac-sha256, hmac-sha1, hmac-sha224, hmac-sha384, hmac-sha512, hmac-md5)`}},
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
	if _, err := Parse([]byte("cutover:\n  resolvers: [127.0.0.1:53, \"[2001:db8::1]:53\"]\n  parent_servers: [192.0.2.1]\nparity:\n  resolver: 192.0.2.2:5353\n"), "dnsparity.yaml"); err != nil {
		t.Errorf("addresses refused: %v", err)
	}
}
