package route53

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/dnsparity/dnsparity/internal/awsconf"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	provider.Register[Settings]("route53", func(cfg *config.Provider) (*Provider, error) { return New(context.Background(), cfg) })
}

// Settings are route53's own keys under providers.NAME: the API's
// endpoint (default: the SDK's, or AWS_ENDPOINT_URL_ROUTE_53), the
// hosted zone's id (default: found by name), the region of the signing
// scope (default us-east-1) and, optionally, static keys by variable
// name; without them the standard AWS credential chain is used
// (environment, shared files, web identity for GitHub OIDC, ...).
type Settings struct {
	URL        string `yaml:"url"`
	ZoneID     string `yaml:"zone_id"`
	config.AWS `yaml:",inline"`
}

// Vars are the keys' variables (config.AWS: the static keys, else the
// chain's environment variables) and, without static keys, the secrets
// of the shared files' profile the chain signs with
// (awsconf.ProfileVars): each refused where it stands in what a run
// shows anyway, as the config's own secrets are.
func (s *Settings) Vars() []config.Var {
	return append(s.AWS.Vars(), awsconf.ProfileVars(&s.AWS)...)
}

// New makes a provider. ctx bounds loading the AWS configuration only.
func New(ctx context.Context, cfg *config.Provider) (*Provider, error) {
	return NewWithRetry(ctx, cfg, httpretry.Default)
}

// NewWithRetry makes a provider with its own retry policy (tests shorten
// the waits).
func NewWithRetry(ctx context.Context, cfg *config.Provider, pol httpretry.Policy) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	if st.URL != "" {
		if _, _, err := provider.APIBase("route53", st.URL, ""); err != nil {
			return nil, err
		}
	}
	ac, err := awsconf.Load(ctx, st.AWS, pol)
	if err != nil {
		return nil, fmt.Errorf("route53: %w", err)
	}
	p := &Provider{
		pageSize:    300,
		maxRecords:  MaxRecords,
		maxChars:    MaxValueChars,
		poll:        5 * time.Second,
		syncTimeout: 10 * time.Minute,
		pol:         pol,
		paged:       map[string]hostedZone{},
		listed:      map[string]map[zone.Key]types.ResourceRecordSet{},
		held:        map[string]map[zone.Key][]types.ResourceRecordSet{},
	}
	p.zones = provider.Zones[hostedZone]{Type: "route53", Noun: "public hosted zone", ID: strings.TrimPrefix(st.ZoneID, "/hostedzone/"),
		Configured: cfg.Nameservers, Delegation: cfg.Delegation,
		ByID: p.hostedZone, ByName: p.zoneByName, Reread: p.reread,
		Name: func(hz hostedZone) string { return hz.name }, Servers: func(hz hostedZone) []string { return hz.nameservers }}
	// One budget per account: the access key when configured, else the
	// credential chain's (one account per process and endpoint).
	account := "default credential chain"
	if k := st.AccessKeyID.Value(); k != "" {
		account = k
	}
	p.limiter = httpretry.Account("route53", st.URL, account, Limits)
	p.client = r53.NewFromConfig(ac, func(o *r53.Options) {
		if st.URL != "" {
			o.BaseEndpoint = aws.String(strings.TrimRight(st.URL, "/"))
		}
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("dnsparityCount",
				func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
					done, err := p.limiter.Wait(ctx, "")
					if err != nil {
						return middleware.FinalizeOutput{}, middleware.Metadata{}, err
					}
					p.requests.Add(1)
					out, md, err := next.HandleFinalize(ctx, in)
					done()
					logTry(ctx, err)
					var ae smithy.APIError
					if errors.As(err, &ae) && (ae.ErrorCode() == "Throttling" || ae.ErrorCode() == "ThrottlingException") {
						// The whole account waits a second, not only this
						// request's retry.
						p.limiter.Throttled(time.Second) // capped by SetRateLimit's limiter
					}
					return out, md, err
				}), middleware.After)
		})
	})
	p.ListingReader = provider.ListingReader[types.ResourceRecordSet]{List: p.list, ZoneOf: p.zoneOf, FeaturesOf: features}
	return p, nil
}
