package zone

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// brokenZone has one broken line of each kind named-checkzone recovers
// from, and a semantic problem after them.
const brokenZone = `$TTL 300
@ SOA ns1 hostmaster 1 3600 600 1209600 300
@ NS ns1
ns1 A 192.0.2.1
x AAA ::1
y A 1.2.3
q TXT "abc
w A 192.0.2.7
$FOO bar
v ) A 192.0.2.8
u A 192.0.2.9
t MX 10 cname
cname CNAME ns1
k CAA 0 is-sue "ca.example"
`

// TestEveryProblemInOneRun: every broken line is reported in one run, at
// the lines named-checkzone names, and the zone-wide checks still run.
func TestEveryProblemInOneRun(t *testing.T) {
	z, err := Parse(strings.NewReader(brokenZone), "b.zone", "example.", "")
	if err != nil {
		t.Fatal(err)
	}
	ps := Check(z)
	var errLines []int
	semantic := false
	for _, p := range ps {
		if p.Severity == Error {
			errLines = append(errLines, p.Pos.Line)
		}
		if p.Pos.Line == 12 && strings.Contains(p.Message, "is a CNAME") {
			semantic = true
		}
	}
	want := []int{5, 6, 7, 9, 10, 14}
	if !slices.Equal(errLines, want) {
		t.Errorf("error lines %v, want %v: %v", errLines, want, ps)
	}
	if !semantic {
		t.Errorf("zone-wide check (MX to a CNAME at line 12) did not run: %v", ps)
	}
	for _, name := range []string{"w", "u", "cname"} {
		if z.Get(name+".example.", dns.TypeA) == nil && z.Get(name+".example.", dns.TypeCNAME) == nil {
			t.Errorf("%s: the record after a broken line is missing", name)
		}
	}
	// A broken line is one error, not also what its absence makes of
	// other records: no "no SOA", no "NS/MX target has no address".
	for _, text := range []string{
		"$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600\n@ NS ns1\nns1 A 192.0.2.1\n",
		"$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\nns1 A 192.0.2.300\n@ NS ns1\n@ MX 10 ns1\n",
		"$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NSS ns1\nns1 A 192.0.2.1\n",
	} {
		z, _ = Parse(strings.NewReader(text), "s.zone", "example.", "")
		if ps := Check(z); len(ps) != 1 || ps[0].Pos.Line != 3 && ps[0].Pos.Line != 2 || ps[0].Severity != Error {
			t.Errorf("%q: want one error at the broken line, got %v", text, ps)
		}
	}
}

var checkzoneLineRE = regexp.MustCompile(`[^\s:]+\.zone:(\d+):`)

// TestEveryProblemAgainstNamedCheckzone: the broken lines are the ones BIND
// names.
func TestEveryProblemAgainstNamedCheckzone(t *testing.T) {
	bin := lab.Binary(t, "named-checkzone")
	f := filepath.Join(t.TempDir(), "b.zone")
	if err := os.WriteFile(f, []byte(brokenZone), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(bin, "-i", "local", "example", f).CombinedOutput()
	var bind []int
	for _, m := range checkzoneLineRE.FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[1])
		if len(bind) == 0 || bind[len(bind)-1] != n {
			bind = append(bind, n)
		}
	}
	z, err := Load(f, Options{Origin: "example."})
	if err != nil {
		t.Fatal(err)
	}
	var ours []int
	for _, p := range Check(z) {
		if p.Severity == Error && (len(ours) == 0 || ours[len(ours)-1] != p.Pos.Line) {
			ours = append(ours, p.Pos.Line)
		}
	}
	if !slices.Equal(ours, bind) {
		t.Errorf("error lines %v, named-checkzone %v:\n%s", ours, bind, out)
	}
}

// TestTypoHints: a likely typo gets a hint.
func TestTypoHints(t *testing.T) {
	for _, c := range []struct{ rec, want string }{
		{"x AAA ::1", "did you mean AAAA?"},
		{"x CNAM a", "did you mean CNAME?"},
		{"x XM 10 a", "did you mean MX?"},
		{"x TXTX \"a\"", "did you mean TXT?"},
		{"$TLL 300", "did you mean $TTL?"},
		{"$ORIGN example.", "did you mean $ORIGIN?"},
	} {
		z, _ := Parse(strings.NewReader(rdataApex+c.rec+"\n"), "t.zone", "example.", "")
		ps := Check(z)
		if len(ps) != 1 || ps[0].Pos.Line != 5 || !strings.Contains(ps[0].Message, c.want) {
			t.Errorf("%q: want one problem at line 5 with %q, got %v", c.rec, c.want, ps)
		}
	}
}

// TestRRSIGTTLPerCoveredType: RRSIG TTLs are compared within the type they
// cover and with that RRset (RFC 4034 §3), not across covered types.
func TestRRSIGTTLPerCoveredType(t *testing.T) {
	sig := func(ttl int, covered string) string {
		return fmt.Sprintf("www %d RRSIG %s 8 2 300 20300101000000 20200101000000 12345 example. AAAA\n", ttl, covered)
	}
	cases := []struct {
		name, text string
		lines      []int
		want       string
	}{
		{"different covered types", "www 300 A 192.0.2.1\nwww 600 TXT \"t\"\n" + sig(300, "A") + sig(600, "TXT"), nil, ""},
		{"one covered type, two TTLs", "www 300 A 192.0.2.1\n" + sig(300, "A") + strings.Replace(sig(200, "A"), "12345", "54321", 1), []int{7}, "BIND serves 300 for all of them"},
		{"RRSIG TTL differs from its RRset", "www 300 A 192.0.2.1\n" + sig(600, "A"), []int{6}, "of the A RRset it covers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			z, _ := Parse(strings.NewReader(rdataApex+c.text), "t.zone", "example.", "")
			ps := Check(z)
			var lines []int
			for _, p := range ps {
				lines = append(lines, p.Pos.Line)
				if p.Severity != Warning || !strings.Contains(p.Message, c.want) {
					t.Errorf("unexpected %v", p)
				}
			}
			if !slices.Equal(lines, c.lines) {
				t.Errorf("warnings at %v, want %v: %v", lines, c.lines, ps)
			}
		})
	}
}

// wildcardZone: targets that exist only through a wildcard.
const wildcardZone = `$TTL 300
@ SOA ns1 hostmaster 1 3600 600 1209600 300
@ NS ns1
@ NS ns.wa
ns1 A 192.0.2.1
*.wc CNAME ns1
*.wa A 192.0.2.5
m1 MX 10 x.wc
m2 MX 10 y.wa
m3 MX 10 z.none
s1 SRV 0 0 25 x.wc
`

// TestWildcardTargets: an MX/SRV/NS target that exists only through a
// wildcard is what the wildcard holds, as BIND's checks see it.
func TestWildcardTargets(t *testing.T) {
	z, _ := Parse(strings.NewReader(wildcardZone), "w.zone", "example.", "")
	ps := Check(z)
	want := map[int]string{8: "is a CNAME (through the wildcard *.wc.example.)", 10: "has no address records", 11: "is a CNAME (through the wildcard *.wc.example.)"}
	if len(ps) != len(want) {
		t.Errorf("got %v, want lines 8, 10, 11", ps)
	}
	for _, p := range ps {
		if w := want[p.Pos.Line]; w == "" || !strings.Contains(p.Message, w) {
			t.Errorf("unexpected %v", p)
		}
	}
}

// TestWildcardTargetsAgainstNamedCheckzone: the lines BIND names.
func TestWildcardTargetsAgainstNamedCheckzone(t *testing.T) {
	bin := lab.Binary(t, "named-checkzone")
	f := filepath.Join(t.TempDir(), "w.zone")
	if err := os.WriteFile(f, []byte(wildcardZone), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-i", "local", "example", f).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// named-checkzone names owners, not lines: m1, m3, s1.
	var owners []string
	for _, l := range strings.Split(string(out), "\n") {
		if m := regexp.MustCompile(`zone example/IN: (\w+)\.example/`).FindStringSubmatch(l); m != nil {
			owners = append(owners, m[1])
		}
	}
	z, _ := Load(f, Options{Origin: "example."})
	var ours []string
	for _, p := range Check(z) {
		ours = append(ours, strings.TrimSuffix(strings.Fields(p.Message)[0], ".example."))
	}
	slices.Sort(owners)
	slices.Sort(ours)
	if !slices.Equal(ours, owners) {
		t.Errorf("warnings for %v, named-checkzone for %v:\n%s", ours, owners, out)
	}
}

// TestTXTSplitMessage: what a splitting server serves, said truly.
func TestTXTSplitMessage(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{256, "255+1"}, {410, "255+155"}, {510, "255+255"}, {754, "255+255+244"}, {1000, "255+255+255+235"}} {
		z, _ := Parse(strings.NewReader(rdataApex+"x TXT \""+strings.Repeat("a", c.n)+"\"\n"), "t.zone", "example.", "")
		ps := Check(z)
		if len(ps) != 1 || !strings.Contains(ps[0].Message, "serve "+c.want+";") {
			t.Errorf("%d octets: want %q, got %v", c.n, c.want, ps)
		}
	}
}

// TestIncludeRefusals: $INCLUDE refuses files under .git, and never shows
// the text of a file that is not a zone file.
func TestIncludeRefusals(t *testing.T) {
	root := t.TempDir()
	write := func(p, s string) { writeFile(t, p, s) }
	secret := "hunter2-SECRET"
	write(filepath.Join(root, ".git", "config"), "[core]\n\turl = https://user:"+secret+"@example.com\n")
	write(filepath.Join(root, "notes", "creds.txt"), secret+" is the password\n")
	write(filepath.Join(root, "notes", "bin.zone"), "\x00\x01"+secret+"\n")
	write(filepath.Join(root, "zones", "inc", "ok.zone"), "www A 192.0.2.80\n")
	if err := os.Symlink(filepath.Join(root, ".git", "config"), filepath.Join(root, "zones", "gitlink")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ include, want string }{
		{"../.git/config", "under .git"},
		{".git/config", "under .git"},
		{"gitlink", "under .git"},
		{"../notes/creds.txt", "not a zone file"},
		{"../notes/bin.zone", "not a zone file"},
	} {
		t.Run(c.include, func(t *testing.T) {
			main := filepath.Join(root, "zones", "example.test.zone")
			write(main, "$TTL 300\n"+apex+"$INCLUDE "+c.include+"\n$INCLUDE inc/ok.zone\n")
			z, err := Load(main, Options{})
			if err != nil {
				t.Fatal(err)
			}
			ps := Check(z)
			if len(ps) != 1 || ps[0].Pos.Line != 5 || ps[0].Pos.File != main || !strings.Contains(ps[0].Message, c.want) {
				t.Fatalf("want one error at %s:5 containing %q, got %v", main, c.want, ps)
			}
			for _, p := range ps {
				if strings.Contains(p.Message, secret) || strings.Contains(p.Message, "core") {
					t.Errorf("message shows the file's content: %s", p)
				}
			}
			if z.Get("www.example.test.", dns.TypeA) == nil {
				t.Error("the next $INCLUDE was not read")
			}
		})
	}
}

// TestOriginFromSOAOwner: a file without $ORIGIN whose SOA owner is absolute
// takes its origin from it, and says so.
func TestOriginFromSOAOwner(t *testing.T) {
	text := "$TTL 300\nexample.net. IN SOA ns1.example.net. hostmaster.example.net. 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n"
	f := filepath.Join(t.TempDir(), "noname")
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	z, err := Load(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if z.Origin != "example.net." {
		t.Fatalf("origin %q", z.Origin)
	}
	if z.Get("ns1.example.net.", dns.TypeA) == nil {
		t.Errorf("names %v", z.Names())
	}
	ps := Check(z)
	if len(ps) != 1 || ps[0].Severity != Info || ps[0].Pos.Line != 2 || !strings.Contains(ps[0].Message, "origin example.net. taken from the SOA owner") {
		t.Errorf("want one info line at 2, got %v", ps)
	}
	if HasErrors(ps) {
		t.Error("an info line is an error")
	}
	// A relative SOA owner gives no origin.
	if err := os.WriteFile(f, []byte("$TTL 300\n@ SOA ns1 hm 1 2 3 4 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(f, Options{}); !errors.Is(err, ErrNoOrigin) {
		t.Errorf("relative SOA owner: %v, want ErrNoOrigin", err)
	} else if !strings.HasPrefix(err.Error(), f+": no origin:") || !strings.Contains(err.Error(), `put "$ORIGIN example.com." (the zone's name) on its first line, or give --origin`) {
		// What to do, not only what is missing.
		t.Errorf("relative SOA owner: %v: want the file named and the fix", err)
	}
}

// TestFoldASCIIOnly: owner and RDATA names fold ASCII letters only (RFC
// 4343 §3): "É" and "é" are different octets and different names.
func TestFoldASCIIOnly(t *testing.T) {
	z, _ := Parse(strings.NewReader(rdataApex+"É A 192.0.2.1\né A 192.0.2.2\nM CNAME Éx\nN CNAME éx\nÉx A 192.0.2.3\néx A 192.0.2.4\n"), "t.zone", "example.", "")
	for _, p := range Check(z) {
		// check-names warns on the non-ASCII owners (as named-checkzone),
		// and so does the Unicode-name check (idn.go: write the A-label).
		if p.Severity != Warning || !strings.Contains(p.Message, "bad owner name") && !strings.Contains(p.Message, "is written in Unicode") {
			t.Fatalf("problem: %v", p)
		}
	}
	up, low := CanonicalName("É.example."), CanonicalName("é.example.")
	if up == low {
		t.Fatalf("CanonicalName folds non-ASCII: %q == %q", up, low)
	}
	a, b := z.Get(up, dns.TypeA), z.Get(low, dns.TypeA)
	if a == nil || b == nil || a == b {
		t.Fatalf("É and é are one name: %v", z.Names())
	}
	m, n := z.Get("m.example.", dns.TypeCNAME), z.Get("n.example.", dns.TypeCNAME)
	if m == nil || n == nil || m.Records[0].Rdata == n.Records[0].Rdata {
		t.Errorf("CNAME targets Éx and éx fold to one name")
	}
	if CanonicalName("WWW.Example.") != "www.example." {
		t.Error("ASCII not folded")
	}
}

// TestIncludeOpensWhatWasChecked: a file swapped between the checks and the
// open (here for a symlink out of the repository) is refused, not read.
func TestIncludeOpensWhatWasChecked(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	if err := os.MkdirAll(filepath.Join(root, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(base, "secret.zone")
	inc := filepath.Join(root, "zones", "inc.zone")
	for p, text := range map[string]string{outside: "secret A 192.0.2.66\n", inc: "www A 192.0.2.80\n"} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		swap func(path string) error
	}{
		{"symlink out", func(p string) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Symlink(outside, p)
		}},
		{"other file", func(p string) error {
			tmp := p + ".new"
			if err := os.WriteFile(tmp, []byte("secret A 192.0.2.66\n"), 0o644); err != nil {
				return err
			}
			return os.Rename(tmp, p)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(inc, []byte("www A 192.0.2.80\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			f := newFeeder(strings.NewReader(""), filepath.Join(root, "zones", "main.zone"), root)
			f.beforeOpen = func(p string) {
				if err := c.swap(p); err != nil {
					t.Fatal(err)
				}
			}
			fh, _, err := f.openInclude(filepath.Join(root, "zones", "main.zone"), "inc.zone")
			if err == nil {
				fh.Close()
				t.Fatal("a file swapped after its checks was opened")
			}
			if !strings.Contains(err.Error(), "changed while it was being checked") || strings.Contains(err.Error(), "secret") {
				t.Errorf("error %v", err)
			}
		})
		_ = os.Remove(inc)
	}
}

// TestRRSIGTTLAgainstNamedCheckzone: BIND resets the TTL of an RRSIG whose
// TTL differs from the first RRSIG covering the same type, and only then:
// our "BIND serves" warnings are on its lines.
func TestRRSIGTTLAgainstNamedCheckzone(t *testing.T) {
	bin := lab.Binary(t, "named-checkzone")
	text := rdataApex + "www 300 A 192.0.2.1\n" +
		"www 300 RRSIG A 8 2 300 20300101000000 20200101000000 12345 example. AAAA\n" +
		"www 200 RRSIG A 8 2 300 20300101000000 20200101000000 54321 example. AAAA\n" +
		"www 600 TXT \"t\"\n" +
		"www 600 RRSIG TXT 8 2 300 20300101000000 20200101000000 12345 example. AAAA\n"
	f := filepath.Join(t.TempDir(), "r.zone")
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-i", "local", "example", f).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var bind []int
	for _, m := range regexp.MustCompile(`r\.zone:(\d+): TTL set to prior TTL`).FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[1])
		bind = append(bind, n)
	}
	z, _ := Load(f, Options{Origin: "example."})
	var ours []int
	for _, p := range Check(z) {
		if strings.Contains(p.Message, "BIND serves") {
			ours = append(ours, p.Pos.Line)
		}
	}
	if len(bind) == 0 || !slices.Equal(ours, bind) {
		t.Errorf("our TTL warnings at %v, BIND resets TTLs at %v:\n%s", ours, bind, out)
	}
}
