package collapse

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"lnfit/engine"
)

func questionSpec(t testing.TB, axes string, seeds int, steps int64) Spec {
	t.Helper()
	a, err := ParseAxes(axes)
	if err != nil {
		t.Fatal(err)
	}
	return Spec{Base: engine.DefaultConfig(), Axes: a, Seeds: seeds, Steps: steps}
}

// The question's own cell (SGD lr 0.01, init scale 1) collapses on every
// seed; at lr 1e-4 the same init does not.
func TestQuestionCellCollapsesAndSmallLRDoesNot(t *testing.T) {
	spec := questionSpec(t, "lr=1e-4:0.01:2,init-scale=1:1:1", 8, 2000)
	m, err := Compute(context.Background(), spec, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	small, question := m.Cells[0][0], m.Cells[0][1]
	if question.X != 0.01 || question.Counts[Collapsed] != 8 {
		t.Fatalf("lr 0.01, scale 1: %+v", question)
	}
	if small.X != 1e-4 || small.Counts[Collapsed] != 0 {
		t.Fatalf("lr 1e-4, scale 1: %+v", small)
	}
}

// A map is the same bit for bit on 1 worker and on 2.
func TestMapIsTheSameOnAnyNumberOfWorkers(t *testing.T) {
	spec := questionSpec(t, "lr=1e-4:0.1:4,init-scale=0.05:1:3", 3, 1500)
	one, err := Compute(context.Background(), spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	two, err := Compute(context.Background(), spec, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(one.Cells) != fmt.Sprint(two.Cells) || !reflect.DeepEqual(counts(one), counts(two)) {
		t.Fatalf("1 worker:\n%v\n2 workers:\n%v", one.Cells, two.Cells)
	}
}

func counts(m *Map) [][][outcomes]int {
	var out [][][outcomes]int
	for _, row := range m.Cells {
		var r [][outcomes]int
		for _, c := range row {
			r = append(r, c.Counts)
		}
		out = append(out, r)
	}
	return out
}

func TestBadAxesAreRefused(t *testing.T) {
	cases := map[string]string{
		"lr=1e-5:1:13":                       "want two axes",
		"lr=1e-5:1:13,colour=1:2:3":          "unknown setting",
		"lr=1e-5:1:13,optimizer=1:2:3":       "not a numeric setting",
		"lr=a:1:13,init-scale=0.01:1:9":      "must be numbers",
		"lr=1e-5:1:0,init-scale=0.01:1:9":    "count 0: want 1 to 64",
		"lr=1e-5:1:65,init-scale=0.01:1:9":   "count 65: want 1 to 64",
		"lr=1:1e-5:13,init-scale=0.01:1:9":   "reversed",
		"lr=0:1:13,init-scale=0.01:1:9":      "log range needs LO > 0",
		"lr=-1:1:13,init-scale=0.01:1:9":     "log range needs LO > 0",
		"lr=1e-5:1:13,lr=0.01:1:9":           "both axes are lr",
		"lr=1e-5:1e7:13,init-scale=0.01:1:9": "lr 1e+07: want a number > 0 and ≤ 1e6",
		"lr=1e-5:1:13,init-scale=0.01:1:9:4": "want LO:HI:COUNT",
		"lr=1e-5:1:2,init-scale=0.01:1:3=":   `count "3=": want 1 to 64`,
	}
	for spec, want := range cases {
		if _, err := ParseAxes(spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", spec, err, want)
		}
	}
	big := questionSpec(t, "lr=1e-5:1:64,init-scale=0.01:1:64", 25, 100)
	if err := big.Check(); err == nil || !strings.Contains(err.Error(), "at most 100,000") {
		t.Fatalf("102,400 runs: %v", err)
	}
}

// BenchmarkMap is the question's map at 2,000 steps a run on 1 worker and
// on every core: the speed-up is the second's runs/s over the first's.
func BenchmarkMap(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			spec := questionSpec(b, "lr=1e-5:1:13,init-scale=0.01:1:9", 2, 2000)
			for i := 0; i < b.N; i++ {
				if _, err := Compute(context.Background(), spec, workers, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(spec.Runs()*b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}

// An axis's values are the ones it prints: a log ladder rounded to two
// significant digits (3.2e-4, not 3.1622776601683794e-4) unless more are
// needed to keep the rungs apart; the batch on a whole-number log ladder;
// a linear ladder without float noise.
func TestAxisValuesAreWhatTheyPrint(t *testing.T) {
	cases := map[string]string{
		"lr=1e-4:1:9":          "[0.0001 0.00032 0.001 0.0032 0.01 0.032 0.1 0.32 1]",
		"batch=1:1000:7":       "[1 3 10 32 100 320 1000]",
		"batch=1:5:7":          "[1 2 3 4 5]",
		"dropout=0:0.5:6":      "[0 0.1 0.2 0.3 0.4 0.5]",
		"lr=0.01:0.011:5":      "[0.01 0.01024 0.01049 0.01074 0.011]",
		"init-scale=0.5:0.5:1": "[0.5]",
	}
	for axis, want := range cases {
		a, err := ParseAxes(axis + ",xmin=0:0.5:2")
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(a[0].Values); got != want || a[0].Count != len(a[0].Values) {
			t.Errorf("%s: %s (count %d), want %s", axis, got, a[0].Count, want)
		}
	}
	if a, _ := ParseAxes("batch=1:1000:7,lr=0.01:0.01:1"); !a[0].Log {
		t.Error("the batch axis is not log-spaced")
	}
}
