package ns1

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/miekg/dns"
	nsdns "gopkg.in/ns1/ns1-go.v2/rest/model/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/providertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// sdkFixtures are the JSON texts of a test file of the pinned ns1-go.
func sdkFixtures(t *testing.T, file string) []string {
	return providertest.SDKFixtures(t, "gopkg.in/ns1/ns1-go.v2", file, func(s string) bool { return json.Valid([]byte(s)) })
}

// TestSDKZoneRecordFixture: the record summaries of ns1-go's own zone test
// (rest/model/dns/zone_test.go, TestUnmarshalZoneRecords: an upper-case
// "Domain" key, "tier": 1.0, "link": null) are read by this provider's
// listing code into the RRsets they describe.
func TestSDKZoneRecordFixture(t *testing.T) {
	found := false
	for _, text := range sdkFixtures(t, "rest/model/dns/zone_test.go") {
		if !strings.Contains(text, "short_answers") || !strings.HasPrefix(strings.TrimSpace(text), "[") {
			continue
		}
		var recs []*nsdns.ZoneRecord
		if err := json.Unmarshal([]byte(text), &recs); err != nil {
			t.Fatalf("the SDK's fixture does not decode: %v", err)
		}
		z, err := records("test.zone.", &nsdns.Zone{Zone: "test.zone", Records: recs})
		if err != nil {
			t.Fatalf("the SDK's record summaries: %v", err)
		}
		for _, want := range []struct{ name, addr string }{{"foo.test.zone.", "1.2.3.4"}, {"bar.test.zone.", "5.6.7.8"}} {
			s := z.Get(want.name, dns.TypeA)
			if s == nil || s.TTL != 180 || !strings.Contains(strings.Join(s.Strings(), " "), want.addr) {
				t.Errorf("%s A: %v", want.name, s)
			}
		}
		found = true
	}
	if !found {
		t.Fatal("ns1-go's zone_test.go has no record-summary fixture any more")
	}
}

// TestSDKRecordBodyFixture: a record this provider creates marshals with
// "filters": [] and "regions": {} as ns1-go's own test expects of
// NewRecord (rest/model/dns/record_test.go, the CAA record), never null.
func TestSDKRecordBodyFixture(t *testing.T) {
	var want map[string]any
	for _, text := range sdkFixtures(t, "rest/model/dns/record_test.go") {
		if strings.Contains(text, `"type":"CAA"`) && strings.Contains(text, `"filters":[]`) {
			if err := json.Unmarshal([]byte(text), &want); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if want == nil {
		t.Fatal("ns1-go's record_test.go has no CAA fixture with filters [] any more")
	}
	p, err := New(&config.Provider{Type: "ns1", Settings: &Settings{APISettings: provider.APISettings{APIKey: "k"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rr, err := dns.NewRR(`caa.example.com. 3600 IN CAA 0 issue "letsencrypt.org"`)
	if err != nil {
		t.Fatal(err)
	}
	set, err := zone.NewRRSet([]dns.RR{rr})
	if err != nil {
		t.Fatal(err)
	}
	c := provider.Change{Action: provider.Create, Name: set.Name, Type: set.Type, New: set}
	rec, _, err := p.desired(context.Background(), "example.com", "unused", c, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"zone", "domain", "type", "filters", "regions"} {
		if g, w := jsonOf(got[k]), jsonOf(want[k]); g != w {
			t.Errorf("%s: sent %s, the SDK's fixture has %s", k, g, w)
		}
	}
	ga, wa := got["answers"].([]any), want["answers"].([]any)
	if len(ga) != 1 || len(wa) != 1 || jsonOf(ga[0].(map[string]any)["answer"]) != jsonOf(wa[0].(map[string]any)["answer"]) {
		t.Errorf("answers: sent %s, the SDK's fixture has %s", jsonOf(got["answers"]), jsonOf(want["answers"]))
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestToRRBackslash: NS1 writes a record's domain as plain text, escapes
// undocumented: a domain with a backslash is not read as either name it
// could be (provider.PlainName); '@' and ';' raw are one octet each.
func TestToRRBackslash(t *testing.T) {
	if rr, err := toRR(`x\.y.example.com`, "TXT", 300, "by hand"); err == nil {
		t.Errorf("read as %v, want it refused", rr)
	}
	rr, err := toRR("semi;colon.example.com", "TXT", 300, "by hand")
	if err != nil || rr.Header().Name != `semi\;colon.example.com.` {
		t.Errorf("read as %v (err %v), want semi\\;colon.example.com.", rr, err)
	}
}
