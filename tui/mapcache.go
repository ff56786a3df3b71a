package tui

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/engine/collapse"
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
}

// MapCache keeps the maps computed so far, by setup.
type MapCache struct {
	mu    sync.Mutex
	rooms map[string]*mapRoom
}

// NewMapCache makes an empty cache.
func NewMapCache() *MapCache { return &MapCache{rooms: map[string]*mapRoom{}} }

func (r *mapRoom) finished() bool {
	select {
	case <-r.ready:
		return true
	default:
		return false
	}
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
