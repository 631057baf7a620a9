package redact

// This file holds InPublic and Public: a secret that stands in text a run
// shows anyway (a zone's name, a file's path, a record), which a run
// refuses before it sends or prints anything.

import (
	"iter"
	"strings"
)

// InPublic is the index of the first of secrets whose masking would
// change one of texts, text a run shows anyway (a zone's name, a file's
// path, a record), or -1: a form of the secret, or a piece of one
// (MinCut characters), stands in it, in any letter case or decoded
// layer, as Replace finds it. Where the mask falls would then say what
// the secret is (with PDNS_API_KEY set to "acme", zones/acme.test.zone
// is shown as zones/***.test.zone, next to the zone acme.test. named in
// the config), so a run refuses such a secret before it sends or prints
// anything, as it refuses one TooShort. The texts are read once, with
// every secret at a time. For many sets of texts (every zone of a run),
// NewPublic once and Public.In for each.
func InPublic(secrets []string, texts iter.Seq[string]) int {
	return NewPublic(secrets).In(texts)
}

// Public finds secrets in text a run shows anyway (InPublic). Every form
// of the secrets (NewPublic) and what finds them (the first In) are made
// once: a run asks about every zone it loads, and making them (each secret in
// every form and case, their matcher) costs far more than reading a
// small zone's texts. In may be called from several goroutines at once.
type Public struct {
	secrets []string
	all     *Secrets
}

// NewPublic is the Public of secrets.
func NewPublic(secrets []string) *Public {
	all := &Secrets{}
	for _, v := range secrets {
		all.Add(v)
	}
	return &Public{secrets: secrets, all: all}
}

// In is InPublic's index of the first of p's secrets that stands in one
// of texts, or -1.
//
// The texts are read one after another, a quote between two (which
// inPublic reads across), in one pass: a secret that stands in one of
// them stands there, and one split across texts a run shows one after
// another (the TXT records of one name, a record and the next name),
// each piece under MinCut, stands in them as much as a whole one.
func (p *Public) In(texts iter.Seq[string]) int {
	if p == nil || p.all.Len() == 0 {
		return -1
	}
	var joined strings.Builder
	for t := range texts {
		if joined.Len() > 0 {
			joined.WriteByte('"')
		}
		joined.WriteString(t)
	}
	return p.which(joined.String())
}

// which is the index of the first of p's secrets that stands in t
// (inPublic), or -1.
func (p *Public) which(t string) int {
	if !p.all.inPublic(t) {
		return -1
	}
	for i, v := range p.secrets {
		one := &Secrets{}
		if len(one.Add(v)) > 0 && one.inPublic(t) {
			return i
		}
	}
	return -1
}

// inPublic reports whether Replace would change text, or would if it
// read text across the | of Markdown table cells as ServerText does
// (withCells): a public text is short, and a secret split across cells
// of a record ("| pk_7H | q2mZ9 |") stands in it as much as a whole one.
func (s *Secrets) inPublic(text string) bool {
	m, decoded := s.finders()
	if m == nil || text == "" {
		return false
	}
	for _, b := range mark(text, m, s.cellNeedles(decoded), false) {
		if b {
			return true
		}
	}
	return false
}
