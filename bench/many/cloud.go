package main

// The cloud phase: N zones planned in one process (push.Setup, which
// plans each zone through push.Prepare, 8 zones at once; one Setup per
// provider, the five at once) against the fakes of Cloudflare, Route 53,
// NS1, DNS Made Easy and ClouDNS, each enforcing its vendor's documented
// rate window, with the providers' per-account limiter on. Time runs faster by one factor per vendor: the
// fake's window is that many times shorter and the account's limiter
// (httpretry.Limiter.SetSpeed) that many times faster, so every bound is
// kept as the vendor counts it and the 10,000 zones take minutes, not
// hours.

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/push"

	_ "github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	_ "github.com/dnsparity/dnsparity/internal/provider/cloudns"
	_ "github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy"
	_ "github.com/dnsparity/dnsparity/internal/provider/ns1"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
)

// vendor is one cloud fake and how its provider is configured.
type vendor struct {
	name   string  // the provider's key and type
	speed  float64 // how many times faster its clock runs here
	window string  // the documented window
	count  int     // requests per period in the documented window
	period time.Duration
	yaml   string // the provider's config lines
	env    map[string]string
	// refused is the requests the fake refused for rate.
	refused func() int
	close   func()
}

// defaultSpeeds give each vendor about the same share of the run (about
// three minutes at 10,000 zones alone): the slowest budgets (DNS Made
// Easy's 150 per 5 minutes) run fastest. One factor for all would leave
// Route 53's window a few milliseconds long, or DNS Made Easy's run
// hours.
const defaultSpeeds = "cloudflare=40,route53=30,ns1=10,dnsmadeeasy=300,cloudns=20"

// speeds parses "vendor=factor,...".
func speeds(s string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || f < 1 {
			return nil, fmt.Errorf("bad speed %q (want vendor=factor, factor ≥ 1)", kv)
		}
		out[k] = f
	}
	return out, nil
}

// startVendors starts the five fakes with their windows scaled and the
// zones added (empty but for the provider's own apex records).
func startVendors(origins []string, sp map[string]float64) []*vendor {
	f := func(name string) float64 {
		if v := sp[name]; v >= 1 {
			return v
		}
		return 1
	}
	scaled := func(d time.Duration, name string) time.Duration { return time.Duration(float64(d) / f(name)) }
	var vs []*vendor

	cf := cftest.New("cf-bench-token")
	cf.SetLimit(&fakeapi.Window{Limit: 1200, Period: scaled(5*time.Minute, "cloudflare")})
	for _, o := range origins {
		cf.AddZone(o)
	}
	vs = append(vs, &vendor{name: "cloudflare", window: "1,200 per 5 min", count: 1200, period: 5 * time.Minute,
		yaml: fmt.Sprintf("type: cloudflare\n    url: %s\n    api_key_env: CF_TOKEN", cf.APIURL()), env: map[string]string{"CF_TOKEN": "cf-bench-token"},
		refused: cf.Refused, close: cf.Close})

	r53 := r53test.New("AKIABENCHMARK0000000", "r53-bench-secret")
	// The account's bucket as Route 53 documents it (r53test.AccountBucket:
	// 50, refilled at 10 a second), its clock as fast as the limiter's.
	r53.SetBucket(&fakeapi.Bucket{Capacity: route53.BucketCapacity, Rate: route53.RequestsPerSecond * f("route53")})
	for _, o := range origins {
		r53.AddZone(o, false)
	}
	vs = append(vs, &vendor{name: "route53", window: "bucket 50, 10 per s", count: route53.RequestsPerSecond, period: time.Second,
		yaml:    fmt.Sprintf("type: route53\n    url: %s\n    access_key_id_env: R53_KEY\n    secret_access_key_env: R53_SECRET", r53.URL),
		env:     map[string]string{"R53_KEY": "AKIABENCHMARK0000000", "R53_SECRET": "r53-bench-secret"},
		refused: r53.Refused, close: r53.Close})

	ns := ns1test.New("ns1-bench-key")
	ns.PeriodUnit = scaled(time.Second, "ns1")
	for _, o := range origins {
		ns.AddZone(strings.TrimSuffix(o, "."))
	}
	vs = append(vs, &vendor{name: "ns1", window: fmt.Sprintf("%d per %d s per endpoint family (announced)", ns.Limit, ns.Period),
		count: ns.Limit, period: time.Duration(ns.Period) * time.Second,
		yaml: fmt.Sprintf("type: ns1\n    url: %s\n    api_key_env: NS1_KEY", ns.APIURL()), env: map[string]string{"NS1_KEY": "ns1-bench-key"},
		refused: func() int { return ns.Count("429") }, close: ns.Close})

	dme := dmetest.New("dme-bench-key", "dme-bench-secret")
	dme.Window = scaled(dme.Window, "dnsmadeeasy")
	for _, o := range origins {
		dme.AddZone(strings.TrimSuffix(o, "."))
	}
	vs = append(vs, &vendor{name: "dnsmadeeasy", window: "150 per 5 min (announced)", count: 150, period: 5 * time.Minute,
		yaml:    fmt.Sprintf("type: dnsmadeeasy\n    url: %s\n    api_key_env: DME_KEY\n    secret_key_env: DME_SECRET", dme.APIURL()),
		env:     map[string]string{"DME_KEY": "dme-bench-key", "DME_SECRET": "dme-bench-secret"},
		refused: func() int { return dme.Count("rate-limited") }, close: dme.Close})

	cn := cloudnstest.New("4242", "", "cloudns-bench-password")
	cn.SetLimit(&fakeapi.Window{Limit: 20, Period: scaled(time.Second, "cloudns")})
	for _, o := range origins {
		cn.AddZone(strings.TrimSuffix(o, "."))
	}
	vs = append(vs, &vendor{name: "cloudns", window: "20 per s", count: 20, period: time.Second,
		yaml:    fmt.Sprintf("type: cloudns\n    url: %s\n    auth_id: \"4242\"\n    api_key_env: CLOUDNS_PASSWORD", cn.URL),
		env:     map[string]string{"CLOUDNS_PASSWORD": "cloudns-bench-password"},
		refused: cn.Refused, close: cn.Close})

	for _, v := range vs {
		v.speed = f(v.name)
	}
	return vs
}

// cloud plans n zones against the five fakes in one process.
func cloud(n int, speedSpec string) {
	sp, err := speeds(speedSpec)
	if err != nil {
		fmt.Fprintln(os.Stderr, "many:", err)
		os.Exit(2)
	}
	s := benchrun.New("many: cloud", "")
	defer s.Close()
	var origins []string
	for _, z := range writeZones(s, n) {
		origins = append(origins, z.Origin)
	}
	t0 := time.Now()
	vs := startVendors(origins, sp)
	defer func() {
		for _, v := range vs {
			v.close()
		}
	}()
	env := map[string]string{}
	var b strings.Builder
	b.WriteString("zones:\n  - files: zones/*.zone\nproviders:\n")
	for _, v := range vs {
		fmt.Fprintf(&b, "  %s:\n    %s\n", v.name, v.yaml)
		for k, val := range v.env {
			env[k] = val
		}
	}
	cfgPath := s.Write("dnsparity.yaml", b.String())
	getenv := func(k string) string { return env[k] }
	fmt.Printf("\n## cloud: %d zones of %d RRsets planned against the fakes of %d providers (push.Setup, one process)\n\n", n, perZone, len(vs))
	fmt.Printf("fakes up with %d zones each in %.1f s\n", n, time.Since(t0).Seconds())

	// The account limiters: the providers Setup makes draw from the same
	// ones (one per account), sped up as their fakes' windows are.
	cfg, err := config.Load(cfgPath)
	s.Must(err)
	s.Must(cfg.Resolve(getenv, cfg.ProviderNames()...))
	lims := map[string]*httpretry.Limiter{}
	for _, v := range vs {
		p, err := provider.New(cfg.Providers[v.name])
		s.Must(err)
		l, ok := p.(interface{ Limiter() *httpretry.Limiter })
		if !ok {
			s.Fatalf("many: provider %s has no account limiter", v.name)
		}
		lims[v.name] = l.Limiter()
		lims[v.name].SetSpeed(v.speed)
	}

	t1 := time.Now()
	stop := make(chan struct{})
	go func() { // progress: the requests sent so far
		tick := time.NewTicker(15 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				var line []string
				for _, v := range vs {
					line = append(line, fmt.Sprintf("%s %d", v.name, lims[v.name].Stats().Requests))
				}
				fmt.Fprintf(os.Stderr, "many: cloud: %.0f s, requests: %s\n", time.Since(t1).Seconds(), strings.Join(line, ", "))
			}
		}
	}()
	// One plan per provider, all at once: each provider's zones wait on
	// its own account limiter only, so every limiter is kept busy.
	type run struct {
		planned int
		wall    time.Duration
		fail    *push.Failure
		errb    strings.Builder
	}
	runs := fanout.All(len(vs), func(i int) *run {
		r := &run{}
		start := time.Now()
		targets, _, fail := push.Setup(context.Background(), push.Options{Command: "plan", Config: cfgPath, Providers: []string{vs[i].name}, Getenv: getenv, Stderr: &r.errb})
		r.wall, r.fail, r.planned = time.Since(start), fail, len(targets)
		return r
	})
	close(stop)
	fmt.Printf("planned in %.1f s wall (the five plans at once)\n\n", time.Since(t1).Seconds())
	fmt.Println("| provider | documented limit | speed: the fake's window here | zones planned | wall here | × speed: the same at the real rate | requests | per zone | 429s (fake) | refusals seen by the limiter | waited (summed over zones) |")
	fmt.Println("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	total429, planned := 0, 0
	for i, v := range vs {
		r := runs[i]
		if r.fail != nil {
			s.Fatalf("many: cloud: %s: plan failed (exit %d): %s\n%s", v.name, r.fail.Code, r.fail.Msg, benchrun.Tail(r.errb.String()))
		}
		st := lims[v.name].Stats()
		ref := v.refused()
		total429 += ref
		planned += r.planned
		fmt.Printf("| %s | %s | %gx: %d per %v | %d | %.0f s | %v | %d | %.2f | %d | %d | %.0f s |\n", v.name, v.window, v.speed, v.count, time.Duration(float64(v.period)/v.speed).Round(time.Millisecond),
			r.planned, r.wall.Seconds(), time.Duration(float64(r.wall)*v.speed).Round(time.Minute), st.Requests, float64(st.Requests)/float64(max(r.planned, 1)),
			ref, st.Throttled, st.Waited.Seconds())
	}
	fmt.Printf("\ncloud: %d zones planned against each of %d providers with %d refusals for rate (goal: none: %s)\n", n, len(vs), total429, benchrun.Verdict(total429 == 0 && planned == n*len(vs)))
}
