package parity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityGitCDSLab: git holds an apex CDS and CDNSKEY (RFC 8078's
// delete records), which no push writes (zone.Generated: a signer makes
// them from its own keys, RFC 7344 §4, RFC 8901 §8); both sides sign
// (Knot's automatic signing, each with its own keys) and publish their
// own. Parity asked git's CDS and CDNSKEY as data: two independent
// signers' CDS never match, so every such migration was refused ("error
// rdata parity.test. CDS") over records push never touches. The
// signer's CDS is the dnssec gate's (it checks what CDS asks the parent
// for), not a data comparison: no CDS or CDNSKEY finding other than the
// dnssec check's. The same with a query log (BIND's, a parent's CDS
// scan in it) replayed: a logged CDS question git has is no question
// either.
func TestParityGitCDSLab(t *testing.T) {
	lab.Require(t, "knotd", "named")
	text := fixture(t)
	z := loadText(t, text+"@ 3600 IN CDS 0 0 0 00\n@ 3600 IN CDNSKEY 0 3 0 AA==\n")
	o := lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, Signing: true}
	old, nw := lab.Knot(t, o).Addr, lab.Knot(t, o).Addr
	logged := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, QueryLog: true})
	c := &dns.Client{Timeout: 2 * time.Second}
	for _, qt := range []uint16{dns.TypeCDS, dns.TypeCDNSKEY} {
		m := new(dns.Msg)
		m.SetQuestion(origin, qt)
		if _, _, err := c.Exchange(m, logged.Addr); err != nil {
			t.Fatalf("%s %s: %v", origin, dns.Type(qt), err)
		}
	}
	logged.Stop() // the query log is complete once the server stopped
	for _, queries := range []string{"", logged.Log} {
		rep := runWith(t, z, []string{old}, []string{nw}, func(o *parity.Options) { o.Queries = queries })
		dump(t, rep)
		for _, f := range rep.Findings {
			if (f.Type == "CDS" || f.Type == "CDNSKEY") && f.Kind != "dnssec" && f.Severity != parity.SevInfo {
				t.Errorf("queries %q: git's %s compared as data: %s %s %s: %s", queries, f.Type, f.Severity, f.Kind, f.Name, f.Detail)
			}
		}
		if queries != "" && (rep.Replayed == nil || rep.Replayed.Logged == 0) {
			t.Errorf("the query log gave no question: %+v", rep.Replayed)
		}
	}
}

// TestParityReplayNonApexZONEMDLab: a logged question for a ZONEMD below
// the apex, which git lacks and the new side serves, is asked: that
// ZONEMD is data (RFC 8976 §2), not the signer's apex one
// (zone.SignerMade). The replay dropped every logged ZONEMD, CDS and
// CDNSKEY question at any name where git had none, so resolvers asking
// it would get records from the new side only, unseen.
func TestParityReplayNonApexZONEMDLab(t *testing.T) {
	lab.Require(t, "knotd", "named")
	text := fixture(t)
	z := loadText(t, text)
	old := serve(t, "bind", text)
	nw := serve(t, "knot", text+"\nlegacy IN ZONEMD 1 1 1 "+strings.Repeat("ab", 48)+"\n")
	logged := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, QueryLog: true})
	m := new(dns.Msg)
	m.SetQuestion("legacy."+origin, dns.TypeZONEMD)
	if _, _, err := (&dns.Client{Timeout: 2 * time.Second}).Exchange(m, logged.Addr); err != nil {
		t.Fatalf("legacy.%s ZONEMD: %v", origin, err)
	}
	logged.Stop() // the query log is complete once the server stopped
	rep := runWith(t, z, []string{old}, []string{nw}, func(o *parity.Options) { o.Queries = logged.Log })
	dump(t, rep)
	for _, f := range rep.Findings {
		if f.Severity == parity.SevError && f.Name == "legacy."+origin && f.Type == "ZONEMD" {
			return
		}
	}
	t.Fatalf("no error naming legacy.%s ZONEMD on %s (replayed: %+v)", origin, nw, rep.Replayed)
}

// TestParityGitSignalingCDSLab: git holds a CDS and CDNSKEY below the
// apex, an RFC 9615 §2 signaling record (_dsboot.<child>._signal.<its
// name server>), which the zone's operator publishes for another zone's
// DS bootstrapping: data, not the records a signer makes for this zone's
// parent (RFC 7344 §4 puts those at the apex). The old side serves
// git's, the new side others at that name: asked, an error. zone.NotAsked
// left out git's CDS at every name, so the migration passed and the
// parent of the child bootstrapped another key's DS after the flip.
func TestParityGitSignalingCDSLab(t *testing.T) {
	lab.Require(t, "knotd", "named")
	text := fixture(t)
	signal := "_dsboot.child.example._signal 3600 IN CDS 12345 13 2 " + strings.Repeat("ab", 32) + "\n" +
		"_dsboot.child.example._signal 3600 IN CDNSKEY 257 3 13 " + "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==" + "\n"
	// The new side's copy of it is another child's key (stale data):
	// the name answers alike, only the records differ.
	other := strings.NewReplacer(strings.Repeat("ab", 32), strings.Repeat("cd", 32), "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==").Replace(signal)
	z := loadText(t, text+signal)
	old := serve(t, "bind", text+signal)
	nw := serve(t, "knot", text+other)
	rep := runWith(t, z, []string{old}, []string{nw}, func(*parity.Options) {})
	dump(t, rep)
	for _, typ := range []string{"CDS", "CDNSKEY"} {
		found := false
		for _, f := range rep.Findings {
			found = found || (f.Severity == parity.SevError && f.Name == "_dsboot.child.example._signal."+origin && f.Type == typ)
		}
		if !found {
			t.Errorf("no error naming git's %s at _dsboot.child.example._signal.%s, which the new side serves otherwise", typ, origin)
		}
	}
}

// TestParityGitApexZONEMDLab: git holds an apex ZONEMD, which push does
// not write (zone.NotPushed: each provider serves its own SOA serial);
// the old side serves git's file as it is (BIND, a copy of git's
// ZONEMD), the new side makes its own at its serial (Knot's
// zonemd-generate). Each side's apex ZONEMD is its own, as a signer's
// CDS is: not asked as git's data. Asked, the two never matched and
// every such migration was refused over a record push never writes.
func TestParityGitApexZONEMDLab(t *testing.T) {
	lab.Require(t, "knotd", "named")
	text := fixture(t)
	withZONEMD := text + "@ IN ZONEMD 2026112101 1 1 " + strings.Repeat("ab", 48) + "\n"
	z := loadText(t, withZONEMD)
	old := serve(t, "bind", withZONEMD)
	nw := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, ZONEMD: true}).Addr
	rep := runWith(t, z, []string{old}, []string{nw}, func(*parity.Options) {})
	dump(t, rep)
	for _, f := range rep.Findings {
		if f.Type == "ZONEMD" && f.Severity != parity.SevInfo {
			t.Errorf("git's apex ZONEMD compared as data: %s %s %s: %s", f.Severity, f.Kind, f.Name, f.Detail)
		}
	}
}
