// Package manual is the registrar for a delegation that a person changes by
// hand at the registrar's web form: it prints exactly what to enter (NS
// names, glue, DS), then waits until every one of the parent's
// authoritative servers serves it.
package manual

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

func init() {
	registrar.Register("manual", func(r *config.Registrar, env registrar.Env) (registrar.Registrar, error) {
		if env.Config == nil || len(env.Config.Cutover.ParentServers) == 0 {
			// registrar.New prefixes "registrar manual: ".
			where := config.FileName
			if env.Config != nil && env.Config.Path != "" {
				where = env.Config.Path
			}
			return nil, fmt.Errorf("%s: cutover.parent_servers is required: the parent zone's authoritative servers, IP[:port], where the change you enter is verified (e.g. cutover: {parent_servers: [203.0.113.1:53]})", where)
		}
		return &Manual{Servers: env.Config.Cutover.ParentServers, Out: os.Stderr, Wait: 15 * time.Minute, Poll: 5 * time.Second}, nil
	})
}

// Manual prints the change and verifies it at the parent's servers.
type Manual struct {
	Servers []string // the parent's authoritative servers, host:port
	Out     io.Writer
	Wait    time.Duration // how long SetDelegation waits for the change
	Poll    time.Duration
	Timeout time.Duration // per query
	// Every is how often SetDelegation says it still waits (default a
	// minute).
	Every time.Duration
}

// SetOutput sends the instructions to w.
func (m *Manual) SetOutput(w io.Writer) { m.Out = w }

// SetWait bounds how long SetDelegation waits for the change.
func (m *Manual) SetWait(d time.Duration) { m.Wait = d }

// Delegation is what the parent's servers serve: every one that answers
// (one at least) must agree; one that does not answer at all (down, out
// of reach) says nothing.
func (m *Manual) Delegation(ctx context.Context, zone string) (registrar.Delegation, error) {
	views := registrar.Lookup(ctx, m.Servers, zone, m.Timeout)
	a := registrar.Agree(views)
	if !a.AgreedButSilent() {
		return a.First, fmt.Errorf("the parent's servers do not agree on the delegation of %s: %s", zone, describe(views))
	}
	return a.First, nil
}

// Instructions is the text a person follows at the registrar.
func Instructions(zone string, want registrar.Delegation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "At the registrar of %s, replace the nameservers (remove every other one) with exactly:\n", zone)
	for _, n := range want.NS {
		fmt.Fprintf(&b, "  NS   %s\n", n)
	}
	names := make([]string, 0, len(want.Glue))
	for n := range want.Glue {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !registrar.InBailiwick(n, zone) {
			continue
		}
		fmt.Fprintf(&b, "  glue %s  %s\n", n, strings.Join(want.Glue[n], " "))
	}
	switch {
	case want.DS == nil:
		b.WriteString("  DS   leave as they are\n")
	case len(want.DS) == 0:
		b.WriteString("  DS   remove every DS record\n")
	default:
		for _, d := range want.DS {
			fmt.Fprintf(&b, "  DS   %s\n", d)
		}
	}
	return b.String()
}

// Describe is what a dry run shows: the instructions.
func (m *Manual) Describe(zone string, want registrar.Delegation) string {
	return Instructions(zone, want)
}

// SetDelegation prints what to enter and waits until every parent server
// that answers (one at least) serves it, or the wait has passed. A server
// down is left to the caller, which confirms the change at every parent
// server (the cutover's confirmation, and a re-run of its step): an
// emergency step is not to be held by it, and the change is made.
func (m *Manual) SetDelegation(ctx context.Context, zone string, want registrar.Delegation) error {
	want.Normalize()
	out := m.Out
	if out == nil {
		out = io.Discard
	}
	fmt.Fprint(out, Instructions(zone, want))
	fmt.Fprintf(out, "Waiting up to %s for the parent's servers (%s) to serve it...\n", m.Wait, strings.Join(m.Servers, ", "))
	deadline := time.Now().Add(m.Wait)
	poll := m.Poll
	if poll <= 0 {
		poll = 5 * time.Second
	}
	every := m.Every
	if every <= 0 {
		every = time.Minute
	}
	said := time.Now()
	for {
		views := registrar.Lookup(ctx, m.Servers, zone, m.Timeout)
		// A server silent (down, or out of reach from here) has no
		// word on the delegation; one that answers without it
		// (REFUSED, NXDOMAIN) has: resolvers get that.
		a := registrar.Agree(views)
		if a.AgreedButSilent() && registrar.Serves(a.Answered, want) {
			if len(a.Silent) > 0 {
				fmt.Fprintf(out, "The parent's servers that answer serve the new delegation; %s did not answer (it is checked again after the change).\n", strings.Join(a.Silent, ", "))
			} else {
				fmt.Fprintln(out, "The parent's servers serve the new delegation.")
			}
			return nil
		}
		if time.Now().After(deadline) {
			if slices.ContainsFunc(a.Answered, func(v registrar.AtServer) bool { return registrar.Serves([]registrar.AtServer{v}, want) }) {
				// Entered: the parent has not published it everywhere.
				return fmt.Errorf("manual: after %s not every parent server that answers serves the change, though one does (it is entered at the registrar; do not enter it again): %s; run the command again once they all serve it", m.Wait, describe(views))
			}
			return fmt.Errorf("manual: after %s no parent server serves the change: %s (enter the change at the registrar, or wait for the registry to publish one entered; then run the command again)", m.Wait, describe(views))
		}
		if time.Since(said) >= every {
			said = time.Now()
			fmt.Fprintf(out, "... still waiting (%s left): %s\n", time.Until(deadline).Round(time.Second), describe(views))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("manual: waiting for the change: %w", ctx.Err())
		case <-time.After(poll):
		}
	}
}

func describe(views []registrar.AtServer) string {
	var parts []string
	for _, v := range views {
		if v.Err != "" {
			parts = append(parts, v.Server+": "+v.Err)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: NS %s glue %s DS %d", v.Server, strings.Join(v.Delegation.NS, " "), registrar.GlueText(v.Delegation.Glue), len(v.Delegation.DS)))
	}
	return strings.Join(parts, "; ")
}
