package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/engine/collapse"
)

// openedMap presses m and waits for the map to be computed, then fixes its
// timing so the screen is deterministic.
func openedMap(t *testing.T, m Model) Model {
	t.Helper()
	m = press(m, "m")
	room := m.openRoom()
	if room == nil {
		t.Fatal("m opened no map")
	}
	select {
	case <-room.ready:
	case <-time.After(60 * time.Second):
		t.Fatal("the map took over a minute")
	}
	room.computeS = 1.5
	return m
}

// The map room at 80×24 and 160×50: it fits, nothing is cut, the setup's
// own cell is marked and the cursor's cell is described.
func TestMapRoomGoldens(t *testing.T) {
	base := openedMap(t, sized(newModel(t, "question", 0), 80, 24))
	for _, size := range [][2]int{{80, 24}, {160, 50}} {
		m := sized(base, size[0], size[1])
		m.msg = ""
		v := m.render()
		checkUncut(t, v, size[0], size[1])
		for _, want := range []string{"collapse map", ">×9<", "lr 0.01 · init-scale 1: 4 runs — 4 collapsed", "init-scale", "lr"} {
			if !strings.Contains(v, want) {
				t.Fatalf("%dx%d: the map lacks %q:\n%s", size[0], size[1], want, v)
			}
		}
		golden(t, fmt.Sprintf("map_%dx%d", size[0], size[1]), v)
	}
}

// enter restarts the dashboard at the cursor's cell, with the same seed.
func TestMapEnterRestartsThere(t *testing.T) {
	m := openedMap(t, sized(newModel(t, "question", 0), 100, 30))
	m = press(m, "left", "left", "down")
	m = press(m, "enter")
	c := m.session.Main().Config()
	if m.mode != modePlots || m.session.Step() != 0 || c.Seed != 1 || fmt.Sprintf("%.3g", c.LR) != "0.001" || fmt.Sprintf("%.3g", c.InitScale) != "0.316" {
		t.Fatalf("after enter: mode %v, step %d, lr %g, init-scale %g, seed %d", m.mode, m.session.Step(), c.LR, c.InitScale, c.Seed)
	}
	if !strings.Contains(m.session.Label(), "init-scale → 0.316") {
		t.Fatalf("label %q", m.session.Label())
	}
}

// The text map, plain and in colour: one distinct glyph per outcome, so it
// reads without colour; colour only repeats the glyphs.
func TestTextMapGoldens(t *testing.T) {
	axes, err := collapse.ParseAxes("lr=1e-4:1:5,init-scale=0.01:1:3")
	if err != nil {
		t.Fatal(err)
	}
	mp, err := collapse.Compute(context.Background(), collapse.Spec{Base: engine.DefaultConfig(), Axes: axes, Seeds: 2, Steps: 300}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	plain := NewMapStyle(colorprofile.NoTTY)
	plain.MarkX, plain.MarkY = NearestCell(mp, 0.01, 1)
	p := RenderMap(mp, "collapse map · question · 2 seeds × 300 steps", 80, plain)
	if strings.Contains(p, "\x1b[") || !strings.Contains(p, "[×9]") {
		t.Fatalf("plain map:\n%s", p)
	}
	golden(t, "textmap_plain", p)
	color := NewMapStyle(colorprofile.TrueColor)
	color.MarkX, color.MarkY = plain.MarkX, plain.MarkY
	c := RenderMap(mp, "collapse map · question · 2 seeds × 300 steps", 80, color)
	if !strings.Contains(c, "\x1b[") {
		t.Fatal("the colour map has no colour")
	}
	golden(t, "textmap_color", c)
}
