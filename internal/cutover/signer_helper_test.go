package cutover

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab/labsign"
)

// signer is a KSK and a ZSK made by dnssec-keygen, signing with
// dnssec-signzone: the lab's independent signer (labsign).
type signer struct{ *labsign.Signer }

func newSigner(t *testing.T, origin string) *signer { return &signer{labsign.New(t, origin)} }

func (s *signer) keys(t *testing.T) []string { return s.Keys(t) }

func (s *signer) ds(t *testing.T) string { return s.DS(t, "2") }

// sign adds the signer's keys and extra (another provider's) and signs
// with the signer's own keys only.
func (s *signer) sign(t *testing.T, text string, extra []string) string {
	return s.Sign(t, text, labsign.Opts{ExtraKeys: extra})
}

// keyTags are the key tags of the signers' KSKs and ZSKs, sorted.
func keyTags(signers ...*signer) []uint16 {
	var out []uint16
	for _, s := range signers {
		for _, tag := range []string{s.KSKTag(), s.ZSKTag()} {
			n, err := strconv.Atoi(tag)
			if err != nil {
				panic(err)
			}
			out = append(out, uint16(n))
		}
	}
	slices.Sort(out)
	return out
}

// msZone is side's (old or new) example.test. of the signed-zone lab
// tests, unsigned: apex NS ns1.<side>, ns1.old and ns1.new at ip["old"]
// and ip["new"], www, MX, TTL 2.
func msZone(side string, ip map[string]string) string {
	return fmt.Sprintf("$ORIGIN example.test.\n$TTL 2\n@ SOA ns1.%s.example.test. h.example.test. 1 60 60 1209600 2\n@ NS ns1.%s.example.test.\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.80\nwww AAAA 2001:db8::80\n@ MX 10 mail\nmail A 192.0.2.25\n",
		side, side, ip["old"], ip["new"])
}
