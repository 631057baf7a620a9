package cutover

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/manual"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains/r53dtest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestMoveRefusesMovingSharedHost: a step whose delegation gives a
// nameserver name the zone's delegation holds now another address moves
// that host, which at a registry is one object every domain naming it
// shares (Route 53 Domains: the GlueIps of a Nameservers entry,
// UpdateDomainNameservers,
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_domains_UpdateDomainNameservers.html;
// manual: the host's address at the registrar's UI). Neither registrar can
// say which other zones name the host, as the parent registrar can
// (OtherNSReader, its own sibling check): the registrar step refuses,
// the dry run too, and nothing is sent. Before, the dry run said every
// gate passes and the registrar would replace it. The same address is
// not refused, nor a move policy.delegation.accept lists shared-host for
// (vanity nameservers named by no other zone): a warning says so.
func TestMoveRefusesMovingSharedHost(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.2\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	const host = "ns1.example.test."
	for _, reg := range []string{"route53domains", "manual"} {
		for _, tc := range []struct {
			addr     string
			accepted bool
			refused  bool
		}{{"192.0.2.2", false, true}, {"192.0.2.1", false, false}, {"192.0.2.2", true, false}} {
			t.Run(fmt.Sprintf("%s/%s/accepted=%v", reg, tc.addr, tc.accepted), func(t *testing.T) {
				var r registrar.Registrar
				var api *r53dtest.Server
				switch reg {
				case "route53domains":
					api, r = r53dFake(t, time.Millisecond, 300*time.Millisecond)
					api.AddDomainNS("example.test", r53dtest.Nameserver{Name: strings.TrimSuffix(host, "."), GlueIps: []string{"192.0.2.1"}})
				default:
					r = &manual.Manual{Out: io.Discard, Wait: time.Millisecond, Timeout: 100 * time.Millisecond}
				}
				c := &Config{Zone: z, Registrar: r, Log: io.Discard, Now: time.Now, Timeout: time.Second,
					TrailPath: filepath.Join(t.TempDir(), "trail.json"),
					Old:       Side{Name: "old"},
					New:       Side{Name: "new", Delegation: []string{host}, Glue: map[string][]string{host: {tc.addr}}}}
				if tc.accepted {
					c.Delegation.Accept = []string{delegation.CheckSharedHost}
				}
				step := func(dry bool) *Report {
					rep := &Report{Command: "flip", DryRun: dry,
						Delegation: DelegationView{NS: []string{host}, NSTTL: 60, Glue: map[string][]string{host: {"192.0.2.1"}}, DS: []string{}}}
					return move(context.Background(), c, &Trail{Zone: "example.test."}, rep, &c.New, nil, nil)
				}
				rep := step(true)
				errs := strings.Join(rep.Errors, "\n")
				if tc.refused {
					if rep.Result == ResultDryRun || rep.ExitCode() == 0 || !strings.Contains(errs, host) {
						t.Fatalf("dry run moving %s from 192.0.2.1 to %s at %s: %s (exit %d), errors %q, actions %q; want refused, naming the host", host, tc.addr, reg, rep.Result, rep.ExitCode(), rep.Errors, rep.Actions)
					}
					if rep := step(false); rep.Result == ResultDone || rep.ExitCode() == 0 || !strings.Contains(strings.Join(rep.Errors, "\n"), host) {
						t.Fatalf("flip moving %s from 192.0.2.1 to %s at %s: %s (exit %d), errors %q; want refused, naming the host", host, tc.addr, reg, rep.Result, rep.ExitCode(), rep.Errors)
					}
					if !strings.Contains(errs, "policy.delegation.accept: [shared-host]") {
						t.Errorf("the refusal does not say how to accept it: %s", errs)
					}
				} else if rep.Result != ResultDryRun {
					t.Fatalf("dry run keeping %s at %s (accepted %v): %s, errors %q", host, tc.addr, tc.accepted, rep.Result, rep.Errors)
				} else if warned := strings.Contains(strings.Join(rep.Warnings, "\n"), "accepted by policy.delegation.accept: shared-host"); warned != tc.accepted {
					t.Errorf("dry run moving %s to %s, accepted %v: warnings %q", host, tc.addr, tc.accepted, rep.Warnings)
				}
				if api != nil && !tc.accepted {
					if ns := api.Nameservers("example.test"); len(ns) != 1 || strings.Join(ns[0].GlueIps, " ") != "192.0.2.1" {
						t.Errorf("the registry's host changed: %+v", ns)
					}
				}
			})
		}
	}
}
