package dnssec_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// signer is one provider's key pair for a zone (a KSK and a ZSK made by
// dnssec-keygen in its own directory), signing with dnssec-signzone.
type signer struct {
	origin   string
	dir      string
	ksk, zsk string // key file base names ("Kexample.test.+013+12345")
}

func newSigner(t testing.TB, origin string) *signer {
	t.Helper()
	return newSignerAlg(t, origin, "ECDSAP256SHA256")
}

// newSignerAlg is newSigner with keys of another algorithm
// ("RSASHA256", "ED25519", ...).
func newSignerAlg(t testing.TB, origin, alg string) *signer {
	t.Helper()
	lab.Require(t, "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	s := &signer{origin: origin, dir: t.TempDir()}
	s.ksk = tool(t, s.dir, "dnssec-keygen", "-q", "-K", s.dir, "-a", alg, "-f", "KSK", "-n", "ZONE", origin)
	s.zsk = tool(t, s.dir, "dnssec-keygen", "-q", "-K", s.dir, "-a", alg, "-n", "ZONE", origin)
	return s
}

// keys are the signer's DNSKEY records (zone file lines).
func (s *signer) keys(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, k := range []string{s.ksk, s.zsk} {
		b, err := os.ReadFile(filepath.Join(s.dir, k+".key"))
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

// zskTag is the key tag of the signer's ZSK (from its file name).
func (s *signer) zskTag() string {
	return strings.TrimLeft(s.zsk[strings.LastIndex(s.zsk, "+")+1:], "0")
}

// kskTag is the key tag of the signer's KSK (from its file name).
func (s *signer) kskTag() string {
	return strings.TrimLeft(s.ksk[strings.LastIndex(s.ksk, "+")+1:], "0")
}

// ds is the DS RDATA of the signer's KSK as dnssec-dsfromkey computes it
// (digest "1", "2" or "4"), independent of the code under test.
func (s *signer) ds(t testing.TB, digest string) string {
	t.Helper()
	out := tool(t, s.dir, "dnssec-dsfromkey", "-a", map[string]string{"1": "SHA-1", "2": "SHA-256", "4": "SHA-384"}[digest], filepath.Join(s.dir, s.ksk+".key"))
	rr, err := dns.NewRR(out)
	if err != nil {
		t.Fatalf("dnssec-dsfromkey output %q: %v", out, err)
	}
	ds := rr.(*dns.DS)
	return strings.TrimPrefix(ds.String(), ds.Hdr.String())
}

// signOpts change how a zone is signed.
type signOpts struct {
	nsec3      bool
	start, end string   // dnssec-signzone -s / -e (default: now-1h, +30 days)
	extraKeys  []string // other providers' DNSKEY records to publish (RFC 8901)
}

// sign returns text with the signer's DNSKEYs and extraKeys added, signed
// by the signer's KSK and ZSK only.
func (s *signer) sign(t testing.TB, text string, o signOpts) string {
	t.Helper()
	dir := t.TempDir()
	zf := filepath.Join(dir, "zone")
	all := text + "\n" + strings.Join(append(s.keys(t), o.extraKeys...), "\n") + "\n"
	if err := os.WriteFile(zf, []byte(all), 0o644); err != nil {
		t.Fatal(err)
	}
	start, end := o.start, o.end
	if start == "" {
		start = "now-3600"
	}
	if end == "" {
		end = "now+2592000"
	}
	args := []string{"-q", "-P", "-K", s.dir, "-o", s.origin, "-f", zf + ".signed", "-s", start, "-e", end}
	if o.nsec3 {
		args = append(args, "-3", "-")
	}
	args = append(args, zf, filepath.Join(s.dir, s.ksk), filepath.Join(s.dir, s.zsk))
	tool(t, dir, "dnssec-signzone", args...)
	b, err := os.ReadFile(zf + ".signed")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// tool runs a BIND tool in dir and returns its trimmed standard output.
func tool(t testing.TB, dir, name string, args ...string) string {
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
