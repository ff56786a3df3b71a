package tui

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
)

// Hub is the classroom's broadcast: the teacher's dashboard publishes each
// frame it builds, and every follower's dashboard draws the latest one at
// its own size. The run is trained once, however many follow it. A slow
// follower never slows the teacher or the others: each has a one-frame
// mailbox that newer frames overwrite.
type Hub struct {
	mu        sync.Mutex
	followers map[int]*follower
	nextID    int
	last      *frame
	teacher   func(tea.Msg) // sends to the teacher's program
	labWanted atomic.Int64  // followers with the init lab open

	seats     map[int]*seat // every student's session (the class room's rows)
	nextSeat  int
	shown     int    // the seat whose fork the followers see (0: the teacher's run)
	shownName string // its student's name
	shownLast *frame // its last frame
	challenge *Challenge
	unitsWant atomic.Int64 // followers drawing the units (their room or the kink row)
}

type follower struct {
	mailbox chan frame
	done    chan struct{}
}

// NewHub makes an empty hub.
func NewHub() *Hub { return &Hub{followers: map[int]*follower{}} }

// followersMsg tells the teacher's dashboard its count of followers changed.
type followersMsg struct{}

// notify tells the teacher's program the count changed (never blocking the hub).
func (h *Hub) notify() {
	h.mu.Lock()
	send := h.teacher
	h.mu.Unlock()
	if send != nil {
		go send(followersMsg{})
	}
}

// sharedFrameMsg brings the teacher's latest frame to a follower.
type sharedFrameMsg struct{ f frame }

// forkRequest asks the teacher's program for a copy of its run.
type forkRequest struct{ reply chan *engine.Session }

// SetTeacher tells the hub how to reach the teacher's program (for forks).
func (h *Hub) SetTeacher(send func(tea.Msg)) {
	h.mu.Lock()
	h.teacher = send
	h.mu.Unlock()
}

// publish hands a frame to every follower, dropping any they have not yet drawn.
func (h *Hub) publish(f frame) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.last = &f
	if h.shown == 0 { // while a fork is shown, the followers see its frames instead
		h.deliverLocked(f)
	}
}

func (h *Hub) deliverLocked(f frame) {
	for _, fl := range h.followers {
		select {
		case <-fl.mailbox: // an undrawn older frame: replaced
		default:
		}
		select {
		case fl.mailbox <- f:
		default:
		}
	}
}

// Follow subscribes a follower's program; the returned func unsubscribes.
func (h *Hub) Follow(send func(tea.Msg)) (stop func()) {
	h.mu.Lock()
	id := h.nextID
	h.nextID++
	fl := &follower{mailbox: make(chan frame, 1), done: make(chan struct{})}
	h.followers[id] = fl
	if f, ok := h.latestLocked(); ok {
		fl.mailbox <- f
	}
	h.mu.Unlock()
	h.notify()
	go func() {
		for {
			select {
			case f := <-fl.mailbox:
				send(sharedFrameMsg{f}) // blocks only this follower's goroutine
			case <-fl.done:
				return
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.followers, id)
			h.mu.Unlock()
			close(fl.done)
			h.notify()
		})
	}
}

// latest is the last frame followers were sent (the teacher's, or a
// shown fork's), if any.
func (h *Hub) latest() (frame, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.latestLocked()
}

func (h *Hub) latestLocked() (frame, bool) {
	if h.shown != 0 && h.shownLast != nil {
		return *h.shownLast, true
	}
	if h.last == nil {
		return frame{}, false
	}
	return *h.last, true
}

// Followers is how many students' dashboards are subscribed now: those
// following the teacher and those on a fork of their own.
func (h *Hub) Followers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.followers)
}

// classCount is the teacher's header's count, from the seats the class
// room lists: the students following the run and those on a fork (a fork
// stays subscribed, for F, so the subscriptions alone cannot say). A hub
// without seats counts its subscriptions.
func (h *Hub) classCount() (following, forks int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.seats) == 0 {
		return len(h.followers), 0
	}
	for _, st := range h.seats {
		if st.forked {
			forks++
		}
	}
	return len(h.seats) - forks, forks
}

// errNoTeacher is a fork asked of a hub whose teacher is gone or busy.
var errNoTeacher = errors.New("the teacher's run did not answer")

// fork asks for a copy of the run the followers see (a fair fork: same
// weights, optimizer state and batch stream), waiting at most a second:
// the teacher's, or the shown fork's (whose names it).
func (h *Hub) fork() (s *engine.Session, whose string, err error) {
	h.mu.Lock()
	send := h.teacher
	if st := h.seats[h.shown]; st != nil && st.forked && st.send != nil {
		send, whose = st.send, st.name
	}
	h.mu.Unlock()
	if send == nil {
		return nil, "", errNoTeacher
	}
	req := forkRequest{reply: make(chan *engine.Session, 1)}
	go send(req)
	select {
	case s := <-req.reply:
		return s, whose, nil
	case <-time.After(time.Second):
		if whose != "" {
			return nil, "", fmt.Errorf("%s's run did not answer", whose)
		}
		return nil, "", errNoTeacher
	}
}

// Reach gives the hub seat id's program, so that a fork the teacher shows
// can be forked by the followers watching it.
func (h *Hub) Reach(id int, send func(tea.Msg)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if st := h.seats[id]; st != nil {
		st.send = send
	}
}

// forkedMsg brings a follower its own copy of the run (whose: a shown
// fork's student, "" the teacher's).
type forkedMsg struct {
	s     *engine.Session
	err   error
	whose string
}

// closingMsg tells a dashboard the server is closing.
type closingMsg struct{ text string }

// Closing is the message a server sends every program when it shuts down.
func Closing(text string) tea.Msg { return closingMsg{text} }

// The class's roster: every student's session has a seat on the hub, with
// who and where from (the classroom's Join) and its latest figures (the
// session's own dashboard reports them each frame it builds). The
// teacher's class room draws a copy of it.

// seat is one student's session.
type seat struct {
	name, from string
	since      time.Time
	end        func()        // ends the session (the classroom's)
	send       func(tea.Msg) // to the session's program (Reach): a shown fork is forked from it
	seatFigures
	race
}

// seatFigures are a session's latest numbers, as its dashboard last saw them.
type seatFigures struct {
	forked  bool
	label   string // the run's label: what the fork changed
	step    int64
	mse     float64 // MSE on x ≥ 0.01 for ln (mseOn: where, per target)
	mseOn   string
	copied  bool // a copy of a shown fork: out of the challenge (its clock would start at the winner's mse)
	verdict string
	trained int64         // steps the session trained in all (restarts included)
	cpu     time.Duration // ... and the pool's time for them: its fair CPU share
}

// seatRow is one row of the class room: a plain copy.
type seatRow struct {
	id         int
	name, from string
	since      time.Time
	seatFigures
	race
}

// Join gives a student's session a seat: name and from are shown to the
// teacher, end closes the session. Pass the id as Options.Seat; Leave it
// when the session ends.
func (h *Hub) Join(name, from string, since time.Time, end func()) int {
	name, from = SeatName(name), cut(from, 64) // a name is shown, not stored whole
	if name == "" {
		name = "(no name)"
	}
	h.mu.Lock()
	if h.seats == nil {
		h.seats = map[int]*seat{}
	}
	h.nextSeat++
	id := h.nextSeat
	h.seats[id] = &seat{name: name, from: from, since: since, end: end}
	h.mu.Unlock()
	h.notify()
	return id
}

// Leave gives the seat back; a shown fork that leaves is shown no more.
func (h *Hub) Leave(id int) {
	h.mu.Lock()
	delete(h.seats, id)
	if h.shown == id {
		h.unshowLocked()
	}
	h.mu.Unlock()
	h.notify()
}

// report is a seat's dashboard telling the hub its figures (each frame),
// and hearing how its race went if this frame decided it ("" not). A shown
// fork's frame goes to every follower; a shown seat that follows again is
// shown no more.
func (h *Hub) report(id int, fig seatFigures, f *frame) (news string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := h.seats[id]
	if st == nil {
		return ""
	}
	if fig.forked && !st.forked {
		st.race = race{forkTrained: fig.trained, forkCPU: fig.cpu} // every fork starts the clock
	}
	if fig.forked != st.forked && h.teacher != nil {
		go h.teacher(followersMsg{}) // the header's count of forks
	}
	st.seatFigures = fig
	if c := h.challenge; c != nil {
		before := st.race
		st.race.run(c, fig)
		news = st.race.news(before, c)
	}
	if h.shown != id {
		return news
	}
	if !fig.forked {
		h.unshowLocked()
		return news
	}
	sf := *f
	sf.label = st.name + "'s fork · " + sf.label // the followers' header says whose run it is
	h.shownLast = &sf
	h.deliverLocked(sf)
	return news
}

// roster is a copy of every seat, in the order they joined.
func (h *Hub) roster() []seatRow {
	h.mu.Lock()
	defer h.mu.Unlock()
	rows := make([]seatRow, 0, len(h.seats))
	for id, st := range h.seats {
		r := seatRow{id: id, name: st.name, from: st.from, since: st.since, seatFigures: st.seatFigures, race: st.race}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].id < rows[j].id })
	return rows
}

// Seats is how many students have a seat now.
func (h *Hub) Seats() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.seats)
}

// show makes every follower follow the seat's fork; "" or why not.
func (h *Hub) show(id int) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := h.seats[id]
	switch {
	case st == nil:
		return "that session has ended"
	case !st.forked:
		return st.name + " follows your run: only a fork can be shown (they press f for one)"
	}
	h.shown, h.shownName, h.shownLast = id, st.name, nil // their next frame reaches the followers
	return ""
}

// unshow gives the followers the teacher's run again.
func (h *Hub) unshow() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.unshowLocked()
}

func (h *Hub) unshowLocked() {
	h.shown, h.shownName, h.shownLast = 0, "", nil
	if h.last != nil {
		h.deliverLocked(*h.last) // at once, even while the teacher is paused
	}
}

// showing is whose fork the followers see ("" the teacher's).
func (h *Hub) showing() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.shownName
}

// end closes a seat's session; false if it has gone.
func (h *Hub) end(id int) bool {
	h.mu.Lock()
	st := h.seats[id]
	h.mu.Unlock()
	if st == nil || st.end == nil {
		return false
	}
	go st.end()
	return true
}
