package rfc2136

import "github.com/dnsparity/dnsparity/internal/provider"

// SetLimits sets the largest UPDATE message and the TSIG fudge (tests:
// many small messages, a short fudge).
func SetLimits(p *Provider, maxMessage int, fudge uint16) {
	p.maxMessage, p.fudge = maxMessage, fudge
}

// Batches are the changes of each UPDATE message Apply would send.
func Batches(p *Provider, origin string, cs []provider.Change) ([][]provider.Change, error) {
	bs, err := p.batches(origin, cs)
	if err != nil {
		return nil, err
	}
	out := make([][]provider.Change, len(bs))
	for i, b := range bs {
		out[i] = b.changes
	}
	return out, nil
}
