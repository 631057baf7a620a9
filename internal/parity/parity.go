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
	"net/netip"
	"sort"
	"time"

	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Severity of a finding.
const (
	SevError   = "error"   // a resolver or a mail server would see a difference
	SevWarning = "warning" // e.g. a TTL
	SevInfo    = "info"    // cosmetic, e.g. a TXT split at other points
)

// Target is one nameserver of a side: host:port (port 53 when omitted); a
// host name is looked up through Options.Resolver, never the system
// resolver (without one it is an error), and every address is asked.
type Target struct {
	Addr string
}

// Targets are the servers addrs as Run takes them.
func Targets(addrs []string) []Target {
	out := make([]Target, len(addrs))
	for i, a := range addrs {
		out[i] = Target{Addr: a}
	}
	return out
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
	// compared as well. A side that gives no complete transfer makes the
	// run an *AXFRError: what was asked for could not be checked.
	AXFR             bool
	OldTSIG, NewTSIG *TSIG
	// AXFRLimits bound each transfer (zero: internal/transfer's defaults).
	AXFRLimits transfer.Limits
	// Subnets are the client subnets (vantage points) from which every
	// client-dependent question is asked again, with an EDNS Client
	// Subnet option (RFC 7871), of every server of both sides: the names
	// in ClientDependent, and every name whose answer depends on the
	// subnet in a first probe (each question asked of each side's first
	// server with the first two subnets: a scope prefix over 0, or an
	// answer that differs between them or from the plain answer). Empty:
	// no ECS queries.
	Subnets []Subnet
	// ClientDependent are owner names known to answer by the client
	// (provider features: geo, latency, weighted records); with Subnets
	// they are asked per subnet without waiting for the first probe.
	ClientDependent []string
	// NoIPv6 leaves the servers' IPv6 addresses out on purpose
	// (policy.delegation.ipv6: false, set by FromConfig): each is a
	// not-asked warning, nothing is proven about it. A server this
	// machine has no route to is never left out silently: the run stops
	// naming it (see fromHere).
	NoIPv6 bool
	// Features, when set (FromConfig: the config's old and new providers
	// that report provider-only features), is asked for the zone's
	// features at the start of each run: each is a provider-feature
	// warning, and its owner name is client-dependent (added to
	// ClientDependent for that run).
	Features *Features
	// Queries is a query log (dnstap or BIND query-log text) whose
	// questions are asked too (in the zone only; with their logged
	// client subnet as ECS when the log has one); MaxQueries bounds its
	// distinct questions (default DefaultMaxQueries).
	Queries    string
	MaxQueries int
	// Progress, when set, is shown the run's work (nil: nothing): a task
	// named after the zone for its questions, of questions × servers
	// answers (progress.StartUnits), then a task for each stage after
	// them, named "ZONE: client subnets: first probe", "ZONE: client
	// subnets: eu (192.0.2.0/24)", of its own questions × servers. The
	// answers are counted lock-free; a ticker passes the count to the
	// task every ProgressEvery (default a second; tests set it), never
	// once per answer.
	// The last task ends before the mail and DNSSEC checks, failed
	// (progress.End) when the run was interrupted or could not compare.
	Progress      progress.Progress
	ProgressEvery time.Duration
	// TTLAbove, when over 0, makes Run report (Report.TTLsAbove) every
	// RRset a server served with a TTL above it, read from the answers
	// the run compares (nothing is asked for it): the cutover's TTL gates
	// set policy.prestage_ttl.
	TTLAbove uint32
	// Engine, when set, is shared by the runs of many zones: its socket
	// pools and rate limit replace the run's own (Rate and Concurrency
	// are the engine's).
	Engine *Engine
}

// Subnet is a client subnet parity asks from, and the region it stands
// for in reports ("eu"; may be empty).
type Subnet struct {
	Prefix netip.Prefix
	Region string
}

// String is "eu (192.0.2.0/24)", or the prefix alone without a region.
func (s Subnet) String() string {
	if s.Region == "" {
		return s.Prefix.String()
	}
	return s.Region + " (" + s.Prefix.String() + ")"
}

// DefaultMaxQueries bounds the distinct questions replayed from a query
// log when Options.MaxQueries is 0.
const DefaultMaxQueries = 100000

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
	// lame, cname-hop, flattened, wildcard, dname, extra, referral, glue, soa, ns,
	// spf-lookups, spf-void, spf-permerror, spf-unknown, spf, dkim, dmarc,
	// mta-sts, tlsrpt, dane,
	// disagree-within-provider, git-drift, failure, dnssec, ecs,
	// provider-feature, not-asked, udp-size, denial; check (the zone file
	// fails check, from the CLI).
	Kind   string `json:"kind"`
	Old    string `json:"old"`
	New    string `json:"new"`
	Detail string `json:"detail"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	// Subnet and Region: the client subnet (and its region, when named)
	// an ECS probe asked from, for a difference seen from there.
	Subnet string `json:"subnet,omitempty"`
	Region string `json:"region,omitempty"`
	// NSIDOld, NSIDNew: the node (RFC 5001 NSID) that gave the old and
	// the new answer, when the servers send one ("one of a, b" when the
	// answer equals git's and the server's nodes were several).
	NSIDOld string `json:"nsid_old,omitempty"`
	NSIDNew string `json:"nsid_new,omitempty"`
	// Git is what the zone file says (presentation text), for reports.
	Git string `json:"-"`

	// group is what aggregation groups by besides Kind (a server).
	group string
	// about is the RRset ("owner TYPE") an old/new difference is in, and
	// core its detail without notes: a difference in a CNAME chain's
	// target is reported once, not once per name whose chain reaches it.
	about, core string
	// rule is what git's answer to a replayed question rests on ("the
	// wildcard *.cdn.example.com."): replayed findings are grouped by it.
	rule string
	// cause is why a flattened CNAME's finding is given (flatten.go):
	// oneFindingPerCause reports each once per name.
	cause string
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
	Zone string `json:"zone"`
	// Error says why the run did not complete (exit 2): a server that
	// does not answer, an interrupted run (the findings then cover what
	// was compared). Before the findings, as plan's: errors first.
	Error    string    `json:"error,omitempty"`
	Findings []Finding `json:"findings"`
	Queries  int       `json:"queries"`
	Seconds  float64   `json:"seconds"`

	// Partial: the run was interrupted; Compared of the questions were
	// compared.
	Partial  bool `json:"partial,omitempty"`
	Compared int  `json:"compared,omitempty"`
	// Replayed is set when a query log was replayed.
	Replayed *Replayed `json:"replayed,omitempty"`

	File       string   `json:"-"`
	OldServers []string `json:"-"`
	NewServers []string `json:"-"`
	// TTLsAbove is what the servers served above Options.TTLAbove (nil
	// without it).
	TTLsAbove *TTLsAbove `json:"-"`
}

// Replayed says what a query log added: Questions, the distinct logged
// questions asked (name case kept; with their client subnet when
// logged); OutsideZone, those of them at names the zone file does not
// have; Logged, the queries for the zone the log held; OverLimit, the
// queries among them whose question was left out past the bound.
type Replayed struct {
	Questions   int `json:"questions"`
	OutsideZone int `json:"outside_zone"`
	Logged      int `json:"logged"`
	OverLimit   int `json:"over_limit,omitempty"`
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
