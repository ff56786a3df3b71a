package tui

import (
	"math"
	"strings"
	"testing"

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
			lo, hi, _ := targetSpan(snap.Target, h)
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
	if got := fitTitle(c); got != "fit: net(x) vs x^2 on [-1,2]" {
		t.Fatalf("x^2 on [-1,2]: %q", got)
	}
}
