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

// Every bad --map spec is one line naming the part that is wrong and the
// form that is accepted: a single axis with a count of 0 is a count of 0
// (it said "want two axes"), and the missing second axis is said only of a
// spec whose one axis is good.
func TestBadAxesAreRefused(t *testing.T) {
	cases := []struct{ spec, bad, form string }{
		{"lr=1:2:0", "count 0:", "want 1 to 64 points, as in lr=1e-5:1:13"},
		{"lr=1e-5:1:13", `"lr=1e-5:1:13" is one axis`, "two SETTING=LO:HI:COUNT, comma-separated, as in lr=1e-5:1:13,init-scale=0.01:1:9"},
		{"lr=1e-5:1:13,init-scale=0.01:1:9,xmin=0:0.1:3", "3 axes (lr, init-scale, xmin)", "a map sweeps two SETTING=LO:HI:COUNT"},
		{"", `axis ""`, "want SETTING=LO:HI:COUNT (a map sweeps two"},
		{"lr=1e-5:1:13,", `axis ""`, "want SETTING=LO:HI:COUNT"},
		{"lr", "axis lr:", "want SETTING=LO:HI:COUNT"},
		{"lr=1e-5:1:13,colour=1:2:3", "axis colour: unknown setting", "want one of lr, init-scale, xmin, dropout, batch"},
		{"lr=1e-5:1:13,optimizer=1:2:3", "axis optimizer: not a numeric setting", "want one of lr, init-scale, xmin, dropout, batch"},
		{"lr=a:1:13,init-scale=0.01:1:9", "axis lr: LO a is not a finite number", "as in lr=1e-5:1:13"},
		{"lr=1e-5:inf:13,init-scale=0.01:1:9", "axis lr: HI inf is not a finite number", "as in lr=1e-5:1:13"},
		{"xmin=0:0.1:3,dropout=0:NaN:3", "axis dropout: HI NaN", "as in dropout=0:0.3:3"},
		{"lr=1e-5:1:0,init-scale=0.01:1:9", "axis lr: count 0:", "want 1 to 64 points"},
		{"lr=1e-5:1:65,init-scale=0.01:1:9", "axis lr: count 65:", "want 1 to 64 points"},
		{"lr=1e-5:1:2.5,init-scale=0.01:1:9", "axis lr: count 2.5:", "want 1 to 64 points"},
		{"lr=1e-5:1:2,init-scale=0.01:1:3=", `axis init-scale: count "3="`, "as in init-scale=0.01:1:9"},
		{"lr=1:1e-5:13,init-scale=0.01:1:9", "axis lr: the range 1:1e-05 is reversed", "want LO ≤ HI: lr=1e-05:1:13"},
		{"lr=0.1:1:1,init-scale=0.01:1:9", "axis lr: one value needs LO = HI", "as in lr=0.1:0.1:1"},
		{"lr=0:1:13,init-scale=0.01:1:9", "axis lr: a log range needs LO > 0, not 0", "spreads its points over decades, as in lr=1e-5:1:13"},
		{"lr=-1:1:13,init-scale=0.01:1:9", "axis lr: a log range needs LO > 0, not -1", "over decades"},
		{"lr=1e-5:1:13,lr=0.01:1:9", "both axes are lr", "want two different settings (of lr, init-scale"},
		{"lr=1e-5:1e7:13,init-scale=0.01:1:9", "axis lr: lr 1e+07", "want a number > 0 and ≤ 1e6"},
		{"lr=1e-5:1:13,init-scale=0.01:1:9:4", `axis init-scale: 0.01:1:9:4 has 4 part(s)`, "want LO:HI:COUNT, as in init-scale=0.01:1:9"},
		{"batch=1:1000", "axis batch: 1:1000 has 2 part(s)", "as in batch=1:1000:4"},
		{"lr=0:0:1", "axis lr: a log range needs LO > 0, not 0", "as in lr=1e-5:1:13"},                                  // found by FuzzParseAxes
		{"dropout=0:.0:1,lr=.01:.01:2", "axis lr: LO = HI is one value", "as in lr=0.01:0.01:1; 2 points need HI > LO"}, // found by FuzzParseAxes
		{"xmin=0.1:0.10000000000000002:64,lr=1:1:1", "axis xmin: 0.1:0.10000000000000002 is too narrow for 64 distinct values", "as in xmin=0:0.1:3"},
	}
	for _, c := range cases {
		_, err := ParseAxes(c.spec)
		if err == nil || !strings.Contains(err.Error(), c.bad) || !strings.Contains(err.Error(), c.form) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v\n want it to name %q and the form %q", c.spec, err, c.bad, c.form)
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
