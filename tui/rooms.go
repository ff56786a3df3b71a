package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// A room is one body of the screen, in the manner of charmbracelet/
// soft-serve's pkg/ui common.Component: it keeps its own state (the map's
// cursor, the help's scroll, the picker's list), is told its size, and
// draws itself from the frame. Its keys are entries of the action table
// with the room's mode, which is what soft-serve's per-component
// help.KeyMap is here; its messages (the map's progress) are routed to it
// by the root model, which keeps the session, the runner, the mode and the
// role.
type room interface {
	SetSize(w, h int)
	View(f *frame, st styles) string
}

// room is the one on screen now.
func (m *Model) room() room {
	switch m.mode {
	case modePicker:
		return &m.picker
	case modeHelp:
		return &m.help
	case modeLab:
		return &m.lab
	case modeError:
		return &m.errv
	case modeMap:
		return &m.cmap
	case modeClass:
		return &m.class
	case modeTimeline: // the moment, in the room it was opened from
		switch m.tl.inner {
		case modeLab:
			return &m.lab
		case modeError:
			return &m.errv
		case modeUnits:
			return &m.units
		}
	case modeUnits:
		return &m.units
	}
	return &m.plots
}

// plotsRoom is the fit and the loss; its state is how the loss is drawn.
type plotsRoom struct {
	logLoss, logSteps, smooth bool
	kinksOff                  bool // K: no kink row under the fit plot
	w, h                      int
}

func (r *plotsRoom) SetSize(w, h int) { r.w, r.h = w, h }

// toggle is l, x or s: it says what it did.
func (r *plotsRoom) toggle(what rune) string {
	switch what {
	case 'l':
		r.logLoss = !r.logLoss
		return "loss scale: " + map[bool]string{true: "log10", false: "linear"}[r.logLoss]
	case 'x':
		r.logSteps = !r.logSteps
		return "loss plot's step axis: " + map[bool]string{true: "log (the first steps get their share of the width)", false: "linear"}[r.logSteps]
	}
	r.smooth = !r.smooth
	return "smoothed loss line: " + map[bool]string{true: "on", false: "off"}[r.smooth]
}

// plots is the plots room: the fit and the loss, side by side, each with
// its x axis and legend below, both panels the same height.
func (r *plotsRoom) View(f *frame, st styles) string {
	w, h := r.w, r.h
	if h < 7 {
		return block("", w, h)
	}
	fitW := w / 2
	lossW := w - fitW
	lo := lossOpts{logY: r.logLoss, logX: r.logSteps, smooth: r.smooth, end: f.timelineTo}
	// Draw once to learn how many footer lines each needs (clamp notes
	// depend on the height), then again at the height that leaves.
	footH, drawn := 2, 0
	var fit, loss plotted
	draw := func() {
		plotH := max(h-3-footH, 3) // borders and title
		fit = r.fitWithKinks(f, fitW-4, plotH, st)
		loss = plotLoss(f.snaps, lossW-4, plotH, lo, st, f.rot)
		drawn = footH
	}
	for try := 0; try < 2; try++ {
		draw()
		need := max(len(fit.footer), len(loss.footer), 1)
		if need == footH {
			break
		}
		footH = need
	}
	if drawn != footH { // the last try asked for a taller footer: the plots make room for it
		draw()
	}
	if h-3-footH < 4 { // a short screen keeps the curves and drops the legends
		footH = 1
		fit = plotFit(f.snaps, fitW-4, h-4, st, f.rot)
		loss = plotLoss(f.snaps, lossW-4, h-4, lo, st, f.rot)
		fit.footer, loss.footer = fit.footer[:min(1, len(fit.footer))], loss.footer[:min(1, len(loss.footer))]
	}
	if h-3-footH < 3 {
		return block("", w, h)
	}
	left := panel(st, fitTitleIn(f.snap().Config, fitW-4), fit, footH, fitW)
	right := panel(st, "loss (MSE of each batch)", loss, footH, lossW)
	return lipgloss.JoinHorizontal(lipgloss.Top, left, right)
}

func panel(st styles, title string, p plotted, footH, w int) string {
	cw := w - 4
	if lipgloss.Width(title) > cw { // a narrow panel: the title's first word
		title, _, _ = strings.Cut(title, ":")
	}
	content := strings.Join([]string{
		block(st.PanelTitle.Render(title), cw, 1),
		p.graph,
		block(strings.Join(p.footer, "\n"), cw, footH),
	}, "\n")
	return st.Panel.Width(w).Render(content)
}
