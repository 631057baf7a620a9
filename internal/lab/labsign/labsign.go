// Package labsign signs zones for tests with BIND's own tools
// (dnssec-keygen, dnssec-signzone, dnssec-dsfromkey): an independent
// signer, so that DNSSEC checks are tested against keys and signatures the
// code under test did not make. Each Signer is one provider's key pair
// for a zone (a KSK and a ZSK in its own directory).
package labsign

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// Signer is a KSK and a ZSK of one zone, made by dnssec-keygen.
type Signer struct {
	Origin   string
	Dir      string
	KSK, ZSK string // key file base names ("Kexample.test.+013+12345")
}

// New makes ECDSAP256SHA256 keys for origin.
func New(t testing.TB, origin string) *Signer {
	t.Helper()
	return NewAlg(t, origin, "ECDSAP256SHA256")
}

// NewAlg makes keys of another algorithm ("RSASHA256", "ED25519", ...).
func NewAlg(t testing.TB, origin, alg string) *Signer {
	t.Helper()
	lab.Require(t, "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	s := &Signer{Origin: origin, Dir: t.TempDir()}
	s.KSK = Tool(t, s.Dir, "dnssec-keygen", "-q", "-K", s.Dir, "-a", alg, "-f", "KSK", "-n", "ZONE", origin)
	s.ZSK = Tool(t, s.Dir, "dnssec-keygen", "-q", "-K", s.Dir, "-a", alg, "-n", "ZONE", origin)
	return s
}

// Keys are the signer's DNSKEY records (zone file lines).
func (s *Signer) Keys(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, k := range []string{s.KSK, s.ZSK} {
		b, err := os.ReadFile(filepath.Join(s.Dir, k+".key"))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "DNSKEY") && !strings.HasPrefix(line, ";") {
				out = append(out, strings.TrimSpace(line))
			}
		}
	}
	return out
}

// ZSKTag and KSKTag are the keys' tags (from their file names).
func (s *Signer) ZSKTag() string {
	return strings.TrimLeft(s.ZSK[strings.LastIndex(s.ZSK, "+")+1:], "0")
}
func (s *Signer) KSKTag() string {
	return strings.TrimLeft(s.KSK[strings.LastIndex(s.KSK, "+")+1:], "0")
}

// DS is the DS RDATA of the KSK as dnssec-dsfromkey computes it (digest
// type "1", "2" or "4").
func (s *Signer) DS(t testing.TB, digest string) string {
	t.Helper()
	out := Tool(t, s.Dir, "dnssec-dsfromkey", "-a", map[string]string{"1": "SHA-1", "2": "SHA-256", "4": "SHA-384"}[digest], filepath.Join(s.Dir, s.KSK+".key"))
	rr, err := dns.NewRR(out)
	if err != nil {
		t.Fatalf("dnssec-dsfromkey output %q: %v", out, err)
	}
	return strings.TrimPrefix(rr.String(), rr.Header().String())
}

// Opts change how a zone is signed.
type Opts struct {
	NSEC3      bool
	OptOut     bool     // with NSEC3: the opt-out flag (dnssec-signzone -A)
	Start, End string   // dnssec-signzone -s / -e (default: now-1h, +30 days)
	ExtraKeys  []string // other providers' DNSKEY records to publish (RFC 8901)
}

// Sign returns text with the signer's DNSKEYs and o.ExtraKeys added,
// signed by the signer's KSK and ZSK only.
func (s *Signer) Sign(t testing.TB, text string, o Opts) string {
	t.Helper()
	dir := t.TempDir()
	zf := filepath.Join(dir, "zone")
	all := text + "\n" + strings.Join(append(s.Keys(t), o.ExtraKeys...), "\n") + "\n"
	if err := os.WriteFile(zf, []byte(all), 0o644); err != nil {
		t.Fatal(err)
	}
	start, end := o.Start, o.End
	if start == "" {
		start = "now-3600"
	}
	if end == "" {
		end = "now+2592000"
	}
	args := []string{"-q", "-P", "-K", s.Dir, "-o", s.Origin, "-f", zf + ".signed", "-s", start, "-e", end}
	if o.NSEC3 {
		args = append(args, "-3", "-")
		if o.OptOut {
			args = append(args, "-A")
		}
	}
	args = append(args, zf, filepath.Join(s.Dir, s.KSK), filepath.Join(s.Dir, s.ZSK))
	Tool(t, dir, "dnssec-signzone", args...)
	b, err := os.ReadFile(zf + ".signed")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Tool runs a BIND tool in dir and returns its trimmed standard output.
func Tool(t testing.TB, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(lab.Binary(t, name), args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}
