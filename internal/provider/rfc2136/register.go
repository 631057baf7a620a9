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

// Check checks the server and the flavor when given (New requires the
// server), so that the config's loading names their line: a name where
// the address belongs, a flavor not known.
func (s *Settings) Check() error {
	var errs []error
	if s.Server != "" {
		if _, err := s.server(); err != nil {
			errs = append(errs, err)
		}
	}
	if _, _, err := s.flavor(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// server is the primary's address, IP:port: an address, never a name,
// since dialing a name would ask the system resolver.
func (s *Settings) server() (string, error) {
	server, err := query.ParseAddr(s.Server)
	if err != nil {
		return "", fmt.Errorf("server: %w", err)
	}
	return server, nil
}

// flavor is the server's flavor (generic when not given) and its
// capabilities.
func (s *Settings) flavor() (string, flavor, error) {
	fl := s.Flavor
	if fl == "" {
		fl = "generic"
	}
	caps, ok := lookupFlavor(fl)
	if !ok {
		return "", caps, fmt.Errorf("flavor %q is not one of %s", s.Flavor, strings.Join(flavorNames, ", "))
	}
	return fl, caps, nil
}

// Vars: rfc2136 names no variable of its own.
func (s *Settings) Vars() []config.Var { return nil }

// New makes a provider from its config.
func New(cfg *config.Provider) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	if st.Server == "" {
		return nil, errors.New("rfc2136: server is required")
	}
	server, err := st.server()
	if err != nil {
		return nil, fmt.Errorf("rfc2136: %w", err)
	}
	fl, caps, err := st.flavor()
	if err != nil {
		return nil, fmt.Errorf("rfc2136: %w", err)
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
