package tui

import (
	"fmt"
	"math"
	"strings"

	"charm.land/lipgloss/v2"

	"lnfit/engine"
)

// compactHeight is the screen height below which the header takes its
// compact form: the settings a short screen can spare (batch, hidden,
// seed, the label's changes, the pace's hint) go, so the plots keep rows.
const compactHeight = 24

// header is the first lines: what runs, where it is, how fast, its state.
func (m Model) header(w int) string {
	f := &m.frame
	s := m.snap()
	c := s.Config
	running := f.running
	compact := m.height < compactHeight && !m.st.projector // the projector's own short form is below
	brief := compact || m.st.projector                     // either: the settings the header can spare go
	state := m.st.Good.Render("▶ running")
	switch {
	case f.allDiverged:
		state = m.st.Bad.Render("✖ diverged")
	case f.waiting:
		state = m.st.Warn.Render("‖ caption: " + lessonGoesOn(f.role))
	case !running:
		state = m.st.Warn.Render("‖ paused")
	}
	// The figures that change every frame (the step count, the rate) come
	// last, and the lines are wrapped as if they had their widest form, so
	// nothing moves and no padding shows.
	rate := "— steps/s"
	if r := f.rate; !math.IsNaN(r) && running {
		rate = fmt.Sprintf("%s steps/s", shortCount(r))
		if strings.HasPrefix(f.pace, "ramp") && r < 1 {
			rate = "1 step / 2 s" // the ramp's first seconds: steps 0, 1 and 2 stay two seconds each
		}
	}
	// Each setting once: the label's "init → normal" is left out where an
	// item below writes the setting anyway ("init normal").
	shown := map[string]bool{"optimizer": !f.racing, "lr": !f.racing, "init": true, "init-scale": true, "seed": true,
		"activation": !brief || c.Activation != "relu", "batch": !brief, "hidden": !brief, "data": !brief,
		"xmin": !brief, "dropout": !brief}
	parts := []string{m.st.Title.Render("lnfit")}
	for i, p := range strings.Split(f.label, " · ") { // a long label breaks between its changes
		if name, _, ok := strings.Cut(p, " → "); i == 0 || !compact && (!ok || !shown[name]) {
			parts = append(parts, p) // compact: the preset's name only (the help and ? say the rest)
		}
	}
	switch f.role {
	case roleFollower:
		parts = append(parts, m.st.Msg.Render("following the teacher (f: a copy of your own)"))
	case roleFork:
		parts = append(parts, m.st.Msg.Render("your own copy (F: follow the teacher)"))
	case roleTeacher:
		parts = append(parts, m.st.Msg.Render(teachingCount(f)))
	}
	if !f.racing {
		parts = append(parts, fmt.Sprintf("%s lr %g", c.Optimizer, c.LR))
	}
	init := "init " + c.Init
	if c.InitScale != 1 {
		init += fmt.Sprintf(" ×%g", c.InitScale) // "init normal ×10": the scale belongs to the init
	}
	parts = append(parts, init)
	if short, ok := compactRole[f.role]; ok && compact { // the role's part, shorter
		for i, p := range parts {
			if p == m.st.Msg.Render(short[0]) {
				parts[i] = m.st.Msg.Render(short[1])
			}
		}
	}
	if !brief {
		parts = append(parts, c.Activation, fmt.Sprintf("batch %d", c.Batch), "hidden "+engine.HiddenString(c.Hidden), fmt.Sprintf("seed %d", c.Seed))
		if c.Data == engine.DataGrid {
			parts = append(parts, "grid data")
		}
		if c.XMin > 0 {
			parts = append(parts, fmt.Sprintf("xmin %g", c.XMin))
		}
		if c.Dropout > 0 {
			parts = append(parts, fmt.Sprintf("dropout %g", c.Dropout))
		}
	} else if c.Activation != "relu" {
		parts = append(parts, c.Activation)
	}
	if !m.st.projector && !(compact && f.role == roleFollower) { // a follower's pace is the teacher's: no key of its own
		pace := f.pace
		if compact {
			pace, _, _ = strings.Cut(pace, " (") // "ramp", without "(> or < to leave)"
		}
		parts = append(parts, pace)
	}
	parts = append(parts, state)
	live, widest := "step "+engine.Commas(s.Step), fmt.Sprintf("step %s", engine.Commas(max(s.Step, 9_999_999)))
	if !m.st.projector {
		live, widest = live+" · "+rate, widest+" · "+widestRate
	}
	if !running || f.waiting {
		widest = live // paused or at a caption, nothing changes until a key does: no room kept, no line spent on it
	}
	var lanes []string
	if f.racing {
		var mses []float64
		for i := range f.snaps {
			mses = append(mses, f.snaps[i].Metrics.MSEAbove001)
		}
		mseText := sameForm(mses)
		// Each lane with its plot glyph ("•B"): the lane list is the plots'
		// legend when theirs have no room. The measure is named once, before
		// the first lane, where every lane has the same; a short screen
		// leaves it to the diagnostics line ("lane A: … mse x≥0.01 0.79").
		label := verdictMSE(f.snaps[0].Config, f.snaps[0].Metrics)
		once := !compact
		for i := range f.snaps {
			if verdictMSE(f.snaps[i].Config, f.snaps[i].Metrics) != label {
				once = false
			}
		}
		for i := range f.snaps {
			ls := &f.snaps[i]
			_, mark, glyph := laneStyle(i, len(f.snaps), m.st)
			lane := fmt.Sprintf("%s%c %s lr %g", glyph, 'A'+i, ls.Config.Optimizer, ls.Config.LR)
			if k := ls.ForkedAt; k > ls.HistStart && !compact { // compact: two lanes keep one line
				lane += " (from " + engine.Commas(k+1) + ")" // the loss plot's ↑B: where its own curve starts
			}
			switch {
			case ls.Diverged:
				lane += " diverged"
			case once || compact:
				lane += " " + mseText[i]
			default:
				lane += " " + verdictMSE(ls.Config, ls.Metrics) + " " + mseText[i]
			}
			if i == f.sel {
				lane = "▸" + lane
			}
			if i == 0 && once {
				lane = label + ": " + lane
			}
			lanes = append(lanes, mark.Render(lane))
		}
	}
	return wrapLive(parts, live, widest, lanes, w)
}

// compactRole is a student's role in the header, in full and compact.
var compactRole = map[roleKind][2]string{
	roleFollower: {"following the teacher (f: a copy of your own)", "following"}, // the key line says f
	roleFork:     {"your own copy (F: follow the teacher)", "your own copy"},
}

// widestRate is the widest the rate gets while it runs: the ramp's first
// seconds, as wide as "999k steps/s" or "9.9M steps/s".
const widestRate = "1 step / 2 s"

// wrapLive wraps parts, then live (what changes every frame) as if it were
// widest, then the race lanes: live's width never moves a line break.
func wrapLive(parts []string, live, widest string, lanes []string, w int) string {
	pad := lipgloss.Width(widest) - lipgloss.Width(live)
	if pad < 0 || lipgloss.Width(widest)+2 > w {
		pad = 0 // a narrow screen: wrap what there is
	}
	const mark = "\u2007" // a figure space stands for the padding while wrapping: no part holds one
	all := append(append(parts, live+strings.Repeat(mark, pad)), lanes...)
	lines := strings.Split(wrapParts(all, " · ", w), "\n")
	for i, l := range lines {
		if strings.Contains(l, mark) {
			lines[i] = strings.ReplaceAll(l, mark, "")
		}
	}
	return strings.Join(lines, "\n")
}

// diagnostics is the metrics line and the verdict. On a short screen the
// metrics shrink to one line of what matters most, so the plots keep room.
func (m Model) diagnostics(w int) string {
	if m.height < 24 && !m.st.projector {
		saved := m.st.projector
		m.st.projector = true // the projector's short list of numbers
		d := m.diagnostics(w)
		m.st.projector = saved
		return d
	}
	s := m.snap()
	mt := s.Metrics
	var dead []string
	for l := range mt.Dead {
		switch {
		case s.Diverged: // NaN is not death: the counts mean nothing now
			dead = append(dead, fmt.Sprintf("L%d —", l+1))
		case s.Config.Activation == "tanh" || s.Config.Activation == "sigmoid":
			dead = append(dead, fmt.Sprintf("L%d %d/%d", l+1, mt.Saturated[l], mt.Units[l]))
		default:
			dead = append(dead, fmt.Sprintf("L%d %d/%d", l+1, mt.Dead[l], mt.Units[l]))
		}
	}
	deadLabel := "dead ReLU"
	if c := s.Config.Activation; c == "tanh" || c == "sigmoid" {
		deadLabel = "saturated"
	}
	loss := "loss —" // no batch yet
	if s.Step > 0 && !math.IsNaN(mt.Loss) {
		loss = "loss " + engine.FormatValue(mt.Loss)
	}
	grad := "‖∇‖ —" // no step since the start, a reset or a load
	if !math.IsNaN(mt.LastLoss) {
		grad = "‖∇‖ " + engine.FormatValue(mt.GradNorm)
	}
	parts := []string{deadLabel + " " + strings.Join(dead, " ")}
	whole, above := mseLabels(s.Config, mt)
	if !m.st.projector {
		parts = append(parts, "spread "+engine.FormatValue(mt.Spread), whole+" "+engine.FormatValue(mt.MSE))
		if above != "" {
			parts = append(parts, above+" "+engine.FormatValue(mt.MSEAbove001))
		}
		parts = append(parts, loss, grad)
	} else {
		parts = append(parts, verdictMSE(s.Config, mt)+" "+engine.FormatValue(mt.MSEAbove001))
	}
	if m.frame.racing {
		parts[0] = fmt.Sprintf("lane %c: %s", 'A'+m.frame.sel, parts[0])
	}
	line1 := wrapParts(parts, " · ", w)
	d := m.frame.verdicts[min(m.frame.sel, len(m.frame.verdicts)-1)]
	text := d.Text
	style := m.st.Good
	advice := m.advice(d.Advice)
	switch d.Status {
	case engine.StatusCollapsed, engine.StatusSaturated, engine.StatusDiverging:
		style = m.st.Bad
	case engine.StatusDiverged:
		banner := m.st.Banner.Render("DIVERGED at step " + engine.Commas(s.DivergedAt))
		if advice == "" && m.frame.lesson && !m.frame.lessonDone && m.frame.waiting { // a lesson's keys: r and - are the lesson's now
			advice = " — " + lessonGoesOn(m.frame.role) + " the lesson"
		}
		rest := wrapWords(s.DivergeReason+advice, w-lipgloss.Width(banner)-2, 1)
		return line1 + "\n " + banner + " " + strings.Join(rest, "") + "\n"
	case engine.StatusUntrained:
		style = m.st.Dim
		if !m.frame.running && !m.frame.lesson {
			advice = m.advice([]string{"space", "n"})
		}
	case engine.StatusLearning:
		style = m.st.Warn
	}
	text += advice
	// The verdict has a fixed two-line area, so nothing below it moves; one
	// line on a short screen under a lesson's caption, which tells the story
	// there (the plots keep their rows).
	area := 2
	if m.height < compactHeight && m.frame.lesson && m.frame.caption != "" {
		area = 1
		if head, _, ok := strings.Cut(text, ": "); ok && len(wrapItems(strings.Fields(text), " ", w-1)) > 1 {
			text = head // "collapsed to the mean of ln x (≈ -1.00)": the verdict's own short form, uncut
		}
	}
	lines := wrapWords(text, w-1, area)
	for len(lines) < area {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = " " + style.Render(l)
	}
	return line1 + "\n" + strings.Join(lines, "\n")
}

// adviceWords are what a verdict's advice keys do, as the verdict says it.
var adviceWords = map[string]string{
	"-": "lower the lr (-)", "i": "try i (init)", "a": "a (activation)", "r": "r resets",
	"space": "space runs", "n": "n takes one step",
}

// advice is " — " and the keys of a verdict's advice that work now for this
// viewer (a lesson refuses setup keys, a follower every training key), or
// "" when none does: a verdict never names a key that would be refused.
func (m Model) advice(keys []string) string {
	var out []string
	for _, k := range keys {
		if a := m.resolve(k); a != nil && m.works(a) {
			out = append(out, adviceWords[k])
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " — " + strings.Join(out, " or ")
}

// sameForm writes figures that stand side by side in one form: all as
// FormatValue's exponent form when any of them needs it ("2.50e-04" beside
// "4.10e-03", never beside "0.0041"), else all fixed.
func sameForm(v []float64) []string {
	exp := false
	for _, x := range v {
		if s := engine.FormatValue(x); strings.Contains(s, "e") {
			exp = true
		}
	}
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = engine.FormatValue(x)
		if exp && !math.IsNaN(x) && !math.IsInf(x, 0) {
			out[i] = fmt.Sprintf("%.2e", x)
		}
	}
	return out
}
