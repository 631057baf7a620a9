// Package config loads and validates dnsparity.yaml. Secrets are never in the
// file: it names the environment variables that hold them, and Resolve reads
// them from the environment. Each provider type's own keys are its
// package's Settings (RegisterSettings), decoded and checked here when the
// file is read; Provider keeps the keys every type has.
package config

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/registry"
	"github.com/dnsparity/dnsparity/internal/suggest"
	"github.com/dnsparity/dnsparity/internal/zone"
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

	// root is the file's YAML tree, for the line of a key in errors.
	root *yaml.Node
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

// vars are the variables the provider's keys name: its TSIG key's, then
// its type's.
func (p *Provider) vars() []Var {
	var out []Var
	if p.TSIG != nil {
		out = p.TSIG.Vars("tsig")
	}
	if p.Settings != nil {
		out = append(out, p.Settings.Vars()...)
	}
	return out
}

// commonKeys are the keys of every provider, whatever its type.
var commonKeys = map[string]bool{"type": true, "nameservers": true, "manage_apex": true, "delegation": true, "tsig": true}

// UnmarshalYAML reads the common keys, then the type's own into its
// registered Settings; an unknown key is an error on its line, as in the
// rest of the file.
func (p *Provider) UnmarshalYAML(n *yaml.Node) error {
	type plain Provider // without this method
	if n.Kind != yaml.MappingNode {
		return n.Decode((*plain)(p))
	}
	common, own := *n, *n
	common.Content, own.Content = nil, nil
	for i := 0; i+1 < len(n.Content); i += 2 {
		if commonKeys[n.Content[i].Value] {
			common.Content = append(common.Content, n.Content[i], n.Content[i+1])
		} else {
			own.Content = append(own.Content, n.Content[i], n.Content[i+1])
		}
	}
	errs := unknownKeys(&common, reflect.TypeOf(plain{}))
	if err := common.Decode((*plain)(p)); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return err
		}
		errs = append(errs, te.Errors...)
	}
	p.own = &own
	if newSettings, ok := settingsTypes.Lookup(p.Type); ok {
		st := newSettings()
		errs = append(errs, unknownKeys(&own, reflect.TypeOf(st))...)
		if err := own.Decode(st); err != nil {
			var te *yaml.TypeError
			if !errors.As(err, &te) {
				return err
			}
			errs = append(errs, te.Errors...)
		}
		p.Settings, p.own = st, nil
	}
	if len(errs) > 0 {
		return &yaml.TypeError{Errors: errs}
	}
	return nil
}

// unknownKeys are yaml.v3's errors ("line N: field K not found in type
// T") for the keys of n that t (a struct, or a pointer to one) has no
// field for, nested mappings included.
func unknownKeys(n *yaml.Node, t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind != yaml.MappingNode || t.Kind() != reflect.Struct {
		return nil
	}
	fields := yamlKeys(t)
	var out []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ft, ok := fields[k.Value]
		if !ok {
			out = append(out, fmt.Sprintf("line %d: field %s not found in type %s", k.Line, k.Value, t))
			continue
		}
		out = append(out, unknownKeys(v, ft)...)
	}
	return out
}

// yamlKeys are the keys a struct type takes in the file, as yaml.v3
// decodes it (tag names, inline fields' keys, lower-cased field names
// without a tag), each with its field's type.
func yamlKeys(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	var collect func(t reflect.Type)
	collect = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			switch {
			case name == "-" || !f.IsExported() && !f.Anonymous:
			case opts == "inline":
				collect(f.Type)
			case name != "":
				fields[name] = f.Type
			default:
				fields[strings.ToLower(f.Name)] = f.Type
			}
		}
	}
	collect(t)
	return fields
}

// Settings are a provider type's own keys under providers.NAME, beside
// the common ones; its package defines them (a struct with yaml tags) and
// registers them with RegisterSettings.
type Settings interface {
	// Check validates the keys without reading a secret; an error starts
	// with the key it is about ("tsig: secret_env is required ...").
	Check() error
	// Vars are the environment variables the keys name (the *_env keys):
	// Load checks that each is written as a variable name, Resolve reads
	// them.
	Vars() []Var
}

// Var is one *_env key: the variable it names and where its value goes.
type Var struct {
	// Key is the key's place in the block ("api_key_env",
	// "tsig.secret_env"); Env the variable's name as written ("" when the
	// key is not given: nothing to read).
	Key, Env string
	// Holds says what the variable holds, for the error when Env is not a
	// variable's name ("the key", "the id").
	Holds string
	// Secret: the value is a secret, which never goes in the file.
	Secret bool
	// Set takes the value read (never empty); an error is about the value,
	// which it must not repeat.
	Set func(Secret) error
}

// SecretVar is the Var of a secret read into dst.
func SecretVar(key, env, holds string, dst *Secret) Var {
	return Var{Key: key, Env: env, Holds: holds, Secret: true, Set: func(v Secret) error { *dst = v; return nil }}
}

var settingsTypes = registry.New[func() Settings]("provider settings")

// RegisterSettings makes a provider type's own keys known to the config
// (provider.Register calls it): new returns an empty block to decode into.
func RegisterSettings(typ string, new func() Settings) { settingsTypes.Register(typ, new) }

// checkVars checks that each variable the keys name is written as a
// variable's name; where prefixes the keys ("providers.old").
func checkVars(where string, vars []Var) []error {
	var errs []error
	for _, v := range vars {
		if v.Env == "" || envName.MatchString(v.Env) {
			continue
		}
		// The value is not repeated: it may be the secret itself.
		tail := ""
		if v.Secret {
			tail = "; the secret itself never goes in this file"
		}
		errs = append(errs, fmt.Errorf("%s: %s is not an environment variable name (it names the variable that holds %s%s)", where, v.Key, v.Holds, tail))
	}
	return errs
}

// resolveVars reads each variable; where prefixes the keys in errors,
// which name variables (as ShownEnvName allows), never values.
func resolveVars(getenv func(string) string, where string, vars []Var) []error {
	return resolveVarsAt(getenv, where, vars, nil)
}

// resolveVarsAt is resolveVars, each error led by at(key), the file and
// line of the dotted key ("dnsparity.yaml:12: "), when at is not nil.
func resolveVarsAt(getenv func(string) string, where string, vars []Var, at func(key string) string) []error {
	var errs []error
	add := func(key string, err error) {
		if at != nil {
			if pos := at(key); pos != "" {
				err = fmt.Errorf("%s%w", pos, err)
			}
		}
		errs = append(errs, err)
	}
	for _, v := range vars {
		if v.Env == "" {
			continue
		}
		key := where + "." + v.Key
		val := getenv(v.Env)
		if val == "" {
			add(key, UnsetError(key, v.Env))
			continue
		}
		if v.Secret && len(strings.TrimSpace(val)) < redact.MinLen {
			add(key, ShortSecretError(key, v.Env))
			continue
		}
		if err := v.Set(Secret(val)); err != nil {
			add(key, fmt.Errorf("%s: %w", key, err))
		}
	}
	return errs
}

// at is "PATH:LINE: " for the dotted key in the file ("" when its line is
// not known), the start of an error about its value.
func (c *Config) at(key string) string {
	if l := c.line(strings.Split(key, ".")...); l > 0 && c.Path != "" {
		return fmt.Sprintf("%s:%d: ", c.Path, l)
	}
	return ""
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
}

// Check: both keys of a static key pair, or neither (the AWS chain).
func (a *AWS) Check() error {
	if (a.AccessKeyIDEnv == "") != (a.SecretAccessKeyEnv == "") {
		return fmt.Errorf("access_key_id_env and secret_access_key_env go together")
	}
	return nil
}

// Vars are the static keys' variables.
func (a *AWS) Vars() []Var {
	return []Var{
		SecretVar("access_key_id_env", a.AccessKeyIDEnv, "the secret", &a.AccessKeyID),
		SecretVar("secret_access_key_env", a.SecretAccessKeyEnv, "the secret", &a.SecretAccessKey),
		SecretVar("session_token_env", a.SessionTokenEnv, "the secret", &a.SessionToken),
	}
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

// vars are the variables the registrar's keys name.
func (r *Registrar) vars() []Var {
	var out []Var
	if r.TSIG != nil {
		out = r.TSIG.Vars("tsig")
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
	// starts when it is done.
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

// MaxChange returns max_change_percent (default 30).
func (p Policy) MaxChange() float64 {
	if p.MaxChangePercent == nil {
		return 30
	}
	return *p.MaxChangePercent
}

// Parity tunes the parity engine.
type Parity struct {
	// Resolver answers out-of-zone SPF includes (host:port); empty means
	// they are reported as unknown.
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

// Duration is a time.Duration written as "168h" or "7d".
type Duration struct {
	time.Duration
	// text is how the file wrote it; tooLong that it does not fit; bad
	// why it is not a duration at all.
	text    string
	tooLong bool
	bad     string
}

// durationRE is time.ParseDuration's grammar: a text it refuses that
// matches it is too long, not misspelt.
var durationRE = regexp.MustCompile(`^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`)

// UnmarshalYAML reads "168h", "30m" or "7d". A value that is not a
// duration, a negative or an overflowing one is reported by validation,
// which knows the key.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		d.bad = "a duration (e.g. 168h or 7d), not a " + map[yaml.Kind]string{yaml.SequenceNode: "list", yaml.MappingNode: "mapping"}[n.Kind]
		return nil
	}
	s := strings.TrimSpace(n.Value)
	d.text = s
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if v, err := strconv.ParseInt(days, 10, 64); err == nil {
			const perDay = int64(24 * time.Hour)
			if v > math.MaxInt64/perDay || v < math.MinInt64/perDay {
				d.tooLong = true
				return nil
			}
			d.Duration = time.Duration(v * perDay)
			return nil
		} else if errors.Is(err, strconv.ErrRange) {
			d.tooLong = true
			return nil
		}
	}
	v, err := time.ParseDuration(s)
	switch {
	case err == nil:
		d.Duration = v
	case durationRE.MatchString(s):
		d.tooLong = true
	default:
		d.bad = "bad duration " + redact.Quote(s) + " (use e.g. 168h or 7d)"
	}
	return nil
}

// check says what is wrong with a duration ("" when nothing).
func (d Duration) check() string {
	switch {
	case d.bad != "":
		return d.bad
	case d.tooLong:
		return d.text + " is too long"
	case d.Duration < 0:
		return d.text + " is negative"
	}
	return ""
}

// Secret holds a secret; it never prints itself.
type Secret string

func (s Secret) String() string { return "[redacted]" }

// GoString keeps %#v from printing it.
func (s Secret) GoString() string { return "[redacted]" }

// MarshalJSON keeps JSON from printing it.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

// Value is the secret itself, for the one place that needs it.
func (s Secret) Value() string { return string(s) }

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// NotFound is the error of a command that needs dnsparity.yaml where Find
// found none from dir up: where it looked, and what to do.
func NotFound(dir string) error {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return fmt.Errorf("no %s in %s or a folder above it (up to the repository's root): run dnsparity in the repository that holds it, or give its path with --config FILE", FileName, dir)
}

// Find looks for dnsparity.yaml in dir and its parents up to a .git
// directory; "" when there is none.
func Find(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; {
		p := filepath.Join(d, FileName)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// Load reads and validates a config file. Unknown keys are errors naming the
// line. The config and every path in it (zone files, cutover.state_dir)
// are confined to the repository holding it (LoadIn). Secrets are not
// read: call Resolve.
func Load(path string) (*Config, error) {
	return LoadIn(confine.Root(filepath.Dir(path)), path)
}

// LoadIn is Load with the repository root given (the Action's workspace):
// the config must lie inside it, not through a symlink out, not under
// .git; each zone file and the audit trail's folder must be relative to
// the config, stay inside root, not lead out through a symlink and not be
// under .git. A path outside is an error that says "outside the
// repository" (errors.Is confine.ErrOutside) and names the path.
func LoadIn(root, path string) (*Config, error) {
	b, err := confine.ReadFile(root, path)
	if err != nil {
		return nil, fmt.Errorf("config %w", err)
	}
	c, err := parse(b, path, root)
	if err != nil {
		return nil, err
	}
	if err := c.confinePaths(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// confinePaths checks every path in the config against the repository
// root (internal/confine).
func (c *Config) confinePaths() error {
	var errs []error
	for i, z := range c.Zones {
		if z.Pattern != "" {
			continue // a glob's file: confined as it was named (zone.PeekOrigin)
		}
		if _, err := confine.Resolve(c.Root, c.Dir, z.File); err != nil {
			errs = append(errs, fmt.Errorf("zones[%d].file: %w", i, err))
		}
	}
	if d := c.Cutover.StateDir; d != "" {
		if _, err := confine.Resolve(c.Root, c.Dir, d); err != nil {
			errs = append(errs, fmt.Errorf("cutover.state_dir: %w", err))
		}
	}
	if q := c.Parity.Queries; q != "" {
		if _, err := confine.Resolve(c.Root, c.Dir, q); err != nil {
			errs = append(errs, fmt.Errorf("parity.queries: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Parse reads a config from bytes; path names it in errors. Root is
// left empty (LoadIn sets it): the files a zones glob matches are
// confined to the git work tree holding each (zone.PeekOrigin).
func Parse(b []byte, path string) (*Config, error) {
	return parse(b, path, "")
}

// parse is Parse with the repository root (c.Root) known before the
// zones globs are expanded.
func parse(b []byte, path, root string) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(path, err)
	}
	c.Path = path
	c.Dir = filepath.Dir(path)
	c.Root = root
	var node yaml.Node
	if yaml.Unmarshal(b, &node) == nil {
		c.root = &node
	}
	c.typePositions()
	if errs := c.validate(); len(errs) > 0 {
		lines := make([]string, len(errs))
		for i, e := range errs {
			var ke *keyError
			if errors.As(e, &ke) && ke.line > 0 {
				lines[i] = fmt.Sprintf("%s:%d: %s", path, ke.line, ke.msg)
			} else {
				lines[i] = path + ": " + e.Error()
			}
		}
		return nil, errors.New(strings.Join(lines, "\n"))
	}
	if err := c.Parity.ClientSubnets.validate(path); err != nil {
		return nil, err
	}
	// Globs after the entries by name are validated (they override).
	if err := c.expandZones(zoneLines(b)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

// keyError is a bad value at a key of the file, on the key's line.
type keyError struct {
	line int
	msg  string
}

func (e *keyError) Error() string { return e.msg }

// keyErr is an error about the value at the dotted key ("policy.overlap").
func (c *Config) keyErr(key, format string, args ...any) error {
	return &keyError{line: c.line(strings.Split(key, ".")...), msg: key + ": " + fmt.Sprintf(format, args...)}
}

// line is the line of the key at path in the file (0 when unknown).
func (c *Config) line(path ...string) int {
	n := c.root
	if n == nil {
		return 0
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, k := range path {
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				line, n, found = n.Content[i].Line, n.Content[i+1], true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

// validNumbers checks the numbers and durations that switch a guard off
// when NaN, infinite or negative.
func (c *Config) validNumbers() []error {
	var errs []error
	if c.Policy.Wave < 0 {
		errs = append(errs, c.keyErr("policy.wave", "%d is negative", c.Policy.Wave))
	}
	if p := c.Policy.MaxChangePercent; p != nil && (math.IsNaN(*p) || *p < 0 || *p > 100) {
		errs = append(errs, c.keyErr("policy.max_change_percent", "%v is not a number between 0 and 100", *p))
	}
	if r := c.Parity.RateLimit; math.IsNaN(r) || math.IsInf(r, 0) {
		errs = append(errs, c.keyErr("parity.rate_limit", "%v is not a finite number of queries per second", r))
	} else if r < 0 {
		errs = append(errs, c.keyErr("parity.rate_limit", "%v must not be negative", r))
	}
	if r := c.Parity.Retries; r != nil && *r < 0 {
		errs = append(errs, c.keyErr("parity.retries", "%d is negative", *r))
	}
	if n := c.Policy.Delegation.MinNS; n < 0 {
		errs = append(errs, c.keyErr("policy.delegation.min_ns", "%d is negative", n))
	}
	for _, kv := range []struct {
		key string
		v   int64
	}{{"parity.concurrency", int64(c.Parity.Concurrency)}, {"parity.max_queries", int64(c.Parity.MaxQueries)},
		{"parity.axfr_max_records", int64(c.Parity.AXFRMaxRecords)}, {"parity.axfr_max_bytes", c.Parity.AXFRMaxBytes}} {
		if kv.v < 0 {
			errs = append(errs, c.keyErr(kv.key, "%d is negative", kv.v))
		}
	}
	for _, kv := range []struct {
		key string
		d   Duration
	}{{"policy.overlap", c.Policy.Overlap}, {"cutover.watch", c.Cutover.Watch}, {"cutover.lock_wait", c.Cutover.LockWait},
		{"parity.timeout", c.Parity.Timeout}, {"parity.axfr_max_time", c.Parity.AXFRMaxTime}} {
		if why := kv.d.check(); why != "" {
			errs = append(errs, c.keyErr(kv.key, "%s", why))
		}
	}
	return errs
}

// typePositions sets the TypePos of each provider and of the registrar:
// the line of its type key, else of its own key.
func (c *Config) typePositions() {
	at := func(path ...string) string {
		if n := c.line(path...); n > 0 {
			return fmt.Sprintf("%s:%d", c.Path, n)
		}
		return ""
	}
	for name, p := range c.Providers {
		if p != nil {
			p.TypePos = at("providers", name, "type")
		}
	}
	if c.Registrar != nil {
		c.Registrar.TypePos = at("registrar", "type")
	}
}

// UnknownType is the error for a type no package registered: where it is
// (TypePos), which key (providers.old, registrar), the type, the registered
// type it was likely meant to be, and all of them.
func UnknownType(pos, where, typ string, known []string) error {
	msg := fmt.Sprintf("%s: unknown type %q (known: %s)", where, typ, strings.Join(known, ", "))
	if s := suggest.Closest(strings.ToLower(typ), nil, known); s != "" {
		msg += fmt.Sprintf("; did you mean %s?", s)
	}
	if pos != "" {
		msg = pos + ": " + msg
	}
	return errors.New(msg)
}

func (c *Config) validate() []error {
	var errs []error
	seen := map[string]bool{}
	for i, z := range c.Zones {
		if z.Files != "" {
			continue // a glob: expanded after validation
		}
		if z.Name == "" {
			errs = append(errs, fmt.Errorf("zones[%d]: name is required", i))
		} else if _, ok := dns.IsDomainName(z.Name); !ok {
			errs = append(errs, fmt.Errorf("zones[%d]: %q is not a domain name", i, z.Name))
		}
		if z.File == "" {
			errs = append(errs, fmt.Errorf("zones[%d] (%s): file is required", i, z.Name))
		}
		n := zone.CanonicalName(z.Name)
		if seen[n] {
			errs = append(errs, fmt.Errorf("zones[%d]: %s listed twice", i, z.Name))
		}
		seen[n] = true
		c.Zones[i].Name = n
	}
	for name, p := range c.Providers {
		if p == nil {
			errs = append(errs, fmt.Errorf("providers.%s: empty", name))
			continue
		}
		p.Name = name
		if p.Type == "" {
			errs = append(errs, fmt.Errorf("providers.%s: type is required", name))
		}
		if p.TSIG != nil {
			if err := p.TSIG.Check(); err != nil {
				errs = append(errs, fmt.Errorf("providers.%s: %w", name, err))
			}
		}
		if p.Settings != nil {
			if err := p.Settings.Check(); err != nil {
				errs = append(errs, fmt.Errorf("providers.%s: %w", name, err))
			}
		}
		errs = append(errs, checkVars("providers."+name, p.vars())...)
	}
	if c.Registrar != nil {
		if c.Registrar.Type == "" {
			errs = append(errs, fmt.Errorf("registrar: type is required"))
		}
		if t := c.Registrar.TSIG; t != nil {
			if err := t.Check(); err != nil {
				errs = append(errs, fmt.Errorf("registrar: %w", err))
			}
		}
		if err := c.Registrar.AWS.Check(); err != nil {
			errs = append(errs, fmt.Errorf("registrar: %w", err))
		}
		errs = append(errs, checkVars("registrar", c.Registrar.vars())...)
		if c.Registrar.Provider != "" && c.Providers[c.Registrar.Provider] == nil {
			errs = append(errs, fmt.Errorf("registrar: provider %q is not under providers", c.Registrar.Provider))
		}
	}
	return append(errs, c.validNumbers()...)
}

// Check validates the key's settings (errors start "tsig: "); whether
// its *_env keys name variables is checked with its Vars.
func (t *TSIG) Check() error {
	switch {
	case t.Name == "" && t.NameEnv == "":
		return fmt.Errorf("tsig: name (or name_env, the variable holding it) is required")
	case t.Name != "" && t.NameEnv != "":
		return fmt.Errorf("tsig: name and name_env: give one of them")
	}
	if t.SecretEnv == "" {
		return fmt.Errorf("tsig: secret_env is required (the name of the environment variable holding the secret)")
	}
	switch strings.ToLower(strings.TrimSuffix(t.Algorithm, ".")) {
	case "", "hmac-sha256", "hmac-sha1", "hmac-sha224", "hmac-sha384", "hmac-sha512", "hmac-md5", "hmac-md5.sig-alg.reg.int":
	default:
		return fmt.Errorf("tsig: unknown algorithm %q", t.Algorithm)
	}
	return nil
}

// Vars are the key's variables: its name (name_env) and its secret; key
// is the key's place ("tsig"), "" for keys relative to it.
func (t *TSIG) Vars(key string) []Var {
	if key != "" {
		key += "."
	}
	name := Var{Key: key + "name_env", Env: t.NameEnv, Holds: "the key's name", Set: func(v Secret) error {
		if _, ok := dns.IsDomainName(v.Value()); !ok {
			return fmt.Errorf("the value of %s is not a domain name (a TSIG key's name)", ShownEnvName(t.NameEnv))
		}
		t.Name = dns.Fqdn(v.Value())
		return nil
	}}
	secret := Var{Key: key + "secret_env", Env: t.SecretEnv, Holds: "the secret", Secret: true, Set: func(v Secret) error {
		t.Secret = v
		return t.checkSecret()
	}}
	return []Var{name, secret}
}

// checkSecret reports a secret that is not base64 (as tsig-keygen writes
// it), naming the variable and the key, never the value.
func (t *TSIG) checkSecret() error {
	if _, err := base64.StdEncoding.DecodeString(t.Secret.Value()); err != nil {
		env := ShownEnvName(t.SecretEnv)
		if env == "" {
			env = "(its name is not shown)"
		}
		return fmt.Errorf("environment variable %s does not hold a base64 secret for TSIG key %s (the secret line of tsig-keygen's output)", env, t.Name)
	}
	return nil
}

// TSIGAlgorithm is the key's algorithm as a miekg/dns name (default
// hmac-sha256).
func (t *TSIG) TSIGAlgorithm() string {
	switch strings.ToLower(strings.TrimSuffix(t.Algorithm, ".")) {
	case "", "hmac-sha256":
		return dns.HmacSHA256
	case "hmac-sha1":
		return dns.HmacSHA1
	case "hmac-sha224":
		return dns.HmacSHA224
	case "hmac-sha384":
		return dns.HmacSHA384
	case "hmac-sha512":
		return dns.HmacSHA512
	default:
		return dns.HmacMD5
	}
}

// Resolve reads the secrets of the named providers (all when none is named)
// and of the registrar from the environment, and the names and ids given
// by variable (tsig.name_env, auth_id_env, sub_auth_id_env). A variable
// that is unset or empty is an error naming it (never its value).
func (c *Config) Resolve(getenv func(string) string, providers ...string) error {
	if len(providers) == 0 {
		providers = c.ProviderNames() // old, new, then the others: errors in one order
	}
	var errs []error
	for _, n := range providers {
		p := c.Providers[n]
		if p == nil {
			errs = append(errs, c.NoProvider(n))
			continue
		}
		errs = append(errs, resolveVarsAt(getenv, "providers."+n, p.vars(), c.at)...)
	}
	return errors.Join(errs...)
}

// SecretEnvs are the variables the config's keys name for secrets (a
// provider's or the registrar's API key or password, TSIG secret, AWS
// keys; not the ids and key names also given by variable), each once:
// the providers in ProviderNames order, then the registrar's.
func (c *Config) SecretEnvs() []string {
	var vars []Var
	for _, n := range c.ProviderNames() {
		vars = append(vars, c.Providers[n].vars()...)
	}
	if c.Registrar != nil {
		vars = append(vars, c.Registrar.vars()...)
	}
	var out []string
	seen := map[string]bool{}
	for _, v := range vars {
		if v.Secret && v.Env != "" && !seen[v.Env] {
			seen[v.Env] = true
			out = append(out, v.Env)
		}
	}
	return out
}

// PlainEnvs reads the *_env keys of a config's text, without validating
// the rest of it, and returns the variables it reads as no secret (a TSIG
// key's name, an id: Var.Secret false) and never as one: a variable also
// named for a secret is not among them. Keys of a provider type this
// build does not know are not read (their variables are not returned). An
// error means the providers or the registrar could not be read.
func PlainEnvs(b []byte) ([]string, error) {
	var c struct {
		Providers map[string]*Provider `yaml:"providers"`
		Registrar *Registrar           `yaml:"registrar"`
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	var vars []Var
	for _, p := range c.Providers {
		if p != nil {
			vars = append(vars, p.vars()...)
		}
	}
	if c.Registrar != nil {
		vars = append(vars, c.Registrar.vars()...)
	}
	secret := map[string]bool{}
	for _, v := range vars {
		if v.Secret {
			secret[v.Env] = true
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, v := range vars {
		if !v.Secret && v.Env != "" && !secret[v.Env] && !seen[v.Env] {
			seen[v.Env] = true
			out = append(out, v.Env)
		}
	}
	sort.Strings(out)
	return out, nil
}

// ResolveRegistrar reads the registrar's secrets.
func (c *Config) ResolveRegistrar(getenv func(string) string) error {
	if c.Registrar == nil {
		return nil
	}
	return errors.Join(resolveVarsAt(getenv, "registrar", c.Registrar.vars(), c.at)...)
}

// Resolve reads the key's secret (SecretEnv) and, with NameEnv, its name
// from the environment; where is the key's place in the config
// (providers.old.tsig) for errors, which name variables, never values.
func (t *TSIG) Resolve(getenv func(string) string, where string) error {
	return errors.Join(resolveVars(getenv, where, t.Vars(""))...)
}

// UnsetError is the error for a variable named at where (a *_env key)
// that is unset or empty: it names the variable only as ShownEnvName
// allows.
func UnsetError(where, env string) error {
	if n := ShownEnvName(env); n != "" {
		// In a workflow, a secret that does not exist (or a fork's run,
		// which gets none) sets the variable to "": it is there, empty.
		return fmt.Errorf("%s: environment variable %s is not set or is empty (in GitHub Actions: a secret that does not exist, or a run from a fork, gives an empty value)", where, n)
	}
	return fmt.Errorf("%s: the environment variable it names is not set or is empty (its name is not shown: it is not written as variable names are, in capitals, digits and underscores, or it reads as a generated key, and may be the secret itself)", where)
}

// ShortSecretError is the error for a secret (the value of the variable
// named at where) of fewer than redact.MinLen characters, blanks aside.
//
// Such a secret is refused, not masked. Masking works by replacing the
// secret's text wherever it appears in what a run prints: "ab1" would
// replace those letters inside zone names, record data and words, garble
// every report, and, by where the masks land, show what the secret is;
// that is why redact.Secrets ignores values under MinLen. Refusing costs
// nothing real: no API token, password or access key is that short, and
// tsig-keygen writes a TSIG secret as long as its hash, 16 bytes or more
// (24 base64 characters; RFC 2104 section 3 discourages HMAC keys shorter
// than the hash output). A run with such a value is
// a mistake in the variable (a placeholder, a truncated paste), so it
// stops before anything is sent, naming the key and the variable, never
// the value or its length.
func ShortSecretError(where, env string) error {
	n := ShownEnvName(env)
	if n == "" {
		n = "(its name is not shown)"
	}
	return fmt.Errorf("%s: environment variable %s holds a secret of fewer than %d characters, which dnsparity refuses: it could not be masked in what a run prints without garbling it, and no real API key, password or TSIG secret is that short (a placeholder or a truncated value?)", where, n, redact.MinLen)
}

// conventionalEnv is how variable names are written (POSIX reserves
// capitals, digits and underscores for them).
var conventionalEnv = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)

// ShownEnvName is a variable's name as a message may show it: itself
// when it is written as variable names are, else "": a value in a *_env
// key written otherwise (lower case, base64, hex) may be the secret that
// belongs in the variable, pasted where its name belongs. So may one
// written in capitals and digits that reads as a generated key (base32,
// upper-case hex: keyLike).
func ShownEnvName(env string) string {
	if conventionalEnv.MatchString(env) && !keyLike(env) {
		return env
	}
	return ""
}

// keyLike reports whether a name written as variable names are reads as
// a generated key instead (JBSWY3DPEHPK3PXP, 9F86D081884C7D65...): 16
// characters or more, no underscore between words, and two digits or
// more among the letters. Names are words (PDNS_API_KEY, CLOUDFLARETOKEN,
// TOKEN2).
func keyLike(s string) bool {
	if len(s) < 16 || strings.Contains(s, "_") {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			digits++
		}
	}
	return digits >= 2
}

// QueriesFile is parity.queries as a path usable from the working directory
// ("" when unset).
func (c *Config) QueriesFile() string {
	q := c.Parity.Queries
	if q == "" || filepath.IsAbs(q) || c.Dir == "" {
		return q
	}
	return filepath.Join(c.Dir, q)
}

// Zone is the zone named name under zones: (in any case, with or without
// the final dot); an error names it, the config and the zones there are.
func (c *Config) Zone(name string) (Zone, error) {
	n := zone.CanonicalName(name)
	for _, z := range c.Zones {
		if z.Name == n {
			return z, nil
		}
	}
	return Zone{}, fmt.Errorf("zone %s is not under zones: in %s (%s)", n, c.Path, c.ZoneHint(n))
}

// zoneListMax is how many zone names ZoneHint lists at most.
const zoneListMax = 10

// ZoneHint says, for a zone name that is not under zones:, the zone a
// typo was likely meant to be ("did you mean example.com.?"), else the
// zones there are (at most zoneListMax of them named: a config of
// thousands would print them all).
func (c *Config) ZoneHint(name string) string {
	n := zone.CanonicalName(name)
	names := c.ZoneNames()
	if s := suggest.Closest(n, nil, names); s != "" {
		return "did you mean " + s + "?"
	}
	switch {
	case len(names) == 0:
		return "it has no zones"
	case len(names) <= zoneListMax:
		return "zones: " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("zones: %s and %d more", strings.Join(names[:zoneListMax], ", "), len(names)-zoneListMax)
}

// CutoverCuts are the configured zones whose delegation lives in the
// zone named parent, sorted: with registrar type parent and
// registrar.zone that zone, every other configured zone below it. The
// cutover changes their NS, glue and DS there (flip, rollback), so a
// push of the parent zone leaves them as its provider serves them. None
// for any other zone or registrar type.
func (c *Config) CutoverCuts(parent string) []string {
	if c.Registrar == nil || c.Registrar.Type != "parent" || c.Registrar.Zone == "" {
		return nil
	}
	p := zone.CanonicalName(parent)
	if zone.CanonicalName(c.Registrar.Zone) != p {
		return nil
	}
	var out []string
	for _, z := range c.Zones {
		if z.Name != p && dns.IsSubDomain(p, z.Name) {
			out = append(out, z.Name)
		}
	}
	sort.Strings(out)
	return out
}

// ZoneNames are the names of the zones, in the file's order.
func (c *Config) ZoneNames() []string {
	out := make([]string, len(c.Zones))
	for i, z := range c.Zones {
		out[i] = z.Name
	}
	return out
}

// ZoneFile is a zone's file as a path usable from the working directory.
func (c *Config) ZoneFile(z Zone) string {
	if filepath.IsAbs(z.File) || c.Dir == "" {
		return z.File
	}
	return filepath.Join(c.Dir, z.File)
}

// ProviderNames lists the providers in migration order: old, new, then any
// others by name.
func (c *Config) ProviderNames() []string {
	rank := func(n string) int {
		switch n {
		case "old":
			return 0
		case "new":
			return 1
		}
		return 2
	}
	out := make([]string, 0, len(c.Providers))
	for n := range c.Providers {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool {
		if ri, rj := rank(out[i]), rank(out[j]); ri != rj {
			return ri < rj
		}
		return out[i] < out[j]
	})
	return out
}

// NoProvider is the error for a provider name (--provider, registrar.provider)
// that is not under providers:: it lists those that are, and the one a
// typo was likely meant to be.
func (c *Config) NoProvider(name string) error {
	names := c.ProviderNames()
	if len(names) == 0 {
		return fmt.Errorf("no provider %q in %s (it has no providers: section)", name, c.Path)
	}
	hint := ""
	if s := suggest.Closest(name, nil, names); s != "" {
		hint = "; did you mean " + s + "?"
	}
	return fmt.Errorf("no provider %q in %s (providers: %s%s)", name, c.Path, strings.Join(names, ", "), hint)
}

// ZoneProviders are the providers plan, push and the Action's sync use by
// default: old and new (docs/ARCHITECTURE.md: only they are pushed and compared) when
// the config has either; otherwise every provider but the one the
// registrar uses for the parent zone.
func (c *Config) ZoneProviders() []string {
	var out []string
	for _, n := range c.ProviderNames() {
		if n == "old" || n == "new" {
			out = append(out, n)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, n := range c.ProviderNames() {
		if c.Registrar == nil || n != c.Registrar.Provider {
			out = append(out, n)
		}
	}
	return out
}

var (
	yamlLineRE    = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlUnknownRE = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
	yamlKindRE    = regexp.MustCompile("^cannot unmarshal !!\\w+ `(.*)` into (\\S+)$")
)

// yamlError turns a yaml.v3 error into PATH:LINE: message lines without Go
// type names ("unknown key max_change", not "field ... not found in type").
func yamlError(path string, err error) error {
	msgs := []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		line := ""
		if g := yamlLineRE.FindStringSubmatch(m); g != nil {
			line, m = g[1]+":", g[2]
		}
		if g := yamlUnknownRE.FindStringSubmatch(m); g != nil {
			m = fmt.Sprintf("unknown key %q", g[1])
			if s := suggestKey(g[1], knownKeys()[g[2]]); s != "" {
				m += fmt.Sprintf(" (did you mean %s?)", s)
			}
		} else if g := yamlKindRE.FindStringSubmatch(m); g != nil {
			m = fmt.Sprintf("%q is not %s", g[1], yamlKind(g[2]))
		}
		out = append(out, fmt.Sprintf("%s:%s %s", path, line, m))
	}
	return errors.New(strings.Join(out, "\n"))
}

// suggestKey is the known key a typo was meant to be: one edit away, else
// the one known key that starts with it ("max_change" → max_change_percent).
func suggestKey(key string, known []string) string {
	if s := suggest.Closest(key, nil, known); s != "" {
		return s
	}
	var match []string
	for _, k := range known {
		if strings.HasPrefix(k, key) {
			match = append(match, k)
		}
	}
	if len(match) == 1 {
		return match[0]
	}
	return ""
}

// knownKeys maps each struct type of the file (as yaml.v3 names it in
// "field x not found in type config.Policy") to its keys, inline fields'
// keys included.
var knownKeys = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	var visit func(t reflect.Type)
	var settings map[reflect.Type]bool // the providers' own keys (RegisterSettings)
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() != reflect.TypeOf(Config{}).PkgPath() && !settings[t] {
			return
		}
		if _, done := out[t.String()]; done {
			return
		}
		out[t.String()] = nil
		var keys []string
		for k, ft := range yamlKeys(t) {
			keys = append(keys, k)
			visit(ft)
		}
		if settings[t] {
			// A provider's own keys sit beside the common ones.
			for k := range commonKeys {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		out[t.String()] = keys
	}
	visit(reflect.TypeOf(Config{}))
	settings = map[reflect.Type]bool{}
	for _, typ := range settingsTypes.Types() {
		if f, ok := settingsTypes.Lookup(typ); ok {
			t := reflect.TypeOf(f())
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			settings[t] = true
			visit(t)
		}
	}
	return out
})

func yamlKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"), strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "string", strings.HasSuffix(goType, "Secret"):
		return "a string"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	}
	return "a mapping (key: value lines)"
}
