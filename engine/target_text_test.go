package engine

import (
	"strings"
	"testing"
)

// The untrained verdict says the domain and where the target lies, from
// the target itself; the question's reads as it always did.
func TestUntrainedVerdictFollowsTheTarget(t *testing.T) {
	for _, c := range []struct{ target, domain, want string }{
		{"ln", "0:1", "on (0,1], where ln x is below 0"},
		{"sin", "-1:1", "on (-1,1], where the target runs from -1.00 to +1.00"},
		{"x^2", "2:5", "on (2,5], where the target runs from +4.01 to +25.0"}, // the grid's first midpoint, 2.0015,
	} {
		tr := trainerOn(t, c.target, c.domain)
		s := tr.Snapshot()
		if d := Diagnose(s); !strings.HasSuffix(d.Text, c.want) {
			t.Errorf("%s on %s: %q, want …%q", c.target, c.domain, d.Text, c.want)
		}
		s.Target = nil // a summary's snapshot: the range from the target itself
		if d := Diagnose(s); !strings.HasSuffix(d.Text, c.want) {
			t.Errorf("%s on %s without the grid: %q", c.target, c.domain, d.Text)
		}
	}
}
