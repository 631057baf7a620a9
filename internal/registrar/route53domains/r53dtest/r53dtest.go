// Package r53dtest is a stand-in for the Amazon Route 53 Domains API
// (JSON 1.1: POST / with X-Amz-Target Route53Domains_v20140515.OPERATION),
// for tests: GetDomainDetail, UpdateDomainNameservers,
// AssociateDelegationSignerToDomain, DisassociateDelegationSignerFromDomain
// GetOperationDetail, ListOperations and DeleteDomain with their
// documented request and response shapes and {"__type","message"} errors; SigV4 checked against
// the one key pair it knows; state kept per domain; every change an
// operation that is SUBMITTED, then IN_PROGRESS for PendingPolls polls of
// it, then SUCCESSFUL (or FAILED when a fault says so, the change then not
// made). What the API reference documents and the fake enforces:
// UpdateDomainNameservers answers DuplicateRequest ("The request is
// already in progress for the domain") while an earlier one is not
// complete; a Nameserver's GlueIps hold one IPv4 and one IPv6 address at
// most, and only for a name inside the domain; ListOperations filters by
// Status and Type and pages with MaxItems (default 20) and
// NextPageMarker.
package r53dtest

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"sort"
	"strconv"
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
	// statuses are its EPP status codes (GetDomainDetail's StatusList);
	// nil: clientTransferProhibited, the transfer lock a registration
	// gets by default.
	statuses []string
}

type operation struct {
	id, domain, typ string
	polls           int
	fail            string // message when it is to fail
	// errored: it ends ERROR (with fail's message), its change made when
	// applied (ErrorNext).
	errored, applied bool
	apply            func()
	status           string
	submitted        time.Time
}

// Server is the fake API; put Server.URL in the registrar's url.
type Server struct {
	*httptest.Server
	AccessKeyID, SecretAccessKey string
	// PendingPolls is how many GetOperationDetail calls see IN_PROGRESS
	// (an operation left pending for hours: a large value, lowered later).
	PendingPolls int
	// StatusFlag, when set, is what GetOperationDetail gives an operation
	// still IN_PROGRESS in StatusFlag: "Lists any outstanding operations
	// that require customer action" (PENDING_ACCEPTANCE,
	// PENDING_CUSTOMER_ACTION, PENDING_AUTHORIZATION,
	// PENDING_PAYMENT_VERIFICATION, PENDING_SUPPORT_CASE: API Reference,
	// GetOperationDetail).
	StatusFlag string
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
	failOps map[string]string  // operation type → failure message (once)
	rejects map[string]opError // X-Amz-Target operation → error answer (once)
	errOps  map[string]bool    // of failOps: ends ERROR, its change made or not
}

// New starts a server for this key pair.
func New(keyID, secret string) *Server {
	s := &Server{AccessKeyID: keyID, SecretAccessKey: secret, PendingPolls: 1, domains: map[string]*domain{},
		ops: map[string]*operation{}, failOps: map[string]string{}, errOps: map[string]bool{}, rejects: map[string]opError{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// NewTLS is New over HTTPS (httptest's certificate: put it in
// AWS_CA_BUNDLE, CertPEM), as the real endpoint answers.
func NewTLS(keyID, secret string) *Server {
	s := New(keyID, secret)
	s.Server.Close()
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	return s
}

// CertPEM is the server's certificate, PEM-encoded (NewTLS).
func (s *Server) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
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

// SetStatus sets a domain's EPP status codes as GetDomainDetail lists
// them (StatusList: e.g. clientHold for a domain suspended for an
// unverified registrant contact, pendingDelete), as the registry sets
// them.
func (s *Server) SetStatus(name string, statuses ...string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.domains[name].statuses = statuses
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

// ErrorNext makes the next operation of this type end ERROR with msg,
// its change made when applied. The API reference lists ERROR among an
// operation's statuses (GetOperationDetail, Status: "SUBMITTED |
// IN_PROGRESS | ERROR | SUCCESSFUL | FAILED",
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_domains_GetOperationDetail.html)
// without saying whether the change was made: a test chooses.
func (s *Server) ErrorNext(typ, msg string, applied bool) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.failOps[typ] = msg
	s.errOps[typ] = applied
}

// RejectNext makes the next call of op (an X-Amz-Target operation,
// UpdateDomainNameservers) answer HTTP 400 with the error typ and msg,
// changing nothing: the errors the API reference lists for it (InvalidInput,
// DuplicateRequest, OperationLimitExceeded, TLDRulesViolation,
// UnsupportedTLD, each "HTTP Status Code: 400",
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_domains_UpdateDomainNameservers.html#API_domains_UpdateDomainNameservers_Errors),
// in the JSON 1.1 error shape fail writes.
func (s *Server) RejectNext(op, typ, msg string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.rejects[op] = opError{typ, msg}
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

// opError is an error answer: HTTP 400 with {"__type","message"}.
type opError struct{ typ, msg string }

// decode reads an operation's input, refusing fields it does not document.
func decode(body []byte, v any) *opError {
	if err := fakeapi.Decode(bytes.NewReader(body), v); err != nil {
		return &opError{"SerializationException", err.Error()}
	}
	return nil
}

// operations are the operations the fake models, by X-Amz-Target (after
// the prefix): each reads its input and answers (s.Mu held).
var operations = map[string]func(*Server, []byte) (any, *opError){
	"GetDomainDetail":                        (*Server).getDomainDetail,
	"UpdateDomainNameservers":                (*Server).updateNameservers,
	"AssociateDelegationSignerToDomain":      (*Server).associateDS,
	"DisassociateDelegationSignerFromDomain": (*Server).disassociateDS,
	"GetOperationDetail":                     (*Server).getOperationDetail,
	"ListOperations":                         (*Server).listOperations,
	"DeleteDomain":                           (*Server).deleteDomain,
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// Kit.Latency: each request takes that long on its way, then is
	// counted and served (a request abandoned meanwhile still is).
	defer s.Enter()()
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
	if e := s.verify(r, body); e != nil {
		fail(w, http.StatusBadRequest, e.typ, e.msg)
		return
	}
	handle, ok := operations[op]
	if !ok {
		fail(w, http.StatusBadRequest, "UnknownOperationException", "operation "+op+" is not modelled by this fake")
		return
	}
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if e, ok := s.rejects[op]; ok {
		delete(s.rejects, op)
		fail(w, http.StatusBadRequest, e.typ, e.msg)
		return
	}
	v, e := handle(s, body)
	if e != nil {
		fail(w, http.StatusBadRequest, e.typ, e.msg)
		return
	}
	reply(w, v)
}

// verify checks the request's SigV4 signature, answering with the
// service's error types.
func (s *Server) verify(r *http.Request, body []byte) *opError {
	switch code, msg := awstest.Verify(r, body, s.AccessKeyID, s.SecretAccessKey, "route53domains"); code {
	case "":
		return nil
	case "InvalidClientTokenId":
		return &opError{"UnrecognizedClientException", msg}
	case "SignatureDoesNotMatch":
		return &opError{"InvalidSignatureException", msg}
	default:
		return &opError{code, msg}
	}
}

// domain is a domain of the account.
func (s *Server) domain(name string) (*domain, *opError) {
	d := s.domains[name]
	if d == nil {
		return nil, &opError{"InvalidInput", "Domain " + name + " not found in account"}
	}
	return d, nil
}

// domainInput reads an operation's input into in and finds the domain
// that *name, its DomainName, names.
func (s *Server) domainInput(body []byte, in any, name *string) (*domain, *opError) {
	if e := decode(body, in); e != nil {
		return nil, e
	}
	return s.domain(*name)
}

func (s *Server) getDomainDetail(body []byte) (any, *opError) {
	var in struct{ DomainName string }
	d, e := s.domainInput(body, &in, &in.DomainName)
	if e != nil {
		return nil, e
	}
	statuses := d.statuses
	if statuses == nil {
		statuses = []string{"clientTransferProhibited"}
	}
	return map[string]any{"DomainName": in.DomainName, "Nameservers": d.nameservers, "DnssecKeys": d.keys,
		"AutoRenew": true, "RegistrarName": "Amazon Registrar, Inc.", "StatusList": statuses}, nil
}

// updateNameservers: 1 to 6 host names without a final dot, glue IPs
// for, and only for, those inside the domain.
func (s *Server) updateNameservers(body []byte) (any, *opError) {
	var in struct {
		DomainName  string
		Nameservers []Nameserver
		FIAuthKey   string
	}
	d, e := s.domainInput(body, &in, &in.DomainName)
	if e != nil {
		return nil, e
	}
	for _, o := range s.ops {
		if o.domain == in.DomainName && o.typ == "UPDATE_NAMESERVER" && pending(o.status) {
			return nil, &opError{"DuplicateRequest", "The request is already in progress for the domain."}
		}
	}
	if len(in.Nameservers) == 0 || len(in.Nameservers) > 6 {
		return nil, &opError{"InvalidInput", "between 1 and 6 nameservers are required"}
	}
	for _, ns := range in.Nameservers {
		if strings.HasSuffix(ns.Name, ".") {
			return nil, &opError{"InvalidInput", "nameserver " + ns.Name + ": names are written without a final dot"}
		}
		if _, ok := dns.IsDomainName(ns.Name); !ok {
			return nil, &opError{"InvalidInput", "nameserver " + ns.Name + " is not a host name"}
		}
		inZone := ns.Name == in.DomainName || strings.HasSuffix(ns.Name, "."+in.DomainName)
		if inZone != (len(ns.GlueIps) > 0) {
			return nil, &opError{"InvalidInput", "glue IPs are required for, and only for, nameservers inside the domain (" + ns.Name + ")"}
		}
		v4, v6 := 0, 0
		for _, ip := range ns.GlueIps {
			a, err := netip.ParseAddr(ip)
			switch {
			case err != nil:
				return nil, &opError{"InvalidInput", "glue IP " + ip + " of " + ns.Name + " is not an IP address"}
			case a.Is4():
				v4++
			default:
				v6++
			}
		}
		if v4 > 1 || v6 > 1 {
			return nil, &opError{"InvalidInput", "GlueIps of " + ns.Name + ": the list can contain only one IPv4 and one IPv6 address"}
		}
	}
	return s.operation(in.DomainName, "UPDATE_NAMESERVER", func() { d.nameservers = in.Nameservers }), nil
}

// associateDS adds a KSK or ZSK, its DS digested with SHA-256.
func (s *Server) associateDS(body []byte) (any, *opError) {
	var in struct {
		DomainName        string
		SigningAttributes struct {
			Algorithm int
			Flags     int
			PublicKey string
		}
	}
	d, e := s.domainInput(body, &in, &in.DomainName)
	if e != nil {
		return nil, e
	}
	a := in.SigningAttributes
	if a.Flags != 257 && a.Flags != 256 {
		return nil, &opError{"InvalidInput", fmt.Sprintf("Flags %d: must be 257 (KSK) or 256 (ZSK)", a.Flags)}
	}
	key := &dns.DNSKEY{Hdr: dns.RR_Header{Name: dns.Fqdn(in.DomainName), Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET},
		Flags: uint16(a.Flags), Protocol: 3, Algorithm: uint8(a.Algorithm), PublicKey: a.PublicKey}
	ds := key.ToDS(dns.SHA256)
	if ds == nil {
		return nil, &opError{"InvalidInput", "PublicKey is not a valid key for algorithm"}
	}
	for _, k := range d.keys {
		if k.PublicKey == a.PublicKey {
			return nil, &opError{"DnssecLimitExceeded", "the key is already associated"}
		}
	}
	s.nextID++
	k := Key{Algorithm: a.Algorithm, Flags: a.Flags, PublicKey: a.PublicKey, DigestType: 2, Digest: ds.Digest, KeyTag: int(ds.KeyTag), ID: fmt.Sprintf("key-%d", s.nextID)}
	return s.operation(in.DomainName, "ADD_DNSSEC", func() { d.keys = append(d.keys, k) }), nil
}

// disassociateDS removes a key by its id.
func (s *Server) disassociateDS(body []byte) (any, *opError) {
	var in struct{ DomainName, Id string }
	d, e := s.domainInput(body, &in, &in.DomainName)
	if e != nil {
		return nil, e
	}
	found := false
	for _, k := range d.keys {
		found = found || k.ID == in.Id
	}
	if !found {
		return nil, &opError{"InvalidInput", "no DNSSEC key with id " + in.Id}
	}
	return s.operation(in.DomainName, "REMOVE_DNSSEC", func() {
		for i, k := range d.keys {
			if k.ID == in.Id {
				d.keys = append(d.keys[:i], d.keys[i+1:]...)
				return
			}
		}
	}), nil
}

// getOperationDetail polls an operation: IN_PROGRESS for PendingPolls
// polls, then FAILED or ERROR (a fault: FailNext, ErrorNext) or SUCCESSFUL, the change made and
// published.
func (s *Server) getOperationDetail(body []byte) (any, *opError) {
	var in struct{ OperationId string }
	if e := decode(body, &in); e != nil {
		return nil, e
	}
	o := s.ops[in.OperationId]
	if o == nil {
		return nil, &opError{"InvalidInput", "no operation " + in.OperationId}
	}
	msg := ""
	if pending(o.status) {
		o.polls++
		o.status = "IN_PROGRESS"
	}
	if o.status == "IN_PROGRESS" && o.polls > s.PendingPolls {
		if o.errored {
			if o.applied {
				o.apply()
			}
			o.status, msg = "ERROR", o.fail
		} else if o.fail != "" {
			o.status, msg = "FAILED", o.fail
		} else {
			o.apply()
			o.status = "SUCCESSFUL"
			if d := s.domains[o.domain]; d != nil && s.OnPublish != nil {
				s.OnPublish(o.domain, append([]Nameserver(nil), d.nameservers...), append([]Key(nil), d.keys...))
			}
		}
	}
	if msg == "" && (o.status == "FAILED" || o.status == "ERROR") {
		msg = o.fail
	}
	out := map[string]any{"OperationId": o.id, "Status": o.status, "Message": msg, "DomainName": o.domain, "Type": o.typ,
		"SubmittedDate": float64(o.submitted.Unix())}
	if pending(o.status) && s.StatusFlag != "" {
		out["StatusFlag"] = s.StatusFlag
	}
	return out, nil
}

func pending(status string) bool { return status == "SUBMITTED" || status == "IN_PROGRESS" }

// listOperations lists the account's operations filtered by Status,
// Type and SubmittedSince, MaxItems (default 20, at most 100) a page,
// sorted by SubmittedDate (SortBy's one value) ASC (the default) or DESC;
// NextPageMarker, given back as Marker, is the next page.
func (s *Server) listOperations(body []byte) (any, *opError) {
	var in struct {
		Marker         string
		MaxItems       int
		SortBy         string
		SortOrder      string
		Status         []string
		SubmittedSince float64
		Type           []string
	}
	if e := decode(body, &in); e != nil {
		return nil, e
	}
	if in.MaxItems == 0 {
		in.MaxItems = 20
	}
	if in.SortBy != "" && in.SortBy != "SubmittedDate" {
		return nil, &opError{"InvalidInput", "SortBy " + in.SortBy + ": the valid value is SubmittedDate"}
	}
	if in.SortOrder != "" && in.SortOrder != "ASC" && in.SortOrder != "DESC" {
		return nil, &opError{"InvalidInput", "SortOrder " + in.SortOrder + ": valid values are ASC and DESC"}
	}
	if in.MaxItems < 0 || in.MaxItems > 100 {
		return nil, &opError{"InvalidInput", "MaxItems must be between 1 and 100"}
	}
	start := 0
	if in.Marker != "" {
		n, err := strconv.Atoi(in.Marker)
		if err != nil || n < 0 {
			return nil, &opError{"InvalidInput", "Marker " + in.Marker + " is not a marker this API returned"}
		}
		start = n
	}
	var all []*operation
	for _, o := range s.ops {
		if (len(in.Status) == 0 || slices.Contains(in.Status, o.status)) && (len(in.Type) == 0 || slices.Contains(in.Type, o.typ)) &&
			float64(o.submitted.Unix()) >= in.SubmittedSince {
			all = append(all, o)
		}
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if in.SortOrder == "DESC" {
			a, b = b, a
		}
		if !a.submitted.Equal(b.submitted) {
			return a.submitted.Before(b.submitted)
		}
		return a.id < b.id
	})
	out := []map[string]any{}
	for i := start; i < len(all) && len(out) < in.MaxItems; i++ {
		o := all[i]
		out = append(out, map[string]any{"OperationId": o.id, "Status": o.status, "Type": o.typ, "DomainName": o.domain,
			"SubmittedDate": float64(o.submitted.Unix())})
	}
	res := map[string]any{"Operations": out}
	if start+len(out) < len(all) {
		res["NextPageMarker"] = strconv.Itoa(start + len(out))
	}
	return res, nil
}

// deleteDomain: {"DomainName"} → {"OperationId"}; the domain leaves the
// account when the operation completes ("This operation deletes the
// specified domain. This action is permanent.",
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_domains_DeleteDomain.html).
func (s *Server) deleteDomain(body []byte) (any, *opError) {
	var in struct{ DomainName string }
	if _, e := s.domainInput(body, &in, &in.DomainName); e != nil {
		return nil, e
	}
	return s.leave(in.DomainName, "DELETE_DOMAIN"), nil
}

// Leave starts an operation of type typ that takes the domain away from
// the account when it completes, as the API lists it (ListOperations,
// GetOperationDetail): DELETE_DOMAIN (DeleteDomain, or the console),
// TRANSFER_OUT_DOMAIN (a transfer to another registrar, requested at
// that registrar, not through this API), INTERNAL_TRANSFER_OUT_DOMAIN
// (TransferDomainToAnotherAwsAccount). It returns the operation's id.
func (s *Server) Leave(name, typ string) string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.leave(name, typ)["OperationId"]
}

func (s *Server) leave(name, typ string) map[string]string {
	return s.operation(name, typ, func() { delete(s.domains, name) })
}

// operation starts an operation and is its answer (s.Mu held).
func (s *Server) operation(domain, typ string, apply func()) map[string]string {
	s.nextID++
	o := &operation{id: fmt.Sprintf("op-%08d", s.nextID), domain: domain, typ: typ, apply: apply, status: "SUBMITTED", fail: s.failOps[typ], submitted: time.Now()}
	o.applied, o.errored = s.errOps[typ]
	delete(s.failOps, typ)
	delete(s.errOps, typ)
	s.ops[o.id] = o
	return map[string]string{"OperationId": o.id}
}
