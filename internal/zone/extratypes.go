package zone

// Types BIND 9.18 reads in presentation form and miekg/dns does not: the
// feeder (compat.go) rewrites their records in RFC 3597 form
// (TYPEnnn \# LEN HEX), so that they load, compare and push like any other.

// extraType is one such type and its RDATA encoder: toks are the RDATA
// fields as written, origin completes relative names.
type extraType struct {
	name   string
	code   uint16
	encode func(toks []string, origin string) ([]byte, error)
}

var extraTypes = []extraType{}
