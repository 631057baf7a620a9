package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// TestActionSyncPlansOnce: the Action's sync plans each zone once at each
// provider and pushes that plan. It made a dry run over every provider
// (the safety policy sees every plan before anything is sent) and then one
// push per provider that read and planned every zone again: twice the
// listings a cloud API's rate limit is shared by. Counted at two
// Cloudflare fakes (cftest counts each request, as the API's rate limit
// does: developers.cloudflare.com/fundamentals/api/reference/limits/),
// per zone and provider: a sync with nothing to do lists each zone once
// (it was twice), a sync with changes twice (it was four, then three):
// once to plan, once just before the change, where Cloudflare's Apply
// lists the zone for the records' ids and that listing is the guard
// against another writer (provider.Guarded; push.recheck listed it once
// more right before).
func TestActionSyncPlansOnce(t *testing.T) {
	const zones = 6
	olds, news := cftest.New("cf-old-token"), cftest.New("cf-new-token")
	defer olds.Close()
	defer news.Close()
	e := newActionEnv(t)
	e.env["INPUT_COMMAND"] = "sync"
	e.env["GITHUB_EVENT_NAME"] = "push"
	e.env["CF_OLD"], e.env["CF_NEW"] = "cf-old-token", "cf-new-token"
	delete(e.env, "GITHUB_EVENT_PATH")
	cfg := "zones:\n"
	if err := os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range zones {
		name := fmt.Sprintf("z%d.example", i)
		olds.AddZone(name)
		news.AddZone(name)
		cfg += fmt.Sprintf("  - name: %s.\n    file: zones/%s.zone\n", name, name)
		text := fmt.Sprintf("$ORIGIN %s.\n$TTL 300\n@ SOA ns1.%s. hostmaster.%s. 1 3600 600 86400 300\n@ NS ada.ns.cloudflare.com.\n@ NS bob.ns.cloudflare.com.\nwww A 192.0.2.%d\n", name, name, name, i+1)
		if err := os.WriteFile(filepath.Join(e.ws, "zones", name+".zone"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Only the pushes are counted: parity (which needs both sides'
	// servers) is left out by naming the providers pushed.
	cfg += fmt.Sprintf("providers:\n  old:\n    type: cloudflare\n    url: %s\n    api_key_env: CF_OLD\n  new:\n    type: cloudflare\n    url: %s\n    api_key_env: CF_NEW\npolicy:\n  max_change_percent: 100\n", olds.APIURL(), news.APIURL())
	if err := os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	listings := func(s *cftest.Server) int { return s.Count("GET records") }
	for _, run := range []struct {
		name string
		want int // record listings per zone and provider
	}{
		{"with changes", 2},
		{"nothing to do", 1},
	} {
		olds.ResetCounts()
		news.ResetCounts()
		o := e.run(t)
		if !strings.Contains(o.summary, "| push old | ✅") || !strings.Contains(o.summary, "| push new | ✅") {
			t.Fatalf("sync %s: exit %d\n%s\n%s", run.name, o.code, o.summary, o.stderr)
		}
		for side, s := range map[string]*cftest.Server{"old": olds, "new": news} {
			if got := listings(s); got != run.want*zones {
				t.Errorf("sync %s: %d record listings at %s for %d zones (%.1f per zone), want %d per zone; requests: %s", run.name, got, side, zones, float64(got)/zones, run.want, s.Counts())
			}
		}
	}
}
