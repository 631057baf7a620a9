package parity_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/transfer"
)

// TestFromConfig: the one function that builds a run's options takes every
// parity setting of dnsparity.yaml (the transfer, its bounds and both
// sides' TSIG keys included), lets a flag that was given win, and names a
// missing secret.
func TestFromConfig(t *testing.T) {
	cfg, err := config.Parse([]byte(`providers:
  old: {type: rfc2136, server: 127.0.0.1, tsig: {name: old-key., algorithm: hmac-sha512, secret_env: OLD_SECRET}}
  new: {type: rfc2136, server: 127.0.0.2}
parity:
  resolver: 127.0.0.9:53
  rate_limit: 250
  concurrency: 7
  timeout: 3s
  retries: 0
  axfr: true
  axfr_max_records: 1000
  axfr_max_bytes: 2000
  axfr_max_time: 1m
  client_subnets: {eu: 192.0.2.0/24}
  max_queries: 50
`), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"OLD_SECRET": "c2VjcmV0"}
	getenv := func(k string) string { return env[k] }
	o, err := parity.FromConfig(cfg, parity.Settings{}, getenv)
	if err != nil {
		t.Fatal(err)
	}
	if o.Resolver != "127.0.0.9:53" || o.Rate != 250 || o.Concurrency != 7 || o.Timeout != 3*time.Second || o.Retries != 0 || !o.AXFR ||
		o.AXFRLimits != (transfer.Limits{MaxRecords: 1000, MaxBytes: 2000, MaxTime: time.Minute}) {
		t.Errorf("options from the config: %+v", o)
	}
	if len(o.Subnets) != 1 || o.Subnets[0].Region != "eu" || o.Subnets[0].Prefix.String() != "192.0.2.0/24" || o.MaxQueries != 50 {
		t.Errorf("traffic options from the config: subnets %+v, max queries %d", o.Subnets, o.MaxQueries)
	}
	if o.OldTSIG == nil || o.OldTSIG.Name != "old-key." || o.OldTSIG.Algorithm != "hmac-sha512." || o.OldTSIG.Secret != "c2VjcmV0" || o.NewTSIG != nil {
		t.Errorf("TSIG keys: old %+v new %+v", o.OldTSIG, o.NewTSIG)
	}

	// Flags given win; --axfr=false needs no secret.
	res, rate, conc, to, retries, axfr := "127.0.0.8", 0.0, 3, time.Second, 4, false
	o, err = parity.FromConfig(cfg, parity.Settings{Resolver: &res, Rate: &rate, Concurrency: &conc, Timeout: &to, Retries: &retries, AXFR: &axfr}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if o.Resolver != res || o.Rate != 0 || o.Concurrency != 3 || o.Timeout != time.Second || o.Retries != 4 || o.AXFR || o.OldTSIG != nil {
		t.Errorf("flags over the config: %+v", o)
	}

	// No config: the defaults.
	if o, err := parity.FromConfig(nil, parity.Settings{}, getenv); err != nil || o.Retries != parity.DefaultRetries || o.AXFR {
		t.Errorf("no config: %+v %v", o, err)
	}

	// The transfer asked for, its key's secret missing: an error naming
	// the variable, never a value.
	_, err = parity.FromConfig(cfg, parity.Settings{}, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "OLD_SECRET") || !strings.Contains(err.Error(), "providers.old.tsig.secret_env") {
		t.Errorf("missing secret: %v", err)
	}
	bad := "not-an-address"
	if _, err := parity.FromConfig(cfg, parity.Settings{Resolver: &bad}, getenv); err == nil || !strings.Contains(err.Error(), "--resolver") {
		t.Errorf("bad --resolver: %v", err)
	}
}

// TestFlagsCheckedOnce: the flags Settings.Check passed are not looked at
// again by FromConfig (the resolver parsed once, --queries' file looked
// up once, not three times): a query log removed after the check is not
// FromConfig's error (the run that reads it says so). Unchecked flags
// are checked there: a missing --queries file is the error.
func TestFlagsCheckedOnce(t *testing.T) {
	q := t.TempDir() + "/queries.log"
	if err := os.WriteFile(q, []byte("www.example.test. A\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	set := parity.Settings{Queries: &q}
	if err := set.Check(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(q); err != nil {
		t.Fatal(err)
	}
	o, err := parity.FromConfig(nil, set, func(string) string { return "" })
	if err != nil || o.Queries != q {
		t.Errorf("checked flags looked at again: %+v, %v", o, err)
	}
	if _, err := parity.FromConfig(nil, parity.Settings{Queries: &q}, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "queries") {
		t.Errorf("an unchecked --queries file that is not there: %v", err)
	}
}
