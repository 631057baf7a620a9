package config

import (
	"slices"
	"testing"
)

// TestNameserverEntryReadOnce: whether a nameservers entry is a name is
// read once (nameserverName): the NS names a new zone is given
// (NameserverNames) are exactly the entries check warns about as names
// parity cannot look up (ServerNames), whatever the entry's form.
func TestNameserverEntryReadOnce(t *testing.T) {
	tests := []struct {
		entry string
		name  string // "" when the entry is not a name
	}{
		{"ns1.example.test.", "ns1.example.test."},
		{"ns1.example.test", "ns1.example.test."},
		{"ns1.example.test:5353", "ns1.example.test."},
		{"192.0.2.1", ""},
		{"192.0.2.1:5353", ""},
		{"2001:db8::1", ""},
		{"[2001:db8::1]:53", ""},
		{"[2001:db8::1]", ""},
		{"ns1.example.test:abc", ""}, // a bad port: no server at all
		{"1.2.3.4:99999", ""},
	}
	for _, tt := range tests {
		if got := nameserverName(tt.entry); got != tt.name {
			t.Errorf("nameserverName(%q) = %q, want %q", tt.entry, got, tt.name)
		}
		c := &Config{Path: "dnsparity.yaml", Providers: map[string]*Provider{"old": {Name: "old", Nameservers: []string{tt.entry}}}}
		names := c.Providers["old"].NameserverNames()
		warned := len(c.ServerNames("", "old")) == 1
		if isName := tt.name != ""; slices.Equal(names, []string{tt.name}) != isName || warned != isName {
			t.Errorf("%q: NameserverNames %v, ServerNames warns %v: want both to read it as a name: %v", tt.entry, names, warned, isName)
		}
	}
}
