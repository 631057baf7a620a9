package route53_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/providertest"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
)

// sdkBody is the first raw string literal of a test file of the pinned
// aws-sdk-go-v2 route53 module (read from the module cache, not copied)
// that contains marker.
func sdkBody(t *testing.T, file, marker string) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-sdk-go-v2/service/route53").Output()
	if err != nil {
		t.Fatalf("locating aws-sdk-go-v2/service/route53 in the module cache: %v", err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(strings.TrimSpace(string(out)), file), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var body string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && body == "" && lit.Kind == token.STRING && strings.HasPrefix(lit.Value, "`") {
			if s, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(s, marker) {
				body = s
			}
		}
		return body == ""
	})
	if body == "" {
		t.Fatalf("no fixture with %s in the SDK's %s any more", marker, file)
	}
	return body
}

// TestSDKInvalidChangeBatchFixture: Route 53's InvalidChangeBatch answer as
// the SDK's own test records it (internal/customizations/
// custom_error_deser_test.go) reaches the push's error with Route 53's
// message, and nothing of the batch is reported applied.
func TestSDKInvalidChangeBatchFixture(t *testing.T) {
	body := sdkBody(t, "internal/customizations/custom_error_deser_test.go", "<InvalidChangeBatch")
	s := newServer(t)
	s.PendingPolls = 0
	s.AddZone("example.com", false)
	p := newProvider(t, s, keyID, secret)
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 900 SOA ns. h. 1 7200 900 1209600 86400\n@ 172800 NS ns.\nduplicate 300 A 192.0.2.1\n")
	pl := providertest.Plan(t, p, d)
	s.AddFault(r53test.Fault{Method: "POST", Path: "/rrset", Times: 1, Status: 400, Body: body})
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes)
	if err == nil || !strings.Contains(err.Error(), "Tried to create resource record set duplicate.example.com. type A, but it already exists") {
		t.Fatalf("the SDK's InvalidChangeBatch answer: %v", err)
	}
	if len(res.Applied) != 0 {
		t.Errorf("applied %d changes of a refused batch", len(res.Applied))
	}
}
