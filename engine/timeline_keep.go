package engine

import (
	"fmt"
	"math"
)

// TimelineBudget is the memory a timeline keeps its moments in by default:
// the question's net needs about a tenth of it at 10^8 steps (TestTimelineMemory);
// a big net keeps fewer moments, thinned evenly in log-steps.
const TimelineBudget = 32 << 20

// TimelineFrames is how many of the last frames a timeline keeps besides
// the planned steps: a dashboard offers one every TimelineFrameGap, so they
// are its last few seconds. They count in the budget like any moment.
const TimelineFrames = 30

// TimelinePerDecade is how many planned moments each decade of steps gets
// beyond step 10 (every step 0 to 10 is planned).
const TimelinePerDecade = 20

// A Timeline keeps moments of a session in the order they were taken: the
// planned steps (NextPlanned) and every setup change a key or a lesson made
// (Mark). A restart or a branch starts a new stretch of steps in the same
// list, so the run before it stays on the timeline. It is not safe for
// concurrent use.
type Timeline struct {
	Budget  int64 // bytes; 0 means TimelineBudget
	moments []*Moment
	bytes   int64
	thinned int
	changes int // moments added or dropped, ever
}

// NewTimeline makes an empty timeline with the default budget.
func NewTimeline() *Timeline { return &Timeline{Budget: TimelineBudget} }

// plannedAt is the k-th log-spaced step: 10^(k/TimelinePerDecade), rounded.
func plannedAt(k int) int64 {
	return int64(math.Round(math.Pow(10, float64(k)/TimelinePerDecade)))
}

// NextPlanned is the first planned step after step: step+1 up to 10, then
// about TimelinePerDecade a decade. A driver ends its chunks there.
func NextPlanned(step int64) int64 {
	if step < 10 {
		return max(step+1, 0)
	}
	if step >= MaxStep {
		return MaxStep
	}
	k := max(int(math.Floor(TimelinePerDecade*math.Log10(float64(step))))-1, TimelinePerDecade)
	for plannedAt(k) <= step {
		k++
	}
	return min(plannedAt(k), MaxStep)
}

// Planned reports whether step is one the timeline keeps.
func Planned(step int64) bool { return step >= 0 && (step <= 10 || NextPlanned(step-1) == step) }

// PlannedUpTo counts the planned steps from 0 to n.
func PlannedUpTo(n int64) int {
	c := 0
	for s := int64(0); s <= n; s = NextPlanned(s) {
		c++
		if s >= MaxStep {
			break
		}
	}
	return c
}

// Observe keeps a moment of s if its step is planned, or if it starts a
// stretch (the first moment: a loaded network at its own step; a step below
// the last moment's: a branch), and the last moment is not already of this
// step. It reports whether it took one.
func (tl *Timeline) Observe(s *Session) bool {
	step := s.Step()
	n := len(tl.moments)
	if n > 0 && tl.moments[n-1].Step == step {
		return false
	}
	if !Planned(step) && n > 0 && step > tl.moments[n-1].Step {
		return false
	}
	tl.add(momentOf(s, ""))
	return true
}

// Frame keeps a moment of s as one of the last frames': the oldest of them
// goes once there are more than TimelineFrames. A frame at the newest
// moment's step (a paused run) takes none. It reports whether it took one.
func (tl *Timeline) Frame(s *Session) bool {
	n := len(tl.moments)
	if n > 0 && tl.moments[n-1].Step == s.Step() {
		return false
	}
	m := momentOf(s, "")
	m.Frame = true
	tl.add(m)
	frames := 0
	for i := len(tl.moments) - 1; i >= 0; i-- {
		if tl.moments[i].Frame {
			if frames++; frames > TimelineFrames {
				tl.drop(i)
				tl.thinned-- // an old frame let go is not the budget's thinning
				break
			}
		}
	}
	return true
}

// Mark keeps a moment of s just after a setup change, named by why.
func (tl *Timeline) Mark(s *Session, why string) { tl.add(momentOf(s, ShortText(why, 120))) }

func (tl *Timeline) add(m *Moment) {
	tl.changes++
	tl.moments = append(tl.moments, m)
	tl.bytes += m.bytes
	budget := tl.Budget
	if budget <= 0 {
		budget = TimelineBudget
	}
	for tl.bytes > budget && len(tl.moments) > 1 {
		tl.drop(tl.victim())
	}
}

// victim is the moment whose loss thins the timeline least: the planned
// moment past step 10 with the narrowest gap, in log-steps, between its
// neighbours in the same stretch; else the oldest one.
func (tl *Timeline) victim() int {
	best, bestGap := 0, math.Inf(1)
	for i := 1; i+1 < len(tl.moments); i++ {
		p, m, n := tl.moments[i-1], tl.moments[i], tl.moments[i+1]
		if m.Why != "" || m.Step <= 10 || p.Step > m.Step || m.Step > n.Step {
			continue
		}
		if gap := math.Log(float64(n.Step+1)) - math.Log(float64(p.Step+1)); gap < bestGap {
			best, bestGap = i, gap
		}
	}
	return best
}

func (tl *Timeline) drop(i int) {
	tl.changes++
	tl.bytes -= tl.moments[i].bytes
	tl.moments = append(tl.moments[:i], tl.moments[i+1:]...)
	tl.thinned++
}

// Len is how many moments are kept.
func (tl *Timeline) Len() int { return len(tl.moments) }

// At is moment i, oldest first (clamped to the moments there are; nil if none).
func (tl *Timeline) At(i int) *Moment {
	if len(tl.moments) == 0 {
		return nil
	}
	return tl.moments[max(0, min(i, len(tl.moments)-1))]
}

// Bytes is about how much memory the kept moments hold.
func (tl *Timeline) Bytes() int64 { return tl.bytes }

// Changes counts the moments ever added or dropped: the list is the same
// while it is.
func (tl *Timeline) Changes() int { return tl.changes }

// Thinned is how many moments were dropped to keep the budget.
func (tl *Timeline) Thinned() int { return tl.thinned }

// Steps lists the kept moments' steps, oldest first (headless --json).
func (tl *Timeline) Steps() []int64 {
	out := make([]int64, len(tl.moments))
	for i, m := range tl.moments {
		out[i] = m.Step
	}
	return out
}

// Last is the index of the newest moment (-1: none).
func (tl *Timeline) Last() int { return len(tl.moments) - 1 }

// Find is the newest moment at step in the newest stretch of steps (a
// restart or a branch starts a new one), else the newest before it there;
// -1 and an error if there is none.
func (tl *Timeline) Find(step int64) (int, error) { return tl.FindBack(step, 0) }

// FindBack is Find in the stretch `back` restarts before the newest: a
// lesson's "rewind 1 back 1" is step 1 of the run before the last restart.
func (tl *Timeline) FindBack(step int64, back int) (int, error) {
	end := len(tl.moments) // the stretch is [start, end)
	start := tl.stretchStart(end)
	for ; back > 0 && start > 0; back-- {
		end, start = start, tl.stretchStart(start)
	}
	if back > 0 {
		return -1, fmt.Errorf("the timeline keeps fewer restarts than that")
	}
	best := -1
	for i := start; i < end; i++ {
		if s := tl.moments[i].Step; s == step || s < step && (best < 0 || tl.moments[best].Step != step) {
			best = i
		}
	}
	if best < 0 {
		return -1, fmt.Errorf("the timeline keeps no moment at or before step %d", step)
	}
	return best, nil
}

// stretchStart is where the stretch of steps that ends just before end begins.
func (tl *Timeline) stretchStart(end int) int {
	i := end - 1
	for i > 0 && tl.moments[i-1].Step <= tl.moments[i].Step {
		i--
	}
	return max(i, 0)
}

// StretchEnd is the step of the newest moment in moment i's stretch of
// steps, and whether that stretch is the newest (the live run goes on from
// it): the end of the axis a moment's loss is drawn on.
func (tl *Timeline) StretchEnd(i int) (step int64, newest bool) {
	if len(tl.moments) == 0 {
		return 0, true
	}
	i = max(0, min(i, len(tl.moments)-1))
	for i+1 < len(tl.moments) && tl.moments[i+1].Step >= tl.moments[i].Step {
		i++
	}
	return tl.moments[i].Step, i == len(tl.moments)-1
}

// Decade is the index a shift-arrow moves to from i: the first moment at
// least ten times further (dir +1) or a tenth as far (dir −1) in steps.
func (tl *Timeline) Decade(i, dir int) int {
	if len(tl.moments) == 0 {
		return 0
	}
	i = max(0, min(i, len(tl.moments)-1))
	from := tl.moments[i].Step
	j := i
	for j+dir >= 0 && j+dir < len(tl.moments) {
		j += dir
		s := tl.moments[j].Step
		if dir > 0 && (s >= 10*max(from, 1) || s < from) || dir < 0 && (s*10 <= from || s > from) {
			break
		}
	}
	return j
}

// Moments is a copy of the list of kept moments, oldest first. A moment
// never changes once taken, so the copy may be read by another goroutine
// (a follower's screen) while this timeline goes on.
func (tl *Timeline) Moments() []*Moment { return append([]*Moment(nil), tl.moments...) }

// TimelineOf is a timeline of the given moments (a follower's copy of its
// teacher's): it keeps its own list, so taking more never touches theirs.
func TimelineOf(moments []*Moment) *Timeline {
	tl := &Timeline{Budget: TimelineBudget, moments: append([]*Moment(nil), moments...)}
	for _, m := range moments {
		tl.bytes += m.bytes
	}
	return tl
}
