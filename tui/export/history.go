package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"lnfit/engine"
)

// Run is what the files are made of: each lane as it stands, copied out.
type Run struct {
	Label string
	Lanes []Lane
}

// Lane is one trained network: its snapshot and, when asked for, what
// each hidden unit outputs on the evaluation grid.
type Lane struct {
	Name  string // "A", "B", … (a run without a race has one lane, "A")
	Snap  engine.Snapshot
	Units []Unit
	Kinks []float64 // x in the domain (lo, hi] where a first-layer ReLU unit switches on or off
}

// Unit is one hidden unit's output on the grid.
type Unit struct {
	Layer, Index int // 1-based
	Out          []float64
}

// Racing reports whether the run has more than one lane.
func (r Run) Racing() bool { return len(r.Lanes) > 1 }

// Capture copies the session out. It must be called where the session is
// driven (the dashboard's Update, or the headless loop): it reads live lanes.
func Capture(s *engine.Session, units bool) Run {
	r := Run{Label: s.Label()}
	for i, t := range s.Lanes() {
		l := Lane{Name: string(rune('A' + i)), Snap: t.Snapshot()}
		views := t.Inspect()
		l.Kinks = kinks(views, l.Snap.Config.Activation, l.Snap.Config.DomainLo, l.Snap.Config.Hi())
		if units {
			l.Units = unitOutputs(views, l.Snap.Config.Activation)
		}
		r.Lanes = append(r.Lanes, l)
	}
	return r
}

// The history's CSV headers: a race adds the lane.
const (
	historyHeader     = "first_step,last_step,mean,min,max"
	historyHeaderRace = "lane," + historyHeader
	historyJSONStart  = `{"format":"lnfit-history",`
)

// HistoryRow is one bucket as written: the steps it covers and its batch
// losses' mean, min and max.
type HistoryRow struct {
	Lane                string
	FirstStep, LastStep int64
	Mean, Min, Max      float64
}

// Rows lists every lane's buckets as kept, oldest first. Steps are the
// run's own: a loaded network's history starts after its saved step.
func (r Run) Rows() []HistoryRow {
	var rows []HistoryRow
	for _, l := range r.Lanes {
		for _, b := range l.Snap.History {
			first := l.Snap.HistStart + b.First
			rows = append(rows, HistoryRow{Lane: l.Name, FirstStep: first, LastStep: first + b.Count - 1,
				Mean: b.Mean(), Min: b.Min, Max: b.Max})
		}
	}
	return rows
}

// num writes a float so that it reads back bit for bit (NaN and ±Inf
// included: strconv reads "NaN", "+Inf" and "-Inf").
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// WriteHistoryCSV writes the history as CSV, one row a bucket.
func WriteHistoryCSV(w io.Writer, r Run) error {
	bw := bufio.NewWriter(w)
	head := historyHeader
	if r.Racing() {
		head = historyHeaderRace
	}
	bw.WriteString(head + "\n")
	for _, row := range r.Rows() {
		if r.Racing() {
			bw.WriteString(row.Lane + ",")
		}
		fmt.Fprintf(bw, "%d,%d,%s,%s,%s\n", row.FirstStep, row.LastStep, num(row.Mean), num(row.Min), num(row.Max))
	}
	return bw.Flush()
}

// jsonNum is a float in JSON: null for NaN and ±Inf, which JSON lacks.
type jsonNum float64

func (f jsonNum) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return []byte(num(v)), nil
}

func (f *jsonNum) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = jsonNum(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	*f = jsonNum(v)
	return err
}

// historyJSON is the JSON file: the format's name first, so a file can be
// recognised from its first bytes.
type historyJSON struct {
	Format string            `json:"format"`
	Label  string            `json:"label"`
	Lanes  []historyLaneJSON `json:"lanes"`
}

type historyLaneJSON struct {
	Lane      string       `json:"lane"`
	Optimizer string       `json:"optimizer"`
	LR        float64      `json:"lr"`
	Steps     int64        `json:"steps"`
	Width     int64        `json:"steps_per_bucket"`
	Buckets   []bucketJSON `json:"buckets"`
}

type bucketJSON struct {
	First int64   `json:"first_step"`
	Last  int64   `json:"last_step"`
	Mean  jsonNum `json:"mean"`
	Min   jsonNum `json:"min"`
	Max   jsonNum `json:"max"`
}

// WriteHistoryJSON writes the history as one JSON object, a key per lane.
func WriteHistoryJSON(w io.Writer, r Run) error {
	h := historyJSON{Format: "lnfit-history", Label: r.Label}
	rows := r.Rows()
	for _, l := range r.Lanes {
		hl := historyLaneJSON{Lane: l.Name, Optimizer: l.Snap.Config.Optimizer, LR: l.Snap.Config.LR, Steps: l.Snap.Step,
			Width: l.Snap.HistoryWidth, Buckets: []bucketJSON{}}
		for _, row := range rows {
			if row.Lane == l.Name {
				hl.Buckets = append(hl.Buckets, bucketJSON{row.FirstStep, row.LastStep, jsonNum(row.Mean), jsonNum(row.Min), jsonNum(row.Max)})
			}
		}
		h.Lanes = append(h.Lanes, hl)
	}
	return json.NewEncoder(w).Encode(h)
}

// ReadHistory reads back a history file of either format (asJSON picks
// JSON): what a test compares with the run, and what a script would do.
func ReadHistory(rd io.Reader, asJSON bool) ([]HistoryRow, error) {
	if asJSON {
		var h historyJSON
		if err := json.NewDecoder(rd).Decode(&h); err != nil {
			return nil, err
		}
		if h.Format != "lnfit-history" {
			return nil, fmt.Errorf("not an lnfit history (format %q)", h.Format)
		}
		var rows []HistoryRow
		for _, l := range h.Lanes {
			for _, b := range l.Buckets {
				rows = append(rows, HistoryRow{Lane: l.Lane, FirstStep: b.First, LastStep: b.Last,
					Mean: float64(b.Mean), Min: float64(b.Min), Max: float64(b.Max)})
			}
		}
		return rows, nil
	}
	cr := csv.NewReader(rd)
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("empty file")
	}
	head := strings.Join(recs[0], ",")
	race := head == historyHeaderRace
	if !race && head != historyHeader {
		return nil, fmt.Errorf("not an lnfit history (header %q)", head)
	}
	rows := make([]HistoryRow, 0, len(recs)-1)
	for i, rec := range recs[1:] {
		row := HistoryRow{Lane: "A"}
		if race {
			row.Lane, rec = rec[0], rec[1:]
		}
		var errs [5]error
		row.FirstStep, errs[0] = strconv.ParseInt(rec[0], 10, 64)
		row.LastStep, errs[1] = strconv.ParseInt(rec[1], 10, 64)
		row.Mean, errs[2] = strconv.ParseFloat(rec[2], 64)
		row.Min, errs[3] = strconv.ParseFloat(rec[3], 64)
		row.Max, errs[4] = strconv.ParseFloat(rec[4], 64)
		for _, e := range errs {
			if e != nil {
				return nil, fmt.Errorf("row %d: %v", i+2, e)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
