package engine

import (
	"math"
	"math/bits"
)

// HistoryCap is the most buckets a History keeps. With 48 bytes a bucket it
// stays under 100 KB for any run length, and 10^8 steps still plot end to end.
const HistoryCap = 2048

// Bucket summarizes Count consecutive batch losses starting at step First.
type Bucket struct {
	First     int64 // step of the first loss in the bucket (1-based)
	Count     int64
	Sum       float64
	Min, Max  float64
	LastValue float64
}

// Mean is the bucket's average loss.
func (b Bucket) Mean() float64 { return b.Sum / float64(b.Count) }

// History keeps the whole run's loss in bounded memory: each bucket holds up
// to Width steps; when all HistoryCap buckets fill, neighbours merge in pairs
// and Width doubles. Every bucket but the last always covers exactly Width steps.
//
// Beside them, Log keeps the same run in buckets of geometric width: steps
// 1 to 15 one each, then eight buckets per doubling (16–17, 18–19, …). A
// plot with a log-steps axis reads those, so the first steps keep their
// share of the width at any run length; 10^8 steps need 213 of them.
type History struct {
	Width   int64
	Buckets []Bucket
	Steps   int64 // losses added
	Log     []Bucket
}

// LogCap is the most log buckets any int64 step count needs.
const LogCap = 15 + 59*8

// NewHistory returns an empty history with room for HistoryCap buckets.
func NewHistory() *History {
	return &History{Width: 1, Buckets: make([]Bucket, 0, HistoryCap), Log: make([]Bucket, 0, LogCap)}
}

// logIndex is the log bucket of step (1-based): steps 1–15 have their own,
// then each doubling splits into eight by the three bits after the top one.
func logIndex(step int64) int {
	n := bits.Len64(uint64(step))
	if n <= 4 {
		return int(step) - 1
	}
	return 15 + (n-5)*8 + int(step>>(n-4))&7
}

// Add records the loss of the next step. It never allocates.
func (h *History) Add(loss float64) {
	h.Steps++
	if i := logIndex(h.Steps); i < len(h.Log) {
		b := &h.Log[i]
		b.Count++
		b.Sum += loss
		b.Min = math.Min(b.Min, loss)
		b.Max = math.Max(b.Max, loss)
		b.LastValue = loss
	} else if i < cap(h.Log) {
		h.Log = append(h.Log, Bucket{First: h.Steps, Count: 1, Sum: loss, Min: loss, Max: loss, LastValue: loss})
	}
	n := len(h.Buckets)
	if n > 0 && h.Buckets[n-1].Count < h.Width {
		b := &h.Buckets[n-1]
		b.Count++
		b.Sum += loss
		b.Min = math.Min(b.Min, loss)
		b.Max = math.Max(b.Max, loss)
		b.LastValue = loss
		return
	}
	if n == HistoryCap {
		h.merge()
	}
	h.Buckets = append(h.Buckets, Bucket{First: h.Steps, Count: 1, Sum: loss, Min: loss, Max: loss, LastValue: loss})
}

// merge halves the number of buckets by joining neighbours, doubling Width.
func (h *History) merge() {
	out := h.Buckets[:0]
	for i := 0; i < len(h.Buckets); i += 2 {
		b := h.Buckets[i]
		if i+1 < len(h.Buckets) {
			c := h.Buckets[i+1]
			b.Count += c.Count
			b.Sum += c.Sum
			b.Min = math.Min(b.Min, c.Min)
			b.Max = math.Max(b.Max, c.Max)
			b.LastValue = c.LastValue
		}
		out = append(out, b)
	}
	h.Buckets = out
	h.Width *= 2
}

// Reset empties the history, keeping its storage.
func (h *History) Reset() {
	h.Width = 1
	h.Buckets = h.Buckets[:0]
	h.Log = h.Log[:0]
	h.Steps = 0
}

// Clone returns an independent copy.
func (h *History) Clone() *History {
	c := &History{Width: h.Width, Steps: h.Steps, Buckets: make([]Bucket, len(h.Buckets), HistoryCap),
		Log: make([]Bucket, len(h.Log), LogCap)}
	copy(c.Buckets, h.Buckets)
	copy(c.Log, h.Log)
	return c
}
