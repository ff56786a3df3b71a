// Package tui is lnfit's dashboard: a Bubble Tea program that drives an
// engine.Session (one trainer, or the lanes of a fair race) on ticks and
// draws its snapshots.
package tui

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"lnfit/engine"
	"lnfit/presets"
)

// Options are what the command passes to the dashboard.
type Options struct {
	Preset      string          // shown in the header
	SavePath    string          // where w saves ("" = a name made from the preset and step)
	StartPaused bool            // tests start still, so every frame is deterministic
	Lanes       []string        // start racing these optimizers (from --compare or a token)
	Lesson      *presets.Lesson // start this lesson
	Classroom   bool            // projector layout
}

// Frame timing: ~30 frames a second. At full speed each frame trains for
// trainBudget and then draws; the rest of the frame is snapshot and View.
const (
	frame       = time.Second / 30
	trainBudget = 28 * time.Millisecond
)

// speeds are steps per frame; 0 is "as fast as possible" (a time budget).
var speeds = []int{1, 2, 5, 10, 100, 1000, 0}

// batchLadder is what ] and [ step through.
var batchLadder = []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000}

// The views that can take the plots' place.
const (
	viewPlots = iota
	viewInitLab
	viewError
)

type tickMsg struct{ id int }

// Model is the root model: it owns the session and routes keys.
type Model struct {
	session *engine.Session
	sel     int                // the selected lane: o, O, +, - act on it
	snaps   []engine.Snapshot  // one per lane, taken after every frame
	lab     []engine.LayerView // the selected lane's layers, while the init lab is open
	player  *presets.Player    // the running lesson, if any
	opts    Options
	keys    keyMap
	help    help.Model
	st      styles
	rate    rateMeter
	saved   map[string]bool // files this session wrote: w may replace those

	width, height int
	running       bool
	speed         int // index into speeds
	tickID        int
	view          int
	logLoss       bool
	smooth        bool
	showHelp      bool
	picking       bool // the preset picker is open
	pickingLesson bool // the lesson picker is open
	pickIdx       int
	msg           string
	msgBad        bool
	msgAt         time.Time
	now           func() time.Time
}

// New builds the dashboard around a trainer.
func New(tr *engine.Trainer, o Options) Model {
	if o.Preset == "" {
		o.Preset = "custom"
	}
	m := Model{
		session: engine.NewSession(tr), opts: o, keys: newKeyMap(), help: help.New(), st: newStyles(),
		saved: map[string]bool{}, running: !o.StartPaused, speed: len(speeds) - 1,
		logLoss: true, now: time.Now, width: 80, height: 24,
	}
	if o.Classroom {
		m.st = m.st.classroom()
	}
	if len(o.Lanes) > 0 {
		_ = m.session.Race(o.Lanes, 0) // checked by the command
	}
	if o.Lesson != nil {
		m.startLesson(o.Lesson)
	}
	m.refresh()
	m.rate.reset(m.now(), m.cur().Step())
	return m
}

// Run starts the dashboard in the alternate screen and returns when the user quits.
func Run(tr *engine.Trainer, o Options) error {
	p := tea.NewProgram(New(tr, o), tea.WithAltScreen())
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) {
		return nil
	}
	return err
}

// cur is the selected lane.
func (m Model) cur() *engine.Trainer { return m.session.Lanes[m.sel] }

// snap is the selected lane's last snapshot.
func (m Model) snap() *engine.Snapshot { return &m.snaps[m.sel] }

// Init starts the tick loop.
func (m Model) Init() tea.Cmd {
	if m.running {
		return m.nextTick()
	}
	return nil
}

func (m Model) nextTick() tea.Cmd {
	id := m.tickID
	if speeds[m.speed] == 0 {
		// Full speed: the next frame starts as soon as this one is drawn.
		return func() tea.Msg { return tickMsg{id} }
	}
	return tea.Tick(frame, func(time.Time) tea.Msg { return tickMsg{id} })
}

// Update answers keys, resizes and ticks.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		return m, nil
	case tickMsg:
		if msg.id != m.tickID || !m.running {
			return m, nil // a tick from before a pause: drop it
		}
		m.train()
		if !m.running {
			return m, nil
		}
		return m, m.nextTick()
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			// Keys typed faster than the input is read arrive as one message
			// ("ooo"): answer each, as if they had come one by one.
			var model tea.Model = m
			cmds := make([]tea.Cmd, 0, len(msg.Runes))
			for _, r := range msg.Runes {
				var cmd tea.Cmd
				model, cmd = model.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
				cmds = append(cmds, cmd)
			}
			return model, tea.Batch(cmds...)
		}
		switch {
		case m.picking:
			return m.updatePicker(msg)
		case m.pickingLesson:
			return m.updateLessonPicker(msg)
		}
		return m.updateKey(msg)
	}
	return m, nil
}

// train runs one frame's worth of steps and takes fresh snapshots. A lesson
// decides how far to go and when to stop for the presenter.
func (m *Model) train() {
	if p := m.player; p != nil && !p.Done {
		if err := p.Advance(); err != nil {
			m.say(true, "%v", err)
		}
		m.opts.Preset = p.Label
		m.sel = min(m.sel, len(m.session.Lanes)-1)
		if p.Waiting || p.Done {
			m.pause()
			m.refresh()
			return
		}
	}
	n := speeds[m.speed]
	if p := m.player; p != nil && p.Training {
		left := int(min(p.Remaining(), math.MaxInt32))
		if n == 0 {
			// Full speed, but never past the lesson's stop.
			done := 0
			start := time.Now()
			for done < left && time.Since(start) < trainBudget && !m.session.AllDiverged() {
				done += m.session.Run(min(left-done, 100))
			}
		} else {
			m.session.Run(min(n, left))
		}
		p.Check()
	} else if n == 0 {
		m.session.RunFor(trainBudget)
	} else {
		m.session.Run(n)
	}
	m.rate.add(m.now(), m.cur().Step())
	m.refresh()
	if m.session.AllDiverged() && (m.player == nil || m.player.Done) {
		m.pause()
		s := m.snap()
		m.say(true, "diverged at step %s — r resets, - lowers the learning rate", engine.Commas(s.DivergedAt))
	}
}

func (m *Model) refresh() {
	m.snaps = m.snaps[:0]
	for _, l := range m.session.Lanes {
		m.snaps = append(m.snaps, l.Snapshot())
	}
	m.sel = min(m.sel, len(m.snaps)-1)
	m.lab = nil
	if m.view == viewInitLab {
		m.lab = m.cur().Inspect()
	}
}

func (m *Model) say(bad bool, format string, a ...any) {
	m.msg, m.msgBad, m.msgAt = fmt.Sprintf(format, a...), bad, m.now()
}

// resume starts a new tick chain; older ticks carry an old id and are dropped.
func (m *Model) resume() tea.Cmd {
	m.running = true
	m.tickID++
	m.rate.reset(m.now(), m.cur().Step())
	return m.nextTick()
}

func (m *Model) pause() {
	m.running = false
	m.tickID++
}

func (m *Model) restarted() {
	m.rate.reset(m.now(), 0)
	m.refresh()
}

func (m *Model) startLesson(l *presets.Lesson) {
	m.player = presets.NewPlayer(l, m.session, m.opts.Preset)
	if err := m.player.Advance(); err != nil {
		m.say(true, "%v", err)
	}
	m.opts.Preset = m.player.Label
	m.sel = 0
}

func (m Model) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	cur := m.cur()
	cfg := cur.Config()
	var cmd tea.Cmd
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = !m.showHelp
	case key.Matches(msg, k.Pause):
		switch {
		case m.player != nil && m.player.Waiting:
			m.player.Continue()
			cmd = m.resume()
			m.say(false, "lesson: next")
		case m.running:
			m.pause()
			m.say(false, "paused at step %s", engine.Commas(cur.Step()))
		case m.session.AllDiverged():
			m.say(true, "the run diverged: r resets, - lowers the learning rate first")
		default:
			cmd = m.resume()
			m.say(false, "running")
		}
	case key.Matches(msg, k.Step):
		if m.running {
			m.say(false, "n steps once while paused: press space first")
			break
		}
		if m.session.AllDiverged() {
			m.say(true, "the run diverged: r resets")
			break
		}
		m.session.Run(1)
		m.refresh()
		m.say(false, "one step: loss %s", engine.FormatValue(m.snap().Metrics.LastLoss))
	case key.Matches(msg, k.NextOpt), key.Matches(msg, k.PrevOpt):
		name := cycle(engine.Optimizers, cfg.Optimizer, key.Matches(msg, k.NextOpt))
		_ = cur.SetOptimizer(name)
		m.say(false, "%soptimizer: %s, lr %g — weights kept, optimizer state reset", m.laneTag(), name, cur.Config().LR)
		m.refresh()
	case key.Matches(msg, k.NextInit), key.Matches(msg, k.PrevInit):
		name := cycle(engine.Inits, cfg.Init, key.Matches(msg, k.NextInit))
		_ = m.session.Reinit(name)
		m.say(false, "init: %s (%s) — restarted from step 0, seed %d", name, engine.InitDescription[name], cfg.Seed)
		m.restarted()
	case key.Matches(msg, k.Activation):
		name := cycle(activationNames(), cfg.Activation, true)
		_ = m.session.SetActivation(name)
		m.say(false, "activation: %s — restarted from step 0", name)
		m.restarted()
	case key.Matches(msg, k.Reset):
		m.session.Reset(cfg.Seed)
		m.say(false, "reset: seed %d, step 0", cfg.Seed)
		m.restarted()
	case key.Matches(msg, k.NewSeed):
		m.session.Reset(cfg.Seed + 1)
		m.say(false, "reset with a new seed: %d", cfg.Seed+1)
		m.restarted()
	case key.Matches(msg, k.LRUp), key.Matches(msg, k.LRDown):
		lr := cfg.LR * 2
		if key.Matches(msg, k.LRDown) {
			lr = cfg.LR / 2
		}
		if err := cur.SetLR(lr); err != nil {
			m.say(true, "%v", err)
		} else {
			m.say(false, "%slearning rate: %g", m.laneTag(), lr)
		}
		m.refresh()
	case key.Matches(msg, k.BatchUp), key.Matches(msg, k.BatchDown):
		b := ladder(batchLadder, cfg.Batch, key.Matches(msg, k.BatchUp))
		if err := m.session.SetBatch(b); err != nil {
			m.say(true, "%v", err)
		} else if cfg.Data == engine.DataGrid {
			m.say(false, "batch: %d (grid data trains on all %d grid points)", b, engine.GridPoints)
		} else {
			m.say(false, "batch: %d — weights and optimizer state kept", b)
		}
		m.refresh()
	case key.Matches(msg, k.Faster), key.Matches(msg, k.Slower):
		if key.Matches(msg, k.Faster) {
			m.speed = min(m.speed+1, len(speeds)-1)
		} else {
			m.speed = max(m.speed-1, 0)
		}
		m.say(false, "speed: %s", speedLabel(speeds[m.speed]))
		if m.running { // restart the chain at the new pace
			cmd = m.resume()
		}
	case key.Matches(msg, k.Race):
		if m.session.Racing() {
			kept := m.sel
			m.session.EndRace(kept)
			m.sel = 0
			m.say(false, "race over: kept lane %c (%s)", 'A'+kept, m.cur().Config().Optimizer)
		} else {
			_ = m.session.Race([]string{engine.OptSGD, engine.OptAdam}, 0)
			m.sel = 0
			m.say(false, "race: SGD vs Adam from the same weights on the same batches — tab picks a lane, C adds one, c keeps the picked lane")
		}
		m.refresh()
	case key.Matches(msg, k.AddLane):
		if !m.session.Racing() {
			m.say(false, "c starts a race first")
			break
		}
		used := m.session.Optimizers()
		next := engine.OptMomentum
		for _, o := range engine.Optimizers {
			if indexOf(used, o) < 0 { // the first optimizer not racing yet
				next = o
				break
			}
		}
		if err := m.session.AddLane(m.sel, next); err != nil {
			m.say(true, "%v", err)
		} else {
			m.say(false, "lane %c: %s, forked from lane %c", 'A'+len(m.session.Lanes)-1, next, 'A'+m.sel)
		}
		m.refresh()
	case key.Matches(msg, k.NextLane):
		if m.session.Racing() {
			m.sel = (m.sel + 1) % len(m.session.Lanes)
			m.say(false, "lane %c selected (%s): o and +/- act on it", 'A'+m.sel, m.cur().Config().Optimizer)
		}
	case key.Matches(msg, k.InitLab):
		m.view = toggleView(m.view, viewInitLab)
		m.refresh()
	case key.Matches(msg, k.ErrorView):
		m.view = toggleView(m.view, viewError)
	case key.Matches(msg, k.Preset):
		m.picking = true
		m.pickIdx = max(indexOf(presets.Names(), m.opts.Preset), 0) // a token's label may be no preset
	case key.Matches(msg, k.Lesson):
		m.pickingLesson = true
		m.pickIdx = 0
	case key.Matches(msg, k.LogScale):
		m.logLoss = !m.logLoss
		m.say(false, "loss scale: %s", map[bool]string{true: "log10", false: "linear"}[m.logLoss])
	case key.Matches(msg, k.Smooth):
		m.smooth = !m.smooth
		m.say(false, "smoothed loss line: %s", map[bool]string{true: "on", false: "off"}[m.smooth])
	case key.Matches(msg, k.Save):
		m.save()
	}
	return m, cmd
}

func toggleView(cur, v int) int {
	if cur == v {
		return viewPlots
	}
	return v
}

// laneTag names the selected lane in messages during a race.
func (m Model) laneTag() string {
	if !m.session.Racing() {
		return ""
	}
	return fmt.Sprintf("lane %c: ", 'A'+m.sel)
}

func (m Model) updatePicker(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	names := presets.Names()
	switch {
	case key.Matches(msg, k.PickUp):
		m.pickIdx = (m.pickIdx - 1 + len(names)) % len(names)
	case key.Matches(msg, k.PickDown):
		m.pickIdx = (m.pickIdx + 1) % len(names)
	case key.Matches(msg, k.PickEnter):
		p, _ := presets.Get(names[m.pickIdx])
		cfg := p.Config
		cfg.Seed = m.cur().Config().Seed
		tr, err := engine.New(cfg)
		if err != nil {
			m.say(true, "preset %s: %v", p.Name, err)
			break
		}
		m.session.Replace(tr)
		m.sel, m.player = 0, nil
		m.opts.Preset = p.Name
		m.picking = false
		m.restarted()
		m.say(false, "preset: %s", p.Name)
		if m.running {
			return m, m.resume()
		}
	case key.Matches(msg, k.PickCancel):
		m.picking = false
	case msg.String() == "ctrl+c":
		return m, tea.Quit
	}
	return m, nil
}

func (m Model) updateLessonPicker(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	n := len(presets.Lessons)
	switch {
	case key.Matches(msg, k.PickUp):
		m.pickIdx = (m.pickIdx - 1 + n) % n
	case key.Matches(msg, k.PickDown):
		m.pickIdx = (m.pickIdx + 1) % n
	case key.Matches(msg, k.PickEnter):
		m.pickingLesson = false
		m.startLesson(presets.Lessons[m.pickIdx])
		m.restarted()
		m.say(false, "lesson: %s — space continues at each caption", presets.Lessons[m.pickIdx].Title)
		if !m.player.Waiting && !m.player.Done {
			return m, m.resume()
		}
		m.pause()
	case key.Matches(msg, k.PickCancel):
		m.pickingLesson = false
	case msg.String() == "ctrl+c":
		return m, tea.Quit
	}
	return m, nil
}

// Token is the current setup as a shareable config token.
func (m Model) Token() string {
	s := engine.Setup{Label: m.opts.Preset, Config: m.session.Main().Config()}
	if m.session.Racing() {
		s.Lanes = m.session.Optimizers()
	}
	return s.Token()
}

// save writes the selected lane's network atomically. It never replaces a
// file this session did not write: it picks a fresh name instead and says so.
func (m *Model) save() {
	path := m.opts.SavePath
	if path == "" {
		path = fmt.Sprintf("lnfit-%s-step%d.json", m.opts.Preset, m.cur().Step())
	}
	chosen := freeName(path, m.saved)
	if err := m.cur().SaveFile(chosen); err != nil {
		m.say(true, "not saved: %v (training goes on)", err)
		return
	}
	m.saved[chosen] = true
	abs, err := filepath.Abs(chosen)
	if err != nil {
		abs = chosen
	}
	if chosen != path {
		m.say(false, "saved to %s (%s exists, so a new name)", abs, path)
	} else {
		m.say(false, "saved to %s", abs)
	}
}

// freeName returns path if it does not exist or was written by us, else
// path with -1, -2, … before its extension.
func freeName(path string, ours map[string]bool) string {
	if _, err := os.Stat(path); os.IsNotExist(err) || ours[path] {
		return path
	}
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for i := 1; ; i++ {
		p := fmt.Sprintf("%s-%d%s", base, i, ext)
		if _, err := os.Stat(p); os.IsNotExist(err) || ours[p] {
			return p
		}
	}
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

// ladder moves to the next rung above (or below) cur.
func ladder(rungs []int, cur int, up bool) int {
	if up {
		for _, r := range rungs {
			if r > cur {
				return r
			}
		}
		return rungs[len(rungs)-1]
	}
	for i := len(rungs) - 1; i >= 0; i-- {
		if rungs[i] < cur {
			return rungs[i]
		}
	}
	return rungs[0]
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

// rateMeter measures steps per second over the last second or so of frames:
// the figure a user reads is what the dashboard actually achieves.
type rateMeter struct {
	t     [32]time.Time
	steps [32]int64
	n     int
}

func (r *rateMeter) reset(now time.Time, step int64) {
	r.n = 0
	r.add(now, step)
}

func (r *rateMeter) add(now time.Time, step int64) {
	r.t[r.n%len(r.t)], r.steps[r.n%len(r.steps)] = now, step
	r.n++
}

// perSecond returns the rate over the window, or NaN before two samples.
func (r *rateMeter) perSecond() float64 {
	if r.n < 2 {
		return math.NaN()
	}
	last := (r.n - 1) % len(r.t)
	first := 0
	if r.n > len(r.t) {
		first = r.n % len(r.t)
	}
	dt := r.t[last].Sub(r.t[first]).Seconds()
	if dt <= 0 {
		return math.NaN()
	}
	return float64(r.steps[last]-r.steps[first]) / dt
}
