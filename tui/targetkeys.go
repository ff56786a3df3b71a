package tui

import (
	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
)

// cycleTarget moves the run to the next (or previous) built-in target, y
// = ln x, sin, …, restarting from step 0 with the same seed (issue 24). From
// an expression or a points run it goes on as if from ln.
func (m *Model) cycleTarget(next bool) tea.Cmd {
	cfg := m.session.Lane(m.sel).Config()
	name := cycle(engine.TargetBuiltins, cfg.Target, next)
	if m.set("target", name, engine.AllLanes) {
		// The formula the fit plot's title names ("|x − 0.5|", not "abs").
		m.say(false, "target: y = %s — restarted from step 0, seed %d", engine.TargetTitle(m.session.Lane(m.sel).Config()), cfg.Seed)
		m.restarted()
	}
	return nil
}
