// Package benchrun is the plumbing the benchmark commands in bench/ share:
// the dnsparity binary under test (-dnsparity, built by bench/lib.sh), a
// lab script with its scratch folder, files written there, the TSIG key
// their servers and configs use, and runs of the binary (timed by
// /usr/bin/time -v where memory and CPU are measured) with what they
// printed. A benchmark that cannot go on ends through the lab script:
// its servers stop, the message goes to stderr, the exit status is 2.
package benchrun

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// Key is the TSIG key of the benchmarks' servers and configs; a config
// names its secret with KeyEnv, which every Run sets.
var Key = &lab.TSIGKey{Name: "bench-key.", Algorithm: "hmac-sha256", Secret: "YmVuY2gta2V5LWZvci1kbnNwYXJpdHktZGVsZWdhdGlvbg=="}

// KeyEnv is the environment variable holding Key's secret in each Run.
const KeyEnv = "BENCH_TSIG"

// KeyConfig is Key as a config's tsig block.
const KeyConfig = "{name: bench-key., algorithm: hmac-sha256, secret_env: " + KeyEnv + "}"

// ParseFlags defines -dnsparity, parses the command line (define the
// benchmark's own flags first) and returns the binary under test.
func ParseFlags() (bin string) {
	b := flag.String("dnsparity", "dnsparity", "the dnsparity binary (bench/lib.sh builds it)")
	flag.Parse()
	return *b
}

// Bench is one lab of a benchmark: its servers (the embedded lab script:
// defer Close), a scratch folder and the binary under test.
type Bench struct {
	*lab.Script
	// Name prefixes the message of a run that ends the benchmark.
	Name string
	// Dir is the scratch folder, removed on Close; runs start there.
	Dir string
	// Bin is the dnsparity binary.
	Bin string
	// Env is added to the environment of each run (KeyEnv is already).
	Env []string
}

// New starts a lab for the benchmark name with the binary bin ("" for a
// benchmark that runs no binary, only servers).
func New(name, bin string) *Bench {
	s := lab.Standalone()
	return &Bench{Script: s, Name: name, Dir: s.TempDir(), Bin: bin, Env: []string{KeyEnv + "=" + Key.Secret}}
}

// Start is New with the binary ParseFlags returns, for a benchmark that
// keeps one lab for its whole run; define its flags first.
func Start(name string) *Bench {
	return New(name, ParseFlags())
}

// Must ends the benchmark on err.
func (b *Bench) Must(err error) {
	if err != nil {
		b.Fatalf("%s: %v", b.Name, err)
	}
}

// Write writes text to the file name (slash-separated, relative to Dir,
// its folders made) and returns its path.
func (b *Bench) Write(name, text string) string {
	path := filepath.Join(b.Dir, filepath.FromSlash(name))
	b.Must(os.MkdirAll(filepath.Dir(path), 0o755))
	b.Must(os.WriteFile(path, []byte(text), 0o644))
	return path
}

// Result is one run of the binary.
type Result struct {
	Out, Err []byte // stdout, stderr
	Exit     int
	// Wall is the seconds the run took, measured around it.
	Wall float64
	// From /usr/bin/time -v (Timed only): the peak RSS in MiB, user +
	// system CPU seconds, and the wall time as time printed it.
	RSSMiB, CPU float64
	TimeWall    string
}

// Run runs the binary with args in Dir and returns what it printed and
// its exit status; a binary that could not be started ends the benchmark.
func (b *Bench) Run(args ...string) Result {
	return b.exec(b.Bin, args...)
}

// Timed is Run under /usr/bin/time -v, with RSSMiB, CPU and TimeWall
// filled in; a run that could not be done (exit 2) ends the benchmark.
func (b *Bench) Timed(args ...string) Result {
	r := b.exec("/usr/bin/time", append([]string{"-v", b.Bin}, args...)...)
	if r.Exit == 2 {
		b.Fatalf("%s: dnsparity %v could not run (exit 2):\n%s", b.Name, args, Tail(string(r.Err)))
	}
	r.RSSMiB, r.CPU, r.TimeWall = timeV(string(r.Err))
	return r
}

func (b *Bench) exec(name string, args ...string) Result {
	cmd := exec.Command(name, args...)
	cmd.Dir = b.Dir
	cmd.Env = append(os.Environ(), b.Env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start).Seconds()
	if cmd.ProcessState == nil {
		b.Fatalf("%s: %s: %v", b.Name, name, err)
	}
	return Result{Out: out.Bytes(), Err: errb.Bytes(), Exit: cmd.ProcessState.ExitCode(), Wall: wall}
}

// Decode decodes the run's JSON output into v; output that is not JSON
// ends the benchmark with the run's stderr.
func (b *Bench) Decode(r Result, v any) {
	if err := json.Unmarshal(r.Out, v); err != nil {
		b.Fatalf("%s: no JSON report (%v), exit %d:\n%s", b.Name, err, r.Exit, Tail(string(r.Err)))
	}
}

// Parity runs `parity --file zfile --origin origin --old old --new new
// EXTRA... --format json` timed and returns the run and its report.
func (b *Bench) Parity(zfile, origin, old, new string, extra ...string) (Result, *parity.Report) {
	args := append([]string{"parity", "--file", zfile, "--origin", origin, "--old", old, "--new", new}, extra...)
	r := b.Timed(append(args, "--format", "json")...)
	var rep parity.Report
	b.Decode(r, &rep)
	return r, &rep
}

var (
	rssRE  = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)
	userRE = regexp.MustCompile(`User time \(seconds\): ([0-9.]+)`)
	sysRE  = regexp.MustCompile(`System time \(seconds\): ([0-9.]+)`)
	wallRE = regexp.MustCompile(`Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)`)
)

// timeV reads what /usr/bin/time -v wrote to stderr: the peak RSS in MiB,
// user + system CPU seconds (each 0 when absent) and the wall clock time
// as printed.
func timeV(stderr string) (rssMiB, cpu float64, wall string) {
	num := func(re *regexp.Regexp) float64 {
		m := re.FindStringSubmatch(stderr)
		if m == nil {
			return 0
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	if m := wallRE.FindStringSubmatch(stderr); m != nil {
		wall = m[1]
	}
	return num(rssRE) / 1024, num(userRE) + num(sysRE), wall
}

// Tail is the last 3,000 bytes of s, for error messages.
func Tail(s string) string {
	if len(s) > 3000 {
		return s[len(s)-3000:]
	}
	return s
}

// Verdict is "met" or "NOT met", for a line naming a goal.
func Verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// YesNo is "yes" or "no", for a table column naming a goal.
func YesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}
