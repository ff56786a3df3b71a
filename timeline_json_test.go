package main

import (
	"fmt"
	"testing"

	"lnfit/engine"
)

// --json lists the steps of the moments a dashboard's timeline keeps: every
// planned step the run reached, in order.
func TestJSONListsSnapshotSteps(t *testing.T) {
	sum := decodeSummary(t, runCmd(t, "--headless", "--json", "--steps", "150", "--preset", "question").stdout)
	var want []any
	for s := int64(0); s <= 150; s = engine.NextPlanned(s) {
		want = append(want, float64(s))
	}
	if got := sum["snapshot_steps"]; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("snapshot_steps %v, want %v", got, want)
	}
}
