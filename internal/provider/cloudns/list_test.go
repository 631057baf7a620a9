package cloudns_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestEmptyLastPage: get-records-pages-count says 2 pages of 10 rows (11
// records), and the second comes back empty (its one record lost): the
// listing is an error, never the 10 records of the first page. Only the
// count of pages tells that the last page should hold a row.
func TestEmptyLastPage(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com") // and its two NS records
	for i := range 9 {
		s.Seed("example.com", cloudnstest.Record{Type: "A", Host: fmt.Sprintf("h%d", i), Record: fmt.Sprintf("192.0.2.%d", i), TTL: "300"})
	}
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	p.SetPageSize(10)
	s.AddFault(cloudnstest.Fault{Path: "records.json", Skip: 1, Times: 1, Status: cloudnstest.Short})
	_, err := p.Records(context.Background(), "example.com.")
	if want := "cloudns: zone example.com.: list records: page 2 of 2 holds 0 of 10 records a page: the listing is incomplete"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("an empty last page: %v, want %q", err, want)
	}
	if z, err := p.Records(context.Background(), "example.com."); err != nil || z.Len() != 10 { // 9 A RRsets and the NS RRset
		t.Errorf("the next listing, whole again: %v", err)
	}
}

// TestListingShiftedBetweenPages: records.json pages by number ("page",
// "rows-per-page": www.cloudns.net/wiki/article/57/), so page n is rows
// (n-1)×size+1 on of the zone as it is when page n is asked, and ClouDNS
// reports no count a page could be checked against. A record of page 1
// deleted after page 1 was read moves the first record of page 2 onto
// page 1, where it is never read; a record added meanwhile keeps the
// number of pages (get-records-pages-count) and fills the last page. Every
// page is then as full as the count says, and the listing misses a record
// the zone holds: it must be an error, or the zone as it now is, never
// one without that record.
func TestListingShiftedBetweenPages(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com") // and its two NS records
	var ids []string
	for i := range 18 { // 20 records: 2 pages of 10
		ids = append(ids, s.Seed("example.com", cloudnstest.Record{Type: "A", Host: fmt.Sprintf("h%02d", i), Record: fmt.Sprintf("192.0.2.%d", i), TTL: "300"}))
	}
	front := httptest.NewServer(fakeapi.Between(s.Config.Handler, func(r *http.Request) bool {
		return strings.HasSuffix(r.URL.Path, "/records.json") && r.Form.Get("page") == "1"
	}, func() { // once: a record of page 1 deleted, another added at the end
		s.Delete("example.com", ids[0])
		s.Seed("example.com", cloudnstest.Record{Type: "A", Host: "late", Record: "192.0.2.200", TTL: "300"})
	}))
	defer front.Close()
	p := newProviderAt(t, front.URL, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	p.SetPageSize(10)
	held := func() []string {
		var names []string
		for _, r := range s.Records("example.com") {
			if r.Type == "A" {
				names = append(names, r.Host+".example.com.")
			}
		}
		return names
	}
	providertest.ShiftedListing(t, p, "example.com.", held, "h00.example.com.")
}

// TestPageSizes: SetPageSize takes the rows-per-page ClouDNS documents
// (10, 20, 30, 50 or 100, "List records") and refuses any other with an
// error naming them, the page size unchanged: a listing after a refused
// size still reads the zone whole (the fake refuses other sizes, as
// ClouDNS does). Each size taken is the one the listing asks for.
func TestPageSizes(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com") // and its two NS records
	for i := range 25 {
		s.Seed("example.com", cloudnstest.Record{Type: "A", Host: fmt.Sprintf("h%d", i), Record: fmt.Sprintf("192.0.2.%d", i), TTL: "300"})
	}
	for _, tc := range []struct {
		size int
		ok   bool
	}{{10, true}, {20, true}, {30, true}, {50, true}, {100, true}, {0, false}, {-10, false}, {5, false}, {25, false}, {40, false}, {101, false}, {1000, false}} {
		t.Run(fmt.Sprint(tc.size), func(t *testing.T) {
			p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
			if err := p.SetPageSize(20); err != nil {
				t.Fatal(err)
			}
			err := p.SetPageSize(tc.size)
			if tc.ok != (err == nil) {
				t.Fatalf("SetPageSize(%d): %v, want ok %v", tc.size, err, tc.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "10 20 30 50 100") {
				t.Errorf("SetPageSize(%d): %v does not name the sizes ClouDNS takes", tc.size, err)
			}
			// The fake refuses what ClouDNS refuses, on records and on the
			// zone list.
			for _, endpoint := range []string{"records", "list-zones"} {
				resp, err := http.PostForm(s.URL+"/dns/"+endpoint+".json", url.Values{"auth-id": {authID}, "auth-password": {password},
					"domain-name": {"example.com"}, "page": {"1"}, "rows-per-page": {fmt.Sprint(tc.size)}})
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if failed := strings.Contains(string(body), `"Failed"`); failed == tc.ok {
					t.Errorf("%s.json with rows-per-page %d: %s", endpoint, tc.size, body)
				}
			}
			want := 20
			if tc.ok {
				want = tc.size
			}
			before := s.Count("list")
			z, err := p.Records(context.Background(), "example.com.")
			if err != nil {
				t.Fatalf("listing after SetPageSize(%d): %v", tc.size, err)
			}
			if z.Len() != 26 { // 25 A RRsets and the NS RRset
				t.Errorf("%d RRsets listed, want 26", z.Len())
			}
			pages := (27 + want - 1) / want
			reads := pages
			if pages > 1 {
				reads = 2 * pages // a listing of several pages is read until two readings agree (provider.Settled)
			}
			if n := s.Count("list") - before; n != reads {
				t.Errorf("%d listing requests, want %d: %d pages of %d rows", n, reads, pages, want)
			}
		})
	}
}

// TestRootTargetAsListed: a null MX (RFC 7505) and an SRV to "." (RFC
// 2782), as records.json lists them from the live API: "record": "" with
// the priority (and weight and port) beside it (dnscontrol's recording of
// 2026-08-04, github.com/DNSControl/dnscontrol providers/cloudns/
// test_data/recorded_torc_input_toRc_cloudnstest.yesthattom.com.json,
// commit b2c380f5, indexes 62, 67 and 144; read there as "MX 0 ." and
// "SRV 15 65 75 ."), are read with the root as their target, and git's
// same records plan no change.
func TestRootTargetAsListed(t *testing.T) {
	s, p := exampleZone(t)
	s.Seed("example.com", cloudnstest.Record{Type: "MX", Host: "nmx", Record: "", Priority: "0", TTL: "300"})
	s.Seed("example.com", cloudnstest.Record{Type: "SRV", Host: "_sip._tcp", Record: "", Priority: "15", Weight: "65", Port: "75", TTL: "300"})
	d := providertest.Desired(t, "example.com.", providertest.Head(zoneFile)+"nmx 300 MX 0 .\n_sip._tcp 300 SRV 15 65 75 .\n")
	got, err := p.Records(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range map[string]uint16{"nmx.example.com.": dns.TypeMX, "_sip._tcp.example.com.": dns.TypeSRV} {
		if g, want := got.Get(name, typ), d.Get(name, typ); g == nil || !g.SameData(want) {
			t.Errorf("%s %s: read %v, want %v", name, dns.Type(typ), g, want.Strings())
		}
	}
	for _, ch := range providertest.Plan(t, p, d).Changes {
		if ch.Type == dns.TypeMX || ch.Type == dns.TypeSRV {
			t.Errorf("git's same records plan %s", ch)
		}
	}
}

// TestRootTargetByAddRecord: a new null MX or SRV to "." goes by
// add-record, whose "." ClouDNS takes (dnscontrol's toReq, recorded
// against the live API), never in a records-import BIND text, whose
// reading of a root target no source shows; the other new RRsets of the
// push still go by records-import.
func TestRootTargetByAddRecord(t *testing.T) {
	s, p := exampleZone(t)
	p.SetImportBatch(5)
	d := providertest.Desired(t, "example.com.", providertest.Head(zoneFile)+"nmx 300 MX 0 .\n_x._tcp 300 SRV 0 0 0 .\nwww 300 A 192.0.2.80\nold 300 DNAME example.net.\n")
	providertest.Push(t, p, d)
	if n := s.Count("add-record"); n != 3 {
		t.Errorf("%d add-record calls, want 3 (the MX and the SRV to the root, the DNAME)", n)
	}
	if n := s.Count("records-import"); n != 1 {
		t.Errorf("%d records-import calls, want 1 (www's A)", n)
	}
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

// TestRootTargetRefused: a CNAME, NS, PTR or DNAME to the root, which
// nothing says ClouDNS takes (only an MX's and an SRV's "." are known to
// be: TestRootTargetByAddRecord) and which this provider would send as
// an empty record value that add-record refuses ("Missing record"), is
// refused at plan, naming the zone file's line; and a push handed one
// anyway (a change list not made by plan) sends nothing, not the changes
// before it: it fails when its calls are planned, before the first.
func TestRootTargetRefused(t *testing.T) {
	for _, typ := range []uint16{dns.TypeCNAME, dns.TypeNS, dns.TypePTR, dns.TypeDNAME} {
		tc := struct {
			line string
			typ  uint16
		}{"gone 300 " + dns.TypeToString[typ] + " .", typ}
		t.Run(dns.TypeToString[tc.typ], func(t *testing.T) {
			_, p := exampleZone(t)
			head := providertest.Head(zoneFile)
			d := providertest.Desired(t, "example.com.", head+"aaa 300 A 192.0.2.9\n"+tc.line+"\n")
			pl := providertest.Refuses(t, p, d, "gone.example.com.", tc.typ, "root")
			at := fmt.Sprintf("test.zone:%d: gone.example.com. %s", strings.Count(head, "\n")+2, dns.Type(tc.typ))
			if u := pl.Unsupported[0].String(); !strings.HasPrefix(u, at) {
				t.Errorf("refusal %q, want it to begin %q", u, at)
			}
			for _, batch := range []int{0, 5} {
				s, p := exampleZone(t)
				p.SetImportBatch(batch)
				changes := append(pl.Changes, provider.Change{Action: provider.Create, Name: "gone.example.com.", Type: tc.typ, New: d.Get("gone.example.com.", tc.typ)})
				res, err := p.Apply(context.Background(), "example.com.", changes, nil)
				if err == nil || !strings.Contains(err.Error(), "gone.example.com. "+dns.Type(tc.typ).String()) || !strings.Contains(err.Error(), "nothing was sent") {
					t.Errorf("import batch %d: push of a root target: %v, want it refused naming the change, nothing sent", batch, err)
				}
				if n := s.Count("write"); n != 0 || len(res.Applied) != 0 {
					t.Errorf("import batch %d: %d writes, %d changes applied, want none", batch, n, len(res.Applied))
				}
			}
		})
	}
}

// TestNAPTRLOCAsListed: NAPTR and LOC records as records.json lists them
// (their own fields, not record: ClouDNS's octoDNS provider and
// dnscontrol's, cloudnstest.Record) are read back, a LOC's numbers
// written with or without a fraction or "m", a NAPTR's replacement
// without its final dot and the root as "." or "".
func TestNAPTRLOCAsListed(t *testing.T) {
	for _, tc := range []struct {
		name string // the owner too
		typ  uint16
		rec  cloudnstest.Record
		want string
	}{
		{"naptr", dns.TypeNAPTR, cloudnstest.Record{Type: "NAPTR", Host: "naptr", TTL: "300", Order: "100", Pref: "10", Flag: "u", Params: "E2U+sip", Regexp: `!^(.*) (.*)$!sip:\1@\2!`, Replace: "."},
			`naptr 300 NAPTR 100 10 "u" "E2U+sip" "!^(.*) (.*)$!sip:\\1@\\2!" .`},
		{"naptr-replacement", dns.TypeNAPTR, cloudnstest.Record{Type: "NAPTR", Host: "naptr-replacement", TTL: "300", Order: "1", Pref: "2", Replace: "sip.example.net"},
			`naptr-replacement 300 NAPTR 1 2 "" "" "" sip.example.net.`},
		{"naptr-root-empty", dns.TypeNAPTR, cloudnstest.Record{Type: "NAPTR", Host: "naptr-root-empty", TTL: "300", Order: "1", Pref: "2", Flag: "s", Params: "SIP+D2U", Replace: ""},
			`naptr-root-empty 300 NAPTR 1 2 "s" "SIP+D2U" "" .`},
		{"loc-fractions", dns.TypeLOC, cloudnstest.Record{Type: "LOC", Host: "loc-fractions", TTL: "300", LatDeg: "52", LatMin: "22", LatSec: "23.000", LatDir: "N", LongDeg: "4", LongMin: "53", LongSec: "32.000", LongDir: "E", Altitude: "-2.00", Size: "1.00", HPrecision: "10000.00", VPrecision: "10.00"},
			"loc-fractions 300 LOC 52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m"},
		{"loc-plain", dns.TypeLOC, cloudnstest.Record{Type: "LOC", Host: "loc-plain", TTL: "300", LatDeg: "31", LatMin: "58", LatSec: "52.1", LatDir: "S", LongDeg: "115", LongMin: "49", LongSec: "11.7", LongDir: "E", Altitude: "20", Size: "10", HPrecision: "1000", VPrecision: "2"},
			"loc-plain 300 LOC 31 58 52.100 S 115 49 11.700 E 20m 10m 1000m 2m"},
		{"loc-metres", dns.TypeLOC, cloudnstest.Record{Type: "LOC", Host: "loc-metres", TTL: "300", LatDeg: "0", LatMin: "0", LatSec: "0", LatDir: "N", LongDeg: "0", LongMin: "0", LongSec: "0", LongDir: "W", Altitude: "0m", Size: "0m", HPrecision: "0m", VPrecision: "0m"},
			"loc-metres 300 LOC 0 0 0 N 0 0 0 W 0m 0m 0m 0m"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, authID, "")
			s.AddZone("example.com")
			s.Seed("example.com", tc.rec)
			p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: config.Secret(password)}, AuthID: authID}})
			z, err := p.Records(context.Background(), "example.com.")
			if err != nil {
				t.Fatal(err)
			}
			d := providertest.Desired(t, "example.com.", zoneFile+tc.want+"\n")
			want := d.Get(tc.name+".example.com.", tc.typ)
			if got := z.Get(want.Name, want.Type); got == nil || !got.SameData(want) || got.TTL != want.TTL {
				t.Errorf("read %v, want %s", got, tc.want)
			}
		})
	}
}

// TestLOCZeroSizeRoundTrip: a LOC whose size and precisions are 0 (RFC
// 1876 §2 allows it: a point, known exactly) is sent as "0", not "0.00",
// which ClouDNS takes for the parameter's default (1 m, 10,000 m, 10 m:
// dnscontrol's ClouDNS provider, formatLocParam; cloudnstest keeps it
// so), so the push would report success and every plan replace it
// again. Both ways of sending (records-import on, off) go by add-record.
func TestLOCZeroSizeRoundTrip(t *testing.T) {
	for _, batch := range []int{0, 5} {
		s := newServer(t, authID, "")
		s.AddZone("example.com")
		p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: config.Secret(password)}, AuthID: authID}})
		p.SetImportBatch(batch)
		d := providertest.Desired(t, "example.com.", zoneFile+"point 300 LOC 52 22 23.5 N 4 53 32 E 0m 0m 0m 0m\nhalf 300 LOC 1 2 3 S 4 5 6 W 2.50m 0.50m 1.50m 0.10m\n")
		providertest.Push(t, p, d)
		if pl := providertest.Plan(t, p, d); !pl.Empty() {
			t.Errorf("import batch %d: not converged: %v (the fake holds %v)", batch, pl.Changes, s.Records("example.com"))
		}
	}
}

// TestNAPTRLOCParametersRequired: cloudnstest refuses a NAPTR or LOC
// add-record that lacks one of its parameters (ClouDNS's PHP SDK sends
// every one, dnsAddRecord), and takes the whole form without record (as
// ClouDNS's octoDNS provider sends them); an RP or a HINFO without one
// of mail and txt, cpu and os (taken without record: ClouDNS's WHMCS
// module lists their data there alone), a CERT or an SMIMEA without one
// of its numbers or its record, an OPENPGPKEY without its record.
func TestNAPTRLOCParametersRequired(t *testing.T) {
	s := newServer(t, authID, "")
	// Its requests come unpaced: the limit is not what is tested.
	s.SetLimit(&fakeapi.Window{Limit: 1000, Period: 50 * time.Millisecond})
	s.AddZone("example.com")
	base := url.Values{"auth-id": {authID}, "auth-password": {password}, "domain-name": {"example.com"}, "ttl": {"300"}}
	forms := map[string]url.Values{
		"NAPTR": {"record-type": {"NAPTR"}, "host": {"enum"}, "order": {"100"}, "pref": {"10"}, "flag": {"u"}, "params": {"E2U+sip"}, "regexp": {"!^.*$!sip:a@example.com!"}, "replace": {"."}},
		"LOC": {"record-type": {"LOC"}, "host": {"loc"}, "lat-deg": {"52"}, "lat-min": {"22"}, "lat-sec": {"23"}, "lat-dir": {"N"}, "long-deg": {"4"}, "long-min": {"53"}, "long-sec": {"32"}, "long-dir": {"E"},
			"altitude": {"-2"}, "size": {"1"}, "h-precision": {"10000"}, "v-precision": {"10"}},
		"RP":         {"record-type": {"RP"}, "host": {"rp"}, "mail": {"mbox.example.com"}, "txt": {"txt.example.com"}},
		"HINFO":      {"record-type": {"HINFO"}, "host": {"hinfo"}, "cpu": {"PC"}, "os": {"Linux"}},
		"CERT":       {"record-type": {"CERT"}, "host": {"cert"}, "record": {"SGVsbG8gd29ybGQ="}, "cert-type": {"3"}, "cert-key-tag": {"0"}, "cert-algorithm": {"0"}},
		"SMIMEA":     {"record-type": {"SMIMEA"}, "host": {"smimea"}, "record": {"0123abcd"}, "smimea-usage": {"3"}, "smimea-selector": {"1"}, "smimea-matching-type": {"1"}},
		"OPENPGPKEY": {"record-type": {"OPENPGPKEY"}, "host": {"openpgp"}, "record": {"SGVsbG8gd29ybGQ="}},
	}
	post := func(f url.Values) (status, desc string) {
		t.Helper()
		all := url.Values{}
		for k, v := range base {
			all[k] = v
		}
		for k, v := range f {
			all[k] = v
		}
		resp, err := http.PostForm(s.URL+"/dns/add-record.json", all)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Status, StatusDescription string }
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out.Status, out.StatusDescription
	}
	for typ, f := range forms {
		for k := range f {
			if k == "record-type" || k == "host" {
				continue
			}
			less := url.Values{}
			for k2, v := range f {
				if k2 != k {
					less[k2] = v
				}
			}
			if st, desc := post(less); st != "Failed" || !strings.Contains(desc, k) {
				t.Errorf("%s without %s: %s %q, want refused naming it", typ, k, st, desc)
			}
		}
		if st, desc := post(f); st != "Success" {
			t.Errorf("%s whole: %s %q", typ, st, desc)
		}
	}
	if n := len(s.Records("example.com")); n != 2+len(forms) { // the two apex NS and those added
		t.Errorf("the fake holds %d records, want %d", n, 2+len(forms))
	}
}

// TestNAPTRLOCUnreadableShown: a LOC or NAPTR ClouDNS lists whose fields
// dnsparity cannot read (a latitude of 91 degrees, an order past 16
// bits; as if made in its control panel) is reported unrepresentable
// with its fields as its value (its record is empty: the data are in
// fields of their own), not an empty value.
func TestNAPTRLOCUnreadableShown(t *testing.T) {
	for _, tc := range []struct {
		rec  cloudnstest.Record
		want string
	}{
		{cloudnstest.Record{Type: "LOC", Host: "badloc", TTL: "300", LatDeg: "91", LatMin: "0", LatSec: "0", LatDir: "N", LongDeg: "0", LongMin: "0", LongSec: "0", LongDir: "E", Altitude: "0", Size: "1", HPrecision: "10000", VPrecision: "10"},
			"91 0 0 N 0 0 0 E 0m 1m 10000m 10m"},
		{cloudnstest.Record{Type: "NAPTR", Host: "badnaptr", TTL: "300", Order: "70000", Pref: "10", Flag: "u", Params: "E2U+sip", Regexp: "!^.*$!sip:a@example.com!", Replace: "."},
			`70000 10 "u" "E2U+sip" "!^.*$!sip:a@example.com!" .`},
	} {
		t.Run(tc.rec.Type, func(t *testing.T) {
			s, p := exampleZone(t)
			s.Seed("example.com", tc.rec)
			_, fs, err := provider.Read(context.Background(), p, "example.com.")
			if err != nil {
				t.Fatal(err)
			}
			var got []provider.Feature
			for _, f := range fs {
				if f.Feature == provider.Unrepresentable {
					got = append(got, f)
				}
			}
			if len(got) != 1 || got[0].Type != tc.rec.Type || got[0].Value != tc.want {
				t.Errorf("unrepresentable %+v, want one %s valued %q", got, tc.rec.Type, tc.want)
			}
		})
	}
}
