package ns1_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestWriteRetriedAfterApplied: a write NS1 applied but answered with a
// 5xx (a gateway's 502 while the API behind it did the work) is tried
// again, and the second try gets what ns1-go names for those cases
// (rest/record.go: Create, 400 "record already exists", ErrRecordExists;
// Delete, 404 "record not found", ErrRecordMissing). The push converges
// in that run: a PUT found done is sent again as a POST of the same
// record (what git wants, whoever made it), a DELETE found done is done.
// A first try refused so is no retry and stays an error (TestShared's
// conflicts).
func TestWriteRetriedAfterApplied(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.PeriodUnit = 10 * time.Millisecond
	s.AddZone("example.com")
	s.Seed(ns1test.Record{Zone: "example.com", Domain: "old.example.com", Type: "A", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{"192.0.2.1"}}}})
	p := newProvider(t, s, apiKey)
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n@ 3600 NS dns2.p01.nsone.net.\nnew 300 A 192.0.2.2\n")
	s.AddFault(ns1test.Fault{Method: "PUT", Times: 1, Status: 502, Applied: true})
	s.AddFault(ns1test.Fault{Method: "DELETE", Times: 1, Status: 502, Applied: true})
	providertest.Push(t, p, d)
	if r := s.Record("example.com", "new.example.com", "A"); r == nil || len(r.Answers) != 1 || r.Answers[0].Answer[0] != "192.0.2.2" {
		t.Errorf("new.example.com A after push: %+v", r)
	}
	if r := s.Record("example.com", "old.example.com", "A"); r != nil {
		t.Errorf("old.example.com A still there: %+v", r)
	}
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("a second plan is not empty: %v", pl.Changes)
	}
}

// TestDoneBeforeThenRefused: a PUT NS1 applied but answered 5xx, found
// made on its retry ("record already exists") and sent again as a POST
// that NS1 refuses: the record is there as the PUT made it, so the
// change is perhaps applied (the earlier try's doing), never "not
// applied".
func TestDoneBeforeThenRefused(t *testing.T) {
	s := exampleZone(t)
	p := newProvider(t, s, apiKey)
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n@ 3600 NS dns2.p01.nsone.net.\nnew 300 A 192.0.2.2\n")
	pl := providertest.Plan(t, p, d)
	s.AddFault(ns1test.Fault{Method: "PUT", Times: 1, Status: 502, Applied: true})
	s.AddFault(ns1test.Fault{Method: "POST", Times: 1, Status: 400})
	_, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if s.Record("example.com", "new.example.com", "A") == nil {
		t.Fatalf("the fake does not hold the record the first PUT made (error: %v)", err)
	}
	if err == nil || !strings.Contains(err.Error(), "(+ new.example.com. A) failed, perhaps applied") {
		t.Errorf("a change whose first try was applied, then refused: %v, want it perhaps applied", err)
	}
}
