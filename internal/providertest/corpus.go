package providertest

import (
	"bufio"
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Case is one entry of the round-trip corpus: awkward owner names and
// RDATA, as dnscontrol's integration tests push them through every
// provider.
type Case struct {
	// Name identifies the case in a provider's table of refusals.
	Name string
	// Records are zone-file lines below $ORIGIN (the harness's origin),
	// each with its TTL.
	Records string
}

const (
	hex32   = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	label63 = "l23456789012345678901234567890123456789012345678901234567890123"
)

// nearMaxName is, below example.com., an owner name of exactly 253
// characters (255 octets on the wire, the most RFC 1035 §2.3.4 allows).
var nearMaxName = label63 + "." + label63 + "." + label63 + "." + strings.Repeat("m", 49)

// Cases are the corpus RoundTrip pushes, reads back and plans again. A
// provider either holds a case exactly (its records read back equal under
// zone's canonical equality and a second plan is empty) or refuses it at
// plan time (its table of refusals says so, with the reason).
var Cases = []Case{
	// Owner names.
	{"apex", "@ 300 TXT \"apex text\""},
	{"wildcard", "*.wild 300 A 192.0.2.1"},
	{"wildcard-below-labels", "*.a.b 300 A 192.0.2.2"},
	{"underscore-dmarc", "_dmarc 300 TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\""},
	{"underscore-port", "_443._tcp 300 TLSA 3 1 1 " + hex32},
	{"idn", "xn--bcher-kva 300 A 192.0.2.3"},
	{"mixed-case", "MiXeD 300 A 192.0.2.4"},
	{"escaped-space", `a\032b 300 A 192.0.2.5`},
	{"dot-in-label", `a\.b 300 A 192.0.2.6`},
	{"backslash-in-label", `a\\b 300 A 192.0.2.7`},
	{"label-63", label63 + " 300 A 192.0.2.8"},
	{"name-253", nearMaxName + " 300 A 192.0.2.9"},
	// Characters a zone file gives a meaning, one octet of a label each
	// when escaped; octets outside ASCII; a dot inside a label at a type
	// BIND's check-names leaves alone; a '*' that is a literal label (not
	// the leftmost: not a wildcard); a name below an empty non-terminal.
	{"at-in-label", `at\@sign 300 TXT "at"`},
	{"paren-in-label", `paren\( 300 TXT "paren"`},
	{"semicolon-in-label", `semi\;colon 300 TXT "semicolon"`},
	{"quote-in-label", `quote\" 300 TXT "quote"`},
	{"apostrophe-in-label", `it\'s 300 TXT "apostrophe"`},
	{"octets-in-label", `hi\128\255 300 TXT "octets outside ASCII"`},
	{"dot-in-label-txt", `x\.y 300 TXT "one label x.y"`},
	{"star-not-leftmost", "a.* 300 TXT \"a literal star\""},
	// A '*' inside a label, beside other characters: a literal octet,
	// never a wildcard (RFC 4592 §2.1.1); Route 53 lists it as \052.
	{"star-in-label", `x*y 300 TXT "star inside a label"`},
	{"star-label-prefix", `*x.sl 300 TXT "star before other characters"`},
	{"empty-non-terminal", "x.ent 300 TXT \"below an empty non-terminal\""},
	// TXT.
	{"txt-quotes-backslash-semicolon", `q 300 TXT "say \"hi\"; back\\slash; a;b"`},
	{"txt-255", "t255 300 TXT \"" + strings.Repeat("x", 255) + "\""},
	{"txt-two-strings", "sel._domainkey 300 TXT \"v=DKIM1; k=rsa; p=MIIBIjANBgkq\" \"hkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\""},
	// Long TXT, split at 255 octets as a zone file must write it (one
	// string over 255 is refused when git is read): a provider that keeps
	// one text and splits it itself must serve these strings again; a
	// space or a semicolon at the boundary stays where it was.
	{"txt-256", "t256 300 TXT \"" + strings.Repeat("w", 255) + "\" \"w\""},
	{"txt-600-three", "t600 300 TXT \"" + strings.Repeat("a", 255) + "\" \"" + strings.Repeat("b", 255) + "\" \"" + strings.Repeat("c", 90) + "\""},
	{"txt-semicolon-at-255", "ts 300 TXT \"" + strings.Repeat("k", 251) + "; a;\" \"b;c\""},
	{"txt-space-at-255", "tsp 300 TXT \"" + strings.Repeat("s", 254) + " \" \" t\""},
	{"txt-empty", "empty 300 TXT \"\""},
	{"txt-non-ascii", `utf8 300 TXT "caf\195\169"`},
	// Octets that are not UTF-8: a JSON API cannot carry them in a string
	// (encoding/json writes U+FFFD in their place).
	{"txt-not-utf8", `bin 300 TXT "\255\254"`},
	// UTF-8 text over 255 octets, split at 255 octets as a zone file
	// must write it: the split falls inside a two-octet character (é,
	// \195\169). A character-string is octets (RFC 1035 §3.3), so each
	// string alone is not UTF-8 while the text they make is.
	{"txt-utf8-split-at-255", "tu 300 TXT \"" + strings.Repeat("u", 254) + `\195" "\169t"`},
	// CAA.
	{"caa-issue", "caa 300 CAA 0 issue \"letsencrypt.org\""},
	{"caa-upper-tag", "caaup 300 CAA 0 ISSUE \"ca.example.net\""},
	{"caa-issuewild", "caawild 300 CAA 0 issuewild \";\""},
	{"caa-iodef", "caaiodef 300 CAA 0 iodef \"mailto:security@example.com\""},
	{"caa-critical", "caacrit 300 CAA 128 issue \"ca.example.net\""},
	// RFC 8659 §4.1.1: parameters after ';', whose values may hold any
	// printable ASCII but ';' and space, '"' and '\' included (escaped in
	// the quoted presentation form).
	{"caa-issue-params", `caaparm 300 CAA 0 issue "ca.example.net; account=230123; validationmethods=dns-01"`},
	{"caa-issue-escapes", `caaesc 300 CAA 0 issue "ca.example.net; account=\"a\\b\""`},
	// An empty value (RFC 8659 §4.1.1 allows it; `0 issue ";"` says the
	// same): an API whose value field is required refuses it, which
	// plan must say before anything is sent.
	{"caa-empty-value", `caanone 300 CAA 0 issue ""`},
	// RFC 9495's issuemail tag, and a tag no RFC defines (RFC 8659
	// §4.1: a CA ignores a tag it does not know, unless critical).
	{"caa-issuemail", `caamail 300 CAA 0 issuemail "ca.example.net"`},
	{"caa-unknown-tag", `caatbs 300 CAA 0 tbs "unknown"`},
	{"caa-iodef-url", `caaurl 300 CAA 0 iodef "https://iodef.example.com/report?zone=example.com&v=1"`},
	// A CAA value is the rest of the RDATA, not a character-string (RFC
	// 8659 §4.1.1): one of over 255 octets is a CAA like another (a long
	// issuer's parameters, an iodef URL), read when git is read and
	// when the API lists it back.
	{"caa-value-300", `caalong 300 CAA 0 issue "ca.example.net; account=` + strings.Repeat("a", 270) + `"`},
	{"caa-iodef-url-400", `caalongurl 300 CAA 0 iodef "https://iodef.example.com/report?zone=example.com&token=` + strings.Repeat("0123456789", 34) + `"`},
	// Other RDATA.
	{"null-mx", "nullmx 300 MX 0 ."},
	{"srv-dot", "_x._tcp 300 SRV 0 0 0 ."},
	{"sshfp", "host 300 SSHFP 4 2 " + hex32},
	{"naptr-regex", `naptr 300 NAPTR 100 10 "u" "E2U+sip" "!^\\+?(.*)$!sip:\\1@example.com!" .`},
	// A regexp holding a space (a character-string: RFC 3403 §4.1).
	{"naptr-regexp-space", `enum 300 NAPTR 10 100 "u" "E2U+sip" "!^(.*) (.*)$!sip:\\1@\\2!" .`},
	{"https-params", `svc 300 HTTPS 1 . alpn="h3,h2" port=8443 ipv4hint=192.0.2.40`},
	{"svcb-target", "_svc 300 SVCB 1 svc.example.net. alpn=h2 port=8443"},
	// SvcParams of other forms (RFC 9460 §7): a key with no value
	// (no-default-alpn), a list of IPv6 addresses, mandatory keys, and an
	// AliasMode record (priority 0, no params) beside them.
	{"https-mixed-params", `svc2 300 HTTPS 1 . alpn=h2 no-default-alpn ipv6hint=2001:db8::1,2001:db8::2 mandatory=alpn`},
	// An SvcParamKey no RFC names (RFC 9460 §2.1: keyNNNNN, its value
	// opaque octets).
	{"svcb-unknown-key", `_svc2 300 SVCB 1 svc.example.net. key65000="x"`},
	{"https-alias-mode", "svc3 300 HTTPS 0 svc.example.net."},
	{"ptr", "ptr 300 PTR host.example.net."},
	// Types of text and opaque fields fewer APIs take (a server must
	// keep each as written, an API refuses the type at plan): LOC, RP,
	// HINFO (two character-strings, empty ones too), CERT, OPENPGPKEY,
	// SMIMEA, and RFC 8659's contactemail tag.
	{"loc", "loc 300 LOC 52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m"},
	{"rp", "rp 300 RP mbox.example.com. txt.example.com."},
	{"hinfo", `hinfo 300 HINFO "PC" "Linux"`},
	{"hinfo-empty", `hinfo2 300 HINFO "" ""`},
	{"cert", "cert 300 CERT PGP 0 0 SGVsbG8gd29ybGQ="},
	{"openpgpkey", "openpgp 300 OPENPGPKEY SGVsbG8gd29ybGQ="},
	{"smimea", "smimea 300 SMIMEA 3 1 1 " + hex32},
	{"caa-contactemail", `caace 300 CAA 0 contactemail "a@example.com"`},
	// DHCID (RFC 4701 §3.6's example digest): one base64 field, which
	// some APIs take (NS1) and most refuse at plan.
	{"dhcid", "dhcid 300 DHCID AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA="},
	// An IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2), which Go's net.IP
	// prints as a bare dotted quad: an AAAA's value must stay IPv6 text.
	{"aaaa-v4mapped", "mapped 300 AAAA ::ffff:192.0.2.1"},
	// RFC 7553: the target is a URI in one character-string; an IRI's
	// non-ASCII octets and a quote make its presentation form escaped.
	{"uri-target", `_ftp._tcp 300 URI 10 1 "ftp://ftp.example.com/caf\195\169/\"q\""`},
	{"ds", "deleg 300 NS ns1.example.net.\ndeleg 300 DS 12345 13 2 " + hex32},
	// RRsets of several records, and the common types with a target
	// (a name the API may write with or without its final dot).
	{"a-three", "multi 300 A 192.0.2.21\nmulti 300 A 192.0.2.22\nmulti 300 A 192.0.2.23"},
	{"aaaa-two", "multi6 300 AAAA 2001:db8::1\nmulti6 300 AAAA 2001:db8::2"},
	{"cname", "alias 300 CNAME target.example.net."},
	{"cname-in-zone", "alias2 300 CNAME www.example.com."},
	// Targets that are the zone's apex (an API that writes in-zone
	// targets relative to the zone has nothing left to write, or "@").
	{"mx-to-apex", "mxapex 300 MX 10 example.com."},
	{"cname-to-apex", "cnapex 300 CNAME example.com."},
	{"srv-to-apex", "_apex._tcp 300 SRV 0 0 443 example.com."},
	{"ns-to-in-zone", "nsin 300 NS ns.nsin.example.com.\nns.nsin 300 A 192.0.2.54"},
	{"mx-two", "mail 300 MX 10 mx1.example.net.\nmail 300 MX 20 mx2.example.net."},
	{"srv-target", "_sip._tcp 300 SRV 10 60 5060 sip.example.net."},
	{"srv-two", "_xmpp._tcp 300 SRV 5 0 5269 a.example.net.\n_xmpp._tcp 300 SRV 10 0 5269 b.example.net."},
	{"txt-two-records", "two 300 TXT \"first\"\ntwo 300 TXT \"second\""},
	{"ns-below-apex", "child 300 NS ns1.example.net.\nchild 300 NS ns2.example.net."},
	{"ds-sha384", "deleg4 300 NS ns1.example.net.\ndeleg4 300 DS 12345 14 4 " + hex32 + hex32[:32]},
	{"wildcard-cname", "*.wc 300 CNAME target.example.net."},
	{"glue-below-delegation", "sub 300 NS ns.sub.example.com.\nns.sub 300 A 192.0.2.53"},
	{"ds-sha1-upper", "deleg1 300 NS ns1.example.net.\ndeleg1 300 DS 54321 8 1 0123456789ABCDEF0123456789ABCDEF01234567"},
	{"tlsa-sha512", "_25._tcp.mx 300 TLSA 3 0 2 " + hex32 + hex32},
	{"caa-two", "caa2 300 CAA 0 issue \"ca.example.net\"\ncaa2 300 CAA 0 iodef \"mailto:a@example.com\""},
	{"idn-txt", "xn--caf-dma 300 TXT \"idn owner\""},
	{"wildcard-txt", "*.wt 300 TXT \"wild text\""},
	{"wildcard-mx", "*.wm 300 MX 10 mx.example.net."},
	{"apex-mx", "@ 300 MX 10 mx.example.net."},
	{"apex-caa", "@ 300 CAA 0 issue \"ca.example.net\""},
	// Zero in a field an API may take for "not given" (a JSON field
	// with omitempty, a form value left out).
	{"mx-zero", "mx0 300 MX 0 mail.example.net."},
	{"srv-zeros", "_z._udp 300 SRV 0 0 1 z.example.net."},
	{"txt-backslash-end", `tbe 300 TXT "ends with a backslash\\"`},
	// A tab (an octet a zone file writes \009) and a backtick (which
	// some APIs do not keep) inside the text.
	{"txt-tab", `ttab 300 TXT "a\009b"`},
	{"txt-backtick", "tbt 300 TXT \"a`b\""},
	// An empty string beside a text (RFC 1035 §3.3: a character-string
	// may be empty).
	{"txt-empty-string-first", `tee 300 TXT "" "after an empty string"`},
	// Control octets inside the text: a NUL and a DEL (RFC 1035 §5.1:
	// written \DDD), octets a JSON string carries as \u0000 and \u007f.
	{"txt-control-octets", `tctl 300 TXT "a\000b\127c"`},
	// Spaces at the ends of the text (inside the quotes: a
	// character-string's octets, RFC 1035 §3.3.14), which an API that
	// trims its content field loses: an SPF record written with a
	// space before its end, a DKIM key split before one.
	{"txt-trailing-space", `tts 300 TXT "v=spf1 -all "`},
	{"txt-leading-space", `tls 300 TXT " leading"`},
	{"txt-space-only", `tsonly 300 TXT " "`},
	// TTLs at the edges: 0 (RFC 1035 §3.2.1: not cached), 1, just under
	// and at a minute (the lowest some APIs take), just over a day (the
	// highest some take), 2^31-1 (the most RFC 2181 §8 allows). A
	// provider keeps each as written or refuses it at plan time naming
	// its limit: never raised or cut on the way, and never an apply-time
	// refusal.
	{"ttl-0", "ttl0 0 A 192.0.2.60"},
	{"ttl-1", "ttl1 1 A 192.0.2.61"},
	{"ttl-59", "ttl59 59 A 192.0.2.62"},
	{"ttl-60", "ttl60 60 A 192.0.2.63"},
	{"ttl-86401", "ttl86401 86401 A 192.0.2.64"},
	{"ttl-max", "ttlmax 2147483647 A 192.0.2.65"},
	{"txt-only-quote", `tq 300 TXT "\""`},
	// Numbers at their most (RFC 1035 §3.3.9, RFC 2782, RFC 3403: 16-bit
	// fields; RFC 8659 §4.1: CAA flags an octet), NAPTR fields left empty
	// (RFC 3403 §4.1: flags, service and regexp may be empty
	// character-strings), and a TTL of a week (ClouDNS's list has it,
	// Cloudflare's maximum is a day).
	{"mx-pref-max", "mxmax 300 MX 65535 mx.example.net."},
	{"srv-max", "_m._tcp 300 SRV 65535 65535 65535 m.example.net."},
	{"naptr-empty-fields", `nempty 300 NAPTR 100 10 "" "" "" sip.example.net.`},
	{"caa-flags-255", `caaf 300 CAA 255 issue "ca.example.net"`},
	{"ttl-week", "ttlweek 604800 A 192.0.2.66"},
	// SPF (RFC 7208 §3.1: type 99 is no longer used, but providers
	// still offer it and zones still hold it): TXT's RDATA, strings
	// and all.
	{"spf", `spf 300 SPF "v=spf1 ip4:192.0.2.0/24 -all"`},
	{"spf-two-strings", `spf2 300 SPF "v=spf1 include:_spf.example.net" " ~all"`},
	// A string of 255 octets whose zone-file form is over 510 characters
	// (quotes and backslashes, each written escaped), and one of 85
	// three-octet UTF-8 characters (written \DDD, 1,020 characters): an
	// API or provider that counts a string's characters as written, or
	// its runes, instead of its octets (RFC 1035 §3.3) splits or refuses
	// either where it should not.
	{"txt-255-escaped", "tesc 300 TXT \"" + strings.Repeat(`\"`, 128) + strings.Repeat(`\\`, 127) + "\""},
	{"txt-255-utf8", "teuro 300 TXT \"" + strings.Repeat(`\226\130\172`, 85) + "\""},
	// A 4096-bit RSA DKIM key: four strings, split at 255 octets.
	{"txt-dkim-4096", "k4096._domainkey 300 TXT \"v=DKIM1; k=rsa; p=" + strings.Repeat("A", 237) + "\" \"" + strings.Repeat("B", 255) + "\" \"" + strings.Repeat("C", 255) + "\" \"" + strings.Repeat("D", 100) + "\""},
	// Twenty short strings in one record (an SPF written in parts).
	{"txt-many-strings", "tmany 300 TXT" + strings.Repeat(` "s"`, 20)},
	// Wildcards where APIs write owner names their own way: the apex's
	// (an API's name "*"), below an underscore label (a DKIM wildcard);
	// an underscore inside a label.
	{"wildcard-apex", "* 300 A 192.0.2.70"},
	{"wildcard-underscore", "*._domainkey 300 TXT \"v=DKIM1; p=\""},
	{"underscore-inside", "a_b 300 A 192.0.2.71"},
	// The critical flag on a tag no CA knows (RFC 8659 §4.1: a CA must
	// not issue): kept as written or refused, never sent without it.
	{"caa-critical-unknown", `caacu 300 CAA 128 tbs "x"`},
	// "." as an SRV target with the other fields set (RFC 2782: the
	// service is decidedly not available at this domain).
	{"srv-dot-port", "_y._tcp 300 SRV 10 5 443 ."},
	// A DNAME (RFC 6672): NS1 and ClouDNS list it from their live APIs
	// (dnscontrol's recordings at commit b2c380f5), others refuse it.
	{"dname", "dn 300 DNAME target.example.net."},
	// Hex written in capitals (a TLSA's certificate association data),
	// which NS1 lists in lower case (dnscontrol's recording of its live
	// listing at commit b2c380f5, indexes 4-8): the same octets, no
	// change for a plan to make.
	{"tlsa-upper", "_25._tcp.up 300 TLSA 3 1 1 " + strings.ToUpper(hex32)},
}

// DeclaredTypes: every type the provider declares it holds
// (Capabilities().Types, which plan checks git's records against) is
// converted both ways, to the API's shape and back: a corpus case of the
// type that the harness does not refuse is pushed, read back equal and
// planned empty (RoundTrip's checks), one case a type. A provider lists
// its types twice, in its map of types held and in the type switches
// that make a record the API's and read it back: a type in the map that
// a switch lacks was refused only when records were pushed (or listed).
// A declared type with no corpus case the harness holds fails here (add
// a case to Cases, or take the type out of the map). SOA, a type only
// the apex holds, is the harness's head, which every push writes and
// every listing reads back (PushReadBackNoop).
func DeclaredTypes(t *testing.T, h Harness) {
	p := h.New(t, h.Secret)
	types := p.Capabilities().Types
	if types == nil {
		t.Fatal("the provider declares no list of types (any type): RoundTrip of every case is its check")
	}
	head := Head(h.ZoneFile)
	base := Desired(t, h.Origin, head)
	var picked []Case
	for _, typ := range slices.Sorted(maps.Keys(types)) {
		if !types[typ] || typ == dns.TypeSOA {
			continue
		}
		i := slices.IndexFunc(Cases, func(c Case) bool {
			if _, refused := h.Refuses[c.Name]; refused {
				return false
			}
			d := Desired(t, h.Origin, head+c.Records+"\n")
			return slices.ContainsFunc(d.Sets, func(s *zone.RRSet) bool { return s.Type == typ && base.Get(s.Name, s.Type) == nil })
		})
		if i < 0 {
			t.Errorf("type %s is declared held (Capabilities().Types), but no corpus case of it is held: each has a refusal in the harness, or there is none (add one to Cases, or take the type out)", dns.Type(typ))
			continue
		}
		if !slices.ContainsFunc(picked, func(c Case) bool { return c.Name == Cases[i].Name }) {
			picked = append(picked, Cases[i])
		}
	}
	roundTrip(t, p, h.Origin, head, picked, h.Refuses)
}

// Corpus: RoundTrip at a fresh provider of the harness, with its
// refusals (h.Refuses).
func Corpus(t *testing.T, h Harness) {
	RoundTrip(t, h.New(t, h.Secret), h.Origin, Head(h.ZoneFile), h.Refuses)
}

// Head is the start of a zone file: its directives and the apex SOA and
// NS lines written before any other record (the apex a provider holds
// before a push).
func Head(zoneFile string) string {
	var b strings.Builder
	sc := bufio.NewScanner(strings.NewReader(zoneFile))
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "$"):
		case len(f) > 2 && f[0] == "@" && (slices.Contains(f, "SOA") || slices.Contains(f, "NS")):
		default:
			return b.String()
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// RoundTrip runs Cases at the provider, one case after another in the
// zone at origin (head is the zone file's apex: Head). refused names the
// cases the provider cannot hold, each with a part of the reason plan must
// give: those must be refused at plan time, naming the record, and
// nothing of them sent. Every other case must push without error, read
// back equal to git (RRset by RRset, TTL included, and nothing else at
// the provider) and plan empty afterwards.
func RoundTrip(t *testing.T, p provider.Provider, origin, head string, refused map[string]string) {
	roundTrip(t, p, origin, head, Cases, refused)
}

// roundTrip is RoundTrip of cases (of Cases).
func roundTrip(t *testing.T, p provider.Provider, origin, head string, cases []Case, refused map[string]string) {
	ctx := context.Background()
	known := map[string]bool{}
	for _, c := range Cases {
		known[c.Name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(refused)) {
		if !known[name] {
			t.Errorf("refusal of %q: no such case", name)
		}
	}
	base := Desired(t, origin, head)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			d := Desired(t, origin, head+c.Records+"\n")
			var own []*zone.RRSet
			for _, s := range d.Sets {
				if base.Get(s.Name, s.Type) == nil {
					own = append(own, s)
				}
			}
			if len(own) == 0 {
				t.Fatalf("the case adds nothing to the apex")
			}
			cur, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
			why, refuses := refused[c.Name]
			if !refuses && len(pl.Unsupported) > 0 {
				t.Errorf("refused at plan time: %v", pl.Unsupported)
			}
			if refuses {
				checkRefused(t, pl, own, why)
			}
			for _, ch := range pl.Changes {
				apex := ch.Name == origin && (ch.Type == dns.TypeSOA || ch.Type == dns.TypeNS)
				if ch.New != nil && !apex && !slices.ContainsFunc(own, func(s *zone.RRSet) bool { return s.Key() == ch.Key() }) {
					t.Errorf("the plan changes %s, which is not the case's", ch)
				}
			}
			var rec recorder
			res, err := p.Apply(ctx, origin, pl.Changes, &rec)
			if err != nil {
				t.Fatalf("apply-time failure (plan did not refuse it): %v", err)
			}
			if len(res.Applied) != len(pl.Changes) {
				t.Fatalf("applied %d of %d", len(res.Applied), len(pl.Changes))
			}
			rec.check(t, res)
			got, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			held := map[zone.Key]bool{}
			for _, u := range pl.Unsupported {
				held[u.Set.Key()] = true
			}
			for _, s := range own {
				if held[s.Key()] {
					if g := got.Get(s.Name, s.Type); g != nil {
						t.Errorf("%s %s refused but at the provider: %v", s.Name, dns.Type(s.Type), g.Strings())
					}
					continue
				}
				g := got.Get(s.Name, s.Type)
				if g == nil || !g.SameData(s) || g.TTL != s.TTL {
					var have []string
					var ttl uint32
					if g != nil {
						have, ttl = g.Strings(), g.TTL
					}
					t.Errorf("%s %s: read back %d %q, git has %d %q", s.Name, dns.Type(s.Type), ttl, have, s.TTL, s.Strings())
				}
			}
			notInGit(t, got, d)
			again := plan.Compute(d, got, plan.Options{Caps: p.Capabilities()})
			if len(again.Changes) != 0 {
				t.Errorf("second plan not empty (a perpetual diff): %v", again.Changes)
			}
		})
	}
}

// checkRefused: plan refuses at least one of own's RRsets with a reason
// containing why, refuses nothing else, and sends nothing of a refused
// RRset.
func checkRefused(t *testing.T, pl *plan.Plan, own []*zone.RRSet, why string) {
	t.Helper()
	if len(pl.Unsupported) == 0 {
		t.Errorf("not refused at plan time (want a refusal saying %q); plan: %v", why, pl.Changes)
		return
	}
	for _, u := range pl.Unsupported {
		if !slices.ContainsFunc(own, func(s *zone.RRSet) bool { return s.Key() == u.Set.Key() }) {
			t.Errorf("refused a record that is not the case's: %v", u)
		}
		if !strings.Contains(u.Reason, why) {
			t.Errorf("refusal %q does not say %q", u.Reason, why)
		}
		if !strings.Contains(u.String(), u.Set.Name) {
			t.Errorf("refusal does not name the record: %v", u)
		}
		for _, c := range pl.Changes {
			if c.Key() == u.Set.Key() {
				t.Errorf("refused but planned: %s", c)
			}
		}
	}
}
