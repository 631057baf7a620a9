package rfc2136

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	provider.Register[Settings]("rfc2136", New)
}

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

// New makes a provider from its config.
func New(cfg *config.Provider) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	if st.Server == "" {
		return nil, errors.New("rfc2136: server is required")
	}
	// An address, never a name: dialing a name would ask the system
	// resolver.
	server, err := query.ParseAddr(st.Server)
	if err != nil {
		return nil, fmt.Errorf("rfc2136: server: %w", err)
	}
	fl := st.Flavor
	if fl == "" {
		fl = "generic"
	}
	caps, ok := lookupFlavor(fl)
	if !ok {
		return nil, fmt.Errorf("rfc2136: flavor %q is not one of %s", st.Flavor, strings.Join(flavorNames, ", "))
	}
	p := &Provider{server: server, nameservers: cfg.Nameservers, timeout: 30 * time.Second,
		fudge: defaultFudge, maxMessage: defaultMaxMessage, flavor: fl, caps: caps}
	if t := cfg.TSIG; t != nil {
		if t.Name == "" {
			return nil, errors.New("rfc2136: the TSIG key has no name (tsig.name, or tsig.name_env read by Resolve)")
		}
		p.keyName = dns.Fqdn(zone.Fold(t.Name))
		p.algorithm = t.TSIGAlgorithm()
		p.secret = t.Secret.Value()
		if p.secret == "" {
			return nil, errors.New("rfc2136: the TSIG secret (tsig.secret_env) is empty")
		}
	}
	return p, nil
}
