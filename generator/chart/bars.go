package chart

import (
	"cmp"
	"slices"
	"strings"
)

// Rank returns the items sorted by value, largest first; items of equal
// value keep their order.
func Rank(items []Item) []Item {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b Item) int { return cmp.Compare(b.Value, a.Value) })
	return out
}

// Bar geometry, in user units.
const (
	barHeight = 14
	barGap    = 2  // between a label and its bar
	rowGap    = 10 // between one item's bar and the next item's label
	valueGap  = 4  // between a bar's end and its value
	maxLines  = 2  // lines of a label before it is cut
)

// Bars draws items as horizontal bars in the order given (use [Rank] for
// a ranking). Each label stands on its own line(s) above its bar and may
// use the chart's full width; it wraps to two lines and is then cut, its
// full text kept in a <title>. Values are printed at the end of their bar:
// right of it for a positive value, left of it for a negative one, which
// the zero line separates. ErrNoData if there are no items or all are zero.
func Bars(s Spec, items []Item) (Chart, error) {
	if err := s.check(); err != nil {
		return Chart{}, err
	}
	if allZero(items) {
		return Chart{}, ErrNoData
	}
	q := s.Quantity
	values := make([]int64, len(items))
	for i, it := range items {
		values[i] = it.Value
	}
	ax, _ := valueAxis(q, values, u(0), u(Width))

	var w writer
	var body writer
	var g grid
	y := px(0)
	for _, it := range items {
		y = labelBlock(&body, it.Label, y, u(Width))
		y += u(barGap)
		g.segments(ax, y-u(1), y+u(barHeight)+u(1))
		drawBar(&body, q, ax, it.Value, y, u(barHeight), 0, "")
		y += u(barHeight) + u(rowGap)
	}
	height := axisLabels(&body, q, ax, y-u(rowGap)+u(4))
	desc := s.finding(rankFinding(q, items, s.Apart))
	w.frame(s, "bars", height, desc)
	g.write(&w)
	w.b.WriteString(body.b.String())
	w.close("svg")
	return Chart{SVG: w.b.String(), Desc: desc, Height: int(height / 10)}, nil
}

func allZero(items []Item) bool {
	for _, it := range items {
		if it.Value != 0 {
			return false
		}
	}
	return true
}

// valueAxis lays values along [from, to], keeping room at each end for the
// longest value label printed beyond a bar's end, and returns the axis and
// the labels. Labels are as long as the quantity prints them, with prefix
// (a series name and a space) if given.
func valueAxis(q Quantity, values []int64, from, to px, prefix ...string) (axis, []string) {
	var lo, hi int64
	var posRoom, negRoom px
	labels := make([]string, len(values))
	for i, v := range values {
		lo, hi = min(lo, v), max(hi, v)
		l := q.Label(v)
		if len(prefix) > i && prefix[i] != "" {
			l = prefix[i] + " " + l
		}
		labels[i] = l
		w := textWidth(l, fontSmall) + u(valueGap)
		if v < 0 {
			negRoom = max(negRoom, w)
		} else {
			posRoom = max(posRoom, w)
		}
	}
	ax := q.fitAxis(lo, hi, to-negRoom-(from+posRoom))
	ax.from, ax.to = from+negRoom, to-posRoom
	// fitAxis placed the labels from 0; placed at from+negRoom they keep
	// their spacing, and axisLabels anchors the ends inside the chart.
	// The domain may end beyond the largest value (on a round tick); only
	// the values need the room, so a round end is at most at ax.to.
	return ax, labels
}

// labelBlock writes a label of up to two lines from the top y and returns
// the y below it.
func labelBlock(w *writer, label string, y, width px) px {
	lines, cut := wrap(label, width, fontLabel, maxLines)
	if len(lines) == 0 {
		lines = []string{" "}
	}
	if cut {
		w.open("g")
		w.element("title", label)
	}
	for i, l := range lines {
		w.element("text", l, "x", u(0), "y", y+ascent(fontLabel)+px(i)*lineStep(fontLabel))
	}
	if cut {
		w.close("g")
	}
	return y + px(len(lines))*lineStep(fontLabel)
}

// drawBar writes the bar of v from the zero line, top at y, and its value
// label (prefix, if any, before the value). Series picks the colour.
func drawBar(w *writer, q Quantity, ax axis, v int64, y, h px, series int, prefix string) {
	// The length is the value scaled once and rounded once, so lengths are
	// proportional to the values within a twentieth of a unit.
	zero := ax.pos(0)
	width := scaleRound(abs64(v), int64(ax.to-ax.from), ax.hi-ax.lo)
	x, end := zero, zero+width
	if v < 0 {
		x, end = zero-width, zero-width
	}
	class, fill, stroke := "mark", seriesFill[series], ""
	if series == 1 {
		class = "mark mark-alt"
	}
	if v < 0 {
		class += " mark-neg"
	}
	if width > 0 {
		w.empty("rect", "class", class, "x", x, "y", y, "width", width, "height", h, "fill", fill, "stroke", stroke)
	}
	label := q.Label(v)
	if prefix != "" {
		label = prefix + " " + label
	}
	base := y + h/2 + (ascent(fontSmall)-descent(fontSmall))/2
	if v < 0 {
		w.element("text", label, "x", end-u(valueGap), "y", base, "font-size", fontSmall, "text-anchor", "end")
	} else {
		w.element("text", label, "x", end+u(valueGap), "y", base, "font-size", fontSmall)
	}
}

// grid collects the tick lines behind the bars, and the zero line, as
// two paths: one element each however many bars there are.
type grid struct{ ticks, zero strings.Builder }

// segments adds the tick lines of ax between y0 and y1 (behind a bar).
func (g *grid) segments(ax axis, y0, y1 px) {
	for _, t := range ax.ticks() {
		b := &g.ticks
		if t == 0 {
			b = &g.zero
		}
		b.WriteString("M" + ax.pos(t).String() + " " + y0.String() + "V" + y1.String())
	}
}

// write writes the paths, the ticks light and the zero line stronger.
func (g *grid) write(w *writer) {
	if g.ticks.Len() > 0 {
		w.empty("path", "class", "grid", "d", g.ticks.String(), "stroke", colGrid, "stroke-width", 1, "fill", "none")
	}
	if g.zero.Len() > 0 {
		w.empty("path", "class", "axis", "d", g.zero.String(), "stroke", colAxis, "stroke-width", 1, "fill", "none")
	}
}

// axisLabels writes the tick labels of ax below y and returns the y below
// them. The outer labels are anchored inside the chart; where labels would
// still touch, zero and the ends win and the others are left out (their
// grid lines stay).
func axisLabels(w *writer, q Quantity, ax axis, y px) px {
	base := y + ascent(fontSmall)
	labels := tickSpans(q, ax, 0, u(Width))
	// Zero first, then the ends, then the rest in order.
	order := make([]int, 0, len(labels)+2)
	for i, l := range labels {
		if l.value == 0 {
			order = append(order, i)
		}
	}
	order = append(order, 0, len(labels)-1)
	for i := range labels {
		order = append(order, i)
	}
	shown := make([]bool, len(labels))
	for _, i := range order {
		if shown[i] {
			continue
		}
		free := true
		for j := range labels {
			if shown[j] && labels[i].x0 < labels[j].x1+u(4) && labels[j].x0 < labels[i].x1+u(4) {
				free = false
			}
		}
		shown[i] = free
	}
	w.open("g", "class", "ticks", "font-size", fontSmall, "fill", colMuted)
	for i, l := range labels {
		if shown[i] {
			w.element("text", l.text, "x", ax.pos(l.value), "y", base, "text-anchor", l.anchor)
		}
	}
	w.close("g")
	return base + descent(fontSmall) + u(2)
}
