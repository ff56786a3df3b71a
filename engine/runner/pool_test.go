package runner

import (
	"sync"
	"testing"
	"time"
)

// Repro 18.3 in the pool: two runs whose step costs 60 ms (more than any
// share) and one whose steps cost 1 ms, on a 2-core pool, frames of 50 ms.
// Each frame every run asks for its share and trains through Do; the fake
// clock gives each run its own core from the frame's start. The honest run
// trains in every frame and gets its whole share; each slow run sits out
// frames until it is back within its share, so over the frames it trains
// no more than its share plus one step.
func TestPoolShareIsMeasuredInTime(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	p := NewPool(2)
	p.now = clock.Now
	var slept time.Duration
	p.sleep = func(d time.Duration) { slept += d } // the frames below keep the time
	fast, slow := time.Millisecond, 60*time.Millisecond
	costs := []*time.Duration{&fast, &slow, &slow}
	runs := make([]*Runner, len(costs))
	ids := make([]int64, len(costs))
	for i, c := range costs {
		runs[i], ids[i] = costly(t, clock, c), p.NewID()
		runs[i].now = clock.Now
	}
	const frame, limit, frames = 50 * time.Millisecond, 28 * time.Millisecond, 60
	trained := make([]time.Duration, len(runs))
	framesTrained := make([]int, len(runs))
	var shares time.Duration
	fair := frame * 2 * 4 / 5 / 3 // each run's share of the two cores, less a fifth for drawing
	for f := 0; f < frames; f++ {
		start := time.Unix(0, 0).Add(time.Duration(f) * frame)
		for i, r := range runs {
			clock.mu.Lock()
			clock.t = start
			clock.mu.Unlock()
			share := p.Share(ids[i], frame, limit)
			if i == 0 {
				shares += fair
			}
			var took int64
			charged := p.Do(ids[i], func() { took = r.Advance(Budget{Time: share}) })
			if took == 0 && charged != 0 || took > 0 && charged != clock.Now().Sub(start) {
				t.Fatalf("frame %d run %d: Do charged %v for %d steps in %v", f, i, charged, took, clock.Now().Sub(start))
			}
			if took > 0 {
				framesTrained[i]++
				trained[i] += clock.Now().Sub(start)
			}
		}
	}
	t.Logf("over %d frames of %v: fast run trained %d frames, %v (its share %v); slow runs %d and %d frames, %v and %v, sat out %d and %d",
		frames, frame, framesTrained[0], trained[0], shares, framesTrained[1], framesTrained[2], trained[1], trained[2],
		p.SatOut(ids[1]), p.SatOut(ids[2]))
	if framesTrained[0] != frames || trained[0] < shares*9/10 {
		t.Fatalf("the fast run trained %d of %d frames, %v of its %v", framesTrained[0], frames, trained[0], shares)
	}
	if slept <= 0 || slept > time.Duration(p.SatOut(ids[1])+p.SatOut(ids[2]))*frame {
		t.Fatalf("sitting out waited %v in all, at most a frame (%v) each time", slept, frame)
	}
	for i := 1; i < len(runs); i++ {
		if trained[i] > shares+slow || p.SatOut(ids[i]) == 0 {
			t.Fatalf("slow run %d trained %v against a share of %v (+ one %v step), sat out %d", i, trained[i], shares, slow, p.SatOut(ids[i]))
		}
	}
}

// Every slot taken is given back, and no more than Cores runs hold one at
// once, however many runs ask at the same time.
func TestPoolSlotsAreBoundedAndReleased(t *testing.T) {
	p := NewPool(2)
	var mu sync.Mutex
	in, most := 0, 0
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(id int64) {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				p.Share(id, 50*time.Millisecond, 28*time.Millisecond)
				p.Do(id, func() {
					mu.Lock()
					in++
					most = max(most, in)
					mu.Unlock()
					time.Sleep(100 * time.Microsecond)
					mu.Lock()
					in--
					mu.Unlock()
				})
			}
		}(p.NewID())
	}
	wg.Wait()
	if most > 2 || most < 1 || len(p.slots) != 0 {
		t.Fatalf("at most %d at once on 2 cores; %d slots still held", most, len(p.slots))
	}
}
