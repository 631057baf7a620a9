package route53_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// sdkBody is the first fixture of a test file of the pinned
// aws-sdk-go-v2 route53 module that contains marker.
func sdkBody(t *testing.T, file, marker string) string {
	return providertest.SDKFixtures(t, "github.com/aws/aws-sdk-go-v2/service/route53", file, func(s string) bool { return strings.Contains(s, marker) })[0]
}

// TestSDKInvalidChangeBatchFixture: Route 53's InvalidChangeBatch answer as
// the SDK's own test records it (internal/customizations/
// custom_error_deser_test.go) reaches the push's error with Route 53's
// message, and nothing of the batch is reported applied.
func TestSDKInvalidChangeBatchFixture(t *testing.T) {
	body := sdkBody(t, "internal/customizations/custom_error_deser_test.go", "<InvalidChangeBatch")
	s := newServer(t)
	s.PendingPolls = 0
	s.AddZone("example.com", false)
	p := newProvider(t, s, keyID, secret)
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 900 SOA ns. h. 1 7200 900 1209600 86400\n@ 172800 NS ns.\nduplicate 300 A 192.0.2.1\n")
	pl := providertest.Plan(t, p, d)
	s.AddFault(r53test.Fault{Method: "POST", Path: "/rrset", Times: 1, Status: 400, Body: body})
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err == nil || !strings.Contains(err.Error(), "Tried to create resource record set duplicate.example.com. type A, but it already exists") {
		t.Fatalf("the SDK's InvalidChangeBatch answer: %v", err)
	}
	if len(res.Applied) != 0 {
		t.Errorf("applied %d changes of a refused batch", len(res.Applied))
	}
}
