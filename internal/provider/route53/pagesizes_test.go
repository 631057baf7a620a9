package route53_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestPageSizes: SetPageSize takes the maxitems ListResourceRecordSets
// takes (1 to 300) and refuses any other, the page size unchanged. Asked
// for 301, Route 53 answers pages of 300, which the listing takes for
// short pages: every zone over 300 record sets would fail to read.
func TestPageSizes(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com", false)
	for i := range 7 {
		s.Seed(id, r53test.RRSet{Name: fmt.Sprintf("h%d.example.com.", i), Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords(fmt.Sprintf("192.0.2.%d", i))})
	}
	providertest.PageSizes(t, func(t *testing.T) provider.Provider { return newProvider(t, s, keyID, secret) },
		func(p provider.Provider, n int) error { return p.(*route53.Provider).SetPageSize(n) },
		func() int { return s.Count("ListResourceRecordSets") },
		"example.com.", 9, 2, []int{1, 2, 9, 300}, []int{0, -1, 301, 1000}) // the apex SOA and NS, 7 A
}
