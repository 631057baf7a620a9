package zone

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPeekOrigin(t *testing.T) {
	long := "; " + strings.Repeat("x", 10000) + "\n" // a comment longer than the peek's buffer
	tests := []struct {
		name, text, want string
		line             int
	}{
		{"origin directive", "$TTL 300\n$ORIGIN Example.COM.\n@ SOA ns hm 1 2 3 4 5\n", "example.com.", 2},
		{"absolute SOA owner", "$TTL 300\nexample.net. 300 IN SOA ns hm 1 2 3 4 5\n", "example.net.", 2},
		{"SOA over lines", long + "example.org. IN SOA ns hm (\n 1 2 3 4 5 )\n", "example.org.", 2},
		{"relative owner", "@ IN SOA ns hm 1 2 3 4 5\n", "", 0},
		{"first record not the SOA", "www.example.com. A 192.0.2.1\nexample.com. SOA ns hm 1 2 3 4 5\n", "", 0},
		{"empty", "", "", 0},
	}
	dir := t.TempDir()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name+".zone")
			if err := os.WriteFile(p, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, line, err := PeekOrigin(p, "")
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			if got != tt.want || line != tt.line {
				t.Errorf("PeekOrigin = %q line %d, want %q line %d", got, line, tt.want, tt.line)
			}
		})
	}
	if _, _, err := PeekOrigin(filepath.Join(dir, "missing.zone"), ""); err == nil {
		t.Error("a missing file: no error")
	}
}
