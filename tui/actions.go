package tui

import (
	"fmt"
	"math"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
)

// updateKey answers a key outside the picker. Every change to the run goes
// through a Session method; the keys that would change the setup are
// refused, with the reason, while a lesson runs.
func (m *Model) updateKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := &m.keys
	k.enable(m.keyState())
	if m.following {
		switch {
		case key.Matches(msg, k.Fork):
			m.say(false, "forking the teacher's run…")
			hub := m.opts.Hub
			return func() tea.Msg { s, err := hub.fork(); return forkedMsg{s, err} }, false
		case key.Matches(msg, k.Quit, k.Help, k.InitLab, k.ErrorView, k.LogScale, k.LogSteps, k.Smooth, k.Map),
			m.mode == modeHelp && key.Matches(msg, k.PickUp, k.PickDown),
			m.mode == modeMap && (pressed(msg, k.PickUp, k.PickDown) || msg.String() == "left" || msg.String() == "right" ||
				msg.String() == "enter" || msg.String() == "esc"):
			// looking: below
		default:
			m.say(true, "you are following the teacher's run, so %s is the teacher's key; f gives you a copy of your own", msg.String())
			return nil, false
		}
	}
	if m.lessonActive() && pressed(msg, k.setupKeys()...) {
		m.say(true, "the lesson sets up the run: %s does nothing until it ends (L ends it)", msg.String())
		return nil, false
	}
	if m.mode == modeMap {
		if handled, cmd := m.mapKey(msg); handled {
			return cmd, false
		}
		if msg.String() == "esc" {
			m.mode = modePlots
			return nil, false
		}
	}
	s := m.session
	cur := s.Lane(m.sel)
	cfg := cur.Config()
	var cmd tea.Cmd
	switch {
	case key.Matches(msg, k.Quit):
		return nil, true
	case m.mode == modeHelp && key.Matches(msg, k.PickUp, k.PickDown):
		if key.Matches(msg, k.PickUp) {
			m.helpScroll = max(0, m.helpScroll-1)
		} else {
			m.helpScroll = min(m.helpScroll+1, 200)
		}
	case key.Matches(msg, k.Help):
		m.helpScroll = 0
		m.toggle(modeHelp)
	case key.Matches(msg, k.Pause):
		cmd = m.space()
	case key.Matches(msg, k.Step):
		s.Run(1)
		m.say(false, "one step: loss %s", engine.FormatValue(s.Lane(m.sel).LastLoss()))
	case pressed(msg, k.Step):
		m.say(false, "n steps once while paused: press space first")
	case key.Matches(msg, k.NextOpt, k.PrevOpt):
		name := cycle(engine.Optimizers, cfg.Optimizer, key.Matches(msg, k.NextOpt))
		m.set("optimizer", name, m.sel)
		m.say(false, "%soptimizer: %s, lr %g — weights kept, optimizer state reset", m.laneTag(), name, s.Lane(m.sel).Config().LR)
	case key.Matches(msg, k.NextInit, k.PrevInit):
		name := cycle(engine.Inits, cfg.Init, key.Matches(msg, k.NextInit))
		if m.set("init", name, engine.AllLanes) {
			m.say(false, "init: %s (%s) — restarted from step 0, seed %d", name, engine.InitDescription[name], cfg.Seed)
			m.restarted()
		}
	case key.Matches(msg, k.Activation):
		name := cycle(activationNames(), cfg.Activation, true)
		if m.set("activation", name, engine.AllLanes) {
			m.say(false, "activation: %s — restarted from step 0", name)
			m.restarted()
		}
	case key.Matches(msg, k.Reset):
		s.Reset(cfg.Seed)
		m.say(false, "reset: seed %d, step 0", cfg.Seed)
		m.restarted()
	case key.Matches(msg, k.NewSeed):
		s.Reset(cfg.Seed + 1)
		m.say(false, "reset with a new seed: %d", cfg.Seed+1)
		m.restarted()
	case key.Matches(msg, k.LRUp, k.LRDown):
		up := key.Matches(msg, k.LRUp)
		lr, ok := lrStep(cfg.LR, up)
		switch {
		case !ok:
			m.say(false, "%slearning rate %g is the %s on the 1–2–5 ladder (1e-6 … 10)", m.laneTag(), cfg.LR,
				map[bool]string{true: "largest", false: "smallest"}[up])
		case m.set("lr", strconv.FormatFloat(lr, 'g', -1, 64), m.sel):
			m.say(false, "%slearning rate: %g", m.laneTag(), lr)
		}
	case key.Matches(msg, k.BatchUp, k.BatchDown):
		b := ladder(batchLadder, cfg.Batch, key.Matches(msg, k.BatchUp))
		switch {
		case b == cfg.Batch:
			m.say(false, "batch: %d is the %s on this ladder", b, map[bool]string{true: "largest", false: "smallest"}[key.Matches(msg, k.BatchUp)])
		case !m.set("batch", strconv.Itoa(b), engine.AllLanes):
		case cfg.Data == engine.DataGrid:
			m.say(false, "batch: %d (grid data trains on all %d grid points)", b, engine.GridPoints)
		default:
			m.say(false, "batch: %d — weights and optimizer state kept", b)
		}
	case key.Matches(msg, k.Faster, k.Slower):
		old := m.speed
		if m.ramp { // leave the ramp at the rung nearest its pace now
			m.ramp = false
			old = -1
			m.speed = rungFor(m.rampPace)
		}
		if key.Matches(msg, k.Faster) {
			m.speed = min(m.speed+1, len(speeds)-1)
		} else {
			m.speed = max(m.speed-1, 0)
		}
		if m.speed == old {
			m.say(false, "speed: %s is already the %s", speedLabel(speeds[m.speed]), map[bool]string{true: "fastest", false: "slowest"}[key.Matches(msg, k.Faster)])
		} else {
			m.say(false, "speed: %s", speedLabel(speeds[m.speed]))
		}
		if m.running { // restart the chain at the new pace
			cmd = m.resume()
		}
	case key.Matches(msg, k.Race):
		if s.Racing() {
			kept := m.sel
			s.EndRace(kept)
			m.sel = 0
			m.say(false, "race over: kept lane %c (%s)", 'A'+kept, s.Main().Config().Optimizer)
		} else {
			_ = s.Race([]engine.Lane{{Optimizer: engine.OptSGD}, {Optimizer: engine.OptAdam}}, m.sel)
			m.sel = 0
			m.say(false, "race: SGD vs Adam from the same weights on the same batches — tab picks a lane, C adds one, c keeps the picked lane")
		}
	case key.Matches(msg, k.AddLane):
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
	case pressed(msg, k.AddLane):
		m.say(false, "C adds a lane to a race: c starts one")
	case key.Matches(msg, k.NextLane):
		m.sel = (m.sel + 1) % len(s.Lanes())
		m.say(false, "lane %c selected (%s): o and +/- act on it", 'A'+m.sel, s.Lane(m.sel).Config().Optimizer)
	case key.Matches(msg, k.Follow):
		m.following = true
		m.pause()
		if f, ok := m.opts.Hub.latest(); ok { // the teacher's run at once, not at its next frame
			m.frame = f
		}
		m.say(false, "following the teacher again; f makes a copy of your own")
	case key.Matches(msg, k.InitLab):
		wasLab := m.mode == modeLab
		m.toggle(modeLab)
		if h := m.opts.Hub; h != nil && m.opts.Follow { // the teacher sends layer views while anyone looks
			if !wasLab && m.mode == modeLab {
				h.labWanted.Add(1)
			} else if wasLab && m.mode != modeLab {
				h.labWanted.Add(-1)
			}
		}
	case key.Matches(msg, k.ErrorView):
		m.toggle(modeError)
	case key.Matches(msg, k.Map):
		if m.mode == modeMap {
			m.mode = modePlots
		} else {
			cmd = m.openMap()
		}
	case key.Matches(msg, k.Preset):
		m.openPicker(pickPreset, presetRows(), max(indexOf(presets.Names(), s.Origin), 0))
	case key.Matches(msg, k.Lesson):
		if m.lessonActive() {
			m.run.EndLesson()
			m.say(false, "lesson ended: the run is yours; L picks a lesson again")
		} else {
			m.openPicker(pickLesson, lessonRows(), 0)
		}
	case key.Matches(msg, k.LogScale):
		m.logLoss = !m.logLoss
		m.say(false, "loss scale: %s", map[bool]string{true: "log10", false: "linear"}[m.logLoss])
	case key.Matches(msg, k.LogSteps):
		m.logSteps = !m.logSteps
		m.say(false, "loss plot's step axis: %s", map[bool]string{true: "log (the first steps get their share of the width)", false: "linear"}[m.logSteps])
	case key.Matches(msg, k.Smooth):
		m.smooth = !m.smooth
		m.say(false, "smoothed loss line: %s", map[bool]string{true: "on", false: "off"}[m.smooth])
	case key.Matches(msg, k.Save):
		m.save()
	}
	return cmd, false
}

func (m *Model) keyState() keyState {
	if m.following {
		return keyState{racing: m.frame.racing, lesson: m.frame.lesson && !m.frame.lessonDone, broadcast: true, following: true}
	}
	return keyState{running: m.running, racing: m.session.Racing(), lesson: m.lessonActive(), diverged: m.session.AllDiverged(),
		broadcast: m.opts.Hub != nil && m.opts.Follow}
}

// set changes a setting through the session and reports a refusal.
func (m *Model) set(name, value string, lane int) bool {
	if err := m.session.Set(name, value, lane); err != nil {
		m.say(true, "%v", err)
		return false
	}
	return true
}

// space is the presenter's key: continue a caption, leave an ended lesson,
// pause, or run.
func (m *Model) space() tea.Cmd {
	r := m.run
	switch {
	case r.Waiting:
		r.Continue()
		r.Settle() // the commands up to the next training or caption, now
		m.applyDirectives()
		m.say(false, "lesson: next")
		if r.Waiting || r.Done {
			return nil
		}
		return m.resume()
	case r.Lesson != nil && r.Done:
		r.EndLesson()
		m.say(false, "lesson over: training on freely")
		return m.resume()
	case m.running:
		m.pause()
		m.say(false, "paused at step %s", engine.Commas(m.session.Step()))
	case m.session.AllDiverged():
		m.say(true, "the run diverged: r resets, - lowers the learning rate first")
	default:
		m.say(false, "running")
		return m.resume()
	}
	return nil
}

// toggle opens a body mode, or returns to the plots if it is open.
func (m *Model) toggle(to mode) {
	if m.mode == to {
		m.mode = m.back
		if m.mode == to || m.mode == modeHelp || m.mode == modePicker {
			m.mode = modePlots
		}
		return
	}
	if to == modeHelp {
		m.back = m.mode
	} else {
		m.back = modePlots
	}
	m.mode = to
}

// picked applies the picker's choice.
func (m *Model) picked(p pickedMsg) tea.Cmd {
	m.mode = m.back
	switch p.kind {
	case pickPreset:
		pr, _ := presets.Get(presets.Names()[p.index])
		cfg := pr.Config
		cfg.Seed = m.session.Main().Config().Seed
		if err := m.session.Start(pr.Name, cfg); err != nil {
			m.say(true, "preset %s: %v", pr.Name, err)
			return nil
		}
		m.run, m.sel = runner.New(m.session, nil), 0
		m.restarted()
		m.say(false, "preset: %s", pr.Name)
	case pickLesson:
		l := runner.Lessons[p.index]
		m.startLesson(l)
		m.restarted()
		m.say(false, "lesson: %s — space continues at each caption", l.Title)
		if m.run.Waiting || m.run.Done {
			m.pause()
			return nil
		}
	}
	if m.running {
		return m.resume()
	}
	return nil
}

// laneTag names the selected lane in messages during a race.
func (m *Model) laneTag() string {
	if !m.session.Racing() {
		return ""
	}
	return fmt.Sprintf("lane %c: ", 'A'+m.sel)
}

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

func speedLabel(n int) string {
	switch n {
	case 0:
		return "max"
	case 1:
		return "1 step/frame"
	}
	return fmt.Sprintf("%d steps/frame", n)
}

// lrStep is the next learning rate on the 1–2–5 ladder from 1e-6 to 10,
// above (or below) lr; false at the end of the ladder.
func lrStep(lr float64, up bool) (float64, bool) {
	var rungs []float64
	for e := -6; e <= 1; e++ {
		for _, m := range []float64{1, 2, 5} {
			if v := m * math.Pow10(e); v <= 10 {
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

// rungFor is the speed rung (steps a frame) nearest a pace, from below.
func rungFor(stepsPerFrame float64) int {
	best := 0
	for i, n := range speeds {
		if n > 0 && float64(n) <= stepsPerFrame {
			best = i
		}
	}
	if stepsPerFrame > float64(speeds[len(speeds)-2]) {
		return len(speeds) - 1
	}
	return best
}
