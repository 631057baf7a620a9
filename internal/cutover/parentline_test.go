package cutover

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestParentServersDownNamesLine: a cutover.parent_servers entry where
// nothing listens is said at its line of the config, with what a refused
// connection means. Before: "cutover.parent_servers: walk to a.test.: no
// answer from 127.0.0.1:N: ... recvfrom: connection refused", no FILE:LINE
// and no word of a wrong address or a server down (parity says both).
func TestParentServersDownNamesLine(t *testing.T) {
	closed := lab.Addr(t) + ":53" // reserved, nothing listens: the kernel answers port unreachable
	dir := t.TempDir()
	files := map[string]string{
		"a.test.zone": "$ORIGIN a.test.\n$TTL 60\n@ SOA ns1.old.example. h.a.test. 1 60 60 600 60\n@ NS ns1.old.example.\n",
		// line 8: parent_servers
		"dnsparity.yaml": fmt.Sprintf(`zones:
  - {name: a.test., file: a.test.zone}
providers:
  old: {type: rfc2136, server: 192.0.2.1:53, nameservers: [192.0.2.1], delegation: [ns1.old.example.]}
  new: {type: rfc2136, server: 192.0.2.2:53, nameservers: [192.0.2.2], delegation: [ns1.new.example.]}
cutover:
  resolvers: [%s]
  parent_servers: [%s]
`, closed, closed),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Load(filepath.Join(dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = StatusFromConfig(context.Background(), cfg, "a.test.", func(string) string { return "" }, io.Discard)
	if err == nil {
		t.Fatal("no error with nothing at the parent's address")
	}
	want := cfg.Path + ":8: cutover.parent_servers: "
	if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "nothing listens on that address and port (connection refused): a wrong address or port, or the server is down") {
		t.Errorf("error %q, want it to start %q and say what a refused connection means", err, want)
	}
}
