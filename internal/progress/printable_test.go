package progress

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestPrintable: every control character but the line feed and the tab
// is written as its \u escape, a C1 control split between two writes too;
// other text (beyond ASCII too) is kept; a JSON text stays the same JSON.
func TestPrintable(t *testing.T) {
	var b bytes.Buffer
	p := Printable(&b)
	in := "a\x1b]52;c;eA==\a b\x1b[2J\rc\x7f\td é\n"
	p.Write([]byte(in))
	csi := []byte("\u009b31m")
	p.Write(csi[:1]) // U+009B split between writes
	p.Write(csi[1:])
	want := `a\u001b]52;c;eA==\u0007 b\u001b[2J\u000dc\u007f` + "\td é\n" + `\u009b31m`
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
	b.Reset()
	js := []byte("{\"m\":\"x\u009by\x7f\"}\n")
	p.Write(js)
	var before, after map[string]string
	if json.Unmarshal(js, &before) != nil || json.Unmarshal(b.Bytes(), &after) != nil || before["m"] != after["m"] {
		t.Errorf("JSON changed: %q -> %q", js, b.String())
	}
}
