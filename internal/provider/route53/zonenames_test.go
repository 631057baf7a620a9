package route53_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestZoneNamesOnePage: the "did you mean" of a zone not held reads one
// page of ListHostedZonesByName, 100 hosted zones (the most a page
// holds), the private ones left out, in the API's order; it read up to
// two pages (200 zones) before, where the other providers read one.
func TestZoneNamesOnePage(t *testing.T) {
	s := newServer(t)
	var want []string
	for i := range 130 {
		private := i%40 == 7
		s.AddZone(fmt.Sprintf("z%03d.test", i), private)
		if i < 100 && !private {
			want = append(want, fmt.Sprintf("z%03d.test.", i))
		}
	}
	providertest.ZoneNamesPage(t, newProvider(t, s, keyID, secret), func() int { return s.Count("ListHostedZonesByName") }, "ListHostedZonesByName", want)
}

// TestAccountZonesEveryPage: finish reads the whole account
// (AccountZones: every page of ListHostedZonesByName, 100 a page, the
// private zones too, which closing the account deletes), not the first
// page ZoneNames reads, before it calls the old provider safe to
// decommission.
func TestAccountZonesEveryPage(t *testing.T) {
	s := newServer(t)
	var want []string
	for i := range 230 {
		s.AddZone(fmt.Sprintf("z%03d.test", i), i%40 == 7)
		want = append(want, fmt.Sprintf("z%03d.test.", i))
	}
	providertest.AccountZonesPaged(t, newProvider(t, s, keyID, secret), want)
}

// TestFakeZonePages: the fake pages ListHostedZonesByName as the API
// Reference says: at most 100 zones a page whatever maxitems asks,
// IsTruncated with NextDNSName and NextHostedZoneId naming the first zone
// of the next page, which those two (both) ask for; by name with the
// labels reversed.
func TestFakeZonePages(t *testing.T) {
	s := newServer(t)
	for i := range 110 {
		s.AddZone(fmt.Sprintf("z%03d.test", i), false)
	}
	s.AddZone("a.example.test", false) // test.example.a: before test.z000
	s.AddZone("b.test", false)         // test.b: before test.example.a
	c := r53.New(r53.Options{BaseEndpoint: aws.String(s.URL), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(keyID, secret, "")})
	ctx := context.Background()
	var names []string
	var name, id *string
	pages := 0
	for {
		out, err := c.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{DNSName: name, HostedZoneId: id, MaxItems: aws.Int32(300)})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.HostedZones) > 100 {
			t.Fatalf("page %d holds %d zones at maxitems 300, want at most 100", pages, len(out.HostedZones))
		}
		for _, z := range out.HostedZones {
			names = append(names, aws.ToString(z.Name))
		}
		if !out.IsTruncated {
			break
		}
		if aws.ToString(out.NextDNSName) == "" || aws.ToString(out.NextHostedZoneId) == "" {
			t.Fatalf("page %d is truncated without NextDNSName and NextHostedZoneId", pages)
		}
		name, id = out.NextDNSName, out.NextHostedZoneId
	}
	if pages != 2 || len(names) != 112 || names[0] != "b.test." || names[1] != "a.example.test." || names[2] != "z000.test." || names[111] != "z109.test." {
		t.Errorf("%d pages, %d zones, from %q", pages, len(names), names[:min(3, len(names))])
	}
}
