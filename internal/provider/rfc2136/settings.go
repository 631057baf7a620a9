package rfc2136

import "github.com/dnsparity/dnsparity/internal/config"

// Settings are rfc2136's own keys under providers.NAME (its TSIG key,
// tsig, is a key every provider has: the key its servers transfer with).
type Settings struct {
	// Server is the primary to transfer from and update: an IP address,
	// port 53 unless given.
	Server string `yaml:"server"`
	// Flavor is the server's implementation (bind, knot, powerdns, nsd;
	// default generic): its known quirks, declared rather than sniffed.
	Flavor string `yaml:"flavor"`
}

// Check: nothing to check before New (which parses the server and the
// flavor).
func (s *Settings) Check() error { return nil }

// Vars: rfc2136 names no variable of its own.
func (s *Settings) Vars() []config.Var { return nil }
