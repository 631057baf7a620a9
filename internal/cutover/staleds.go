package cutover

import (
	"context"
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/dnssec"
)

// staleDS is finish's warning about the DS records at the parent that
// match no key the new side serves (dnssec.Unmatched): the old provider's
// KSK left behind once the old provider is gone. Validation does not need
// them while another DS matches, so they do not block the finish, but RFC
// 8901's last step removes them and a later key change at the new
// provider could collide with one. One warning per DS; none when every DS
// matches or the parent holds none.
func staleDS(ctx context.Context, c *Config, ds []string) []string {
	if len(ds) == 0 {
		return nil
	}
	stale, served, err := dnssec.Unmatched(ctx, c.Zone.Origin, ds, c.New.Servers, c.Timeout)
	if err != nil {
		return []string{fmt.Sprintf("the DS at the parent were not compared with the new side's keys: %v", err)}
	}
	if len(stale) == len(ds) {
		return []string{fmt.Sprintf("no DS at the parent (%s) matches a DNSKEY the new side serves (key tags %s): validating resolvers cannot validate %s now; publish the new side's DS at the registrar and remove these (or remove them all to go unsigned)",
			strings.Join(ds, "; "), served, c.Zone.Origin)}
	}
	var out []string
	for _, d := range stale {
		tag := strings.Fields(d)[0]
		out = append(out, fmt.Sprintf("the parent holds DS %s (key tag %s), which matches no DNSKEY the new side serves (key tags %s): the old provider's key, left behind. Validation does not need it while another DS matches, but RFC 8901's last step removes it and a later key change could make it matter: remove that DS record at the registrar (dnsparity has no command for it), keeping the others",
			d, tag, served))
	}
	return out
}
