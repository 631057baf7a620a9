package mailauth

import "testing"

func TestDMARCNonExistent(t *testing.T) {
	for _, c := range []struct {
		rec, np, policy, tag string
		stricter             bool
	}{
		{"v=DMARC1; p=reject; sp=none; np=reject", "reject", "none", "sp", true},
		{"v=DMARC1; p=quarantine; np=reject", "reject", "quarantine", "p", true},
		{"v=DMARC1; p=reject; np=quarantine", "quarantine", "reject", "p", false},
		{"v=DMARC1; rua=mailto:d@example.com; np=reject", "reject", "none", "p", true},
		{"v=DMARC1; p=none; np=bogus", "", "none", "p", false},
		{"v=DMARC1; p=none", "", "none", "p", false},
	} {
		d, err := ParseDMARC(c.rec)
		if err != nil {
			t.Fatalf("%s: %v", c.rec, err)
		}
		np, _ := d.NonExistent()
		policy, tag := d.Existing()
		if np != c.np || policy != c.policy || tag != c.tag || (np != "" && Stricter(np, policy)) != c.stricter {
			t.Errorf("%s: np=%q, %s=%s; want np=%q, %s=%s, stricter %v", c.rec, np, tag, policy, c.np, c.tag, c.policy, c.stricter)
		}
	}
}
