package zone
import "github.com/miekg/dns"
func slowCompare(a, b string) int {
	if a == b { return 0 }
	la, lb := dns.SplitDomainName(a), dns.SplitDomainName(b)
	i, j := len(la)-1, len(lb)-1
	for i >= 0 && j >= 0 {
		x, y := labelBytes(la[i]), labelBytes(lb[j])
		if x < y { return -1 }
		if x > y { return 1 }
		i--; j--
	}
	switch { case i < 0 && j < 0: return 0; case i < 0: return -1 }
	return 1
}
