package suggest

import "testing"

func TestOneEdit(t *testing.T) {
	if OneEdit("ZZZZ", "A") || !OneEdit("AAAA", "AAA") || !OneEdit("MX", "XM") || OneEdit("A", "A") {
		t.Error("OneEdit")
	}
	if !OneEdit("max_change_precent", "max_change_percent") || OneEdit("max_change", "max_change_percent") {
		t.Error("OneEdit on config keys")
	}
}

func TestClosest(t *testing.T) {
	if got := Closest("AAA", []string{"A", "AAAA"}, []string{"A6"}); got != "AAAA" {
		t.Errorf("Closest(AAA) = %q", got)
	}
	if got := Closest("B6", nil, []string{"A6", "B7"}); got != "A6" {
		t.Errorf("Closest(B6) = %q, want the alphabetically first", got)
	}
	if got := Closest("QQQQ", []string{"A"}, nil); got != "" {
		t.Errorf("Closest(QQQQ) = %q, want none", got)
	}
}
