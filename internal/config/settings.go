package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/registry"
	yaml "go.yaml.in/yaml/v3"
)

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
	// Optional: the variable may be unset or empty, and is then not
	// read (the AWS credential chain's own variables, ChainVars).
	Optional bool
	// Set takes the value read (never empty); an error is about the value,
	// which it must not repeat.
	Set func(Secret) error
	// Read, when set, reads a value that is in no variable (Env is
	// then ""): a key of the AWS shared credentials file the credential
	// chain signs with (awsconf.ProfileVars). It returns the value ("":
	// none to read) and what holds it, for errors (a key of a file,
	// never the value).
	Read func() (value, holder string)
}

// SecretVar is the Var of a secret read into dst.
func SecretVar(key, env, holds string, dst *Secret) Var {
	return Var{Key: key, Env: env, Holds: holds, Secret: true, Set: func(v Secret) error { *dst = v; return nil }}
}

var settingsTypes = registry.New[func() Settings]("provider settings")

// RegistrarType is what a registrar package tells the config about its
// registrar: block (RegisterRegistrar, from init()): each field may be
// nil.
type RegistrarType struct {
	// Check checks the block's keys when a config loads: its error
	// starts with the key it is about ("zone: ..."), so that the config
	// names the key's line.
	Check func(*Registrar) error
	// CheckProvider checks the provider under providers: that the block
	// names (registrar.provider) when a config loads: its error starts
	// with the key it is about, as Check's.
	CheckProvider func(*Registrar, *Provider) error
	// Vars are the variables the type's client reads beyond its tsig:
	// its keys' and those it reads from elsewhere (the AWS credential
	// chain's and its profile's: awsconf.ProfileVars), which Resolve
	// refuses where they stand in what a run shows, as it refuses the
	// config's own (Registrar.vars).
	Vars func(*Registrar) []Var
	// ParentZone, when set, is the configured zone in which the
	// registrar changes the delegations it flips ("": none), whose cuts
	// the cutover owns (Config.CutoverCuts).
	ParentZone func(*Registrar) string
}

// registrarTypes are the registrar types' registrations.
var registrarTypes = registry.New[RegistrarType]("registrar type")

// RegisterRegistrar makes what a registrar: block of type typ needs known
// to the config: the registrar package calls it from init(), once.
func RegisterRegistrar(typ string, t RegistrarType) { registrarTypes.Register(typ, t) }

// registrarType is the registration of r's type (zero: none).
func registrarType(r *Registrar) RegistrarType {
	t, _ := registrarTypes.Lookup(r.Type)
	return t
}

// RegisterSettings makes a provider type's own keys known to the config
// (provider.Register calls it): new returns an empty block to decode into.
func RegisterSettings(typ string, new func() Settings) { settingsTypes.Register(typ, new) }

// checkVars checks that each variable the keys name is written as a
// variable's name; where prefixes the keys ("providers.old"), and each
// error is on its key's line.
func (c *Config) checkVars(where string, vars []Var) []error {
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
		errs = append(errs, c.keyedErr(where, fmt.Errorf("%s is not an environment variable name (it names the variable that holds %s%s)", v.Key, v.Holds, tail)))
	}
	return errs
}

// resolveVars reads each variable; where prefixes the keys in errors,
// which name variables (as ShownEnvName allows), never values. With a
// config c, each error is led by the file and line of its key (c.at), a
// secret that stands in the config's public text (Public: a zone's name,
// a file's path) is refused (PublicSecretError), and each secret read is
// kept for the checks of what else a run shows (ShownSecret).
func resolveVars(getenv func(string) string, where string, vars []Var, c *Config) []error {
	var (
		errs []error
		read []readSecret
	)
	add := func(key string, err error) {
		if c != nil {
			if pos := c.at(key); pos != "" {
				err = fmt.Errorf("%s%w", pos, err)
			}
		}
		errs = append(errs, err)
	}
	for _, v := range vars {
		if v.Env == "" && v.Read == nil {
			continue
		}
		key := where
		if v.Key != "" {
			key += "." + v.Key
		}
		val, holder := "", envHolder(v.Env)
		if v.Read != nil {
			val, holder = v.Read()
		} else {
			val = getenv(v.Env)
		}
		if val == "" && (v.Optional || v.Read != nil) {
			continue
		}
		if val == "" {
			add(key, c.unsetError(key, v.Env))
			continue
		}
		if v.Secret && redact.TooShort(val) {
			add(key, shortSecretError(key, holder))
			continue
		}
		if v.Secret && c != nil && redact.InPublic([]string{val}, c.Public()) >= 0 {
			add(key, publicSecretError(key, holder))
			continue
		}
		if err := v.Set(Secret(val)); err != nil {
			add(key, fmt.Errorf("%s: %w", key, err))
			continue
		}
		if v.Secret && c != nil {
			read = append(read, readSecret{key: key, holder: holder, value: val})
		}
	}
	if c != nil {
		c.readNow(read)
	}
	return errs
}

// atOrFirst is at, and for a key the file does not have, its line 1
// (the whole file): "" only for a config read from no file.
func (c *Config) atOrFirst(key string) string {
	if p := c.at(key); p != "" || c.Path == "" || c.root == nil {
		return p
	}
	return c.Path + ":1: "
}

// At is at, for a message about the value of a key that is not the
// config's fault alone (a server it names that does not answer).
func (c *Config) At(key string) string { return c.at(key) }

// at is "PATH:LINE: " for the dotted key in the file ("" when its line is
// not known), the start of an error about its value.
func (c *Config) at(key string) string {
	if l := c.line(strings.Split(key, ".")...); l > 0 && c.Path != "" {
		return fmt.Sprintf("%s:%d: ", c.Path, l)
	}
	return ""
}
