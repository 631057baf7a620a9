package demo

import "encoding/json"

// cutoverReport is the JSON of status, flip, rollback and finish
// (DESIGN.md, "Cutover contract"), as the demo reads it.
type cutoverReport struct {
	Zone       string            `json:"zone"`
	Result     string            `json:"result"`
	Errors     []string          `json:"errors"`
	Warnings   []string          `json:"warnings"`
	Trail      string            `json:"trail"`
	Stage      string            `json:"stage"`
	Delegation cutoverDelegation `json:"delegation"`
	Gates      []cutoverGate     `json:"gates"`
	Actions    []json.RawMessage `json:"actions"`
	Next       []struct {
		Step     string `json:"step"`
		Earliest string `json:"earliest"`
	} `json:"next"`
}

// cutoverDelegation is the delegation the parent serves.
type cutoverDelegation struct {
	NS       []string `json:"ns"`
	NSTTL    *int64   `json:"ns_ttl"`
	DS       []string `json:"ds"`
	PointsTo string   `json:"points_to"`
}

// ttl is the NS TTL (0 when the report has none).
func (d cutoverDelegation) ttl() int64 {
	if d.NSTTL == nil {
		return 0
	}
	return *d.NSTTL
}

// cutoverGate is one gate of a step.
type cutoverGate struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// gate finds a gate by name (nil when the report has none).
func (r *cutoverReport) gate(name string) *cutoverGate {
	for i := range r.Gates {
		if r.Gates[i].Name == name {
			return &r.Gates[i]
		}
	}
	return nil
}

// unmet lists the gates that failed.
func (r *cutoverReport) unmet() []string {
	var out []string
	for _, g := range r.Gates {
		if !g.OK {
			out = append(out, g.Name)
		}
	}
	return out
}
