package main

import (
	"runtime"
	"testing"
)

// Headless keeps nothing per step: 50 times the steps allocate almost
// nothing more (the peak RSS of `--headless --steps 10000000` is the
// binary's own pages, docs/reliability.md), and no timeline's moments are
// kept unless --json lists their steps. A run that cloned a moment at each
// planned step, or allocated a few bytes a step, would add hundreds of KB.
func TestHeadlessMemoryDoesNotGrowWithSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 50,000 steps")
	}
	alloc := func(args ...string) (uint64, uint64) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if r := runCmd(t, args...); r.code != 0 {
			t.Fatalf("%v: exit %d, %s", args, r.code, r.stderr)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs
	}
	short, shortN := alloc("--headless", "--steps", "1000")
	long, longN := alloc("--headless", "--steps", "50000")
	if long > short+256<<10 || longN > shortN+500 {
		t.Fatalf("1,000 steps allocated %d B in %d objects, 50,000 steps %d B in %d", short, shortN, long, longN)
	}
	// --json keeps the moments whose steps it lists: that is what grows (bounded by engine.TimelineBudget).
	if js, _ := alloc("--headless", "--json", "--steps", "50000"); js < long+256<<10 {
		t.Fatalf("--json allocated %d B, without %d B: the test no longer sees the moments", js, long)
	}
}
