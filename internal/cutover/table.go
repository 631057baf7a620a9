package cutover

import (
	"strings"

	"github.com/dnsparity/dnsparity/internal/delegation"
)

// Table is status's delegation table, like Zonemaster's summary: the
// parent's servers and each side's servers (and NS names, and the
// delegation as a whole) as rows, the checks as columns.
type Table struct {
	Columns []string   `json:"columns"`
	Rows    []TableRow `json:"rows"`
}

// TableRow is one row: who (a server, a name, a side's delegation), which
// side (or "parent"), and per column "ok", "error", "warning", "accepted",
// "not-checked" (a server this machine cannot reach, or IPv6 left out by
// policy.delegation.ipv6), or "" where the check does not apply; the parent's rows say in column
// "delegates-to" which side they delegate to.
type TableRow struct {
	Who   string            `json:"who"`
	Side  string            `json:"side"`
	Cells map[string]string `json:"cells"`
}

// ColumnDelegatesTo is the parent rows' column.
const ColumnDelegatesTo = "delegates-to"

// delegationTable builds the table from the report: the parent's servers
// from the delegation they serve, the sides from their delegation gates.
func delegationTable(c *Config, rep *Report) *Table {
	t := &Table{Columns: append([]string{ColumnDelegatesTo}, delegation.Checks...)}
	for _, v := range rep.Parent {
		row := TableRow{Who: v.Server, Side: "parent", Cells: map[string]string{}}
		switch {
		case v.Err != "":
			row.Cells[ColumnDelegatesTo] = "error"
		default:
			row.Cells[ColumnDelegatesTo] = PointsTo(v.Delegation.NS, c.Old.Delegation, c.New.Delegation)
		}
		t.Rows = append(t.Rows, row)
	}
	for _, g := range rep.Gates {
		if g.Name != GateDelegation || g.Side == "" {
			continue
		}
		rows := map[string]*TableRow{}
		var order []string
		for _, ch := range g.Checks {
			who := ch.Server
			if who == "" {
				who = g.Side + " delegation"
			}
			r := rows[who]
			if r == nil {
				r = &TableRow{Who: who, Side: g.Side, Cells: map[string]string{}}
				rows[who] = r
				order = append(order, who)
			}
			r.Cells[ch.Name] = worst(r.Cells[ch.Name], cell(ch))
		}
		for _, who := range order {
			t.Rows = append(t.Rows, *rows[who])
		}
	}
	return t
}

func cell(ch delegation.Check) string {
	switch {
	case ch.OK:
		return "ok"
	case ch.Accepted:
		return "accepted"
	}
	return ch.Severity
}

// worst keeps the worse of two results in one cell (a registry profile
// has several rules).
func worst(a, b string) string {
	rank := map[string]int{"": 0, "ok": 1, delegation.SevNotChecked: 2, "accepted": 3, "warning": 4, "error": 5}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// TableSymbol is a cell as one character for text: ✓ ok, ✗ error, ! warning,
// ~ accepted warning, ? not checked from here, · not applicable; the
// parent's column as written.
func TableSymbol(v string) string {
	switch v {
	case "ok":
		return "✓"
	case "error":
		return "✗"
	case "warning":
		return "!"
	case "accepted":
		return "~"
	case delegation.SevNotChecked:
		return "?"
	case "":
		return "·"
	}
	return v
}

// ShortColumn is a column's header in text (the check name, shortened).
func ShortColumn(c string) string {
	r := strings.NewReplacer("upward-referral", "upward", "referral-size", "referral", "ns-diversity", "diversity", "ns-ipv4", "ipv4", "ns-resolves", "resolves", "ns-syntax", "syntax", "ns-address", "address", "delegates-to", "to", "qname-case", "0x20", "edns-unknown", "edns-x", "edns-truncated", "edns-tc", "axfr-open", "axfr", "recursion", "recursion", "ns-count", "ns-count", "soa-fields", "soa", "ns-source", "source")
	return r.Replace(c)
}
