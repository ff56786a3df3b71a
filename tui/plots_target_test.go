package tui

import (
	"math"
	"strings"
	"testing"
	"time"

	"lnfit/engine"
)

func TestFitPlotFollowsTheDomainAndTarget(t *testing.T) {
	for _, c := range []struct {
		target, domain string
		ticks          [3]string
	}{{"ln", "0:1", [3]string{"0", "0.5", "1"}}, {"sin", "-1:1", [3]string{"-1", "0", "1"}}, {"exp", "2:5", [3]string{"2", "3.5", "5"}}} {
		cfg := engine.DefaultConfig()
		for k, v := range map[string]string{"domain": c.domain, "target": c.target} {
			s, _ := engine.LookupSetting(k)
			if err := s.Apply(&cfg, v); err != nil {
				t.Fatal(err)
			}
		}
		tr, err := engine.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		snap := tr.Snapshot()
		ticks := domainTicks(snap.GridX)
		for i, tk := range ticks {
			if tk.label != c.ticks[i] {
				t.Errorf("%s on %s: tick %d %q, want %q", c.target, c.domain, i, tk.label, c.ticks[i])
			}
		}
		for _, h := range []int{8, 16, 30} {
			lo, hi, _ := targetSpan(snap.Target, h, c.target == "ln")
			if c.target == "ln" {
				if wlo, whi, _ := fitRange(snap.Target[0], h); lo != wlo || hi != whi {
					t.Errorf("ln h=%d: range [%v, %v], fitRange's [%v, %v]", h, lo, hi, wlo, whi)
				}
				continue
			}
			tmin, tmax := math.Inf(1), math.Inf(-1)
			for _, v := range snap.Target {
				tmin, tmax = math.Min(tmin, v), math.Max(tmax, v)
			}
			if hi < tmax || lo > tmin {
				t.Errorf("%s h=%d: range [%v, %v] misses the target's [%v, %v]", c.target, h, lo, hi, tmin, tmax)
			}
		}
	}
}

func TestYCyclesTheTarget(t *testing.T) {
	m := sized(newModel(t, "question", 0), 120, 40)
	m = press(m, "y")
	if got := m.session.Lane(0).Config().Target; got != "sin" {
		t.Fatalf("y: target %q, want sin", got)
	}
	m = press(m, "Y", "Y")
	if got := m.session.Lane(0).Config().Target; got != "sawtooth" {
		t.Fatalf("y Y Y: target %q, want sawtooth", got)
	}
	if v := m.render(); !strings.Contains(v, "sawtooth") {
		t.Fatal("the dashboard does not name the new target")
	}
}

// The fit panel's title says what the net is fitted to, and where.
func TestFitTitleSaysTheTarget(t *testing.T) {
	c := engine.DefaultConfig()
	if got := fitTitle(c); got != "fit: net(x) vs ln(x) on (0,1]" {
		t.Fatalf("ln: %q", got)
	}
	c.Target = "sin"
	if got := fitTitle(c); got != "fit: net(x) vs sin(2πx) on (0,1]" {
		t.Fatalf("sin: %q", got)
	}
	c.Target, c.DomainLo, c.DomainHi = "x^2", -1, 2
	if got := fitTitle(c); got != "fit: net(x) vs x^2 on (-1,2]" {
		t.Fatalf("x^2 on (-1,2]: %q", got)
	}
}

// A points run draws each point as a dot of its own, and the legend counts
// them; the title names them and drops the domain where it does not fit.
func TestPointsAreDots(t *testing.T) {
	ps, err := engine.ParsePoints([]byte("x,y\n0.1,0.2\n0.3,0.5\n0.5,0.4\n0.7,0.9\n0.9,-0.3\n"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := engine.DefaultConfig()
	ps.Use(&cfg)
	tr, err := engine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	snap := tr.Snapshot()
	for i := range snap.Pred { // the net far off the plot: no point is hidden by it
		snap.Pred[i] = math.NaN()
	}
	p := plotFit([]engine.Snapshot{snap}, 40, 12, newStyles(0), 0)
	if got := strings.Count(p.graph, string(pointGlyph)); got != len(ps.X) {
		t.Fatalf("%d dots for %d points:\n%s", got, len(ps.X), p.graph)
	}
	if strings.Contains(p.graph, "·") {
		t.Fatalf("the points are joined by a line:\n%s", p.graph)
	}
	if foot := strings.Join(p.footer, "\n"); !strings.Contains(foot, "● your points (5)") {
		t.Fatalf("legend:\n%s", foot)
	}
	// The lowest point (y = −0.3, at x = 0.9) is on the bottom rows, in the last column.
	lines := strings.Split(p.graph, "\n")
	var row, col int
	for i, l := range lines {
		if j := strings.IndexRune(l, pointGlyph); j >= 0 {
			row, col = i, len([]rune(l[:j]))
		}
	}
	if row < len(lines)/2 || col != labelWidth+2+plotColumns(40)-1 {
		t.Fatalf("the point at (0.9, −0.3) is on line %d, cell %d:\n%s", row, col, p.graph)
	}
	if got := fitTitleIn(cfg, 36); got != "fit: net(x) vs your 5 points" {
		t.Fatalf("title in 36 cells: %q", got)
	}
	if got := fitTitleIn(cfg, 80); got != "fit: net(x) vs your 5 points on [0.1,0.9]" {
		t.Fatalf("title in 80 cells: %q", got)
	}
}

// The error view follows the target and domain: log x only for ln on a
// domain open at 0 (with x = 0.01 marked), linear x over the domain
// otherwise, the target named in the title.
func TestErrorViewFollowsTheTarget(t *testing.T) {
	for _, c := range []struct {
		target, domain, title, tick string
		cut                         bool
	}{
		{"ln", "0:1", "|net(x) − ln(x)| against x, log-x axis", "0.01", true},
		{"sin", "-1:1", "|net(x) − sin(2πx)| against x, linear x", "-1", false},
		{"x^2", "2:5", "|net(x) − x^2| against x, linear x", "3.5", false},
	} {
		cfg := engine.DefaultConfig()
		cfg.Init, cfg.Optimizer, cfg.LR = engine.InitNormal, engine.OptAdam, 3e-3
		for k, v := range map[string]string{"domain": c.domain, "target": c.target} {
			s, _ := engine.LookupSetting(k)
			if err := s.Apply(&cfg, v); err != nil {
				t.Fatal(err)
			}
		}
		tr, err := engine.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		tr.Run(200)
		m := New(engine.NewSession(tr, c.target), Options{StartPaused: true})
		m.budget = time.Hour
		m = press(sized(m, 80, 24), "e")
		v := m.render()
		if !strings.Contains(v, c.title) || strings.Contains(v, "┊") != c.cut {
			t.Errorf("%s on %s: want %q, the x = 0.01 mark %v:\n%s", c.target, c.domain, c.title, c.cut, v)
		}
		var axis string
		for _, l := range strings.Split(v, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "x ") {
				axis = l
			}
		}
		if !strings.Contains(axis, " "+c.tick) {
			t.Errorf("%s on %s: x axis %q has no %s", c.target, c.domain, axis, c.tick)
		}
	}
}

// The kink row spans the fit plot's domain: a kink at 0 on (−1,1] sits in
// the middle column, and the legend names the domain.
func TestKinkRowFollowsTheDomain(t *testing.T) {
	r := &engine.UnitReport{Linear: true, Lo: -1, Hi: 1, NetKinks: 1,
		Layers: [][]engine.Unit{{{Layer: 1, Kinks: []float64{0}, Hinge: 0, Live: engine.SideRight}}}, Kinks: [][]float64{{0}}}
	row := []rune(kinkRow(r, 20, newStyles(0)))
	at := -1
	for i, c := range row {
		if c != ' ' {
			at = i
		}
	}
	if at != 10 {
		t.Fatalf("the kink at x = 0 on (-1,1] is in cell %d of 20: %q", at, string(row))
	}
	if items := kinkLegend(r); !strings.HasPrefix(items[0], "kinks in (-1,1]: 1 of 1") {
		t.Fatalf("legend %q", items[0])
	}
	r.NetKinks, r.Layers[0][0].Kinks, r.Layers[0][0].Hinge = 0, nil, -3
	if n := kinkNone(r); len(n) == 0 || n[0] != "none in (-1,1]: 1 left of -1, 0 right of 1" {
		t.Fatalf("no kink in the domain: %q", n)
	}
}
