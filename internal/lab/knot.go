package lab

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Knot starts knotd serving o.Zones as primary: `knotd -c CONF`, zone files
// never rewritten (zonefile-sync: -1), changes kept in the journal; with
// o.Signing, signed online (keys in DIR/keys).
func Knot(t T, o Options) *Server {
	t.Helper()
	Require(t, "knotd")
	if o.GeoIP != "" {
		RequireKnotModule(t, "geoip")
	}
	if o.Dnstap != "" {
		RequireKnotModule(t, "dnstap")
	}
	s := newServer(t, "knot", o.IP, o.Port)
	paths := writeZones(t, s, o.Zones)
	rundir := shortDir(t, s.Dir)
	if err := os.MkdirAll(filepath.Join(s.Dir, "db"), 0o755); err != nil {
		t.Fatalf("lab: %v", err)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "server:\n")
	fmt.Fprintf(&b, "    listen: %s@%d\n", s.IP, s.Port)
	fmt.Fprintf(&b, "    user: root:root\n")
	fmt.Fprintf(&b, "    rundir: %q\n", rundir)
	fmt.Fprintf(&b, "    pidfile: %q\n", filepath.Join(rundir, "knot.pid"))
	if o.NSID != "" {
		fmt.Fprintf(&b, "    nsid: %q\n", o.NSID)
	}
	if o.GeoIP != "" {
		fmt.Fprintf(&b, "    edns-client-subnet: on\n")
	}
	fmt.Fprintf(&b, "control:\n    listen: %q\n", filepath.Join(rundir, "knot.sock"))
	fmt.Fprintf(&b, "log:\n  - target: stderr\n    any: info\n")
	fmt.Fprintf(&b, "database:\n    storage: %q\n", filepath.Join(s.Dir, "db"))

	acls := knotACLs(&b, o)
	knotPolicy(&b, o)
	var modules []string
	if o.OnlineSign {
		fmt.Fprintf(&b, "policy:\n  - id: online\n    algorithm: ecdsap256sha256\n    single-type-signing: on\n")
		fmt.Fprintf(&b, "mod-onlinesign:\n  - id: online\n    policy: online\n")
		modules = append(modules, "mod-onlinesign/online")
	}
	if o.Dnstap != "" {
		fmt.Fprintf(&b, "mod-dnstap:\n  - id: tap\n    sink: %q\n    log-queries: on\n    log-responses: on\n", o.Dnstap)
		modules = append(modules, "mod-dnstap/tap")
	}
	if o.GeoIP != "" {
		geo := filepath.Join(s.Dir, "geoip.conf")
		writeFile(t, geo, o.GeoIP)
		fmt.Fprintf(&b, "mod-geoip:\n  - id: geo\n    config-file: %q\n    mode: subnet\n", geo)
		if o.GeoIPTTL > 0 {
			fmt.Fprintf(&b, "    ttl: %d\n", o.GeoIPTTL)
		}
		modules = append(modules, "mod-geoip/geo")
	}
	fmt.Fprintf(&b, "template:\n  - id: default\n")
	if len(modules) > 0 {
		fmt.Fprintf(&b, "    module: [%s]\n", strings.Join(modules, ", "))
	}
	fmt.Fprintf(&b, "    storage: %q\n", s.Dir)
	fmt.Fprintf(&b, "    zonefile-sync: -1\n")
	fmt.Fprintf(&b, "    zonefile-load: whole\n")
	fmt.Fprintf(&b, "    journal-content: changes\n")
	fmt.Fprintf(&b, "    acl: [%s]\n", strings.Join(acls, ", "))
	if o.Signing {
		fmt.Fprintf(&b, "    dnssec-signing: on\n    dnssec-policy: lab\n")
	}
	if o.ZONEMD {
		fmt.Fprintf(&b, "    zonemd-generate: zonemd-sha384\n")
	}
	if len(o.Zones) > 0 {
		fmt.Fprintf(&b, "zone:\n")
		for i, z := range o.Zones {
			// Knot reads a zone's file as a format (%s the zone's name,
			// %% a percent sign: knot.conf(5), zone.file), and the
			// path holds the test's name, which may hold a '%'.
			fmt.Fprintf(&b, "  - domain: %q\n    file: %q\n", z.Origin, strings.ReplaceAll(paths[i], "%", "%%"))
		}
	}
	conf := filepath.Join(s.Dir, "knot.conf")
	writeFile(t, conf, b.String())
	s.Conf = conf

	s.reload = s.hup
	start(t, s, "knotd", "-c", conf)
	waitReady(t, s, o.Zones)
	return s
}

// knotACLs writes knot.conf's key and acl sections for o (TSIG keys,
// transfer and update rights) and returns the ACL ids a zone takes.
func knotACLs(b *strings.Builder, o Options) []string {
	var acls []string
	if keys := o.keys(); len(keys) > 0 {
		fmt.Fprintf(b, "key:\n")
		for _, k := range keys {
			fmt.Fprintf(b, "  - id: %s\n    algorithm: %s\n    secret: %s\n", k.name(), k.algorithm(), k.Secret)
		}
	}
	fmt.Fprintf(b, "acl:\n")
	if o.TSIG != nil {
		actions := "transfer"
		if o.AllowUpdate {
			actions = "[transfer, update]"
		}
		fmt.Fprintf(b, "  - id: tsig\n    key: %s\n    action: %s\n", o.TSIG.name(), actions)
		acls = append(acls, "tsig")
		if o.TransferKey != nil {
			fmt.Fprintf(b, "  - id: transfer-only\n    key: %s\n    action: transfer\n", o.TransferKey.name())
			acls = append(acls, "transfer-only")
		}
	} else {
		fmt.Fprintf(b, "  - id: transfer\n    address: 0.0.0.0/0\n    action: transfer\n")
		acls = append(acls, "transfer")
		if o.AllowUpdate {
			fmt.Fprintf(b, "  - id: update\n    address: 127.0.0.0/8\n    action: update\n")
			acls = append(acls, "update")
		}
	}
	return acls
}

// knotPolicy writes the signing policy o asks for (o.Signing).
func knotPolicy(b *strings.Builder, o Options) {
	if o.Signing {
		fmt.Fprintf(b, "policy:\n  - id: lab\n    algorithm: ecdsap256sha256\n    zsk-lifetime: 0\n    ksk-lifetime: 0\n")
		switch {
		case o.NSEC3 && o.OptOut:
			fmt.Fprintf(b, "    nsec3: on\n    nsec3-iterations: 0\n    nsec3-salt-length: 0\n    nsec3-opt-out: on\n")
		case o.NSEC3:
			fmt.Fprintf(b, "    nsec3: on\n    nsec3-iterations: 0\n    nsec3-salt-length: 0\n")
		default:
			fmt.Fprintf(b, "    nsec3: off\n")
		}
	}
}
