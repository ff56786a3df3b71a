//go:build race

package classroom

// raceCost is how many times more memory the race detector makes a session
// hold.
const raceCost = 3
