package parity_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/progress/progresstest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestParityLargeAnswers: an RRset too large for a 1232-octet UDP answer
// comes back truncated; the engine must ask again over TCP and compare the
// whole set (a partial set would differ from git).
func TestParityLargeAnswers(t *testing.T) {
	var b strings.Builder
	b.WriteString(fixture(t))
	for i := range 80 {
		fmt.Fprintf(&b, "big IN TXT \"record %03d with enough text to fill a UDP answer quickly\"\n", i)
	}
	text := b.String()
	z := loadText(t, text)
	for _, pair := range [][2]string{{"knot", "bind"}, {"pdns", "knot"}} {
		t.Run(pair[0]+"-"+pair[1], func(t *testing.T) {
			rep := run(t, z, []string{serve(t, pair[0], text)}, []string{serve(t, pair[1], text)})
			check(t, rep, nil, []string{"big.parity.test."})
		})
	}
}

// TestParityCanceled: a canceled run stops with the context's error (not
// "server does not answer") and leaves no goroutine behind.
func TestParityCanceled(t *testing.T) {
	text := fixture(t)
	z := loadText(t, text)
	addr := serve(t, "knot", text)
	before := runtime.NumGoroutine()
	for _, delay := range []time.Duration{0, time.Millisecond} {
		ctx, cancel := context.WithCancel(context.Background())
		if delay == 0 {
			cancel()
		} else {
			time.AfterFunc(delay, cancel)
		}
		// A slow rate keeps the run going long enough to be canceled.
		_, err := parity.Run(ctx, z, []parity.Target{{Addr: addr}}, []parity.Target{{Addr: addr}},
			parity.Options{Timeout: time.Second, Retries: 1, Rate: 20})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("canceled after %s: err = %v, want context.Canceled", delay, err)
		}
	}
	// Goroutines end when Run returns (allow the runtime a moment).
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after the runs, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

// TestParityInterruptedPartial: a run interrupted while the questions are
// asked returns the context's error and a partial report of the questions
// every server answered, with the differences among them.
func TestParityInterruptedPartial(t *testing.T) {
	text := fixture(t)
	z := loadText(t, text)
	old := serve(t, "knot", text)
	new := serve(t, "knot", strings.Replace(text, "@       IN  A     192.0.2.10", "@       IN  A     192.0.2.11", 1))
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	rep, err := parity.Run(ctx, z, []parity.Target{{Addr: old}}, []parity.Target{{Addr: new}},
		parity.Options{Timeout: time.Second, Retries: 1, Rate: 10, Concurrency: 4})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's error", err)
	}
	if rep == nil || !rep.Partial || rep.Compared == 0 || !strings.Contains(rep.Error, "interrupted") {
		t.Fatalf("want a partial report, got %+v", rep)
	}
	found := false
	for _, f := range rep.Findings {
		found = found || f.Name == origin && f.Type == "A" && f.Kind == "rdata"
	}
	if !found {
		dump(t, rep)
		t.Errorf("the apex A difference among the %d compared questions is not reported", rep.Compared)
	}
}

// TestParityProgress: the run's questions are one task, named after the
// zone, of questions × servers answers, updated while they are asked
// (figures going up) and stopped once with every answer counted.
func TestParityProgress(t *testing.T) {
	text := fixture(t)
	z := loadText(t, text)
	addr := serve(t, "knot", text)
	rec := &progresstest.Recorder{}
	rep, err := parity.Run(context.Background(), z, []parity.Target{{Addr: addr}}, []parity.Target{{Addr: addr}},
		parity.Options{Timeout: time.Second, Retries: 1, Rate: 200, ProgressEvery: 50 * time.Millisecond, Progress: rec})
	if err != nil {
		t.Fatal(err)
	}
	tasks := rec.Tasks()
	if len(tasks) != 1 {
		t.Fatalf("tasks %+v: want the zone's questions only", tasks)
	}
	tk := tasks[0]
	if tk.Label != origin || tk.Unit != "answers" || tk.Total == 0 || tk.Total%2 != 0 || tk.Total > rep.Queries {
		t.Errorf("task %q of %d %s (%d queries): want the zone's questions × 2 servers", tk.Label, tk.Total, tk.Unit, rep.Queries)
	}
	if len(tk.Updates) < 3 || !slices.IsSorted(tk.Updates) {
		t.Errorf("updates %v: want several, going up", tk.Updates)
	}
	if tk.Last() != tk.Total || tk.Stops != 1 || tk.Failed || tk.Late > 0 {
		t.Errorf("task %+v: want every answer counted, then stopped once", tk)
	}
}

// TestParityInterruptedInMailChecks: interrupted while the mail checks wait
// for a silent resolver, the run reports the compared questions, no mail
// findings from cut-short lookups, and says what was not checked.
func TestParityInterruptedInMailChecks(t *testing.T) {
	text := spfZone("v=spf1 include:_spf.vendor.test -all")
	z := loadText(t, text)
	addr := serve(t, "knot", text)
	silent := newRecorder(t, "", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(1500*time.Millisecond, cancel)
	rep, err := parity.Run(ctx, z, []parity.Target{{Addr: addr}}, []parity.Target{{Addr: addr}},
		parity.Options{Timeout: 2 * time.Second, Retries: 2, Resolver: silent.Addr})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if rep == nil || !rep.Partial || !strings.Contains(rep.Error, "during the mail and DNSSEC checks") {
		t.Fatalf("want a partial report naming the mail checks, got %+v", rep)
	}
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Kind, "spf") {
			t.Errorf("a finding from a cut-short lookup: %s %s", f.Kind, f.Detail)
		}
	}
}

// TestEngineProbesOnce: over many zones (an Engine) a server that answered
// one zone's questions is not probed again for the next (its SOA question
// asks it: two queries fewer, one per server); a server that stops
// answering fails the next zone ("did not answer any question") and is
// probed again by the one after ("does not answer").
func TestEngineProbesOnce(t *testing.T) {
	z, old, new, eng := engineLab(t)
	ctx := context.Background()
	opts := parity.Options{Timeout: 300 * time.Millisecond, Retries: 1, Concurrency: 8, Engine: eng}
	targets := func(s *lab.Server) []parity.Target { return []parity.Target{{Addr: s.Addr}} }
	first, err := parity.Run(ctx, z, targets(old), targets(new), opts)
	if err != nil {
		t.Fatal(err)
	}
	second, err := parity.Run(ctx, z, targets(old), targets(new), opts)
	if err != nil {
		t.Fatal(err)
	}
	if first.Queries-second.Queries != 2 || len(second.Findings) != len(first.Findings) {
		t.Errorf("queries %d then %d (want 2 probes fewer), findings %d then %d", first.Queries, second.Queries, len(first.Findings), len(second.Findings))
	}
	new.Stop()
	if _, err := parity.Run(ctx, z, targets(old), targets(new), opts); err == nil || !strings.Contains(err.Error(), "did not answer any question") {
		t.Errorf("a server that stopped answering: %v", err)
	}
	if _, err := parity.Run(ctx, z, targets(old), targets(new), opts); err == nil || !strings.Contains(err.Error(), "does not answer") {
		t.Errorf("the next zone probes it again: %v", err)
	}
}

// TestEngineResolvesOnce: over many zones (an Engine) a side's servers
// given by name (a provider's assigned nameservers) are looked up at the
// resolver once, not again for every zone: each zone's run asked the
// resolver for every name's A and AAAA (here 2 names, 4 questions a
// zone; 40,000 for 10,000 zones). Counted by a relay in front of the
// resolver (BIND, serving the names' zone), which the zone's own
// lookups (SPF includes) also reach: only the names' are counted.
func TestEngineResolvesOnce(t *testing.T) {
	z, old, new, eng := engineLab(t)
	host := func(s *lab.Server) (ip, port string) {
		ip, port, err := net.SplitHostPort(s.Addr)
		if err != nil {
			t.Fatal(err)
		}
		return ip, port
	}
	oldIP, oldPort := host(old)
	newIP, newPort := host(new)
	names := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "names.test.", Text: "$TTL 300\n@ SOA ns h 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.53\n" +
		"ns-old A " + oldIP + "\nns-new A " + newIP + "\n"}}})
	var asked atomic.Int64
	resolver := relay(t, func(q []byte) {
		var m dns.Msg
		if m.Unpack(q) == nil && len(m.Question) == 1 && strings.HasSuffix(m.Question[0].Name, ".names.test.") {
			asked.Add(1)
		}
	}, names.Addr)
	opts := parity.Options{Timeout: time.Second, Retries: 1, Concurrency: 8, Engine: eng, Resolver: resolver}
	olds, news := []parity.Target{{Addr: net.JoinHostPort("ns-old.names.test", oldPort)}}, []parity.Target{{Addr: net.JoinHostPort("ns-new.names.test", newPort)}}
	var per []int64
	for range 3 {
		before := asked.Load()
		rep, err := parity.Run(context.Background(), z, olds, news, opts)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Queries == 0 {
			t.Fatalf("no question asked: %+v", rep)
		}
		per = append(per, asked.Load()-before)
	}
	if per[0] == 0 || per[1] != 0 || per[2] != 0 {
		t.Errorf("questions at the resolver per zone: %v, want the names looked up by the first zone only", per)
	}
}

// engineLab is the fixture zone served by Knot (old) and BIND (new), and
// an Engine for runs over many zones.
func engineLab(t *testing.T) (z *zone.Zone, old, new *lab.Server, eng *parity.Engine) {
	t.Helper()
	lab.Require(t, "knotd", "named")
	text := fixture(t)
	o := lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}}
	eng = parity.NewEngine(parity.Options{Concurrency: 8})
	t.Cleanup(eng.Close)
	return loadText(t, text), lab.Knot(t, o), lab.BIND(t, o), eng
}

// TestParityProgressInterrupted: the task of an interrupted run keeps the
// run's full count of questions (it showed "128/36 answers (9 questions ×
// 4 servers)": the questions every server answered, kept for the
// comparison, against every answer counted), counts only the answers that
// came back, not the questions left unasked, and ends failed.
func TestParityProgressInterrupted(t *testing.T) {
	text := fixture(t)
	z := loadText(t, text)
	addr := serve(t, "knot", text)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	rec := &progresstest.Recorder{}
	rep, err := parity.Run(ctx, z, []parity.Target{{Addr: addr}}, []parity.Target{{Addr: addr}},
		parity.Options{Timeout: time.Second, Retries: 1, Rate: 10, Concurrency: 4, ProgressEvery: 100 * time.Millisecond, Progress: rec})
	if !errors.Is(err, context.DeadlineExceeded) || rep == nil || !rep.Partial {
		t.Fatalf("err = %v, report %+v: want a partial report", err, rep)
	}
	tasks := rec.Tasks()
	if len(tasks) != 1 {
		t.Fatalf("tasks %+v: want the zone's questions only", tasks)
	}
	tk := tasks[0]
	if len(tk.Updates) < 2 {
		t.Errorf("updates %v: want several", tk.Updates)
	}
	if tk.Total <= 2*rep.Compared {
		t.Errorf("the task counts %d answers (compared %d questions × 2): want the run's full count", tk.Total, rep.Compared)
	}
	if tk.Last() >= tk.Total || tk.Last() > rep.Queries || !tk.Failed || tk.Stops != 1 {
		t.Errorf("task %+v (%d queries): want fewer answers than asked, ended failed once", tk, rep.Queries)
	}
}

// cancelAtStage is a progress recorder that ends the run's context when
// the task of the stage named stage starts (an interruption, Ctrl-C,
// during that stage).
type cancelAtStage struct {
	*progresstest.Recorder
	stage  string
	cancel context.CancelFunc
}

func (c cancelAtStage) StartUnits(label string, total int, unit string) progress.Task {
	if strings.HasSuffix(label, ": "+c.stage) {
		c.cancel()
	}
	return c.Recorder.StartUnits(label, total, unit)
}

// TestParityProgressInterruptedStage: a run interrupted during the client
// subnets' first probe ends that stage's task failed, and starts no task
// for a subnet it will not ask (it ended the probe as done, then started
// the subnet's stage, which then failed at once: on a terminal the probe
// said "done" with its answers short, and nothing said it failed).
func TestParityProgressInterruptedStage(t *testing.T) {
	text := fixture(t)
	z := loadText(t, text)
	addr := serve(t, "knot", text)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rec := &progresstest.Recorder{}
	p := cancelAtStage{Recorder: rec, stage: "client subnets: first probe", cancel: cancel}
	_, err := parity.Run(ctx, z, []parity.Target{{Addr: addr}}, []parity.Target{{Addr: addr}},
		parity.Options{Timeout: time.Second, Retries: 1, ProgressEvery: time.Hour, Progress: p,
			Subnets:         []parity.Subnet{{Prefix: netip.MustParsePrefix("198.51.100.0/24"), Region: "eu"}},
			ClientDependent: []string{"www." + origin}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the run interrupted", err)
	}
	var labels []string
	for _, tk := range rec.Tasks() {
		labels = append(labels, tk.Label)
		if tk.Stops != 1 || tk.Late > 0 {
			t.Errorf("task %+v: want it stopped once", tk)
		}
	}
	tasks := rec.Tasks()
	if got, want := strings.Join(labels, "|"), origin+"|"+origin+": client subnets: first probe"; got != want {
		t.Fatalf("tasks %q, want %q", got, want)
	}
	if last := tasks[len(tasks)-1]; !last.Failed {
		t.Errorf("the interrupted stage's task %+v: want it ended failed", last)
	}
	if tasks[0].Failed {
		t.Errorf("the zone's questions, all answered, ended failed: %+v", tasks[0])
	}
}
