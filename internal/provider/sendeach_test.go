package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// TestSendEach: names that get records go several at once, each name's
// changes one after the other in their order, the names that only lose
// records after all of them; a failure stops it (no call starts after
// it), the Result lists exactly what was done and notSent what no call
// was started for.
func TestSendEach(t *testing.T) {
	var order []Change
	for i := range 12 {
		name := fmt.Sprintf("n%02d.example.", i)
		order = append(order, Change{Action: Create, Name: name, Type: dns.TypeCNAME}, Change{Action: Delete, Name: name, Type: dns.TypeA})
	}
	for i := range 4 {
		order = append(order, Change{Action: Delete, Name: fmt.Sprintf("gone%d.example.", i), Type: dns.TypeA})
	}
	for _, tc := range []struct {
		name    string
		workers int
		fail    string // the name whose first change fails
	}{
		{"one at a time", 1, ""},
		{"at once", 6, ""},
		{"at once, a failure", 6, "n05.example."},
		{"one at a time, a failure", 1, "n05.example."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var events []string // "start name type" / "end name type"
			inFlight, most := 0, 0
			boom := errors.New("refused")
			res, fails, notSent := SendEach(context.Background(), order, tc.workers, nil, func(_ context.Context, c Change) (int, error) {
				key := c.Name + " " + dns.TypeToString[c.Type]
				mu.Lock()
				events = append(events, "start "+key)
				inFlight++
				most = max(most, inFlight)
				mu.Unlock()
				time.Sleep(2 * time.Millisecond)
				mu.Lock()
				defer mu.Unlock()
				inFlight--
				events = append(events, "end "+key)
				if c.Name == tc.fail && c.Type == dns.TypeCNAME {
					return 1, boom
				}
				return 1, nil
			})
			at := func(e string) int { return slices.Index(events, e) }
			for i := range 12 {
				name := fmt.Sprintf("n%02d.example.", i)
				if s := at("start " + name + " A"); s >= 0 && s < at("end "+name+" CNAME") {
					t.Errorf("%s: its delete started before its create ended", name)
				}
			}
			lastAdd := -1
			for i, e := range events {
				if e[:3] == "end" && e[len(e)-5:] == "CNAME" {
					lastAdd = i
				}
			}
			for i := range 4 {
				if s := at(fmt.Sprintf("start gone%d.example. A", i)); s >= 0 && s < lastAdd {
					t.Errorf("gone%d: a name that only loses records started before the names that get records were done", i)
				}
			}
			if tc.workers > 1 && most < 2 {
				t.Errorf("%d workers: never more than %d call under way", tc.workers, most)
			}
			if tc.workers == 1 && most != 1 {
				t.Errorf("one worker: %d calls under way at once", most)
			}
			started := 0
			for _, e := range events {
				if e[:5] == "start" {
					started++
				}
			}
			if tc.fail == "" {
				if len(fails) != 0 || len(res.Applied) != len(order) || len(notSent) != 0 || res.Requests != len(order) {
					t.Errorf("no failure: %d failed, %d applied of %d, %d not sent, %d requests", len(fails), len(res.Applied), len(order), len(notSent), res.Requests)
				}
				return
			}
			if len(fails) != 1 || order[fails[0].Index].Name != tc.fail || !errors.Is(fails[0].Err, boom) {
				t.Fatalf("failures %v, want %s's", fails, tc.fail)
			}
			if len(res.Applied)+len(fails)+len(notSent) != len(order) || started != len(res.Applied)+len(fails) {
				t.Errorf("%d applied + %d failed + %d not sent of %d; %d started", len(res.Applied), len(fails), len(notSent), len(order), started)
			}
			// A call may start between the failed call's end and its
			// failure being seen (each worker at most one); no more.
			late := 0
			for _, e := range events[at("end "+tc.fail+" CNAME")+1:] {
				if e[:5] == "start" {
					late++
				}
			}
			if late > tc.workers-1 {
				t.Errorf("%d calls started after the failure", late)
			}
			if tc.workers == 1 && len(res.Applied) != 10 {
				t.Errorf("one at a time: %d applied before the failure, want the 10 of the 5 names before", len(res.Applied))
			}
		})
	}
}

// TestFailuresText: each failure SendEach returns is said with its own
// state, the first and those that failed meanwhile alike: a write whose
// answer was lost (or whose earlier try's 5xx may have been applied) is
// perhaps applied, any other not applied.
func TestFailuresText(t *testing.T) {
	order := []Change{
		{Action: Create, Name: "a.example.", Type: dns.TypeA},
		{Action: Create, Name: "b.example.", Type: dns.TypeTXT},
		{Action: Delete, Name: "c.example.", Type: dns.TypeMX},
	}
	lost := fmt.Errorf("PUT: %w: EOF", ErrUnavailable)
	refused := errors.New("PUT: HTTP 400: bad")
	earlier := fmt.Errorf("DELETE: HTTP 500 (%w)", ErrEarlierTry)
	for _, tc := range []struct {
		name  string
		fails []Failure
		want  []string // the start of each clause, in order
	}{
		{"one lost", []Failure{{0, lost}}, []string{"change 1 of 3 (+ a.example. A) failed, perhaps applied"}},
		{"one refused", []Failure{{1, refused}}, []string{"change 2 of 3 (+ b.example. TXT) failed, not applied"}},
		{"two lost", []Failure{{0, lost}, {2, lost}}, []string{
			"change 1 of 3 (+ a.example. A) failed, perhaps applied",
			"change 3 of 3 (- c.example. MX) also failed meanwhile, perhaps applied"}},
		{"refused then lost", []Failure{{0, refused}, {1, lost}}, []string{
			"change 1 of 3 (+ a.example. A) failed, not applied",
			"change 2 of 3 (+ b.example. TXT) also failed meanwhile, perhaps applied"}},
		{"lost then refused, then an earlier try", []Failure{{0, lost}, {1, refused}, {2, earlier}}, []string{
			"change 1 of 3 (+ a.example. A) failed, perhaps applied",
			"change 2 of 3 (+ b.example. TXT) also failed meanwhile, not applied: PUT: HTTP 400: bad",
			"change 3 of 3 (- c.example. MX) also failed meanwhile, perhaps applied"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := FailuresText(order, tc.fails)
			// Each clause in order, the later ones each after "; ".
			rest := got
			for i, w := range tc.want {
				if i > 0 {
					w = "; " + w
				}
				if !strings.HasPrefix(rest, w) {
					k := strings.Index(rest, w)
					if i == 0 || k < 0 {
						t.Fatalf("%q: clause %d is not %q", got, i+1, w)
					}
				}
				rest = rest[strings.Index(rest, w)+len(w):]
			}
			if n := strings.Count(got, "failed"); n != len(tc.want) {
				t.Errorf("%q: %d failures said, want %d", got, n, len(tc.want))
			}
		})
	}
}
