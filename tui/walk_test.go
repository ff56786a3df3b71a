package tui

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
)

// The walk: seeded random key sequences over the real Model, from every
// preset and lesson, in every role, at sizes from 60×16 to 200×60, with
// resizes and ticks mixed in, checking the dashboard's promises after every
// message. A failure prints the seed and the sequence that reproduce it.

// walkKeys is every key of the action table, and some that are no key.
func walkKeys() []string {
	seen := map[string]bool{}
	var keys []string
	for _, a := range actions {
		for _, k := range a.keys {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return append(keys, "z", "Z", "1", "é", "ctrl+a")
}

// keyMsg is the key press that Bubble Tea spells k.
func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "shift+left":
		return tea.KeyPressMsg{Code: tea.KeyLeft, Mod: tea.ModShift}
	case "shift+right":
		return tea.KeyPressMsg{Code: tea.KeyRight, Mod: tea.ModShift}
	case "ctrl+c", "ctrl+a":
		return tea.KeyPressMsg{Code: rune(k[5]), Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
}

type walk struct {
	t        *testing.T
	seed     uint64
	rng      *rand.Rand
	m        Model  // the dashboard the keys go to
	teacher  *Model // a follower's or fork's teacher
	w, h     int
	clock    time.Time
	dir      string
	maps     *MapCache // shared by the walks: a setup's map is computed once
	log      []string
	keys     []string
	finished bool
}

func (w *walk) fail(format string, a ...any) {
	w.t.Helper()
	w.t.Fatalf("walk seed %d: %s\n  sequence: %s", w.seed, fmt.Sprintf(format, a...), strings.Join(w.log, " "))
}

func (w *walk) now() time.Time { return w.clock }

func (w *walk) model(o Options, start string) Model {
	var s *engine.Session
	l, err := runner.GetLesson(start)
	if start == raceStart { // a lesson with a challenge: the teacher races it, anyone else refuses it
		l, err = runner.ParseLesson("race", raceLesson)
	}
	if err == nil && o.Lesson == nil && !o.Follow {
		o.Lesson = l
		tr, _ := engine.New(engine.DefaultConfig())
		s = engine.NewSession(tr, "question")
	} else {
		p, err := presets.Get(start)
		if err != nil {
			p, _ = presets.Get("question")
		}
		w.otherTarget(&p.Config)
		tr, err := engine.New(p.Config)
		if err != nil {
			w.fail("%v", err)
		}
		s = engine.NewSession(tr, p.Name)
	}
	o.StartPaused = w.rng.IntN(2) == 0
	o.SavePath = filepath.Join(w.dir, "net.json")
	o.Maps = w.maps
	m := New(s, o)
	m.now, m.stepCap = w.now, 20
	tinyMapsIn(m.opts.Maps)
	return m
}

// otherTarget moves one walk in three off ln on (0,1] (issue 24): a
// built-in on another domain, an expression, or the user's points.
func (w *walk) otherTarget(c *engine.Config) {
	apply := func(k, v string) {
		if s, _ := engine.LookupSetting(k); s.Apply(c, v) != nil {
			w.fail("%s %s refused", k, v)
		}
	}
	switch w.rng.IntN(9) {
	case 0:
		apply("domain", "-1:1")
		apply("target", "sin")
	case 1:
		apply("domain", "2:5")
		apply("target", "sin(6*x) + x^2")
	case 2:
		ps, err := engine.ParsePoints([]byte("x,y\n0.1,0.2\n0.3,0.5\n0.5,0.4\n0.7,0.9\n0.9,-0.3\n0.9,0.1\n"))
		if err != nil {
			w.fail("points: %v", err)
		}
		ps.Use(c)
	default:
		return
	}
	w.log = append(w.log, "[target "+c.Target+" on "+strconv.FormatFloat(c.DomainLo, 'g', -1, 64)+":"+strconv.FormatFloat(c.Hi(), 'g', -1, 64)+"]")
}

func newWalk(t *testing.T, seed uint64, dir string, maps *MapCache) *walk {
	return newWalkAs(t, seed, dir, maps, "", -1)
}

// newWalkAs is newWalk from start in role ("" and -1: the seed's).
func newWalkAs(t *testing.T, seed uint64, dir string, maps *MapCache, forceStart string, forceRole roleKind) *walk {
	w := &walk{t: t, seed: seed, rng: rand.New(rand.NewPCG(seed, 19)), clock: fixedNow, keys: walkKeys(), dir: dir, maps: maps}
	starts := append(append(presets.Names(), runner.LessonNames()...), raceStart)
	start := starts[w.rng.IntN(len(starts))]
	w.w, w.h = 60+w.rng.IntN(141), 16+w.rng.IntN(45)
	role := roleKind(w.rng.IntN(4))
	if forceStart != "" {
		start, role = forceStart, forceRole
	}
	w.log = append(w.log, fmt.Sprintf("[%s %s %dx%d]", start, role, w.w, w.h))
	switch role {
	case roleSolo:
		w.m = w.model(Options{Classroom: w.rng.IntN(4) == 0}, start)
	case roleTeacher:
		hub := NewHub()
		w.m = w.model(Options{Hub: hub, Address: "ssh -p 2323 THIS-MACHINE", ClassCode: "owl"}, start)
		walkClass(t, hub) // students in the class room, and q asks
	default:
		hub := NewHub()
		teacher := w.model(Options{Hub: hub}, start)
		w.teacher = &teacher
		hub.SetTeacher(func(msg tea.Msg) {
			if fr, ok := msg.(forkRequest); ok {
				fr.reply <- w.teacher.session.Clone() // the walk waits in the fork's command meanwhile
			}
		})
		tr, _ := engine.New(engine.DefaultConfig())
		w.m = New(engine.NewSession(tr, "following"), Options{Hub: hub, Follow: true, Remote: true, StartPaused: true, Maps: maps})
		w.m.now, w.m.stepCap = w.now, 20
		tinyMapsIn(w.m.opts.Maps)
		w.tick() // the teacher's first frame
	}
	w.m = w.update(tea.WindowSizeMsg{Width: w.w, Height: w.h})
	if role == roleFork {
		w.key("f")
	}
	return w
}

func (w *walk) update(msg tea.Msg) Model {
	next, _ := w.m.Update(msg)
	return next.(Model)
}

// tick is a frame of time: the teacher trains and publishes, and the
// dashboard trains (if it runs) or draws the teacher's frame.
func (w *walk) tick() {
	w.clock = w.clock.Add(frameTime30)
	if w.teacher != nil {
		if !w.teacher.running {
			w.teacher.running = true // a class's teacher trains on
		}
		next, _ := w.teacher.Update(tickMsg{id: w.teacher.tickID})
		*w.teacher = next.(Model)
		if f, ok := w.teacher.role.hub.latest(); ok {
			w.m = w.update(sharedFrameMsg{f})
		}
	}
	if w.m.running {
		w.m = w.update(tickMsg{id: w.m.tickID})
	}
}

// fingerprint is what a key can change: equal before and after, the key did nothing.
func (w *walk) fingerprint() string {
	m := &w.m
	r := m.run
	return fmt.Sprint(m.session.Setup().Token(), m.session.Step(), m.mode, m.back, m.running, m.pace, m.sel, m.plots, m.help.scroll,
		m.picker.idx, m.cmap.cx, m.cmap.cy, m.cmap.key, m.tl.at, m.tl.inner, m.units.page, m.role.kind, r.Waiting, r.Done, r.Caption, r.Lesson != nil, m.in.steps,
		m.class.cursor, m.class.sortBy, m.class.asked)
}

func (w *walk) key(k string) {
	w.log = append(w.log, k)
	msg := keyMsg(k)
	if msg.String() != k {
		w.fail("the key %q is spelled %q by Bubble Tea", k, msg.String())
	}
	before, said := w.fingerprint(), w.m.said
	a := w.m.resolve(k)
	following := w.m.role.following()
	next, cmd := w.m.Update(msg)
	w.m = next.(Model)
	if a != nil && a.quits {
		if !isQuit(cmd) && w.m.class.asked && w.m.said != said {
			return // the teacher is asked first; q again quits
		}
		if cmd == nil || !isQuit(cmd) {
			w.fail("%s did not quit", k)
		}
		w.finished = true
		return
	}
	if k == "f" && following && cmd != nil { // the fork: the copy comes back as a message
		w.m = w.update(runFork(w, cmd))
	}
	if k == "m" && w.m.mode == modeMap { // the map: computed (small) before the next key, so the walk replays
		if room := w.m.openRoom(); room != nil {
			select {
			case <-room.ready:
			case <-time.After(time.Minute):
				w.fail("the map did not finish")
			}
		}
	}
	if w.fingerprint() == before && w.m.said == said {
		w.fail("%s did nothing and said nothing", k)
	}
	if w.m.said != said && strings.Contains(w.m.msg, "\n") {
		w.fail("%s: a message of more than one line: %q", k, w.m.msg)
	}
}

// runFork runs the batch f returned, keeping its fork's answer.
func runFork(w *walk, cmd tea.Cmd) tea.Msg {
	batch, ok := cmd().(tea.BatchMsg)
	if !ok {
		batch = tea.BatchMsg{cmd}
	}
	out := make(chan tea.Msg, len(batch))
	for _, c := range batch {
		if c != nil {
			go func() { out <- c() }()
		}
	}
	for range batch {
		select {
		case msg := <-out:
			if fm, ok := msg.(forkedMsg); ok {
				return fm
			}
		case <-time.After(time.Minute):
			w.fail("the fork did not answer")
		}
	}
	return nil
}

// check holds the dashboard's promises on the screen as it is now.
func (w *walk) check() {
	m := &w.m
	v := m.render()
	lines := strings.Split(v, "\n")
	if len(lines) > w.h {
		w.fail("%d lines on a %d-line terminal:\n%s", len(lines), w.h, v)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w.w {
			w.fail("line %d is %d wide on a %d-wide terminal: %q", i, lw, w.w, l)
		}
		if w.w >= 80 && w.h >= 24 && strings.Contains(l, "…") {
			w.fail("line %d is cut at %dx%d: %q\n%s", i, w.w, w.h, l, v)
		}
	}
	if m.role.teaching() {
		for _, r := range m.role.hub.roster() {
			if r.met && (r.over || r.metAt < 0 || r.metCPU < 0) || (r.met || r.over) && !r.forked {
				w.fail("%s's race is %+v", r.name, r.race)
			}
		}
	}
	if m.lessonActive() && !m.role.following() {
		if a := m.resolve("space"); a == nil || m.why(a, "space") != "" {
			w.fail("in a lesson, space does not move it on")
		}
	}
	if !m.role.following() && len(m.frame.snaps) > 0 {
		s := m.session
		viewing := m.mode == modeTimeline || m.mode == modeHelp && m.back == modeTimeline
		if viewing { // the timeline: the header is the moment's, and says whose step of how many
			s = m.tl.view
		}
		c := s.Lane(m.sel).Config()
		want := []string{"init " + c.Init, "step " + engine.Commas(s.Lane(m.sel).Step())}
		if viewing {
			want = append(want, "viewing step "+engine.Commas(s.Step())+" of "+engine.Commas(m.session.Step()))
		}
		if !s.Racing() {
			want = append(want, fmt.Sprintf("%s lr %g", c.Optimizer, c.LR))
		}
		switch {
		case !m.st.projector && m.height >= compactHeight:
			want = append(want, c.Activation, fmt.Sprintf("batch %d", c.Batch))
		case c.Activation != "relu": // the projector's and a short screen's header: only what is not the default
			want = append(want, c.Activation)
		}
		header := v // the header wraps to as many lines as the width needs
		for _, s := range want {
			if !strings.Contains(header, s) {
				w.fail("the header lacks the session's %q:\n%s", s, header)
			}
		}
	}
	if m.mode == modeHelp {
		// A row's text may stand for twin entries (the timeline's w beside the
		// global w): the text is listed when any entry behind it is what its
		// key does here and works.
		works := map[[2]string]bool{}
		for _, r := range helpRows() {
			text := [2]string{fmt.Sprint(r.group), fmt.Sprintf("%-5s %s", r.keys, r.desc)}
			for _, a := range r.with {
				if b := m.resolve(a.keys[0]); b == a && m.why(b, a.keys[0]) == "" {
					works[text] = true
				}
			}
			works[text] = works[text] || false
		}
		for text, ok := range works {
			listed := false
			var g int
			fmt.Sscan(text[0], &g)
			for _, row := range m.frame.helpRows[g] {
				listed = listed || row == text[1]
			}
			if ok != listed {
				w.fail("? lists %q: %v, but it works: %v", text[1], listed, ok)
			}
		}
	}
}

func (w *walk) run(steps int, covered map[string]int) {
	defer func() {
		if r := recover(); r != nil {
			w.fail("panic: %v", r)
		}
	}()
	for i := 0; i < steps && !w.finished; i++ {
		switch p := w.rng.IntN(100); {
		case p < 6:
			w.w, w.h = 60+w.rng.IntN(141), 16+w.rng.IntN(45)
			w.log = append(w.log, fmt.Sprintf("[%dx%d]", w.w, w.h))
			w.m = w.update(tea.WindowSizeMsg{Width: w.w, Height: w.h})
		case p < 10: // timeline_walk_test.go
			w.tour(covered)
		case p < 20:
			w.log = append(w.log, "[tick]")
			w.tick()
		default:
			w.key(w.keys[w.rng.IntN(len(w.keys))])
			if w.finished {
				return
			}
			if w.rng.IntN(4) != 0 { // mostly a frame after each key; sometimes keys come faster
				w.m = settle(w.m)
				if w.m.in.dirty { // a running dashboard draws the keys at its next tick
					w.tick()
				}
			}
		}
		if !w.m.in.dirty {
			w.check()
		}
	}
}

func TestWalkStates(t *testing.T) {
	first, n := uint64(1), 2000 // about 2 minutes on this machine's 2 shared cores
	switch {
	case testing.Short() && raceOn:
		n = 30
	case testing.Short():
		n = 200
	case raceOn:
		n = 100
	}
	dir, maps := t.TempDir(), NewMapCache()
	if s := os.Getenv("LNFIT_WALK_SEED"); s != "" { // replay one walk
		fmt.Sscan(s, &first)
		n = int(first)
	}
	covered := map[string]int{}
	for seed := first; seed <= uint64(n); seed++ {
		newWalk(t, seed, dir, maps).run(40, covered)
	}
	for _, c := range timelineCover {
		if covered[c] == 0 && first == 1 && n >= 100 { // -short -race's 30 walks are a smoke run
			t.Errorf("no walk covered the timeline's %s (%v)", c, covered)
		}
	}
	t.Logf("the timeline tours covered %v", covered)
}
