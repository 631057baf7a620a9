// Package config loads and validates dnsparity.yaml. Secrets are never in the
// file: it names the environment variables that hold them, and Resolve reads
// them from the environment. Each provider type's own keys are its
// package's Settings (RegisterSettings), decoded and checked here when the
// file is read; Provider keeps the keys every type has.
package config

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/redact"
	yaml "go.yaml.in/yaml/v3"
)

// FileName is the config's name at the repository root.
const FileName = "dnsparity.yaml"

// Config is dnsparity.yaml.
type Config struct {
	Zones     []Zone               `yaml:"zones"`
	Providers map[string]*Provider `yaml:"providers"`
	Registrar *Registrar           `yaml:"registrar"`
	Policy    Policy               `yaml:"policy"`
	Parity    Parity               `yaml:"parity"`
	Cutover   Cutover              `yaml:"cutover"`

	// Path is the file it was read from; Dir its directory (paths in the
	// file are relative to it); Root the repository root that the config
	// and every path in it are confined to (Load; internal/confine).
	Path string `yaml:"-"`
	Dir  string `yaml:"-"`
	Root string `yaml:"-"`

	// byName is each zone's index in Zones (Zone looks a name up in it,
	// not through every zone); byNameOf is the slice it was built from.
	// SetZones sets both; Zone refuses when Zones is no longer byNameOf.
	byName   map[string]int
	byNameOf []Zone
	// listedAt is where each zone a --zones-from file listed is in it
	// (NamedIn): Zone's error names that line.
	listedAt map[string]string

	// root is the file's YAML tree, for the line of a key in errors.
	root *yaml.Node
	// read are the secrets Resolve read (ShownSecret); shown finds them
	// (readNow).
	read  []readSecret
	shown *redact.Public
	// envNames lists the names of the variables set (Loads.EnvNames;
	// nil: none known), for the near name of one unset (unsetError).
	envNames func() []string
}

// Zone is one zone under management. In the file an entry is either a
// zone (name and file) or a glob (files), which Load expands into one Zone
// per matching file.
type Zone struct {
	// Name is canonical (zone.CanonicalName) once loaded: look a zone up
	// with Config.Zone.
	Name string `yaml:"name"`
	File string `yaml:"file"`
	// Files is a glob entry (`- files: zones/*.zone`, `**` for any
	// directories), relative to the config's directory. Each file is a
	// zone named by its $ORIGIN or absolute SOA owner, else by its file
	// name without .zone or .db; an entry by name overrides it.
	Files string `yaml:"files"`

	// Pattern is the glob a zone came from ("" for an entry by name).
	Pattern string `yaml:"-"`
	// Line is the entry's line in the config (0: from a glob, or not
	// known). Set by Load.
	Line int `yaml:"-"`
}

// Provider is one DNS provider ("old", "new"): the keys every type has
// (type, nameservers, manage_apex, delegation, tsig), and the type's own
// (Settings), which its package defines and registers (RegisterSettings):
// a provider is its folder plus one import line.
type Provider struct {
	Type string `yaml:"type"`
	// Nameservers are the provider's authoritative servers (names or
	// addresses, optional :port) that parity queries and that a flip
	// delegates to.
	Nameservers []string `yaml:"nameservers"`

	// ManageApex lets push change the apex NS names (never the SOA's
	// names and serial: they belong to the provider); off by default: the
	// provider's own apex NS names stand (their TTL still follows git).
	ManageApex bool `yaml:"manage_apex"`

	// Delegation are the NS names a flip sets at the parent for this side
	// (default: the provider's API, else its apex NS).
	Delegation []string `yaml:"delegation"`

	// TSIG is the key the side's servers transfer the zone with (parity
	// --axfr signs its transfers with it; rfc2136 also its updates).
	TSIG *TSIG `yaml:"tsig"`

	// Name is the key under providers (old, new). Set by Load.
	Name string `yaml:"-"`
	// TypePos is FILE:LINE of its type (else of its name) in the config,
	// for errors about the type. Set by Load.
	TypePos string `yaml:"-"`
	// Settings are the type's own keys, decoded (unknown keys refused)
	// when the file is read; nil when no package registered the type
	// (provider.New names it). Resolve fills the secrets they name.
	Settings Settings `yaml:"-"`
	// own are the keys beside the common ones, when Settings is nil.
	own *yaml.Node
}

// NameserverNames are the entries of Nameservers that are names, not
// addresses (with or without :port), absolute: the NS names a zone push
// creates is given (push's newZone) before any other.
func (p *Provider) NameserverNames() []string {
	var out []string
	for _, n := range p.Nameservers {
		if name := nameserverName(n); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// nameserverName is a nameservers entry that names a host ("ns1.example.",
// "ns1.example:5353"), absolute and without its port; "" for an address
// (IP or IP:port, as query.ParseAddr reads it) or an entry that is neither
// (a bad port). The one reading of "is this entry a name" (NameserverNames,
// ServerNames).
func nameserverName(entry string) string {
	if _, err := query.ParseAddr(entry); !errors.Is(err, query.ErrNotAddress) {
		return ""
	}
	host := entry
	if h, _, err := net.SplitHostPort(entry); err == nil {
		host = h
	}
	if host == "" || strings.Contains(host, ":") {
		return ""
	}
	if !strings.HasSuffix(host, ".") {
		host += "."
	}
	return host
}

// AWS are the settings of an AWS API client (route53 provider,
// route53domains registrar). Secrets only by environment variable name.
type AWS struct {
	Region             string `yaml:"region"`
	AccessKeyIDEnv     string `yaml:"access_key_id_env"`
	SecretAccessKeyEnv string `yaml:"secret_access_key_env"`
	SessionTokenEnv    string `yaml:"session_token_env"`

	// Filled by Resolve from the *_env names.
	AccessKeyID     Secret `yaml:"-"`
	SecretAccessKey Secret `yaml:"-"`
	SessionToken    Secret `yaml:"-"`

	// Shared, filled by Resolve when the credential chain would sign
	// with the shared files' profile (awsconf.ProfileVars), are those
	// files' bytes (by path; nil: a file not read) as the checks of its
	// secrets read them: awsconf.Load signs with these, not a second
	// reading a rewrite in between would make another key.
	Shared map[string][]byte `yaml:"-"`
}

// Check: both keys of a static key pair, or neither (the AWS chain).
func (a *AWS) Check() error {
	if (a.AccessKeyIDEnv == "") != (a.SecretAccessKeyEnv == "") {
		return fmt.Errorf("access_key_id_env and secret_access_key_env go together")
	}
	return nil
}

// Vars are the static keys' variables; without them (the AWS credential
// chain), the chain's (ChainVars).
func (a *AWS) Vars() []Var {
	if a.AccessKeyIDEnv == "" && a.SecretAccessKeyEnv == "" {
		return ChainVars()
	}
	return []Var{
		SecretVar("access_key_id_env", a.AccessKeyIDEnv, "the secret", &a.AccessKeyID),
		SecretVar("secret_access_key_env", a.SecretAccessKeyEnv, "the secret", &a.SecretAccessKey),
		SecretVar("session_token_env", a.SessionTokenEnv, "the secret", &a.SessionToken),
	}
}

// ChainVars are the variables of the AWS credential chain's environment
// link (awsconf: AWS_ACCESS_KEY_ID or AWS_ACCESS_KEY, AWS_SECRET_ACCESS_KEY
// or AWS_SECRET_KEY, AWS_SESSION_TOKEN), which a client without static
// keys signs with when they are set: secrets the run sends, read as the
// config's own are (Resolve: refused too short or in what a run shows
// anyway, kept for ShownSecret), each optional. The chain reads them
// itself; their Key is empty (an error names the variable after the
// provider's or the registrar's place).
func ChainVars() []Var {
	var out []Var
	for _, env := range []string{"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_SESSION_TOKEN"} {
		out = append(out, Var{Env: env, Holds: "the secret", Secret: true, Optional: true, Set: func(Secret) error { return nil }})
	}
	return out
}

// TSIG names a TSIG key; the secret comes from SecretEnv. The key's name
// is Name, or the value of NameEnv: servers require distinct names for
// distinct keys, so a transfer-only key (pull requests, drift) and an
// update key (sync, cutover) need their names from the environment of each
// workflow to share one config.
type TSIG struct {
	Name      string `yaml:"name"`
	NameEnv   string `yaml:"name_env"`
	Algorithm string `yaml:"algorithm"`
	SecretEnv string `yaml:"secret_env"`
	// Secret is filled by Resolve (and Name from NameEnv).
	Secret Secret `yaml:"-"`
}

// Registrar is where the delegation is flipped.
type Registrar struct {
	Type string `yaml:"type"`
	// parent: the parent zone we manage, and its provider (a name under
	// providers or an inline rfc2136 server).
	Zone     string `yaml:"zone"`
	Server   string `yaml:"server"`
	TSIG     *TSIG  `yaml:"tsig"`
	Provider string `yaml:"provider"`

	// route53domains: the API endpoint (default: the SDK's, or
	// AWS_ENDPOINT_URL_ROUTE_53_DOMAINS), region and keys.
	URL string `yaml:"url"`
	AWS `yaml:",inline"`

	// TypePos is FILE:LINE of its type in the config. Set by Load.
	TypePos string `yaml:"-"`
}

// vars are the variables the registrar's keys name: its tsig's, and
// what its type registered (RegistrarType.Vars: Route 53 Domains' keys,
// else the AWS credential chain's, and the chain's profile); a type that
// registered none reads its AWS keys when it names them.
func (r *Registrar) vars() []Var {
	var out []Var
	if r.TSIG != nil {
		out = r.TSIG.Vars("tsig")
	}
	if vars := registrarType(r).Vars; vars != nil {
		return append(out, vars(r)...)
	}
	if r.AccessKeyIDEnv == "" && r.SecretAccessKeyEnv == "" {
		return out // no AWS client: no chain
	}
	return append(out, r.AWS.Vars()...)
}

// Cutover configures status, flip, rollback and finish.
type Cutover struct {
	// Resolvers are the caching resolvers the propagation watch asks
	// (host:port).
	Resolvers []string `yaml:"resolvers"`
	// ParentServers are the parent zone's authoritative servers
	// (host:port); default: found by NS lookup from them or root hints.
	ParentServers []string `yaml:"parent_servers"`
	// StateDir holds the audit trail, one JSON file per zone (default
	// .dnsparity/cutover, relative to the config's directory).
	StateDir string `yaml:"state_dir"`
	// Watch bounds the propagation watch (default 15m).
	Watch Duration `yaml:"watch"`
	// LockWait is how long a step waits for another step on the same
	// zone to end (default 1m) before it exits 2 naming the holder.
	LockWait Duration `yaml:"lock_wait"`
}

// Policy is the safety policy.
type Policy struct {
	MaxChangePercent *float64 `yaml:"max_change_percent"`
	PrestageTTL      uint32   `yaml:"prestage_ttl"`
	Overlap          Duration `yaml:"overlap"`
	// Registry names a registry's pre-delegation profile ("de", "fr")
	// the delegation gate also checks.
	Registry   string     `yaml:"registry"`
	Delegation Delegation `yaml:"delegation"`
	// Wave is how many zones flip, rollback, status and finish take at
	// once when given several (default 1): a wave runs together, the next
	// starts when it is done (status and a dry run, which only read:
	// that many at once, the next as one ends; default 8).
	Wave int `yaml:"wave"`
}

// Delegation tunes the delegation gate.
type Delegation struct {
	// MinNS is the least number of NS names a delegation needs (default
	// 2).
	MinNS int `yaml:"min_ns"`
	// Accept are warning checks that do not refuse a step.
	Accept []string `yaml:"accept"`
	// IPv6 false leaves the servers' IPv6 addresses out of the checks
	// on purpose (a machine without IPv6); default true. An address
	// this machine has no route to is not checked either way.
	IPv6 *bool `yaml:"ipv6"`
}

// Prestage returns prestage_ttl: the largest TTL the flip's ttl-prestaged
// gate allows (default 300).
func (p Policy) Prestage() uint32 {
	if p.PrestageTTL == 0 {
		return 300
	}
	return p.PrestageTTL
}

// MaxChange returns max_change_percent (default 30).
func (p Policy) MaxChange() float64 {
	if p.MaxChangePercent == nil {
		return 30
	}
	return *p.MaxChangePercent
}

// Parity tunes the parity engine.
type Parity struct {
	// Resolver answers what parity looks up outside the zone (host:port):
	// SPF includes, CNAME chains leaving the zone, DKIM selectors CNAMEd
	// to an ESP, DMARC report domains; empty means they are not looked
	// up (a chain leaving the zone is a flattened error, the others info).
	Resolver    string   `yaml:"resolver"`
	RateLimit   float64  `yaml:"rate_limit"`  // queries per second in all; 0 = none
	Concurrency int      `yaml:"concurrency"` // in flight per server
	Timeout     Duration `yaml:"timeout"`
	Retries     *int     `yaml:"retries"` // nil: the default (2); 0 is allowed
	// AXFR transfers the zone from each provider (TSIG from its tsig
	// settings) to find records that are not in git.
	AXFR bool `yaml:"axfr"`
	// AXFRMaxRecords, AXFRMaxBytes and AXFRMaxTime bound each transfer
	// (0: internal/transfer's defaults, sized for a few million records).
	AXFRMaxRecords int      `yaml:"axfr_max_records"`
	AXFRMaxBytes   int64    `yaml:"axfr_max_bytes"`
	AXFRMaxTime    Duration `yaml:"axfr_max_time"`
	// ClientSubnets are the client subnets (EDNS Client Subnet, RFC 7871)
	// client-dependent questions are asked from: a list of CIDRs, or a
	// map region → CIDR (the region names the subnet in reports).
	ClientSubnets ClientSubnets `yaml:"client_subnets"`
	// Queries is a query log (dnstap, or BIND query-log text) whose
	// questions parity asks too; relative to the config's directory.
	// MaxQueries bounds its distinct questions (0: the default).
	Queries    string `yaml:"queries"`
	MaxQueries int    `yaml:"max_queries"`
}

// ClientSubnet is one entry of parity.client_subnets.
type ClientSubnet struct {
	Region string // "" in the list form
	CIDR   string
	Line   int
}

// ClientSubnets reads parity.client_subnets: a sequence of CIDRs
// ([203.0.113.0/24, 2001:db8:1::/48]) or a mapping region → CIDR
// ({eu: 192.0.2.0/24}), in the file's order.
type ClientSubnets []ClientSubnet

// validate checks every entry is a subnet, listed once: PATH:LINE errors.
func (cs ClientSubnets) validate(path string) error {
	var errs []error
	seen := map[string]int{}
	for _, e := range cs {
		p, err := query.ParseSubnet(e.CIDR)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: parity.client_subnets: %w", path, e.Line, err))
			continue
		}
		if l, ok := seen[p.String()]; ok {
			errs = append(errs, fmt.Errorf("%s:%d: parity.client_subnets: %s is listed twice (line %d)", path, e.Line, p, l))
		}
		seen[p.String()] = e.Line
	}
	return errors.Join(errs...)
}

// UnmarshalYAML reads either form.
func (cs *ClientSubnets) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, e := range n.Content {
			if e.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: parity.client_subnets: each entry is a CIDR such as 203.0.113.0/24", e.Line)
			}
			*cs = append(*cs, ClientSubnet{CIDR: e.Value, Line: e.Line})
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: parity.client_subnets.%s: a CIDR such as 192.0.2.0/24", v.Line, k.Value)
			}
			*cs = append(*cs, ClientSubnet{Region: k.Value, CIDR: v.Value, Line: v.Line})
		}
	default:
		return fmt.Errorf("line %d: parity.client_subnets: a list of CIDRs, or a map region → CIDR", n.Line)
	}
	return nil
}
