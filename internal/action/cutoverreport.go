package action

import "encoding/json"

// cutoverReport is the JSON of status, flip, rollback and finish
// (DESIGN.md, "Cutover contract"), as the Action reads it.
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

// cutoverGate is one gate of a step.
type cutoverGate struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}
