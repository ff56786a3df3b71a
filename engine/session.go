package engine

import (
	"fmt"
	"strings"
)

// Session is what a driver (the dashboard, headless mode, a lesson) trains:
// one trainer, or the 2 to MaxLanes lanes of a fair race. Lanes are forks of
// one trainer: the same weights at the fork and the same batches forever
// after, each with its own optimizer and learning rate. They move in lockstep.
//
// Every change to a run goes through a Session method, and each says which
// lanes it touches: keys, lesson commands and tokens call the same methods,
// so the same verb does the same thing whoever asks.
type Session struct {
	Origin string // the preset, token label or "loaded" the run started from
	base   Config // its configuration: Label says what changed since
	lanes  []*Trainer
}

// AllLanes selects every lane for Set.
const AllLanes = -1

// NewSession starts a session of one lane.
func NewSession(t *Trainer, origin string) *Session {
	return &Session{Origin: origin, base: t.Config(), lanes: []*Trainer{t}}
}

// SetOrigin says what the run started from, and that configuration, so the
// label names what has changed since (a preset overridden by flags).
func (s *Session) SetOrigin(origin string, base Config) { s.Origin, s.base = origin, base.Clone() }

// Label names the run: where it started and what has changed since, e.g.
// "question · init → normal". Headers, file names, tokens and the JSON
// summary's preset use it. In a race, per-lane settings are the lanes' own
// business and are left out.
func (s *Session) Label() string {
	parts := []string{s.Origin}
	cur := s.Main().Config()
	for _, st := range settings {
		if st.Name == "seed" || st.PerLane && s.Racing() {
			continue
		}
		if v := st.Get(cur); v != st.Get(s.base) {
			parts = append(parts, st.Name+" → "+v)
		}
	}
	return strings.Join(parts, " · ")
}

// Lanes are the session's trainers, for reading: change them through the
// Session's methods.
func (s *Session) Lanes() []*Trainer { return s.lanes }

// Lane returns lane i (clamped to the lanes there are).
func (s *Session) Lane(i int) *Trainer { return s.lanes[clampLane(i, len(s.lanes))] }

// Racing reports whether there is more than one lane.
func (s *Session) Racing() bool { return len(s.lanes) > 1 }

// Main is the first lane: the one a single run is, and the one a race keeps
// its configuration from.
func (s *Session) Main() *Trainer { return s.lanes[0] }

func clampLane(i, n int) int { return max(0, min(i, n-1)) }

// Set changes one setting, by its name in the settings table, from a
// string as a flag, a token or a lesson would give it:
//   - a per-lane setting (optimizer, lr) changes lane `lane`, or every lane
//     for AllLanes; the weights are kept;
//   - a restarting setting (init, activation, hidden, xmin, data, seed)
//     restarts every lane from step 0 with the same seed (the new one for
//     seed), each lane keeping its optimizer and learning rate;
//   - the others (batch, dropout) change every lane and keep the weights
//     and the optimizer state, so lanes keep seeing the same batches.
func (s *Session) Set(name, value string, lane int) error {
	st, ok := LookupSetting(name)
	if !ok {
		return fmt.Errorf("unknown setting %s (want one of %v)", QuoteValue(name), SettingNames())
	}
	targets := s.lanes
	if st.PerLane && lane != AllLanes {
		targets = []*Trainer{s.Lane(lane)}
	}
	// Validate once, on the first target's config, before changing anything.
	cfg := targets[0].Config()
	if err := st.Apply(&cfg, value); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	switch {
	case st.Restarts:
		return s.restart(func(t *Trainer) error { return t.restartWith(cfg) })
	case name == "optimizer":
		for _, t := range targets {
			t.setOptimizer(cfg.Optimizer)
		}
	case name == "lr":
		for _, t := range targets {
			t.setLR(cfg.LR)
		}
	default:
		for _, t := range targets {
			next := t.Config()
			_ = st.Apply(&next, value) // valid: checked above
			if err := t.setLive(next); err != nil {
				return err
			}
		}
	}
	return nil
}

// SetLR sets a lane's learning rate (AllLanes: every lane's).
func (s *Session) SetLR(lr float64, lane int) error { return s.Set("lr", fmtFloat(lr), lane) }

// Reset restarts every lane from seed.
func (s *Session) Reset(seed uint64) {
	_ = s.restart(func(t *Trainer) error { t.Reset(seed); return nil })
}

// Start replaces the session with a fresh single run of cfg: a preset, a
// token, a lesson's `preset`.
func (s *Session) Start(label string, cfg Config) error {
	t, err := New(cfg)
	if err != nil {
		return err
	}
	s.Origin, s.base, s.lanes = label, t.Config(), []*Trainer{t}
	return nil
}

// Race forks lane `from` into one lane per entry. Lanes given without a
// learning rate (LR 0) take the one their optimizer last used, or its default.
func (s *Session) Race(lanes []Lane, from int) error {
	if len(lanes) < 2 || len(lanes) > MaxLanes {
		return fmt.Errorf("a race has 2 to %d lanes, not %d", MaxLanes, len(lanes))
	}
	for _, l := range lanes {
		if err := CheckOptimizer(l.Optimizer); err != nil {
			return err
		}
		if l.LR != 0 {
			if err := CheckLR(l.LR); err != nil {
				return err
			}
		}
	}
	base := s.Lane(from)
	out := make([]*Trainer, len(lanes))
	for i, l := range lanes {
		out[i] = base.Fork()
		if i > 0 { // lane A goes on as the run was; the others start here (their plots say so)
			out[i].rec.forkedAt = out[i].rec.step
		}
		out[i].setOptimizer(l.Optimizer)
		if l.LR != 0 {
			out[i].setLR(l.LR)
		}
	}
	s.lanes = out
	return nil
}

// AddLane forks one more lane from lane from, with the given optimizer.
func (s *Session) AddLane(from int, optimizer string) error {
	if len(s.lanes) >= MaxLanes {
		return fmt.Errorf("a race has at most %d lanes", MaxLanes)
	}
	if err := CheckOptimizer(optimizer); err != nil {
		return err
	}
	l := s.Lane(from).Fork()
	l.rec.forkedAt = l.rec.step
	l.setOptimizer(optimizer)
	s.lanes = append(s.lanes, l)
	return nil
}

// EndRace keeps lane keep alone.
func (s *Session) EndRace(keep int) {
	s.lanes = []*Trainer{s.Lane(keep)}
}

// Setup is the session as a token carries it: configuration, label, lanes.
func (s *Session) Setup() Setup {
	su := Setup{Label: s.Label(), Config: s.Main().Config()}
	if s.Racing() {
		for _, l := range s.lanes {
			su.Lanes = append(su.Lanes, Lane{Optimizer: l.cfg.Optimizer, LR: l.cfg.LR})
		}
	}
	return su
}

// SetStop gives every lane a question to ask between the parts of a huge
// step (see Trainer.SetStop); nil removes it.
func (s *Session) SetStop(stop func() bool) {
	for _, l := range s.lanes {
		l.SetStop(stop)
	}
}

// Clone is an independent copy of the whole session: every lane's weights,
// optimizer state, step, history and batch stream. Stepped alike, the copy
// and the original stay bit-identical: a student's fork of the teacher's run.
func (s *Session) Clone() *Session {
	c := &Session{Origin: s.Origin, base: s.base.Clone(), lanes: make([]*Trainer, len(s.lanes))}
	for i, l := range s.lanes {
		c.lanes[i] = l.Clone()
	}
	return c
}

// Run takes n steps on every lane that has not diverged and returns the
// most steps any lane took.
func (s *Session) Run(n int) int {
	took := 0
	for _, l := range s.lanes {
		if k := l.Run(n); k > took {
			took = k
		}
	}
	return took
}

// Step is the furthest any lane has got: lanes move in lockstep until one
// diverges, and then the others go on.
func (s *Session) Step() int64 {
	var n int64
	for _, l := range s.lanes {
		n = max(n, l.Step())
	}
	return n
}

// AllDiverged reports whether no lane can train any more.
func (s *Session) AllDiverged() bool {
	for _, l := range s.lanes {
		if d, _, _ := l.Diverged(); !d {
			return false
		}
	}
	return true
}

// restart applies a restarting change to the first lane and re-forks the
// others from it, each keeping its optimizer and learning rate.
func (s *Session) restart(change func(*Trainer) error) error {
	base := s.lanes[0]
	if err := change(base); err != nil {
		return err
	}
	for i := 1; i < len(s.lanes); i++ {
		opt, lr := s.lanes[i].cfg.Optimizer, s.lanes[i].cfg.LR
		l := base.Fork()
		l.setOptimizer(opt)
		l.setLR(lr)
		s.lanes[i] = l
	}
	return nil
}

// Optimizers lists the lanes' optimizers, for headers.
func (s *Session) Optimizers() []string {
	out := make([]string, len(s.lanes))
	for i, l := range s.lanes {
		out[i] = l.cfg.Optimizer
	}
	return out
}
