// Package r53dtest is a stand-in for the Amazon Route 53 Domains API
// (JSON 1.1: POST / with X-Amz-Target Route53Domains_v20140515.OPERATION),
// for tests: GetDomainDetail, UpdateDomainNameservers,
// AssociateDelegationSignerToDomain, DisassociateDelegationSignerFromDomain
// and GetOperationDetail with their documented request and response
// shapes and {"__type","message"} errors; SigV4 checked against the one
// key pair it knows; state kept per domain; every change an operation that
// is IN_PROGRESS for PendingPolls polls, then SUCCESSFUL (or FAILED when
// a fault says so, the change then not made).
package r53dtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/awsconf/awstest"
	"github.com/dnsparity/dnsparity/internal/fakeapi"
)

const targetPrefix = "Route53Domains_v20140515."

// Nameserver as the API shows it.
type Nameserver struct {
	Name    string   `json:"Name"`
	GlueIps []string `json:"GlueIps,omitempty"`
}

// Key is a DNSSEC key as GetDomainDetail shows it.
type Key struct {
	Algorithm  int    `json:"Algorithm"`
	Flags      int    `json:"Flags"`
	PublicKey  string `json:"PublicKey"`
	DigestType int    `json:"DigestType"`
	Digest     string `json:"Digest"`
	KeyTag     int    `json:"KeyTag"`
	ID         string `json:"Id"`
}

type domain struct {
	nameservers []Nameserver
	keys        []Key
}

type operation struct {
	id, domain, typ string
	polls           int
	fail            string // message when it is to fail
	apply           func()
	status          string
}

// Server is the fake API; put Server.URL in the registrar's url.
type Server struct {
	*httptest.Server
	AccessKeyID, SecretAccessKey string
	// PendingPolls is how many GetOperationDetail calls see IN_PROGRESS.
	PendingPolls int
	// OnPublish, when set, is called when an operation completes with the
	// domain's new state, as the registry would publish it in the parent
	// zone (tests make a lab's parent zone follow).
	OnPublish func(domain string, nameservers []Nameserver, keys []Key)

	// Kit's lock guards the state, its counters count the operations
	// (internal/fakeapi: the fakes' plumbing).
	fakeapi.Kit
	domains map[string]*domain
	ops     map[string]*operation
	nextID  int
	failOps map[string]string // operation type → failure message (once)
}

// New starts a server for this key pair.
func New(keyID, secret string) *Server {
	s := &Server{AccessKeyID: keyID, SecretAccessKey: secret, PendingPolls: 1, domains: map[string]*domain{},
		ops: map[string]*operation{}, failOps: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// AddDomain registers a domain with these nameservers.
func (s *Server) AddDomain(name string, nameservers ...string) {
	ns := make([]Nameserver, 0, len(nameservers))
	for _, n := range nameservers {
		ns = append(ns, Nameserver{Name: n})
	}
	s.AddDomainNS(name, ns...)
}

// AddDomainNS registers a domain with these nameservers and glue.
func (s *Server) AddDomainNS(name string, nameservers ...Nameserver) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.domains[strings.ToLower(name)] = &domain{nameservers: nameservers}
}

// Nameservers returns a domain's nameservers.
func (s *Server) Nameservers(name string) []Nameserver {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return append([]Nameserver(nil), s.domains[name].nameservers...)
}

// Keys returns a domain's DNSSEC keys.
func (s *Server) Keys(name string) []Key {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return append([]Key(nil), s.domains[name].keys...)
}

// FailNext makes the next operation of this type (UPDATE_NAMESERVER,
// ADD_DNSSEC, REMOVE_DNSSEC) end FAILED with msg, changing nothing.
func (s *Server) FailNext(typ, msg string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.failOps[typ] = msg
}

func fail(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Errortype", typ)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(v)
}

func decode(body []byte, v any) error { return fakeapi.Decode(bytes.NewReader(body), v) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	if r.Method != http.MethodPost || r.URL.Path != "/" || !ok {
		fail(w, http.StatusBadRequest, "UnknownOperationException", "")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		fail(w, http.StatusBadRequest, "SerializationException", "wrong Content-Type "+ct)
		return
	}
	s.Mu.Lock()
	s.Inc(op)
	s.Mu.Unlock()
	switch code, msg := awstest.Verify(r, body, s.AccessKeyID, s.SecretAccessKey, "route53domains"); code {
	case "":
	case "InvalidClientTokenId":
		fail(w, http.StatusBadRequest, "UnrecognizedClientException", msg)
		return
	case "SignatureDoesNotMatch":
		fail(w, http.StatusBadRequest, "InvalidSignatureException", msg)
		return
	default:
		fail(w, http.StatusBadRequest, code, msg)
		return
	}
	s.Mu.Lock()
	defer s.Mu.Unlock()
	switch op {
	case "GetDomainDetail":
		var in struct{ DomainName string }
		if err := decode(body, &in); err != nil {
			fail(w, http.StatusBadRequest, "SerializationException", err.Error())
			return
		}
		d := s.domains[in.DomainName]
		if d == nil {
			fail(w, http.StatusBadRequest, "InvalidInput", "Domain "+in.DomainName+" not found in account")
			return
		}
		reply(w, map[string]any{"DomainName": in.DomainName, "Nameservers": d.nameservers, "DnssecKeys": d.keys,
			"AutoRenew": true, "RegistrarName": "Amazon Registrar, Inc.", "StatusList": []string{"clientTransferProhibited"}})
	case "UpdateDomainNameservers":
		var in struct {
			DomainName  string
			Nameservers []Nameserver
			FIAuthKey   string
		}
		if err := decode(body, &in); err != nil {
			fail(w, http.StatusBadRequest, "SerializationException", err.Error())
			return
		}
		d := s.domains[in.DomainName]
		if d == nil {
			fail(w, http.StatusBadRequest, "InvalidInput", "Domain "+in.DomainName+" not found in account")
			return
		}
		if len(in.Nameservers) == 0 || len(in.Nameservers) > 6 {
			fail(w, http.StatusBadRequest, "InvalidInput", "between 1 and 6 nameservers are required")
			return
		}
		for _, ns := range in.Nameservers {
			if strings.HasSuffix(ns.Name, ".") {
				fail(w, http.StatusBadRequest, "InvalidInput", "nameserver "+ns.Name+": names are written without a final dot")
				return
			}
			if _, ok := dns.IsDomainName(ns.Name); !ok {
				fail(w, http.StatusBadRequest, "InvalidInput", "nameserver "+ns.Name+" is not a host name")
				return
			}
			inZone := ns.Name == in.DomainName || strings.HasSuffix(ns.Name, "."+in.DomainName)
			if inZone != (len(ns.GlueIps) > 0) {
				fail(w, http.StatusBadRequest, "InvalidInput", "glue IPs are required for, and only for, nameservers inside the domain ("+ns.Name+")")
				return
			}
		}
		s.operation(w, in.DomainName, "UPDATE_NAMESERVER", func() { d.nameservers = in.Nameservers })
	case "AssociateDelegationSignerToDomain":
		var in struct {
			DomainName        string
			SigningAttributes struct {
				Algorithm int
				Flags     int
				PublicKey string
			}
		}
		if err := decode(body, &in); err != nil {
			fail(w, http.StatusBadRequest, "SerializationException", err.Error())
			return
		}
		d := s.domains[in.DomainName]
		if d == nil {
			fail(w, http.StatusBadRequest, "InvalidInput", "Domain "+in.DomainName+" not found in account")
			return
		}
		a := in.SigningAttributes
		if a.Flags != 257 && a.Flags != 256 {
			fail(w, http.StatusBadRequest, "InvalidInput", fmt.Sprintf("Flags %d: must be 257 (KSK) or 256 (ZSK)", a.Flags))
			return
		}
		key := &dns.DNSKEY{Hdr: dns.RR_Header{Name: dns.Fqdn(in.DomainName), Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET},
			Flags: uint16(a.Flags), Protocol: 3, Algorithm: uint8(a.Algorithm), PublicKey: a.PublicKey}
		ds := key.ToDS(dns.SHA256)
		if ds == nil {
			fail(w, http.StatusBadRequest, "InvalidInput", "PublicKey is not a valid key for algorithm")
			return
		}
		for _, k := range d.keys {
			if k.PublicKey == a.PublicKey {
				fail(w, http.StatusBadRequest, "DnssecLimitExceeded", "the key is already associated")
				return
			}
		}
		s.nextID++
		k := Key{Algorithm: a.Algorithm, Flags: a.Flags, PublicKey: a.PublicKey, DigestType: 2, Digest: ds.Digest, KeyTag: int(ds.KeyTag), ID: fmt.Sprintf("key-%d", s.nextID)}
		s.operation(w, in.DomainName, "ADD_DNSSEC", func() { d.keys = append(d.keys, k) })
	case "DisassociateDelegationSignerFromDomain":
		var in struct{ DomainName, Id string }
		if err := decode(body, &in); err != nil {
			fail(w, http.StatusBadRequest, "SerializationException", err.Error())
			return
		}
		d := s.domains[in.DomainName]
		if d == nil {
			fail(w, http.StatusBadRequest, "InvalidInput", "Domain "+in.DomainName+" not found in account")
			return
		}
		found := false
		for _, k := range d.keys {
			found = found || k.ID == in.Id
		}
		if !found {
			fail(w, http.StatusBadRequest, "InvalidInput", "no DNSSEC key with id "+in.Id)
			return
		}
		s.operation(w, in.DomainName, "REMOVE_DNSSEC", func() {
			for i, k := range d.keys {
				if k.ID == in.Id {
					d.keys = append(d.keys[:i], d.keys[i+1:]...)
					return
				}
			}
		})
	case "GetOperationDetail":
		var in struct{ OperationId string }
		if err := decode(body, &in); err != nil {
			fail(w, http.StatusBadRequest, "SerializationException", err.Error())
			return
		}
		o := s.ops[in.OperationId]
		if o == nil {
			fail(w, http.StatusBadRequest, "InvalidInput", "no operation "+in.OperationId)
			return
		}
		o.polls++
		msg := ""
		if o.status == "IN_PROGRESS" && o.polls > s.PendingPolls {
			if o.fail != "" {
				o.status, msg = "FAILED", o.fail
			} else {
				o.apply()
				o.status = "SUCCESSFUL"
				if d := s.domains[o.domain]; d != nil && s.OnPublish != nil {
					s.OnPublish(o.domain, append([]Nameserver(nil), d.nameservers...), append([]Key(nil), d.keys...))
				}
			}
		}
		reply(w, map[string]any{"OperationId": o.id, "Status": o.status, "Message": msg, "DomainName": o.domain, "Type": o.typ,
			"SubmittedDate": float64(time.Now().Unix())})
	default:
		fail(w, http.StatusBadRequest, "UnknownOperationException", "operation "+op+" is not modelled by this fake")
	}
}

// operation starts an operation; s.mu is held.
func (s *Server) operation(w http.ResponseWriter, domain, typ string, apply func()) {
	s.nextID++
	o := &operation{id: fmt.Sprintf("op-%08d", s.nextID), domain: domain, typ: typ, apply: apply, status: "IN_PROGRESS", fail: s.failOps[typ]}
	delete(s.failOps, typ)
	s.ops[o.id] = o
	reply(w, map[string]string{"OperationId": o.id})
}
