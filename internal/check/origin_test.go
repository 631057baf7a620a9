package check

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestCheckOriginMismatch: a config's zone whose file names another
// origin ($ORIGIN shop.example. for the zone shop.test., or no $ORIGIN
// and an absolute SOA owner shop.example.) fails check, as it fails plan
// and push (one function, config.Config.OriginChecked): first, on the
// line that names the origin, saying which to correct. On the code
// before, check passed the first (exit 0) and plan refused it at line 0
// without saying what to do; the second (the config's name is the
// loader's origin, so every record was out of the zone) was "zone
// shop.test. has no SOA record at the apex: the file holds no records"
// of a file that holds three.
//
// The mismatch is the one problem it causes (config.Config.OriginChecked):
// a file whose records are all outside the zone the config names (its SOA
// owner another name) is not also said to have no SOA, no NS and each
// record out of the zone; problems of their own stay (the $ORIGIN rows:
// the zone loaded at the file's origin lacks its NS). On the code before,
// the "only out-of-zone records" row gave the mismatch, "no SOA record at
// the apex: the file holds no records", "no NS records" and three
// out-of-zone warnings.
func TestCheckOriginMismatch(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int // of the mismatch; 0: none
		// more: the problems after the mismatch (with line 0: any), and
		// errors, warnings: the summary's counts (with a mismatch).
		more             []string
		errors, warnings int
	}{
		{"$ORIGIN", "; shop\n$TTL 300\n$ORIGIN shop.example.\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n", 3, nil, 1, 0},
		{"$ORIGIN, no NS", "; shop\n$TTL 300\n$ORIGIN shop.example.\n@ SOA ns1 h 1 2 3 4 5\nns1 A 192.0.2.1\n", 3, []string{"zone shop.example. has no NS records at the apex"}, 2, 0},
		{"SOA owner", "; shop\n$TTL 300\nshop.example. SOA ns1.shop.example. h 1 2 3 4 5\nshop.example. NS ns1.shop.example.\nns1.shop.example. A 192.0.2.1\n", 3, nil, 1, 0},
		{"only out-of-zone records", "shop.example. 300 IN SOA ns1.shop.example. h 1 2 3 4 5\nshop.example. 300 IN NS ns1.shop.example.\nwww.shop.example. 300 IN A 192.0.2.1\n", 1, nil, 1, 0},
		// No NS anywhere: the error stays beside the mismatch (it was
		// said only once the origin was corrected).
		{"SOA owner, relative records", "$TTL 300\nshop.example. SOA ns1.shop.example. h 1 2 3 4 5\nwww A 192.0.2.1\nwww TXT \"v=spf1 +all\"\n", 2, []string{"zone shop.test. has no NS records at the apex", "+all"}, 2, 1},
		{"SOA owner, NS after it, relative records", "$TTL 300\nshop.example. SOA ns1.shop.example. h 1 2 3 4 5\n  NS ns1.shop.example.\nwww A 192.0.2.1\n", 2, nil, 1, 0},
		{"SOA owner, NS at another name only", "$TTL 300\nshop.example. SOA ns1.shop.example. h 1 2 3 4 5\nsub.shop.example. NS ns1.shop.example.\nwww A 192.0.2.1\n", 2, []string{"zone shop.test. has no NS records at the apex"}, 2, 0},
		{"SOA owner in other case", "$TTL 300\nShop.Test. SOA ns1.shop.test. h 1 2 3 4 5\nshop.test. NS ns1.shop.test.\nns1.shop.test. A 192.0.2.1\n", 0, nil, 0, 0},
		{"no SOA, relative owners", "$TTL 300\n@ NS ns1\nns1 A 192.0.2.1\n", 0, nil, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := shopConfig(t, tc.text)
			targets, _, err := Targets(nil, "", Scope{Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			res := Run(targets, 0)
			want := "origin shop.example. does not match the zone shop.test. in " + cfg + ": correct the file's $ORIGIN (or its SOA owner), or the zone's name in " + cfg
			var mismatch []zone.Problem
			for _, p := range res.Problems {
				if strings.Contains(p.Message, "does not match the zone") {
					mismatch = append(mismatch, p)
				}
			}
			switch {
			case tc.line == 0 && len(mismatch) > 0:
				t.Errorf("problems %v, want no origin mismatch", res.Problems)
			case tc.line > 0 && (len(res.Problems) == 0 || res.Problems[0].Severity != zone.Error || res.Problems[0].Pos.Line != tc.line ||
				!strings.Contains(res.Problems[0].Message, want) || len(mismatch) != 1):
				t.Errorf("problems %v (tally %+v), want first one error at line %d: %q", res.Problems, res.Tally, tc.line, want)
			}
			if tc.line == 0 {
				return
			}
			if len(res.Problems) != 1+len(tc.more) || res.Tally.Errors != tc.errors || res.Tally.Warnings != tc.warnings {
				t.Fatalf("problems %v (tally %+v), want the mismatch, then %q; %d errors, %d warnings", res.Problems, res.Tally, tc.more, tc.errors, tc.warnings)
			}
			for i, m := range tc.more {
				if !strings.Contains(res.Problems[1+i].Message, m) {
					t.Errorf("problem %d: %v, want %q", 1+i, res.Problems[1+i], m)
				}
			}
		})
	}
}

// shopConfig writes a dnsparity.yaml naming the zone shop.test., its
// file zones/shop.test.zone holding text, and returns the config's path.
func shopConfig(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(cfg, []byte("zones:\n  - name: shop.test.\n    file: zones/shop.test.zone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "zones", "shop.test.zone"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestCheckBoundedCounts: with --max-problems, the tally is what is
// shown plus what the "N more problems not shown" line counts, and the
// same whatever the bound. What the origin mismatch explains (no SOA,
// records out of the zone) is left out of both: the hidden out-of-zone
// warnings were counted ("9 more problems not shown (1 error, 8
// warnings)", "2 errors, 8 warnings" where the unbounded run said "2
// errors, 0 warnings"). The mail records' problems, bounded on their
// own, are counted in that line too: those left out were in the tally
// and in no line.
func TestCheckBoundedCounts(t *testing.T) {
	mismatch := "$TTL 300\nshop.example. SOA ns1.shop.example. h 1 2 3 4 5\n  NS ns1.shop.example.\n"
	for i := range 8 {
		mismatch += fmt.Sprintf("o%d.shop.example. A 192.0.2.%d\n", i, i+1)
	}
	mismatch += "www CNAME x\nwww A 192.0.2.9\nmail TXT \"v=spf1 +all\"\n"
	mail := "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"
	for i := range 5 {
		mail += fmt.Sprintf("s%d TXT \"v=spf1 +all\"\n", i)
	}
	mail += "c1 CNAME x\nc1 A 192.0.2.9\nc2 CNAME x\nc2 A 192.0.2.9\n"
	for _, tc := range []struct {
		name, text       string
		errors, warnings int // unbounded
	}{
		{"origin mismatch", mismatch, 2, 1},
		{"mail warnings", mail, 2, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			targets, _, err := Targets(nil, "", Scope{Config: shopConfig(t, tc.text)})
			if err != nil {
				t.Fatal(err)
			}
			all := Run(targets, 0).Tally
			if all.Errors != tc.errors || all.Warnings != tc.warnings || all.Hidden() != 0 {
				t.Fatalf("unbounded tally %+v, want %d errors, %d warnings", all, tc.errors, tc.warnings)
			}
			more := regexp.MustCompile(`^(\d+) more problems not shown \(([^)]*)\)`)
			for limit := 1; limit <= 4; limit++ {
				res := Run(targets, limit)
				var shown, hidden zone.Tally
				hiddenN := 0 // said not shown, in all
				for _, p := range res.Problems {
					m := more.FindStringSubmatch(p.Message)
					if m == nil {
						count(&shown, []zone.Problem{p})
						continue
					}
					n, _ := strconv.Atoi(m[1])
					hiddenN += n
					for _, part := range strings.Split(m[2], ", ") {
						var k int
						var what string
						fmt.Sscanf(part, "%d %s", &k, &what)
						switch strings.TrimSuffix(what, "s") {
						case "error":
							hidden.Errors += k
						case "warning":
							hidden.Warnings += k
						}
					}
				}
				if res.Tally.Errors != all.Errors || res.Tally.Warnings != all.Warnings ||
					shown.Errors+hidden.Errors != all.Errors || shown.Warnings+hidden.Warnings != all.Warnings || res.Tally.Hidden() != hiddenN {
					t.Errorf("--max-problems %d: tally %+v, shown %+v, said not shown %+v; want %d errors, %d warnings in all\n%v", limit, res.Tally, shown, hidden, all.Errors, all.Warnings, res.Problems)
				}
			}
		})
	}
}
