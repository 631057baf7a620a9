package fakeapi

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	w := &Window{Limit: 3, Period: time.Second}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, want := range []bool{true, true, true, false, false} {
		ok, left, reset := w.Take(now.Add(time.Duration(i) * 100 * time.Millisecond))
		if ok != want {
			t.Fatalf("request %d: allowed %v, want %v", i+1, ok, want)
		}
		if want && left != 2-i {
			t.Errorf("request %d: %d left, want %d", i+1, left, 2-i)
		}
		if reset != time.Second-time.Duration(i)*100*time.Millisecond {
			t.Errorf("request %d: resets in %v", i+1, reset)
		}
	}
	if w.Refused != 2 {
		t.Errorf("refused %d, want 2", w.Refused)
	}
	if ok, _, _ := w.Take(now.Add(time.Second)); !ok {
		t.Error("a new window refused its first request")
	}
}

func TestFaults(t *testing.T) {
	var k Kit
	k.AddFault(Fault{Method: "POST", Path: "/batch", Skip: 1, Times: 2, Status: 503})
	k.AddFault(Fault{Method: "GET", Times: 1, Status: Short})
	var got []int
	for _, r := range []struct{ method, path string }{{"POST", "/x/batch"}, {"POST", "/x/batch"}, {"GET", "/x"}, {"POST", "/other"}, {"POST", "/x/batch"}, {"POST", "/x/batch"}, {"GET", "/x"}} {
		f, short := k.Faulted(r.method, r.path)
		if short {
			got = append(got, Short)
		} else {
			got = append(got, f.Status)
		}
	}
	want := []int{0, 503, Short, 0, 503, 0, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("faults fired %v, want %v", got, want)
		}
	}
	k.Inc("a", "b")
	k.Inc("a")
	if k.Count("a") != 2 || k.Count("b") != 1 || k.Counts() != "a=2 b=1" {
		t.Errorf("counts: %s", k.Counts())
	}
}

func TestNullFields(t *testing.T) {
	got, err := NullFields([]byte(`{"answers":[],"filters":null,"regions":null,"meta":{}}`), "answers", "filters", "regions", "meta")
	if err != nil || strings.Join(got, ",") != "filters,regions" {
		t.Errorf("null fields %v, %v", got, err)
	}
	if err := Decode(strings.NewReader(`{"a":1} {"a":2}`), &struct{ A int }{}); err == nil {
		t.Error("trailing data accepted")
	}
	if err := Decode(strings.NewReader(`{"b":1}`), &struct{ A int }{}); err == nil {
		t.Error("an unknown field accepted")
	}
	if Secret("x", "") || !Secret("k", "k") || Secret("k", "K") {
		t.Error("Secret")
	}
}

func TestSortedAndJSON(t *testing.T) {
	a, b := "a", "b"
	got := Sorted(map[int]*string{10: &b, 9: &a})
	if strings.Join(got, ",") != "a,b" {
		t.Errorf("Sorted = %v, want the values in key order", got)
	}
	got[0] = "changed"
	if a != "a" {
		t.Error("Sorted returned the stored values, not copies")
	}
	rec := httptest.NewRecorder()
	JSON(rec, http.StatusCreated, map[string]int{"n": 1})
	if rec.Code != http.StatusCreated || rec.Header().Get("Content-Type") != "application/json" || rec.Body.String() != "{\"n\":1}\n" {
		t.Errorf("JSON wrote %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	rec = httptest.NewRecorder()
	JSON(rec, http.StatusOK, nil)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("JSON of nil wrote %d %q, want an empty body", rec.Code, rec.Body.String())
	}
}

func TestPage(t *testing.T) {
	all := []int{1, 2, 3, 4, 5}
	for _, c := range []struct {
		page, size int
		want       []int
		pages      int
	}{
		{1, 2, []int{1, 2}, 3},
		{3, 2, []int{5}, 3},
		{4, 2, []int{}, 3},
		{1, 5, []int{1, 2, 3, 4, 5}, 1},
		{2, 10, []int{}, 1},
	} {
		got := Page(all, c.page, c.size)
		if !slices.Equal(got, c.want) {
			t.Errorf("Page(page %d, size %d) = %v, want %v", c.page, c.size, got, c.want)
		}
		if n := Pages(len(all), c.size); n != c.pages {
			t.Errorf("Pages(5, %d) = %d, want %d", c.size, n, c.pages)
		}
	}
	if n := Pages(0, 10); n != 0 {
		t.Errorf("Pages(0, 10) = %d, want 0", n)
	}
	for _, c := range []struct {
		page  []int
		short bool
		want  []int
	}{
		{[]int{1, 2}, true, []int{1}},
		{[]int{1, 2}, false, []int{1, 2}},
		{[]int{}, true, []int{}},
	} {
		if got := Shorten(c.page, c.short); !slices.Equal(got, c.want) {
			t.Errorf("Shorten(%v, %v) = %v, want %v", c.page, c.short, got, c.want)
		}
	}
}

// TestBetween: the change runs once, after the first matching request
// has been answered, before the next request is served.
func TestBetween(t *testing.T) {
	state := "before"
	var seen []string
	h := Between(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.Path+"="+state)
	}), func(r *http.Request) bool { return r.URL.Path == "/page1" }, func() { state = "after" })
	for _, p := range []string{"/other", "/page1", "/page2", "/page1"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, p, nil))
	}
	if got, want := strings.Join(seen, " "), "/other=before /page1=before /page2=after /page1=after"; got != want {
		t.Errorf("served %q, want %q", got, want)
	}
}

// TestApply: a fault that does its work passes the request on with a
// writer of its own; Applied answers fail's failure (given the headers
// the request's answer had), Lost closes the connection; others pass w.
func TestApply(t *testing.T) {
	handler := func(f Fault) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			out, done, applied := Apply(w, f, func(w http.ResponseWriter, answered http.Header) {
				w.Header().Set("X-Left", answered.Get("X-Left"))
				w.WriteHeader(f.Status)
			})
			defer done()
			if !applied && f.Status > 0 {
				w.WriteHeader(f.Status)
				return
			}
			out.Header().Set("X-Left", "7")
			out.WriteHeader(http.StatusOK)
			_, _ = out.Write([]byte("done"))
		})
	}
	for _, c := range []struct {
		name   string
		f      Fault
		status int
		left   string
		lost   bool
	}{
		{"none", Fault{}, http.StatusOK, "7", false},
		{"applied 502", Fault{Status: http.StatusBadGateway, Applied: true}, http.StatusBadGateway, "7", false},
		{"refused 502", Fault{Status: http.StatusBadGateway}, http.StatusBadGateway, "", false},
		{"lost", Fault{Status: Lost}, 0, "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(handler(c.f))
			defer srv.Close()
			resp, err := http.Get(srv.URL)
			if c.lost {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("got an answer (%s), want the connection closed", resp.Status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != c.status || resp.Header.Get("X-Left") != c.left {
				t.Errorf("answered %d X-Left %q, want %d %q", resp.StatusCode, resp.Header.Get("X-Left"), c.status, c.left)
			}
		})
	}
}

// TestApplyRetryAfter: a fault with a status carries its Retry-After on
// the answer whoever writes it (the fake itself, when Apply does not
// apply the request; fail, when it does), so a fake never sets it again;
// a fault without a status sets none.
func TestApplyRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Fault // applied when f.Applied
		want string
	}{
		{"refused: the fake answers", Fault{Status: 429, RetryAfter: "7"}, "7"},
		{"applied, then failed", Fault{Status: 503, Applied: true, RetryAfter: "3"}, "3"},
		{"no status", Fault{RetryAfter: "7"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			out, done, applied := Apply(rec, tc.f, func(w http.ResponseWriter, _ http.Header) { w.WriteHeader(tc.f.Status) })
			if applied != tc.f.Applied {
				t.Fatalf("applied %v, want %v", applied, tc.f.Applied)
			}
			if !applied {
				out.WriteHeader(max(tc.f.Status, http.StatusOK)) // the fake's own answer
			}
			done()
			if got := rec.Result().Header.Get("Retry-After"); got != tc.want {
				t.Errorf("Retry-After %q, want %q", got, tc.want)
			}
		})
	}
}
