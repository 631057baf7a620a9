package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
)

// TestEmergencyOwnKindAPIDownLab: flip --emergency with the old side,
// PowerDNS, partly down and its API down too (no listing). The server
// still answering transfers its LUA and ALIAS records as TYPE65402 and
// TYPE65401 (PowerDNS's own types, which no resolver asks for); what they
// answer is in the record: a LUA record's RDATA begins with the type it
// answers, an ALIAS answers A and AAAA. Judged by that (gitGives), a LUA
// record answering app A, which git gives as app A, and an ALIAS at
// alias, where git has alias A, vanish nowhere: the step is not refused
// for them (on the code before it was, naming TYPE65402 and TYPE65401,
// with a plan no one can follow: git cannot hold the types). A LUA record
// answering txt TXT, where git has txt A only, is still refused: that
// answer vanishes at the flip (a false pass is what a skip of every
// private-use type at a name git answers would have made).
func TestEmergencyOwnKindAPIDownLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	ctx := context.Background()
	git := pdnsGitText + "app A 192.0.2.99\nalias A 192.0.2.98\ntxt A 192.0.2.97\n"
	for _, tc := range []struct {
		name, served string
		ok           bool
		want         string
	}{
		{"LUA A and ALIAS git answers", "app LUA A \"'192.0.2.99'\"\nalias ALIAS www.example.test.\ntxt A 192.0.2.97\n", true, ""},
		{"LUA TXT git lacks", "app A 192.0.2.99\nalias A 192.0.2.98\ntxt A 192.0.2.97\ntxt LUA TXT \"'made by a script'\"\n", false, "txt.example.test. TXT"},
	} {
		srv := lab.PDNS(t, lab.Options{LUA: true, Zones: []lab.Zone{{Origin: origin, Text: pdnsGitText + tc.served}}})
		c := pdnsOldConfig(t, srv, origin, git)
		// The API down: nothing listens where it was.
		p, err := powerdns.New(&config.Provider{Name: "old", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: "http://" + silent(t), APIKey: config.Secret(srv.APIKey)}}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.Old.Provider = p
		c.defaults()
		c.Old.Servers = []string{srv.Addr, silent(t)}
		c.New = Side{Name: "new"}
		g := downComplete(ctx, c, &c.Old, &c.New, []string{srv.Addr})
		t.Logf("%s: old-complete ok=%v %s", tc.name, g.OK, g.Detail)
		if g.OK != tc.ok {
			t.Errorf("%s: old-complete ok=%v, want %v", tc.name, g.OK, tc.ok)
		}
		if !strings.Contains(g.Detail, "cannot be listed") {
			t.Errorf("%s: the listing did not fail: %s", tc.name, g.Detail)
		}
		if strings.Contains(g.Detail, "TYPE6540") {
			t.Errorf("%s: a record of PowerDNS's own type is named as served beyond git: %s", tc.name, g.Detail)
		}
		if tc.want != "" && !strings.Contains(g.Detail, tc.want) {
			t.Errorf("%s: the refusal does not name %s: %s", tc.name, tc.want, g.Detail)
		}
	}
}
