package parity

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/mailauth"
)

// txtOnly answers the TXT lookup of company.test. with txt (failed: as a
// server failure) and every other lookup with one address.
type txtOnly struct {
	txt    []string
	failed bool
}

func (r txtOnly) Lookup(_ context.Context, name string, qtype uint16) (mailauth.Result, error) {
	if qtype != dns.TypeTXT {
		return mailauth.Result{Status: "NOERROR", Records: []string{"192.0.2.1"}}, nil
	}
	if r.failed {
		return mailauth.Result{Status: "SERVFAIL", Failed: true}, nil
	}
	if len(r.txt) == 0 {
		return mailauth.Result{Status: "NXDOMAIN"}, nil
	}
	return mailauth.Result{Status: "NOERROR", Records: r.txt}, nil
}

// TestSPFLookupsNoRecord: when one side serves no SPF record receivers
// can evaluate (a record split unquoted, "v=spf1" "a" "-all" read as
// v=spf1a-all, RFC 7208 §3.3; none at all; one that does not parse; a
// failed lookup), parity's spf-lookups finding says that side has none,
// not that it needs 0 lookups. On the code before, it said "SPF needs 1
// DNS lookups on old and 0 on new", as though new's record were cheaper
// (the onlynew case of TestParityIgnoredMailLab). Two records read still
// compare their counts.
func TestSPFLookupsNoRecord(t *testing.T) {
	quoted := txtOnly{txt: []string{"v=spf1 a -all"}}
	for _, tc := range []struct {
		what   string
		o, n   txtOnly
		detail string // in the detail
		none   string // the side named as serving none; "" for both read
	}{
		{"new split unquoted", quoted, txtOnly{txt: []string{"v=spf1a-all"}}, "SPF needs 1 DNS lookups on old (limit 10", "new"},
		{"old split unquoted", txtOnly{txt: []string{"v=spf1a-all"}}, quoted, "SPF needs 1 DNS lookups on new (limit 10", "old"},
		{"no TXT on new", quoted, txtOnly{}, "SPF needs 1 DNS lookups on old", "new"},
		{"new's does not parse", quoted, txtOnly{txt: []string{"v=spf1 a foo -all"}}, "SPF needs 1 DNS lookups on old", "new"},
		{"new's lookup failed", quoted, txtOnly{failed: true}, "SPF needs 1 DNS lookups on old", "new"},
		{"both read", quoted, txtOnly{txt: []string{"v=spf1 a mx -all"}}, "SPF needs 1 DNS lookups on old and 2 on new", ""},
	} {
		t.Run(tc.what, func(t *testing.T) {
			ctx := context.Background()
			o, n := mailauth.Evaluate(ctx, tc.o, "company.test."), mailauth.Evaluate(ctx, tc.n, "company.test.")
			var f *Finding
			for _, g := range spfFindings(Finding{Name: "company.test.", Type: "TXT"}, o, n) {
				if g.Kind == "spf-lookups" {
					f = &g
				}
			}
			if f == nil {
				t.Fatal("no spf-lookups finding")
			}
			if !strings.Contains(f.Detail, tc.detail) {
				t.Errorf("detail %q, want %q in it", f.Detail, tc.detail)
			}
			says := tc.none + " serves no SPF record receivers can evaluate at company.test"
			if tc.none == "" {
				if strings.Contains(f.Detail, "serves no SPF record") {
					t.Errorf("detail %q says a side serves none; both do", f.Detail)
				}
				return
			}
			if !strings.Contains(f.Detail, says) || strings.Contains(f.Detail, "0 on") {
				t.Errorf("detail %q, want %q and no count of 0 for it", f.Detail, says)
			}
			if got := map[string]string{"old": f.Old, "new": f.New}[tc.none]; got != "no SPF record evaluated" {
				t.Errorf("%s's answer %q, want \"no SPF record evaluated\"", tc.none, got)
			}
		})
	}
}

// TestSPFLookupsSeverity: lookup counts that differ between the sides
// but stay within the limit on both are a warning (receivers evaluate
// both; the records that differ are the comparison's errors), over the
// limit on either side an error. Before, any difference was an error.
func TestSPFLookupsSeverity(t *testing.T) {
	many := "v=spf1 a mx a:a.company.test a:b.company.test a:c.company.test a:d.company.test a:e.company.test a:f.company.test a:g.company.test a:h.company.test -all"
	for _, tc := range []struct {
		what string
		o, n txtOnly
		sev  string
	}{
		{"1 and 2 lookups", txtOnly{txt: []string{"v=spf1 a -all"}}, txtOnly{txt: []string{"v=spf1 a mx -all"}}, SevWarning},
		{"1 and 9 lookups", txtOnly{txt: []string{"v=spf1 a -all"}}, txtOnly{txt: []string{strings.Replace(many, " a:h.company.test", "", 1)}}, SevWarning},
		{"1 and 11 lookups", txtOnly{txt: []string{"v=spf1 a -all"}}, txtOnly{txt: []string{many + " a:i.company.test"}}, SevError},
	} {
		t.Run(tc.what, func(t *testing.T) {
			ctx := context.Background()
			o, n := mailauth.Evaluate(ctx, tc.o, "company.test."), mailauth.Evaluate(ctx, tc.n, "company.test.")
			found := false
			for _, g := range spfFindings(Finding{Name: "company.test.", Type: "TXT"}, o, n) {
				if g.Kind != "spf-lookups" {
					continue
				}
				found = true
				if g.Severity != tc.sev {
					t.Errorf("spf-lookups %s (%s), want %s", g.Severity, g.Detail, tc.sev)
				}
			}
			if !found {
				t.Error("no spf-lookups finding")
			}
		})
	}
}
