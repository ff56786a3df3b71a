package tui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/engine/collapse"
	"lnfit/engine/runner"
)

// The map room: `m` opens the collapse map around the current setup (lr ×
// init-scale, two decades either side, the current optimizer and
// activation), computed in the background while the dashboard stays live.

// mapRoom is one setup's map: computing, or done. Rooms live in a
// MapCache, which a classroom shares among every session, so a whole class
// asking for the same map computes it once.
type mapRoom struct {
	key      string
	done     atomic.Int64 // runs finished so far
	total    int
	ready    chan struct{} // closed when m or err is set
	m        *collapse.Map
	err      error
	started  time.Time
	computeS float64

	spec   collapse.Spec      // what it computes
	pooled bool               // its runs train in the classroom's pool
	queued atomic.Bool        // waiting for other maps to finish first
	looked atomic.Int64       // when a viewer last looked at it (unix ns)
	cancel context.CancelFunc // stops its computation
}

// The cache's bounds: how many maps it keeps, how many compute at once
// (the rest wait their turn), and how long a computing map may go unlooked
// at before it is cancelled (looked at every mapLease/5, so it is cancelled
// within 1.2 s). An open map room looks at its map on every frame and every
// poll (10 a second), so only a map that no one has on screen — its room
// closed, its session gone — runs out its lease.
const (
	maxMaps      = 16
	maxComputing = 2
	mapLease     = time.Second
)

// errUnwatched is why a map was dropped before it was done.
var errUnwatched = errors.New("the map was cancelled: no one was looking at it")

// MapCache keeps the maps computed so far, by setup.
type MapCache struct {
	mu    sync.Mutex
	rooms map[string]*mapRoom
	slots chan struct{} // maps computing at once

	spec func(engine.Config) (collapse.Spec, error) // mapSpecFor; tests make it small
	now  func() time.Time
}

// NewMapCache makes an empty cache.
func NewMapCache() *MapCache {
	return &MapCache{rooms: map[string]*mapRoom{}, slots: make(chan struct{}, maxComputing), spec: mapSpecFor, now: time.Now}
}

func (r *mapRoom) finished() bool {
	select {
	case <-r.ready:
		return true
	default:
		return false
	}
}

// where says where the map is computed, for the room's progress line.
func (r *mapRoom) where() string {
	switch {
	case r.queued.Load():
		return fmt.Sprintf("waiting: at most %d maps compute at once", maxComputing)
	case r.pooled:
		return "sharing the class's cores"
	}
	return "on every core"
}

// size says how much work the map is.
func (r *mapRoom) size() string {
	s := r.spec
	return fmt.Sprintf("%d seeds × %d cells × up to %s steps", s.Seeds, s.Axes[0].Count*s.Axes[1].Count, engine.Commas(s.Steps))
}

// open finds the map of cfg or starts computing it (its runs in pool, if
// any), looks at it, and returns its key.
func (c *MapCache) open(cfg engine.Config, pool *runner.Pool) string {
	key := engine.Setup{Config: cfg}.Token()
	c.mu.Lock()
	defer c.mu.Unlock()
	if room, ok := c.rooms[key]; ok && !(room.finished() && room.m == nil) { // a failed or cancelled map is tried again
		c.touch(room)
		return key
	}
	room := &mapRoom{key: key, ready: make(chan struct{}), started: c.now(), pooled: pool != nil}
	c.touch(room)
	if !c.makeRoom() {
		room.err = fmt.Errorf("%d maps are being computed or kept already; try again when one is done", maxMaps)
		close(room.ready)
		c.rooms[key] = room
		return key
	}
	c.rooms[key] = room
	spec, err := c.spec(cfg)
	if err != nil {
		room.err = err
		close(room.ready)
		return key
	}
	room.spec, room.total = spec, spec.Runs()
	ctx, cancel := context.WithCancel(context.Background())
	room.cancel = cancel
	go c.compute(ctx, room, spec, pool)
	go c.watch(ctx, room)
	return key
}

// makeRoom makes space for one more map under maxMaps by dropping the
// finished map looked at least recently; false if every map is computing.
func (c *MapCache) makeRoom() bool {
	for len(c.rooms) >= maxMaps {
		var oldest *mapRoom
		for _, r := range c.rooms {
			if r.finished() && (oldest == nil || r.looked.Load() < oldest.looked.Load()) {
				oldest = r
			}
		}
		if oldest == nil {
			return false
		}
		delete(c.rooms, oldest.key)
	}
	return true
}

// compute waits for a turn among the computing maps and computes the map.
// The slot is given back and the context cancelled before the map is
// published: once ready is closed the map holds nothing, so whoever waits
// on it (a test counting slots, the next map in the queue) sees it gone.
func (c *MapCache) compute(ctx context.Context, room *mapRoom, spec collapse.Spec, pool *runner.Pool) {
	if !c.takeSlot(ctx, room) {
		room.cancel()
		c.finish(room, nil, errUnwatched)
		return
	}
	t0 := c.now()
	mp, err := collapse.ComputeWith(ctx, spec, collapse.Options{Pool: pool, Progress: func(done, _ int) { room.done.Store(int64(done)) }})
	if ctx.Err() != nil {
		err = errUnwatched
	}
	room.computeS = c.now().Sub(t0).Seconds()
	<-c.slots
	room.cancel()
	c.finish(room, mp, err)
}

// takeSlot takes one of the maxComputing slots, waiting for it if all are
// taken; false if ctx ends first. Only a map that really waits says it is
// queued: one that gets a slot at once never shows "waiting", not even for
// an instant.
func (c *MapCache) takeSlot(ctx context.Context, room *mapRoom) bool {
	if ctx.Err() != nil {
		return false
	}
	select {
	case c.slots <- struct{}{}:
		return true
	default:
	}
	room.queued.Store(true)
	defer room.queued.Store(false)
	select {
	case c.slots <- struct{}{}:
		if ctx.Err() != nil { // both were ready and the slot won: give it back
			<-c.slots
			return false
		}
		return true
	case <-ctx.Done():
		return false
	}
}

// finish publishes a map's outcome; a cancelled map leaves the cache.
func (c *MapCache) finish(room *mapRoom, mp *collapse.Map, err error) {
	c.mu.Lock()
	room.m, room.err = mp, err
	if mp == nil && c.rooms[room.key] == room {
		delete(c.rooms, room.key)
	}
	c.mu.Unlock()
	close(room.ready)
}

// watch cancels the map once no one has looked at it for mapLease.
func (c *MapCache) watch(ctx context.Context, room *mapRoom) {
	t := time.NewTicker(mapLease / 5)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.sweep(room)
		}
	}
}

// sweep cancels room if its lease ran out.
func (c *MapCache) sweep(room *mapRoom) {
	if !room.finished() && c.now().Sub(time.Unix(0, room.looked.Load())) > mapLease {
		room.cancel()
	}
}

func (c *MapCache) touch(room *mapRoom) { room.looked.Store(c.now().UnixNano()) }

// look returns the map of key, if the cache has it, and counts as looking at it.
func (c *MapCache) look(key string) *mapRoom {
	c.mu.Lock()
	defer c.mu.Unlock()
	room := c.rooms[key]
	if room != nil {
		c.touch(room)
	}
	return room
}

// mapPollMsg looks at a computing map's progress.
type mapPollMsg struct{}

func pollMap() tea.Cmd {
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return mapPollMsg{} })
}

// mapSpecFor is the dashboard's map of a configuration: lr and init-scale,
// 9 values each over two decades either side, 4 seeds of 2,000 steps.
func mapSpecFor(c engine.Config) (collapse.Spec, error) {
	lrLo, lrHi := math.Max(c.LR/100, 1e-7), math.Min(c.LR*100, 1e6)
	sLo, sHi := math.Max(c.InitScale/100, 1e-4), math.Min(c.InitScale*100, 100)
	axes, err := collapse.ParseAxes(fmt.Sprintf("lr=%g:%g:9,init-scale=%g:%g:9", lrLo, lrHi, sLo, sHi))
	if err != nil {
		return collapse.Spec{}, err
	}
	return collapse.Spec{Base: c, Axes: axes, Seeds: 4, Steps: 2000}, nil
}
