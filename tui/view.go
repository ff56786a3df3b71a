package tui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"lnfit/engine"
	"lnfit/presets"
)

// The smallest terminal the dashboard draws in; below it, it says so.
const minWidth, minHeight = 60, 16

// msgLife is how long a status message stays on screen.
const msgLife = 6 * time.Second

// View draws the whole screen from the last snapshots. It never touches the
// trainers' live state.
func (m Model) View() string {
	w, h := m.width, m.height
	if w < minWidth || h < minHeight {
		return m.tooSmall()
	}
	parts := []string{m.header(w)}
	caption := m.caption(w)
	diag := m.diagnostics(w)
	status := m.statusLine(w)
	helpLine := truncate(m.help.ShortHelpView(m.keys.ShortHelp()), w)
	used := lipgloss.Height(parts[0]) + lipgloss.Height(diag) + 2
	bodyH := h - used
	if caption != "" {
		if bodyH-lipgloss.Height(caption) < 6 { // a short screen keeps the plots: a one-line caption
			caption = truncate(m.st.Title.Render(" "+m.player.Caption), w)
		}
		bodyH -= lipgloss.Height(caption)
	}
	var body string
	switch {
	case m.picking:
		body = m.picker(w, bodyH)
	case m.pickingLesson:
		body = m.lessonPicker(w, bodyH)
	case m.showHelp:
		body = m.fullHelp(w, bodyH)
	case m.view == viewInitLab:
		body = m.initLab(w, bodyH)
	case m.view == viewError:
		body = m.errorView(w, bodyH)
	default:
		body = m.plots(w, bodyH)
	}
	parts = append(parts, body)
	if caption != "" {
		parts = append(parts, caption)
	}
	parts = append(parts, diag, status, helpLine)
	return strings.Join(parts, "\n")
}

func (m Model) tooSmall() string {
	w, h := max(m.width, 1), max(m.height, 1)
	lines := []string{
		"lnfit needs a terminal of at least " + fmt.Sprintf("%d×%d", minWidth, minHeight),
		fmt.Sprintf("this one is %d×%d: please enlarge it", m.width, m.height),
		"(q quits)",
	}
	for i, l := range lines {
		lines[i] = truncate(l, w)
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return strings.Join(lines, "\n")
}

func (m Model) header(w int) string {
	s := m.snap()
	c := s.Config
	state := m.st.Good.Render("▶ running")
	switch {
	case m.session.AllDiverged():
		state = m.st.Bad.Render("✖ diverged")
	case m.player != nil && m.player.Waiting:
		state = m.st.Warn.Render("‖ caption: space continues")
	case !m.running:
		state = m.st.Warn.Render("‖ paused")
	}
	rate := "— steps/s"
	if r := m.rate.perSecond(); !math.IsNaN(r) && m.running {
		rate = shortCount(r) + " steps/s"
	}
	parts := []string{m.st.Title.Render("lnfit"), m.opts.Preset}
	if !m.session.Racing() {
		parts = append(parts, fmt.Sprintf("%s lr %g", c.Optimizer, c.LR))
	}
	parts = append(parts, "init "+c.Init)
	if !m.st.projector {
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
	parts = append(parts, "step "+engine.Commas(s.Step))
	if !m.st.projector {
		parts = append(parts, rate, speedLabel(speeds[m.speed]))
	}
	parts = append(parts, state)
	if m.session.Racing() {
		for i := range m.snaps {
			ls := &m.snaps[i]
			_, _, mark, _ := laneStyle(i, len(m.snaps), m.st)
			lane := fmt.Sprintf("%c %s lr %g mse %s", 'A'+i, ls.Config.Optimizer, ls.Config.LR, engine.FormatValue(ls.Metrics.MSEAbove001))
			if ls.Diverged {
				lane = fmt.Sprintf("%c %s lr %g diverged", 'A'+i, ls.Config.Optimizer, ls.Config.LR)
			}
			if i == m.sel {
				lane = "▸" + lane
			}
			parts = append(parts, mark.Render(lane))
		}
	}
	return wrapParts(parts, " · ", w)
}

// wrapParts joins parts with sep, breaking lines between parts to fit w.
func wrapParts(parts []string, sep string, w int) string {
	var lines []string
	cur := ""
	for _, p := range parts {
		switch {
		case cur == "":
			cur = " " + p
		case lipgloss.Width(cur+sep+p) <= w:
			cur += sep + p
		default:
			lines = append(lines, cur)
			cur = " " + p
		}
	}
	lines = append(lines, cur)
	for i, l := range lines {
		lines[i] = truncate(l, w)
	}
	return strings.Join(lines, "\n")
}

func (m Model) plots(w, h int) string {
	if h < 6 {
		return block("", w, h)
	}
	fitW := w / 2
	lossW := w - fitW
	plotH := h - 4 // borders, title, legend
	fitGraph, fitLegend := plotFit(m.snaps, fitW-4, plotH, m.st)
	lossGraph, lossLegend := plotLoss(m.snaps, lossW-4, plotH, m.logLoss, m.smooth, m.st)
	fit := m.panel("fit: net(x) vs ln(x) on (0,1]", fitGraph, fitLegend, fitW)
	loss := m.panel("loss (MSE of each batch)", lossGraph, lossLegend, lossW)
	return lipgloss.JoinHorizontal(lipgloss.Top, fit, loss)
}

func (m Model) panel(title, graph, legend string, w int) string {
	cw := w - 4
	content := strings.Join([]string{
		block(m.st.PanelTitle.Render(title), cw, 1),
		graph,
		block(legend, cw, 1),
	}, "\n")
	return m.st.Panel.Width(w - 2).Render(content)
}

// caption is the lesson's text, when a lesson runs.
func (m Model) caption(w int) string {
	p := m.player
	if p == nil || p.Caption == "" {
		return ""
	}
	text := p.Caption
	switch {
	case p.Waiting:
		text += "   [space]"
	case p.Done:
		text += "   (end of lesson " + p.Lesson.Name + ")"
	}
	return m.st.Caption.Width(w).Render(text)
}

func (m Model) diagnostics(w int) string {
	s := m.snap()
	mt := s.Metrics
	var dead []string
	for l := range mt.Dead {
		dead = append(dead, fmt.Sprintf("L%d %d/%d", l+1, mt.Dead[l], mt.Units[l]))
	}
	deadLabel := "dead ReLU"
	if c := s.Config.Activation; c == "tanh" || c == "sigmoid" {
		deadLabel = "dead units"
	}
	parts := []string{deadLabel + " " + strings.Join(dead, " ")}
	if !m.st.projector {
		parts = append(parts,
			"spread "+engine.FormatValue(mt.Spread),
			"mse "+engine.FormatValue(mt.MSE),
			"mse x≥0.01 "+engine.FormatValue(mt.MSEAbove001),
			"loss "+engine.FormatValue(mt.Loss),
			"‖∇‖ "+engine.FormatValue(mt.GradNorm))
	} else {
		parts = append(parts, "mse x≥0.01 "+engine.FormatValue(mt.MSEAbove001))
	}
	if m.session.Racing() {
		parts[0] = fmt.Sprintf("lane %c: %s", 'A'+m.sel, parts[0])
	}
	line1 := wrapParts(parts, " · ", w)
	d := engine.Diagnose(*s)
	text := " " + d.Text
	style := m.st.Good
	switch d.Status {
	case engine.StatusCollapsed:
		text += " — try i (init)"
		style = m.st.Bad
	case engine.StatusSaturated:
		text += " — try i (init) or a (activation)"
		style = m.st.Bad
	case engine.StatusDiverged:
		style = m.st.Banner
		text = " " + style.Render("DIVERGED at step "+engine.Commas(s.DivergedAt)) + " " + s.DivergeReason + " — r resets, - lowers the lr"
		return line1 + "\n" + truncate(text, w)
	case engine.StatusUntrained:
		style = m.st.Dim
		text += " — space runs, n takes one step"
	case engine.StatusLearning:
		style = m.st.Warn
	}
	return line1 + "\n" + style.Width(w).Render(text)
}

func (m Model) statusLine(w int) string {
	if m.msg == "" || m.now().Sub(m.msgAt) > msgLife {
		return ""
	}
	st := m.st.Msg
	if m.msgBad {
		st = m.st.Bad
	}
	return truncate(st.Render(" "+m.msg), w)
}

func (m Model) fullHelp(w, h int) string {
	title := m.st.Title.Render(" keys") + m.st.Dim.Render("  (? closes)")
	body := m.help.FullHelpView(m.keys.FullHelp())
	about := m.st.Dim.Render(" o swaps the optimizer and keeps the weights; i swaps the init and restarts from the same seed,\n" +
		" so i on the question is exactly the question-normal-init preset. c races lanes from the same weights on the same batches.")
	// The token is cut into lines that fit; ParseToken joins them back.
	tok, width := m.Token(), max(w-2, 10)
	var lines []string
	for len(tok) > width {
		lines, tok = append(lines, " "+tok[:width]), tok[width:]
	}
	lines = append(lines, " "+tok)
	token := " this setup:\n" + strings.Join(lines, "\n") + "\n" +
		m.st.Dim.Render(" (lnfit --config 'TOKEN' starts exactly here, from step 0; line breaks are ignored)")
	return block(title+"\n\n"+indent(body, 1)+"\n\n"+about+"\n\n"+token, w, h)
}

func (m Model) picker(w, h int) string {
	var rows []string
	for _, name := range presets.Names() {
		p, _ := presets.Get(name)
		rows = append(rows, fmt.Sprintf(" %-21s %s", p.Name, p.Teach))
	}
	return m.list(" choose a preset", rows, w, h)
}

func (m Model) lessonPicker(w, h int) string {
	var rows []string
	for _, l := range presets.Lessons {
		rows = append(rows, fmt.Sprintf(" %-12s %s", l.Name, l.Title))
	}
	return m.list(" choose a lesson", rows, w, h)
}

func (m Model) list(title string, rows []string, w, h int) string {
	lines := []string{m.st.Title.Render(title) + m.st.Dim.Render("  ↑/↓ move · enter choose · esc cancel"), ""}
	// Keep the chosen row in view on short screens.
	room := max(h-3, 1)
	first := max(0, min(m.pickIdx-room/2, len(rows)-room))
	for i := first; i < len(rows) && i < first+room; i++ {
		row := truncate(rows[i], w)
		if i == m.pickIdx {
			row = m.st.Picked.Render(row)
		}
		lines = append(lines, row)
	}
	return block(strings.Join(lines, "\n"), w, h)
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// shortCount writes 61234 as "61k" and 1.2e6 as "1.2M".
func shortCount(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}
