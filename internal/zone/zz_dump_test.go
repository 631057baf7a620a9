package zone

import (
	"fmt"
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	f := os.Getenv("DUMP")
	if f == "" {
		t.Skip()
	}
	z, err := Load(f, Options{Origin: os.Getenv("ORIGIN")})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range z.Sets {
		for _, rr := range s.RRs() {
			fmt.Printf("%s %d %s\n", rr.Header().Name, rr.Header().Ttl, RdataString(rr))
		}
	}
	for _, r := range s0(z) {
		fmt.Println("POS", r)
	}
}

func s0(z *Zone) []string {
	var out []string
	for _, s := range z.Sets {
		for _, r := range s.Records {
			out = append(out, fmt.Sprintf("%s %s %v", s.Name, typeName(s.Type), r.Pos))
		}
	}
	return out
}
