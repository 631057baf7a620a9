package lab

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// PowerDNS is a running pdns_server with its HTTP API.
type PowerDNS struct {
	*Server
	APIURL   string // "http://IP:8081"
	APIKey   string // random per instance
	ServerID string // "localhost"
}

// PDNSSchema is the gsqlite3 schema the Debian package installs.
const PDNSSchema = "/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql"

// PDNSAPIPort is the webserver port, on the server's IP.
const PDNSAPIPort = 8081

// PDNS starts pdns_server (PowerDNS Authoritative) with the gsqlite3
// backend and the API on IP:8081. Zones are loaded with `pdnsutil
// load-zone` before it starts; with no zones it starts empty (zones can be
// created through the API). With TSIG, the key is imported and set as
// TSIG-ALLOW-AXFR (and TSIG-ALLOW-DNSUPDATE with AllowUpdate) on every zone,
// and unsigned AXFR is refused (allow-axfr-ips empty).
func PDNS(t T, o Options) *PowerDNS {
	t.Helper()
	Require(t, "pdns_server", "pdnsutil", "sqlite3")
	s := newServer(t, "powerdns", o.IP, o.Port)
	p := &PowerDNS{
		Server:   s,
		APIURL:   fmt.Sprintf("http://%s:%d", s.IP, PDNSAPIPort),
		APIKey:   randomHex(t, 16),
		ServerID: "localhost",
	}
	db := filepath.Join(s.Dir, "pdns.sqlite3")
	run(t, "sqlite3", db, ".read "+PDNSSchema)

	axfrIPs := "127.0.0.0/8"
	if o.TSIG != nil {
		axfrIPs = ""
	}
	dnsupdate := "no"
	if o.AllowUpdate {
		dnsupdate = "yes"
	}
	conf := []string{
		"launch=gsqlite3",
		"gsqlite3-database=" + db,
		"gsqlite3-dnssec=yes", // keys and signing (pdnsutil secure-zone, API cryptokeys); unsigned zones stay unsigned
		"daemon=no",
		"guardian=no",
		"disable-syslog=yes",
		"write-pid=no",
		"socket-dir=" + shortDir(t, s.Dir),
		"local-address=" + s.IP,
		fmt.Sprintf("local-port=%d", s.Port),
		"security-poll-suffix=",
		"api=yes",
		"api-key=" + p.APIKey,
		"webserver=yes",
		"webserver-address=" + s.IP,
		fmt.Sprintf("webserver-port=%d", PDNSAPIPort),
		"webserver-allow-from=127.0.0.0/8",
		"allow-axfr-ips=" + axfrIPs,
		"dnsupdate=" + dnsupdate,
		"allow-dnsupdate-from=127.0.0.0/8",
		"receiver-threads=2",
		"distributor-threads=2",
		"reuseport=yes",
		"loglevel=5",
	}
	if o.Signing {
		conf = append(conf, "direct-dnskey=yes")
	}
	if o.MaxNSEC3Iterations > 0 {
		conf = append(conf, fmt.Sprintf("max-nsec3-iterations=%d", o.MaxNSEC3Iterations))
	}
	if o.NSID != "" {
		conf = append(conf, "server-id="+o.NSID)
	}
	if o.LUA {
		conf = append(conf, "enable-lua-records=yes", "edns-subnet-processing=yes")
	}
	s.Conf = filepath.Join(s.Dir, "pdns.conf")
	writeFile(t, s.Conf, strings.Join(conf, "\n")+"\n")

	cfg := "--config-dir=" + s.Dir
	for _, k := range o.keys() {
		run(t, "pdnsutil", cfg, "import-tsig-key", k.name(), k.algorithm(), k.Secret)
	}
	paths := writeZones(t, s, o.Zones)
	for i, z := range o.Zones {
		run(t, "pdnsutil", cfg, "load-zone", z.Origin, paths[i])
		// Without rectify, empty non-terminals answer NXDOMAIN instead of
		// NODATA (the API rectifies; load-zone does not).
		if !o.NoRectify {
			run(t, "pdnsutil", cfg, "rectify-zone", z.Origin)
		}
		if o.TSIG != nil {
			axfr := []string{cfg, "set-meta", z.Origin, "TSIG-ALLOW-AXFR"}
			for _, k := range o.keys() {
				axfr = append(axfr, k.name())
			}
			run(t, "pdnsutil", axfr...)
			if o.AllowUpdate {
				run(t, "pdnsutil", cfg, "set-meta", z.Origin, "TSIG-ALLOW-DNSUPDATE", o.TSIG.name())
			}
		}
	}

	s.reload = p.loadZone
	start(t, s, "pdns_server", cfg)
	waitReady(t, s, o.Zones)
	p.waitAPI(t)
	return p
}

// Pdnsutil runs `pdnsutil --config-dir=DIR ARGS...` against this server's
// database (e.g. set-meta ZONE TSIG-ALLOW-AXFR KEY, which the API refuses)
// and returns its output; it fails t on error.
func (p *PowerDNS) Pdnsutil(t T, args ...string) string {
	t.Helper()
	bin, err := findBinary("pdnsutil")
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, append([]string{"--config-dir=" + p.Dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("lab: pdnsutil %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// loadZone is the reload of PowerDNS: pdnsutil load-zone, then a cache
// flush through the API.
func (p *PowerDNS) loadZone(t T, origin, file string) error {
	if err := runErr("pdnsutil", "--config-dir="+p.Dir, "load-zone", origin, file); err != nil {
		return err
	}
	// As at start: without rectify, empty non-terminals answer NXDOMAIN.
	if err := runErr("pdnsutil", "--config-dir="+p.Dir, "rectify-zone", origin); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.APIURL+"/api/v1/servers/"+p.ServerID+"/cache/flush?domain="+url.QueryEscape(origin), nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-API-Key", p.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("flush cache: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("flush cache: %s %s", resp.Status, b)
	}
	return nil
}

// waitAPI polls GET /api/v1/servers/ID until it answers 200.
func (p *PowerDNS) waitAPI(t T) {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	c := &http.Client{Timeout: 500 * time.Millisecond}
	url := p.APIURL + "/api/v1/servers/" + p.ServerID
	var last string
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			cancel()
			t.Fatalf("lab: %v", err)
		}
		req.Header.Set("X-API-Key", p.APIKey)
		resp, err := c.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				cancel()
				return
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		cancel()
		if p.Exited() || time.Now().After(deadline) {
			p.Stop()
			t.Fatalf("lab: powerdns API %s not ready: %s\n--- %s (tail) ---\n%s", url, last, p.Log, p.LogTail(40))
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func randomHex(t T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("lab: %v", err)
	}
	return hex.EncodeToString(b)
}

// API sends one request to the server's HTTP API as another client would
// (a test setting up what a provider must then read): body, when not nil,
// as JSON; out, when not nil, decoded from the answer. A failed request or
// an answer that is not 2xx fails t. It returns the answer's body.
func (p *PowerDNS) API(t T, method, path string, body, out any) []byte {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, p.APIURL+"/api/v1/servers/"+p.ServerID+path, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	req.Header.Set("X-API-Key", p.APIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %s %s", method, path, resp.Status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return b
}
