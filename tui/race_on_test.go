//go:build race

package tui

// raceOn: the race detector slows the walk about tenfold, so it walks fewer sequences.
const raceOn = true
