//go:build amd64 && !purego

#include "textflag.h"

// The fast path's loops with 4 lanes of float64 (AVX2, no FMA): each
// instruction is one operation of the scalar twin in fast_kernels.go, lane
// by lane, so the two agree bit for bit. Tables are rows of st float64s
// (st a multiple of 4); CX walks a row's bytes 32 at a time.

// negzero is −0 in every lane: x + (−0) = x for every x, so a sum that
// starts there equals its first term exactly, as the scalar twin's does.
DATA negzero<>+0(SB)/8, $0x8000000000000000
DATA negzero<>+8(SB)/8, $0x8000000000000000
DATA negzero<>+16(SB)/8, $0x8000000000000000
DATA negzero<>+24(SB)/8, $0x8000000000000000
GLOBL negzero<>(SB), RODATA|NOPTR, $32

// func lineTableAVX(s1, s0, w2t, d1, d0 *float64, order *int, up *bool, w1, b1 *float64, h1, st int)
// s1, s0: (h1+1, st) out; w2t: (h1, st); d1, d0: (st) scratch.
// Ascending: row p+1 = row p + (up[p] ? w2t[k]·(w1[k], b1[k]) : 0), k = order[p].
// Descending: D += (!up[p] ? w2t[k]·(w1[k], b1[k]) : 0); row p += D.
TEXT ·lineTableAVX(SB), NOSPLIT, $0-88
	MOVQ s1+0(FP), R8
	MOVQ s0+8(FP), R9
	MOVQ w2t+16(FP), R10
	MOVQ d1+24(FP), R11
	MOVQ d0+32(FP), R12
	MOVQ order+40(FP), R13
	MOVQ up+48(FP), R14
	MOVQ st+80(FP), DX
	SHLQ $3, DX // row bytes
	VXORPD Y0, Y0, Y0
	XORQ CX, CX

zero:	// row 0 of S and all of D start at +0
	VMOVUPD Y0, (R8)(CX*1)
	VMOVUPD Y0, (R9)(CX*1)
	VMOVUPD Y0, (R11)(CX*1)
	VMOVUPD Y0, (R12)(CX*1)
	ADDQ $32, CX
	CMPQ CX, DX
	JLT  zero

	XORQ BX, BX // p
	MOVQ R8, SI // row p of S1
	MOVQ R9, DI // row p of S0
asc:
	CMPQ BX, h1+72(FP)
	JGE  descend
	MOVQ (R13)(BX*8), AX  // k
	MOVQ w1+56(FP), CX
	VBROADCASTSD (CX)(AX*8), Y14 // wk
	MOVQ b1+64(FP), CX
	VBROADCASTSD (CX)(AX*8), Y15 // bk
	IMULQ DX, AX
	ADDQ R10, AX          // w2t row k
	MOVBLZX (R14)(BX*1), CX
	TESTQ CX, CX
	JZ   ascCopy
	XORQ CX, CX
ascAdd:
	VMOVUPD (AX)(CX*1), Y1
	VMULPD  Y14, Y1, Y2  // w·wk
	VMULPD  Y15, Y1, Y3  // w·bk
	VADDPD  (SI)(CX*1), Y2, Y2
	VADDPD  (DI)(CX*1), Y3, Y3
	ADDQ    DX, CX
	VMOVUPD Y2, (SI)(CX*1) // row p+1
	VMOVUPD Y3, (DI)(CX*1)
	SUBQ    DX, CX
	ADDQ    $32, CX
	CMPQ    CX, DX
	JLT     ascAdd
	JMP     ascNext
ascCopy:
	XORQ CX, CX
ascCopyLoop:
	VMOVUPD (SI)(CX*1), Y2
	VMOVUPD (DI)(CX*1), Y3
	ADDQ    DX, CX
	VMOVUPD Y2, (SI)(CX*1)
	VMOVUPD Y3, (DI)(CX*1)
	SUBQ    DX, CX
	ADDQ    $32, CX
	CMPQ    CX, DX
	JLT     ascCopyLoop
ascNext:
	ADDQ DX, SI
	ADDQ DX, DI
	INCQ BX
	JMP  asc

descend: // SI, DI are at row h1; walk p = h1-1 … 0
	DECQ BX
	JLT  done
	SUBQ DX, SI
	SUBQ DX, DI
	MOVQ (R13)(BX*8), AX
	MOVQ w1+56(FP), CX
	VBROADCASTSD (CX)(AX*8), Y14
	MOVQ b1+64(FP), CX
	VBROADCASTSD (CX)(AX*8), Y15
	IMULQ DX, AX
	ADDQ R10, AX
	MOVBLZX (R14)(BX*1), CX
	TESTQ CX, CX
	JNZ  descAddRow
	XORQ CX, CX
descD: // a down unit joins D
	VMOVUPD (AX)(CX*1), Y1
	VMULPD  Y14, Y1, Y2
	VMULPD  Y15, Y1, Y3
	VADDPD  (R11)(CX*1), Y2, Y2
	VADDPD  (R12)(CX*1), Y3, Y3
	VMOVUPD Y2, (R11)(CX*1)
	VMOVUPD Y3, (R12)(CX*1)
	ADDQ    $32, CX
	CMPQ    CX, DX
	JLT     descD
descAddRow:
	XORQ CX, CX
descRow:
	VMOVUPD (SI)(CX*1), Y2
	VMOVUPD (DI)(CX*1), Y3
	VADDPD  (R11)(CX*1), Y2, Y2
	VADDPD  (R12)(CX*1), Y3, Y3
	VMOVUPD Y2, (SI)(CX*1)
	VMOVUPD Y3, (DI)(CX*1)
	ADDQ    $32, CX
	CMPQ    CX, DX
	JLT     descRow
	JMP     descend

done:
	VZEROUPPER
	RET

// func fusedAVX(x, y *float64, n int, s1, s0, q1, q0, c2, w3, g3, thr *float64, start *int32, h1, st int, b3, scale, lo, bscale float64) (sse, gb3 float64)
// x, y: (n) samples; s1, s0, q1, q0: (h1+1, st); c2, w3, g3: (st), st ≤ 64;
// thr: (h1); start: (129) bucket counts, bucket int((x−lo)·bscale). Per sample, as fusedGo: r = rank of x;
//   v = (c2 + x·s1[r]) + s0[r]; t = w3·(v>0 ? v : 0); p = (t0+t2)+(t1+t3) over lane sums
//   d = (b3 + p) − y; sse += d·d; g = scale·d; gb3 += g
//   g3 += g·(v>0 ? v : 0); dz = (v>0 ? g·w3 : 0); q1[r] += dz·x; q0[r] += dz
// The frame holds one sample's v (512 bytes at 0(SP)), the row bytes at
// 512(SP) and the end of x at 520(SP).
TEXT ·fusedAVX(SB), $528-160
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), AX
	LEAQ (SI)(AX*8), AX
	MOVQ AX, 520(SP)
	MOVQ s1+24(FP), R8
	MOVQ s0+32(FP), R9
	MOVQ q1+40(FP), R10
	MOVQ q0+48(FP), R11
	MOVQ c2+56(FP), R12
	MOVQ w3+64(FP), R13
	MOVQ g3+72(FP), R14
	MOVQ st+104(FP), AX
	SHLQ $3, AX
	MOVQ AX, 512(SP)
	VXORPD Y14, Y14, Y14 // 0
	VMOVSD b3+112(FP), X12
	VMOVSD scale+120(FP), X10
	VXORPD X11, X11, X11 // sse
	VXORPD X9, X9, X9    // gb3

sample:
	CMPQ SI, 520(SP)
	JGE  end
	// r = start[clamp(int((x−lo)·bscale), 0, 127)], then past every thr[r] < x
	VMOVSD (SI), X0
	VBROADCASTSD X0, Y15 // x in every lane
	VSUBSD lo+128(FP), X0, X1
	VMULSD bscale+136(FP), X1, X1
	VCVTTSD2SIQ X1, AX
	XORQ CX, CX
	CMPQ AX, $0
	CMOVQLT CX, AX
	MOVQ $127, CX
	CMPQ AX, CX
	CMOVQGT CX, AX
	MOVQ start+88(FP), CX
	MOVLQSX (CX)(AX*4), AX
	MOVQ thr+80(FP), CX
walk:
	CMPQ AX, h1+96(FP)
	JGE  ranked
	VUCOMISD (CX)(AX*8), X0
	JBE  ranked // x ≤ thr[r], or unordered
	INCQ AX
	JMP  walk
ranked:
	IMULQ 512(SP), AX // row offset of interval r
	LEAQ (R8)(AX*1), BX
	LEAQ (R9)(AX*1), DX
	VMOVUPD negzero<>(SB), Y13 // lane sums of t
	XORQ CX, CX
forward:
	VMOVUPD (BX)(CX*1), Y1
	VMULPD  Y15, Y1, Y1         // x·s1
	VADDPD  (R12)(CX*1), Y1, Y1 // c2 + x·s1
	VADDPD  (DX)(CX*1), Y1, Y1  // v
	VMOVUPD Y1, (SP)(CX*1)
	VCMPPD  $1, Y1, Y14, Y2     // 0 < v
	VANDPD  Y2, Y1, Y3
	VMULPD  (R13)(CX*1), Y3, Y3 // w3·relu(v)
	VADDPD  Y3, Y13, Y13
	ADDQ    $32, CX
	CMPQ    CX, 512(SP)
	JLT     forward
	VEXTRACTF128 $1, Y13, X4
	VADDPD  X4, X13, X4   // (t0+t2, t1+t3)
	VPERMILPD $1, X4, X5
	VADDSD  X5, X4, X4    // p
	VADDSD  X4, X12, X4   // b3 + p
	VSUBSD  (DI), X4, X4  // d
	VMULSD  X4, X4, X5
	VADDSD  X5, X11, X11  // sse
	VMULSD  X4, X10, X6   // g
	VADDSD  X6, X9, X9    // gb3
	VBROADCASTSD X6, Y6
	LEAQ (R10)(AX*1), BX
	LEAQ (R11)(AX*1), DX
	XORQ CX, CX
backward:
	VMOVUPD (SP)(CX*1), Y1      // v
	VCMPPD  $1, Y1, Y14, Y2     // 0 < v
	VANDPD  Y2, Y1, Y3
	VMULPD  Y6, Y3, Y3          // g·relu(v)
	VADDPD  (R14)(CX*1), Y3, Y3
	VMOVUPD Y3, (R14)(CX*1)     // g3
	VMULPD  (R13)(CX*1), Y6, Y7 // g·w3
	VANDPD  Y2, Y7, Y7          // dz
	VMULPD  Y15, Y7, Y8         // dz·x
	VADDPD  (BX)(CX*1), Y8, Y8
	VMOVUPD Y8, (BX)(CX*1)      // q1[r]
	VADDPD  (DX)(CX*1), Y7, Y7
	VMOVUPD Y7, (DX)(CX*1)      // q0[r]
	ADDQ    $32, CX
	CMPQ    CX, 512(SP)
	JLT     backward
	ADDQ $8, SI
	ADDQ $8, DI
	JMP  sample

end:
	VMOVSD X11, sse+144(FP)
	VMOVSD X9, gb3+152(FP)
	VZEROUPPER
	RET

// func backAVX(p1, p0, q1, q0, w2t, g2t *float64, order *int, up *bool, w1, b1, gw1, gb1 *float64, h1, st int)
// q1, q0: (h1+1, st) in; p1, p0: (h1+2, st) out, row r = Σ_{r' < r} q[r'];
// w2t, g2t: (h1, st). For each sorted position p, k = order[p]:
//   s = up[p] ? P[h1+1] − P[p+1] : P[p+1]     (for 1 and 0)
//   g2t[k] = w1[k]·s1 + b1[k]·s0
//   gw1[k] += Σ w2t[k]·s1, gb1[k] += Σ w2t[k]·s0 (lane sums, then (l0+l2)+(l1+l3))
TEXT ·backAVX(SB), NOSPLIT, $0-112
	MOVQ p1+0(FP), R8
	MOVQ p0+8(FP), R9
	MOVQ q1+16(FP), R10
	MOVQ q0+24(FP), R11
	MOVQ w2t+32(FP), R12
	MOVQ g2t+40(FP), R13
	MOVQ st+104(FP), R14
	SHLQ $3, R14 // row bytes
	VXORPD Y0, Y0, Y0
	XORQ CX, CX
pzero:
	VMOVUPD Y0, (R8)(CX*1)
	VMOVUPD Y0, (R9)(CX*1)
	ADDQ $32, CX
	CMPQ CX, R14
	JLT  pzero

	MOVQ R8, SI  // row r of P1
	MOVQ R9, DI  // row r of P0
	XORQ BX, BX  // r = 0 … h1
prefix:
	XORQ CX, CX
prefixRow:
	VMOVUPD (SI)(CX*1), Y1
	VMOVUPD (DI)(CX*1), Y2
	VADDPD  (R10)(CX*1), Y1, Y1
	VADDPD  (R11)(CX*1), Y2, Y2
	LEAQ    (SI)(R14*1), AX
	VMOVUPD Y1, (AX)(CX*1)
	LEAQ    (DI)(R14*1), AX
	VMOVUPD Y2, (AX)(CX*1)
	ADDQ    $32, CX
	CMPQ    CX, R14
	JLT     prefixRow
	ADDQ R14, SI
	ADDQ R14, DI
	ADDQ R14, R10
	ADDQ R14, R11
	INCQ BX
	CMPQ BX, h1+96(FP)
	JLE  prefix
	MOVQ SI, R10 // SI, DI are at row h1+1: the totals
	MOVQ DI, R11

	MOVQ R8, SI
	MOVQ R9, DI
	XORQ BX, BX // p
unit:
	CMPQ BX, h1+96(FP)
	JGE  bdone
	ADDQ R14, SI // row p+1: Σ over r ≤ p
	ADDQ R14, DI
	MOVQ up+56(FP), AX
	MOVBLZX (AX)(BX*1), AX
	NEGQ AX
	VMOVQ AX, X13
	VPBROADCASTQ X13, Y13 // all ones if up
	MOVQ order+48(FP), AX
	MOVQ (AX)(BX*8), DX   // k
	MOVQ w1+64(FP), AX
	VBROADCASTSD (AX)(DX*8), Y15 // wk
	MOVQ b1+72(FP), AX
	VBROADCASTSD (AX)(DX*8), Y14 // bk
	IMULQ R14, DX
	LEAQ (R12)(DX*1), AX // w2t row k
	ADDQ R13, DX         // g2t row k
	VMOVUPD negzero<>(SB), Y3 // lane sums of w·s1
	VMOVUPD negzero<>(SB), Y4 // and of w·s0
	XORQ CX, CX
unitRow:
	VMOVUPD (SI)(CX*1), Y1
	VMOVUPD (DI)(CX*1), Y2
	VMOVUPD (R10)(CX*1), Y5
	VMOVUPD (R11)(CX*1), Y6
	VSUBPD  Y1, Y5, Y5
	VSUBPD  Y2, Y6, Y6
	VBLENDVPD Y13, Y5, Y1, Y1 // s1
	VBLENDVPD Y13, Y6, Y2, Y2 // s0
	VMULPD  Y15, Y1, Y5
	VMULPD  Y14, Y2, Y6
	VADDPD  Y6, Y5, Y5
	VMOVUPD Y5, (DX)(CX*1)    // g2t
	VMOVUPD (AX)(CX*1), Y7    // w
	VMULPD  Y7, Y1, Y5
	VMULPD  Y7, Y2, Y6
	VADDPD  Y5, Y3, Y3
	VADDPD  Y6, Y4, Y4
	ADDQ    $32, CX
	CMPQ    CX, R14
	JLT     unitRow
	VEXTRACTF128 $1, Y3, X5
	VADDPD  X5, X3, X5
	VPERMILPD $1, X5, X6
	VADDSD  X6, X5, X5 // sw
	VEXTRACTF128 $1, Y4, X7
	VADDPD  X7, X4, X7
	VPERMILPD $1, X7, X8
	VADDSD  X8, X7, X7 // sb
	MOVQ order+48(FP), AX
	MOVQ (AX)(BX*8), DX
	MOVQ gw1+80(FP), AX
	VADDSD  (AX)(DX*8), X5, X5
	VMOVSD  X5, (AX)(DX*8)
	MOVQ gb1+88(FP), AX
	VADDSD  (AX)(DX*8), X7, X7
	VMOVSD  X7, (AX)(DX*8)
	INCQ BX
	JMP  unit

bdone:
	VZEROUPPER
	RET
