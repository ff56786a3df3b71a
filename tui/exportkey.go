package tui

import (
	"fmt"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
)

// exportKey is E: the run's loss history and curve as CSV and its figure
// as SVG, beside the file w saves to, by w's rule (never replacing a file
// this session did not write). A student's session writes nothing on the
// server: it says how to make the same files at home.
func (m *Model) exportKey(string) tea.Cmd {
	if m.opts.SavePath == "-" {
		m.say(false, "nothing is written on the server: at home, lnfit --headless --config TOKEN --steps %s --history h.csv --plot p.svg (? shows the TOKEN)",
			engine.Commas(m.session.Step()))
		return nil
	}
	path := m.opts.SavePath
	if path == "" {
		path = fmt.Sprintf("lnfit-%s-step%d.json", safeName(m.session.Label()), m.session.Lane(m.sel).Step())
	}
	written, err := m.exports.Beside(m.session, path)
	if err != nil {
		m.say(true, "not exported: %v (training goes on)", err)
		return nil
	}
	names := make([]string, len(written))
	for i, w := range written {
		names[i] = engine.EscapeText(filepath.Base(w))
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		dir = filepath.Dir(path)
	}
	m.say(false, "exported %s in %s", strings.Join(names, ", "), engine.EscapeText(dir))
	return nil
}
