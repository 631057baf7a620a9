package cloudns_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

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
// ClouDNS's octoDNS provider sends them).
func TestNAPTRLOCParametersRequired(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com")
	base := url.Values{"auth-id": {authID}, "auth-password": {password}, "domain-name": {"example.com"}, "ttl": {"300"}}
	forms := map[string]url.Values{
		"NAPTR": {"record-type": {"NAPTR"}, "host": {"enum"}, "order": {"100"}, "pref": {"10"}, "flag": {"u"}, "params": {"E2U+sip"}, "regexp": {"!^.*$!sip:a@example.com!"}, "replace": {"."}},
		"LOC": {"record-type": {"LOC"}, "host": {"loc"}, "lat-deg": {"52"}, "lat-min": {"22"}, "lat-sec": {"23"}, "lat-dir": {"N"}, "long-deg": {"4"}, "long-min": {"53"}, "long-sec": {"32"}, "long-dir": {"E"},
			"altitude": {"-2"}, "size": {"1"}, "h-precision": {"10000"}, "v-precision": {"10"}},
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
	if n := len(s.Records("example.com")); n != 4 { // the two apex NS and the two added
		t.Errorf("the fake holds %d records, want 4", n)
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
