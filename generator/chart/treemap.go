package chart

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// TreeGroup is a top-level part of a treemap (a 类) with its items (款).
type TreeGroup struct {
	Label string
	Items []Item
}

// treeHeight is the height of the map itself, in user units.
const treeHeight = 240

// Treemap draws a two-level composition as nested rectangles (squarified,
// so cells stay near square), one colour per group, white borders between
// cells and thicker ones between groups, and a colour legend of the groups
// below. A cell shows its label and share only where they fit: the
// treemap is an overview, and the page must show a table of the same
// figures beside it. Zero items are left out; ErrNegative if a value is
// negative, ErrNoData if all are zero. Levels name the two levels in the
// finding (类, 款); empty means 组, 项.
func Treemap(s Spec, levels [2]string, groups []TreeGroup) (Chart, error) {
	if err := s.check(); err != nil {
		return Chart{}, err
	}
	var gs []TreeGroup
	for _, g := range groups {
		var items []Item
		for _, it := range g.Items {
			if it.Value < 0 {
				return Chart{}, fmt.Errorf("%w: %s", ErrNegative, it.Label)
			}
			if it.Value > 0 {
				items = append(items, it)
			}
		}
		if len(items) > 0 {
			gs = append(gs, TreeGroup{Label: g.Label, Items: items})
		}
	}
	if len(gs) == 0 {
		return Chart{}, ErrNoData
	}
	q := s.Quantity
	var total int64
	gTotals := make([]int64, len(gs))
	for i, g := range gs {
		gTotals[i] = sum(g.Items)
		total += gTotals[i]
	}

	var body writer
	full := rect{0, 0, Width, treeHeight}
	groupRects := squarify(gTotals, full)
	for gi, g := range gs {
		c := palette[gi%len(palette)]
		gr := groupRects[gi]
		if gr.w > 6 && gr.h > 6 {
			gr = gr.inset(1.5)
		}
		values := make([]int64, len(g.Items))
		for i, it := range g.Items {
			values[i] = it.Value
		}
		for ii, r := range squarify(values, gr) {
			it := g.Items[ii]
			x0, y0, x1, y1 := r.snap()
			if x1 <= x0 || y1 <= y0 {
				continue // too small to see: the table beside lists it
			}
			body.empty("rect", "class", "mark", "x", x0, "y", y0, "width", x1-x0, "height", y1-y0,
				"fill", c.Fill, "stroke", colSep, "stroke-width", 1)
			cellLabel(&body, it.Label, share(it.Value, total), x0, y0, x1, y1, c.OnMark)
		}
		x0, y0, x1, y1 := groupRects[gi].snap()
		if x1 <= x0 || y1 <= y0 {
			continue
		}
		body.empty("rect", "class", "sep", "x", x0, "y", y0, "width", x1-x0, "height", y1-y0,
			"fill", "none", "stroke", colSep, "stroke-width", 3)
	}
	// The legend: one swatch per group with its total and share.
	y := u(treeHeight) + u(10)
	for gi, g := range gs {
		value := q.Label(gTotals[gi]) + "（" + share(gTotals[gi], total) + "）"
		y = legendRow(&body, "mark", palette[gi%len(palette)].Fill, g.Label, value, y)
	}
	if levels[0] == "" {
		levels = [2]string{"组", "项"}
	}
	desc := s.finding(treeFinding(q, levels, gs, gTotals, total))
	var w writer
	w.frame(s, "treemap", y, desc)
	w.b.WriteString(body.b.String())
	w.close("svg")
	return Chart{SVG: w.b.String(), Desc: desc, Height: int(y / 10)}, nil
}

// cellLabel writes a cell's label and share inside it, as many lines as
// fit, or nothing when not even a line and the share fit.
func cellLabel(w *writer, label, pct string, x0, y0, x1, y1 px, fill string) {
	inner := x1 - x0 - u(8)
	rows := int((y1 - y0 - u(6)) / lineStep(fontSmall))
	if rows < 2 || inner < textWidth("四个字…", fontSmall) || textWidth(pct, fontSmall) > inner {
		return
	}
	lines, _ := wrap(label, inner, fontSmall, min(rows-1, 3))
	if len(lines) == 0 {
		return
	}
	lines = append(lines, pct)
	for i, l := range lines {
		w.element("text", l, "class", "on-mark", "x", x0+u(4), "y", y0+u(3)+ascent(fontSmall)+px(i)*lineStep(fontSmall), "font-size", fontSmall, "fill", fill)
	}
}

// rect is a rectangle in user units (floating point while laying out).
type rect struct{ x, y, w, h float64 }

func (r rect) inset(d float64) rect {
	return rect{r.x + d, r.y + d, math.Max(r.w-2*d, 0), math.Max(r.h-2*d, 0)}
}

// snap rounds the corners to tenths; neighbours share their rounded edges,
// so no gap or overlap appears.
func (r rect) snap() (x0, y0, x1, y1 px) {
	t := func(f, hi float64) px { return px(math.Round(float64(math.Min(math.Max(f, 0), hi) * 10))) }
	return t(r.x, Width), t(r.y, treeHeight), t(float64(r.x+r.w), Width), t(float64(r.y+r.h), treeHeight)
}

// squarify lays values (positive) out in r as rectangles of proportional
// area, in the order of the values (largest first for the squarest cells):
// Bruls, Huizing and van Wijk's squarified treemap. The result is indexed
// like values.
func squarify(values []int64, r rect) []rect {
	idx := make([]int, len(values))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(values[b], values[a]) })
	var total float64
	for _, v := range values {
		total += float64(v)
	}
	area := float64(r.w * r.h)
	sizes := make([]float64, len(values))
	for i, v := range values {
		sizes[i] = float64(float64(v)/total) * area
	}
	out := make([]rect, len(values))
	var row []int
	for _, i := range idx {
		side := math.Min(r.w, r.h)
		if len(row) == 0 || worst(sizes, append(row, i), side) <= worst(sizes, row, side) {
			row = append(row, i)
			continue
		}
		r = layoutRow(sizes, row, r, out)
		row = []int{i}
	}
	if len(row) > 0 {
		layoutRow(sizes, row, r, out)
	}
	return out
}

// worst is the largest aspect ratio of a row of the given cells along a
// side of length side.
func worst(sizes []float64, row []int, side float64) float64 {
	var s, hi, lo float64
	lo = math.Inf(1)
	for _, i := range row {
		s += sizes[i]
		hi = math.Max(hi, sizes[i])
		lo = math.Min(lo, sizes[i])
	}
	if s == 0 || lo == 0 {
		return math.Inf(1)
	}
	side2 := float64(side * side)
	s2 := float64(s * s)
	return math.Max(float64(side2*hi)/s2, s2/float64(side2*lo))
}

// layoutRow places a row along the shorter side of r and returns what is
// left of r.
func layoutRow(sizes []float64, row []int, r rect, out []rect) rect {
	var s float64
	for _, i := range row {
		s += sizes[i]
	}
	if r.w >= r.h {
		// A column at the left, cells stacked top to bottom.
		colW := 0.0
		if r.h > 0 {
			colW = s / r.h
		}
		y := r.y
		for _, i := range row {
			h := 0.0
			if colW > 0 {
				h = sizes[i] / colW
			}
			out[i] = rect{r.x, y, colW, h}
			y += h
		}
		return rect{r.x + colW, r.y, math.Max(r.w-colW, 0), r.h}
	}
	rowH := 0.0
	if r.w > 0 {
		rowH = s / r.w
	}
	x := r.x
	for _, i := range row {
		w := 0.0
		if rowH > 0 {
			w = sizes[i] / rowH
		}
		out[i] = rect{x, r.y, w, rowH}
		x += w
	}
	return rect{r.x, r.y + rowH, r.w, math.Max(r.h-rowH, 0)}
}

// treeFinding describes a treemap: its size, its largest group and its
// largest item.
func treeFinding(q Quantity, levels [2]string, gs []TreeGroup, gTotals []int64, total int64) string {
	n := 0
	bigG, bigI, bigIG := 0, -1, 0
	for gi, g := range gs {
		n += len(g.Items)
		if gTotals[gi] > gTotals[bigG] {
			bigG = gi
		}
		for ii, it := range g.Items {
			if bigI < 0 || it.Value > gs[bigIG].Items[bigI].Value {
				bigI, bigIG = ii, gi
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "共%d%s%d%s，合计%s。最大的%s是%s，为%s，占%s；最大的%s是%s下的%s，为%s，占%s。",
		len(gs), levels[0], n, levels[1], q.Prose(total), levels[0], gs[bigG].Label, q.Prose(gTotals[bigG]), share(gTotals[bigG], total),
		levels[1], gs[bigIG].Label, gs[bigIG].Items[bigI].Label, q.Prose(gs[bigIG].Items[bigI].Value), share(gs[bigIG].Items[bigI].Value, total))
	return b.String()
}
