package route53_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// echoSecret is the secret access key the echo tests' servers quote back.
const echoSecret = "r53Secret/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka"

// newAt makes a provider for the API at url with secret access key key,
// one try.
func newAt(t *testing.T, url, key string) provider.Provider {
	p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "new", Type: "route53", Settings: &route53.Settings{URL: url, AWS: config.AWS{AccessKeyID: keyID, SecretAccessKey: config.Secret(key)}}}, providertest.OneTry)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestEchoedSecretKey: an error answer (the SDK's API error, its Message
// the server's) that quotes the secret access key, \u-escaped in part or
// percent-encoded in mixed case, gives an error without it.
func TestEchoedSecretKey(t *testing.T) {
	providertest.EchoedKey(t, echoSecret, newAt,
		func(w http.ResponseWriter, _ *http.Request, msg string) {
			var text string
			if err := json.Unmarshal([]byte(msg), &text); err != nil {
				panic(err)
			}
			var esc []byte
			esc, _ = xml.Marshal(struct {
				XMLName xml.Name `xml:"Message"`
				Text    string   `xml:",chardata"`
			}{Text: text})
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>InvalidInput</Code>%s</Error><RequestId>r-1</RequestId></ErrorResponse>`, esc)
		})
}

// TestEchoedInRedirects: redirects that echo the secret key in their
// Location give an error without it, and end (the SDK's client follows
// every 307 of a GET, with no bound of its own).
func TestEchoedInRedirects(t *testing.T) {
	providertest.EchoedInRedirects(t, echoSecret, newAt)
}
