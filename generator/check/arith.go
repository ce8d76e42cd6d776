package check

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/disclose/disclose/generator/fiscal"
)

// Printed figures are rounded: a figure printed with two decimals in 万元
// may be up to 0.005万元 away from the amount it stands for. A sum of n
// printed parts may therefore differ from its printed total by up to
// (n + 1) × half a unit of the last printed digit. The checker keeps, with
// every sum, that bound in half-分 (0.005元), so all of it stays integer.

// amount is a sum of printed figures.
type amount struct {
	fen int64 // the exact sum of the printed values, in 分 (for counts: the count)
	// half is the sum, over the figures, of half a unit of each one's last
	// printed digit, in half-分: the most the printed sum can be off.
	half int64
	// step is the coarsest printing step of the figures, in 分 (10000 for
	// 万元 with two decimals, 1 for 元); 0 for counts.
	step int64
	// n counts the printed figures summed.
	n int
}

// figureAmount is one printed figure of a table in unit u: tables print
// two decimals, so its step is a hundredth of the unit.
func figureAmount(fen int64, u fiscal.Unit) amount {
	step := u.Fen() / 100
	return amount{fen: fen, half: step, step: step, n: 1}
}

func (a amount) add(b amount, neg bool) amount {
	if neg {
		b.fen = -b.fen
	}
	return amount{fen: a.fen + b.fen, half: a.half + b.half, step: max(a.step, b.step), n: a.n + b.n}
}

// verdict is the outcome of one comparison.
type verdict uint8

const (
	holds    verdict = iota // equal, or equal once rounded alike
	rounding                // differs within the rounding bound: a note
	fails                   // differs beyond it: a finding
)

// compare judges l op r. A fixed tolerance replaces the rounding bound.
// It returns the difference l − r in 分 and the bound in half-分.
func compare(op Op, l, r amount, tol tolerance) (v verdict, diff, bound int64) {
	diff = l.fen - r.fen
	bound = l.half + r.half
	if l.n == 1 && r.n == 1 && l.step == r.step {
		// One amount printed twice at one precision (a 上年数 and last
		// year's figure, a 类 and its only 款, a figure in the text and in
		// its table) rounds alike both times: any difference is a typo.
		bound = 0
	}
	if tol.set {
		bound = tol.half
	}
	// A figure printed coarser than the other side stands for any amount
	// that rounds to it: compare at the coarser step first.
	step := max(l.step, r.step)
	lr, rr := roundTo(l.fen, step), roundTo(r.fen, step)
	var excess int64 // how far beyond the relation the figures are, in 分
	switch op {
	case OpEq:
		if diff == 0 || lr == rr {
			return holds, diff, bound
		}
		excess = abs(diff)
	case OpLE:
		if diff <= 0 || lr <= rr {
			return holds, diff, bound
		}
		excess = diff
	case OpGE:
		if diff >= 0 || lr >= rr {
			return holds, diff, bound
		}
		excess = -diff
	}
	if 2*excess <= bound {
		return rounding, diff, bound
	}
	return fails, diff, bound
}

func roundTo(fen, step int64) int64 {
	if step <= 1 {
		return fen
	}
	q, r := fen/step, fen%step
	if 2*abs(r) >= step {
		if fen < 0 {
			q--
		} else {
			q++
		}
	}
	return q * step
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// checkRate judges a stated percentage against 100 × num ÷ den recomputed
// from the printed figures and rounded half-up to the stated decimals.
// When they differ, the stated rate is a rounding matter if it lies within
// tol percentage points of the range of rates the printed figures allow
// (each may be off by its half unit). den must not be zero.
func checkRate(stated fiscal.Decimal, num, den amount, tol fiscal.Decimal) rateCheck {
	recomputed, _ := fiscal.Percent(num.fen, den.fen, stated.Places)
	if recomputed.Cmp(stated) == 0 {
		return rateCheck{rec: recomputed, v: holds}
	}
	lo, hi, ok := rateRange(num, den)
	if !ok {
		return rateCheck{rec: recomputed, v: rounding} // the base itself may be zero
	}
	rc := rateCheck{rec: recomputed, v: fails, lo: lo, hi: hi}
	t := decRat(tol)
	s := decRat(stated)
	if s.Cmp(new(big.Rat).Sub(lo, t)) >= 0 && s.Cmp(new(big.Rat).Add(hi, t)) <= 0 {
		rc.v = rounding
	}
	return rc
}

// rateCheck is the verdict on a stated percentage: the one recomputed from
// the printed figures (to the stated places), and the range the figures
// allow (their rounding bounds), for the message.
type rateCheck struct {
	rec    fiscal.Decimal
	v      verdict
	lo, hi *big.Rat // nil when not worked out
}

// allowed writes the range of rates the printed figures allow, one place
// finer than stated: 2.504% 至 2.506%; "" when there is none.
func (rc rateCheck) allowed() string {
	if rc.lo == nil {
		return ""
	}
	lo, hi := rc.lo.FloatString(rc.rec.Places+1), rc.hi.FloatString(rc.rec.Places+1)
	if lo == hi {
		return lo + "%"
	}
	return lo + "% 至 " + hi + "%"
}

// rateRange returns the least and greatest 100 × n ÷ d for n and d within
// their rounding bounds; ok is false when d may be zero.
func rateRange(num, den amount) (lo, hi *big.Rat, ok bool) {
	d0, dh := 2*den.fen, den.half
	if dh >= abs(d0) {
		return nil, nil, false
	}
	n0, nh := 2*num.fen, num.half
	for _, n := range []int64{n0 - nh, n0 + nh} {
		for _, d := range []int64{d0 - dh, d0 + dh} {
			r := new(big.Rat).SetFrac(big.NewInt(n*100), big.NewInt(d))
			if lo == nil || r.Cmp(lo) < 0 {
				lo = r
			}
			if hi == nil || r.Cmp(hi) > 0 {
				hi = r
			}
		}
	}
	return lo, hi, true
}

func decRat(d fiscal.Decimal) *big.Rat {
	return new(big.Rat).SetFrac(big.NewInt(d.V), big.NewInt(pow10(d.Places)))
}

// exact formats num ÷ den as a decimal with at least minPlaces decimals
// and as many more (up to 10) as the value needs to be exact.
func exact(num, den int64, minPlaces int) string {
	p := minPlaces
	for ; p < 10; p++ {
		n := new(big.Int).Mul(big.NewInt(num), big.NewInt(pow10(p)))
		if new(big.Int).Rem(n, big.NewInt(den)).Sign() == 0 {
			break
		}
	}
	r := new(big.Rat).SetFrac(big.NewInt(num), big.NewInt(den))
	s := r.FloatString(p)
	if s == "-0" || strings.HasPrefix(s, "-0.") && strings.Trim(s[3:], "0") == "" {
		s = s[1:]
	}
	return s
}

// places returns the decimals exact needs for fen in unit u, at least min.
func places(fen int64, u fiscal.Unit, min int) int {
	s := exact(fen, u.Fen(), min)
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

// money formats fen in unit u as tables print it, with thousands
// separators and two decimals (more where the value needs them), with its
// unit: 2,966.24万元.
func money(fen int64, u fiscal.Unit) string {
	return fiscal.FormatAmount(fen, u, places(fen, u, 2)) + u.String()
}

// plain formats fen in unit u with no separators and two decimals (more
// where needed), for the expected/found/difference of JSON output.
func plain(fen int64, u fiscal.Unit) string { return exact(fen, u.Fen(), 2) }

// halfString formats a bound in half-分 in unit u.
func halfString(h int64, u fiscal.Unit) string {
	return exact(h, 2*u.Fen(), 2) + u.String()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
