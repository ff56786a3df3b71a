//go:build amd64 && !purego

#include "textflag.h"

// logAVX is math.Log on amd64 (math/log_amd64.s, the FreeBSD algorithm)
// four lanes at a time: the same constants, written the same way, and the
// same IEEE operations in the same order, so each lane is bit-identical
// to math.Log for every positive normal finite x. The caller takes the
// scalar path for anything else (zero, subnormal, negative, ±Inf, NaN).

DATA logc<>+0(SB)/8, $7.07106781186547524401e-01  // HSqrt2
DATA logc<>+8(SB)/8, $6.93147180369123816490e-01  // Ln2Hi
DATA logc<>+16(SB)/8, $1.90821492927058770002e-10 // Ln2Lo
DATA logc<>+24(SB)/8, $6.666666666666735130e-01   // L1
DATA logc<>+32(SB)/8, $3.999999999940941908e-01   // L2
DATA logc<>+40(SB)/8, $2.857142874366239149e-01   // L3
DATA logc<>+48(SB)/8, $2.222219843214978396e-01   // L4
DATA logc<>+56(SB)/8, $1.818357216161805012e-01   // L5
DATA logc<>+64(SB)/8, $1.531383769920937332e-01   // L6
DATA logc<>+72(SB)/8, $1.479819860511658591e-01   // L7
DATA logc<>+80(SB)/8, $0x000FFFFFFFFFFFFF         // mantissa bits
DATA logc<>+88(SB)/8, $0.5
DATA logc<>+96(SB)/8, $1.0
DATA logc<>+104(SB)/8, $2.0
DATA logc<>+112(SB)/8, $0x4330000000000000        // 2^52, to turn an exponent field into a float64
DATA logc<>+120(SB)/8, $4503599627371518.0        // 2^52 + 1022
DATA logc<>+128(SB)/8, $0x0010000000000000        // smallest normal
DATA logc<>+136(SB)/8, $0x7FF0000000000000        // +Inf
GLOBL logc<>(SB), RODATA|NOPTR, $144

#define C(i) logc<>+(8*i)(SB)

// func logAVX(dst, src *float64, n int) bool
// dst[i] = math.Log(src[i]) for i < n (a multiple of 4). Returns false,
// with dst partly written, if some src[i] is not positive, normal and finite.
TEXT ·logAVX(SB), NOSPLIT, $0-25
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VPCMPEQQ Y15, Y15, Y15 // every lane valid so far
	XORQ BX, BX
loop:
	CMPQ BX, CX
	JGE  done
	VMOVUPD (SI)(BX*8), Y0 // x
	VBROADCASTSD C(16), Y1
	VCMPPD  $2, Y0, Y1, Y1 // smallest normal ≤ x
	VBROADCASTSD C(17), Y2
	VCMPPD  $1, Y2, Y0, Y2 // x < +Inf
	VANDPD  Y2, Y1, Y1
	VANDPD  Y1, Y15, Y15
	// f1, ki := Frexp(x); k := float64(ki)
	VBROADCASTSD C(10), Y2
	VANDPD  Y0, Y2, Y2
	VBROADCASTSD C(11), Y3
	VORPD   Y3, Y2, Y2     // f1
	VPSRLQ  $52, Y0, Y1    // exponent field
	VBROADCASTSD C(14), Y3
	VPOR    Y3, Y1, Y1     // 2^52 + field
	VBROADCASTSD C(15), Y3
	VSUBPD  Y3, Y1, Y1     // k = field − 1022
	// if !(HSqrt2 < f1) { k -= 1; f1 *= 2 }
	VBROADCASTSD C(0), Y3
	VCMPPD  $5, Y2, Y3, Y3 // not less than
	VBROADCASTSD C(12), Y4
	VANDPD  Y4, Y3, Y3     // 0 or 1
	VSUBPD  Y3, Y1, Y1
	VADDPD  Y4, Y3, Y3     // 1 or 2
	VMULPD  Y3, Y2, Y2
	VSUBPD  Y4, Y2, Y2     // f = f1 − 1
	// s := f / (2 + f)
	VBROADCASTSD C(13), Y3
	VADDPD  Y2, Y3, Y3
	VDIVPD  Y3, Y2, Y3     // s
	VMULPD  Y3, Y3, Y4     // s2
	VMULPD  Y4, Y4, Y5     // s4
	// t1 := s2 * (L1 + s4*(L3+s4*(L5+s4*L7)))
	VBROADCASTSD C(9), Y6
	VMULPD  Y5, Y6, Y6
	VBROADCASTSD C(7), Y7
	VADDPD  Y7, Y6, Y6
	VMULPD  Y5, Y6, Y6
	VBROADCASTSD C(5), Y7
	VADDPD  Y7, Y6, Y6
	VMULPD  Y5, Y6, Y6
	VBROADCASTSD C(3), Y7
	VADDPD  Y7, Y6, Y6
	VMULPD  Y6, Y4, Y4     // t1
	// t2 := s4 * (L2 + s4*(L4+s4*L6))
	VBROADCASTSD C(8), Y6
	VMULPD  Y5, Y6, Y6
	VBROADCASTSD C(6), Y7
	VADDPD  Y7, Y6, Y6
	VMULPD  Y5, Y6, Y6
	VBROADCASTSD C(4), Y7
	VADDPD  Y7, Y6, Y6
	VMULPD  Y6, Y5, Y5     // t2
	VADDPD  Y5, Y4, Y4     // R
	// hfsq := 0.5 * f * f
	VBROADCASTSD C(11), Y6
	VMULPD  Y2, Y6, Y6
	VMULPD  Y2, Y6, Y6     // hfsq
	// return k*Ln2Hi - ((hfsq - (s*(hfsq+R) + k*Ln2Lo)) - f)
	VADDPD  Y6, Y4, Y4     // hfsq + R
	VMULPD  Y4, Y3, Y3     // s·(hfsq+R)
	VBROADCASTSD C(2), Y7
	VMULPD  Y1, Y7, Y7     // k·Ln2Lo
	VADDPD  Y7, Y3, Y3
	VSUBPD  Y3, Y6, Y6     // hfsq − (…)
	VSUBPD  Y2, Y6, Y6     // … − f
	VBROADCASTSD C(1), Y7
	VMULPD  Y7, Y1, Y1     // k·Ln2Hi
	VSUBPD  Y6, Y1, Y1
	VMOVUPD Y1, (DI)(BX*8)
	ADDQ $4, BX
	JMP  loop
done:
	VMOVMSKPD Y15, AX
	CMPQ AX, $15
	SETEQ ret+24(FP)
	VZEROUPPER
	RET
