package parity_test

import "testing"

func TestReviewTmp(t *testing.T) {
	base := fixture(t)
	ds := "lab     IN  DS    12345 13 2 0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20\n"
	cases := []struct{ name, git, old, new string }{
		{"glue", base, base, edit(`192\.0\.2\.99`, "192.0.2.98")(base)},
		{"ds missing", base + ds, base + ds, base},
		{"deleg ns", base, base, edit(`^lab     IN  NS    ns\.lab`, "lab IN NS ns2.lab")(base) + "ns2.lab IN A 192.0.2.99\n"},
	}
	for _, c := range cases {
		for _, k := range [][2]string{{"knot", "bind"}, {"bind", "pdns"}} {
			t.Run(c.name+k[0]+k[1], func(t *testing.T) {
				z := loadText(t, c.git)
				rep := run(t, z, []string{serve(t, k[0], c.old)}, []string{serve(t, k[1], c.new)})
				dump(t, rep)
			})
		}
	}
}
