//go:build race

package engine

// raceOn: the race detector is on. It slows plain Go ~10× and adds nothing
// to tests of arithmetic, which then take fewer steps.
const raceOn = true
