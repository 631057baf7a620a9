package awsconf

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// endpoints are the endpoint settings a service client reads when it is
// made (NewFromConfig): aws.Config.BaseEndpoint, and from
// aws.Config.ConfigSources the interfaces of the SDK's
// internal/configsources (v1.5.12), which config.LoadDefaultConfig's
// environment and shared-config sources implement. Each setting comes
// from the environment, else from the profile, as there:
//
//	AWS_ENDPOINT_URL_<SERVICE ID>   services section, <service_id> endpoint_url
//	AWS_ENDPOINT_URL                endpoint_url
//	AWS_IGNORE_CONFIGURED_ENDPOINT_URLS  ignore_configured_endpoint_urls
//	AWS_USE_FIPS_ENDPOINT           use_fips_endpoint
//	AWS_USE_DUALSTACK_ENDPOINT      use_dualstack_endpoint
//
// The service ID is the SDK's: "Route 53" gives AWS_ENDPOINT_URL_ROUTE_53
// and route_53, "Route 53 Domains" AWS_ENDPOINT_URL_ROUTE_53_DOMAINS,
// "STS" AWS_ENDPOINT_URL_STS. A url: in dnsparity.yaml is set by the
// caller after these and wins over all of them. (The service client also
// looks at AWS_ENDPOINT_URL and its own variable itself: with the first
// set and not the second it keeps BaseEndpoint.)
type endpoints struct {
	base      *string
	ignore    *bool
	services  map[string]string // lower-case service ID, "_" for " " → endpoint_url
	fips      aws.FIPSEndpointState
	dualStack aws.DualStackEndpointState
}

func endpointSettings(p profile) (endpoints, error) {
	var e endpoints
	var fips, dual *bool
	var err error
	for _, s := range []struct {
		dst      **bool
		env, key string
	}{
		{&e.ignore, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls"},
		{&fips, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"},
		{&dual, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"},
	} {
		if *s.dst, err = setting(p, s.env, s.key); err != nil {
			return e, err
		}
	}
	e.fips = state(fips, aws.FIPSEndpointStateEnabled, aws.FIPSEndpointStateDisabled)
	e.dualStack = state(dual, aws.DualStackEndpointStateEnabled, aws.DualStackEndpointStateDisabled)
	if e.ignore != nil && *e.ignore {
		return e, nil
	}
	if v := os.Getenv("AWS_ENDPOINT_URL"); v != "" {
		e.base = &v
	} else if v, ok := p.get("endpoint_url"); ok && v.value != "" {
		e.base = &v.value
	}
	if name, ok := p.get("services"); ok && name.value != "" {
		e.services = map[string]string{}
		for id, v := range p.services[name.value] {
			if u := v.sub["endpoint_url"]; u != "" {
				e.services[id] = u
			}
		}
	}
	return e, nil
}

// setting is a true/false setting of the environment, else of the
// profile; nil when neither sets it.
func setting(p profile, env, key string) (*bool, error) {
	where, v := env, os.Getenv(env)
	if v == "" {
		pv, ok := p.get(key)
		if !ok || pv.value == "" {
			return nil, nil
		}
		where, v = pv.pos+": "+key, pv.value
	}
	switch {
	case strings.EqualFold(v, "true"):
		t := true
		return &t, nil
	case strings.EqualFold(v, "false"):
		f := false
		return &f, nil
	}
	return nil, fmt.Errorf("%s is %q: want true or false", where, v)
}

// state is on or off as b says, the zero value (unset) without b.
func state[T any](b *bool, on, off T) T {
	var unset T
	switch {
	case b == nil:
		return unset
	case *b:
		return on
	}
	return off
}

// GetServiceBaseEndpoint: AWS_ENDPOINT_URL_<SERVICE ID>, else the
// profile's services section (configsources.ServiceBaseEndpointProvider).
func (e endpoints) GetServiceBaseEndpoint(_ context.Context, sdkID string) (string, bool, error) {
	if e.ignore != nil && *e.ignore {
		return "", false, nil
	}
	if v := os.Getenv("AWS_ENDPOINT_URL_" + strings.ToUpper(strings.ReplaceAll(sdkID, " ", "_"))); v != "" {
		return v, true, nil
	}
	v, ok := e.services[strings.ToLower(strings.ReplaceAll(sdkID, " ", "_"))]
	return v, ok, nil
}

// GetIgnoreConfiguredEndpoints (configsources.IgnoreConfiguredEndpointsProvider).
func (e endpoints) GetIgnoreConfiguredEndpoints(context.Context) (bool, bool, error) {
	if e.ignore == nil {
		return false, false, nil
	}
	return *e.ignore, true, nil
}

// GetUseFIPSEndpoint (configsources.UseFIPSEndpointProvider).
func (e endpoints) GetUseFIPSEndpoint(context.Context) (aws.FIPSEndpointState, bool, error) {
	return e.fips, e.fips != aws.FIPSEndpointStateUnset, nil
}

// GetUseDualStackEndpoint (configsources.UseDualStackEndpointProvider).
func (e endpoints) GetUseDualStackEndpoint(context.Context) (aws.DualStackEndpointState, bool, error) {
	return e.dualStack, e.dualStack != aws.DualStackEndpointStateUnset, nil
}
