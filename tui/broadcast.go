package tui

import (
	"errors"
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
	unitsWant atomic.Int64  // followers drawing the units (their room or the kink row)
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
	if h.last != nil {
		fl.mailbox <- *h.last
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

// latest is the teacher's last frame, if any.
func (h *Hub) latest() (frame, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.last == nil {
		return frame{}, false
	}
	return *h.last, true
}

// Followers is how many dashboards follow the teacher now.
func (h *Hub) Followers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.followers)
}

// errNoTeacher is a fork asked of a hub whose teacher is gone or busy.
var errNoTeacher = errors.New("the teacher's run did not answer")

// fork asks the teacher's program for a copy of its run (a fair fork: same
// weights, optimizer state and batch stream), waiting at most a second.
func (h *Hub) fork() (*engine.Session, error) {
	h.mu.Lock()
	send := h.teacher
	h.mu.Unlock()
	if send == nil {
		return nil, errNoTeacher
	}
	req := forkRequest{reply: make(chan *engine.Session, 1)}
	go send(req)
	select {
	case s := <-req.reply:
		return s, nil
	case <-time.After(time.Second):
		return nil, errNoTeacher
	}
}

// forkedMsg brings a follower its own copy of the run.
type forkedMsg struct {
	s   *engine.Session
	err error
}

// closingMsg tells a dashboard the server is closing.
type closingMsg struct{ text string }

// Closing is the message a server sends every program when it shuts down.
func Closing(text string) tea.Msg { return closingMsg{text} }
