// Package parity proves that the old and the new provider's authoritative
// nameservers answer a zone identically. It asks every question a resolver
// can ask about the zone (every owner and type, a type each owner lacks, a
// random label under the apex, every wildcard and every empty non-terminal)
// of every nameserver address of both sides, classifies and normalizes the
// answers, and compares them three ways: old vs new, and each side vs the
// zone file in git. Mail records get extra checks (SPF lookup counting,
// DKIM key parsing, DMARC).
package parity

import (
	"fmt"
	"sort"
	"time"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Severity of a finding.
const (
	SevError   = "error"   // a resolver or a mail server would see a difference
	SevWarning = "warning" // e.g. a TTL
	SevInfo    = "info"    // cosmetic, e.g. a TXT split at other points
)

// Target is one nameserver of a side: host:port (port 53 when omitted); a
// host name is resolved through the system resolver and every address is
// asked.
type Target struct {
	Addr string
}

// Options tune a run.
type Options struct {
	// Rate limits queries per second over all servers; 0 means unlimited.
	Rate float64
	// Concurrency is the number of queries in flight per server (default 32).
	Concurrency int
	// Timeout per try (default 2s); Retries after the first try (default 2).
	Timeout time.Duration
	Retries int
	// Resolver (ADDR or ADDR:PORT, an IP address: never a name) answers
	// out-of-zone SPF includes; empty: they are reported as unknown.
	// Public servers are never asked otherwise.
	Resolver string
	// Label is the random label used for NXDOMAIN/wildcard probes; empty:
	// a fresh random one.
	Label string
	// AXFR transfers the zone from each side (its first server that
	// allows it, signed with OldTSIG/NewTSIG when set) and asks every
	// (owner, type) found there too, so records absent from git are
	// compared as well. A refused transfer is an info finding.
	AXFR             bool
	OldTSIG, NewTSIG *TSIG
	// Progress, when set, is called about every ProgressEvery (default
	// 250ms) while the questions are asked, and once when they are all
	// answered (from a goroutine of the run; it must not block).
	Progress      func(Progress)
	ProgressEvery time.Duration
	// Engine, when set, is shared by the runs of many zones: its socket
	// pools and rate limit replace the run's own (Rate and Concurrency
	// are the engine's).
	Engine *Engine
}

// Progress is how far a run has come.
type Progress struct {
	// Questions is the number of questions (each asked of every server);
	// Answered counts (question, server) pairs answered so far, of
	// Questions × Servers.
	Questions, Servers, Answered int
	// Queries is the number of messages sent so far; Elapsed the time
	// since the run started.
	Queries int
	Elapsed time.Duration
}

// Done is the share of the work done (0..1).
func (p Progress) Done() float64 {
	if p.Questions*p.Servers == 0 {
		return 0
	}
	return float64(p.Answered) / float64(p.Questions*p.Servers)
}

// ETA estimates the time left from the rate so far (0 when unknown).
func (p Progress) ETA() time.Duration {
	d := p.Done()
	if d <= 0 || d >= 1 {
		return 0
	}
	return time.Duration(float64(p.Elapsed) * (1 - d) / d)
}

// TSIG is a key that signs zone transfers.
type TSIG struct {
	Name      string // "transfer-key."
	Algorithm string // "hmac-sha256" (default)
	Secret    string // base64
}

func (o *Options) defaults() {
	if o.Concurrency <= 0 {
		o.Concurrency = 32
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
}

// Finding is one difference.
type Finding struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Severity string `json:"severity"`
	// Kind is a short stable slug: missing, rdata, ttl, txt-split, rcode,
	// lame, cname-hop, wildcard, dname, extra, referral, glue, soa, ns,
	// spf-lookups, spf-void, spf-permerror, spf-unknown, dkim, dmarc,
	// disagree-within-provider, git-drift, failure, axfr, dnssec; check
	// (the zone file fails check, from the CLI).
	Kind   string `json:"kind"`
	Old    string `json:"old"`
	New    string `json:"new"`
	Detail string `json:"detail"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	// Git is what the zone file says (presentation text), for reports.
	Git string `json:"-"`

	// group is what aggregation groups by besides Kind (a server).
	group string
	// about is the RRset ("owner TYPE") an old/new difference is in, and
	// core its detail without notes: a difference in a CNAME chain's
	// target is reported once, not once per name whose chain reaches it.
	about, core string
}

// Pos is the finding's file:line ("" when none).
func (f Finding) Pos() string {
	if f.File == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}

// Report is the result of a run for one zone.
type Report struct {
	Zone     string    `json:"zone"`
	Findings []Finding `json:"findings"`
	Queries  int       `json:"queries"`
	Seconds  float64   `json:"seconds"`

	// Error says why the run did not complete (exit 2): a server that
	// does not answer, an interrupted run (the findings then cover what
	// was compared).
	Error string `json:"error,omitempty"`
	// Partial: the run was interrupted; Compared of the questions were
	// compared.
	Partial  bool `json:"partial,omitempty"`
	Compared int  `json:"compared,omitempty"`

	File       string   `json:"-"`
	OldServers []string `json:"-"`
	NewServers []string `json:"-"`
}

// Count returns the number of findings of a severity.
func (r *Report) Count(sev string) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == sev {
			n++
		}
	}
	return n
}

// OK reports whether parity holds: no error finding.
func (r *Report) OK() bool { return r.Count(SevError) == 0 }

// QPS is the query rate of the run.
func (r *Report) QPS() float64 {
	if r.Seconds <= 0 {
		return 0
	}
	return float64(r.Queries) / r.Seconds
}

var sevRank = map[string]int{SevError: 0, SevWarning: 1, SevInfo: 2}

// SortFindings puts errors first, then warnings, then info; within a
// severity by name (canonical order), type, kind.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if sevRank[a.Severity] != sevRank[b.Severity] {
			return sevRank[a.Severity] < sevRank[b.Severity]
		}
		if a.Name != b.Name {
			return zone.CompareNames(a.Name, b.Name) < 0
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Kind < b.Kind
	})
}
