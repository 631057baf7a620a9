package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// writeMergeReports writes the shard reports of a pr-many.yml run for
// the Action's merge to read (-merge-reports DIR; merge-rss.sh): shards
// reports of zones zones each, as the Action's pr shard job saves them
// (its "command", "shard", "parts", "check", "plan" and "parity"), in
// DIR/shards/ARTIFACT/pr.json; every 50th zone with a warning finding, a
// check warning and a plan of one change, the rest holding.
func writeMergeReports(dir string, shards, zones int) error {
	servers := []string{"192.0.2.1:53", "192.0.2.2:53", "198.51.100.1:53", "198.51.100.2:53"}
	for s := 1; s <= shards; s++ {
		var names []string
		var parity, plans, problems []map[string]any
		for i := range zones {
			z := fmt.Sprintf("s%03dz%05d.example.", s, i)
			names = append(names, z)
			var findings []map[string]any
			if i%50 == 0 {
				findings = append(findings, map[string]any{"name": "www." + z, "type": "A", "severity": "warning", "kind": "ttl",
					"old": "www." + z + " 300 IN A 192.0.2.80", "new": "www." + z + " 3600 IN A 192.0.2.80", "detail": "TTL 300 on the old side, 3600 on the new", "file": "zones/" + z + "zone", "line": 12})
				plans = append(plans, map[string]any{"provider": "new", "zone": z, "summary": map[string]int{"create": 0, "replace": 1, "delete": 0},
					"changes": []map[string]any{{"action": "replace", "name": "www." + z, "type": "A", "file": "zones/" + z + "zone", "line": 12,
						"old": map[string]any{"ttl": 300, "values": []string{"192.0.2.80"}}, "new": map[string]any{"ttl": 3600, "values": []string{"192.0.2.80"}}}}})
				problems = append(problems, map[string]any{"file": "zones/" + z + "zone", "line": 3, "severity": "warning", "message": "TTL 300 is below the policy's 3600"})
			}
			parity = append(parity, map[string]any{"zone": z, "file": "zones/" + z + "zone", "old_servers": servers, "new_servers": servers,
				"queries": 120, "seconds": 0.4, "findings": findings})
		}
		name := fmt.Sprintf("%d/%d", s, shards)
		b, err := json.MarshalIndent(map[string]any{"command": "pr", "shard": map[string]any{"name": name, "zones": names},
			"parts": []map[string]string{{"name": "check", "status": "ok", "detail": "checked"}, {"name": "plan", "status": "ok", "detail": "planned"}, {"name": "parity", "status": "ok", "detail": "compared"}},
			"check": map[string]any{"problems": problems}, "plan": map[string]any{"plans": plans}, "parity": parity, "exit": 0}, "", "  ")
		if err == nil {
			d := filepath.Join(dir, "shards", fmt.Sprintf("dnsparity-shard-%d-of-%d", s, shards))
			if err = os.MkdirAll(d, 0o755); err == nil {
				err = os.WriteFile(filepath.Join(d, "pr.json"), b, 0o644)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
