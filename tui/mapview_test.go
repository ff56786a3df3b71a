package tui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/engine/collapse"
	"lnfit/engine/runner"
)

// smallMaps makes the model's maps small work: 2 seeds of 300 steps a
// cell, so a map is done in moments even under -race on a slow machine.
func smallMaps(m Model) Model {
	m.opts.Maps.spec = func(c engine.Config) (collapse.Spec, error) {
		s, err := mapSpecFor(c)
		s.Seeds, s.Steps = 2, 300
		return s, err
	}
	return m
}

// openedMap presses m and waits for the map's completion, looking at it
// meanwhile as the room's poll does (a map no one looks at is cancelled),
// then fixes its timing so the screen is deterministic.
func openedMap(t *testing.T, m Model) Model {
	t.Helper()
	m = press(smallMaps(m), "m")
	room := m.openRoom()
	if room == nil {
		t.Fatal("m opened no map")
	}
	waitMap(t, m.opts.Maps, room)
	if room.err != nil {
		t.Fatal(room.err)
	}
	room.computeS = 1.5
	return m
}

// waitMap waits for room's completion event, looking at it as a viewer
// does; the backstop only catches a hang.
func waitMap(t *testing.T, c *MapCache, room *mapRoom) {
	t.Helper()
	look := time.NewTicker(100 * time.Millisecond)
	defer look.Stop()
	backstop := time.After(5 * time.Minute)
	for {
		select {
		case <-room.ready:
			return
		case <-look.C:
			c.look(room.key)
		case <-backstop:
			t.Fatal("the map hangs")
		}
	}
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
		for _, want := range []string{"collapse map", ">×2<", "lr 0.01 · init-scale 1: 2 runs — 2 collapsed", "init-scale", "lr",
			"× collapsed", "! diverged", "~ learning", "✓ converged", "of the 2 runs", "> < the cursor"} {
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
	if m.mode != modePlots || m.session.Step() != 0 || c.Seed != 1 || c.LR != 0.001 || c.InitScale != 0.32 {
		t.Fatalf("after enter: mode %v, step %d, lr %g, init-scale %g, seed %d", m.mode, m.session.Step(), c.LR, c.InitScale, c.Seed)
	}
	// The header says the cell's values as its axis labels them, not 0.31622776601683794.
	if !strings.Contains(m.session.Label(), "init-scale → 0.32") || strings.Contains(m.session.Label(), "0.316") {
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
	if strings.Contains(p, "\x1b[") || !strings.Contains(p, "[×2]") {
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

// endlessMaps makes every map of c one run that neither settles nor ends
// soon, so it computes until it is cancelled.
func endlessMaps(t *testing.T, c *MapCache) {
	c.spec = func(cfg engine.Config) (collapse.Spec, error) {
		axes, err := collapse.ParseAxes(fmt.Sprintf("lr=%g:%g:1,init-scale=1:1:1", cfg.LR, cfg.LR))
		cfg.Init, cfg.Batch = engine.InitNormal, 500
		return collapse.Spec{Base: cfg, Axes: axes, Seeds: 1, Steps: 10_000_000}, err
	}
}

// testClock is a clock the test moves; the cache's goroutines read it too.
type testClock struct{ ns atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.ns.Store(fixedNow.UnixNano())
	return c
}

func (c *testClock) now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *testClock) add(d time.Duration) { c.ns.Add(int64(d)) }

// cached is the cache's map of key, without looking at it.
func cached(c *MapCache, key string) *mapRoom {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rooms[key]
}

func lrConfig(lr float64) engine.Config {
	c := engine.DefaultConfig()
	c.LR = lr
	return c
}

// Repro 18.4: a map that no one looks at (its room closed, its session
// gone) is cancelled once its lease runs out, leaves the cache, and its
// runs stop; opened again, it starts afresh. Its runs were in the pool.
func TestUnwatchedMapIsCancelled(t *testing.T) {
	c := NewMapCache()
	endlessMaps(t, c)
	clock := newTestClock()
	c.now = clock.now
	pool := runner.NewPool(1)
	key := c.open(lrConfig(1e-5), pool)
	room := c.look(key)
	for pool.Busy() == 0 { // event: its runs train in the pool (a hang here is the bug)
		time.Sleep(time.Millisecond)
	}
	clock.add(mapLease / 2)
	c.sweep(room)
	if room.finished() {
		t.Fatal("a map looked at half a lease ago was cancelled")
	}
	clock.add(mapLease)
	c.sweep(room)
	<-room.ready // the cancelled runs stop; a hang here is the bug
	if room.err != errUnwatched || c.look(key) != nil {
		t.Fatalf("unwatched map: err %v, still cached %v", room.err, c.look(key) != nil)
	}
	if !room.pooled || !strings.Contains(room.where(), "class's cores") {
		t.Fatalf("a pooled map says it computes %q", room.where())
	}
	again := c.look(c.open(lrConfig(1e-5), pool))
	if again == nil || again == room || again.finished() {
		t.Fatal("opened again, the map did not start afresh")
	}
	clock.add(2 * mapLease) // held, not looked up again: its watcher may drop it from the cache from now on
	c.sweep(again)
	<-again.ready
}

// Maps are shared by setup, at most maxComputing compute at once (the
// rest wait), and the cache keeps at most maxMaps, dropping the finished
// map looked at least recently — or refusing when every map is live.
func TestMapsAreSharedAndCapped(t *testing.T) {
	c := NewMapCache()
	endlessMaps(t, c)
	clock := newTestClock()
	c.now = clock.now
	var keys []string
	for i := 0; i < maxComputing+1; i++ {
		keys = append(keys, c.open(lrConfig(1e-5*float64(i+1)), nil))
	}
	if c.open(lrConfig(1e-5), nil) != keys[0] || len(c.rooms) != maxComputing+1 {
		t.Fatalf("the same setup opened a second map: %d maps", len(c.rooms))
	}
	for len(c.slots) < maxComputing { // event: both slots taken (a hang here is the bug)
		time.Sleep(time.Millisecond)
	}
	var waiting *mapRoom
	for waiting == nil { // event: the one map without a slot says it waits
		for _, k := range keys {
			if r := c.look(k); r.queued.Load() {
				waiting = r
			}
		}
		time.Sleep(time.Millisecond)
	}
	if len(c.slots) != maxComputing {
		t.Fatalf("%d maps compute at once, at most %d", len(c.slots), maxComputing)
	}
	for _, k := range keys { // only the map without a slot says it waits, never one that has its slot
		if r := cached(c, k); r != waiting && r.queued.Load() {
			t.Fatalf("two maps say they wait, with %d of %d slots taken", len(c.slots), maxComputing)
		}
	}
	if !strings.Contains(waiting.where(), "waiting") {
		t.Fatalf("a queued map says %q", waiting.where())
	}
	// Taken before the leases run out: from then on each map's own watcher
	// (every mapLease/5 of real time) may cancel it and drop it from the
	// cache before this loop sweeps it.
	var rooms []*mapRoom
	for _, k := range keys {
		rooms = append(rooms, cached(c, k))
	}
	clock.add(2 * mapLease)
	for _, r := range rooms { // a map is ready only once it has given its slot back
		c.sweep(r)
		<-r.ready
	}
	if len(c.rooms) != 0 || len(c.slots) != 0 {
		t.Fatalf("after cancelling: %d maps, %d slots", len(c.rooms), len(c.slots))
	}
	// Full of finished maps: the one looked at least recently goes.
	for i := 0; i < maxMaps; i++ {
		r := &mapRoom{key: fmt.Sprint(i), ready: make(chan struct{}), m: &collapse.Map{}}
		r.looked.Store(int64(100 + i))
		close(r.ready)
		c.rooms[r.key] = r
	}
	c.rooms["0"].looked.Store(1_000) // looked at lately: not the oldest
	k := c.open(lrConfig(0.5), nil)
	if _, ok := c.rooms["1"]; ok || c.rooms["0"] == nil || len(c.rooms) != maxMaps {
		t.Fatalf("the least recently looked-at map was not the one dropped: %d maps", len(c.rooms))
	}
	r := cached(c, k) // before its lease runs out, as above
	clock.add(2 * mapLease)
	c.sweep(r)
	<-r.ready
	// Full of computing maps: refused, saying why.
	for i := 0; i < maxMaps; i++ {
		c.rooms[fmt.Sprint(i)] = &mapRoom{key: fmt.Sprint(i), ready: make(chan struct{})}
	}
	refused := c.look(c.open(lrConfig(0.25), nil))
	if !refused.finished() || refused.err == nil || !strings.Contains(refused.err.Error(), "try again") {
		t.Fatalf("a 17th live map: %v", refused.err)
	}
}

// handMap is a map of the given axes whose cells are what fill says.
func handMap(t *testing.T, axes string, seeds int, base engine.Config, fill func(x, y int) collapse.Cell) *collapse.Map {
	t.Helper()
	a, err := collapse.ParseAxes(axes)
	if err != nil {
		t.Fatal(err)
	}
	m := &collapse.Map{Spec: collapse.Spec{Base: base, Axes: a, Seeds: seeds, Steps: 2000}}
	for y := 0; y < a[1].Count; y++ {
		var row []collapse.Cell
		for x := 0; x < a[0].Count; x++ {
			c := fill(x, y)
			c.X, c.Y, c.Runs = a[0].Values[x], a[1].Values[y], seeds
			row = append(row, c)
		}
		m.Cells = append(m.Cells, row)
	}
	return m
}

// Issue 20's map: a cell says k of its n runs (3 of 4 is "×3", not the
// "×7" of a 9-point scale), every column is labelled (lr=0.01:10:7's last
// one too), and the batch is a log ladder on which the setup's batch 50
// is marked at its nearest rung, saying so.
func TestMapSaysWhatItComputed(t *testing.T) {
	base := engine.DefaultConfig() // batch 50, lr 0.01
	m := handMap(t, "lr=0.01:10:7,batch=1:1000:7", 4, base, func(x, y int) collapse.Cell {
		var c collapse.Cell
		c.Counts[collapse.Collapsed], c.Counts[collapse.Learning] = 3, 1
		return c
	})
	if got := fmt.Sprint(m.Spec.Axes[1].Values); got != "[1 3 10 32 100 320 1000]" {
		t.Fatalf("batch ladder %s", got)
	}
	st := NewMapStyle(colorprofile.NoTTY)
	st.MarkX, st.MarkY = NearestCell(m, base.LR, float64(base.Batch))
	v := RenderMap(m, "t", 100, st)
	for _, want := range []string{" ×3 ", "×3: 3 of the 4 runs", "[×3]", "nearest the setup (batch 50)", "↑ batch", "lr →"} {
		if !strings.Contains(v, want) {
			t.Fatalf("the map lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "×7") {
		t.Fatalf("3 of 4 drawn on a 9-point scale:\n%s", v)
	}
	lines := strings.Split(v, "\n")
	for y, row := range lines[1:8] { // the top row is batch 1000; the mark is on batch 32's
		if strings.Contains(row, "[×3]") != (y == 3) || !strings.HasPrefix(strings.TrimSpace(row), axisValue(m.Spec.Axes[1].Values[6-y])) {
			t.Fatalf("row %d: %q", y, row)
		}
	}
	for _, x := range m.Spec.Axes[0].Values {
		if !strings.Contains(v, " "+axisValue(x)) {
			t.Fatalf("column lr %g is not labelled:\n%s", x, v)
		}
	}
	if text := CellText(m, 1, 3); !strings.HasPrefix(text, "lr 0.032 · batch 32:") {
		t.Fatalf("the cell's text does not use the axes' values: %q", text)
	}
}

// Where every cell has the same outcome (xmin × dropout: all learning), a
// second map shades each cell by the median MSE it computed, with its scale.
func TestUniformMapShowsTheMedianMSE(t *testing.T) {
	m := handMap(t, "xmin=0:0.1:3,dropout=0:0.5:3", 3, engine.DefaultConfig(), func(x, y int) collapse.Cell {
		var c collapse.Cell
		c.Counts[collapse.Learning] = 3
		c.MedianMSE = 1e-3 * float64(1+x+3*y) // 1e-3 … 9e-3
		return c
	})
	v := RenderMap(m, "t", 100, NewMapStyle(colorprofile.NoTTY))
	for _, want := range []string{"Every cell is learning", "median mse", "· ≥ 0.0010", "(highest 0.0090)", mseShades[0], mseShades[len(mseShades)-1]} {
		if !strings.Contains(v, want) {
			t.Fatalf("the uniform map lacks %q:\n%s", want, v)
		}
	}
	mixed := handMap(t, "xmin=0:0.1:3,dropout=0:0.5:3", 3, engine.DefaultConfig(), func(x, y int) collapse.Cell {
		var c collapse.Cell
		c.Counts[x%2*collapse.Learning] = 3
		return c
	})
	if v := RenderMap(mixed, "t", 100, NewMapStyle(colorprofile.NoTTY)); strings.Contains(v, "Every cell") {
		t.Fatalf("a mixed map drew the MSE map:\n%s", v)
	}
}

// A classroom session that opens a map and ends (no frame, no poll looks at
// it again) has its map cancelled once the lease runs out, its runs in the
// class's pool stopped and the pool's cores free.
func TestEndedSessionCancelsItsMap(t *testing.T) {
	pool := runner.NewPool(2)
	tr, err := engine.New(engine.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	maps := NewMapCache()
	endlessMaps(t, maps)
	clock := newTestClock()
	maps.now = clock.now
	m := New(engine.NewSession(tr, "question"), Options{StartPaused: true, Pool: pool, Maps: maps})
	m = press(sized(m, 100, 30), "m")
	room := cached(maps, m.cmap.key)
	if room == nil || room.finished() || !room.pooled {
		t.Fatal("m started no map in the pool")
	}
	for pool.Busy() == 0 { // event: its runs have trained in the pool (a hang here is the bug)
		maps.look(m.cmap.key)
		time.Sleep(time.Millisecond)
	}
	// The session ends here: nothing looks at the map any more.
	clock.add(mapLease + time.Millisecond)
	maps.sweep(room)
	<-room.ready // a hang here is the bug
	if room.err != errUnwatched || cached(maps, m.cmap.key) != nil {
		t.Fatalf("after the session: err %v, still cached %v", room.err, cached(maps, m.cmap.key) != nil)
	}
	if pool.Busy() == 0 || pool.Active() > 2 {
		t.Fatalf("the map's runs: %v in the pool, %d runs active", pool.Busy(), pool.Active())
	}
}
