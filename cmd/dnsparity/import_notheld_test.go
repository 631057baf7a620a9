package main

import (
	"strings"
	"testing"
)

// TestImportZoneNotHeld: import of a zone the provider does not hold (a
// typo) says so, naming the zone and the provider, for every API
// provider; every one of them lists its zones (provider.ZoneLister) and
// names the zone meant (PowerDNS in TestImportNotHeldLab). Exit 2,
// no file written. On the code before, the provider's raw error came
// alone ("provider old: ns1: zone exmaple.com. (page 1): GET
// zones/exmaple.com: zone not found at the provider (HTTP 404: zone not
// found)").
func TestImportZoneNotHeld(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func(*testing.T) *cloudEnv
		want string
	}{
		{"cloudflare", cloudflareEnv, "zone exmaple.com. is not at provider old (cloudflare): did you mean example.com.? ("},
		{"route53", route53Env, "zone exmaple.com. is not at provider old (route53): did you mean example.com.? ("},
		{"ns1", ns1Env, "zone exmaple.com. is not at provider old (ns1): did you mean example.com.? ("},
		{"dnsmadeeasy", dmeEnv, "zone exmaple.com. is not at provider old (dnsmadeeasy): did you mean example.com.? ("},
		{"cloudns", cloudnsEnv, "zone exmaple.com. is not at provider old (cloudns): did you mean example.com.? ("},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.env(t)
			code, out, errs := e.run(t, "import", "--provider", "old", "--zone", "exmaple.com")
			if code != exitError || out != "" || !strings.Contains(errs, "dnsparity import: "+tc.want) {
				t.Errorf("exit %d, stdout %q, want 2 and %q on stderr:\n%s", code, out, tc.want, errs)
			}
		})
	}
}
