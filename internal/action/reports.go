package action

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/dnsparity/dnsparity/internal/github"
)

// The JSON reports of check, plan/push and parity (DESIGN.md contracts),
// read back by the Action. Only the keys of the contract are used, so the
// Action follows the commands without importing their internals.

type checkDoc struct {
	Problems []problemDoc `json:"problems"`
}

type problemDoc struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

type plansDoc struct {
	Plans []planDoc `json:"plans"`
}

type planDoc struct {
	Provider    string         `json:"provider"`
	Zone        string         `json:"zone"`
	NewZone     bool           `json:"new_zone"`
	Summary     map[string]int `json:"summary"`
	Percent     float64        `json:"percent"`
	Changes     []changeDoc    `json:"changes"`
	Unsupported []struct {
		Name   string `json:"name"`
		Type   string `json:"type"`
		File   string `json:"file"`
		Line   int    `json:"line"`
		Reason string `json:"reason"`
	} `json:"unsupported"`
	Blocked  []string `json:"blocked"`
	Warnings []string `json:"warnings"`
	Applied  *int     `json:"applied"`
	Error    string   `json:"error"`
}

type changeDoc struct {
	Action string  `json:"action"`
	Name   string  `json:"name"`
	Type   string  `json:"type"`
	File   string  `json:"file"`
	Line   int     `json:"line"`
	Old    *setDoc `json:"old"`
	New    *setDoc `json:"new"`
}

type setDoc struct {
	TTL    uint32   `json:"ttl"`
	Values []string `json:"values"`
}

func (p planDoc) count() int {
	return p.Summary["create"] + p.Summary["replace"] + p.Summary["delete"]
}

type parityDoc struct {
	Zone     string       `json:"zone"`
	Findings []findingDoc `json:"findings"`
	Queries  int          `json:"queries"`
	Seconds  float64      `json:"seconds"`
}

type findingDoc struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Severity string `json:"severity"`
	Kind     string `json:"kind"`
	Old      string `json:"old"`
	New      string `json:"new"`
	Detail   string `json:"detail"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

// decode reads a JSON object or an array of them.
func decode[T any](js []byte) ([]T, error) {
	js = bytes.TrimSpace(js)
	if len(js) == 0 {
		return nil, nil
	}
	if js[0] == '[' {
		var out []T
		if err := json.Unmarshal(js, &out); err != nil {
			return nil, fmt.Errorf("read the JSON report: %w", err)
		}
		return out, nil
	}
	var one T
	if err := json.Unmarshal(js, &one); err != nil {
		return nil, fmt.Errorf("read the JSON report: %w", err)
	}
	return []T{one}, nil
}

// level is the annotation level of a severity.
func level(sev string) string {
	switch sev {
	case "error", "warning":
		return sev
	}
	return "notice"
}

func checkAnnotations(ps []problemDoc) []github.Annotation {
	var out []github.Annotation
	for _, p := range ps {
		out = append(out, github.Annotation{File: p.File, Line: p.Line, Level: level(p.Severity), Title: "dnsparity check", Message: p.Message})
	}
	return out
}

func parityAnnotations(ds []parityDoc) []github.Annotation {
	var out []github.Annotation
	for _, d := range ds {
		for _, f := range d.Findings {
			if f.File == "" {
				continue
			}
			out = append(out, github.Annotation{File: f.File, Line: f.Line, Level: level(f.Severity), Title: "dnsparity parity: " + f.Kind,
				Message: fmt.Sprintf("%s %s: %s", f.Name, f.Type, f.Detail)})
		}
	}
	return out
}

func planAnnotations(ps []planDoc) []github.Annotation {
	var out []github.Annotation
	for _, p := range ps {
		for _, u := range p.Unsupported {
			out = append(out, github.Annotation{File: u.File, Line: u.Line, Level: "error", Title: "dnsparity plan: " + p.Provider,
				Message: fmt.Sprintf("%s %s cannot be held by provider %s: %s", u.Name, u.Type, p.Provider, u.Reason)})
		}
		for _, c := range p.Changes {
			if c.File == "" {
				continue
			}
			out = append(out, github.Annotation{File: c.File, Line: c.Line, Level: "notice", Title: "dnsparity plan: " + p.Provider,
				Message: fmt.Sprintf("%s %s %s at provider %s", c.Action, c.Name, c.Type, p.Provider)})
		}
	}
	return out
}

// annotations turns a command's JSON report (check problems, parity
// findings, plans; one object or an array of them) into file:line
// annotations.
func annotations(js []byte) []github.Annotation {
	type doc struct {
		Problems []problemDoc `json:"problems"`
		Findings []findingDoc `json:"findings"`
		Plans    []planDoc    `json:"plans"`
	}
	docs, err := decode[doc](js)
	if err != nil {
		return nil
	}
	var out []github.Annotation
	for _, d := range docs {
		out = append(out, checkAnnotations(d.Problems)...)
		out = append(out, parityAnnotations([]parityDoc{{Findings: d.Findings}})...)
		out = append(out, planAnnotations(d.Plans)...)
	}
	return out
}

// severityRank orders errors first.
func severityRank(s string) int {
	switch s {
	case "error":
		return 0
	case "warning":
		return 1
	}
	return 2
}

func sortProblems(ps []problemDoc) {
	sort.SliceStable(ps, func(i, j int) bool { return severityRank(ps[i].Severity) < severityRank(ps[j].Severity) })
}
