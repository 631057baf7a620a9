package route53_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
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

// TestAccountZonesPageNamesItself: a page that says more follow and
// names itself as the next one (a proxy or a broken endpoint; the API
// Reference's markers always move on) ends the listing with an error
// instead of asking the same page again until the step's context ends:
// the account's listing (AccountZones) and a zone's lookup (Records,
// ListHostedZonesByName from the zone's name on) read the pages the
// same way.
func TestAccountZonesPageNamesItself(t *testing.T) {
	for _, tc := range []struct {
		name string
		read func(ctx context.Context, p *route53.Provider) error
	}{
		{"AccountZones", func(ctx context.Context, p *route53.Provider) error { _, err := p.AccountZones(ctx); return err }},
		{"lookup", func(ctx context.Context, p *route53.Provider) error { _, err := p.Records(ctx, "a.test."); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				w.Header().Set("Content-Type", "text/xml")
				fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<ListHostedZonesByNameResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones><HostedZone><Id>/hostedzone/Z1</Id><Name>a.test.</Name><CallerReference>c</CallerReference></HostedZone></HostedZones><IsTruncated>true</IsTruncated><NextDNSName>a.test.</NextDNSName><NextHostedZoneId>Z1</NextHostedZoneId><MaxItems>100</MaxItems></ListHostedZonesByNameResponse>`)
			}))
			defer srv.Close()
			p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "old", Type: "route53", Settings: &route53.Settings{URL: srv.URL, AWS: config.AWS{AccessKeyID: config.Secret(keyID), SecretAccessKey: config.Secret(secret)}}}, providertest.FastRetry)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err = tc.read(ctx, p)
			if err == nil || !strings.Contains(err.Error(), "names itself") || calls > 2 {
				t.Errorf("%s over a page naming itself: %v after %d calls; want an error after 2", tc.name, err, calls)
			}
		})
	}
}
