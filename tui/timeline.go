package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"lnfit/engine"
)

// The timeline (t): the run looked at again at any kept moment (every step
// to 10, then about 20 a decade, and every setup change), in the room that
// was on screen (fit and loss, init lab, error view), and branched from
// with enter. Training pauses while the timeline is open, and goes on when
// t or esc returns to the live run, if it was running; the header says so.
// The token and --save are the live run's; w saves the moment on screen.
type timelineView struct {
	keep    *engine.Timeline // the moments; the runner keeps them (shared with m.run.Timeline)
	at      int              // the moment on screen
	inner   mode             // the room that draws it (plots, lab or error view)
	resume  bool             // the live run was training when t opened
	view    *engine.Session  // the moment as a session, for its frame
	viewing *engine.Moment   // ... of this moment
	frameAt time.Time        // when the last frame was kept as a moment

	// A teacher's moments as last published: a fresh copy whenever they change.
	shared   []*engine.Moment
	sharedOf *engine.Timeline // ... of this timeline (a lesson may bring its own)
	sharedCh int              // ... at this count of its changes

	followed []*engine.Moment // a follower's: the teacher's list its timeline was copied from
}

// frameGap is how far apart the timeline keeps the last frames: its
// engine.TimelineFrames of them are then the last few seconds of the run.
const frameGap = 100 * time.Millisecond

// keepFrame keeps the frame just trained as a moment, at most one a
// frameGap (a follower's run is the teacher's, who keeps its own).
func (m *Model) keepFrame() {
	if m.role.following() || m.now().Sub(m.tl.frameAt) < frameGap {
		return
	}
	m.syncTimeline()
	if m.tl.keep.Frame(m.session) {
		m.tl.frameAt = m.now()
	}
}

// ServedTimelineBudget is a classroom session's timeline budget: the
// question's net keeps every planned moment and its last frames to about
// 2×10^5 steps in it (10^7 without the frames), and thins evenly after
// (engine's TestTimelineServedBudget).
const ServedTimelineBudget = 8 << 20

// timelineModes are the rooms t opens the timeline from, and that draw a moment.
var timelineModes = modesOf(modePlots, modeLab, modeError, modeUnits)

// syncTimeline gives the runner the dashboard's timeline (a new runner after
// a preset, a map cell or a fork starts without one), or takes the runner's
// (a lesson that rewinds comes with its own).
func (m *Model) syncTimeline() {
	switch {
	case m.run.Timeline == nil:
		if m.tl.keep == nil {
			m.tl.keep = engine.NewTimeline()
			if m.opts.Pool != nil { // a classroom: many sessions share the server's memory
				m.tl.keep.Budget = ServedTimelineBudget
			}
		}
		m.run.Timeline = m.tl.keep
	case m.run.Timeline != m.tl.keep:
		m.tl.keep = m.run.Timeline
	}
}

// markChange keeps a moment when a key changed the setup or moved the run
// back (a reset): what the message line said is the moment's name.
func (m *Model) markChange(token string, step int64, said int) {
	if m.session.Step() < step || m.session.Setup().Token() != token {
		m.syncTimeline()
		why := "setup changed"
		if m.said != said && !m.msgBad {
			why = m.msg
		}
		m.tl.keep.Mark(m.session, why)
	}
}

// doMarked runs an action, and marks the moment if it changed the setup.
func (m *Model) doMarked(a *action, key string) tea.Cmd {
	if m.role.following() || m.onTimeline() || a.batch {
		return a.do(m, key)
	}
	tok, step, said := m.session.Setup().Token(), m.session.Step(), m.said
	cmd := a.do(m, key)
	m.markChange(tok, step, said)
	return cmd
}

// openTimeline is t: the newest moment, in the room on screen.
func (m *Model) openTimeline(string) tea.Cmd {
	if m.onTimeline() {
		return m.closeTimeline("")
	}
	if m.role.following() { // the teacher's moments, on this screen only
		if len(m.shared.moments) == 0 {
			m.say(true, "the teacher's run has kept no moments yet: t looks back once it has")
			return nil
		}
		m.tl.keep, m.tl.followed = engine.TimelineOf(m.shared.moments), m.shared.moments
	} else {
		m.syncTimeline()
		if !m.tl.keep.Observe(m.session) { // the live step itself: a planned one, or a frame
			m.tl.keep.Frame(m.session)
		}
	}
	from := m.mode
	if from == modeHelp { // t in the help: the room behind it (whyNotTimelineHere)
		from = m.back
	}
	m.tl.inner, m.tl.resume, m.tl.at = from, m.running, m.tl.keep.Last()
	m.pause()
	m.mode = modeTimeline
	m.say(false, "%s", m.timelineHint())
	return nil
}

// timelineHint is what t says: one line at 60 columns, true for this role.
func (m *Model) timelineHint() string {
	switch {
	case m.role.following():
		return "timeline, your screen only: ←/→ a moment, ⇧←/⇧→ a decade"
	case m.lessonActive():
		return "timeline: ←/→ a moment, ⇧←/⇧→ a decade; t/esc: the lesson"
	}
	return "timeline: ←/→ a moment, ⇧←/⇧→ a decade, enter branches"
}

// onTimeline: a moment is on screen (or behind the help).
func (m *Model) onTimeline() bool {
	return m.mode == modeTimeline || m.mode == modeHelp && m.back == modeTimeline
}

// timelineEsc is esc on the timeline: the help over a moment closes first.
func (m *Model) timelineEsc(string) tea.Cmd {
	if m.mode == modeHelp {
		m.mode = modeTimeline
		return nil
	}
	return m.closeTimeline("")
}

// timelineHelp is ? on the timeline: the help lists the timeline's keys.
func (m *Model) timelineHelp(string) tea.Cmd {
	if m.mode == modeHelp {
		m.mode = modeTimeline
		return nil
	}
	m.help.scroll = 0
	m.back, m.mode = modeTimeline, modeHelp
	m.refresh()
	m.sizeRooms() // the help's length at this size, for its scroll
	return nil
}

func (m *Model) closeTimeline(string) tea.Cmd {
	m.mode, m.tl.view, m.tl.viewing = m.tl.inner, nil, nil
	if m.role.following() {
		m.mode = m.shared.panel // the teacher's panel again
		m.say(false, "back to the teacher's live run")
		return nil
	}
	m.say(false, "back to the live run at step %s", engine.Commas(m.session.Step()))
	if m.tl.resume {
		return m.resume()
	}
	return nil
}

// moveTimeline is ← → (one moment) and shift+← → (a decade of steps).
func (m *Model) moveTimeline(by int, decade bool) {
	n := m.tl.keep.Len()
	to := m.tl.at + by
	if decade {
		to = m.tl.keep.Decade(m.tl.at, by)
	}
	to = max(0, min(to, n-1))
	if to == m.tl.at {
		end := "first"
		if by > 0 {
			end = "newest"
		}
		if first := m.tl.keep.At(0); by < 0 && first.Step > 0 {
			m.say(false, "this is the first moment kept (%d in all): the run came here at step %s (a loaded network's timeline starts at its own step)",
				n, engine.Commas(first.Step))
			return
		}
		m.say(false, "this is the %s moment kept (%d in all)", end, n)
		return
	}
	m.tl.at = to
}

// branch is enter: the live run restarts from the moment on screen.
func (m *Model) branch(string) tea.Cmd {
	mo := m.tl.keep.At(m.tl.at)
	if err := m.run.Branch(mo); err != nil {
		m.say(true, "no branch: %v", err)
		return nil
	}
	m.sel = min(m.sel, len(m.session.Lanes())-1)
	m.restarted()
	m.mode, m.tl.view, m.tl.viewing = m.tl.inner, nil, nil
	m.say(false, "%s", m.whatIf(mo.Step))
	if m.tl.resume {
		return m.resume()
	}
	return nil
}

// whatIf is what the branch says: the keys that work now and change the
// run without changing its batches (TestTimelineWhatIfSeesTheSameBatches):
// the optimizer, the learning rate, a race; from step 0 also the init and
// the activation, which restart with the same seed.
func (m *Model) whatIf(step int64) string {
	said := fmt.Sprintf("branched at step %s, bit for bit", engine.Commas(step))
	cands := [][2]string{{"o", "o"}, {"+", "+/-"}}
	if !m.session.Racing() { // c would end a race, not start one
		cands = append(cands, [2]string{"c", "c"})
	}
	if step == 0 {
		cands = append(cands, [2]string{"i", "i"}, [2]string{"a", "a"})
	}
	var keys []string
	for _, c := range cands {
		if a := m.resolve(c[0]); a != nil && m.why(a, c[0]) == "" {
			keys = append(keys, c[1])
		}
	}
	if len(keys) == 0 {
		return said
	}
	return said + " — change a setting (" + strings.Join(keys, ", ") + ") to see what would have happened on the same batches"
}

// saveMoment is w on the timeline: the moment's network, not the live one's.
func (m *Model) saveMoment(string) tea.Cmd {
	s, err := m.momentSession()
	if err != nil {
		m.say(true, "not saved: %v", err)
		return nil
	}
	live := m.session
	m.session = s
	m.saveSaying("the moment at step " + engine.Commas(s.Step()) + " (not the live run): ")
	m.session = live
	return nil
}

// timelineInner is h, e or u on the timeline: the lab, the error view or
// the units room of the moment, or back to the plots.
func (m *Model) timelineInner(to mode) {
	if m.tl.inner == to {
		to = modePlots
	}
	if to == modeUnits {
		m.units.page = 0
	}
	m.tl.inner = to
}

// plotsToggle is l, x or s on the timeline: the moment's loss plot drawn
// as the live one is (the same room state, so esc keeps the choice).
func plotsToggle(what rune) func(*Model, string) tea.Cmd {
	return func(m *Model, _ string) tea.Cmd {
		m.say(false, "%s", m.plots.toggle(what))
		return nil
	}
}

func whyNotMomentPage(m *Model) string {
	if m.tl.inner != modeUnits {
		return "pgdn and pgup turn the units room's pages: u opens it at this moment"
	}
	return ""
}

// whyNotTimelineHere: t opens the timeline from a room that draws a
// moment, or from the help over one (so ? lists it there).
func whyNotTimelineHere(m *Model) string {
	if m.mode == modeHelp && m.back != modeTimeline && !timelineModes.has(m.back) {
		return "t looks back from the fit, the init lab, the error view or the units room"
	}
	return ""
}

func whyNotTimelineMove(m *Model) string {
	if m.tl.keep == nil || m.tl.keep.Len() < 2 {
		return "only one moment is kept so far: train on, then t looks back"
	}
	return ""
}

// momentSession is the moment on screen as a session (built once per moment).
func (m *Model) momentSession() (*engine.Session, error) {
	mo := m.tl.keep.At(m.tl.at)
	if mo == nil {
		return nil, fmt.Errorf("the timeline is empty")
	}
	if m.tl.viewing != mo {
		s, err := mo.Session()
		if err != nil {
			return nil, err
		}
		m.tl.view, m.tl.viewing = s, mo
	}
	return m.tl.view, nil
}

// momentFrame is the frame of the moment on screen: the run's frame built
// from the moment's session, with the live run's token, and the line that
// says where on the timeline it is.
func (m *Model) momentFrame() frame {
	if m.role.following() {
		m.followMoments()
	}
	s, err := m.momentSession()
	if err != nil {
		m.mode = m.tl.inner
		m.say(true, "the timeline: %v", err)
		return m.runFrame()
	}
	live, sel, prev := m.session, m.sel, m.frame.verdicts
	m.session, m.frame.verdicts = s, nil // the verdict read afresh at that step
	md := m.mode
	m.mode = m.tl.inner // the lab's data and the published panel are the inner room's
	f := m.runFrame()
	m.session, m.sel, m.frame.verdicts, m.mode = live, sel, prev, md
	f.token = live.Setup().Token()
	liveStep, under := live.Step(), "training paused"
	if m.role.following() { // the teacher's run goes on; its token is the live one
		f.token, liveStep, under = m.shared.token, 0, "the teacher's run goes on"
		for _, s := range m.shared.snaps {
			liveStep = max(liveStep, s.Step)
		}
	}
	mo := m.tl.keep.At(m.tl.at)
	end, newest := m.tl.keep.StretchEnd(m.tl.at)
	if newest { // the live run goes on from this stretch
		end = max(end, liveStep)
	}
	f.timelineTo = end
	f.timeline = fmt.Sprintf("viewing step %s of %s · t/esc back to live · %s", engine.Commas(mo.Step), engine.Commas(liveStep), under)
	where := fmt.Sprintf("moment %d of %d", m.tl.at+1, m.tl.keep.Len())
	if mo.Why != "" {
		where += " · after: " + mo.Why
	}
	if mo.Frame {
		where += " · a frame of the last few seconds"
	}
	if th := m.tl.keep.Thinned(); th > 0 {
		where += fmt.Sprintf(" · %d thinned to keep %d MB", th, m.tl.keep.Budget>>20)
	}
	f.timelineAt = where
	return f
}

// timelineLines is the line above the header while a moment is on screen:
// up to three lines on a screen of 80×24 or more; one on a smaller one,
// which keeps the step and as many of the other parts as fit whole.
func (m Model) timelineLines(w int) string {
	f := &m.frame
	var lines []string
	if m.width >= 80 && m.height >= 24 {
		lines = wrapWords(f.timeline+" · "+f.timelineAt, w-1, 3)
	} else {
		parts := strings.Split(f.timeline+" · "+f.timelineAt, " · ")
		line := parts[0]
		for _, p := range parts[1:] {
			if lipgloss.Width(line+" · "+p) <= w-1 {
				line += " · " + p
			}
		}
		lines = wrapWords(line, w-1, 1) // the step alone fits any width the dashboard draws at
	}
	for i, l := range lines {
		lines[i] = " " + m.st.Warn.Render(l)
	}
	return strings.Join(lines, "\n")
}
