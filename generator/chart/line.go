package chart

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Point is one value of a line: X indexes the labels of the x axis.
type Point struct {
	X     int
	Value int64
}

// LineSeries is one line. Its points are in X order; a gap in X (a year
// without this kind of disclosure) breaks the line.
type LineSeries struct {
	Name   string
	Points []Point
}

// Line geometry, in user units.
const (
	plotHeight = 150
	markerSize = 8
)

// Line draws up to two series across the labels xs (years): the first as
// a solid line with round markers, the second dashed with square markers,
// so they differ in more than colour. Values are printed at the points
// where there is room for all of them.
// The value axis starts at zero. ErrNoData unless some series has two
// points and some value is not zero.
func Line(s Spec, xs []string, series []LineSeries) (Chart, error) {
	if err := s.check(); err != nil {
		return Chart{}, err
	}
	if len(series) == 0 || len(series) > 2 {
		return Chart{}, errors.New("chart: a line chart has one or two series")
	}
	var values []int64
	enough := false
	for _, sr := range series {
		enough = enough || len(sr.Points) >= 2
		for _, p := range sr.Points {
			if p.X < 0 || p.X >= len(xs) {
				return Chart{}, fmt.Errorf("chart: point %d of %s is outside the %d labels", p.X, sr.Name, len(xs))
			}
			values = append(values, p.Value)
		}
	}
	if !enough || allZero(itemsOf(values)) {
		return Chart{}, ErrNoData
	}
	q := s.Quantity
	lo, hi := slices.Min(values), slices.Max(values)

	var body writer
	y := lineLegend(&body, series)
	labelRoom := lineStep(fontSmall) + u(6)
	top := y + u(6) + px(len(series))*labelRoom
	bottom := top + u(plotHeight)

	// The value axis: as many round ticks as fit one above the other.
	var ax axis
	for n := 6; n >= 1; n-- {
		ax = niceAxis(lo, hi, n, q.minStep())
		if k := len(ax.ticks()) - 1; k <= 1 || u(plotHeight)/px(k) >= lineStep(fontSmall)+u(6) {
			break
		}
	}
	ax.from, ax.to = bottom, top
	tickLabels := q.tickLabels(ax)
	left := px(0)
	for _, l := range tickLabels {
		left = max(left, textWidth(l, fontSmall))
	}
	left += u(8)
	right := u(Width) - u(2)

	// x positions, inset so that a label centred on the first or last
	// point stays inside the plot.
	xLabels := make([]string, len(xs))
	widest := px(0)
	for i, x := range xs {
		xLabels[i] = x
		widest = max(widest, textWidth(x, fontSmall))
	}
	valueW := px(0)
	for _, v := range values {
		valueW = max(valueW, textWidth(q.Label(v), fontSmall))
	}
	inset := max(widest, valueW)/2 + u(2)
	xpos := func(i int) px {
		if len(xs) == 1 {
			return (left + right) / 2
		}
		return left + inset + scaleRound(int64(i), int64(right-left-2*inset), int64(len(xs)-1))
	}
	spacing := right - left - 2*inset
	if len(xs) > 1 {
		spacing /= px(len(xs) - 1)
	}

	// Grid and value axis.
	body.open("g", "class", "grid", "stroke", colGrid, "stroke-width", 1)
	for _, t := range ax.ticks() {
		if t != 0 {
			body.empty("line", "x1", left, "y1", ax.pos(t), "x2", right, "y2", ax.pos(t))
		}
	}
	body.close("g")
	body.empty("line", "class", "axis", "x1", left, "y1", ax.pos(0), "x2", right, "y2", ax.pos(0), "stroke", colAxis, "stroke-width", 1)
	body.open("g", "class", "ticks", "font-size", fontSmall, "fill", colMuted, "text-anchor", "end")
	for i, t := range ax.ticks() {
		body.element("text", tickLabels[i], "x", left-u(6), "y", ax.pos(t)+(ascent(fontSmall)-descent(fontSmall))/2)
	}
	body.close("g")

	// x labels, every k-th so they do not touch, always the last.
	k := 1
	for spacing > 0 && px(k)*spacing < widest+u(8) {
		k++
	}
	body.open("g", "class", "ticks", "font-size", fontSmall, "fill", colMuted, "text-anchor", "middle")
	for i, l := range xLabels {
		if (len(xs)-1-i)%k == 0 {
			body.element("text", l, "x", xpos(i), "y", bottom+u(6)+ascent(fontSmall))
		}
	}
	body.close("g")
	height := bottom + u(6) + ascent(fontSmall) + descent(fontSmall) + u(2)

	// Lines and markers.
	for si, sr := range series {
		class, dash := "line", ""
		if si == 1 {
			class, dash = "line line-alt", "6 3"
		}
		for _, run := range runs(sr.Points) {
			if len(run) < 2 {
				continue
			}
			var pts []string
			for _, p := range run {
				pts = append(pts, xpos(p.X).String()+","+ax.pos(p.Value).String())
			}
			body.empty("polyline", "class", class, "points", strings.Join(pts, " "), "fill", "none",
				"stroke", seriesFill[si], "stroke-width", 2, "stroke-dasharray", dash)
		}
		for _, p := range sr.Points {
			marker(&body, si, xpos(p.X), ax.pos(p.Value))
		}
	}

	// Value labels: above the higher point of an x, below the lower one
	// (or above the first label when below would leave the plot); none
	// where labels would reach the next x (the data table has them).
	labelAll := len(xs) == 1 || spacing >= valueW+u(6)
	for x := range xs {
		if !labelAll {
			break
		}
		type lab struct {
			y    px
			text string
		}
		var labs []lab
		for _, sr := range series {
			for _, p := range sr.Points {
				if p.X == x {
					labs = append(labs, lab{ax.pos(p.Value), q.Label(p.Value)})
				}
			}
		}
		slices.SortStableFunc(labs, func(a, b lab) int { return int(a.y - b.y) })
		var above px
		for i, l := range labs {
			base := l.y - u(markerSize)/2 - u(3) - descent(fontSmall)
			if i == 1 {
				base = l.y + u(markerSize)/2 + u(3) + ascent(fontSmall)
				if base+descent(fontSmall) > bottom-u(1) {
					base = above - lineStep(fontSmall)
				}
			}
			above = base
			body.element("text", l.text, "class", "value", "x", xpos(x), "y", base, "font-size", fontSmall, "text-anchor", "middle")
		}
	}

	desc := s.finding(lineFinding(q, xs, series))
	var w writer
	w.frame(s, "line", height, desc)
	w.b.WriteString(body.b.String())
	w.close("svg")
	return Chart{SVG: w.b.String(), Desc: desc, Height: int(height / 10)}, nil
}

// runs splits points into runs of consecutive X.
func runs(points []Point) [][]Point {
	var out [][]Point
	for i, p := range points {
		if i == 0 || p.X != points[i-1].X+1 {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], p)
	}
	return out
}

// marker draws series si's marker at (x, y): a circle, or a square.
func marker(w *writer, si int, x, y px) {
	r := u(markerSize) / 2
	if si == 0 {
		w.empty("circle", "class", "mark", "cx", x, "cy", y, "r", r, "fill", seriesFill[0], "stroke", colSep, "stroke-width", 1)
		return
	}
	w.empty("rect", "class", "mark mark-alt", "x", x-r, "y", y-r, "width", 2*r, "height", 2*r, "fill", seriesFill[1], "stroke", colSep, "stroke-width", 1)
}

// lineLegend writes each series' line sample and name and returns the y
// below the legend.
func lineLegend(w *writer, series []LineSeries) px {
	x := px(0)
	line := px(0)
	for si, sr := range series {
		name, _ := fit(sr.Name, u(Width)-u(30), fontSmall)
		need := u(24) + u(6) + textWidth(name, fontSmall)
		if x > 0 && x+need > u(Width) {
			x = 0
			line += lineStep(fontSmall) + u(2)
		}
		mid := line + lineStep(fontSmall)/2
		class, dash := "line", ""
		if si == 1 {
			class, dash = "line line-alt", "6 3"
		}
		w.empty("line", "class", class, "x1", x, "y1", mid, "x2", x+u(24), "y2", mid, "stroke", seriesFill[si], "stroke-width", 2, "stroke-dasharray", dash)
		marker(w, si, x+u(12), mid)
		w.element("text", name, "x", x+u(30), "y", line+ascent(fontSmall), "font-size", fontSmall)
		x += need + u(16)
	}
	return line + lineStep(fontSmall)
}

// lineFinding describes each series from its first to its last point, and
// its peak.
func lineFinding(q Quantity, xs []string, series []LineSeries) string {
	var parts []string
	for _, sr := range series {
		if len(sr.Points) == 0 {
			continue
		}
		first, last := sr.Points[0], sr.Points[len(sr.Points)-1]
		if len(sr.Points) == 1 {
			parts = append(parts, fmt.Sprintf("%s：仅有%s，为%s", sr.Name, xs[first.X], q.Prose(first.Value)))
			continue
		}
		s := fmt.Sprintf("%s：从%s的%s到%s的%s，%s", sr.Name, xs[first.X], q.Prose(first.Value), xs[last.X], q.Prose(last.Value), changePhrase(q, first.Value, last.Value, xs[first.X]))
		peak := first
		for _, p := range sr.Points {
			if p.Value > peak.Value {
				peak = p
			}
		}
		if len(sr.Points) > 2 && peak != first && peak != last {
			s += fmt.Sprintf("；最高为%s的%s", xs[peak.X], q.Prose(peak.Value))
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "。") + "。"
}
