package dnssec_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestFlipAddedDS is route (b)'s step 4 under a validating Unbound: the
// new provider's DS was added at the parent beside the old one moments
// ago, and the resolver still holds the DS set from before (DS TTL 60 s;
// DNSKEY TTL 5 s, as a parent's DS TTL of a day outlives a zone's DNSKEY
// TTL of an hour). The new side publishes the old side's KSK but signs its
// DNSKEY set with its own KSK only (RFC 8901 model 2), so that resolver
// cannot validate it until the old DS set expires: the gate, told the DS
// set the parent served until now (Input.Held), refuses until then, and the
// resolver shows why.
func TestFlipAddedDS(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	p := newSigner(t, "test.")
	a := newSigner(t, origin)
	b := newSigner(t, origin)
	dsA, dsB := a.ds(t, "2"), b.ds(t, "2")
	short := func(z string) string { return strings.Replace(z, "$TTL 300", "$TTL 5", 1) }

	oldIP, newIP, parentIP := lab.Addr(t), lab.Addr(t), lab.Addr(t)
	old, nw := flipSides(t, a, b, oldIP, newIP, b.keys(t), short)

	parentText := func(serial int, ns, ip string, ds []string) string {
		return parentZoneDSTTL(t, p, parentIP, map[string]string{ns: ip}, ds, serial, 60)
	}
	parent := lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.", Text: parentText(1, "ns1", oldIP, []string{dsA})}}})
	u := validating(t, p, parent)
	// The new DS is added: the resolver keeps {dsA} for 60 s.
	parent.Reload(t, lab.Zone{Origin: "test.", Text: parentText(2, "ns1", oldIP, []string{dsA, dsB})})
	added := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := dnssec.Gate(ctx, dnssec.Input{
		Zone: origin, DS: []string{dsA, dsB}, DSTTL: 60, NSTTL: 5, MaxTTL: 5,
		Held:    []dnssec.HeldDS{{DS: []string{dsA}, Until: added.Add(60 * time.Second)}},
		Servers: []string{nw.Addr}, Other: []string{old.Addr}, Sample: samples, Timeout: 2 * time.Second, Now: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gate: ok=%v %s: %s; plan %q", res.OK, res.Situation, res.Detail, res.Plan)
	if res.OK || res.Situation != dnssec.SignedMismatch {
		t.Errorf("the gate passed (%s) while resolvers may hold only the old DS (until %s)", res.Situation, added.Add(60*time.Second).Format(time.RFC3339))
	} else if !strings.Contains(res.Detail, "a DS set the parent served before its current one (key tags "+a.kskTag()+") until "+deadline.Format(added.Add(60*time.Second))) ||
		len(res.Steps) != 2 || !res.Steps[0].Earliest.Equal(added.Add(60*time.Second)) {
		t.Errorf("detail or plan do not name the held DS set and the wait: %s; %q", res.Detail, res.Plan)
	}
	// The same side once the held DS set has expired from caches passes.
	later, err := dnssec.Gate(ctx, dnssec.Input{
		Zone: origin, DS: []string{dsA, dsB}, DSTTL: 60, NSTTL: 5, MaxTTL: 5,
		Held:    []dnssec.HeldDS{{DS: []string{dsA}, Until: added.Add(60 * time.Second)}},
		Servers: []string{nw.Addr}, Other: []string{old.Addr}, Sample: samples, Timeout: 2 * time.Second, Now: added.Add(61 * time.Second),
	})
	if err != nil || !later.OK {
		t.Errorf("after the held DS expired: ok=%v %v %s", later.OK, err, later.Detail)
	}

	// What the refusal protects: the flip made anyway.
	parent.Reload(t, lab.Zone{Origin: "test.", Text: parentText(3, "ns2", newIP, []string{dsA, dsB})})
	time.Sleep(7 * time.Second) // the NS TTL and the DNSKEY TTL (5 s) run out; the DS (60 s) does not
	r := resolve(t, u.Addr, "www.example.test.", dns.TypeAAAA)
	t.Logf("after the flip: www AAAA %s ad=%v", dns.RcodeToString[r.Rcode], r.AuthenticatedData)
	if r.Rcode != dns.RcodeServerFailure {
		t.Errorf("the resolver holding the old DS validated the new side (%s ad=%v): the refusal would be needless", dns.RcodeToString[r.Rcode], r.AuthenticatedData)
	}
	if log := u.LogTail(200); !strings.Contains(log, "from "+newIP) || !strings.Contains(log, "while building chain of trust") {
		t.Errorf("Unbound's log does not show the new side's DNSKEY set failing the held DS:\n%s", log)
	}
}
