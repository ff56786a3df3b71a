//go:build unix

package engine

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time (user + system). On a machine shared
// with others it counts only what this process ran, where wall time also
// counts the waits for a core; the engine's benchmarks run at GOMAXPROCS=1
// and allocate nothing, so it is the step's own time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
