package collapse

import (
	"context"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// Options say where and how a map is computed.
type Options struct {
	// Workers is how many runs train at once (0: GOMAXPROCS, or the pool's cores).
	Workers int
	// Pool, if set, is the cores the runs share with everyone else's training
	// (the classroom's): each run trains in turns of its share of the pool and
	// gives its core back between turns, so a map never holds a core for more
	// than one turn (plus one step) while a student waits for a frame.
	Pool *runner.Pool
	// Progress, if set, is called with the runs done so far.
	Progress func(done, total int)

	afterSubRun func(steps int64) // tests: called after every sub-run of every run
}

// A map's turn in the pool: its share of a frame this long, at most turnMax,
// so a student waits at most about turnMax for a core.
const (
	turnFrame = 25 * time.Millisecond
	turnMax   = 20 * time.Millisecond
)

// result of one run.
type result struct {
	outcome int
	mse     float64
	steps   int64
}

// Compute runs the map on workers goroutines (0: GOMAXPROCS). progress, if
// not nil, is called with the runs done so far. Cancelling ctx stops it
// early with ctx's error.
func Compute(ctx context.Context, spec Spec, workers int, progress func(done, total int)) (*Map, error) {
	return ComputeWith(ctx, spec, Options{Workers: workers, Progress: progress})
}

// ComputeWith runs the map as o says. Cancelling ctx stops every run within
// one step (within one part of a huge step) and returns ctx's error.
func ComputeWith(ctx context.Context, spec Spec, o Options) (*Map, error) {
	if err := spec.Check(); err != nil {
		return nil, err
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
		if o.Pool != nil {
			workers = o.Pool.Cores()
		}
	}
	total := spec.Runs()
	workers = min(workers, total)
	results := make([]result, total)
	jobs := make(chan int)
	var done atomic.Int64
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var id int64
			if o.Pool != nil {
				id = o.Pool.NewID()
			}
			for j := range jobs {
				r, err := runOne(ctx, spec, j, o, id)
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					continue
				}
				results[j] = r
				if d := done.Add(1); o.Progress != nil {
					o.Progress(int(d), total)
				}
			}
		}()
	}
feed:
	for j := 0; j < total; j++ {
		select {
		case jobs <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return assemble(spec, results), nil
}

// assemble turns the runs' results into cells.
func assemble(spec Spec, results []result) *Map {
	nx, ny := spec.Axes[0].Count, spec.Axes[1].Count
	m := &Map{Spec: spec, Cells: make([][]Cell, ny)}
	for y := 0; y < ny; y++ {
		m.Cells[y] = make([]Cell, nx)
		for x := 0; x < nx; x++ {
			c := Cell{X: spec.Axes[0].Values[x], Y: spec.Axes[1].Values[y], Runs: spec.Seeds}
			var mses []float64
			for s := 0; s < spec.Seeds; s++ {
				r := results[(y*nx+x)*spec.Seeds+s]
				c.Counts[r.outcome]++
				c.Steps += r.steps
				if !math.IsNaN(r.mse) { // a diverged or diverging run has none
					mses = append(mses, r.mse)
				}
			}
			c.MedianMSE = median(mses)
			m.Cells[y][x] = c
		}
	}
	return m
}

// run is one training of the map, settled or not.
type run struct {
	tr    *engine.Trainer
	spec  Spec
	taken int64
	res   *result // set once the outcome is settled
}

// runOne trains job j until its outcome is settled or its steps are spent:
// on its own, or in turns through the pool.
func runOne(ctx context.Context, spec Spec, j int, o Options, id int64) (result, error) {
	cfg, err := configFor(spec, j)
	if err != nil {
		return result{}, err
	}
	tr, err := engine.New(cfg)
	if err != nil {
		return result{}, err
	}
	tr.SetStop(func() bool { return ctx.Err() != nil }) // asked between the parts of a huge step
	r := &run{tr: tr, spec: spec}
	for r.res == nil {
		if err := ctx.Err(); err != nil {
			return result{}, err
		}
		if o.Pool == nil {
			r.train(ctx, 0, o.afterSubRun)
			continue
		}
		budget := o.Pool.Share(id, turnFrame, turnMax)
		// A worker that had more than its share lately sits a turn out (Do waits, at most a turn).
		o.Pool.Do(id, func() { r.train(ctx, budget, o.afterSubRun) })
	}
	return *r.res, nil
}

// train takes steps until the outcome is settled, budget is spent (0: no
// limit) or ctx is done. The outcome is looked at on fixed steps (every
// 100, the MSE every 1,000), never at times, so a map is the same bit for
// bit however its runs are cut into sub-runs; time only sizes the sub-runs,
// so ctx is looked at between steps even when a step is slow.
func (r *run) train(ctx context.Context, budget time.Duration, after func(int64)) {
	const blockSteps = 100
	start := time.Now()
	var pace runner.Pacer
	for r.res == nil && ctx.Err() == nil {
		if r.taken >= r.spec.Steps {
			r.settle()
			return
		}
		next := min(r.spec.Steps, (r.taken/blockSteps+1)*blockSteps) // the next step the outcome is looked at
		left := time.Duration(0)
		if budget > 0 {
			left = budget - time.Since(start)
			if left <= 0 {
				return
			}
		}
		n := pace.Next(next-r.taken, left)
		t0 := time.Now()
		took := int64(r.tr.Run(int(n)))
		pace.Took(took, time.Since(t0))
		r.taken += took
		if after != nil {
			after(took)
		}
		if d, _, _ := r.tr.Diverged(); d {
			r.res = &result{Diverged, math.NaN(), r.taken}
			return
		}
		if took < n && ctx.Err() == nil { // MaxStep: nothing more to take
			r.settle()
			return
		}
		if r.taken == next {
			if r.tr.LayerDied() {
				r.res = &result{Collapsed, r.tr.Metrics().MSEAbove001, r.taken}
				return
			}
			if r.taken%checkEvery == 0 {
				if mse := r.tr.Metrics().MSEAbove001; mse < ConvergedMSE {
					r.res = &result{Converged, mse, r.taken}
					return
				}
			}
		}
	}
}

// settle classifies a run whose steps are spent.
func (r *run) settle() {
	tr := r.tr
	var o int
	switch tr.Diagnose().Status {
	case engine.StatusCollapsed, engine.StatusSaturated:
		o = Collapsed
	case engine.StatusConverged:
		o = Converged
	case engine.StatusDiverged:
		r.res = &result{Diverged, math.NaN(), r.taken}
		return
	case engine.StatusDiverging: // its mse is only how far it has blown up by now: not a figure to take a median of
		r.res = &result{Diverging, math.NaN(), r.taken}
		return
	default:
		o = Learning
	}
	r.res = &result{o, tr.Metrics().MSEAbove001, r.taken}
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}
