package zone

import "testing"

// TestDecimalEscape: the one reader of a \DDD escape (RFC 1035 §5.1)
// that the zone reader, the canonical form and the providers' value
// writers share: three digits after the backslash, their number up to
// 999, nothing where the backslash, a digit or the room for them is
// missing.
func TestDecimalEscape(t *testing.T) {
	for _, c := range []struct {
		s       string
		i, want int
		ok      bool
	}{
		{`\065`, 0, 65, true},
		{`a\255b`, 1, 255, true},
		{`\999`, 0, 999, true},
		{`\000`, 0, 0, true},
		{`x\123`, 1, 123, true},
		{`\12`, 0, 0, false},   // two digits: no room for the third
		{`\12a`, 0, 0, false},  // a letter for the third
		{`\a12`, 0, 0, false},  // a letter for the first
		{`065`, 0, 0, false},   // no backslash
		{`\065`, 1, 0, false},  // not at the backslash
		{`\065`, -1, 0, false}, // before the string
		{`\\065`, 0, 0, false}, // an escaped backslash
	} {
		v, ok := DecimalEscape(c.s, c.i)
		if v != c.want || ok != c.ok {
			t.Errorf("DecimalEscape(%q, %d) = %d, %v; want %d, %v", c.s, c.i, v, ok, c.want, c.ok)
		}
		if bv, bok := DecimalEscape([]byte(c.s), c.i); bv != v || bok != ok {
			t.Errorf("DecimalEscape([]byte(%q), %d) = %d, %v; the string's %d, %v", c.s, c.i, bv, bok, v, ok)
		}
	}
}

// TestOctetAt: the one reader of presentation-form escapes (RFC 1035
// §5.1) that Unescape, the canonical form's folding, the label reader,
// the octet count and the providers' name and value writers share.
func TestOctetAt(t *testing.T) {
	for _, c := range []struct {
		s           string
		i, v, width int
	}{
		{`a`, 0, 'a', 1},
		{`\065b`, 0, 65, 4},
		{`\999`, 0, 999, 4},
		{`\.`, 0, '.', 2},
		{`\\`, 0, '\\', 2},
		{`\12`, 0, '1', 2}, // two digits: \1, then 2
		{`\1a2`, 0, '1', 2},
		{`ab\`, 2, '\\', 1}, // a backslash last is itself
		{`"\"`, 1, '"', 2},
	} {
		v, w := OctetAt(c.s, c.i)
		if v != c.v || w != c.width {
			t.Errorf("OctetAt(%q, %d) = %d, %d; want %d, %d", c.s, c.i, v, w, c.v, c.width)
		}
		if bv, bw := OctetAt([]byte(c.s), c.i); bv != v || bw != w {
			t.Errorf("OctetAt([]byte(%q), %d) = %d, %d; the string's %d, %d", c.s, c.i, bv, bw, v, w)
		}
	}
}
