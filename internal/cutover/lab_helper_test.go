package cutover

import (
	"fmt"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/registrar/manual"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// rfc2136Provider is an rfc2136 provider reading and updating the server
// at addr, with TSIG key when it is not nil.
func rfc2136Provider(t *testing.T, addr string, key *lab.TSIGKey) provider.Provider {
	t.Helper()
	pc := &config.Provider{Name: "x", Type: "rfc2136", Settings: &rfc2136.Settings{Server: addr}}
	if key != nil {
		pc.TSIG = &config.TSIG{Name: key.Name, SecretEnv: "K", Secret: config.Secret(key.Secret)}
	}
	p, err := provider.New(pc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// signedParent is test. signed by p, delegating example.test. to
// ns1.<side>.example.test. (glue: ip[side]) with the DS records ds, NS, glue
// and DS at TTL 5.
func signedParent(t *testing.T, p *signer, ip map[string]string, serial int, side string, ds []string) string {
	t.Helper()
	text := fmt.Sprintf("$ORIGIN test.\n$TTL 60\n@ SOA ns.test. h.test. %d 60 60 60 5\n@ NS ns\nns A %s\nexample 5 NS ns1.%s.example\nns1.%s.example 5 A %s\n",
		serial, ip["parent"], side, side, ip[side])
	for _, d := range ds {
		text += "example 5 DS " + d + "\n"
	}
	return p.sign(t, text, nil)
}

// signedConfig is the step configuration of the signed-zone lab tests: one
// server a side (rfc2136 providers reading them), ns1.old/ns1.new with
// glue, the manual registrar polling parent, prestage ttl, git's zone z.
func signedConfig(t *testing.T, z *zone.Zone, ip map[string]string, old, nw, parent *lab.Server, path string, ttl uint32) *Config {
	t.Helper()
	return &Config{
		Zone:          z,
		Old:           Side{Name: "old", Servers: []string{old.Addr}, Delegation: []string{"ns1.old.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}, Provider: rfc2136Provider(t, old.Addr, nil)},
		New:           Side{Name: "new", Servers: []string{nw.Addr}, Delegation: []string{"ns1.new.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {ip["new"]}}, Provider: rfc2136Provider(t, nw.Addr, nil)},
		Registrar:     &manual.Manual{Servers: []string{parent.Addr}, Out: &syncBuffer{}, Wait: time.Second, Poll: 100 * time.Millisecond},
		ParentServers: []string{parent.Addr},
		PrestageTTL:   ttl,
		TrailPath:     path,
		Actor:         "tester",
		Parity:        parity.Options{Timeout: 2 * time.Second, Retries: 2},
		Log:           &syncBuffer{},
		// One server a side, in one /24, transfers open: what these
		// tests are not about.
		Delegation: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}},
	}
}
