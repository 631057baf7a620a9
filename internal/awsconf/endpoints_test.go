package awsconf

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	r53d "github.com/aws/aws-sdk-go-v2/service/route53domains"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/dnsparity/dnsparity/internal/config"
)

// TestEndpointSettings: the endpoint each service client takes from the
// environment and the profile, as config.LoadDefaultConfig gave them (this
// table passes on the code before the explicit chain too). A url: in
// dnsparity.yaml is set by the caller after them and wins (route53's
// TestWebIdentityAndEndpointEnv).
func TestEndpointSettings(t *testing.T) {
	const services = "[default]\nservices = local\n\n[services local]\nroute_53 =\n  endpoint_url = http://127.0.0.1:9001\n"
	tests := []struct {
		name            string
		env             map[string]string
		config          string
		r53, r53d, sts  string
		fips, dualStack bool
	}{
		{name: "none"},
		{name: "one variable per service", env: map[string]string{"AWS_ENDPOINT_URL_ROUTE_53": "http://127.0.0.1:1", "AWS_ENDPOINT_URL_ROUTE_53_DOMAINS": "http://127.0.0.1:2", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:3"},
			r53: "http://127.0.0.1:1", r53d: "http://127.0.0.1:2", sts: "http://127.0.0.1:3"},
		{name: "AWS_ENDPOINT_URL for all", env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4"},
			r53: "http://127.0.0.1:4", r53d: "http://127.0.0.1:4", sts: "http://127.0.0.1:4"},
		{name: "a service's variable over AWS_ENDPOINT_URL", env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4", "AWS_ENDPOINT_URL_ROUTE_53": "http://127.0.0.1:1"},
			r53: "http://127.0.0.1:1", r53d: "http://127.0.0.1:4", sts: "http://127.0.0.1:4"},
		{name: "the profile's endpoint_url", config: "[default]\nendpoint_url = http://127.0.0.1:5\n",
			r53: "http://127.0.0.1:5", r53d: "http://127.0.0.1:5", sts: "http://127.0.0.1:5"},
		{name: "the profile's services section", config: services, r53: "http://127.0.0.1:9001"},
		{name: "a named profile's", env: map[string]string{"AWS_PROFILE": "lab"},
			config: "[default]\nendpoint_url = http://127.0.0.1:6\n[profile lab]\nendpoint_url = http://127.0.0.1:7\n",
			r53:    "http://127.0.0.1:7", r53d: "http://127.0.0.1:7", sts: "http://127.0.0.1:7"},
		{name: "the environment over the profile", env: map[string]string{"AWS_ENDPOINT_URL_ROUTE_53_DOMAINS": "http://127.0.0.1:2"},
			config: strings.Replace(services, "services = local\n", "services = local\nendpoint_url = http://127.0.0.1:5\n", 1), r53: "http://127.0.0.1:9001", r53d: "http://127.0.0.1:2", sts: "http://127.0.0.1:5"},
		{name: "AWS_ENDPOINT_URL over the services section", env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4"}, config: services,
			r53: "http://127.0.0.1:4", r53d: "http://127.0.0.1:4", sts: "http://127.0.0.1:4"},
		{name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:4", "AWS_ENDPOINT_URL_ROUTE_53": "http://127.0.0.1:1"},
			config: services},
		{name: "ignore_configured_endpoint_urls", env: map[string]string{"AWS_ENDPOINT_URL_ROUTE_53": "http://127.0.0.1:1"},
			config: "[default]\nignore_configured_endpoint_urls = true\nendpoint_url = http://127.0.0.1:5\n"},
		{name: "FIPS and dual-stack", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, config: "[default]\nuse_dualstack_endpoint = true\n",
			fips: true, dualStack: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := load(t, config.AWS{}, tt.config, "", tt.env)
			if err != nil {
				t.Fatal(err)
			}
			r := r53.NewFromConfig(cfg).Options()
			d := r53d.NewFromConfig(cfg).Options()
			s := sts.NewFromConfig(cfg).Options()
			for _, c := range []struct {
				service   string
				got       *string
				want      string
				fips      aws.FIPSEndpointState
				dualStack aws.DualStackEndpointState
			}{
				{"Route 53", r.BaseEndpoint, tt.r53, r.EndpointOptions.UseFIPSEndpoint, r.EndpointOptions.UseDualStackEndpoint},
				{"Route 53 Domains", d.BaseEndpoint, tt.r53d, d.EndpointOptions.UseFIPSEndpoint, d.EndpointOptions.UseDualStackEndpoint},
				{"STS", s.BaseEndpoint, tt.sts, s.EndpointOptions.UseFIPSEndpoint, s.EndpointOptions.UseDualStackEndpoint},
			} {
				if got := aws.ToString(c.got); got != c.want {
					t.Errorf("%s: endpoint %q, want %q", c.service, got, c.want)
				}
				if (c.fips == aws.FIPSEndpointStateEnabled) != tt.fips || (c.dualStack == aws.DualStackEndpointStateEnabled) != tt.dualStack {
					t.Errorf("%s: FIPS %v, dual-stack %v", c.service, c.fips, c.dualStack)
				}
			}
		})
	}
}

// TestEndpointSettingErrors: a true/false setting with another value is
// an error naming the variable or FILE:LINE and key.
func TestEndpointSettingErrors(t *testing.T) {
	tests := []struct {
		name, config string
		env          map[string]string
		want         string
	}{
		{"variable", "", map[string]string{"AWS_USE_FIPS_ENDPOINT": "yes"}, `AWS_USE_FIPS_ENDPOINT is "yes": want true or false`},
		{"profile", "[default]\n\nuse_dualstack_endpoint = sometimes\n", nil, `/.aws/config:3: use_dualstack_endpoint is "sometimes"`},
		{"ignore", "", map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "1"}, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := load(t, config.AWS{}, tt.config, "", tt.env); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestCABundle: AWS_CA_BUNDLE (else the profile's ca_bundle) is the one
// set of roots the clients trust.
func TestCABundle(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake of "none"
	srv.StartTLS()
	defer srv.Close()
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	get := func(t *testing.T, c aws.HTTPClient) error {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	for _, tt := range []struct {
		name, config string
		env          map[string]string
	}{
		{"variable", "", map[string]string{"AWS_CA_BUNDLE": bundle}},
		{"profile", "[default]\nca_bundle = " + bundle + "\n", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := load(t, config.AWS{}, tt.config, "", tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.HTTPClient == nil {
				t.Fatal("no HTTP client with the bundle")
			}
			if err := get(t, cfg.HTTPClient); err != nil {
				t.Errorf("the bundle's server refused: %v", err)
			}
		})
	}
	t.Run("none", func(t *testing.T) {
		isolate(t)
		cfg, err := Load(context.Background(), config.AWS{}, testPolicy)
		if err != nil {
			t.Fatal(err)
		}
		// The SDK's default client (under the redaction of error
		// answers): the test server's certificate is not in the
		// system's roots.
		if _, ok := cfg.HTTPClient.(redacting); !ok {
			t.Errorf("HTTP client %#v, want the SDK's default under redacting", cfg.HTTPClient)
		}
		if err := get(t, cfg.HTTPClient); err == nil {
			t.Error("the test server's certificate is trusted without the bundle")
		}
	})
	t.Run("not PEM", func(t *testing.T) {
		isolate(t)
		notPEM := filepath.Join(t.TempDir(), "ca.pem")
		if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("AWS_CA_BUNDLE", notPEM)
		if _, err := Load(context.Background(), config.AWS{}, testPolicy); err == nil || !strings.Contains(err.Error(), "AWS_CA_BUNDLE") {
			t.Errorf("error %v", err)
		}
	})
}
