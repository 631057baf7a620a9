package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cutover"
)

// TestCutoverOneSideOnlyLab (issue 15, hole 1, with other zones): records
// only the old provider holds, of other types and at other depths than
// TestCutoverCompleteLab's, without parity.axfr: a name under two empty
// non-terminals, a wildcard, a delegation inside the zone with its glue and
// a DS (no DNSKEY anywhere), a new type at an existing name, a DKIM
// selector beside git's under the same empty non-terminal. old-complete
// refuses the flip naming how many there are, the parent untouched. What
// is not a record git lacks does not refuse it: the DKIM key split into
// strings at other points (verifiers concatenate), an RRset whose TTL
// alone differs (under the cap); above the cap, ttl-prestaged refuses.
func TestCutoverOneSideOnlyLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	l.prestaged(t)
	before := l.parentText(t)

	extra := strings.Join([]string{
		"x.y.deep IN A 192.0.2.201",
		"*.only-old IN TXT \"wild\"",
		"sub IN NS ns.sub.example.test.",
		"ns.sub IN A 192.0.2.202",
		"sub IN DS 12345 13 2 " + strings.Repeat("AB", 32),
		"www IN TXT \"a type git lacks at www\"",
		"new-sel._domainkey IN TXT \"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC\"",
	}, "\n") + "\n"
	l.reloadSide(t, "old", extra)
	code, rep, stderr := l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip with records only the old side holds", code, rep, stderr, before, cutover.GateOldComplete)
	g := gateOf(rep, cutover.GateOldComplete)
	if g == nil || !strings.Contains(g.Detail, "holds 7 RRsets that git lacks") || !strings.Contains(g.Detail, "and 2 more") {
		t.Errorf("old-complete should count the 7 RRsets the old side alone holds: %+v", g)
	}

	// The DKIM key split at 255 on the old side (git: 126 + 180): the same
	// key to a verifier. And www's A at TTL 1 on the old side (git: 2).
	l.serial++
	split := l.side("old", "192.0.2.10")
	dkim := `"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDNrFv4QmUVN0IvhaPVdOio9qvZtMR1ut6cpFAJTfL4FSHpJYAmn/ez0u" "toey6o1fdm`
	if !strings.Contains(split.Text, dkim) {
		t.Fatal("the lab zone's DKIM key is not split where the test expects")
	}
	split.Text = strings.Replace(split.Text, dkim, `"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDNrFv4QmUVN0IvhaPVdOio9qvZtMR1ut6cpFAJTfL4FSHpJYAmn/ez0utoey6o1fdm`, 1)
	split.Text = strings.Replace(split.Text, "www      IN A    192.0.2.10", "www    1 IN A    192.0.2.10", 1)
	l.old.Reload(t, split)
	code, rep, stderr = l.run(t, cfg, "flip", "--dry-run")
	if code != exitOK {
		t.Errorf("flip --dry-run with a DKIM key split elsewhere and a lower TTL at the old side: exit %d gates %+v\n%s", code, rep.Gates, stderr)
	}
	if rep.Parity == nil || rep.Parity.Errors != 0 {
		t.Errorf("parity: %+v", rep.Parity)
	}

	// www's A at a day on the old side alone: the flip waits.
	l.serial++
	long := l.side("old", "192.0.2.10")
	long.Text = strings.Replace(long.Text, "www      IN A    192.0.2.10", "www 86400 IN A    192.0.2.10", 1)
	l.old.Reload(t, long)
	code, rep, stderr = l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip with one RRset of the old side at a day", code, rep, stderr, before, cutover.GateTTLPrestaged)
	if g := gateOf(rep, cutover.GateTTLPrestaged); g == nil || !strings.Contains(g.Detail, fmt.Sprint(86400)) {
		t.Errorf("ttl-prestaged should name the day: %+v", g)
	}
}
