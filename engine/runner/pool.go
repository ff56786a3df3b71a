package runner

import (
	"sync"
	"sync/atomic"
	"time"
)

// Pool shares the machine's cores among many runs (the SSH classroom's
// sessions and the teacher's): at most Cores of them train at a time, and
// each run's time budget per frame is its fair share of the cores among the
// runs that trained in the last second, so no run starves another and the
// total never exceeds the cores. A run that stops (paused, disconnected)
// simply stops counting a second later.
type Pool struct {
	cores int
	slots chan struct{}
	busy  atomic.Int64 // total training time so far, in ns
	ids   atomic.Int64

	mu   sync.Mutex
	seen map[int64]time.Time // run → when it last trained
}

// activeWindow is how recently a run must have trained to count as active.
const activeWindow = time.Second

// NewPool makes a pool over cores cores (at least 1).
func NewPool(cores int) *Pool {
	cores = max(cores, 1)
	return &Pool{cores: cores, slots: make(chan struct{}, cores), seen: map[int64]time.Time{}}
}

// NewID names a run for the pool's accounting.
func (p *Pool) NewID() int64 { return p.ids.Add(1) }

// Share is run id's training time in a frame of the given length: the
// frame's worth of all cores divided among the active runs, with a fifth
// left for drawing, and never more than limit.
func (p *Pool) Share(id int64, frame, limit time.Duration) time.Duration {
	n := int64(max(p.Active(), 1))
	p.mu.Lock()
	if _, ok := p.seen[id]; !ok { // about to train: count it now
		n++
	}
	p.mu.Unlock()
	share := time.Duration(int64(frame) * int64(p.cores) * 4 / 5 / n)
	return max(min(share, limit), time.Millisecond)
}

// Do runs f for run id holding one of the cores, and counts its time.
func (p *Pool) Do(id int64, f func()) {
	p.slots <- struct{}{}
	t0 := time.Now()
	defer func() {
		p.busy.Add(int64(time.Since(t0)))
		p.mu.Lock()
		p.seen[id] = time.Now()
		p.mu.Unlock()
		<-p.slots
	}()
	f()
}

// Active is how many runs trained in the last second.
func (p *Pool) Active() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	n := 0
	for id, t := range p.seen {
		if now.Sub(t) > activeWindow {
			delete(p.seen, id)
			continue
		}
		n++
	}
	return n
}

// Busy is the total time runs have trained through the pool.
func (p *Pool) Busy() time.Duration { return time.Duration(p.busy.Load()) }

// Cores is how many runs may train at once.
func (p *Pool) Cores() int { return p.cores }
