package lab

import (
	"fmt"
	"maps"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// BIND starts named (BIND 9) serving o.Zones as primary:
// `named -g -4 -c CONF -u root`, no recursion, no control channel, no rate
// limit. The listen address is added to lo for the test's life.
func BIND(t T, o Options) *Server {
	t.Helper()
	Require(t, "named", "ip")
	s := newServer(t, "bind", o.IP, o.Port)
	addToLo(t, s.IP)
	paths := writeZones(t, s, o.Zones)

	var b strings.Builder
	bindOptions(&b, s, o)
	fmt.Fprintf(&b, "controls { };\n")
	policy := "default"
	if o.Signing && o.NSEC3 {
		policy = "lab-nsec3"
		fmt.Fprintf(&b, "dnssec-policy %q {\n\tkeys { csk lifetime unlimited algorithm ecdsap256sha256; };\n\tnsec3param iterations 0 optout %s salt-length 0;\n};\n", policy, map[bool]string{false: "no", true: "yes"}[o.OptOut])
	}
	for _, k := range o.keys() {
		fmt.Fprintf(&b, "key %q {\n\talgorithm %s;\n\tsecret %q;\n};\n", k.name(), k.algorithm(), k.Secret)
	}
	if o.Recursion {
		bindResolving(t, &b, s, o)
	}
	for i, z := range o.Zones {
		if z.Primary != "" {
			ip, port := z.Primary, "53"
			if h, p, err := net.SplitHostPort(z.Primary); err == nil {
				ip, port = h, p
			}
			fmt.Fprintf(&b, "zone %q {\n\ttype secondary;\n\tprimaries { %s port %s; };\n\tfile %q;\n};\n", z.Origin, ip, port, paths[i])
			continue
		}
		fmt.Fprintf(&b, "zone %q {\n\ttype primary;\n\tfile %q;\n", z.Origin, paths[i])
		if o.AllowUpdate {
			if o.TSIG != nil {
				fmt.Fprintf(&b, "\tallow-update { key %q; };\n", o.TSIG.name())
			} else {
				fmt.Fprintf(&b, "\tallow-update { 127.0.0.0/8; };\n")
			}
			fmt.Fprintf(&b, "\tjournal %q;\n", paths[i]+".jnl")
		}
		if o.Signing {
			fmt.Fprintf(&b, "\tdnssec-policy %q;\n\tinline-signing yes;\n", policy)
		}
		fmt.Fprintf(&b, "};\n")
	}
	conf := filepath.Join(s.Dir, "named.conf")
	writeFile(t, conf, b.String())
	s.Conf = conf

	if !o.AllowUpdate {
		s.reload = s.hup
	}
	start(t, s, "named", "-g", "-4", "-c", conf, "-u", "root")
	waitReady(t, s, o.Zones)
	if o.Signing {
		waitSigned(t, s, o.Zones)
	}
	return s
}

// waitSigned waits until every zone of zones answers its DNSKEY query
// with a key and a signature over it (BIND signs a zone of
// dnssec-policy after it loads it), at most signTimeout.
func waitSigned(t T, s *Server, zones []Zone) {
	t.Helper()
	deadline := time.Now().Add(signTimeout)
	c := &dns.Client{Net: "udp", Timeout: 300 * time.Millisecond}
	for _, z := range zones {
		for {
			m := new(dns.Msg)
			m.SetQuestion(dns.Fqdn(z.Origin), dns.TypeDNSKEY)
			m.SetEdns0(4096, true)
			r, _, err := c.Exchange(m, s.Addr)
			if err == nil && len(r.Answer) >= 2 {
				break
			}
			if time.Now().After(deadline) {
				s.Stop()
				t.Fatalf("lab: %s on %s did not sign %s within %v (%v)\n--- %s (tail) ---\n%s", s.Kind, s.Addr, z.Origin, signTimeout, err, s.Log, s.LogTail(40))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// bindOptions writes named.conf's options block for o.
func bindOptions(b *strings.Builder, s *Server, o Options) {
	fmt.Fprintf(b, "options {\n")
	fmt.Fprintf(b, "\tdirectory %q;\n", s.Dir)
	fmt.Fprintf(b, "\tpid-file none;\n")
	fmt.Fprintf(b, "\tsession-keyfile %q;\n", filepath.Join(s.Dir, "session.key"))
	fmt.Fprintf(b, "\tkey-directory %q;\n", s.Dir)
	fmt.Fprintf(b, "\tmanaged-keys-directory %q;\n", s.Dir)
	fmt.Fprintf(b, "\tlisten-on port %d { %s; };\n", s.Port, s.IP)
	fmt.Fprintf(b, "\tlisten-on-v6 { none; };\n")
	if o.Recursion {
		fmt.Fprintf(b, "\trecursion yes;\n\tallow-recursion { any; };\n")
		if o.MaxNcacheTTL > 0 {
			fmt.Fprintf(b, "\tmax-ncache-ttl %d;\n", o.MaxNcacheTTL)
		}
		if o.QuerySource != "" {
			fmt.Fprintf(b, "\tquery-source address %s;\n", o.QuerySource)
		}
	} else {
		fmt.Fprintf(b, "\trecursion no;\n")
	}
	fmt.Fprintf(b, "\tnotify no;\n")
	if o.Recursion && len(o.TrustAnchors) > 0 {
		fmt.Fprintf(b, "\tdnssec-validation yes;\n\tqname-minimization off;\n")
	} else {
		fmt.Fprintf(b, "\tdnssec-validation no;\n")
	}
	fmt.Fprintf(b, "\tallow-query { any; };\n")
	fmt.Fprintf(b, "\ttcp-clients 1000;\n")
	fmt.Fprintf(b, "\tzone-statistics no;\n")
	if o.NSID != "" {
		fmt.Fprintf(b, "\tserver-id %q;\n", o.NSID)
	}
	if o.QueryLog {
		fmt.Fprintf(b, "\tquerylog yes;\n")
	}
	if o.MaxZoneTTL > 0 {
		fmt.Fprintf(b, "\tmax-zone-ttl %d;\n", o.MaxZoneTTL)
	}
	if o.TransfersOut > 0 {
		fmt.Fprintf(b, "\ttransfers-out %d;\n", o.TransfersOut)
	}
	if o.RateLimit != "" {
		fmt.Fprintf(b, "\trate-limit { %s };\n", o.RateLimit)
	}
	if o.Dnstap != "" {
		fmt.Fprintf(b, "\tdnstap { auth; };\n\tdnstap-output file %q;\n", o.Dnstap)
	}
	if o.NoTransfer {
		fmt.Fprintf(b, "\tallow-transfer { none; };\n")
	} else if o.TSIG != nil && !o.OpenTransfer {
		fmt.Fprintf(b, "\tallow-transfer { key %q; ", o.TSIG.name())
		if o.TransferKey != nil {
			fmt.Fprintf(b, "key %q; ", o.TransferKey.name())
		}
		fmt.Fprintf(b, "};\n")
	} else {
		fmt.Fprintf(b, "\tallow-transfer { any; };\n")
	}
	fmt.Fprintf(b, "};\n")
}

// bindResolving writes what a resolving BIND takes besides its options:
// the root hints, the stub zones and the trust anchors.
func bindResolving(t T, b *strings.Builder, s *Server, o Options) {
	t.Helper()
	hints := filepath.Join(s.Dir, "root.hints")
	writeFile(t, hints, ". 3600000 IN NS lab-root.\nlab-root. 3600000 IN A "+refusingRoot(t)+"\n")
	fmt.Fprintf(b, "zone \".\" {\n\ttype hint;\n\tfile %q;\n};\n", hints)
	for _, zone := range slices.Sorted(maps.Keys(o.Stubs)) {
		fmt.Fprintf(b, "zone %q {\n\ttype static-stub;\n\tserver-addresses { %s; };\n};\n", zone, strings.Join(o.Stubs[zone], "; "))
	}
	if len(o.TrustAnchors) > 0 {
		fmt.Fprintf(b, "trust-anchors {\n")
		for _, a := range o.TrustAnchors {
			rr, err := dns.NewRR(a)
			ds, ok := rr.(*dns.DS)
			if err != nil || !ok {
				t.Fatalf("lab: BIND trust anchor %q: not a DS record (%v)", a, err)
			}
			fmt.Fprintf(b, "\t%q static-ds %d %d %d %q;\n", ds.Hdr.Name, ds.KeyTag, ds.Algorithm, ds.DigestType, ds.Digest)
		}
		fmt.Fprintf(b, "};\n")
	}
}
