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
// matches or the parent holds none. A DS of a digest type dnsparity cannot
// compute that may be a new key's (dnssec.Unmatched's unknown) is named
// without the advice to remove it. remove: a warning says to remove a DS.
func staleDS(ctx context.Context, c *Config, ds []string) (warnings []string, remove bool) {
	if len(ds) == 0 {
		return nil, false
	}
	stale, unknown, served, err := dnssec.Unmatched(ctx, c.Zone.Origin, ds, c.New.Servers, c.Timeout)
	if err != nil {
		return []string{fmt.Sprintf("the DS at the parent were not compared with the new side's keys: %v", err)}, false
	}
	var out []string
	for _, d := range unknown {
		f := strings.Fields(d)
		out = append(out, fmt.Sprintf("the parent holds DS %s (key tag %s) of digest type %s, which dnsparity cannot compute: it was not compared with the new side's keys (key tags %s), one of which has its key tag and algorithm; check it with a tool that knows that digest type before removing it",
			d, f[0], f[2], served))
	}
	if len(stale) == len(ds) {
		return []string{fmt.Sprintf("no DS at the parent (%s) matches a DNSKEY the new side serves (key tags %s): validating resolvers cannot validate %s now; publish the new side's DS at the registrar and remove these (or remove them all to go unsigned)",
			strings.Join(ds, "; "), served, c.Zone.Origin)}, true
	}
	for _, d := range stale {
		tag := strings.Fields(d)[0]
		out = append(out, fmt.Sprintf("the parent holds DS %s (key tag %s), which matches no DNSKEY the new side serves (key tags %s): the old provider's key, left behind. Validation does not need it while another DS matches, but RFC 8901's last step removes it and a later key change could make it matter: remove that DS record at the registrar (dnsparity has no command for it), keeping the others",
			d, tag, served))
	}
	return out, len(stale) > 0
}
