package check

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// mailHead is a clean zone the cases add their records to (mailHeadLines
// lines, so a case's first line is mailHeadLines+1).
const (
	mailHead = `$ORIGIN example.test.
$TTL 3600
@    IN SOA ns1.example.test. hostmaster.example.test. ( 1 3600 600 1209600 300 )
@    IN NS  ns1.example.test.
ns1  IN A   192.0.2.53
mx1  IN A   192.0.2.25
@    IN MX  10 mx1.example.test.
`
	mailHeadLines = 7
)

// dkimKey is a real 2048-bit RSA key (testdata/parity/realworld.parity.test.zone),
// in the three strings that zone writes it as.
var dkimKey = [3]string{
	"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqOFBUF6ML772Lh6L",
	"csnEuG0cMpQDqmX0Ue7JqKtex4+T8YkOtuYhwhFRIVeR8PhtolqSqkzMMwqkvvucRthLKV6zwKad2GU5kaHuwkM3BrrYvS9W+yPPEtxpfkZnyVpY0vndVoIp+fomo4GqW/MQWay66d1/jr23XpobhU7zTWusXNflugAdWMnARvfQ7nkljjZvxxSQuc8/cSHEcH0Dvee8C7uZW43rLDPKkPZPRPXSNB9ux+N5Hh2bgpDkr325",
	"UdOqWDC0G4Apdlld6irnv5o3ChBl24O3SitMXLdw7xoej89dJcCatAWq1mTBo2A8v8rWYFmW5q2SsI8d8hQZFQIDAQAB",
}

// wantProblem is one expected problem: its line within the case's
// records (1 = the first), its severity, and substrings of its message.
type wantProblem struct {
	line int
	sev  zone.Severity
	msg  []string
}

// TestCheckMail: check judges the zone file's own SPF, DKIM and DMARC
// records (internal/mailauth), each problem on its record's line: what
// makes receivers fail mail is an error, what they ignore in a DMARC
// record that stands a warning; names outside the zone are not asked
// and not reported.
func TestCheckMail(t *testing.T) {
	cases := []struct {
		name    string
		records string
		want    []wantProblem
		noMsg   []string // in no problem's message
	}{
		{name: "SPF that does not parse",
			records: `@ IN TXT "v=spf1 mx inclde:_spf.example.net -all"`,
			want:    []wantProblem{{1, zone.Error, []string{"example.test. TXT: SPF evaluation fails (permerror): the SPF record at example.test does not parse", "inclde"}}}},
		{name: "SPF macro with a zero DIGIT transformer (RFC 7208 §7.3)",
			records: `@ IN TXT "v=spf1 mx exists:%{i}._spf.%{d0} -all"`,
			want:    []wantProblem{{1, zone.Error, []string{"the SPF record at example.test does not parse", `macro "%{d0}": the number of right-hand parts must be nonzero (RFC 7208 §7.3)`}}}},
		{name: "SPF over 10 lookups through in-zone includes",
			records: `@ IN TXT "v=spf1 mx include:_spf1.example.test -all"
_spf1 IN TXT "v=spf1 a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test include:_spf2.example.test -all"
_spf2 IN TXT "v=spf1 a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test -all"`,
			want: []wantProblem{{1, zone.Error, []string{"SPF needs 12 DNS lookups (limit 10, RFC 7208 §4.6.4), receivers return permerror: example.test → _spf1.example.test → _spf2.example.test"}}}},
		// %{d} is the record's own domain for every message (RFC 7208
		// §7.3): followed, as receivers do.
		{name: "SPF over 10 lookups through an include named by %{d}",
			records: `@ IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf1.%{d} -all"
_spf1 IN TXT "v=spf1 a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test -all"`,
			want: []wantProblem{{1, zone.Error, []string{"SPF needs 11 DNS lookups", "example.test → _spf1.example.test"}}}},
		{name: "exactly 10 lookups",
			records: `@ IN TXT "v=spf1 mx include:_spf1.example.test -all"
_spf1 IN TXT "v=spf1 a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test include:_spf2.example.test -all"
_spf2 IN TXT "v=spf1 a:mx1.example.test a:mx1.example.test a:mx1.example.test -all"`},
		{name: "two SPF records at one name",
			records: `www IN A 192.0.2.80
www IN TXT "v=spf1 -all"
www IN TXT "v=spf1 ip4:192.0.2.0/24 -all"`,
			want: []wantProblem{{2, zone.Error, []string{"www.example.test. TXT: SPF evaluation fails (permerror): 2 SPF records at www.example.test (RFC 7208 §4.5: at most one)"}}}},
		// Which records (their lines in the file: mailHeadLines + 2 and + 4):
		// the message was on the set's line only.
		{name: "two SPF records at one name, each named by its line",
			records: `www IN A 192.0.2.80
www IN TXT "v=spf1 -all"
www IN TXT "hello"
www IN TXT "v=spf1 ip4:192.0.2.0/24 -all"`,
			want: []wantProblem{{2, zone.Error, []string{"2 SPF records at www.example.test (RFC 7208 §4.5: at most one): the SPF records of lines 9 and 11"}}}},
		{name: "SPF with out-of-zone includes: not counted, not reported",
			records: `@ IN TXT "v=spf1 mx ip4:192.0.2.0/24 include:_spf.google.com include:spf.protection.outlook.com include:mailgun.org include:sendgrid.net ~all"`},
		{name: "redirect loop: worded as one",
			records: `@ IN TXT "v=spf1 mx redirect=_spf.example.test"
_spf IN TXT "v=spf1 a redirect=example.test"`,
			want: []wantProblem{{1, zone.Error, []string{"SPF evaluation fails (permerror): redirect loop at example.test (its redirect= leads back to itself, directly or through others)"}}}},
		// include= is an unknown modifier: ignored, its target not read
		// (no permerror for _spf), and a warning on its line (§6).
		{name: "include= is an unknown modifier: ignored, its target not read (RFC 7208 §6)",
			records: `@ IN TXT "v=spf1 mx include=_spf.example.test"
_spf IN TXT "not spf"`,
			want: []wantProblem{{1, zone.Warning, []string{"example.test. TXT: SPF: include=_spf.example.test is an unknown modifier, not the include mechanism: receivers ignore it (RFC 7208 §6); write include:_spf.example.test"}}}},
		{name: "ip4= is an unknown modifier: a warning (RFC 7208 §6)",
			records: `@ IN TXT "v=spf1 mx ip4=192.0.2.0/24 -all"`,
			want:    []wantProblem{{1, zone.Warning, []string{"SPF: ip4=192.0.2.0/24 is an unknown modifier", "write ip4:192.0.2.0/24"}}}},
		{name: "redirect: is an unknown mechanism: an error, with the modifier to write",
			records: `@ IN TXT "v=spf1 mx redirect:_spf.example.test"`,
			want:    []wantProblem{{1, zone.Error, []string{`unknown mechanism "redirect" (RFC 7208 §12: a permerror); redirect is a modifier: write redirect=_spf.example.test`}}}},
		{name: "ptr: a warning (RFC 7208 §5.5: SHOULD NOT be published), on the SPF record's line",
			records: `www IN TXT "google-site-verification=abc"
www IN TXT "v=spf1 ptr -all"`,
			want: []wantProblem{{2, zone.Warning, []string{"www.example.test. TXT: SPF: ptr: the ptr mechanism SHOULD NOT be published (RFC 7208 §5.5"}}}},
		{name: "+all: a warning, every host passes",
			records: `@ IN TXT "v=spf1 mx +all"`,
			want:    []wantProblem{{1, zone.Warning, []string{"SPF: +all passes mail from every host on the Internet (RFC 7208 §5.1", "end the record with -all or ~all"}}}},
		{name: "?all: legitimate, no warning",
			records: `@ IN TXT "v=spf1 mx ?all"`},
		{name: "mechanisms after all: never tested (RFC 7208 §5.1)",
			records: `@ IN TXT "v=spf1 -all mx ip4:192.0.2.0/24"`,
			want:    []wantProblem{{1, zone.Warning, []string{"SPF: mx ip4:192.0.2.0/24 after -all: receivers never test mechanisms after all (RFC 7208 §5.1); move them before -all"}}}},
		{name: "redirect= next to all: ignored (RFC 7208 §6.1), its target not read",
			records: `@ IN TXT "v=spf1 mx redirect=_spf.example.test ~all"
_spf IN TXT "not spf"`,
			want: []wantProblem{{1, zone.Warning, []string{"SPF: redirect=_spf.example.test is ignored: the record has an all mechanism (~all)", "(RFC 7208 §6.1)"}}}},
		{name: "the p macro: a warning (RFC 7208 §7.2: do not use)",
			records: `@ IN TXT "v=spf1 mx exists:%{p}._allow.example.test -all"`,
			want:    []wantProblem{{1, zone.Warning, []string{`SPF: exists:%{p}._allow.example.test uses the p macro (%{p}): RFC 7208 §7.2 says "do not use"`}}}},
		{name: "two SPF warnings in one problem, and an included record's own",
			records: `@ IN TXT "v=spf1 ptr include:_spf.example.test -all a"
_spf IN TXT "v=spf1 ip4=192.0.2.0/24 -all"`,
			want: []wantProblem{
				{1, zone.Warning, []string{"SPF: ptr: the ptr mechanism SHOULD NOT be published", "; a after -all"}},
				{2, zone.Warning, []string{"_spf.example.test. TXT: SPF: ip4=192.0.2.0/24 is an unknown modifier"}}}},
		{name: "in-zone include without an SPF record",
			records: `@ IN TXT "v=spf1 include:_spf.example.test -all"
_spf IN TXT "not spf"`,
			want: []wantProblem{{1, zone.Error, []string{"SPF evaluation fails (permerror): no SPF record at _spf.example.test (NOERROR)"}}}},
		{name: "include below a zone cut: not asked",
			records: `@ IN TXT "v=spf1 include:_spf.sub.example.test -all"
sub IN NS ns1.example.test.`},
		{name: "more than 2 void lookups",
			records: `@ IN TXT "v=spf1 a:gone1.example.test a:gone2.example.test mx:mx1.example.test -all"`,
			want:    []wantProblem{{1, zone.Error, []string{"more than 2 SPF lookups answer NXDOMAIN or NODATA", "3 void lookups (gone1.example.test A, gone2.example.test A, mx1.example.test MX)"}}}},
		{name: "wildcard answers a lookup (not void)",
			records: `@ IN TXT "v=spf1 a:x.apps.example.test a:gone1.example.test a:gone2.example.test -all"
*.apps IN A 192.0.2.90`},
		{name: "include under a wildcard that is an empty non-terminal: NODATA (RFC 4592 §4.2)",
			records: `@ IN TXT "v=spf1 include:_spf.w.example.test -all"
x.*.w IN TXT "below the wildcard"`,
			// In the file's line order: the SPF record's error (line 1)
			// before check's own warning of the literal '*' label (line 2).
			want: []wantProblem{{1, zone.Error, []string{"no SPF record at _spf.w.example.test (NODATA)"}},
				{2, zone.Warning, []string{"the '*' label is not the leftmost", "makes *.w.example.test. a wildcard with no records of its own"}}}},
		{name: "empty non-terminal: a void lookup",
			records: `@ IN TXT "v=spf1 a:ent.example.test a:gone1.example.test a:gone2.example.test -all"
host.ent IN A 192.0.2.77`,
			want: []wantProblem{{1, zone.Error, []string{"3 void lookups (ent.example.test A, gone1.example.test A, gone2.example.test A)"}}}},
		{name: "include through a CNAME inside the zone",
			records: `@ IN TXT "v=spf1 include:spf.example.test -all"
spf IN CNAME _spf.example.test.
_spf IN TXT "v=spf1 ip4:192.0.2.0/24 -all"`},
		{name: "include through a DNAME inside the zone (RFC 6672)",
			records: `@ IN TXT "v=spf1 include:_spf.old.example.test -all"
old IN DNAME new.example.test.
_spf.new IN TXT "v=spf1 ip4:192.0.2.0/24 -all"`},
		{name: "include through a DNAME out of the zone: not asked",
			records: `@ IN TXT "v=spf1 include:_spf.old.example.test -all"
old IN DNAME example.net.`},
		{name: "a name below a DNAME is substituted, its own data occluded",
			records: `@ IN TXT "v=spf1 include:_spf.old.example.test -all"
old IN DNAME new.example.test.
_spf.new IN TXT "v=spf1 -all"
_spf.old IN TXT "v=spf1 include:gone.example.test -all"`,
			want: []wantProblem{{4, zone.Warning, []string{"is below the DNAME at old.example.test."}}}},
		{name: "broken included record: on its own line only",
			records: `@ IN TXT "v=spf1 include:_spf.example.test -all"
_spf IN TXT "v=spf1 ip4:192.0.2.300 -all"`,
			want: []wantProblem{{2, zone.Error, []string{"_spf.example.test. TXT: SPF evaluation fails (permerror): the SPF record at _spf.example.test does not parse"}}}},
		{name: "a real DKIM key",
			records: `s1._domainkey IN TXT ( "` + dkimKey[0] + `" "` + dkimKey[1] + `" "` + dkimKey[2] + `" )`},
		{name: "DKIM key cut short (its last string lost)",
			records: `s1._domainkey IN TXT ( "` + dkimKey[0] + `" "` + dkimKey[1] + `" )`,
			want:    []wantProblem{{1, zone.Error, []string{"s1._domainkey.example.test. TXT: the DKIM key record does not parse (RFC 6376 §3.6.1): p= is not an RSA public key", "verifiers fail every signature with this selector"}}}},
		{name: "DKIM k=dsa",
			records: `s2._domainkey IN TXT "v=DKIM1; k=dsa; p=MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"`,
			want:    []wantProblem{{1, zone.Error, []string{"k=dsa is not a key type verifiers know"}}}},
		// RFC 5617 ADSP (historic) and the old DomainKeys policy record live
		// under _domainkey too; neither is a key record.
		{name: "ADSP and DomainKeys policy records: not DKIM keys",
			records: `_adsp._domainkey IN TXT "dkim=all"
_domainkey IN TXT "o=~; r=postmaster@example.test"`},
		{name: "DKIM key revoked (empty p=): fine",
			records: `old._domainkey IN TXT "v=DKIM1; k=rsa; p="`},
		{name: "the bad record of two at a selector, on its line",
			records: `s1._domainkey IN TXT "v=DKIM1; p="
s1._domainkey IN TXT "v=DKIM1; k=rsa"`,
			want: []wantProblem{{2, zone.Error, []string{"no p= tag"}}}},
		// A mail record at a name receivers never ask (RFC 7489 §6.1,
		// RFC 8461 §3.1, RFC 8460 §3, RFC 6376 §3.6.2.1): ignored, so the
		// policy, key or report address it holds does not exist for them.
		{name: "DMARC record at the apex: receivers ask _dmarc only",
			records: `@ IN TXT "v=DMARC1; p=reject"`,
			want:    []wantProblem{{1, zone.Warning, []string{"example.test. TXT: a DMARC record (v=DMARC1) at example.test.: receivers look for it only at _dmarc.example.test. (RFC 7489 §6.1) and ignore it here", "move it to _dmarc.example.test."}}}},
		{name: "DMARC record at dmarc.NAME (no underscore)",
			records: `dmarc.sub IN TXT "v=DMARC1; p=none"`,
			want:    []wantProblem{{1, zone.Warning, []string{"a DMARC record (v=DMARC1) at dmarc.sub.example.test.", "move it to _dmarc.sub.example.test."}}}},
		{name: "DMARC report authorization (X._report._dmarc.Y, RFC 7489 §7.1) stays where it is",
			records: `other.example._report._dmarc IN TXT "v=DMARC1"`},
		{name: "MTA-STS record at the apex",
			records: `@ IN TXT "v=STSv1; id=20260101"`,
			want:    []wantProblem{{1, zone.Warning, []string{"an MTA-STS record (v=STSv1) at example.test.", "_mta-sts.example.test. (RFC 8461 §3.1)"}}}},
		{name: "TLSRPT record at _tls without _smtp",
			records: `_tls IN TXT "v=TLSRPTv1; rua=mailto:tls@example.test"`,
			want:    []wantProblem{{1, zone.Warning, []string{"a TLSRPT record (v=TLSRPTv1) at _tls.example.test.", "reporters look for it only at _smtp._tls.example.test. (RFC 8460 §3)", "move it to _smtp._tls.example.test."}}}},
		{name: "DKIM key without its _domainkey label",
			records: `mail2026 IN TXT "v=DKIM1; k=rsa; p=` + dkimKey[2] + `"`,
			want:    []wantProblem{{1, zone.Warning, []string{"a DKIM key record (v=DKIM1) at mail2026.example.test.", "SELECTOR._domainkey.DOMAIN (RFC 6376 §3.6.2.1)", "mail2026._domainkey.example.test."}}}},
		// Written unquoted, each word is a string of its own, and
		// receivers join the strings without blanks (RFC 7208 §3.3):
		// "v=spf1" "-all" is v=spf1-all, no SPF record at all (§4.5).
		{name: "SPF written unquoted: no SPF record to receivers",
			records: `@ IN TXT v=spf1 mx -all`,
			want:    []wantProblem{{1, zone.Error, []string{`example.test. TXT: "v=spf1" "mx" "-all" is read as v=spf1mx-all, which starts with no "v=spf1 ": receivers see no SPF record (RFC 7208 §3.3, §4.5)`, `write it as one quoted string: "v=spf1 mx -all"`}}}},
		{name: "SPF split after its version by hand: the same",
			records: `www IN A 192.0.2.80
www IN TXT "v=spf1" "ip4:192.0.2.0/24 -all"`,
			want: []wantProblem{{2, zone.Error, []string{`"v=spf1" "ip4:192.0.2.0/24 -all" is read as v=spf1ip4:192.0.2.0/24 -all`, `"v=spf1 ip4:192.0.2.0/24 -all"`}}}},
		{name: "SPF split with the blank kept: fine",
			records: `@ IN TXT "v=spf1" " mx -all"`},
		{name: "a DMARC record a CNAME of the zone leads to stands",
			records: "_dmarc IN CNAME policy.dmarc\npolicy.dmarc IN TXT \"v=DMARC1; p=reject\""},
		{name: "text that only mentions a version is no record",
			records: `@ IN TXT "see v=DMARC1 at _dmarc"`},
		{name: "DMARC without p= and without a valid rua=",
			records: `_dmarc IN TXT "v=DMARC1; rua=dmarc@example.test"`,
			want:    []wantProblem{{1, zone.Error, []string{"_dmarc.example.test. TXT: DMARC: no p= tag (and no valid rua= URI)", "receivers apply no DMARC policy"}}}},
		{name: "two DMARC records",
			records: `_dmarc IN TXT "v=DMARC1; p=reject"
_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:d@example.test"`,
			want: []wantProblem{{1, zone.Error, []string{"DMARC: 2 DMARC records (v=DMARC1) at one name: receivers apply none"}}}},
		{name: "DMARC report URI that is not one: a warning, the policy stands",
			records: `_dmarc.sub IN TXT "v=DMARC1; p=quarantine; rua=dmarc@example.test"`,
			want:    []wantProblem{{1, zone.Warning, []string{"_dmarc.sub.example.test. TXT: DMARC: rua= \"dmarc@example.test\" is not a report URI"}}}},
		{name: "DMARC p= not right after v=: a warning (RFC 7489 §6.3), the policy stands",
			records: `_dmarc IN TXT "v=DMARC1; rua=mailto:d@example.test; p=reject"`,
			want:    []wantProblem{{1, zone.Warning, []string{"_dmarc.example.test. TXT: DMARC: p= is tag 3, not the second right after v=: RFC 7489 §6.3"}}}},
		{name: "DMARC empty tag (;;): a warning, receivers skip it",
			records: `_dmarc IN TXT "v=DMARC1; p=reject;; rua=mailto:d@example.test"`,
			want:    []wantProblem{{1, zone.Warning, []string{`_dmarc.example.test. TXT: DMARC: empty tag at position 3 (";;"): receivers skip it`}}}},
		{name: "DMARC rf= other than afrf: receivers may ignore the record",
			records: `_dmarc IN TXT "v=DMARC1; p=reject; rf=iodef"`,
			want:    []wantProblem{{1, zone.Error, []string{"DMARC: rf=iodef: afrf is the only failure report format", "receivers apply no DMARC policy"}}}},
		// RFC 7489 §6.6.3, RFC 9989 §4.10.1: a bad sp= drops the whole
		// record's policy; with a valid rua= receivers act as p=none.
		{name: "DMARC bad sp= with a valid rua=: receivers act as p=none, not 'no policy'",
			records: `_dmarc IN TXT "v=DMARC1; p=reject; sp=block; rua=mailto:d@example.test"`,
			want:    []wantProblem{{1, zone.Error, []string{"DMARC: bad sp=block (a policy is none, quarantine or reject): receivers drop the whole record's policy, not the tag alone: with its valid rua=, receivers act as if the record were p=none, for the domain and its subdomains alike", "OpenDMARC and go-msgauth apply no DMARC policy at all"}}},
			noMsg:   []string{"; receivers apply no DMARC policy"}},
		{name: "DMARC bad sp= without a valid rua=: receivers apply no policy",
			records: `_dmarc IN TXT "v=DMARC1; p=reject; sp=block"`,
			want:    []wantProblem{{1, zone.Error, []string{"DMARC: bad sp=block (a policy is none, quarantine or reject), and no valid rua= (RFC 7489 §6.6.3, RFC 9989 §4.10.1); receivers apply no DMARC policy"}}}},
		{name: "a valid DMARC record",
			records: `_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@example.test; adkim=s"`},
		// MTA-STS (RFC 8461 §3.1): its own example is valid; senders
		// take a bad or second record as no policy.
		{name: "a valid MTA-STS record with its policy host",
			records: "_mta-sts IN TXT \"v=STSv1; id=20160831085700Z;\"\nmta-sts IN A 192.0.2.80"},
		{name: "MTA-STS policy host a CNAME out of the zone",
			records: "_mta-sts IN TXT \"v=STSv1; id=20160831085700Z;\"\nmta-sts IN CNAME pages.example.net."},
		{name: "MTA-STS id of 33 characters",
			records: "_mta-sts IN TXT \"v=STSv1; id=" + strings.Repeat("a", 33) + "\"\nmta-sts IN A 192.0.2.80",
			want:    []wantProblem{{1, zone.Error, []string{"_mta-sts.example.test. TXT: MTA-STS: id=", "is not 1 to 32 letters and digits (RFC 8461 §3.1)", "senders take the domain as having no MTA-STS policy"}}}},
		{name: "two MTA-STS records",
			records: "mta-sts IN A 192.0.2.80\n_mta-sts IN TXT \"v=STSv1; id=1\"\n_mta-sts IN TXT \"v=STSv1; id=2\"",
			want:    []wantProblem{{2, zone.Error, []string{"MTA-STS: 2 MTA-STS records (RFC 8461 §3.1"}}}},
		{name: "MTA-STS policy host without an address",
			records: "_mta-sts IN TXT \"v=STSv1; id=1\"",
			want:    []wantProblem{{1, zone.Error, []string{"MTA-STS: the policy host mta-sts.example.test has no address in the zone (A: NXDOMAIN, AAAA: NXDOMAIN)", "RFC 8461 §3.3"}}}},
		{name: "MTA-STS policy host a CNAME in the zone to a name without an address",
			records: "_mta-sts IN TXT \"v=STSv1; id=1\"\nmta-sts IN CNAME web\nweb IN TXT \"x\"",
			want:    []wantProblem{{1, zone.Error, []string{"the policy host mta-sts.example.test has no address in the zone (A: NODATA, AAAA: NODATA)"}}}},
		{name: "MTA-STS policy host a CNAME in the zone to an address",
			records: "_mta-sts IN TXT \"v=STSv1; id=1\"\nmta-sts IN CNAME web\nweb IN AAAA 2001:db8::80"},
		{name: "a TXT at _mta-sts that is no MTA-STS record",
			records: "mta-sts IN A 192.0.2.80\n_mta-sts IN TXT \"v=STSv1 id=1\"",
			want:    []wantProblem{{2, zone.Error, []string{"MTA-STS: no MTA-STS record (v=STSv1)", "senders take the domain as having no MTA-STS policy"}}}},
		// TLSRPT (RFC 8460 §3.1's examples).
		{name: "a valid TLSRPT record",
			records: `_smtp._tls IN TXT "v=TLSRPTv1;rua=mailto:reports@example.com"`},
		{name: "TLSRPT without a usable rua",
			records: `_smtp._tls IN TXT "v=TLSRPTv1; rua=reports@example.com"`,
			want:    []wantProblem{{1, zone.Error, []string{"_smtp._tls.example.test. TXT: TLSRPT:", "holds no mailto: or https: URI (RFC 8460 §3)"}}}},
		{name: "TLSRPT with one unusable rua entry",
			records: `_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:a@example.com,http://r.example.com/"`,
			want:    []wantProblem{{1, zone.Warning, []string{"TLSRPT:", "is not a mailto: or https: URI (RFC 8460 §3): reporters skip it"}}}},
		// DANE for SMTP (RFC 7672): TLSA at _25._tcp of the MX host.
		{name: "SMTP TLSA in an unsigned zone, usage 0, short digest",
			records: "_25._tcp.mx1 IN TLSA 0 1 1 d2abde240d7cd3ee6b4b28c54df034b97983a1d16e8a410e4561cb106618e971\n_25._tcp.mx1 IN TLSA 3 1 1 d2abde240d7cd3ee",
			want: []wantProblem{
				{1, zone.Warning, []string{"_25._tcp.mx1.example.test. TLSA: the zone is not signed (no DNSKEY at the apex in the zone file)", "RFC 7672 §2.2"}},
				{1, zone.Warning, []string{"_25._tcp.mx1.example.test. TLSA: TLSA usage 0 (PKIX-TA) SHOULD NOT be used for SMTP (RFC 7672 §3.1.3)"}},
				{2, zone.Error, []string{"_25._tcp.mx1.example.test. TLSA: TLSA certificate association data of 8 octets, but matching type 1 (SHA-256) needs 32"}},
			}},
		{name: "SMTP TLSA 3 1 1 in a signed zone",
			records: "@ IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n_25._tcp.mx1 IN TLSA 3 1 1 d2abde240d7cd3ee6b4b28c54df034b97983a1d16e8a410e4561cb106618e971"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "example.test.zone")
			if err := os.WriteFile(path, []byte(mailHead+c.records+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			res := Run([]Target{{Path: path}}, 0)
			if len(res.Failed) > 0 {
				t.Fatal(res.Failed)
			}
			if len(res.Problems) != len(c.want) {
				t.Fatalf("%d problems, want %d:\n%s", len(res.Problems), len(c.want), problemLines(res.Problems))
			}
			var errs, warns int
			for i, w := range c.want {
				p := res.Problems[i]
				if p.Pos.File != path || p.Pos.Line != mailHeadLines+w.line || p.Severity != w.sev {
					t.Errorf("problem %d at %s (%s), want line %d (%s): %s", i, p.Pos, p.Severity, mailHeadLines+w.line, w.sev, p.Message)
				}
				for _, m := range w.msg {
					if !strings.Contains(p.Message, m) {
						t.Errorf("problem %d lacks %q: %s", i, m, p.Message)
					}
				}
				if r := saidTwice(p.Message); r != "" {
					t.Errorf("problem %d says %q twice: %s", i, r, p.Message)
				}
				for _, m := range c.noMsg {
					if strings.Contains(p.Message, m) {
						t.Errorf("problem %d has %q: %s", i, m, p.Message)
					}
				}
				switch w.sev {
				case zone.Error:
					errs++
				case zone.Warning:
					warns++
				}
			}
			if res.Tally.Errors != errs || res.Tally.Warnings != warns {
				t.Errorf("tally %+v, want %d errors, %d warnings", res.Tally, errs, warns)
			}
		})
	}
}

// saidTwice gives a run of five words that msg holds twice, or "": the
// cause and its consequence written by the checker and again by the
// caller that words the problem ("verifiers fail every signature with it
// (RFC 6376 §3.6.1); verifiers fail every signature with this selector").
func saidTwice(msg string) string {
	w := strings.Fields(msg)
	seen := map[string]bool{}
	for i := 0; i+5 <= len(w); i++ {
		k := strings.Join(w[i:i+5], " ")
		if seen[k] {
			return k
		}
		seen[k] = true
	}
	return ""
}

// TestCheckMailBound: --max-problems bounds the mail problems too,
// errors kept first, the rest counted, in the tally and in the line that
// says what is not shown (they were in the tally alone: the line, when
// any, counted the zone's own).
func TestCheckMailBound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "example.test.zone")
	records := `_dmarc IN TXT "v=DMARC1; p=none; rua=d@example.test"
a IN TXT "v=spf1 bad -all"
b IN TXT "v=spf1 bad -all"
c IN TXT "v=spf1 bad -all"
`
	if err := os.WriteFile(path, []byte(mailHead+records), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Run([]Target{{Path: path}}, 2)
	if len(res.Problems) != 3 || res.Problems[0].Pos.Line != mailHeadLines+2 || res.Problems[1].Pos.Line != mailHeadLines+3 ||
		!strings.HasPrefix(res.Problems[2].Message, "2 more problems not shown (1 error, 1 warning)") {
		t.Fatalf("kept:\n%s", problemLines(res.Problems))
	}
	if tl := res.Tally; tl.Errors != 3 || tl.Warnings != 1 || tl.Hidden() != 2 {
		t.Errorf("tally %+v, want 3 errors, 1 warning, 2 hidden", res.Tally)
	}
}

// TestCheckMailCleanZones: the repository's realistic zones (SPF with
// in-zone and outside includes, multi-string DKIM keys, DMARC) give no
// mail problem but one: realworld.parity.test holds an SMTP TLSA record
// (_25._tcp.mail) and no DNSKEY, which DANE senders ignore (RFC 7672
// §2.2), a warning.
func TestCheckMailCleanZones(t *testing.T) {
	for _, path := range []string{
		"../../zones/example.com.zone",
		"../../zones/example.test.zone",
		"../../testdata/parity/parity.test.zone",
		"../../testdata/parity/realworld.parity.test.zone",
		"../../testdata/push/example.com.zone",
	} {
		z, err := zone.Load(path, zone.Options{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		ps := mailProblems(z)
		if strings.HasSuffix(path, "realworld.parity.test.zone") && len(ps) == 1 && ps[0].Severity == zone.Warning &&
			strings.HasPrefix(ps[0].Message, "_25._tcp.mail.parity.test. TLSA: the zone is not signed") {
			continue
		}
		if len(ps) > 0 {
			t.Errorf("%s:\n%s", path, problemLines(ps))
		}
	}
}

func problemLines(ps []zone.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String() + " (" + string(p.Severity) + ")\n")
	}
	return b.String()
}

// TestCheckMailMessagesOneLine: a problem quoting a mail record of the
// zone file (pull-request content) is one line: a CR or LF written as
// \013\010 in a tag value would start a line of check's output of its
// own, which the Actions runner reads as a workflow command.
func TestCheckMailMessagesOneLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "example.test.zone")
	records := `s1._domainkey IN TXT "v=DKIM\013\010::stop-commands::pwned; p=QUJD"
s2._domainkey IN TXT "v=DKIM1; k=rsa\010::add-mask::x; p=QUJD"
_dmarc IN TXT "v=DMARC1; p=reject\013\010::error file=a,line=1::pwned"
_mta-sts IN TXT "v=STSv1; id=1\013\010::error::pwned"
_smtp._tls IN TXT "v=TLSRPTv1; rua=\013\010::error::pwned"
_smtp._tls.a IN TXT "v=TLSRPTv1; x\013\010::error::pwned=1"
`
	if err := os.WriteFile(path, []byte(mailHead+records), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Run([]Target{{Path: path}}, 0)
	if len(res.Problems) != 6 {
		t.Fatalf("%d problems, want 6:\n%s", len(res.Problems), problemLines(res.Problems))
	}
	for _, p := range res.Problems {
		if strings.ContainsAny(p.Message, "\r\n") {
			t.Errorf("line %d: the message is not one line: %q", p.Pos.Line, p.Message)
		}
	}
}

// TestCheckLineOrder: one file's problems come in its line order, the
// zone's own and its mail records' interleaved (the report then puts
// errors first, each kind still in line order): a mail error on line 1
// is not listed after a zone warning on line 3.
func TestCheckLineOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "example.test.zone")
	records := `@ IN TXT "v=spf1 bad -all"
x.*.w IN TXT "below the wildcard"
b IN TXT "v=spf1 bad -all"
`
	if err := os.WriteFile(path, []byte(mailHead+records), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Run([]Target{{Path: path}}, 0)
	var lines []int
	for _, p := range res.Problems {
		lines = append(lines, p.Pos.Line-mailHeadLines)
	}
	if want := []int{1, 2, 3}; !slices.Equal(lines, want) {
		t.Fatalf("problems at lines %v (after the head), want %v:\n%s", lines, want, problemLines(res.Problems))
	}
}
