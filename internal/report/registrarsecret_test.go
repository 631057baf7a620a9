package report

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains/r53dtest"
)

// TestRegistrarErrorEachForm: a registrar's error text holding its own
// secret key in each form of redacttest.Echoes (Route 53 Domains'
// operation ending FAILED or ERROR with that message, r53dtest), quoted
// by a flip's or a rollback's report as the step quotes it
// ("registrar: " and the error, registrarFailed), is shown by none of
// the report's renderings once the command redacts it as it does
// (redact.Plain with the config's secrets, then JSON, Markdown, text).
func TestRegistrarErrorEachForm(t *testing.T) {
	for _, secret := range []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "Kx9m%Ab:Qz,7Lp%0A8Vn3:Bc6,Yd1", "p<ss>w&rd_7Hq2mZ9wXr4Lt8Vn3"} {
		api := r53dtest.New("AKIDREPORT", secret)
		api.PendingPolls = 0
		api.AddDomainNS("example.test", r53dtest.Nameserver{Name: "ns1.old.example"})
		cfg, err := config.Parse([]byte("registrar:\n  type: route53domains\n  url: "+api.URL+"\n  access_key_id_env: K\n  secret_access_key_env: S\n"), "dnsparity.yaml")
		if err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"K": "AKIDREPORT", "S": secret}
		getenv := func(k string) string { return env[k] }
		set := cfg.Secrets(getenv) // the command's set (cmd/dnsparity cutover)
		reg, err := registrar.New(cfg.Registrar, registrar.Env{Config: cfg, Getenv: getenv})
		if err != nil {
			t.Fatal(err)
		}
		reg.(*route53domains.Registrar).SetPoll(time.Millisecond, 5*time.Second)
		ctx := redact.WithSecrets(context.Background(), set)
		for _, e := range redacttest.Echoes(secret) {
			for _, step := range []string{"flip", "rollback"} {
				msg := "key " + e.Form + " refused"
				if step == "flip" {
					api.FailNext("UPDATE_NAMESERVER", msg)
				} else {
					api.ErrorNext("UPDATE_NAMESERVER", msg, false)
				}
				err := reg.SetDelegation(ctx, "example.test.", registrar.Delegation{NS: []string{"ns1.new.example."}})
				if err == nil {
					t.Fatalf("%q %s, %s: the registrar took the change", secret, e.Name, step)
				}
				rep := &cutover.Report{Zone: "example.test.", Command: step, Result: cutover.ResultError, Stage: cutover.StageNotStarted,
					Errors:  []string{"registrar: " + err.Error()},
					Actions: []string{"the registrar change failed; the delegation may be unchanged or changed: run `dnsparity status`, then the step again (it converges)"}}
				rep = redact.Plain(set, rep)
				var js, md, txt bytes.Buffer
				if err := WriteCutoverJSON(&js, rep); err != nil {
					t.Fatal(err)
				}
				WriteCutoverMarkdown(&md, rep)
				WriteCutoverText(&txt, rep)
				for name, out := range map[string]string{"json": js.String(), "markdown": md.String(), "text": txt.String()} {
					if !strings.Contains(out, "refused") {
						t.Fatalf("%q %s, %s %s: the test plants nothing:\n%s", secret, e.Name, step, name, out)
					}
					if l := redacttest.Leak(out, secret, e.Form); l != "" {
						t.Errorf("%q %s, %s %s: %s", secret, e.Name, step, name, l)
					}
				}
			}
		}
		api.Close()
	}
}
