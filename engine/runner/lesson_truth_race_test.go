//go:build race

package runner

// raceDetector: the test binary has the race detector, which slows training
// many times over; TestLessonsAreTrue plays one seed then.
const raceDetector = true
