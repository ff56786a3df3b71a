package tui

import (
	"fmt"

	"lnfit/engine"
)

// frame is everything View draws, copied out of the session after each
// change: plain data, so drawing never touches a live trainer.
type frame struct {
	label       string
	snaps       []engine.Snapshot // one per lane
	lab         []engine.LayerView
	racing      bool
	allDiverged bool
	token       string
	rate        float64 // steps/s the dashboard achieves (NaN: unknown)
	running     bool    // training now (for a follower: the teacher is)
	pace        string  // ramp, N steps/frame or max
	panel       mode    // the body the run's own dashboard shows (plots, lab or error view)

	verdicts []engine.Diagnosis // one per lane, each read after the last (hysteresis)

	lesson      bool // a lesson is loaded (running or just ended)
	lessonTitle string
	lessonName  string
	caption     string
	waiting     bool
	lessonDone  bool
}

// refresh builds the frame: once per Update. A follower draws the
// teacher's frames instead, and builds none of its own.
func (m *Model) refresh() {
	if m.following {
		m.keys.enable(m.keyState())
		return
	}
	s := m.session
	m.sel = max(0, min(m.sel, len(s.Lanes())-1))
	f := frame{label: s.Label(), racing: s.Racing(), allDiverged: s.AllDiverged(), token: s.Setup().Token(),
		rate: m.rate.perSecond(), running: m.running, pace: speedLabel(speeds[m.speed]), panel: m.mode}
	if m.mode == modeHelp || m.mode == modePicker {
		f.panel = m.back
	}
	if m.ramp {
		f.pace = "ramp (> or < to leave)"
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
	labOpen := m.mode == modeLab || m.mode == modeHelp && m.back == modeLab
	if labOpen || m.opts.Hub != nil && !m.opts.Follow && m.opts.Hub.labWanted.Load() > 0 {
		f.lab = s.Lane(m.sel).Inspect()
	}
	if r := m.run; r.Lesson != nil {
		f.lesson, f.lessonTitle, f.lessonName = true, r.Lesson.Title, r.Lesson.Name
		f.caption, f.waiting, f.lessonDone = r.Caption, r.Waiting, r.Done
		if r.Done && r.Err == nil {
			f.caption = fmt.Sprintf("End of the lesson “%s”. Try i (another init), c (race optimizers) or L (another lesson); space trains on freely.", r.Lesson.Title)
		}
	}
	m.frame = f
	m.keys.enable(m.keyState())
	if h := m.opts.Hub; h != nil && !m.opts.Follow {
		h.publish(f) // the teacher's frame, for every follower (plain data, never changed after)
	}
}

// snap is the selected lane's snapshot.
func (m Model) snap() *engine.Snapshot { return &m.frame.snaps[min(m.sel, len(m.frame.snaps)-1)] }
