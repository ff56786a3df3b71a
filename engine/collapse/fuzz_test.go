package collapse

import (
	"strings"
	"testing"
)

// FuzzParseAxes: any --map spec is two good axes or one line of error
// that names an axis (or the spec) and the accepted form; never a panic.
// Good axes have 1 to MaxCount distinct values, rising from LO to HI.
func FuzzParseAxes(f *testing.F) {
	for _, s := range []string{"lr=1e-5:1:13,init-scale=0.01:1:9", "lr=1:2:0", "batch=1:1000:7,xmin=0:0.1:3",
		"dropout=0:0.5:6,lr=0.01:0.011:5", "lr=1e-5:1:13", ",", "lr=0x1p-3:1:2,batch=1:1:1", "lr=1e-5:1:13,lr=1:1:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		axes, err := ParseAxes(spec)
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") || !(strings.Contains(msg, "as in ") || strings.Contains(msg, "want ")) {
				t.Fatalf("%q: %q", spec, msg)
			}
			return
		}
		for _, a := range axes {
			if a.Count < 1 || a.Count > MaxCount || len(a.Values) != a.Count ||
				!integer[a.Setting.Name] && (a.Values[0] != a.Lo || a.Values[a.Count-1] != a.Hi) {
				t.Fatalf("%q: axis %s count %d values %v (lo %g hi %g)", spec, a.Setting.Name, a.Count, a.Values, a.Lo, a.Hi)
			}
			for i := 1; i < len(a.Values); i++ {
				if !(a.Values[i] > a.Values[i-1]) {
					t.Fatalf("%q: %s values not rising: %v", spec, a.Setting.Name, a.Values)
				}
			}
		}
		if axes[0].Setting.Name == axes[1].Setting.Name {
			t.Fatalf("%q: both axes %s", spec, axes[0].Setting.Name)
		}
	})
}
