//go:build amd64 && !purego

#include "textflag.h"

// The fast path's kernels for rows of exactly 12 lanes (9 ≤ H2 ≤ 12, the
// question's 10 among them): the same operations as the general kernels
// in fast_amd64.s and the scalar twins in fast_kernels.go, with a row's
// three ymm held in registers instead of walked through memory, and no
// branch on a unit's direction (a masked product is +0, and adding +0
// leaves a sum that started at +0 as it is, as the twins' skipped terms do).

DATA zero12<>+0(SB)/8, $0
DATA zero12<>+8(SB)/8, $0
DATA zero12<>+16(SB)/8, $0
DATA zero12<>+24(SB)/8, $0
GLOBL zero12<>(SB), RODATA|NOPTR, $32

// UPMASK sets y to all ones if the byte at mem is 1, else 0; uses AX.
#define UPMASK(mem, x, y) \
	MOVBLZX mem, AX; \
	NEGQ AX; \
	VMOVQ AX, x; \
	VPBROADCASTQ x, y

// func lineTable12AVX(s1, s0, w2t *float64, order *int, up *bool, w1, b1 *float64, h1 int)
// s1, s0: (h1+1, 12) out; w2t: (h1, 12). As lineTableAVX.
TEXT ·lineTable12AVX(SB), NOSPLIT, $0-64
	MOVQ s1+0(FP), SI
	MOVQ s0+8(FP), DI
	MOVQ w2t+16(FP), R10
	MOVQ order+24(FP), R13
	MOVQ up+32(FP), R14
	MOVQ w1+40(FP), R11
	MOVQ b1+48(FP), R12
	MOVQ h1+56(FP), CX
	VXORPD Y0, Y0, Y0 // row p of S1, three chunks
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3 // and of S0
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VMOVUPD Y0, (SI)
	VMOVUPD Y1, 32(SI)
	VMOVUPD Y2, 64(SI)
	VMOVUPD Y3, (DI)
	VMOVUPD Y4, 32(DI)
	VMOVUPD Y5, 64(DI)
	XORQ BX, BX
asc:
	CMPQ BX, CX
	JGE  desc
	ADDQ $96, SI
	ADDQ $96, DI
	UPMASK((R14)(BX*1), X15, Y15)
	MOVQ (R13)(BX*8), DX // k
	VBROADCASTSD (R11)(DX*8), Y12
	VBROADCASTSD (R12)(DX*8), Y13
	IMULQ $96, DX
	ADDQ R10, DX // w2t row k
#define ASC(c, r1, r0) \
	VMOVUPD (32*c)(DX), Y6; \
	VMULPD  Y12, Y6, Y7; \
	VMULPD  Y13, Y6, Y8; \
	VANDPD  Y15, Y7, Y7; \
	VANDPD  Y15, Y8, Y8; \
	VADDPD  Y7, r1, r1; \
	VADDPD  Y8, r0, r0; \
	VMOVUPD r1, (32*c)(SI); \
	VMOVUPD r0, (32*c)(DI)
	ASC(0, Y0, Y3)
	ASC(1, Y1, Y4)
	ASC(2, Y2, Y5)
	INCQ BX
	JMP  asc

desc: // SI, DI at row h1; D in Y6–Y11
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
descLoop:
	DECQ BX
	JLT  ldone
	SUBQ $96, SI
	SUBQ $96, DI
	UPMASK((R14)(BX*1), X15, Y15)
	MOVQ (R13)(BX*8), DX
	VBROADCASTSD (R11)(DX*8), Y12
	VBROADCASTSD (R12)(DX*8), Y13
	IMULQ $96, DX
	ADDQ R10, DX
#define DESC(c, d1, d0) \
	VMOVUPD (32*c)(DX), Y0; \
	VMULPD  Y12, Y0, Y1; \
	VMULPD  Y13, Y0, Y2; \
	VANDNPD Y1, Y15, Y1; \
	VANDNPD Y2, Y15, Y2; \
	VADDPD  Y1, d1, d1; \
	VADDPD  Y2, d0, d0; \
	VADDPD  (32*c)(SI), d1, Y1; \
	VADDPD  (32*c)(DI), d0, Y2; \
	VMOVUPD Y1, (32*c)(SI); \
	VMOVUPD Y2, (32*c)(DI)
	DESC(0, Y6, Y9)
	DESC(1, Y7, Y10)
	DESC(2, Y8, Y11)
	JMP descLoop
ldone:
	VZEROUPPER
	RET

// func fused12AVX(x, y *float64, n int, s1, s0, q1, q0, c2, w3, g3, thr *float64, start *int32, h1 int, b3, scale, lo, bscale float64) (sse, gb3 float64)
// As fusedAVX, rows of 12: w3 in Y11–Y13, g3's sums in Y8–Y10, a sample's
// relu(z2) in Y0–Y2 and its masks in Y3–Y5; sse and gb3 in the frame.
TEXT ·fused12AVX(SB), NOSPLIT, $24-152
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), AX
	LEAQ (SI)(AX*8), R13 // end of x
	MOVQ s1+24(FP), R8
	MOVQ s0+32(FP), R9
	MOVQ q1+40(FP), R10
	MOVQ q0+48(FP), R11
	MOVQ c2+56(FP), R12
	MOVQ w3+64(FP), AX
	VMOVUPD (AX), Y11
	VMOVUPD 32(AX), Y12
	VMOVUPD 64(AX), Y13
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	MOVQ $0, sse-8(SP)
	MOVQ $0, gb3-16(SP)
	MOVQ thr+80(FP), R14

sample12:
	CMPQ SI, R13
	JGE  end12
	VMOVSD (SI), X15
	VSUBSD lo+120(FP), X15, X6 // the bucket: int((x−lo)·bscale)
	VMULSD bscale+128(FP), X6, X6
	VCVTTSD2SIQ X6, AX
	XORQ CX, CX
	CMPQ AX, $0
	CMOVQLT CX, AX
	MOVQ $127, CX
	CMPQ AX, CX
	CMOVQGT CX, AX
	MOVQ start+88(FP), CX
	MOVLQSX (CX)(AX*4), AX
	MOVQ h1+96(FP), CX
walk12:
	CMPQ AX, CX
	JGE  ranked12
	VUCOMISD (R14)(AX*8), X15
	JBE  ranked12
	INCQ AX
	JMP  walk12
ranked12:
	VBROADCASTSD X15, Y15 // x
	IMULQ $96, AX
	LEAQ (R8)(AX*1), BX
	LEAQ (R9)(AX*1), DX
#define FWD(c, v, m) \
	VMOVUPD (32*c)(BX), v; \
	VMULPD  Y15, v, v; \
	VADDPD  (32*c)(R12), v, v; \
	VADDPD  (32*c)(DX), v, v; \
	VCMPPD  $0x1e, zero12<>(SB), v, m; \
	VANDPD  m, v, v
	FWD(0, Y0, Y3)
	FWD(1, Y1, Y4)
	FWD(2, Y2, Y5)
	VMULPD  Y11, Y0, Y7
	VMULPD  Y12, Y1, Y6
	VADDPD  Y6, Y7, Y7
	VMULPD  Y13, Y2, Y6
	VADDPD  Y6, Y7, Y7 // lane sums of w3·relu(v)
	VEXTRACTF128 $1, Y7, X6
	VADDPD  X6, X7, X6
	VPERMILPD $1, X6, X7
	VADDSD  X7, X6, X6
	VADDSD  b3+104(FP), X6, X6 // b3 + p
	VSUBSD  (DI), X6, X6       // d
	VMULSD  X6, X6, X7
	VADDSD  sse-8(SP), X7, X7
	VMOVSD  X7, sse-8(SP)
	VMULSD  scale+112(FP), X6, X6 // g
	VADDSD  gb3-16(SP), X6, X7
	VMOVSD  X7, gb3-16(SP)
	VBROADCASTSD X6, Y14
	LEAQ (R10)(AX*1), BX
	LEAQ (R11)(AX*1), DX
#define BWD(c, a, m, w, g) \
	VMULPD  Y14, a, Y6; \
	VADDPD  Y6, g, g; \
	VMULPD  w, Y14, Y6; \
	VANDPD  m, Y6, Y6; \
	VMULPD  Y15, Y6, Y7; \
	VADDPD  (32*c)(BX), Y7, Y7; \
	VMOVUPD Y7, (32*c)(BX); \
	VADDPD  (32*c)(DX), Y6, Y6; \
	VMOVUPD Y6, (32*c)(DX)
	BWD(0, Y0, Y3, Y11, Y8)
	BWD(1, Y1, Y4, Y12, Y9)
	BWD(2, Y2, Y5, Y13, Y10)
	ADDQ $8, SI
	ADDQ $8, DI
	JMP  sample12

end12:
	MOVQ g3+72(FP), AX
	VMOVUPD Y8, (AX)
	VMOVUPD Y9, 32(AX)
	VMOVUPD Y10, 64(AX)
	MOVQ sse-8(SP), AX
	MOVQ AX, sse+136(FP)
	MOVQ gb3-16(SP), AX
	MOVQ AX, gb3+144(FP)
	VZEROUPPER
	RET

// func back12AVX(p1, p0, q1, q0, w2t, g2t *float64, order *int, up *bool, w1, b1, gw1, gb1 *float64, h1 int)
// As backAVX, rows of 12: the running prefix sums, and then the totals, in
// Y8–Y13.
TEXT ·back12AVX(SB), NOSPLIT, $0-104
	MOVQ p1+0(FP), SI
	MOVQ p0+8(FP), DI
	MOVQ q1+16(FP), R10
	MOVQ q0+24(FP), R11
	MOVQ h1+96(FP), CX
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	VXORPD Y12, Y12, Y12
	VXORPD Y13, Y13, Y13
	VMOVUPD Y8, (SI)
	VMOVUPD Y9, 32(SI)
	VMOVUPD Y10, 64(SI)
	VMOVUPD Y11, (DI)
	VMOVUPD Y12, 32(DI)
	VMOVUPD Y13, 64(DI)
	XORQ BX, BX
prefix12:
	ADDQ $96, SI
	ADDQ $96, DI
#define PRE(c, p1, p0) \
	VADDPD  (32*c)(R10), p1, p1; \
	VADDPD  (32*c)(R11), p0, p0; \
	VMOVUPD p1, (32*c)(SI); \
	VMOVUPD p0, (32*c)(DI)
	PRE(0, Y8, Y11)
	PRE(1, Y9, Y12)
	PRE(2, Y10, Y13)
	ADDQ $96, R10
	ADDQ $96, R11
	INCQ BX
	CMPQ BX, CX
	JLE  prefix12

	MOVQ p1+0(FP), SI
	MOVQ p0+8(FP), DI
	MOVQ w2t+32(FP), R8
	MOVQ g2t+40(FP), R9
	MOVQ order+48(FP), R10
	MOVQ up+56(FP), R11
	MOVQ w1+64(FP), R12
	MOVQ b1+72(FP), R13
	XORQ BX, BX
unit12:
	CMPQ BX, CX
	JGE  bdone12
	ADDQ $96, SI // row p+1: Σ over r ≤ p
	ADDQ $96, DI
	UPMASK((R11)(BX*1), X7, Y7)
	MOVQ (R10)(BX*8), DX // k
	VBROADCASTSD (R12)(DX*8), Y14 // wk
	VBROADCASTSD (R13)(DX*8), Y15 // bk
	MOVQ DX, R14
	IMULQ $96, DX
#define UNIT(c, t1, t0) \
	VMOVUPD   (32*c)(SI), Y0; \
	VMOVUPD   (32*c)(DI), Y1; \
	VSUBPD    Y0, t1, Y2; \
	VSUBPD    Y1, t0, Y3; \
	VBLENDVPD Y7, Y2, Y0, Y0; \
	VBLENDVPD Y7, Y3, Y1, Y1; \
	VMULPD    Y14, Y0, Y2; \
	VMULPD    Y15, Y1, Y3; \
	VADDPD    Y3, Y2, Y2; \
	VMOVUPD   Y2, (32*c)(R9)(DX*1); \
	VMOVUPD   (32*c)(R8)(DX*1), Y2; \
	VMULPD    Y2, Y0, Y0; \
	VMULPD    Y2, Y1, Y1
	UNIT(0, Y8, Y11)
	VMOVAPD Y0, Y4 // lane sums of w·s1
	VMOVAPD Y1, Y5 // and of w·s0
	UNIT(1, Y9, Y12)
	VADDPD Y0, Y4, Y4
	VADDPD Y1, Y5, Y5
	UNIT(2, Y10, Y13)
	VADDPD Y0, Y4, Y4
	VADDPD Y1, Y5, Y5
	VEXTRACTF128 $1, Y4, X0
	VADDPD  X0, X4, X0
	VPERMILPD $1, X0, X1
	VADDSD  X1, X0, X0 // sw
	VEXTRACTF128 $1, Y5, X2
	VADDPD  X2, X5, X2
	VPERMILPD $1, X2, X3
	VADDSD  X3, X2, X2 // sb
	MOVQ gw1+80(FP), AX
	VADDSD  (AX)(R14*8), X0, X0
	VMOVSD  X0, (AX)(R14*8)
	MOVQ gb1+88(FP), AX
	VADDSD  (AX)(R14*8), X2, X2
	VMOVSD  X2, (AX)(R14*8)
	INCQ BX
	JMP  unit12

bdone12:
	VZEROUPPER
	RET
