package main

// Providers register themselves with internal/provider from init().
import (
	"errors"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	_ "github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	_ "github.com/dnsparity/dnsparity/internal/provider/cloudns"
	_ "github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy"
	_ "github.com/dnsparity/dnsparity/internal/provider/ns1"
	_ "github.com/dnsparity/dnsparity/internal/provider/powerdns"
	_ "github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	_ "github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// knownTypes refuses a config whose provider or registrar type no package
// registers (config.Loads.Types: every command that loads the config).
func knownTypes(cfg *config.Config) error {
	return errors.Join(provider.KnownTypes(cfg), registrar.KnownType(cfg.Registrar))
}
