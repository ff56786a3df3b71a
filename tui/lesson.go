package tui

import (
	"fmt"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// A lesson owns the run while it runs: the table refuses the keys that
// change the setup, space always moves it on, and L ends it.

// lessonActive: a lesson owns the setup until it ends.
func (m *Model) lessonActive() bool { return m.run.Lesson != nil && !m.run.Done }

// startLesson plays l from here; false (and why, on the message line) if
// this dashboard cannot play it.
func (m *Model) startLesson(l *runner.Lesson) bool {
	if m.refusesLesson(l) {
		return false
	}
	m.run = runner.New(m.session, l)
	m.run.Settle()
	m.applyDirectives()
	m.sel = 0
	m.say(false, "lesson: %s — space continues at each caption; L ends it", l.Title)
	if m.run.Err != nil {
		m.say(true, "%v", m.run.Err)
	}
	return true
}

// applyDirectives carries out the lesson's speed and show commands.
func (m *Model) applyDirectives() {
	for _, d := range m.run.Directives {
		switch d.Op {
		case "challenge":
			m.lessonChallenge(d.Race)
		case "speed":
			m.pace.direct(d.Arg, m.now(), m.session.Step())
		case "show":
			if d.Arg == "map" {
				if m.mode != modeMap {
					m.pollNeeded = m.openMap() != nil
				}
				continue
			}
			m.mode, m.back = map[string]mode{"fit": modePlots, "lab": modeLab, "error": modeError, "units": modeUnits}[d.Arg], modePlots
		}
	}
	m.run.Directives = nil
}

// space is the presenter's key: continue a caption, go past a lesson's
// diverged part, leave an ended lesson, pause, or run.
func (m *Model) space() tea.Cmd {
	r := m.run
	if page, pages, cut := m.captionCut(); cut && r.Waiting && page < pages-1 {
		m.turnCaption(page, pages) // a short screen: the rest of the caption first
		return nil
	}
	switch {
	case r.Waiting:
		r.Continue()
		r.Settle() // the commands up to the next training or caption, now
		m.applyDirectives()
		_, total := m.lessonCaptions()
		switch {
		case r.Done:
			m.say(false, "%s: its %d captions are over; space trains on freely", m.lessonName(), total)
		case r.Waiting:
			m.sayCaption()
		default:
			m.sayTrainingOn()
		}
		if r.Waiting || r.Done {
			return nil
		}
		return m.resume()
	case r.Lesson != nil && r.Done:
		r.EndLesson()
		m.say(false, "lesson over: training on freely")
		return m.resume()
	case m.running && m.lessonActive(): // space pauses the lesson's training too: say how it goes on
		m.pause()
		m.say(false, "paused at step %s — space trains on to caption %d of %d", engine.Commas(m.session.Step()), m.nextCaption(), m.captionsTotal())
	case m.running:
		m.pause()
		m.say(false, "paused at step %s", engine.Commas(m.session.Step()))
	case m.lessonActive(): // a diverged part included: the runner passes over it
		m.sayTrainingOn()
		return m.resume()
	case m.session.AllDiverged():
		m.say(true, "the run diverged: r resets, - lowers the learning rate first")
	default:
		m.say(false, "running")
		return m.resume()
	}
	return nil
}

// turnCaption shows the next page of a short caption (the first after the
// last: a follower reads it again).
func (m *Model) turnCaption(page, pages int) {
	m.capFor, m.capPage = m.frame.caption, (page+1)%pages
	m.say(false, "the caption, part %d of %d", m.capPage+1, pages)
}

// followerSpace is a follower's space: the teacher moves the lesson on,
// but a caption cut into pages on this small screen is the follower's to
// read, page by page.
func (m *Model) followerSpace(string) tea.Cmd {
	page, pages, _ := m.captionCut()
	m.turnCaption(page, pages)
	return nil
}

func whyNotFollowerSpace(m *Model) string {
	if _, _, cut := m.captionCut(); cut {
		return ""
	}
	return m.role.refusal("space")
}

// lessonEndCaption is the caption when a lesson is over, with the keys
// this role has: a follower's are f and its own copy's.
func lessonEndCaption(title string, r roleKind) string {
	if r == roleFollower {
		return fmt.Sprintf("End of the lesson “%s”. The teacher goes on from here; f gives you a copy of your own, where i (another init) and c (race optimizers) work.", title)
	}
	return fmt.Sprintf("End of the lesson “%s”. Try i (another init), c (race optimizers) or L (another lesson); space trains on freely.", title)
}

// sayTrainingOn: the lesson trains towards its next caption, and space
// would pause it.
func (m *Model) sayTrainingOn() {
	m.say(false, "%s: training on to caption %d of %d — space pauses", m.lessonName(), m.nextCaption(), m.captionsTotal())
}

// sayCaption is the message for the caption just shown, whether space or
// training brought it: one counter with the one on screen.
func (m *Model) sayCaption() {
	shown, total := m.lessonCaptions()
	m.say(false, "%s: caption %d of %d", m.lessonName(), shown, total)
}

// nextCaption is the number of the caption the lesson trains towards.
func (m *Model) nextCaption() int {
	shown, total := m.lessonCaptions()
	return min(shown+1, total)
}

func (m *Model) captionsTotal() int { _, total := m.lessonCaptions(); return total }

// lessonCaptions is how many of the lesson's captions have been shown, of
// how many it has: what "next" means to a class.
func (m *Model) lessonCaptions() (shown, total int) {
	if m.run.Lesson == nil {
		return 0, 0
	}
	for _, c := range m.run.Lesson.Commands {
		if c.Op == "say" {
			total++
		}
	}
	return min(len(m.run.Captions), total), total
}

// lessonName is "lesson NAME" (its --lesson name, or its file's), short
// enough for the message line whole.
func (m *Model) lessonName() string {
	if m.run.Lesson == nil {
		return "the lesson"
	}
	return "lesson " + engine.EscapeText(filepath.Base(m.run.Lesson.Name))
}

// Captions is every lesson caption shown so far, for a recording's markers.
func (m Model) Captions() []runner.Caption { return m.run.Captions }
