package engine

import (
	"math"
	"reflect"
	"testing"
)

// Evaluated whole, in parts, the grid gives the very numbers Metrics gives.
func TestMetricsInPartsWholeEqualsMetrics(t *testing.T) {
	for _, c := range []struct {
		act, opt string
		steps    int
	}{{"relu", "sgd", 0}, {"relu", "sgd", 3}, {"tanh", "adam", 40}, {"sigmoid", "sgd", 5}, {"leaky-relu", "momentum", 20}} {
		cfg := DefaultConfig()
		cfg.Activation, cfg.Optimizer, cfg.Hidden = c.act, c.opt, []int{13, 7}
		tr := mustNew(t, cfg)
		tr.Run(c.steps)
		want := tr.Metrics()
		got, points := tr.MetricsInParts(nil)
		if points != GridPoints {
			t.Fatalf("%v: %d points, want %d", c, points, GridPoints)
		}
		if !reflect.DeepEqual(got, want) && !sameMetrics(got, want) {
			t.Fatalf("%v: in parts %+v\nwhole %+v", c, got, want)
		}
	}
}

// sameMetrics compares bit for bit, NaN equal to NaN (DeepEqual says NaN ≠ NaN).
func sameMetrics(a, b Metrics) bool {
	f := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	return f(a.Loss, b.Loss) && f(a.MSE, b.MSE) && f(a.MSEAbove001, b.MSEAbove001) && f(a.Spread, b.Spread) &&
		f(a.MeanPred, b.MeanPred) && reflect.DeepEqual(a.Dead, b.Dead) && reflect.DeepEqual(a.Saturated, b.Saturated) &&
		reflect.DeepEqual(a.Units, b.Units) && f(a.GradNorm, b.GradNorm)
}

// Cut short, the figures are over the points evaluated (an even spread of
// (0,1]) and the unit counts, which need every point, are left out.
func TestMetricsInPartsCutShort(t *testing.T) {
	tr := mustNew(t, DefaultConfig())
	tr.Run(2)
	asked := 0
	m, points := tr.MetricsInParts(func() bool { asked++; return asked > 3 })
	if points != 4*gridPartPoints {
		t.Fatalf("%d points after 4 parts, want %d", points, 4*gridPartPoints)
	}
	if m.Dead != nil || m.Saturated != nil || len(m.Units) != 2 {
		t.Fatalf("dead %v saturated %v units %v: counts from a sample", m.Dead, m.Saturated, m.Units)
	}
	// The sample's mean squared error, computed here from Predict.
	var sse float64
	for _, i := range gridOrder[:points] {
		x := (float64(i) + 0.5) / GridPoints
		d := tr.net.Predict([]float64{x})[0] - math.Log(x)
		sse += d * d
	}
	if want := sse / float64(points); math.Abs(m.MSE-want) > 1e-9*math.Abs(want) {
		t.Fatalf("mse %v on the sample, want %v", m.MSE, want)
	}
	// The first part alone is never skipped, whatever stop says.
	if _, n := tr.MetricsInParts(func() bool { return true }); n != gridPartPoints {
		t.Fatalf("%d points with stop always true, want the first part (%d)", n, gridPartPoints)
	}
}

// Every prefix of the order is spread over (0,1]: the first 32 points
// leave no gap wider than 1/16 of the interval.
func TestGridOrderIsAnEvenSpread(t *testing.T) {
	seen := make([]bool, GridPoints)
	for _, i := range gridOrder {
		if seen[i] {
			t.Fatalf("point %d twice", i)
		}
		seen[i] = true
	}
	if len(gridOrder) != GridPoints {
		t.Fatalf("%d points, want %d", len(gridOrder), GridPoints)
	}
	prefix := append([]int(nil), gridOrder[:32]...)
	last := -1
	for i := 0; i < GridPoints; i++ {
		for _, p := range prefix {
			if p == i {
				if i-last > GridPoints/16 {
					t.Fatalf("gap %d…%d in the first 32 points %v", last, i, prefix)
				}
				last = i
			}
		}
	}
	if GridPoints-last > GridPoints/16 {
		t.Fatalf("gap after %d in the first 32 points", last)
	}
}

func TestNearMiss(t *testing.T) {
	presets := []string{"question", "answer", "question-adam", "answer-xmin", "divergent"}
	for _, c := range []struct {
		word    string
		choices []string
		want    string
	}{
		{"answr", presets, "answer"},
		{"Question", presets, "question"},
		{"question", presets, ""}, // not a miss
		{"seed_story", []string{"seed-story", "activations"}, "seed-story"},
		{"truncated-normal", Inits, "normal"},
		{"optimiser", []string{"optimizer", "init", "lr"}, "optimizer"},
		{"sdg", Optimizers, "sgd"},
		{"adm", Optimizers, "adam"},
		{"lion", Optimizers, ""},
		{"zeros", Inits, ""},
		{"xyz", []string{"xa", "xb"}, ""}, // a tie suggests neither
		{"", presets, ""},
	} {
		if got := NearMiss(c.word, c.choices); got != c.want {
			t.Errorf("NearMiss(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}

func TestSettingErrorSuggests(t *testing.T) {
	c := DefaultConfig()
	s, _ := LookupSetting("init")
	err := s.Apply(&c, "truncated-normal")
	if err == nil || err.Error() != `init truncated-normal: want one of uniform, normal, xavier, he; did you mean normal?` {
		t.Fatalf("got %v", err)
	}
	s, _ = LookupSetting("batch")
	if err := s.Apply(&c, "1e3"); err != nil || c.Batch != 1000 {
		t.Fatalf("batch 1e3: %v, batch %d", err, c.Batch)
	}
	for _, bad := range []string{"1.5", "1e400", "NaN", "0x10", "9223372036854775808"} {
		if err := s.Apply(&c, bad); err == nil {
			t.Errorf("batch %s accepted", bad)
		}
	}
}

func TestParseWhole(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "10000": 10000, "1e4": 10000, "2.5e3": 2500, "-3": -3, "1E2": 100} {
		if n, ok := ParseWhole(in); !ok || n != want {
			t.Errorf("ParseWhole(%q) = %d, %v", in, n, ok)
		}
	}
	for _, in := range []string{"1.5", "1e-4", "", "abc", "Inf", "NaN", "0x1p4", " 7", "1e30"} {
		if n, ok := ParseWhole(in); ok {
			t.Errorf("ParseWhole(%q) = %d, accepted", in, n)
		}
	}
}
