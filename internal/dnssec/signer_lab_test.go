package dnssec_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab/labsign"
)

// signer is one provider's key pair for a zone: labsign's independent
// signer (BIND's dnssec-keygen and dnssec-signzone), under this package's
// names.
type signer struct{ *labsign.Signer }

func newSigner(t testing.TB, origin string) *signer { return &signer{labsign.New(t, origin)} }

// newSignerAlg is newSigner with keys of another algorithm
// ("RSASHA256", "ED25519", ...).
func newSignerAlg(t testing.TB, origin, alg string) *signer {
	return &signer{labsign.NewAlg(t, origin, alg)}
}

func (s *signer) keys(t testing.TB) []string            { return s.Keys(t) }
func (s *signer) zskTag() string                        { return s.ZSKTag() }
func (s *signer) kskTag() string                        { return s.KSKTag() }
func (s *signer) ds(t testing.TB, digest string) string { return s.DS(t, digest) }

// signOpts change how a zone is signed (labsign.Opts).
type signOpts struct {
	nsec3      bool
	start, end string
	extraKeys  []string
}

func (s *signer) sign(t testing.TB, text string, o signOpts) string {
	return s.Sign(t, text, labsign.Opts{NSEC3: o.nsec3, Start: o.start, End: o.end, ExtraKeys: o.extraKeys})
}

// tool runs a BIND tool in dir and returns its trimmed standard output.
func tool(t testing.TB, dir, name string, args ...string) string {
	return labsign.Tool(t, dir, name, args...)
}
