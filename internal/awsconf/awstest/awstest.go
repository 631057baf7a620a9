// Package awstest is what the fake AWS APIs of the tests share: Verify
// checks AWS Signature Version 4 on a request (the access key must be the
// known one and the signature the one the known secret gives for the same
// request), and STS is a fake AWS STS for web identity.
package awstest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var credRE = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$`)

// Verify checks r (whose body was read into body) against the key pair
// for service. It returns "" when the signature holds, else the error code
// AWS answers with (MissingAuthenticationToken, InvalidClientTokenId,
// IncompleteSignature, SignatureDoesNotMatch) and its message.
func Verify(r *http.Request, body []byte, keyID, secret, service string) (code, msg string) {
	m := credRE.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return "MissingAuthenticationToken", "Request is missing Authentication Token"
	}
	if m[1] != keyID {
		return "InvalidClientTokenId", "The security token included in the request is invalid."
	}
	if m[4] != service {
		return "IncompleteSignature", "Credential should be scoped to correct service: '" + service + "'."
	}
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return "IncompleteSignature", "X-Amz-Date is missing or malformed"
	}
	clone, err := http.NewRequestWithContext(context.Background(), r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return "IncompleteSignature", err.Error()
	}
	for _, h := range strings.Split(m[5], ";") {
		if h == "host" {
			continue
		}
		for _, v := range r.Header.Values(h) {
			clone.Header.Add(h, v)
		}
	}
	clone.ContentLength = r.ContentLength
	sum := sha256.Sum256(body)
	err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret},
		clone, hex.EncodeToString(sum[:]), service, m[3], when)
	if err != nil {
		return "IncompleteSignature", err.Error()
	}
	if got := credRE.FindStringSubmatch(clone.Header.Get("Authorization")); got == nil || got[6] != m[6] {
		return "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."
	}
	return "", ""
}

// STS is a fake AWS STS that answers AssumeRoleWithWebIdentity (the
// query protocol: a form POST, an XML answer; "AssumeRoleWithWebIdentity",
// AWS STS API Reference) for one role and one token, as GitHub's OIDC
// token or an EKS service account token reaches STS: the answer holds the
// temporary key pair and session token given here, and an
// InvalidIdentityToken error answers another role or token. The call is
// not signed (the token is the proof), so the fake checks no signature.
type STS struct {
	*httptest.Server
	RoleARN, Token               string
	AccessKeyID, SecretAccessKey string
	SessionToken                 string
	calls                        atomic.Int32
	mu                           sync.Mutex
	sessionName                  string
}

// NewSTS starts a fake STS; Close it when done.
func NewSTS(roleARN, token, keyID, secret, session string) *STS {
	s := &STS{RoleARN: roleARN, Token: token, AccessKeyID: keyID, SecretAccessKey: secret, SessionToken: session}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Calls counts the requests.
func (s *STS) Calls() int { return int(s.calls.Load()) }

// SessionName is the RoleSessionName of the last request.
func (s *STS) SessionName() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessionName
}

func (s *STS) serve(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	f := r.PostForm
	s.mu.Lock()
	s.sessionName = f.Get("RoleSessionName")
	s.mu.Unlock()
	if f.Get("Action") != "AssumeRoleWithWebIdentity" || f.Get("Version") != "2011-06-15" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>unknown action</Message></Error></ErrorResponse>`)
		return
	}
	if f.Get("RoleArn") != s.RoleARN || f.Get("WebIdentityToken") != s.Token || f.Get("RoleSessionName") == "" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Couldn't retrieve verification key from your identity provider</Message></Error></ErrorResponse>`)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>repo:dnsparity/zones:ref:refs/heads/main</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser><Arn>%s/%s</Arn><AssumedRoleId>AROAEXAMPLE:%s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <SessionToken>%s</SessionToken>
      <SecretAccessKey>%s</SecretAccessKey>
      <Expiration>%s</Expiration>
      <AccessKeyId>%s</AccessKeyId>
    </Credentials>
    <Provider>token.actions.githubusercontent.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>fake-sts</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`, s.RoleARN, f.Get("RoleSessionName"), f.Get("RoleSessionName"), s.SessionToken, s.SecretAccessKey,
		time.Now().Add(time.Hour).UTC().Format(time.RFC3339), s.AccessKeyID)
}
