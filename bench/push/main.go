// Command push measures dnsparity's push of a generated 10,000-RRset zone to
// PowerDNS (HTTP API) and to Knot (RFC 2136): the first push, a no-op push
// and a push changing 100 RRsets. It prints wall time and the number of
// change requests (HTTP PATCH / UPDATE messages) for each. Run it through
// run.sh; it starts its own servers on 127.53.x.y and stops them.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/push"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const origin = "bench.example."

const head = `$ORIGIN bench.example.
$TTL 300
@ SOA ns1 hostmaster 1 3600 600 1209600 300
@ NS ns1
@ NS ns2
ns1 A 127.0.0.1
ns2 A 127.0.0.2
`

// generate writes n RRsets (beside the apex), a mix of A, AAAA, TXT, MX,
// CNAME and SRV; version changes the first `changed` of them.
func generate(n, changed int) string {
	var b strings.Builder
	b.WriteString(head)
	for i := range n {
		v := 1
		if i < changed {
			v = 2
		}
		switch i % 6 {
		case 0:
			fmt.Fprintf(&b, "h%d A 10.%d.%d.%d\n", i, (i>>16)&255, (i>>8)&255, v)
		case 1:
			fmt.Fprintf(&b, "h%d AAAA 2001:db8::%x:%d\n", i, i, v)
		case 2:
			fmt.Fprintf(&b, "h%d TXT \"v=spf1 ip4:10.0.0.%d -all\" \"record %d\"\n", i, v, i)
		case 3:
			fmt.Fprintf(&b, "h%d MX %d mail%d.bench.example.\n", i, 10*v, i)
		case 4:
			fmt.Fprintf(&b, "h%d CNAME target%d-%d.bench.example.\n", i, i, v)
		case 5:
			fmt.Fprintf(&b, "_s%d._tcp SRV 10 %d 443 srv%d.bench.example.\n", i, v, i)
		}
	}
	return b.String()
}

func parse(text string) *zone.Zone {
	z, err := zone.Parse(strings.NewReader(text), "bench.zone", origin, "")
	if err != nil {
		panic(err)
	}
	for _, p := range z.Problems {
		if p.Severity == zone.Error {
			panic(p.String())
		}
	}
	return z
}

type step struct {
	sets     int
	changes  int
	requests int
	plan     time.Duration
	wall     time.Duration
}

// pushOnce is what `dnsparity push` does for one provider and zone: the
// plan (reading the provider's zone; a missing zone is created by the
// push) and the push, through internal/push.
func pushOnce(ctx context.Context, name string, p provider.Provider, pc *config.Provider, desired *zone.Zone) (step, error) {
	var s step
	start := time.Now()
	t, err := push.Prepare(ctx, name, p, pc, desired, nil, nil)
	if err != nil {
		return s, err
	}
	s.plan = time.Since(start)
	s.changes = len(t.Plan.Changes)
	if !t.Plan.Empty() {
		var e report.PlanEntry
		_, err := push.Apply(ctx, t, &e, nil)
		s.requests = e.Requests
		if err != nil {
			return s, err
		}
	}
	s.wall = time.Since(start)
	s.sets = desired.Len()
	return s, nil
}

func main() {
	n := flag.Int("n", 10000, "RRsets in the generated zone")
	changed := flag.Int("changed", 100, "RRsets the third push changes")
	flag.Parse()
	t := benchrun.New("push", "")
	defer t.Close()
	ctx := context.Background()

	first := parse(generate(*n, 0))
	second := parse(generate(*n, *changed))
	fmt.Printf("zone %s: %d RRsets, %d records; third push changes %d RRsets\n\n", origin, first.Len(), first.Records(), *changed)

	pd := lab.PDNS(t, lab.Options{})
	pdc := &config.Provider{Name: "powerdns", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: pd.APIURL, APIKey: config.Secret(pd.APIKey)}}}
	pdp, err := powerdns.New(pdc, nil)
	t.Must(err)
	kn := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: head}}, TSIG: benchrun.Key, AllowUpdate: true})
	knc := &config.Provider{Name: "knot", Type: "rfc2136", TSIG: &config.TSIG{Name: benchrun.Key.Name, Algorithm: benchrun.Key.Algorithm, SecretEnv: benchrun.KeyEnv, Secret: config.Secret(benchrun.Key.Secret)}, Settings: &rfc2136.Settings{Server: kn.Addr}}
	knp, err := rfc2136.New(knc)
	t.Must(err)

	fmt.Printf("%-10s %-10s %8s %8s %10s %10s %s\n", "provider", "push", "changes", "requests", "plan", "wall", "unit")
	fail := false
	for _, pv := range []struct {
		name, unit string
		p          provider.Provider
		pc         *config.Provider
	}{{"powerdns", "HTTP requests (POST zone + PATCH)", pdp, pdc}, {"knot", "UPDATE messages", knp, knc}} {
		for _, st := range []struct {
			name string
			z    *zone.Zone
		}{{"first", first}, {"no-op", first}, {"100", second}, {"verify", second}} {
			s, err := pushOnce(ctx, pv.name, pv.p, pv.pc, st.z)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s %s: %v\n", pv.name, st.name, err)
				fail = true
				break
			}
			fmt.Printf("%-10s %-10s %8d %8d %10s %10s %s\n", pv.name, st.name, s.changes, s.requests,
				s.plan.Round(time.Millisecond), s.wall.Round(time.Millisecond), pv.unit)
			switch st.name {
			case "first":
				if s.wall > 2*time.Second {
					fmt.Printf("  goal missed: first push took %s (goal < 2s)\n", s.wall.Round(time.Millisecond))
				}
			case "no-op", "verify":
				if s.requests != 0 || s.changes != 0 {
					fmt.Printf("  goal missed: %d changes in %d requests (goal 0)\n", s.changes, s.requests)
					fail = true
				}
			case "100":
				if s.changes != *changed || s.requests != 1 {
					fmt.Printf("  goal missed: %d changes in %d requests (goal %d in 1)\n", s.changes, s.requests, *changed)
				}
			}
		}
	}
	if fail {
		t.Close()
		os.Exit(1)
	}
}
