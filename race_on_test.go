//go:build race

package main

// raceSlowdown scales time bounds in tests: the race detector makes this
// code about ten times slower, and a bound is about lnfit, not the detector.
const raceSlowdown = 10
