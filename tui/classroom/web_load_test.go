package classroom

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// The load test of both doors: 20 tabs (WebSocket clients) and 20 SSH
// sessions at once for 30 s (4 + 4 for 3 s with -short), each its own run
// on the shared cores. Every session keeps getting frames (each gets new
// ones after the run, twice, and none got less than a tenth of the median
// during it: a fairness bound, not a rate), and the process's RSS stays
// bounded; both reported.
func TestWebAndSSHLoad(t *testing.T) {
	n, dur := 20, 30*time.Second
	if testing.Short() {
		n, dur = 4, 3*time.Second
	}
	c, web := startWebClass(t, Config{MaxSessions: 2*n + 2, Limits: Limits{ConnBurst: 2*n + 2}}) // all from 127.0.0.1
	rss0 := rssMB()
	var counts []*atomic.Int64 // bytes each session received
	var keys []func(string)    // and its keyboard
	for i := range n {
		tb := openTab(t, web)
		tb.send(t, webMsg{T: "join", Name: fmt.Sprintf("tab%d", i), Cols: 80, Rows: 24})
		go tb.read()
		counts = append(counts, &tb.bytes)
		keys = append(keys, func(k string) { tb.press(k) })
	}
	for range n {
		count, press := sshCounter(t, c.addr)
		counts, keys = append(counts, count), append(keys, press)
	}
	eventually(t, "every session's first frame", func() bool {
		for _, n := range counts {
			if n.Load() < 500 {
				return false
			}
		}
		return true
	})
	for _, press := range keys {
		press(strings.Repeat(">", 12)) // out of the first seconds' slow ramp, up to the fastest: a new step every frame
	}
	snap := func() []int64 {
		s := make([]int64, len(counts))
		for i, n := range counts {
			s[i] = n.Load()
		}
		return s
	}
	start, first, busy0 := time.Now(), snap(), c.Pool().Busy()
	rssMax := rssMB()
	for time.Since(start) < dur {
		time.Sleep(200 * time.Millisecond)
		rssMax = max(rssMax, rssMB())
	}
	got, trained := snap(), c.Pool().Busy()-busy0
	// Every session keeps getting frames: each gets new ones again after the
	// load's end is measured (counted, not timed: a slow machine under -race
	// takes longer, with the same bound).
	for round := range 2 {
		seen := snap()
		for i := range counts {
			door := "tab"
			if i >= n {
				door = "SSH session"
			}
			eventually(t, fmt.Sprintf("round %d: new frames for %s %d", round+1, door, i%n), func() bool { return counts[i].Load() > seen[i] })
		}
	}
	el := dur.Seconds()
	per := make([]float64, len(got))
	for i := range got {
		per[i] = float64(got[i]-first[i]) / el
	}
	sorted := slices.Clone(per)
	slices.Sort(sorted)
	median := sorted[len(sorted)/2]
	med := func(xs []float64) float64 { xs = slices.Clone(xs); slices.Sort(xs); return xs[len(xs)/2] }
	t.Logf("%d tabs + %d SSH sessions for %.0f s: bytes/s per session %.0f–%.0f (median %.0f: tabs %.0f, SSH %.0f); RSS %.0f MB before, at most %.0f MB (%.1f MB a session); trained %.1f core-s",
		n, n, el, sorted[0], sorted[len(sorted)-1], median, med(per[:n]), med(per[n:]), rss0, rssMax, (rssMax-rss0)/float64(2*n), trained.Seconds())
	if sorted[0] < median/10 {
		t.Fatalf("a session got %.0f bytes/s, under a tenth of the median %.0f", sorted[0], median)
	}
	if grown := rssMax - rss0; grown > float64(2*n)*40*raceCost { // an 80×24 dashboard costs 10–15 MB here (34 under -race); 40 a session is a leak
		t.Fatalf("RSS grew %.0f MB for %d sessions", grown, 2*n)
	}
}

// sshCounter is an SSH session at 80×24 that counts the bytes it gets.
func sshCounter(t *testing.T, addr string) (*atomic.Int64, func(string)) {
	t.Helper()
	conn, err := gossh.Dial("tcp", addr, clientConfig("load"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	n := &atomic.Int64{}
	sess.Stdout, sess.Stderr = countWriter{n}, io.Discard
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return n, func(k string) { _, _ = stdin.Write([]byte(k)) }
}

type countWriter struct{ n *atomic.Int64 }

func (w countWriter) Write(p []byte) (int, error) { w.n.Add(int64(len(p))); return len(p), nil }
