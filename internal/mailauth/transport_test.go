package mailauth

import (
	"errors"
	"strings"
	"testing"
)

// TestParseMTASTS: the MTA-STS record's grammar (RFC 8461 §3.1), from its
// own example (id=20160831085700Z) and records senders take as no policy.
func TestParseMTASTS(t *testing.T) {
	cases := []struct {
		rec, id, err string
	}{
		{rec: "v=STSv1; id=20160831085700Z;", id: "20160831085700Z"}, // RFC 8461 §3.1
		{rec: "v=STSv1;id=1", id: "1"},
		{rec: "v=STSv1; id=abc123; ext.x=y", id: "abc123"}, // an extension is ignored
		{rec: "v=STSv1 ; id=A1", id: "A1"},                 // *WSP before ";"
		{rec: "v=STSv1; id=" + strings.Repeat("a", 32), id: strings.Repeat("a", 32)},
		{rec: "v=STSv1; id=" + strings.Repeat("a", 33), err: "is not 1 to 32 letters and digits"},
		{rec: "v=STSv1; id=2016-08-31", err: "is not 1 to 32 letters and digits"},
		{rec: "v=STSv1;", err: "no field after the version"},
		{rec: "v=STSv1; mode=enforce", err: "has no id="},
		{rec: "v=STSv1; id=", err: "field id= is empty"},
		{rec: "v=STSv1; id=1; id=2", err: "id= is written twice"},
		{rec: "v=STSv1 id=1", err: "does not start with v=STSv1;"},
		{rec: "v=STSv1; id=1 mode=x", err: "field id=: character ' ' not allowed"},
		{rec: "v=stsv1; id=1", err: "does not start with v=STSv1;"}, // %s: case-sensitive
		{rec: "v=STSv1; id=1; x", err: "has no '='"},
	}
	for _, c := range cases {
		m, err := ParseMTASTS(c.rec)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: err %v, want %q", c.rec, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%q: %v", c.rec, err)
		case c.err == "" && m.ID != c.id:
			t.Errorf("%q: id %q, want %q", c.rec, m.ID, c.id)
		}
	}
}

// TestSelectMTASTS: records not starting with v=STSv1 are discarded; none
// or more than one is no policy (RFC 8461 §3.1).
func TestSelectMTASTS(t *testing.T) {
	if _, err := SelectMTASTS([]string{"v=spf1 -all"}); !errors.Is(err, ErrNoMTASTS) {
		t.Errorf("no record: %v", err)
	}
	if m, err := SelectMTASTS([]string{"other", "v=STSv1; id=x1"}); err != nil || m.ID != "x1" {
		t.Errorf("one record among others: %v %v", m, err)
	}
	if _, err := SelectMTASTS([]string{"v=STSv1; id=x1", "v=STSv1; id=x2"}); err == nil || !strings.Contains(err.Error(), "2 MTA-STS records") {
		t.Errorf("two records: %v", err)
	}
}

// TestParseTLSRPT: the TLSRPT record's grammar (RFC 8460 §3), from its
// own examples (§3.1) and records reporters cannot use.
func TestParseTLSRPT(t *testing.T) {
	cases := []struct {
		rec   string
		rua   int
		warns int
		err   string
	}{
		{rec: "v=TLSRPTv1;rua=mailto:reports@example.com", rua: 1},               // RFC 8460 §3.1
		{rec: "v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", rua: 1}, // RFC 8460 §3.1
		{rec: "v=TLSRPTv1; rua=mailto:a@example.com , https://r.example.com/x;", rua: 2},
		{rec: "v=TLSRPTv1; rua=mailto:a@example.com,http://r.example.com/", rua: 1, warns: 1},
		{rec: "v=TLSRPTv1; rua=http://r.example.com/", err: "holds no mailto: or https: URI"},
		{rec: "v=TLSRPTv1; rua=reports@example.com", err: "holds no mailto: or https: URI"},
		{rec: "v=TLSRPTv1; rua=mailto:", err: "holds no mailto: or https: URI"},
		{rec: "v=TLSRPTv1; ext=1", err: "has no rua="},
		{rec: "v=TLSRPTv1", err: "no field after the version"},
		{rec: "v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com", err: "rua= is written twice"},
		{rec: "v=TLSRPTv1 rua=mailto:a@example.com", err: "does not start with v=TLSRPTv1;"},
		{rec: "v=TLSRPTv2; rua=mailto:a@example.com", err: "does not start with v=TLSRPTv1;"},
	}
	for _, c := range cases {
		r, err := ParseTLSRPT(c.rec)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: err %v, want %q", c.rec, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%q: %v", c.rec, err)
		case c.err == "" && (len(r.RUA) != c.rua || len(r.Warnings) != c.warns):
			t.Errorf("%q: rua %q warnings %q, want %d and %d", c.rec, r.RUA, r.Warnings, c.rua, c.warns)
		}
	}
	if _, err := SelectTLSRPT([]string{"v=TLSRPTv1;rua=mailto:a@example.com", "v=TLSRPTv1;rua=mailto:b@example.com"}); err == nil || !strings.Contains(err.Error(), "2 TLSRPT records") {
		t.Errorf("two records: %v", err)
	}
	if _, err := SelectTLSRPT(nil); !errors.Is(err, ErrNoTLSRPT) {
		t.Errorf("no record: %v", err)
	}
}

// TestSMTPTLSA: a TLSA record of an SMTP server: data that does not fit
// its matching type is an error, usages 0 and 1 a warning (RFC 7672
// §3.1.3). The 32-octet digest is RFC 6698 §2.3's example.
func TestSMTPTLSA(t *testing.T) {
	const sha256 = "d2abde240d7cd3ee6b4b28c54df034b97983a1d16e8a410e4561cb106618e971"
	cases := []struct {
		usage, matching uint8
		data            string
		err, warn       string
	}{
		{usage: 3, matching: 1, data: sha256},
		{usage: 2, matching: 2, data: sha256 + sha256},
		{usage: 3, matching: 0, data: "3082010a"}, // full data: any length
		{usage: 3, matching: 1, data: sha256[:62], err: "31 octets, but matching type 1 (SHA-256) needs 32"},
		{usage: 3, matching: 2, data: sha256, err: "32 octets, but matching type 2 (SHA-512) needs 64"},
		{usage: 0, matching: 1, data: sha256, warn: "usage 0 (PKIX-TA) SHOULD NOT be used for SMTP (RFC 7672 §3.1.3)"}, // RFC 6698 §2.3
		{usage: 1, matching: 1, data: sha256[:2], err: "1 octets", warn: "usage 1 (PKIX-EE)"},
	}
	for _, c := range cases {
		err, warn := SMTPTLSA(c.usage, c.matching, c.data)
		if (c.err == "") != (err == "") || !strings.Contains(err, c.err) {
			t.Errorf("%d %d %s: err %q, want %q", c.usage, c.matching, c.data, err, c.err)
		}
		if (c.warn == "") != (warn == "") || !strings.Contains(warn, c.warn) {
			t.Errorf("%d %d %s: warn %q, want %q", c.usage, c.matching, c.data, warn, c.warn)
		}
	}
}
