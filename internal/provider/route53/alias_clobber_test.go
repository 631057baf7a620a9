package route53_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/push"
	"github.com/dnsparity/dnsparity/internal/report"
)

var cloudfront = &r53test.AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d111111abcdef8.cloudfront.net."}

// aliasZone is a hosted zone holding www A as an alias, w A as weighted
// sets and plain records, and git's zone with www A, one more and, with
// withW, w A.
func aliasZone(t *testing.T, withW bool) (*r53test.Server, string, *push.Target) {
	s := newServer(t)
	id := s.AddZone("example.com", false)
	s.Seed(id, r53test.RRSet{Name: "www.example.com.", Type: "A", AliasTarget: cloudfront})
	s.Seed(id, r53test.RRSet{Name: "w.example.com.", Type: "A", SetIdentifier: "blue", Weight: aws.Int64(70), TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.1")})
	s.Seed(id, r53test.RRSet{Name: "ok.example.com.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.9")})
	p := newProvider(t, s, keyID, secret)
	text := "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nwww 300 A 192.0.2.80\nok 300 A 192.0.2.9\nnew 300 A 192.0.2.10\n"
	if withW {
		text += "w 300 A 192.0.2.1\n"
	}
	d := desired(t, text)
	tg, err := push.Prepare(context.Background(), "new", p, &config.Provider{Name: "new", Type: "route53"}, d, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, id, tg
}

// TestAliasReplacedInPlan: Route 53 holds www A as an alias (and w A as
// weighted sets), which Records leaves out; git has www A and w A. The
// plan shows git's www A as a replace over the alias ("~", the alias as
// its old value), which max_change_percent counts: with 0% the push is
// refused, and nothing is sent. git's w A stays refused (Route 53 refuses
// a plain set beside a routing policy's). Before, www A was refused too,
// and a user had to delete the alias by hand, leaving www without an
// address for a while.
func TestAliasReplacedInPlan(t *testing.T) {
	s, id, tg := aliasZone(t, true)
	unsupported := map[string]string{}
	for _, u := range tg.Plan.Unsupported {
		unsupported[u.Set.Name+" "+dns.Type(u.Set.Type).String()] = u.Reason
	}
	if _, ok := unsupported["www.example.com. A"]; ok {
		t.Errorf("www A refused over the alias: %q", unsupported["www.example.com. A"])
	}
	if why := unsupported["w.example.com. A"]; !strings.Contains(why, "weighted") {
		t.Errorf("w A not refused as held by a routing policy: %q", why)
	}
	var www *plan.Change
	for i, c := range tg.Plan.Changes {
		if c.Name == "w.example.com." && c.Type == dns.TypeA {
			t.Errorf("plan %s over Route 53's weighted sets", c)
		}
		if c.Name == "www.example.com." && c.Type == dns.TypeA {
			www = &tg.Plan.Changes[i]
		}
	}
	if www == nil || www.Action != provider.Replace || www.Over == nil || www.Over.Value != "ALIAS d111111abcdef8.cloudfront.net." || www.Old != nil {
		t.Fatalf("www A: want a replace over the alias, got %+v", www)
	}
	overs := 0
	for _, c := range tg.Plan.Changes {
		if c.Over != nil {
			overs++
		}
	}
	if overs != 1 {
		t.Errorf("%d replaces over a provider-only record, want 1 (the alias)", overs)
	}
	// One of the two RRsets at the provider that the plan touches (ok A,
	// and the alias it replaces) changes its answer: 50%.
	if got := tg.Plan.Percent(); got != 50 {
		t.Errorf("percent %v, want 50 (the alias replaced, of ok A and the alias)", got)
	}
	entries, _ := push.Check([]*push.Target{tg}, plan.Policy{MaxChangePercent: 0})
	var text bytes.Buffer
	report.WritePlanText(&text, entries)
	for _, want := range []string{"~ www.example.com. A", "[alias] ALIAS d111111abcdef8.cloudfront.net.", "-> 300 192.0.2.80", "replaces the provider's alias record", "max_change_percent"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("plan text lacks %q:\n%s", want, text.String())
		}
	}
	j := report.ToJSON(entries)
	found := false
	for _, c := range j.Plans[0].Changes {
		if c.Name == "www.example.com." && c.Action == "replace" && c.Old == nil && c.Over != nil && c.Over.Feature == "alias" {
			found = true
		}
	}
	if !found {
		t.Errorf("JSON: no replace of www A over the alias: %+v", j.Plans[0].Changes)
	}
	if len(s.Batches) != 0 {
		t.Errorf("a plan sent %d change batches", len(s.Batches))
	}
	for _, set := range s.Sets(id) {
		if set.Name == "www.example.com." && set.AliasTarget == nil {
			t.Errorf("alias changed by a plan: %+v", set)
		}
	}
}

// TestAliasReplacedAtomically: the push of that plan (w A refused, so
// without it) sends ONE change batch at www: the DELETE of the alias
// exactly as listed (Route 53 deletes only a set given with all its
// values) and the CREATE of git's set. Route 53 applies a batch whole or
// not at all, so www never goes without an A answer. A second plan is
// empty.
func TestAliasReplacedAtomically(t *testing.T) {
	s, id, tg := aliasZone(t, false) // without git's w A (refused beside the weighted sets)
	entries, blocked := push.Check([]*push.Target{tg}, plan.Policy{MaxChangePercent: 100})
	if blocked {
		t.Fatalf("blocked: %v", entries[0].Blocked)
	}
	s.ResetCounts()
	if _, err := push.Apply(context.Background(), tg, &entries[0], nil); err != nil {
		t.Fatal(err)
	}
	var at []r53test.Change
	for _, b := range s.Batches {
		for _, c := range b {
			if strings.HasPrefix(c.Set.Name, "www.") {
				at = append(at, c)
			}
		}
	}
	if len(at) != 2 || at[0].Action != "DELETE" || at[0].Set.AliasTarget == nil || *at[0].Set.AliasTarget != *cloudfront ||
		at[1].Action != "CREATE" || at[1].Set.AliasTarget != nil || strings.Join(at[1].Set.Values(), ",") != "192.0.2.80" {
		t.Fatalf("changes at www: %+v, want DELETE of the alias as listed, then CREATE 192.0.2.80", at)
	}
	inOne := false
	for _, b := range s.Batches {
		n := 0
		for _, c := range b {
			if strings.HasPrefix(c.Set.Name, "www.") {
				n++
			}
		}
		inOne = inOne || n == 2
	}
	if !inOne {
		t.Errorf("the DELETE and CREATE at www are not in one change batch: %+v", s.Batches)
	}
	for _, set := range s.Sets(id) {
		if set.Name == "www.example.com." && set.Type == "A" && (set.AliasTarget != nil || strings.Join(set.Values(), ",") != "192.0.2.80") {
			t.Errorf("www A after the push: %+v", set)
		}
	}
	again, err := push.Prepare(context.Background(), "new", tg.Prov, tg.Config, tg.Desired, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Plan.Changes) != 0 {
		t.Errorf("a second plan: %s", provider.Describe(again.Plan.Changes, 5))
	}
}

// TestAliasChangedSincePlan: the alias points elsewhere when the push
// comes (another writer): the push refuses (the zone changed since the
// plan), and the alias stays as it is now.
func TestAliasChangedSincePlan(t *testing.T) {
	s, id, tg := aliasZone(t, false)
	entries, _ := push.Check([]*push.Target{tg}, plan.Policy{MaxChangePercent: 100})
	other := &r53test.AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d222222abcdef8.cloudfront.net."}
	s.Seed(id, r53test.RRSet{Name: "www.example.com.", Type: "A", AliasTarget: other})
	_, err := push.Apply(context.Background(), tg, &entries[0], nil)
	if !errors.Is(err, provider.ErrConflict) {
		t.Fatalf("push over an alias changed since the plan: %v, want a conflict", err)
	}
	for _, set := range s.Sets(id) {
		if set.Name == "www.example.com." && set.Type == "A" && (set.AliasTarget == nil || *set.AliasTarget != *other) {
			t.Errorf("www A after the refused push: %+v", set)
		}
	}
}

// TestNoUpsertOverAlias: a plan made without the provider's features
// (it shows "+ www A", a create) never reaches the alias: Apply refuses
// the UPSERT that would overwrite it unseen, and sends nothing.
func TestNoUpsertOverAlias(t *testing.T) {
	s, id, tg := aliasZone(t, false)
	cur, err := tg.Prov.Records(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(tg.Desired, cur, plan.Options{Caps: tg.Prov.Capabilities()})
	s.ResetCounts()
	_, err = tg.Prov.Apply(context.Background(), "example.com.", pl.Changes, nil)
	if !errors.Is(err, provider.ErrConflict) || !strings.Contains(err.Error(), "alias") {
		t.Errorf("create over the alias: %v, want refused", err)
	}
	if len(s.Batches) != 0 {
		t.Errorf("sent %d batches", len(s.Batches))
	}
	for _, set := range s.Sets(id) {
		if set.Name == "www.example.com." && set.Type == "A" && set.AliasTarget == nil {
			t.Errorf("the alias was overwritten: %v", set.Values())
		}
	}
}

// TestAliasUnderGitCNAME: Route 53 holds www A and www AAAA as aliases to
// a CloudFront distribution, and git has www as a CNAME to it (the
// feature's own advice). A CNAME cannot stand beside them (Route 53
// refuses the batch), so the plan shows each alias deleted ("-", the
// alias as its old value), counted, and the push sends their DELETEs and
// the CNAME in one change batch. Before, the plan showed "+ www CNAME"
// alone and every push failed at Route 53.
func TestAliasUnderGitCNAME(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com", false)
	s.Seed(id, r53test.RRSet{Name: "www.example.com.", Type: "A", AliasTarget: cloudfront})
	s.Seed(id, r53test.RRSet{Name: "www.example.com.", Type: "AAAA", AliasTarget: cloudfront})
	s.Seed(id, r53test.RRSet{Name: "ok.example.com.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.9")})
	p := newProvider(t, s, keyID, secret)
	d := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nwww 300 CNAME d111111abcdef8.cloudfront.net.\nok 300 A 192.0.2.9\n")
	ctx := context.Background()
	tg, err := push.Prepare(ctx, "new", p, &config.Provider{Name: "new", Type: "route53"}, d, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var at []string
	for _, c := range tg.Plan.Changes {
		if c.Name == "www.example.com." {
			at = append(at, c.String())
			if c.Action == provider.Delete && (c.Over == nil || c.Over.Feature != "alias") {
				t.Errorf("%s: not over the alias: %+v", c, c)
			}
		}
	}
	if strings.Join(at, ", ") != "- www.example.com. A, - www.example.com. AAAA, + www.example.com. CNAME" {
		t.Fatalf("plan at www: %v", at)
	}
	if got := tg.Plan.Percent(); got != 200.0/3 {
		t.Errorf("percent %v, want 2 of 3 (the aliases, of ok A and them)", got)
	}
	entries, blocked := push.Check([]*push.Target{tg}, plan.Policy{MaxChangePercent: 100})
	if blocked {
		t.Fatalf("blocked: %v", entries[0].Blocked)
	}
	var text bytes.Buffer
	report.WritePlanText(&text, entries)
	if !strings.Contains(text.String(), "- www.example.com. A") || !strings.Contains(text.String(), "[alias] ALIAS d111111abcdef8.cloudfront.net.") {
		t.Errorf("plan text:\n%s", text.String())
	}
	s.ResetCounts()
	if _, err := push.Apply(ctx, tg, &entries[0], nil); err != nil {
		t.Fatal(err)
	}
	for _, b := range s.Batches {
		var www []string
		for _, c := range b {
			if c.Set.Name == "www.example.com." {
				www = append(www, c.Action+" "+c.Set.Type)
			}
		}
		if len(www) > 0 && strings.Join(www, ", ") != "DELETE A, DELETE AAAA, UPSERT CNAME" {
			t.Errorf("www's changes in a batch: %v, want both aliases' DELETEs and the CNAME together", www)
		}
	}
	var held []string
	for _, set := range s.Sets(id) {
		if set.Name == "www.example.com." {
			held = append(held, set.Type)
		}
	}
	if strings.Join(held, ",") != "CNAME" {
		t.Errorf("www after the push: %v, want the CNAME alone", held)
	}
}
