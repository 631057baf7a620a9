package main

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// inFlight is a proxy in front of an API fake that holds each zone's
// record listing until two are in flight at once (or a few seconds
// pass): it records the most listings it saw at once.
type inFlight struct {
	mu        sync.Mutex
	now, most int
	two       chan struct{}
	twoClosed bool
	next      http.Handler
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(strings.TrimSuffix(r.URL.Path, "/"), "/dns_records") {
		f.next.ServeHTTP(w, r)
		return
	}
	f.mu.Lock()
	f.now++
	f.most = max(f.most, f.now)
	if f.now >= 2 && !f.twoClosed {
		f.twoClosed = true
		close(f.two)
	}
	f.mu.Unlock()
	select {
	case <-f.two:
	case <-time.After(5 * time.Second): // one at a time: the test fails on most
	}
	f.next.ServeHTTP(w, r)
	f.mu.Lock()
	f.now--
	f.mu.Unlock()
}

// TestImportManyZones: import takes many zones in one run (--zone
// repeated, --zones-from), several read at once, each written to
// NAME.zone in the folder -o names, each one's report on stderr in the
// order given; stdout, or a file that exists, is refused for several
// zones before anything is read. On the code before, --zone was one
// value: the last one given was imported alone (to the folder's path as
// a file).
func TestImportManyZones(t *testing.T) {
	const zones = 6
	cf := cftest.New("cf-many-token")
	defer cf.Close()
	var names []string
	for i := range zones {
		name := fmt.Sprintf("z%d.example", i)
		names = append(names, name)
		id := cf.AddZone(name)
		cf.Seed(id, cftest.Record{Name: "www." + name, Type: "A", Content: fmt.Sprintf("192.0.2.%d", i+1), TTL: 300})
	}
	proxy := &inFlight{two: make(chan struct{}), next: cf.Server.Config.Handler}
	front := httptest.NewServer(proxy)
	defer front.Close()
	e := newCloudEnv(t, fmt.Sprintf("    type: cloudflare\n    url: %s/client/v4\n    api_key_env: CF_TOKEN\n", front.URL), map[string]string{"CF_TOKEN": "cf-many-token"})
	list := filepath.Join(e.dir, "zones.txt")
	if err := os.WriteFile(list, []byte("# the rest\n"+strings.Join(names[2:], "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(e.dir, "zones", "imported")
	args := []string{"import", "--provider", "old", "--zone", names[0], "--zone", names[1], "--zones-from", list}

	if code, _, errs := e.run(t, args...); code != exitError || !strings.Contains(errs, "give -o a folder") {
		t.Errorf("several zones to stdout: exit %d, want 2 and -o asked for:\n%s", code, errs)
	}
	if code, _, errs := e.run(t, append(args, "--zone", names[3], "-o", dir)...); code != exitError || !strings.Contains(errs, "zone "+names[3]+". is given twice") {
		t.Errorf("a zone given twice: exit %d, want 2 and the zone named:\n%s", code, errs)
	}
	code, out, errs := e.run(t, append(args, "-o", dir)...)
	if code != exitOK || out != "" {
		t.Fatalf("exit %d, stdout %q:\n%s", code, out, errs)
	}
	last := -1
	for i, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name+".zone"))
		if err != nil || !strings.Contains(string(b), fmt.Sprintf("192.0.2.%d", i+1)) || !strings.Contains(string(b), "$ORIGIN "+name+".") {
			t.Errorf("zone %s: %v\n%s", name, err, b)
		}
		at := strings.Index(errs, "dnsparity import: wrote 1 records of "+name+". to "+filepath.Join(dir, name+".zone"))
		if at < last {
			t.Errorf("zone %s reported at %d, before the zone given before it (%d), or not at all:\n%s", name, at, last, errs)
		}
		last = at
	}
	if proxy.most < 2 {
		t.Errorf("at most %d zone read at once, want several", proxy.most)
	}
	if code, _, errs := e.run(t, append(args, "-o", dir)...); code != exitError || !strings.Contains(errs, fmt.Sprintf("%d files exist (use --force to overwrite)", zones)) {
		t.Errorf("again without --force: exit %d, want 2 and the files named:\n%s", code, errs)
	}
}
