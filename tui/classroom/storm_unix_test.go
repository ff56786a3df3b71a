//go:build unix

package classroom

import (
	"io"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuSeconds is the CPU time this process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// Repro 4: a student starts maps on a large batch ten times over and
// leaves; once the server has seen them go it does no more work — its
// maps and chunks are cancelled with the session — and its heap comes
// back. (This holds once the runner's maps are in the pool and cancelled
// with their session: engine/runner, issue 18.4.)
func TestMapStormEndsWithTheStudent(t *testing.T) {
	if testing.Short() {
		t.Skip("starts maps for seconds; run without -short")
	}
	c := startClass(t, Config{})
	base := heapMB()
	s := dialRaw(t, c.addr, 100, 30, nil)
	s.waitFor(t, "lnfit · question")
	_, _ = io.WriteString(s.stdin, "]]]]]]]O")
	for range 10 {
		_, _ = io.WriteString(s.stdin, "mmR")
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // the maps are running
	_ = s.conn.Close()
	eventually(t, "the student's connection closed", func() bool { return c.conns.Load() == 0 })
	time.Sleep(time.Second) // a second to cancel what the session started
	cpu0, wall0 := cpuSeconds(), time.Now()
	time.Sleep(3 * time.Second)
	used := cpuSeconds() - cpu0
	wall := time.Since(wall0).Seconds()
	grown := heapMB() - base
	t.Logf("after the map storm's student left: %.2f CPU-seconds in %.1f s; heap +%.1f MB; log: %d lines", used, wall, grown,
		strings.Count(c.log.String(), "\n"))
	if used > 0.25*wall {
		t.Errorf("the server used %.2f CPU-seconds in %.1f s with no one connected: the student's maps outlived it", used, wall)
	}
	if grown > 200 {
		t.Errorf("the heap grew %.0f MB and stayed", grown)
	}
}
