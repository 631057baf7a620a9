package cloudflare_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestRecordSizeLimits: "Each DNS record has a maximum wire format size
// of 4,096 bytes", and "If you have multiple records with the same name
// and type, their combined content length must not exceed 8,192
// characters" (DNS record types,
// developers.cloudflare.com/dns/manage-dns-records/reference/dns-record-types/;
// cftest refuses both). A TXT RRset of five 1,665-character contents
// (8,325 in all), and an OPENPGPKEY whose key makes the record over 4,096
// octets (its content, base64, under 8,192 characters), passed plan and
// failed at push: plan refuses each, naming the limit, and sends nothing
// of it; the same RRsets within the limits are pushed and read back with
// nothing left to do.
func TestRecordSizeLimits(t *testing.T) {
	txt := func(n int) string { // n TXT records of 1,665 characters of content (7 strings)
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "t 300 TXT \"%d%s\" \"%s\" \"%s\" \"%s\" \"%s\" \"%s\" \"%s\"\n", i, strings.Repeat("a", 234), strings.Repeat("b", 235), strings.Repeat("c", 235), strings.Repeat("d", 235), strings.Repeat("e", 235), strings.Repeat("f", 235), strings.Repeat("g", 235))
		}
		return b.String()
	}
	key := func(octets int) string {
		return "k 300 OPENPGPKEY " + base64.StdEncoding.EncodeToString(make([]byte, octets)) + "\n"
	}
	for _, tc := range []struct {
		name, over, within, owner, want string
		typ                             uint16
	}{
		{"combined-content", txt(5), txt(4), "t.example.com.", "8192", dns.TypeTXT},
		{"wire-size", key(4090), key(4000), "k.example.com.", "4096", dns.TypeOPENPGPKEY},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			s.AddZone("example.com")
			p := newProvider(t, s, token)
			head := providertest.Head(zoneFile)
			providertest.Refuses(t, p, desired(t, head+tc.over), tc.owner, tc.typ, tc.want)
			at := desired(t, head+tc.within)
			providertest.Push(t, p, at)
			if again := providertest.Plan(t, p, at); !again.Empty() {
				t.Errorf("not converged: %v", again.Changes)
			}
		})
	}
}
