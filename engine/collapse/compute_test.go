package collapse

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"testing"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// slowSpec is one long run that neither collapses nor converges soon.
func slowSpec(t *testing.T) Spec {
	t.Helper()
	spec := questionSpec(t, "lr=1e-5:1e-5:1,init-scale=1:1:1", 1, 200_000)
	spec.Base.Init, spec.Base.Batch = engine.InitNormal, 500
	return spec
}

// Repro 18.9: a map run looks at its context between steps, not between
// 100-step blocks: cancelled after its first sub-run, it takes no more.
func TestMapRunStopsAtTheStepItIsCancelled(t *testing.T) {
	for _, pooled := range []bool{false, true} {
		t.Run(fmt.Sprintf("pool=%v", pooled), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var steps, subRuns atomic.Int64
			o := Options{afterSubRun: func(n int64) {
				steps.Add(n)
				if subRuns.Add(1) == 1 {
					cancel()
				}
			}}
			if pooled {
				o.Pool = runner.NewPool(1)
			}
			_, err := ComputeWith(ctx, slowSpec(t), o)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled map: %v", err)
			}
			if subRuns.Load() != 1 || steps.Load() != 1 {
				t.Fatalf("cancelled after its first step, the run went on: %d sub-runs, %d steps", subRuns.Load(), steps.Load())
			}
		})
	}
}

// Repro 18.4: a map in the pool gives its core back between turns. On a
// one-core pool, a student asks for a frame once the map has trained; the
// map stops itself only when the student's frame has run, so the map must
// have yielded the core for the test to end.
func TestMapInThePoolYieldsTheCore(t *testing.T) {
	p := runner.NewPool(1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	studentRan := make(chan struct{})
	var asked atomic.Bool
	var after atomic.Int64
	o := Options{Pool: p, afterSubRun: func(int64) {
		if !asked.Swap(true) {
			go func() {
				id := p.NewID()
				p.Share(id, 50*time.Millisecond, 28*time.Millisecond)
				p.Do(id, func() { close(studentRan) })
			}()
		}
		select {
		case <-studentRan:
			after.Add(1)
			cancel()
		default:
		}
	}}
	if _, err := ComputeWith(ctx, slowSpec(t), o); !errors.Is(err, context.Canceled) || after.Load() == 0 {
		t.Fatalf("the map ended (%v) without the student's frame running in between", err)
	}
}

// A map computed through the pool is the map computed on its own, bit for
// bit, and its training time is the pool's.
func TestMapInThePoolIsTheSameMap(t *testing.T) {
	spec := questionSpec(t, "lr=1e-4:0.1:3,init-scale=0.05:1:2", 2, 1200)
	alone, err := Compute(context.Background(), spec, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := runner.NewPool(2)
	pooled, err := ComputeWith(context.Background(), spec, Options{Pool: p})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(alone.Cells) != fmt.Sprint(pooled.Cells) {
		t.Fatalf("alone:\n%v\npooled:\n%v", alone.Cells, pooled.Cells)
	}
	if p.Busy() <= 0 {
		t.Fatal("the pooled map trained outside the pool")
	}
}

// A run whose loss is still exploding when its steps run out, not yet
// NaN or ∞, is diverging, not learning: SGD at lr 1.3 from the normal init
// grows its loss about ×2.5 a step and overflows only near step 750, so at
// 400 steps every seed is diverging, and given 1,500 every seed has diverged.
func TestSlowDivergenceIsNotLearning(t *testing.T) {
	spec := questionSpec(t, "lr=1.3:1.3:1,init-scale=1:1:1", 3, 400)
	spec.Base.Init = engine.InitNormal
	m, err := Compute(context.Background(), spec, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := m.Cells[0][0]
	if c.Counts[Diverging] != 3 || !math.IsNaN(c.MedianMSE) {
		t.Fatalf("400 steps of lr 1.3: %v %+v", OutcomeNames, c)
	}
	if o, _ := c.Majority(); OutcomeNames[o] != "diverging" {
		t.Fatalf("majority %s", OutcomeNames[o])
	}
	spec.Steps = 1500
	if m, err = Compute(context.Background(), spec, 0, nil); err != nil || m.Cells[0][0].Counts[Diverged] != 3 {
		t.Fatalf("1,500 steps of lr 1.3: %+v %v", m.Cells[0][0], err)
	}
	// The healthy end of the same axis is not diverging.
	spec = questionSpec(t, "lr=0.001:0.001:1,init-scale=1:1:1", 3, 400)
	spec.Base.Init = engine.InitNormal
	if m, err = Compute(context.Background(), spec, 0, nil); err != nil || m.Cells[0][0].Counts[Learning] != 3 {
		t.Fatalf("400 steps of lr 0.001: %+v %v", m.Cells[0][0], err)
	}
}
