package classroom

import (
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// stuckModel is a dashboard whose update blocks on Z, as one stuck in a
// long chunk of training would.
type stuckModel struct {
	tea.Model
	hold chan struct{}
}

func (m stuckModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.Text == "Z" {
		<-m.hold
	}
	next, cmd := m.Model.Update(msg)
	return stuckModel{next, m.hold}, cmd
}

// Close ends the class with "the class is over" on every screen, the
// stuck dashboard's too (written straight onto its terminal), and returns
// by its own timers, not the dashboards' goodwill.
func TestCloseReachesAStuckDashboard(t *testing.T) {
	hold := make(chan struct{})
	defer close(hold)
	c := startClass(t, Config{})
	c.hooks.Store(&testHooks{wrapModel: func(m tea.Model) tea.Model { return stuckModel{m, hold} }})
	well := dialRaw(t, c.addr, 80, 24, nil)
	stuck := dialRaw(t, c.addr, 80, 24, nil)
	well.waitFor(t, "lnfit · question")
	stuck.waitFor(t, "lnfit · question")
	_, _ = io.WriteString(stuck.stdin, "Z")
	time.Sleep(200 * time.Millisecond) // the Z is read
	start := time.Now()
	closed := make(chan struct{})
	go func() { _ = c.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(backstop):
		t.Fatal("Close did not return")
	}
	took := time.Since(start)
	for name, s := range map[string]*rawStudent{"well": well, "stuck": stuck} {
		select {
		case <-s.ended:
		case <-time.After(backstop):
			t.Fatalf("the %s session was not closed", name)
		}
		if !strings.Contains(s.out.String(), "the class is over") {
			t.Errorf("the %s session was not told the class is over", name)
		}
	}
	t.Logf("Close with one dashboard stuck in its update: returned after %v (its timers: 1.3 s, then 0.3 s at most)", took.Round(10*time.Millisecond))
}

// Repro 3 with a close: two students make their steps a thousand times
// slower (tanh, batch 10000) after running at full pace; an honest third
// student keeps getting steps, and Close still puts "the class is over"
// on every screen. The honest student's part needs the runner's
// time-bounded chunks (engine/runner).
func TestSaturatedPoolStillCloses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs slow steps for seconds; run without -short")
	}
	c := startClass(t, Config{})
	var all []*student
	for range 3 {
		s := dial(t, c.addr, 100, 30, 100, 30, nil)
		s.waitFor(t, "lnfit · question")
		s.press(">>>>>>") // full pace
		all = append(all, s)
	}
	honest := all[2]
	time.Sleep(3 * time.Second) // the pool learns the fast steps' cost
	for _, a := range all[:2] {
		a.press("aa]]]]]]]]]]]]")
	}
	steps := map[int64]bool{}
	deadline := time.Now().Add(20 * time.Second)
	for len(steps) < 4 && time.Now().Before(deadline) {
		steps[stepOn(honest.screen())] = true
		time.Sleep(50 * time.Millisecond)
	}
	if len(steps) < 4 {
		t.Errorf("the honest student saw %d different steps in 20 s while two students ran slow steps", len(steps))
	}
	var told []<-chan bool
	for _, s := range all {
		told = append(told, s.watchFor("the class is over"))
	}
	closed := make(chan struct{})
	go func() { _ = c.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(backstop):
		t.Fatal("Close did not return")
	}
	for i, seen := range told {
		if !<-seen {
			t.Errorf("student %d was not told the class is over:\n%s", i, all[i].screen())
		}
	}
}

var stepRe = regexp.MustCompile(`step ([0-9,]+)`)

func stepOn(screen string) int64 {
	m := stepRe.FindStringSubmatch(screen)
	if m == nil {
		return -1
	}
	n, _ := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
	return n
}
