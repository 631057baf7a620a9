package parity

import (
	"fmt"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/query"
)

// SetTraffic sets the options that make parity ask what clients really get
// from the config's parity section: Subnets from parity.client_subnets (in
// the file's order; the first two are the first probe's), Queries from
// parity.queries (relative to the config's directory) and MaxQueries from
// parity.max_queries. `dnsparity parity` and the cutover's parity gate
// both call it, so the gate asks the same probes; flags set afterwards
// override it.
func (o *Options) SetTraffic(cfg *config.Config) error {
	o.Subnets = nil
	for _, cs := range cfg.Parity.ClientSubnets {
		p, err := query.ParseSubnet(cs.CIDR)
		if err != nil {
			return fmt.Errorf("%s:%d: parity.client_subnets: %w", cfg.Path, cs.Line, err)
		}
		o.Subnets = append(o.Subnets, Subnet{Prefix: p, Region: cs.Region})
	}
	o.Queries = cfg.QueriesFile()
	o.MaxQueries = cfg.Parity.MaxQueries
	return nil
}
