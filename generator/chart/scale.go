package chart

import (
	"math"
	"math/big"
)

// axis maps values onto a span of the chart: lo maps to from, hi to to.
// Everything is integer: values in 分 (or counts), positions in tenths.
type axis struct {
	lo, hi   int64 // the domain, lo < hi; both multiples of step
	step     int64 // distance between ticks
	from, to px
}

// niceSteps are the round multiples ticks may fall on, per power of ten.
var niceSteps = []int64{1, 2, 5}

// niceAxis returns a domain covering [min(0,lo), max(0,hi)] with round
// ticks at most maxTicks intervals apart, in value units; unit is the
// smallest step allowed (one printed unit's hundredth: 1 分 for money in
// 元, 100 分 for 万元 at two decimals...).
func niceAxis(lo, hi int64, maxTicks int, minStep int64) axis {
	lo, hi = min(lo, 0), max(hi, 0)
	if lo == hi {
		hi = lo + minStep
	}
	maxTicks = max(maxTicks, 1)
	// lo <= 0 <= hi, so hi-lo is below 2^64: exact in uint64. A step s
	// serves when s×maxTicks >= span, that is when s >= ⌈span/maxTicks⌉.
	span := uint64(hi) - uint64(lo)
	need := span / uint64(maxTicks)
	if span%uint64(maxTicks) != 0 {
		need++
	}
	// The smallest nice step with span/step <= maxTicks.
	step := minStep
	for p := minStep; ; p *= 10 {
		found := false
		for _, m := range niceSteps {
			s := p * m
			if s <= 0 { // overflow: take the largest we have
				found = true
				break
			}
			if uint64(s) >= need {
				step = s
				found = true
				break
			}
		}
		if found || p > (1<<62)/10 {
			break
		}
	}
	a := axis{step: step}
	a.lo = floorTo(lo, step)
	a.hi = ceilTo(hi, step)
	if a.lo == a.hi {
		a.hi = a.lo + step
	}
	return a
}

func floorTo(v, step int64) int64 {
	q := v / step
	if v%step != 0 && v < 0 {
		q--
	}
	return q * step
}

func ceilTo(v, step int64) int64 {
	q := v / step
	if v%step != 0 && v > 0 {
		q++
	}
	return q * step
}

// ticks lists the tick values from lo to hi.
func (a axis) ticks() []int64 {
	var t []int64
	for v := a.lo; v <= a.hi; v += a.step {
		t = append(t, v)
	}
	return t
}

// pos maps v to a position, rounded half away from zero to a tenth.
func (a axis) pos(v int64) px {
	return a.from + scaleRound(v-a.lo, int64(a.to-a.from), a.hi-a.lo)
}

// scaleRound returns num×mul/den rounded half away from zero, exactly
// (big integers: 分 times tenths overflow int64 for large budgets).
func scaleRound(num, mul, den int64) px {
	if den > 0 && num > math.MinInt64 && mul > math.MinInt64 && productFits(num, mul) {
		// The usual case fits in int64.
		n := num * mul
		neg := n < 0
		n = abs64(n)
		q, r := n/den, n%den
		if r >= den-r {
			q++
		}
		if neg {
			q = -q
		}
		return px(q)
	}
	return scaleRoundBig(num, mul, den)
}

// productFits reports whether num×mul fits in an int64 (for num and mul
// above math.MinInt64).
func productFits(num, mul int64) bool { return mul == 0 || abs64(num) <= math.MaxInt64/abs64(mul) }

// scaleRoundBig is scaleRound in big integers, for any operands.
func scaleRoundBig(num, mul, den int64) px {
	n := new(big.Int).Mul(big.NewInt(num), big.NewInt(mul))
	d := big.NewInt(den)
	neg := (n.Sign() < 0) != (d.Sign() < 0)
	n.Abs(n)
	d.Abs(d)
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	if r.Lsh(r, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return px(q.Int64())
}

// minStep is the smallest tick step of a quantity: a hundredth of its
// printed unit for money, one for counts.
func (q Quantity) minStep() int64 {
	if q.Unit == 0 {
		return 1
	}
	return max(q.Unit.Fen()/100, 1)
}

// tickLabels returns the labels of the ticks of a.
func (q Quantity) tickLabels(a axis) []string {
	var out []string
	for _, t := range a.ticks() {
		out = append(out, q.tick(t, a.step))
	}
	return out
}

// fitAxis chooses the domain of values lo..hi over a span of length
// length (from 0), with as many round ticks as leave their labels apart,
// as axisLabels places them.
func (q Quantity) fitAxis(lo, hi int64, length px) axis {
	for n := 8; n > 1; n-- {
		a := niceAxis(lo, hi, n, q.minStep())
		a.from, a.to = 0, length
		if !overlapping(tickSpans(q, a, 0, length)) {
			return a
		}
	}
	return niceAxis(lo, hi, 1, q.minStep())
}

// span is the horizontal extent of a tick label.
type span struct{ x0, x1 px }

// tickSpans places the tick labels of a: centred on their ticks, except
// that a label that would leave [left, right] is anchored at its end
// instead. It returns each label's extent and text anchor.
func tickSpans(q Quantity, a axis, left, right px) []tickLabel {
	labels := q.tickLabels(a)
	out := make([]tickLabel, len(labels))
	for i, t := range a.ticks() {
		x := a.pos(t)
		wd := textWidth(labels[i], fontSmall)
		out[i] = tickLabel{labels[i], "middle", span{x - wd/2, x + wd/2}, t}
		switch {
		case x-wd/2 < left:
			out[i].anchor, out[i].span = "start", span{x, x + wd}
		case x+wd/2 > right:
			out[i].anchor, out[i].span = "end", span{x - wd, x}
		}
	}
	return out
}

type tickLabel struct {
	text   string
	anchor string
	span
	value int64
}

// overlapping reports whether neighbouring labels come closer than 4 units.
func overlapping(ls []tickLabel) bool {
	for i := 1; i < len(ls); i++ {
		if ls[i].x0 < ls[i-1].x1+u(4) {
			return true
		}
	}
	return false
}
