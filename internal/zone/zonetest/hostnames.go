package zonetest

// HostnameCase is a name an NS record (or a delegation) may name, in
// presentation form, with the verdict of each rule a stage applies to it.
type HostnameCase struct {
	Name string
	// BIND: BIND 9.18's check-names takes it (named-checkzone -k fail,
	// dns_name_ishostname on the name's octets: an escape stands for the
	// octet it names, RFC 1035 §5.1). `check` and the rfc2136 flavor bind
	// follow it.
	BIND bool
	// Why is a part of the reason the delegation's ns-syntax check (the
	// flip's NS-name check: BIND's rule, and RFC 1123 §2.1 / RFC 3696 §2's
	// top label not all digits, no IP address written as a name) gives
	// for refusing it; "" when it is a host name.
	Why string
}

// Hostnames is the one table of host names with escaped labels: `check`
// (zone.CheckNames), the delegation gate's ns-syntax and the flip's NS
// names judge each one by one rule, zone.HostnameProblem. The BIND
// verdicts were taken from named-checkzone -k fail (BIND 9.18.49) with
// the name as an NS and an MX target.
var Hostnames = []HostnameCase{
	{`ns1.example.net.`, true, ""},
	{`ns\065.example.net.`, true, ""},  // "nsA"
	{`ns\0451.example.net.`, true, ""}, // "ns-1"
	{`n\s.example.net.`, true, ""},     // "ns": an escaped letter is the letter
	{`\110\115.example.net.`, true, ""},
	{`ns\-1.example.net.`, true, ""},
	{`ns\045.example.net.`, false, "starts or ends with a hyphen"}, // "ns-"
	{`\045ns.example.net.`, false, "starts or ends with a hyphen"},
	{`ns\032x.example.net.`, false, "escaped character"},
	{`ns\ x.example.net.`, false, "escaped character"},
	{`ns\.1.example.net.`, false, "escaped character"}, // one label "ns.1"
	{`ns\095x.example.net.`, false, "escaped character"},
	{`ns\195x.example.net.`, false, "escaped character"},
	{`ns\000.example.net.`, false, "escaped character"},
	{`ns_1.example.net.`, false, `holds '_'`},
	{`ns.example.\049\050\051.`, true, "all digits"}, // BIND takes it; no host name (RFC 1123 §2.1)
	{`ns.example.123.`, true, "all digits"},
	{`192.0.2.1.`, true, "IP address"},
	{`192.0.2.\049.`, true, "IP address"},
}
