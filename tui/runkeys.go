package tui

import (
	"fmt"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
)

// The handlers of the keys that change the run. Every change goes through
// a Session method; the table has already refused them in a lesson.

func (m *Model) cycleOptimizer(next bool) tea.Cmd {
	name := cycle(engine.Optimizers, m.session.Lane(m.sel).Config().Optimizer, next)
	if m.set("optimizer", name, m.sel) {
		m.say(false, "%soptimizer: %s, lr %s — weights kept, optimizer state reset", m.laneTag(), name, engine.FormatLR(m.session.Lane(m.sel).Config().LR))
	}
	return nil
}

func (m *Model) cycleInit(next bool) tea.Cmd {
	cfg := m.session.Lane(m.sel).Config()
	name := cycle(engine.Inits, cfg.Init, next)
	if m.set("init", name, engine.AllLanes) {
		m.say(false, "init: %s (%s) — restarted from step 0, seed %d", name, engine.InitDescription[name], cfg.Seed)
		m.restarted()
	}
	return nil
}

func (m *Model) cycleActivation(string) tea.Cmd {
	name := cycle(activationNames(), m.session.Lane(m.sel).Config().Activation, true)
	if m.set("activation", name, engine.AllLanes) {
		m.say(false, "activation: %s — restarted from step 0", name)
		m.restarted()
	}
	return nil
}

func (m *Model) changeLR(up bool) tea.Cmd {
	cur := m.session.Lane(m.sel).Config().LR
	lr, ok := lrStep(cur, up)
	switch {
	case !ok:
		m.say(false, "%slearning rate %s is the %s on the 1–2–5 ladder (1e-6 to 10)", m.laneTag(), engine.FormatLR(cur),
			map[bool]string{true: "largest", false: "smallest"}[up])
	case m.set("lr", strconv.FormatFloat(lr, 'g', -1, 64), m.sel):
		m.say(false, "%slearning rate: %s", m.laneTag(), engine.FormatLR(lr))
	}
	return nil
}

func (m *Model) changeBatch(up bool) tea.Cmd {
	cfg := m.session.Lane(m.sel).Config()
	b := ladder(batchLadder, cfg.Batch, up)
	switch {
	case b == cfg.Batch:
		m.say(false, "batch: %d is the %s on this ladder", b, map[bool]string{true: "largest", false: "smallest"}[up])
	case !m.set("batch", strconv.Itoa(b), engine.AllLanes):
	case cfg.Data == engine.DataGrid:
		m.say(false, "batch: %d (grid data trains on all %d grid points)", b, engine.GridPoints)
	default:
		m.say(false, "batch: %d — weights and optimizer state kept", b)
	}
	return nil
}

func (m *Model) race(string) tea.Cmd {
	s := m.session
	if s.Racing() {
		kept := m.sel
		s.EndRace(kept)
		m.sel = 0
		m.say(false, "race over: kept lane %c (%s)", 'A'+kept, s.Main().Config().Optimizer)
		return nil
	}
	if err := s.Race([]engine.Lane{{Optimizer: engine.OptSGD}, {Optimizer: engine.OptAdam}}, m.sel); err != nil {
		m.say(true, "%v", err)
		return nil
	}
	m.sel = 0
	m.say(false, "race: SGD vs Adam from the same weights on the same batches — tab picks a lane, C adds one, c keeps the picked lane")
	return nil
}

func (m *Model) addLane(string) tea.Cmd {
	s := m.session
	used := s.Optimizers()
	next := engine.OptMomentum
	for _, o := range engine.Optimizers {
		if indexOf(used, o) < 0 { // the first optimizer not racing yet
			next = o
			break
		}
	}
	if err := s.AddLane(m.sel, next); err != nil {
		m.say(true, "%v", err)
	} else {
		m.say(false, "lane %c: %s, forked from lane %c", 'A'+len(s.Lanes())-1, next, 'A'+m.sel)
	}
	return nil
}

func (m *Model) nextLane(string) tea.Cmd {
	m.sel = (m.sel + 1) % len(m.session.Lanes())
	m.say(false, "lane %c selected (%s): o and +/- act on it", 'A'+m.sel, m.session.Lane(m.sel).Config().Optimizer)
	return nil
}

// set changes a setting through the session and reports a refusal.
func (m *Model) set(name, value string, lane int) bool {
	if err := m.session.Set(name, value, lane); err != nil {
		m.say(true, "%v", err)
		return false
	}
	return true
}

// laneTag names the selected lane in messages during a race.
func (m *Model) laneTag() string {
	if !m.session.Racing() {
		return ""
	}
	return fmt.Sprintf("lane %c: ", 'A'+m.sel)
}

// batchLadder is what ] and [ step through.
var batchLadder = []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000}

func cycle(list []string, cur string, next bool) string {
	i := indexOf(list, cur)
	if i < 0 {
		i = 0
	}
	if next {
		return list[(i+1)%len(list)]
	}
	return list[(i-1+len(list))%len(list)]
}

// indexOf returns the position of s in list, or -1.
func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// ladder moves to the next rung above (or below) cur, staying at the end.
func ladder(rungs []int, cur int, up bool) int {
	if up {
		for _, r := range rungs {
			if r > cur {
				return r
			}
		}
		return max(cur, rungs[len(rungs)-1])
	}
	for i := len(rungs) - 1; i >= 0; i-- {
		if rungs[i] < cur {
			return rungs[i]
		}
	}
	return min(cur, rungs[0])
}

func activationNames() []string {
	out := make([]string, len(engine.Activations))
	for i, a := range engine.Activations {
		out[i] = a.String()
	}
	return out
}

// lrStep is the next learning rate on the 1–2–5 ladder from 1e-6 to 10,
// above (or below) lr; false at the end of the ladder.
func lrStep(lr float64, up bool) (float64, bool) {
	var rungs []float64
	for e := -6; e <= 1; e++ {
		for _, m := range []int{1, 2, 5} {
			// Parsed from its decimal, not m·10^e: 5·1e-6 is 4.9999999999999996e-06,
			// which prints so; the parsed rung is the double nearest 5e-06.
			if v, _ := strconv.ParseFloat(fmt.Sprintf("%de%d", m, e), 64); v <= 10 {
				rungs = append(rungs, v)
			}
		}
	}
	if up {
		for _, r := range rungs {
			if r > lr*(1+1e-9) {
				return r, true
			}
		}
		return lr, false
	}
	for i := len(rungs) - 1; i >= 0; i-- {
		if rungs[i] < lr*(1-1e-9) {
			return rungs[i], true
		}
	}
	return lr, false
}
