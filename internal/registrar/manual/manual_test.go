package manual

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/registrar"
	_ "github.com/dnsparity/dnsparity/internal/registrar/parent"
)

func TestInstructions(t *testing.T) {
	want := registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns.provider.net."},
		Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9", "2001:db8::9"}, "ns.provider.net.": {"198.51.100.1"}}}
	tests := []struct {
		ds   []string
		want []string
		not  []string
	}{
		{nil, []string{"NS   ns1.new.example.test.", "NS   ns.provider.net.", "glue ns1.new.example.test.  192.0.2.9 2001:db8::9", "DS   leave as they are"}, []string{"glue ns.provider.net."}},
		{[]string{}, []string{"DS   remove every DS record"}, nil},
		{[]string{"1 13 2 AB"}, []string{"DS   1 13 2 AB"}, nil},
	}
	for _, tt := range tests {
		w := want
		w.DS = tt.ds
		got := Instructions("example.test.", w)
		if d := (&Manual{}).Describe("example.test.", w); d != got {
			t.Errorf("a dry run describes\n%s\nnot the instructions\n%s", d, got)
		}
		for _, s := range tt.want {
			if !strings.Contains(got, s) {
				t.Errorf("instructions lack %q:\n%s", s, got)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(got, s) {
				t.Errorf("instructions have %q:\n%s", s, got)
			}
		}
	}
}

// The person at the registrar is played by the parent registrar changing
// the lab's parent zone; manual prints what to do, waits and verifies at
// the parent's server.
func TestManualLab(t *testing.T) {
	cfg := parentLab(t)
	m, err := registrar.New(&config.Registrar{Type: "manual"}, registrar.Env{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	man := m.(*Manual)
	var out bytes.Buffer
	man.SetOutput(&out)
	man.Poll = 100 * time.Millisecond
	ctx := context.Background()
	d, err := man.Delegation(ctx, "example.test.")
	if err != nil || strings.Join(d.NS, " ") != "ns.old.net." {
		t.Fatalf("Delegation: %+v %v", d, err)
	}
	want := registrar.Delegation{NS: []string{"ns.new.net."}}

	// Nobody enters it: an error after the wait, saying what is served.
	man.SetWait(300 * time.Millisecond)
	if err := man.SetDelegation(ctx, "example.test.", want); err == nil || !strings.Contains(err.Error(), "ns.old.net.") {
		t.Errorf("no change made: %v", err)
	}

	// Someone enters it a second later.
	out.Reset()
	man.SetWait(10 * time.Second)
	person, err := registrar.New(&config.Registrar{Type: "parent", Zone: "test.", Provider: "parent"}, registrar.Env{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		time.Sleep(time.Second)
		if err := person.SetDelegation(ctx, "example.test.", want); err != nil {
			t.Error(err)
		}
	}()
	start := time.Now()
	err = man.SetDelegation(ctx, "example.test.", want)
	wg.Wait()
	if err != nil || time.Since(start) < time.Second {
		t.Fatalf("SetDelegation: %v after %s", err, time.Since(start))
	}
	if !strings.Contains(out.String(), "NS   ns.new.net.") || !strings.Contains(out.String(), "serve the new delegation") {
		t.Errorf("output:\n%s", out.String())
	}
	if _, err := registrar.New(&config.Registrar{Type: "manual"}, registrar.Env{Config: &config.Config{}}); err == nil {
		t.Error("manual without parent servers accepted")
	}
}

// The person enters the NS name but a wrong glue address (or the registry
// keeps the host object's old one): the change is not made yet, and
// manual keeps waiting, then says what is served, glue included.
func TestManualGlueLab(t *testing.T) {
	cfg := parentLab(t)
	person, err := registrar.New(&config.Registrar{Type: "parent", Zone: "test.", Provider: "parent"}, registrar.Env{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	typo := registrar.Delegation{NS: []string{"ns1.new.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.1"}}}
	if err := person.SetDelegation(ctx, "example.test.", typo); err != nil {
		t.Fatal(err)
	}
	man := &Manual{Servers: cfg.Cutover.ParentServers, Out: &bytes.Buffer{}, Wait: 500 * time.Millisecond, Poll: 100 * time.Millisecond}
	want := registrar.Delegation{NS: []string{"ns1.new.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9"}}}
	if err := man.SetDelegation(ctx, "example.test.", want); err == nil || !strings.Contains(err.Error(), "192.0.2.1") {
		t.Fatalf("glue 192.0.2.1 served where 192.0.2.9 was to be entered: %v", err)
	}
	if err := person.SetDelegation(ctx, "example.test.", want); err != nil {
		t.Fatal(err)
	}
	if err := man.SetDelegation(ctx, "example.test.", want); err != nil {
		t.Fatalf("glue entered: %v", err)
	}
}

// parentLab is the parent zone test. on BIND (RFC 2136 with TSIG)
// delegating example.test. to ns.old.net., as a config whose parent
// servers are it and whose provider "parent" updates it.
func parentLab(t *testing.T) *config.Config {
	t.Helper()
	lab.Require(t, "named")
	key := &lab.TSIGKey{Name: "k.", Secret: "bWFudWFsLWtleS1mb3ItZG5zcGFyaXR5LXRlc3RzLTEyMzQ="}
	s := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: `$TTL 5
@ SOA ns.test. h.test. 1 60 60 60 5
@ NS ns.test.
ns A 127.0.0.1
example NS ns.old.net.
`}}})
	return &config.Config{Cutover: config.Cutover{ParentServers: []string{s.Addr}}, Providers: map[string]*config.Provider{
		"parent": {Name: "parent", Type: "rfc2136", TSIG: &config.TSIG{Name: key.Name, SecretEnv: "K", Secret: config.Secret(key.Secret)}, Settings: &rfc2136.Settings{Server: s.Addr}}}}
}

// TestManualNeedsParentServers: without cutover.parent_servers the error
// names the config and the key once, and shows what to add.
func TestManualNeedsParentServers(t *testing.T) {
	_, err := registrar.New(&config.Registrar{Type: "manual"}, registrar.Env{Config: &config.Config{Path: "/repo/dnsparity.yaml"}})
	want := "registrar manual: /repo/dnsparity.yaml: cutover.parent_servers is required: the parent zone's authoritative servers, IP[:port], where the change you enter is verified (e.g. cutover: {parent_servers: [203.0.113.1:53]})"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
}

// One of the parent's two servers is down (nothing answers at its
// address): the change the person entered is served by the one that
// answers, so SetDelegation returns at once, naming the one down (the
// cutover confirms the change there), instead of waiting its whole wait
// and failing a change that was made; Delegation reads the one that
// answers. With none answering, neither does.
func TestManualParentServerDownLab(t *testing.T) {
	cfg := parentLab(t)
	dead := lab.Addr(t) + ":53"
	person, err := registrar.New(&config.Registrar{Type: "parent", Zone: "test.", Provider: "parent"}, registrar.Env{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var out bytes.Buffer
	man := &Manual{Servers: []string{cfg.Cutover.ParentServers[0], dead}, Out: &out, Wait: 5 * time.Second, Poll: 100 * time.Millisecond, Timeout: 300 * time.Millisecond}
	if d, err := man.Delegation(ctx, "example.test."); err != nil || strings.Join(d.NS, " ") != "ns.old.net." {
		t.Fatalf("Delegation with one server down: %+v %v", d, err)
	}
	want := registrar.Delegation{NS: []string{"ns.new.net."}}
	if err := person.SetDelegation(ctx, "example.test.", want); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := man.SetDelegation(ctx, "example.test.", want); err != nil || time.Since(start) > 3*time.Second {
		t.Fatalf("SetDelegation with one parent server down, the change entered: %v after %s", err, time.Since(start))
	}
	if !strings.Contains(out.String(), dead) || !strings.Contains(out.String(), "did not answer") {
		t.Errorf("output does not name %s as not answering:\n%s", dead, out.String())
	}
	none := &Manual{Servers: []string{dead}, Out: &bytes.Buffer{}, Wait: 300 * time.Millisecond, Poll: 100 * time.Millisecond, Timeout: 300 * time.Millisecond}
	if _, err := none.Delegation(ctx, "example.test."); err == nil {
		t.Error("Delegation with no server answering: no error")
	}
	if err := none.SetDelegation(ctx, "example.test.", want); err == nil || !strings.Contains(err.Error(), "no parent server serves") {
		t.Errorf("SetDelegation with no server answering: %v", err)
	}
}

// TestManualSaysItWaitsLab: while it waits for the change to be entered
// (up to 15 minutes), manual says every so often (Every) that it still
// waits, how long it has left and what the parent's servers serve: it
// printed "Waiting up to 15m0s ..." once, then nothing until the change
// or the end.
func TestManualSaysItWaitsLab(t *testing.T) {
	cfg := parentLab(t)
	var out bytes.Buffer
	man := &Manual{Servers: cfg.Cutover.ParentServers, Out: &out, Wait: 500 * time.Millisecond, Poll: 100 * time.Millisecond, Every: 100 * time.Millisecond}
	err := man.SetDelegation(context.Background(), "example.test.", registrar.Delegation{NS: []string{"ns.new.net."}})
	if err == nil {
		t.Fatal("no change was entered, and SetDelegation passed")
	}
	if !strings.Contains(out.String(), "still waiting") || !strings.Contains(out.String(), "left") || !strings.Contains(out.String(), "ns.old.net.") {
		t.Errorf("output does not say it still waits, and what is served:\n%s", out.String())
	}
}
