package tui

import "lnfit/engine"

// The timeline in a class: a teacher publishes its kept moments with each
// frame; a follower's t copies them and scrubs on its own screen.

// publishedMoments is the teacher's list for its followers' frames; the
// same slice until the timeline changes, so a frame costs no copy.
func (m *Model) publishedMoments() []*engine.Moment {
	k := m.tl.keep
	if k == nil {
		return nil
	}
	if k != m.tl.sharedOf || k.Changes() != m.tl.sharedCh {
		m.tl.shared, m.tl.sharedOf, m.tl.sharedCh = k.Moments(), k, k.Changes()
	}
	return m.tl.shared
}

// followMoments is a follower's timeline kept up with the teacher's, who
// trains on: the count grows, and the moment on screen stays, in this copy,
// even once the teacher's budget or its last frames let it go.
func (m *Model) followMoments() {
	pub := m.shared.moments
	if len(pub) == 0 || sameList(pub, m.tl.followed) {
		return
	}
	was := m.tl.keep.At(m.tl.at)
	index := make(map[*engine.Moment]int, len(pub))
	for i, mo := range pub {
		index[mo] = i
	}
	list, at := pub, 0
	if j, ok := index[was]; ok {
		at = j
	} else {
		for i := m.tl.at - 1; i >= 0; i-- { // after the newest older moment the teacher still keeps
			if j, ok := index[m.tl.keep.At(i)]; ok {
				at = j + 1
				break
			}
		}
		list = append(append(append(make([]*engine.Moment, 0, len(pub)+1), pub[:at]...), was), pub[at:]...)
	}
	m.tl.keep, m.tl.followed, m.tl.at = engine.TimelineOf(list), pub, at
}

// sameList: a and b are the same published list (a teacher hands out a new
// one whenever its moments change).
func sameList(a, b []*engine.Moment) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
