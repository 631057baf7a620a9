package cutover

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains/r53dtest"
)

// Registrars that misbehave as real ones do, shared by the test files of
// several steps; a fake one test file alone uses stays in that file.

// appliedButFailed is a registrar whose API makes the change and then
// reports a failure (a timeout after the registry took it, a partial
// change reported as failed).
type appliedButFailed struct{ registrar.Registrar }

func (r appliedButFailed) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	if err := r.Registrar.SetDelegation(ctx, z, want); err != nil {
		return err
	}
	return errors.New("operation timed out")
}

// latePublisher is a registrar that accepts a change at once and
// publishes it delay later (Route 53 Domains' UpdateDomainNameservers, a
// registry that publishes its zone every few minutes): the parent's
// servers serve the old delegation until then.
type latePublisher struct {
	registrar.Registrar
	delay time.Duration
	done  chan error
}

func (r *latePublisher) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	go func() {
		time.Sleep(r.delay)
		r.done <- r.Registrar.SetDelegation(context.Background(), z, want)
	}()
	return nil
}

// heldRegistrar is a registrar that holds d.
type heldRegistrar struct{ d registrar.Delegation }

func (h heldRegistrar) Delegation(context.Context, string) (registrar.Delegation, error) {
	return h.d, nil
}

func (heldRegistrar) SetDelegation(context.Context, string, registrar.Delegation) error { return nil }

// r53dFake is a Route 53 Domains fake (no domain yet) and the registrar
// that talks to it, built from a config as the binary builds it, polling
// every poll for at most bound.
func r53dFake(t *testing.T, poll, bound time.Duration) (*r53dtest.Server, *route53domains.Registrar) {
	t.Helper()
	return r53dRegistrar(t, r53dtest.New("AKIDCUTOVER", "cutover-secret"), poll, bound)
}

// r53dFakeTLS is r53dFake over HTTPS, as the real endpoint answers (its
// certificate the one root AWS_CA_BUNDLE names: the test sets it).
func r53dFakeTLS(t *testing.T, poll, bound time.Duration) (*r53dtest.Server, *route53domains.Registrar) {
	t.Helper()
	api := r53dtest.NewTLS("AKIDCUTOVER", "cutover-secret")
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(bundle, api.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CA_BUNDLE", bundle)
	return r53dRegistrar(t, api, poll, bound)
}

// r53dRegistrar is the route53domains registrar of api.
func r53dRegistrar(t *testing.T, api *r53dtest.Server, poll, bound time.Duration) (*r53dtest.Server, *route53domains.Registrar) {
	t.Helper()
	t.Cleanup(api.Close)
	cfg, err := config.Parse([]byte("registrar:\n  type: route53domains\n  url: "+api.URL+"\n  access_key_id_env: K\n  secret_access_key_env: S\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"K": "AKIDCUTOVER", "S": "cutover-secret"}
	reg, err := registrar.New(cfg.Registrar, registrar.Env{Config: cfg, Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	r := reg.(*route53domains.Registrar)
	r.SetPoll(poll, bound)
	return api, r
}
