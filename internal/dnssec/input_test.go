package dnssec

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestParseDS(t *testing.T) {
	ds, err := parseDS("example.test.", []string{"12345 13 2 ab12CD34", "1 8 1 00FF"})
	if err != nil || len(ds) != 2 || ds[0].KeyTag != 12345 || ds[1].DigestType != 1 {
		t.Fatalf("parseDS = %v, %v", ds, err)
	}
	for _, bad := range []string{"12345 13", "abc 13 2 00", "12345 13 2 XYZ"} {
		if _, err := parseDS("example.test.", []string{"1 13 2 00", bad}); err == nil || !strings.Contains(err.Error(), "DS 2") {
			t.Errorf("parseDS(%q): %v, want an error naming DS 2", bad, err)
		}
	}
}

// TestGateInput: bad input and unreachable servers are errors (the gate
// could not run), never a verdict.
func TestGateInput(t *testing.T) {
	ctx := context.Background()
	ok := Input{Zone: "example.test.", Servers: []string{"127.0.0.1:1"}, Timeout: 200 * time.Millisecond}
	for _, c := range []struct {
		name string
		edit func(*Input)
		want string
	}{
		{"no zone", func(in *Input) { in.Zone = "" }, "no zone"},
		{"no servers", func(in *Input) { in.Servers = nil }, "no servers"},
		{"bad DS", func(in *Input) { in.DS = []string{"1 13 2 nothex!"} }, `DS 1 "1 13 2 nothex!"`},
		{"bad sample type", func(in *Input) { in.DS = []string{"1 13 2 00"}; in.Sample = [][2]string{{"www.example.test.", "NOPE"}} }, "sample 1"},
		{"host name as server", func(in *Input) { in.Servers = []string{"ns1.example.net:53"} }, `server: "ns1.example.net:53" is not an IP address`},
		{"bad port", func(in *Input) { in.Servers = []string{"127.0.0.1:99999"} }, `bad port "99999"`},
		{"host name on the other side", func(in *Input) { in.Other = []string{"ns1.example.net"} }, `other-side server: "ns1.example.net" is not an IP address`},
		{"sample outside the zone", func(in *Input) { in.Sample = [][2]string{{"www.example.org.", "A"}} }, "outside the zone"},
		{"empty non-terminal outside the zone", func(in *Input) { in.EmptyNonTerminal = "b.example.org." }, `empty non-terminal "b.example.org.": not a name below the apex`},
		{"the apex as empty non-terminal", func(in *Input) { in.EmptyNonTerminal = "Example.Test." }, "not a name below the apex"},
		{"unreachable server", func(in *Input) { in.DS = []string{"1 13 2 00"} }, "127.0.0.1:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := ok
			c.edit(&in)
			res, err := Gate(ctx, in)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Gate = %+v, %v; want an error with %q", res, err, c.want)
			}
		})
	}
	// A cancelled context stops the gate at once.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	in := ok
	in.DS = []string{"1 13 2 00"}
	in.Timeout = time.Minute
	start := time.Now()
	if _, err := Gate(cctx, in); err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("cancelled: %v after %v", err, time.Since(start))
	}
}

func TestParentDSInput(t *testing.T) {
	ctx := context.Background()
	if _, _, err := ParentDS(ctx, "example.test.", nil, time.Second); err == nil || !strings.Contains(err.Error(), "no parent servers") {
		t.Errorf("no servers: %v", err)
	}
	if _, _, err := ParentDS(ctx, "example.test.", []string{"a.nic.test"}, time.Second); err == nil || !strings.Contains(err.Error(), `parent server: "a.nic.test" is not an IP address`) {
		t.Errorf("host name: %v", err)
	}
}
