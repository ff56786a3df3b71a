package engine

// Per-unit deaths, as training sees them. The record's per-layer diedAt says
// when a whole layer was gone; the units room wants each unit's own step.
// Layer 1 is known exactly every step (a unit linear in x is dead on the grid
// iff it is dead at both grid ends, two multiply-adds); a deeper unit is known
// exactly while every unit below it is dead (it sees only its bias), and
// otherwise at the whole-grid look every deathCheckEvery steps, "by" that step.

// unitDeath is what training last saw of one hidden unit on the grid.
type unitDeath struct {
	at    int64 // the step it was seen to die (meaningful when dead && known)
	dead  bool  // dead when last looked at
	known bool  // seen live (so a death's step is known), or dead from step 0 of a fresh run
	exact bool  // at is the very step, not a later look
}

func newUnitDeaths(sizes []int) [][]unitDeath {
	u := make([][]unitDeath, len(sizes)-2)
	for l := range u {
		u[l] = make([]unitDeath, sizes[l+1])
	}
	return u
}

func cloneUnitDeaths(u [][]unitDeath) [][]unitDeath {
	c := make([][]unitDeath, len(u))
	for l := range u {
		c[l] = append([]unitDeath(nil), u[l]...)
	}
	return c
}

// see records one look at a unit.
func (d *unitDeath) see(dead bool, step int64, exact bool) {
	switch {
	case dead && !d.dead: // the step is known only if it was seen live before
		*d = unitDeath{at: step, dead: true, known: d.known, exact: exact}
	case !dead && (d.dead || !d.known): // write only on a change: this runs for every unit every step
		*d = unitDeath{known: true}
	}
}

// startUnitDeaths looks at every unit at the start of a record: on a fresh
// run (Reset) a unit dead now is dead from step 0; on a loaded network its
// death is before the record, so unknown. It is cheap, since every run of a
// collapse map starts here: layer 1 by the grid's ends, layer 2 at the grid's
// ends and layer 1's kinks between them (z2 is linear between those, so that
// is where it peaks; a positive sliver between two grid points would count
// as live), unless that is more than startWork; deeper layers are left unseen.
func (t *Trainer) startUnitDeaths(fresh bool) {
	units := t.rec.units
	for l := range units {
		clear(units[l])
	}
	if t.act != ReLU || len(units) == 0 {
		return // only ReLU units die for good; the others are never tracked
	}
	set := func(l, k int, dead bool) {
		units[l][k] = unitDeath{dead: dead, known: fresh || !dead, exact: true}
	}
	x0, x1 := t.gridX[0], t.gridX[len(t.gridX)-1]
	L := t.net.Layers[0]
	for k, w := range L.W {
		b := L.B[k]
		set(0, k, !(b+x0*w > 0) && !(b+x1*w > 0))
	}
	if len(units) < 2 {
		return
	}
	at := []float64{x0, x1}
	for k, w := range L.W {
		if x := -L.B[k] / w; w != 0 && x > x0 && x < x1 {
			at = append(at, x)
		}
	}
	L2 := t.net.Layers[1]
	if len(at)*len(L2.W) > startWork {
		return // a huge layer 2 stays unseen too
	}
	live := make([]bool, L2.Out)
	a1 := make([]float64, L.Out)
	for _, x := range at {
		for k, w := range L.W {
			a1[k] = max(0, L.B[k]+x*w)
		}
		for j := range live {
			live[j] = live[j] || L2.B[j]+dot(a1, L2.W[j*L2.In:j*L2.In+L2.In]) > 0
		}
	}
	for j, l := range live {
		set(1, j, !l)
	}
	// Layers 3… stay unseen (a grid pass here would cost a huge net seconds
	// at every reset): the first look that finds one dead cannot say when.
}

// startWork bounds startUnitDeaths' look at layer 2 (multiply-adds): the
// question's net takes about 26 thousand.
const startWork = 2_000_000

// gridDead reports whether unit k of a (GridPoints, O) pre-activation block
// is ≤ 0 on every grid point: deadUnits' definition.
func gridDead(z []float64, O, k int) bool {
	for b := 0; b < GridPoints; b++ {
		if z[b*O+k] > 0 {
			return false
		}
	}
	return true
}

// trackUnitDeaths is the every-step part: allocation-free and about a
// hundred multiply-adds for the question's net.
func (t *Trainer) trackUnitDeaths() {
	units := t.rec.units
	if len(units) == 0 {
		return
	}
	step := t.rec.step
	x0, x1 := t.gridX[0], t.gridX[len(t.gridX)-1]
	L := t.net.Layers[0]
	below := true
	for k, w := range L.W {
		b := L.B[k]
		dead := !(b+x0*w > 0) && !(b+x1*w > 0) // linearForward's expression, so the grid agrees
		units[0][k].see(dead, step, true)
		below = below && dead
	}
	for l := 1; l < len(units) && below; l++ {
		for k, b := range t.net.Layers[l].B {
			dead := !(b > 0)
			units[l][k].see(dead, step, true)
			below = below && dead
		}
	}
}

// lookUnitDeaths is the whole-grid look (after a forward pass on the grid):
// deeper layers' deaths found here are "by" this step.
func (t *Trainer) lookUnitDeaths() {
	units := t.rec.units
	for l := 1; l < len(units); l++ {
		O := t.net.Layers[l].Out
		for k := range units[l] {
			d := &units[l][k]
			dead := gridDead(t.evalWS.z[l], O, k)
			if dead != d.dead {
				d.see(dead, t.rec.step, false)
			}
		}
	}
}

// unitDiedAt is the recorded step unit k of hidden layer l died (ok false:
// not recorded). Only meaningful for a unit that is dead now.
func (t *Trainer) unitDiedAt(l, k int) (at int64, exact, ok bool) {
	if l >= len(t.rec.units) || k >= len(t.rec.units[l]) {
		return 0, false, false
	}
	d := t.rec.units[l][k]
	if !d.dead || !d.known {
		return 0, false, false
	}
	return d.at, d.exact, true
}
