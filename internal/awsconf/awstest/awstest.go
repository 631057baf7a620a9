// Package awstest checks AWS Signature Version 4 on requests that reach a
// fake AWS API in tests: the access key must be the known one and the
// signature the one the known secret gives for the same request.
package awstest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
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
