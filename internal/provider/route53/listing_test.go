package route53_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
)

// TestTruncatedPageShort: a page that says IsTruncated holds maxitems
// record sets; one that lost a set is refused as that page, before the
// ResourceRecordSetCount of the whole would refuse the listing.
func TestTruncatedPageShort(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com", false)
	for i := range 3 {
		s.Seed(id, r53test.RRSet{Name: fmt.Sprintf("h%d.example.com.", i), Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords(fmt.Sprintf("192.0.2.%d", i))})
	}
	p := newProvider(t, s, keyID, secret)
	p.SetPageSize(2)
	s.AddFault(r53test.Fault{Method: "GET", Path: "/rrset", Times: 1, Status: r53test.Short})
	_, err := p.Records(context.Background(), "example.com.")
	if want := "route53: zone example.com.: list record sets: page 1 holds 1 of 2 record sets a page and says more follow: the listing is incomplete"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a truncated page short of maxitems: %v, want %q", err, want)
	}
	if _, err := p.Records(context.Background(), "example.com."); err != nil {
		t.Errorf("the next listing, whole again: %v", err)
	}
}

// TestLastPageShort: a last page (IsTruncated false) that lost a record
// set can only be caught by the zone's ResourceRecordSetCount. The first
// listing of a zone found by name is checked against the count its page
// of ListHostedZonesByName gave; when they differ the zone is read again
// (GetHostedZone) and listed again against that count: still short, an
// error; whole this time, the zone.
func TestLastPageShort(t *testing.T) {
	for _, tc := range []struct {
		name  string
		short int // listings that come back short
		fail  bool
	}{
		{"short once", 1, false},
		{"short twice", 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			id := s.AddZone("example.com", false)
			for i := range 3 {
				s.Seed(id, r53test.RRSet{Name: fmt.Sprintf("h%d.example.com.", i), Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords(fmt.Sprintf("192.0.2.%d", i))})
			}
			p := newProvider(t, s, keyID, secret)
			s.AddFault(r53test.Fault{Method: "GET", Path: "/rrset", Times: tc.short, Status: r53test.Short})
			z, err := p.Records(context.Background(), "example.com.")
			want := "route53: zone example.com.: list record sets: 4 record sets read where the hosted zone's ResourceRecordSetCount is 5: the listing is incomplete"
			switch {
			case tc.fail && (err == nil || !strings.Contains(err.Error(), want)):
				t.Errorf("a last page short twice: %v, want %q", err, want)
			case !tc.fail && (err != nil || z.Len() != 5):
				t.Errorf("the listing again, whole: %v (%d RRsets, want 5)", err, z.Len())
			}
			if n := s.Count("GetHostedZone"); n != 1 {
				t.Errorf("GetHostedZone %d times, want once (the count of now after a listing that did not match its page's)", n)
			}
		})
	}
}

// TestListingAcrossSetIdentifiers: a page may end inside the weighted
// sets of one name and type, and the next start at one of them: the SDK's
// paginator sends NextRecordIdentifier back as StartRecordIdentifier
// ("If the results were truncated for a given DNS name and type, the
// value of SetIdentifier for the next resource record set that has the
// current DNS name and type", API Reference, ListResourceRecordSets); and
// names that sort apart only by the trailing dot of Route 53's order
// (a-b before a) or are listed escaped (\052 for '*') are paged
// through as well. At every page size the listing reads each set once
// (no set twice, and as many as ResourceRecordSetCount), and the plain
// ones are the zone.
func TestListingAcrossSetIdentifiers(t *testing.T) {
	for _, size := range []int{1, 2, 3, 4} {
		s := newServer(t)
		id := s.AddZone("example.com", false)
		for i, n := range []string{"a", "a-b", "*.a", "a.a-b"} {
			s.Seed(id, r53test.RRSet{Name: n + ".example.com.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords(fmt.Sprintf("192.0.2.%d", i+1))})
		}
		for i, sid := range []string{"blue", "green", "red"} {
			s.Seed(id, r53test.RRSet{Name: "w.example.com.", Type: "A", SetIdentifier: sid, Weight: aws.Int64(int64(i + 1)), TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords(fmt.Sprintf("198.51.100.%d", i+1))})
			s.Seed(id, r53test.RRSet{Name: "w.example.com.", Type: "AAAA", SetIdentifier: sid, Weight: aws.Int64(1), TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords(fmt.Sprintf("2001:db8::%d", i+1))})
		}
		p := newProvider(t, s, keyID, secret)
		if err := p.SetPageSize(size); err != nil {
			t.Fatal(err)
		}
		z, err := p.Records(context.Background(), "example.com.")
		if err != nil {
			t.Errorf("%d a page: %v", size, err)
			continue
		}
		for _, n := range []string{"a", "a-b", "*.a", "a.a-b"} {
			if z.Get(n+".example.com.", 1) == nil {
				t.Errorf("%d a page: %s.example.com. A not read", size, n)
			}
		}
		if w := z.Get("w.example.com.", 1); w != nil {
			t.Errorf("%d a page: the weighted sets read as a plain RRset: %v", size, w.Strings())
		}
	}
}
