package tui

import (
	"strings"
	"testing"

	"lnfit/engine"
)

// y names the target as the fit plot's title does: "|x − 0.5|", not the
// built-in's name "abs".
func TestTargetKeySaysTheFormula(t *testing.T) {
	m := sized(newModel(t, "question", 0), 120, 40)
	differs := 0
	for range engine.TargetBuiltins {
		m = press(m, "y")
		c := m.session.Lane(m.sel).Config()
		title := engine.TargetTitle(c)
		if !strings.Contains(m.msg, "target: y = "+title+" —") {
			t.Errorf("target %s: message %q does not name %q", c.Target, m.msg, title)
		}
		if title != c.Target {
			differs++
		}
	}
	if differs == 0 {
		t.Fatal("no built-in has a title other than its name: the test checks nothing")
	}
}
