package zone
import ("testing"; "fmt"; "math/rand"; "slices")
func TestZZSort(t *testing.T) {
	z := New("example.")
	names := []string{"example.", "a.example.", "z.example.", "yljkjljk.a.example.", "zabc.a.example.", "*.z.example.", "z.a.example.", "ab.example.", "b.example.", "host1.example.", "xhost1.example.", "host10.example.", "ost1.example.", "a.host1.example.", "ahost1.example.", "a-b.example.", "a.b.example.", "b.a.example.","ab.a.example.", "abcdefghijklm.example.", "abcdefghijkl.example.", "x.abcdefghijkl.example.", "abcdefgh.example.", "a.abcdefg.example."}
	for i := 0; i < 15000; i++ { names = append(names, fmt.Sprintf("h%d.example.", rand.Intn(100000)), fmt.Sprintf("x%d.h%d.example.", rand.Intn(100), rand.Intn(100))) }
	for _, n := range names { z.addPacked(n, 1, 1, 1, "\x01\x02\x03\x04", Pos{}); z.addPacked(n, 16, 1, 1, "\x00", Pos{}) }
	z.Sort()
	ok := slices.IsSortedFunc(z.Sets, func(a, b *RRSet) int { if c := slowCompare(a.Name, b.Name); c != 0 { return c }; return int(a.Type) - int(b.Type) })
	if !ok { t.Fatal("not sorted") }
	if len(z.Sets) < 2000 { t.Fatal(len(z.Sets)) }
}
