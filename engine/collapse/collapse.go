// Package collapse draws the collapse map: over two settings at once (the
// learning rate and the init scale, say), many independent short runs per
// cell, each classified as collapsed, diverged, diverging, learning or
// converged. It
// answers a teacher's next question after the seed's story: where exactly is
// the cliff, and how sharp is its edge across seeds?
//
// Every run is deterministic from its cell and seed, so a map is the same
// bit for bit whatever the number of workers. A run stops as soon as its
// outcome is settled: a ReLU layer dead on the whole grid never revives, a
// NaN never leaves, and a run below the --until figure has converged.
package collapse

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"lnfit/engine"
)

// Outcomes of one run. Diverging is a run whose steps ran out while its
// loss was still exploding (the verdict's "diverging": finite, but growing
// at least ×2 a step): it would have diverged given a few more steps, and
// it is not learning. A tie between outcomes goes to the first here.
const (
	Collapsed = iota
	Diverged
	Diverging
	Learning
	Converged
	outcomes
)

// OutcomeNames are the outcomes as JSON keys and legend words.
var OutcomeNames = [outcomes]string{"collapsed", "diverged", "diverging", "learning", "converged"}

// Limits on a map's size, so a typo cannot ask for a week of work.
const (
	MaxCount = 64
	MaxRuns  = 100_000
	// ConvergedMSE is the figure a run must reach on x ≥ 0.01 to count as converged.
	ConvergedMSE = engine.ConvergedMSE
	// checkEvery is how often (in steps) a run's MSE is looked at.
	checkEvery = 1000
)

// Axis is one setting swept over a range.
type Axis struct {
	Setting *engine.Setting
	Lo, Hi  float64
	Count   int
	Log     bool // log-spaced (lr, init-scale), else linear
	Values  []float64
}

// numeric are the settings a map may sweep, and whether log spacing fits
// them: the batch too, a whole number spread over decades (1, 3, 10, 32 …).
var numeric = map[string]bool{"lr": true, "init-scale": true, "xmin": false, "dropout": false, "batch": true}

// integer are the settings that take whole numbers only.
var integer = map[string]bool{"batch": true}

// axesForm is the accepted form, for every error about a --map spec.
const axesForm = "two SETTING=LO:HI:COUNT, comma-separated, as in lr=1e-5:1:13,init-scale=0.01:1:9"

// mapSettings are the settings an axis may sweep, for errors.
const mapSettings = "lr, init-scale, xmin, dropout, batch"

// axisExample is an axis each setting accepts, for its errors.
var axisExample = map[string]string{"lr": "1e-5:1:13", "init-scale": "0.01:1:9", "xmin": "0:0.1:3", "dropout": "0:0.3:3", "batch": "1:1000:4"}

// ParseAxes reads "lr=1e-5:1:13,init-scale=0.01:1:9": two settings, each
// lo:hi:count. Each axis is judged on its own first, so an error names the
// part that is wrong ("lr=1:2:0" is a count of 0, not a missing axis), and
// every error ends in the form that is accepted.
func ParseAxes(spec string) ([2]Axis, error) {
	var axes [2]Axis
	parts := strings.Split(spec, ",")
	var got []Axis
	var names []string
	for _, p := range parts {
		a, err := parseAxis(strings.TrimSpace(p))
		if err != nil {
			return axes, err
		}
		got, names = append(got, a), append(names, a.Setting.Name)
	}
	switch {
	case len(got) == 1:
		return axes, fmt.Errorf("%s is one axis; a map sweeps %s", engine.QuoteValue(spec), axesForm)
	case len(got) != 2:
		return axes, fmt.Errorf("%d axes (%s); a map sweeps %s", len(got), strings.Join(names, ", "), axesForm)
	case names[0] == names[1]:
		return axes, fmt.Errorf("both axes are %s: want two different settings (of %s)", names[0], mapSettings)
	}
	return [2]Axis{got[0], got[1]}, nil
}

// parseAxis reads one axis, SETTING=LO:HI:COUNT.
func parseAxis(p string) (Axis, error) {
	name, rng, ok := strings.Cut(p, "=")
	st, known := engine.LookupSetting(name)
	log, isNum := numeric[name]
	form := fmt.Sprintf("as in %s=%s", name, axisExample[name])
	switch {
	case !ok:
		return Axis{}, fmt.Errorf("axis %s: want SETTING=LO:HI:COUNT (a map sweeps %s)", engine.QuoteValue(p), axesForm)
	case !known:
		return Axis{}, fmt.Errorf("axis %s: unknown setting (want one of %s)", engine.QuoteValue(name), mapSettings)
	case !isNum:
		return Axis{}, fmt.Errorf("axis %s: not a numeric setting (want one of %s)", name, mapSettings)
	}
	f := strings.Split(rng, ":")
	if len(f) != 3 {
		return Axis{}, fmt.Errorf("axis %s: %s has %d part(s); want LO:HI:COUNT, %s", name, engine.QuoteValue(rng), len(f), form)
	}
	var ends [2]float64
	for i, what := range []string{"LO", "HI"} {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return Axis{}, fmt.Errorf("axis %s: %s %s is not a finite number; %s", name, what, engine.QuoteValue(f[i]), form)
		}
		ends[i] = v
	}
	lo, hi := ends[0], ends[1]
	n, err := strconv.Atoi(f[2])
	switch {
	case err != nil || n < 1 || n > MaxCount:
		return Axis{}, fmt.Errorf("axis %s: count %s: want 1 to %d points, %s", name, engine.QuoteValue(f[2]), MaxCount, form)
	case lo > hi:
		return Axis{}, fmt.Errorf("axis %s: the range %g:%g is reversed (want LO ≤ HI: %s=%g:%g:%d)", name, lo, hi, name, hi, lo, n)
	case n == 1 && lo != hi:
		return Axis{}, fmt.Errorf("axis %s: one value needs LO = HI, as in %s=%g:%g:1, or a count of 2 or more", name, name, lo, lo)
	case n > 1 && lo == hi:
		return Axis{}, fmt.Errorf("axis %s: LO = HI is one value, as in %s=%g:%g:1; %d points need HI > LO", name, name, lo, lo, n)
	case log && !(lo > 0):
		return Axis{}, fmt.Errorf("axis %s: a log range needs LO > 0, not %g: %s spreads its points over decades, as in %s=%s", name, lo, name, name, axisExample[name])
	}
	a := Axis{Setting: st, Lo: lo, Hi: hi, Count: n, Log: log, Values: ladder(lo, hi, n, log, integer[name])}
	a.Count = len(a.Values)              // a whole-number ladder may have fewer distinct rungs than asked
	for i := 1; i < len(a.Values); i++ { // a range too narrow for its count, even at 15 digits
		if !(a.Values[i] > a.Values[i-1]) {
			return Axis{}, fmt.Errorf("axis %s: %g:%g is too narrow for %d distinct values: want fewer points or a wider range, as in %s=%s",
				name, lo, hi, n, name, axisExample[name])
		}
	}
	for _, v := range a.Values { // each value must be one the setting accepts
		probe := engine.DefaultConfig()
		if err := st.Apply(&probe, strconv.FormatFloat(v, 'g', -1, 64)); err != nil {
			return Axis{}, fmt.Errorf("axis %s: %v", name, err)
		}
	}
	return a, nil
}

// ladder is n values from lo to hi, evenly spaced in log or linear terms,
// each rounded to the fewest significant digits (at least 2) that keep it
// within a tenth of a rung of the exact spacing and all of them distinct:
// the values an axis prints are the values the map computes (3.2e-4, not
// 0.00031622776601683843). Whole-number settings are rounded to integers,
// and rungs that then coincide are merged. The ends are exactly as given.
func ladder(lo, hi float64, n int, log, whole bool) []float64 {
	exact := make([]float64, n)
	for k := range exact {
		t := 0.0
		if n > 1 {
			t = float64(k) / float64(n-1)
		}
		exact[k] = lo + t*(hi-lo)
		if log {
			exact[k] = math.Exp(math.Log(lo) + t*(math.Log(hi)-math.Log(lo)))
		}
	}
	exact[0], exact[n-1] = lo, hi
	rung := (hi - lo) / float64(max(n-1, 1))
	if log {
		rung = (math.Log(hi) - math.Log(lo)) / float64(max(n-1, 1))
	}
	var out []float64
	for digits := 2; digits <= 15; digits++ {
		out = out[:0]
		ok := true
		for k, v := range exact {
			r := v
			if k > 0 && k < n-1 {
				r, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', digits, 64), 64)
			}
			off := math.Abs(r - v)
			if log && r > 0 {
				off = math.Abs(math.Log(r) - math.Log(v))
			}
			if rung > 0 && off > rung/10 || len(out) > 0 && r <= out[len(out)-1] {
				ok = false
			}
			out = append(out, r)
		}
		if ok {
			break
		}
	}
	if !whole {
		return out
	}
	var ints []float64
	for _, v := range out {
		if r := math.Round(v); len(ints) == 0 || r > ints[len(ints)-1] {
			ints = append(ints, r)
		}
	}
	return ints
}

// Spec is a whole map to compute.
type Spec struct {
	Base  engine.Config // everything but the two axes
	Axes  [2]Axis
	Seeds int // runs per cell: seeds Base.Seed … Base.Seed+Seeds−1
	Steps int64
}

// Runs is how many trainings the map takes.
func (s Spec) Runs() int { return s.Axes[0].Count * s.Axes[1].Count * s.Seeds }

// Check refuses a map that is too large or empty.
func (s Spec) Check() error {
	if s.Seeds < 1 || s.Seeds > 1000 {
		return fmt.Errorf("seeds %d: want 1 to 1000", s.Seeds)
	}
	if r := s.Runs(); r > MaxRuns {
		return fmt.Errorf("%d cells × %d seeds = %s runs; at most %s", s.Axes[0].Count*s.Axes[1].Count, s.Seeds,
			engine.Commas(int64(r)), engine.Commas(MaxRuns))
	}
	return nil
}

// Cell is one point of the map and what its runs came to.
type Cell struct {
	X, Y      float64 // the two axis values
	Runs      int
	Counts    [outcomes]int
	MedianMSE float64 // median mse_above_0_01 over the runs that neither diverged nor were diverging (NaN if none)
	Steps     int64   // steps taken by all its runs (early stops make this small)
}

// Majority is the cell's most common outcome and its share.
func (c Cell) Majority() (int, float64) {
	best := 0
	for o := range c.Counts {
		if c.Counts[o] > c.Counts[best] {
			best = o
		}
	}
	return best, float64(c.Counts[best]) / float64(max(c.Runs, 1))
}

// Map is a computed map: Cells[y][x].
type Map struct {
	Spec  Spec
	Cells [][]Cell
}

// configFor is the configuration of job j: its cell's two values on the base, and its seed.
func configFor(spec Spec, j int) (engine.Config, error) {
	nx := spec.Axes[0].Count
	cell, seed := j/spec.Seeds, j%spec.Seeds
	x, y := cell%nx, cell/nx
	cfg := spec.Base.Clone()
	for i, v := range []float64{spec.Axes[0].Values[x], spec.Axes[1].Values[y]} {
		if err := spec.Axes[i].Setting.Apply(&cfg, strconv.FormatFloat(v, 'g', -1, 64)); err != nil {
			return cfg, err
		}
	}
	cfg.Seed = spec.Base.Seed + uint64(seed)
	return cfg, cfg.Validate()
}

// CellConfig is the configuration of cell (x, y) on the base (seed: the base's).
func (m *Map) CellConfig(x, y int) (engine.Config, error) {
	return configFor(m.Spec, (y*m.Spec.Axes[0].Count+x)*m.Spec.Seeds)
}
