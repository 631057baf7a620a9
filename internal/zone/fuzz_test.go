package zone

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/confine"
)

// fuzzSeeds adds every test zone of the repository (and BIND's checkzone
// corpus when it is there) as a seed.
func fuzzSeeds(f *testing.F) {
	f.Helper()
	repo := confine.Root(".")
	var globs []string
	for _, d := range []string{"testdata/zones/*/*", "testdata/zones/*", "zones/*", "testdata/push/*", "testdata/parity/*"} {
		globs = append(globs, filepath.Join(repo, d))
	}
	globs = append(globs, filepath.Join(corpusDir(), "*.db"))
	// Broken lines, the RDATA table and the types read beyond miekg/dns.
	f.Add([]byte(brokenZone))
	f.Add([]byte(wildcardZone))
	for _, c := range rdataCases {
		f.Add([]byte(rdataApex + c.rec + "\n"))
	}
	for _, c := range extraCases {
		f.Add([]byte(rdataApex + "x " + c.rec + "\n"))
	}
	for _, g := range globs {
		files, _ := filepath.Glob(g)
		for _, p := range files {
			if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() || st.Size() > 1<<20 {
				continue
			}
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range []string{
		"$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n$INCLUDE inc.zone\n",
		"$INCLUDE inc.zone sub\n",
		"$INCLUDE ../outside.zone\n",
		"$INCLUDE \"../outside.zone\"\n",
		"$INCLUDE /etc/hostname\n",
		"$INCLUDE link.zone\n",
		"$INCLUDE .\n",
		"$GENERATE 0-2147483647 h$ A 192.0.2.1\n",
		"$GENERATE 0-65535 h$ A 192.0.2.1\n",
		"$GENERATE 1-10/0 h$ A 192.0.2.1\n",
		"$GENERATE 1-3 ${0,300,n} A 192.0.2.$\n",
		"$TTL 1w2d3h4m5s\n@ IN SOA ( ns hm\n 1 2 3 4 5 )\n",
		"a TXT \"a\\;b\" \"\\\"\" \"\\\\\" \"\\255\" \"é\" \"\"\n",
		"a TYPE65000 \\# 3 010203\nb TYPE1 \\# 4 c0000201\n",
		"\xef\xbb\xbf$ORIGIN x.\n",
		"a\\.b\\032c A 192.0.2.1\n*.w A 192.0.2.1\n",
		"$ORIGIN .\n SOA 0 0 0\n",
		"x 300 SOA ns hm 1\nx 300 DS 1 2 3\nx 300 HINFO a\n",
	} {
		f.Add([]byte(s))
	}
}

// fuzzRoot makes the $INCLUDE root for FuzzParse: a directory with a file
// to include and, beside it (outside the root), a file that must never be
// read, plus a symlink from inside to it.
func fuzzRoot(f *testing.F) (root string) {
	base := f.TempDir()
	root = filepath.Join(base, "root")
	must := func(err error) {
		if err != nil {
			f.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "sub"), 0o755))
	must(os.WriteFile(filepath.Join(root, "inc.zone"), []byte("inc 300 A 192.0.2.7\n$INCLUDE sub/inner.zone\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, "sub", "inner.zone"), []byte("inner 300 TXT \"in\"\n"), 0o644))
	must(os.WriteFile(filepath.Join(base, "outside.zone"), []byte("outsidemarker 300 TXT \"must not be read\"\n"), 0o644))
	must(os.Symlink(filepath.Join(base, "outside.zone"), filepath.Join(root, "link.zone")))
	return root
}

// FuzzParse feeds arbitrary bytes to the loader as a zone file: it must
// not panic or hang, every problem names a file and a line (line 1 for
// whole-file problems), and $INCLUDE never reads outside the root.
func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	root := fuzzRoot(f)
	file := filepath.Join(root, "fuzz.zone")
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		type result struct {
			z   *Zone
			ps  []Problem
			err error
		}
		done := make(chan result, 1)
		go func() {
			z, err := Parse(bytes.NewReader(data), file, "example.", root)
			var ps []Problem
			if err == nil {
				ps = Check(z)
			}
			done <- result{z, ps, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("Parse+Check did not finish in 20s on %q", data)
		}
		if r.err != nil {
			if !strings.Contains(r.err.Error(), file) {
				t.Errorf("error does not name the file: %v", r.err)
			}
			return
		}
		for _, p := range r.ps {
			if p.Pos.File == "" || p.Pos.Line < 1 {
				t.Errorf("problem without file and line: %+v", p)
			}
			if !confine.Within(root, p.Pos.File) {
				t.Errorf("problem in a file outside the root: %+v", p)
			}
		}
		for _, s := range r.z.Sets {
			if strings.HasPrefix(s.Name, "outsidemarker.") {
				t.Fatalf("$INCLUDE read a file outside the root: %s", s.Name)
			}
			for _, rec := range s.Records {
				if rec.Pos.File == "" || rec.Pos.Line < 1 || !confine.Within(root, rec.Pos.File) {
					t.Errorf("%s: record at bad position %+v", s.Key(), rec.Pos)
				}
				if _, err := FromRdata(s.Header(), rec.Rdata); err != nil {
					t.Errorf("%s: stored RDATA does not unpack: %v", s.Key(), err)
				}
			}
		}
	})
}

// TestGenerateCap: a $GENERATE directive may make at most MaxGenerate
// records; one making more is an error at its line, found at once.
func TestGenerateCap(t *testing.T) {
	const apex = "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"
	tests := []struct {
		gen     string
		records int // generated records expected; -1: an error
	}{
		{"$GENERATE 0-2147483647 h$ A 192.0.2.1", -1},
		{"$GENERATE 0-2147483647/32768 h$ A 192.0.2.1", 65536},
		{"$GENERATE 0-65535 h$ A 192.0.2.1", 65536},
		{"$GENERATE 0-65536 h$ A 192.0.2.1", -1},
		{"$GENERATE 1-131072/2 h$ A 192.0.2.1", 65536},
		{"$GENERATE 5-5 h$ A 192.0.2.1", 1},
	}
	for _, tc := range tests {
		t.Run(tc.gen, func(t *testing.T) {
			start := time.Now()
			z, err := Parse(strings.NewReader(apex+tc.gen+"\n"), "gen.zone", "", "")
			if err != nil {
				t.Fatal(err)
			}
			ps := Check(z)
			n := z.Records() - 3
			if tc.records < 0 {
				if !HasErrors(ps) || ps[0].Pos.Line != 6 || !strings.Contains(ps[0].Message, "$GENERATE") {
					t.Errorf("want a $GENERATE error at line 6, got %v", ps)
				}
				if n != 0 {
					t.Errorf("%d records generated before the error", n)
				}
				t.Logf("rejected in %v", time.Since(start))
				return
			}
			if HasErrors(ps) || n != tc.records {
				t.Errorf("got %d records, problems %v; want %d", n, ps, tc.records)
			}
		})
	}
}

// TestFuzzFindings: inputs the fuzzers found that the loader took without
// a word (miekg/dns fills missing fields with zeros), and that BIND
// rejects; each is now an error at its line, and the record is not kept.
func TestFuzzFindings(t *testing.T) {
	tests := []struct{ text, want string }{
		{"x 300 SOA", "SOA record has no data"},
		{"x 300 TLSA", "TLSA record has no data"},
		{"x 300 TKEY", "meta RR type TKEY"},
		{"x 300 TYPE252 \\# 0", "meta RR type AXFR"},
		{"x 300 OPT", "meta RR type OPT"},
		{"x 300 SOA ns hm 1", "incomplete SOA record: 3 fields, 7 needed"},
		{"x 300 DS 1 2 3", "incomplete DS record"},
		{"x 300 SSHFP 1 1", "incomplete SSHFP record"},
		{"x 300 TLSA 3 1 1", "incomplete TLSA record"},
		{"x 300 CERT 1 2 3", "incomplete CERT record"},
		{"x 300 HINFO \"a\"", "incomplete HINFO record"},
		{" 300 A 192.0.2.1", "no current owner name"},
	}
	for _, tc := range tests {
		z, err := Parse(strings.NewReader("$ORIGIN example.\n"+tc.text+"\n"), "f.zone", "", "")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range z.Problems {
			if p.Severity == Error && strings.Contains(p.Message, tc.want) && p.Pos.Line == 2 {
				found = true
			}
		}
		if !found || len(z.Sets) != 0 {
			t.Errorf("%q: problems %v, %d RRsets; want an error %q at line 2 and no record", tc.text, z.Problems, len(z.Sets), tc.want)
		}
	}
	// Complete records of the same types still load.
	ok := "x 300 SOA ns hm 1 2 3 4 5\nx 300 DS 1 2 9 AB\nx 300 SSHFP 1 9 AB\nx 300 TLSA 3 1 1 AB\nx 300 HINFO a b\nx 300 CERT 1 2 3 AQID\n"
	z, err := Parse(strings.NewReader(ok), "f.zone", "example.", "")
	if err != nil || len(z.Problems) != 0 || len(z.Sets) != 6 {
		t.Errorf("complete records: %v %v, %d RRsets", err, z.Problems, len(z.Sets))
	}
}
