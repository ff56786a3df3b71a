package engine

import (
	"math/rand/v2"
	"unsafe"
)

// A Moment is a whole session at one step, kept so the run can be looked at
// there again and branched from it: every lane's weights, optimizer state,
// batch and dropout streams and run record. Branching restores exactly
// these bits, so a branch trained n steps equals the uninterrupted run n
// steps later, bit for bit (timeline_test.go).
type Moment struct {
	Step  int64  // the session's step
	Why   string // "" a planned step; else the setup change it was taken after ("optimizer → adam")
	Label string // the session's label then
	Frame bool   // kept as one of the last frames' (Timeline.Frame), not for its step

	origin string
	base   Config
	lanes  []laneState
	bytes  int64
}

// laneState is one trainer's state, without the buffers a trainer rebuilds
// from its configuration (workspaces, the evaluation grid, the fast path's
// tables): those hold nothing from one step to the next.
type laneState struct {
	cfg            Config
	lrs            map[string]float64
	params         []float64
	grads          []float64 // the last step's gradient: a moment's ‖∇‖ is that step's, and so is a branch's before it steps
	opt            Optimizer
	batchSrc, drop rand.PCG
	rec            record // its history stored at its length, not its capacity
	dense          bool
}

// momentOf copies s into a moment.
func momentOf(s *Session, why string) *Moment {
	m := &Moment{Step: s.Step(), Why: why, Label: s.Label(), origin: s.Origin, base: s.base.Clone(),
		lanes: make([]laneState, len(s.lanes))}
	m.bytes = int64(unsafe.Sizeof(*m)) + int64(len(m.Label)+len(why))
	for i, t := range s.lanes {
		ls := laneState{cfg: t.cfg.Clone(), lrs: make(map[string]float64, len(t.lrs)),
			params: append([]float64(nil), t.net.Params...), grads: append([]float64(nil), t.grads...), opt: cloneOptimizer(t.opt),
			batchSrc: *t.batchSrc, drop: *t.dropSrc, rec: t.rec.clone(), dense: t.dense}
		for k, v := range t.lrs {
			ls.lrs[k] = v
		}
		ls.rec.hist = compactHistory(t.rec.hist)
		m.lanes[i] = ls
		m.bytes += ls.size()
	}
	return m
}

// size is about how many bytes the lane state holds (slices by length, plus
// their headers and the fixed parts), the figure the budget is kept in.
func (ls *laneState) size() int64 {
	const f = 8
	n := int64(unsafe.Sizeof(*ls)) + int64(len(ls.params)+len(ls.grads))*f + int64(len(ls.lrs))*48
	n += optStateLen(ls.opt) * f
	h := ls.rec.hist
	n += int64(unsafe.Sizeof(*h)) + int64(len(h.Buckets)+len(h.Log))*int64(unsafe.Sizeof(Bucket{}))
	n += int64(len(ls.rec.updateRatio)+len(ls.rec.diedAt))*f + int64(len(ls.rec.diedExact))
	for _, u := range ls.rec.units {
		n += 24 + int64(len(u))*int64(unsafe.Sizeof(unitDeath{}))
	}
	return n + int64(len(ls.rec.divergeReason))
}

// optStateLen is how many float64s an optimizer's state holds.
func optStateLen(o Optimizer) int64 {
	switch o := o.(type) {
	case *Momentum:
		return int64(len(o.V))
	case *RMSProp:
		return int64(len(o.S))
	case *Adagrad:
		return int64(len(o.S))
	case *Adam:
		return int64(len(o.M) + len(o.V))
	}
	return 0
}

// compactHistory copies h at its length: a moment never adds to it.
func compactHistory(h *History) *History {
	return &History{Width: h.Width, Steps: h.Steps, Buckets: append([]Bucket(nil), h.Buckets...),
		Log: append([]Bucket(nil), h.Log...)}
}

// Bytes is about how much memory the moment holds.
func (m *Moment) Bytes() int64 { return m.bytes }

// Session is a new, independent session in exactly the moment's state: the
// view of that step (frames, metrics) and the start of a branch.
func (m *Moment) Session() (*Session, error) {
	s := &Session{}
	return s, m.restore(s)
}

// Restore puts session s back to the moment (a branch): the caller's pointer
// stays valid, so every driver holding s trains on from there. A stop set
// with SetStop is dropped with the old lanes.
func (s *Session) Restore(m *Moment) error { return m.restore(s) }

func (m *Moment) restore(s *Session) error {
	lanes := make([]*Trainer, len(m.lanes))
	for i := range m.lanes {
		t, err := m.lanes[i].trainer()
		if err != nil {
			return err
		}
		lanes[i] = t
	}
	s.Origin, s.base, s.lanes = m.origin, m.base.Clone(), lanes
	return nil
}

// trainer rebuilds a trainer from the state: New for the buffers, then every
// number that carries from one step to the next.
func (ls *laneState) trainer() (*Trainer, error) {
	t, err := New(ls.cfg) // a live trainer's config: valid, unless memory ran out
	if err != nil {
		return nil, err
	}
	copy(t.net.Params, ls.params)
	copy(t.grads, ls.grads)
	t.opt = cloneOptimizer(ls.opt)
	t.lrs = make(map[string]float64, len(ls.lrs))
	for k, v := range ls.lrs {
		t.lrs[k] = v
	}
	bs, ds := ls.batchSrc, ls.drop
	t.batchSrc, t.dropSrc = &bs, &ds
	t.rec = ls.rec.clone() // the history back at full capacity, so Add never allocates
	t.dense = ls.dense
	return t, nil
}
