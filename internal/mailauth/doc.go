// Package mailauth parses and checks mail authentication records: SPF
// (RFC 7208: the grammar, lookup counting to the 10-lookup and 2-void
// limits of §4.6.4, include and redirect loops, the costliest chain), DKIM key records
// (RFC 6376 §3.6.1) and DMARC records (RFC 7489). Parity evaluates both
// providers' records with it.
//
// It asks no server itself: the caller supplies the lookups (Resolver),
// and FromAnswer reduces an answer of internal/query to what the checks
// use. README.md lists every rule and the RFC section it comes from.
package mailauth
