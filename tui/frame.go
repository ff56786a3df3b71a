package tui

import (
	"time"

	"lnfit/engine"
)

// frame is everything View draws, copied out after each change or frame:
// plain data, so drawing never touches a live trainer, the hub or the map
// cache. The run's part is what a teacher publishes to its followers; the
// rest is this dashboard's own.
type frame struct {
	label       string
	snaps       []engine.Snapshot // one per lane
	lab         []engine.LayerView
	units       unitsFrame // the picked lane's units, while the units room or the kink row is drawn
	racing      bool
	allDiverged bool
	token       string
	rate        float64 // steps/s the dashboard achieves (NaN: unknown)
	running     bool    // training now (for a follower: the teacher is)
	pace        string  // ramp, N steps/frame or max
	panel       mode    // the body the run's own dashboard shows (plots, lab or error view)
	rot         int     // the race lanes' draw order, turned about once a second

	verdicts []engine.Diagnosis // one per lane, each read after the last (hysteresis)

	lesson      bool // a lesson is loaded (running or just ended)
	lessonTitle string
	lessonName  string
	caption     string
	waiting     bool
	lessonDone  bool

	moments    []*engine.Moment // a teacher's kept moments, for its followers' own timelines (never changed after)
	timeline   string           // "viewing step 1 of 2,400,118 · t/esc back to live · …" ("" the live run)
	timelineAt string           // which moment, and after what change
	timelineTo int64            // the step the moment's run reached: its loss plot's axis ends there, a cursor at the moment

	// This dashboard's own, never published.
	serial    uint64
	sel       int // the selected lane
	role      roleKind
	keyLine   [][2]string // the key line's keys that work now
	helpRows  [][]string  // the ? overlay's rows that work now, by column (only while it is open)
	followers int         // the teacher's count of followers
	cmap      mapFrame
	msg       string // the message line ("" none)
	msgBad    bool

	// The teacher's class room (classroom_room.go).
	class              []seatRow
	address, code      string
	showing, challenge string
	now                time.Time
	forks              int    // the teacher's students on a fork (followers: those following)
	race               string // a student's line in a challenge: what it is, and their fork's clock
	runPace            pace   // the run's pace: a follower's fork starts at it
}

// refresh builds the frame: once per Update that changed anything, and
// when the hub's count or a map's progress changes. A follower takes the
// run's part from the teacher's latest frame.
func (m *Model) refresh() {
	var f frame
	switch {
	case m.mode == modeTimeline || m.mode == modeHelp && m.back == modeTimeline:
		f = m.momentFrame() // timeline.go: what a teacher scrubs to, its followers see; a follower scrubs its own
		if m.role.teaching() {
			m.role.hub.publish(f)
		}
	case m.role.following():
		f = m.shared
		if f.lessonDone && f.caption == lessonEndCaption(f.lessonTitle, f.role) { // the teacher's end: say the follower's keys
			f.caption = lessonEndCaption(f.lessonTitle, m.role.kind)
		}
	default:
		f = m.runFrame()
		if m.role.teaching() {
			m.role.hub.publish(f) // the teacher's frame, for every follower (plain data, never changed after)
		}
	}
	f.serial = frameSerial.Add(1)
	m.in.view.frames++
	f.role = m.role.kind
	f.followers = m.role.followers()
	f.cmap = m.cmap.frame(m.opts.Maps, m.mode == modeMap)
	f.sel = min(m.sel, max(len(f.snaps)-1, 0))
	if g := m.in.gate; g != nil {
		if d := g.dropped.Load(); d > m.in.gateSeen {
			m.say(true, "%d keys dropped: typed faster than the screen is drawn (at most %d a frame)", d-m.in.gateSeen, gateBytes)
			m.in.gateSeen = d
		}
	}
	f.now = m.now()
	m.classFrame(&f)          // the teacher's class, or a student's figures to the hub
	f.keyLine = m.lineItems() // after the class: enter and X work on its rows
	if m.mode == modeHelp {
		f.helpRows = m.workingRows()
	}
	f.msg, f.msgBad = "", false
	if m.msg != "" && m.now().Sub(m.msgAt) <= msgLife && m.msgMode == m.mode { // a room's message goes with the room
		f.msg, f.msgBad = m.msg, m.msgBad
	}
	m.frame = f
	m.sizeRooms()
	m.countLab()
	m.countUnits()
	m.in.handled, m.in.dropped, m.in.dirty, m.in.lastFrame = 0, 0, false, m.now()
}

// runFrame copies the run out of the session and the runner.
func (m *Model) runFrame() frame {
	s := m.session
	m.sel = max(0, min(m.sel, len(s.Lanes())-1))
	f := frame{label: s.Label(), racing: s.Racing(), allDiverged: s.AllDiverged(), token: s.Setup().Token(),
		rate: m.rate.perSecond(), running: m.running, pace: m.pace.label(), runPace: m.pace, panel: m.mode, rot: m.ticks / 30}
	if m.mode == modeHelp || m.mode == modePicker {
		f.panel = m.back
	}
	if f.panel == modeClass { // the teacher's own room: followers stay on the plots
		f.panel = modePlots
	}
	for i, l := range s.Lanes() {
		snap := l.Snapshot()
		var prev engine.Diagnosis
		if i < len(m.frame.verdicts) && i < len(m.frame.snaps) && m.frame.snaps[i].Step <= snap.Step {
			prev = m.frame.verdicts[i] // the same run, later: the last verdict holds until clearly crossed
		}
		f.snaps = append(f.snaps, snap)
		f.verdicts = append(f.verdicts, engine.DiagnoseAfter(prev, snap))
	}
	if m.role.teaching() {
		f.moments = m.publishedMoments() // timeline.go
	}
	if m.labOpen() || m.role.teaching() && m.role.hub.labWanted.Load() > 0 {
		f.lab = s.Lane(m.sel).Inspect()
	}
	if m.unitsWanted() {
		f.units = m.unitsOf(&f.snaps[m.sel])
	}
	if r := m.run; r.Lesson != nil {
		f.lesson, f.lessonTitle, f.lessonName = true, r.Lesson.Title, r.Lesson.Name
		f.caption, f.waiting, f.lessonDone = r.Caption, r.Waiting, r.Done
		if r.Done && r.Err == nil {
			f.caption = lessonEndCaption(r.Lesson.Title, m.role.kind) // lesson.go
		}
	}
	return f
}

func (m *Model) labOpen() bool { return m.mode == modeLab || m.mode == modeHelp && m.back == modeLab }

// countLab keeps the hub's count of followers looking at the init lab (the
// teacher sends the lab's data only while someone looks).
func (m *Model) countLab() {
	want := m.role.following() && m.labOpen()
	if want != m.labCounted {
		d := int64(1)
		if !want {
			d = -1
		}
		m.role.hub.labWanted.Add(d)
		m.labCounted = want
	}
}

// snap is the selected lane's snapshot.
func (m Model) snap() *engine.Snapshot { return m.frame.snap() }

func (f *frame) snap() *engine.Snapshot { return &f.snaps[max(min(f.sel, len(f.snaps)-1), 0)] }
