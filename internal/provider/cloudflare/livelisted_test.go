package cloudflare

import (
	"encoding/json"
	"testing"

	"github.com/miekg/dns"
)

// TestLiveListedRecords: records as the live API lists them are read as
// their zone-file form. The answers are in the shape of a listing
// recorded from Cloudflare's API on 2026-08-04 by dnscontrol's
// integration tests (github.com/DNSControl/dnscontrol,
// providers/cloudflare/test_data/recorded_torc_input_nativeToRecord_dnscontroltest-cf.org.json,
// commit b2c380f5, with its golden reading beside it): a TXT whose text
// ends in a space is listed with the space inside its quotes (index 113,
// "\"trailingws \""), a quote and a backslash escaped inside them (106,
// 115); an SRV to "." with data.target "." and a content without its
// priority ("65 75 .", 171); a null MX with content "." (78); HTTPS and
// SVCB data.value as key="value" pairs, data.target with its final dot,
// an AliasMode record's value "" (59, 63); CAA flags 128 (145); a NAPTR
// replacement "." (153); LOC from its content, written without units
// beside a data object (146). cftest answers in these shapes; this test
// holds the reading to the recorded ones.
func TestLiveListedRecords(t *testing.T) {
	for _, c := range []struct{ listed, want string }{
		{`{"type":"TXT","name":"foows1.example.com","content":"\"trailingws \"","ttl":300}`,
			`foows1.example.com. 300 IN TXT "trailingws "`},
		{`{"type":"TXT","name":"foodq.example.com","content":"\"in\\\"side\"","ttl":300}`,
			`foodq.example.com. 300 IN TXT "in\"side"`},
		{`{"type":"TXT","name":"fooosbs1.example.com","content":"\"1back\\\\slash\"","ttl":300}`,
			`fooosbs1.example.com. 300 IN TXT "1back\\slash"`},
		{`{"type":"SRV","name":"_sip._tcp.example.com","content":"65 75 .","data":{"port":75,"priority":15,"target":".","weight":65},"priority":15,"ttl":300}`,
			`_sip._tcp.example.com. 300 IN SRV 15 65 75 .`},
		{`{"type":"SRV","name":"_sip._tcp.example.com","content":"6 7 foo.com","data":{"port":7,"priority":5,"target":"foo.com","weight":6},"priority":5,"ttl":300}`,
			`_sip._tcp.example.com. 300 IN SRV 5 6 7 foo.com.`},
		{`{"type":"MX","name":"nmx.example.com","content":".","priority":0,"ttl":300}`,
			`nmx.example.com. 300 IN MX 0 .`},
		{`{"type":"HTTPS","name":"example.com","content":"3 example.com. alpn=\"h2,h3\" port=\"999\" ech=\"AEn+DQBFKwAgACABWIHUGj4u+PIggYXcR5JF0gYk3dCRioBW8uJq9H4mKAAIAAEAAQABAANAEnB1YmxpYy50bHMtZWNoLmRldgAA\"","data":{"priority":3,"target":"example.com.","value":"alpn=\"h2,h3\" port=\"999\" ech=\"AEn+DQBFKwAgACABWIHUGj4u+PIggYXcR5JF0gYk3dCRioBW8uJq9H4mKAAIAAEAAQABAANAEnB1YmxpYy50bHMtZWNoLmRldgAA\""},"ttl":300}`,
			`example.com. 300 IN HTTPS 3 example.com. alpn="h2,h3" port="999" ech="AEn+DQBFKwAgACABWIHUGj4u+PIggYXcR5JF0gYk3dCRioBW8uJq9H4mKAAIAAEAAQABAANAEnB1YmxpYy50bHMtZWNoLmRldgAA"`},
		{`{"type":"SVCB","name":"example.com","content":"0 test.com.","data":{"priority":0,"target":"test.com.","value":""},"ttl":300}`,
			`example.com. 300 IN SVCB 0 test.com.`},
		{`{"type":"CAA","name":"example.com","content":"128 issue \"letsencrypt.org\"","data":{"flags":128,"tag":"issue","value":"letsencrypt.org"},"ttl":300}`,
			`example.com. 300 IN CAA 128 issue "letsencrypt.org"`},
		{`{"type":"NAPTR","name":"test.example.com","content":"100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:customer-service@example.com!\" .","data":{"flags":"U","order":100,"preference":10,"regex":"!^.*$!sip:customer-service@example.com!","replacement":".","service":"E2U+sip"},"ttl":300}`,
			`test.example.com. 300 IN NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:customer-service@example.com!" .`},
		{`{"type":"LOC","name":"example.com","content":"42 21 54.000 N 71 6 18.000 W -24.05 30.00 0.00 0.00","data":{"altitude":-24.05000000000291,"lat_degrees":42,"lat_direction":"N","lat_minutes":21,"lat_seconds":54,"long_degrees":71,"long_direction":"W","long_minutes":6,"long_seconds":18,"precision_horz":0,"precision_vert":0,"size":30},"ttl":300}`,
			`example.com. 300 IN LOC 42 21 54.000 N 71 06 18.000 W -24.05m 30m 0.00m 0.00m`},
	} {
		var r record
		if err := json.Unmarshal([]byte(c.listed), &r); err != nil {
			t.Fatal(err)
		}
		want, err := dns.NewRR(c.want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := toRR(r)
		if err != nil {
			t.Errorf("%s: %v", c.listed, err)
			continue
		}
		if !dns.IsDuplicate(got, want) || got.Header().Ttl != want.Header().Ttl {
			t.Errorf("%s\nread as %s\nwant    %s", c.listed, got, want)
		}
	}
}
