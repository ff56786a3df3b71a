package engine

import (
	"fmt"
	"time"
)

// Session is what a driver (the dashboard, headless mode, a lesson) trains:
// one trainer, or the 2 to MaxLanes lanes of a fair race. Lanes are forks of
// one trainer: the same weights at the fork and the same batches forever
// after, each with its own optimizer and learning rate. They move in lockstep.
type Session struct {
	Lanes []*Trainer
}

// NewSession starts a session of one lane.
func NewSession(t *Trainer) *Session { return &Session{Lanes: []*Trainer{t}} }

// Racing reports whether there is more than one lane.
func (s *Session) Racing() bool { return len(s.Lanes) > 1 }

// Main is the first lane: the one a single run is, and the one a race keeps
// its configuration from.
func (s *Session) Main() *Trainer { return s.Lanes[0] }

// Race forks lane keep into one lane per optimizer. Each lane's learning
// rate is the one its optimizer last used in that trainer, or its default.
func (s *Session) Race(optimizers []string, keep int) error {
	if len(optimizers) < 2 || len(optimizers) > MaxLanes {
		return fmt.Errorf("a race has 2 to %d lanes, not %d", MaxLanes, len(optimizers))
	}
	for _, o := range optimizers {
		if err := CheckOptimizer(o); err != nil {
			return err
		}
	}
	base := s.Lanes[clampLane(keep, len(s.Lanes))]
	lanes := make([]*Trainer, len(optimizers))
	for i, o := range optimizers {
		lanes[i] = base.Fork()
		_ = lanes[i].SetOptimizer(o)
	}
	s.Lanes = lanes
	return nil
}

// AddLane forks one more lane from lane from, with the given optimizer.
func (s *Session) AddLane(from int, optimizer string) error {
	if len(s.Lanes) >= MaxLanes {
		return fmt.Errorf("a race has at most %d lanes", MaxLanes)
	}
	if err := CheckOptimizer(optimizer); err != nil {
		return err
	}
	l := s.Lanes[clampLane(from, len(s.Lanes))].Fork()
	_ = l.SetOptimizer(optimizer)
	s.Lanes = append(s.Lanes, l)
	return nil
}

// EndRace keeps lane keep alone.
func (s *Session) EndRace(keep int) {
	s.Lanes = []*Trainer{s.Lanes[clampLane(keep, len(s.Lanes))]}
}

func clampLane(i, n int) int { return max(0, min(i, n-1)) }

// Run takes n steps on every lane that has not diverged and returns the
// steps the first live lane took.
func (s *Session) Run(n int) int {
	took := 0
	for _, l := range s.Lanes {
		if k := l.Run(n); k > took {
			took = k
		}
	}
	return took
}

// RunFor spends about budget in all: the first live lane runs for its share,
// then every other lane takes as many steps, so lanes stay in lockstep.
func (s *Session) RunFor(budget time.Duration) int {
	share := budget / time.Duration(len(s.Lanes))
	for i, l := range s.Lanes {
		if d, _, _ := l.Diverged(); d {
			continue
		}
		k := l.RunFor(share, 0)
		for _, other := range s.Lanes[i+1:] {
			other.Run(k)
		}
		return k
	}
	return 0
}

// Step is the furthest any lane has got: lanes move in lockstep until one
// diverges, and then the others go on.
func (s *Session) Step() int64 {
	var n int64
	for _, l := range s.Lanes {
		n = max(n, l.Step())
	}
	return n
}

// AllDiverged reports whether no lane can train any more.
func (s *Session) AllDiverged() bool {
	for _, l := range s.Lanes {
		if d, _, _ := l.Diverged(); !d {
			return false
		}
	}
	return true
}

// restart applies a restarting change to the first lane and re-forks the
// others from it, each keeping its optimizer and learning rate.
func (s *Session) restart(change func(*Trainer) error) error {
	base := s.Lanes[0]
	if err := change(base); err != nil {
		return err
	}
	for i := 1; i < len(s.Lanes); i++ {
		opt, lr := s.Lanes[i].cfg.Optimizer, s.Lanes[i].cfg.LR
		l := base.Fork()
		_ = l.SetOptimizer(opt)
		_ = l.SetLR(lr)
		s.Lanes[i] = l
	}
	return nil
}

// Reset restarts every lane from seed.
func (s *Session) Reset(seed uint64) {
	_ = s.restart(func(t *Trainer) error { t.Reset(seed); return nil })
}

// Reinit restarts every lane with another initializer.
func (s *Session) Reinit(init string) error {
	return s.restart(func(t *Trainer) error { return t.Reinit(init) })
}

// SetActivation restarts every lane with another activation.
func (s *Session) SetActivation(name string) error {
	return s.restart(func(t *Trainer) error { return t.SetActivation(name) })
}

// SetBatch changes every lane's batch size; they keep seeing the same batches.
func (s *Session) SetBatch(b int) error {
	for _, l := range s.Lanes {
		if err := l.SetBatch(b); err != nil {
			return err
		}
	}
	return nil
}

// Replace starts over with a new trainer (a preset, a token) as the only lane.
func (s *Session) Replace(t *Trainer) { s.Lanes = []*Trainer{t} }

// Lanes' optimizers, for tokens and headers.
func (s *Session) Optimizers() []string {
	out := make([]string, len(s.Lanes))
	for i, l := range s.Lanes {
		out[i] = l.cfg.Optimizer
	}
	return out
}
