package runner

import (
	"sync"
	"sync/atomic"
	"time"
)

// Pool shares the machine's cores among many runs (the SSH classroom's
// sessions, the teacher's, and the runs of collapse maps): at most Cores of
// them train at a time, and each run's time budget per frame is its fair
// share of the cores among the runs that trained in the last second, so the
// total never exceeds the cores. A run that stops (paused, disconnected)
// simply stops counting a second later.
//
// The share is measured in time, not trusted: each run has a balance that
// fills at its share per frame (up to one share) and Do takes off what the
// run really trained. Share gives no more than the balance, so a run that
// overran by a step trains that much less next frame; a run in debt (one
// step can cost more than a whole share: tanh at batch 10000 is ~18 ms)
// sits out Do until its average is back to its share, so runs with cheap
// steps keep their frames.
type Pool struct {
	cores int
	slots chan struct{}
	busy  atomic.Int64 // total training time so far, in ns
	ids   atomic.Int64
	now   func() time.Time    // time.Now; tests put a fake clock here
	sleep func(time.Duration) // time.Sleep; ... and a sleep of no time

	mu   sync.Mutex
	runs map[int64]*account
}

// account is what the pool knows of one run.
type account struct {
	seen    time.Time     // when it last asked for a share or trained
	share   time.Duration // its fair share per frame, when it last asked ...
	frame   time.Duration // ... of a frame this long
	balance time.Duration // training time it may still spend (< 0: owed)
	filled  time.Time     // when balance was last filled
	sat     int64         // calls of Do it sat out
}

// fill adds the time since the balance was last filled, at the run's share
// per frame; capped, the balance holds at most one share (time unused while
// idle is not saved up), uncapped it keeps what accrued while training.
func (a *account) fill(now time.Time, capped bool) {
	if now.After(a.filled) {
		if a.frame > 0 {
			a.balance += time.Duration(float64(now.Sub(a.filled)) * float64(a.share) / float64(a.frame))
		}
		a.filled = now
	}
	if capped {
		a.balance = min(a.balance, a.share)
	}
}

// activeWindow is how recently a run must have trained to count as active.
const activeWindow = time.Second

// NewPool makes a pool over cores cores (at least 1).
func NewPool(cores int) *Pool {
	cores = max(cores, 1)
	return &Pool{cores: cores, slots: make(chan struct{}, cores), runs: map[int64]*account{}, now: time.Now, sleep: time.Sleep}
}

// NewID names a run for the pool's accounting.
func (p *Pool) NewID() int64 { return p.ids.Add(1) }

// Share is run id's training time in a frame of the given length: the
// frame's worth of all cores divided among the active runs, with a fifth
// left for drawing, never more than limit, less what the run overran lately.
func (p *Pool) Share(id int64, frame, limit time.Duration) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	n := int64(max(p.active(), 1))
	a := p.runs[id]
	if a == nil || now.Sub(a.seen) > activeWindow { // about to train: count it now
		n++
	}
	share := time.Duration(int64(frame) * int64(p.cores) * 4 / 5 / n)
	share = max(min(share, limit), time.Millisecond)
	if a == nil {
		a = &account{balance: share, filled: now}
		p.runs[id] = a
	}
	a.share, a.frame, a.seen = share, frame, now
	a.fill(now, true)
	if a.balance > 0 {
		share = max(min(share, a.balance), time.Millisecond)
	}
	return share
}

// Do runs f for run id holding one of the cores, and counts its time. A run
// whose balance is spent sits this call out: f is not called, and Do first
// waits until the balance is paid back or a frame has passed, so a driver
// that calls again at once (a dashboard at full speed) does not spin.
// It returns the training time it charged the run (0 sat out): summed, a
// run's seconds of its fair share of the cores (a class's challenge ranks
// forks by them).
func (p *Pool) Do(id int64, f func()) (charged time.Duration) {
	p.mu.Lock()
	a := p.runs[id]
	if a == nil { // Do without Share: a share of a 1/30 s frame
		a = &account{share: time.Second / 30 * 4 / 5, frame: time.Second / 30, filled: p.now()}
		a.balance = a.share
		p.runs[id] = a
	}
	now := p.now()
	a.seen = now // active, trained or not: its share stays counted
	a.fill(now, true)
	if a.balance <= 0 {
		a.sat++
		wait := a.frame
		if a.share > 0 {
			wait = min(wait, time.Duration(float64(-a.balance)*float64(a.frame)/float64(a.share))+time.Millisecond)
		}
		p.mu.Unlock()
		p.sleep(wait)
		return 0
	}
	p.mu.Unlock()
	p.slots <- struct{}{}
	t0 := p.now()
	defer func() {
		end := p.now()
		el := end.Sub(t0)
		p.busy.Add(int64(el))
		p.mu.Lock()
		a.seen = end
		a.fill(end, false)
		a.balance -= el
		p.mu.Unlock()
		<-p.slots
		charged = el
	}()
	f()
	return charged
}

// Active is how many runs asked for a share or trained in the last second.
func (p *Pool) Active() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.active()
}

func (p *Pool) active() int {
	now := p.now()
	n := 0
	for id, a := range p.runs {
		if now.Sub(a.seen) > activeWindow {
			delete(p.runs, id) // forgotten: a run that comes back starts afresh
			continue
		}
		n++
	}
	return n
}

// SatOut is how many calls of Do run id sat out to pay back an overrun.
func (p *Pool) SatOut(id int64) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a := p.runs[id]; a != nil {
		return a.sat
	}
	return 0
}

// Busy is the total time runs have trained through the pool.
func (p *Pool) Busy() time.Duration { return time.Duration(p.busy.Load()) }

// Cores is how many runs may train at once.
func (p *Pool) Cores() int { return p.cores }
