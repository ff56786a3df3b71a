package engine

import "math"

// The fast path: the same forward and backward pass as network.go, in fewer
// operations, because the input is one number.
//
// A first-layer ReLU unit k computes relu(w_k·x + b_k). As a function of x it
// is off on one side of its threshold t_k = −b_k/w_k and linear on the other.
// Sort the H1 thresholds: between two neighbours the set of active units is
// fixed, so the second layer's pre-activation is a straight line in x there:
//
//	z2[j](x) = c_j + Σ_{k active} W2[j,k]·(w_k·x + b_k) = c_j + x·S1[r][j] + S0[r][j]
//
// where r is the interval x falls in. One pass over the sorted thresholds
// gives S1 and S0 for every interval (H1·H2 work), and each sample then costs
// H2 multiply-adds instead of H1·H2. The backward pass runs the same idea in
// reverse: the gradients of W2, W1 and b1 need, for each unit, sums of
// dz2·x and dz2 over the samples where it is active, and those are prefix or
// suffix sums over intervals. A step drops from O(B·H1·H2) to O((B + H1)·H2).
//
// Written out, with dz2 = ∂L/∂z2 (B, H2), a_k(x) = w_k·x + b_k, and
// active(k, b) saying unit k is on for sample b, the backward pass needs
//
//	∂L/∂W2[j,k] = Σ_{b: active(k,b)} dz2[b,j]·a_k(x_b) = w_k·Σ dz2[b,j]·x_b + b_k·Σ dz2[b,j]
//	∂L/∂w_k     = Σ_j W2[j,k]·Σ_{b: active(k,b)} dz2[b,j]·x_b
//	∂L/∂b_k     = Σ_j W2[j,k]·Σ_{b: active(k,b)} dz2[b,j]
//
// and "the samples where unit k is active" are the samples in the intervals
// above its threshold (w_k > 0) or at and below it (w_k < 0). So with
// Q1[r][j] = Σ_{b in interval r} dz2[b,j]·x_b and Q0[r][j] = Σ dz2[b,j],
// each sum is a prefix or a suffix of Q over the intervals: P below.
//
// At a tie the two paths agree by construction: the reference path calls a
// unit active when z = w·x + b > 0; here a sample's interval is the number
// of thresholds t < x, so a sample exactly at t = −b/w falls in the interval
// below t, where an up unit (w > 0) is off and a down unit (w < 0) is on.
// For x = t, z = 0 up to rounding, and the reference path's z > 0 may then
// decide either way: the gradient of a unit at exactly z = 0 is the one
// place the two may differ, by the contribution of that single sample.
//
// It is exact, not an approximation: only the order of floating-point
// additions differs from the reference path (engine tests hold the two to
// 1e-9 relative). It applies to ReLU without dropout; everything else, and
// every evaluation on the grid, takes the reference path.

//
// The per-interval tables are stored with a row stride st: H2 rounded up
// to a multiple of 4, the padding lanes zero, so that a row is whole 4-wide
// vectors for the kernels in fast_amd64.s. Their scalar twins in
// fast_kernels.go do the same operations in the same order, lane by lane,
// and are the path with -tags purego and on other architectures: the two
// agree bit for bit (TestVectorPathsAreBitIdentical).

type fastBlock struct {
	H1, H2 int
	st     int                    // row stride of the tables: H2 rounded up to a multiple of 4
	order  []int                  // (H1) first-layer units sorted by threshold
	thr    []float64              // (H1) the sorted thresholds
	up     []bool                 // (H1) by sorted position: active above its threshold (else below)
	rank   []int32                // (B) interval of each sample: #thresholds < x
	w2t    []float64              // (H1, st) W2 transposed, for the kernels: row k is unit k's weights into layer 2
	g2t    []float64              // (H1, st) ∂L/∂W2 transposed, as the kernels write it
	S1, S0 []float64              // (H1+1, st) per-interval slope and intercept of z2
	Q1, Q0 []float64              // (H1+1, st) per-interval Σ dz2·x and Σ dz2
	P1, P0 []float64              // (H1+2, st) prefix sums of Q (row r: Σ over intervals < r)
	d1, d0 []float64              // (st) the line table's running sums over down units
	c2, w3 []float64              // (st) layer 2's bias and the output's weights, padded (fused only)
	g3, z  []float64              // (st) ∂L/∂W3 accumulated, and one sample's z2 (fused only)
	start  [rankBuckets + 1]int32 // start[k] = #thresholds < bucket k's lowest x: where a rank search begins
	fused  bool                   // the net is [1, H1, H2, 1] with H2 ≤ maxFusedH2: see fusedPass
	lo     float64                // the lowest x a sample may take (the domain's start, or xmin)
	bscale float64                // buckets per unit of x: a sample's bucket is int((x−lo)·bscale)
}

// rankBuckets splits the sampled range (lo, hi] for the rank lookup: a
// sample's rank starts at its bucket's count and moves past the few
// thresholds inside the bucket, instead of a bisection over all H1 with
// its unpredictable branches.
const rankBuckets = 128

// setDomain spreads the buckets over (lo, hi], where every sample lies. On
// the question's (0,1] the bucket is int(x·128), as it always was.
func (f *fastBlock) setDomain(lo, hi float64) {
	f.lo, f.bscale = lo, rankBuckets/(hi-lo)
	if !(f.bscale > 0) || math.IsInf(f.bscale, 0) {
		f.bscale = rankBuckets // cannot happen for a checked domain; any scale gives the right rank
	}
}

// bucket is the rank lookup's bucket of x, as the kernels compute it.
func (f *fastBlock) bucket(x float64) int {
	return max(0, min(int((x-f.lo)*f.bscale), rankBuckets-1))
}

// maxFusedH2 bounds the second layer the fused loop takes.
const maxFusedH2 = 64

func newFastBlock(sizes []int, B int) fastBlock {
	H1, H2 := sizes[1], sizes[2]
	st := (H2 + 3) &^ 3
	f := fastBlock{H1: H1, H2: H2, st: st}
	f.order = make([]int, H1)
	for i := range f.order {
		f.order[i] = i
	}
	f.thr = make([]float64, H1)
	f.up = make([]bool, H1)
	f.rank = make([]int32, B)
	f.w2t, f.g2t = make([]float64, H1*st), make([]float64, H1*st)
	n := (H1 + 1) * st
	f.S1, f.S0 = make([]float64, n), make([]float64, n)
	f.Q1, f.Q0 = make([]float64, n), make([]float64, n)
	f.P1, f.P0 = make([]float64, n+st), make([]float64, n+st)
	f.d1, f.d0 = make([]float64, st), make([]float64, st)
	f.c2, f.w3 = make([]float64, st), make([]float64, st)
	f.g3, f.z = make([]float64, st), make([]float64, st)
	f.fused = len(sizes) == 4 && H2 <= maxFusedH2
	f.setDomain(0, 1)
	return f
}

// usable says whether the fast path applies. Below fastMinBatch its fixed
// H1·H2 cost per step outweighs what it saves.
func (f *fastBlock) usable(act Activation) bool { return act == ReLU && len(f.rank) >= fastMinBatch }

const fastMinBatch = 8

// threshold returns where unit (w, b) switches and whether it is on above it.
// A flat unit (w = 0) is on everywhere (b > 0) or nowhere.
func threshold(w, b float64) (t float64, up bool) {
	switch {
	case w > 0:
		return -b / w, true
	case w < 0:
		return -b / w, false
	case b > 0:
		return negInf, true
	default:
		return posInf, true
	}
}

var posInf, negInf = math.Inf(1), math.Inf(-1)

// sortThresholds orders units by threshold. Weights move little per step, so
// last step's order is nearly sorted and insertion sort is close to linear.
func (f *fastBlock) sortThresholds(w1, b1 []float64) {
	key, order, up := f.thr, f.order, f.up
	for i, k := range order {
		key[i], up[i] = threshold(w1[k], b1[k])
	}
	for i := 1; i < len(key); i++ {
		kv, ko, ku := key[i], order[i], up[i]
		j := i - 1
		for j >= 0 && key[j] > kv {
			key[j+1], order[j+1], up[j+1] = key[j], order[j], up[j]
			j--
		}
		key[j+1], order[j+1], up[j+1] = kv, ko, ku
	}
}

// step runs forward, loss and backward for the batch in ws, accumulating into
// grads, and returns the loss. Layers 0 and 1 take the interval route; the
// layers above them the reference kernels.
func (f *fastBlock) step(n *Network, grads []Layer, ws *workspace, B int) float64 {
	H1, H2, st := f.H1, f.H2, f.st
	L0, L1 := n.Layers[0], n.Layers[1]
	w1, b1 := L0.W, L0.B
	W2, c2 := L1.W, L1.B
	f.sortThresholds(w1, b1)
	// Per-interval line of z2: S = A (up units below r) + D (down units at or above r).
	lineTable(f, w1, b1, W2)
	f.fillStarts()
	var loss float64
	if f.fused {
		loss = f.fusedPass(n, grads, ws, B)
	} else {
		loss = f.layeredPass(n, grads, ws, B, c2)
	}
	backFromQ(f, w1, b1, W2, grads[0].W, grads[0].B, grads[1].W)
	gb2 := grads[1].B
	tot0 := f.P0[(H1+1)*st : (H1+1)*st+H2]
	for j, t := range tot0 { // ∂L/∂c2[j] = Σ_b dz2[b,j]: every interval's sum
		gb2[j] += t
	}
	return loss
}

// layeredPass is the forward and backward above layer 1 for any shape:
// z2 from the interval lines, the reference kernels for the layers above,
// and the interval sums Q from ∂L/∂z2.
func (f *fastBlock) layeredPass(n *Network, grads []Layer, ws *workspace, B int, c2 []float64) float64 {
	H2, st := f.H2, f.st
	S1, S0 := f.S1, f.S0
	x := ws.x[:B]
	// Forward: z2[b,j] = c2[j] + x·S1[r][j] + S0[r][j].
	z2 := ws.z[1][:B*H2]
	for b, xv := range x {
		lo := f.rankOf(xv)
		f.rank[b] = int32(lo)
		s1, s0 := S1[lo*st:lo*st+H2], S0[lo*st:lo*st+H2]
		row := z2[b*H2 : (b+1)*H2]
		for j := range row {
			row[j] = c2[j] + float64(xv*s1[j]) + s0[j]
		}
	}

	// Layers above: the reference kernels.
	last := len(n.Layers) - 1
	in := z2
	for l := 1; l < last; l++ {
		L := n.Layers[l]
		a := ws.a[l][:B*L.Out]
		activationForward(n.Act, a, ws.z[l][:B*L.Out])
		next := n.Layers[l+1]
		linearForward(ws.z[l+1][:B*next.Out], a, next.W, next.B, B, next.In, next.Out)
		in = ws.z[l+1][:B*next.Out]
	}
	pred := in
	dout := ws.dz[last][:B]
	loss := mseLoss(dout, pred, ws.y[:B])
	for l := last; l >= 2; l-- {
		L := n.Layers[l]
		din := ws.da[l-1][:B*L.In]
		linearBackward(grads[l].W, grads[l].B, din, dout, ws.a[l-1][:B*L.In], L.W, B, L.In, L.Out)
		dz := ws.dz[l-1][:B*L.In]
		activationBackward(n.Act, dz, din, ws.z[l-1], ws.a[l-1])
		dout = dz
	}

	// Q from dout = ∂L/∂z2 (B,H2).
	Q1, Q0 := f.Q1, f.Q0
	clear(Q1)
	clear(Q0)
	for b, xv := range x {
		r := int(f.rank[b])
		g := dout[b*H2 : (b+1)*H2]
		q1, q0 := Q1[r*st:r*st+H2], Q0[r*st:r*st+H2]
		for j, gv := range g {
			q1[j] += float64(gv * xv)
			q0[j] += gv
		}
	}
	return loss
}

// fillStarts counts, for each bucket, the sorted thresholds below its
// lowest x, so a walk from there only moves up. Bucket 0 starts at lo
// (it also holds any x below lo, which no sample is); bucket k ≥ 1 at
// lo + k/bscale, lowered past any x that rounding puts in bucket k below
// it. On (0,1] the edges are k/128 exactly, as before.
func (f *fastBlock) fillStarts() {
	r := 0
	for k := 0; k <= rankBuckets; k++ {
		edge := f.lo
		if k > 0 {
			edge = f.lo + float64(k)/f.bscale
			for n := 0; ; n++ {
				below := math.Nextafter(edge, negInf)
				if f.bucket(below) < k { // every x in bucket k is ≥ edge
					break
				}
				if edge = below; n == 64 { // never so far off; then bucket k starts where k−1 does
					edge = negInf
					break
				}
			}
		}
		for r < f.H1 && f.thr[r] < edge {
			r++
		}
		f.start[k] = int32(r)
	}
}

// rankOf returns #thresholds < x: its bucket's count, then a walk past the
// thresholds inside the bucket (usually none or one). x is in (lo, hi], as
// every training sample is.
func (f *fastBlock) rankOf(x float64) int {
	r := int(f.start[f.bucket(x)])
	thr := f.thr
	for r < len(thr) && thr[r] < x {
		r++
	}
	return r
}

// fusedPass is the whole rest of the step for the question's shape
// [1, H1, H2, 1], one sample at a time: layer 2's line and ReLU, the output
// layer, the loss and their backward, ending in the interval sums Q. The
// same arithmetic as the reference kernels (engine tests hold the two to
// 1e-9), without writing the (B, H2) activations out and reading them back
// in five separate passes.
func (f *fastBlock) fusedPass(n *Network, grads []Layer, ws *workspace, B int) float64 {
	H2 := f.H2
	copy(f.c2, n.Layers[1].B)
	copy(f.w3, n.Layers[2].W[:H2])
	clear(f.g3)
	clear(f.Q1)
	clear(f.Q0)
	sse, gb3 := fusedSamples(f, ws.x[:B], ws.y[:B], n.Layers[2].B[0], 2/float64(B))
	gW3 := grads[2].W[:H2]
	for j, g := range f.g3[:H2] {
		gW3[j] += g
	}
	grads[2].B[0] += gb3
	return sse / float64(B)
}
