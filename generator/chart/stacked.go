package chart

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// Stacked bar geometry, in user units.
const (
	stackHeight = 28
	maxSegments = 6 // one per palette colour; smaller items fold into 其他
)

// Stacked draws a composition: one bar of 100% divided into the items in
// the order given, white separators between the segments, each segment's
// share printed on it where it fits, and a legend below in the same order
// with every value and share. Zero items are not segments; the legend
// names them on one line. More than six items fold the smallest into
// “其他N项”. ErrNegative if a value is negative, ErrNoData if all are zero.
func Stacked(s Spec, items []Item) (Chart, error) {
	if err := s.check(); err != nil {
		return Chart{}, err
	}
	var parts []Item
	var zeros []string
	for _, it := range items {
		switch {
		case it.Value < 0:
			return Chart{}, fmt.Errorf("%w: %s", ErrNegative, it.Label)
		case it.Value == 0:
			zeros = append(zeros, it.Label)
		default:
			parts = append(parts, it)
		}
	}
	if len(parts) == 0 {
		return Chart{}, ErrNoData
	}
	parts = fold(parts)
	q := s.Quantity
	total := sum(parts)
	widths := apportion(parts, u(Width))

	var body writer
	x := px(0)
	for i, it := range parts {
		c := palette[i%len(palette)]
		w := widths[i]
		body.empty("rect", "class", "mark seg-"+fmt.Sprint(i), "x", x, "y", u(0), "width", w, "height", u(stackHeight), "fill", c.Fill)
		label := share(it.Value, total)
		if textWidth(label, fontSmall)+u(8) <= w {
			body.element("text", label, "class", "on-mark", "x", x+w/2, "y", u(stackHeight)/2+(ascent(fontSmall)-descent(fontSmall))/2,
				"font-size", fontSmall, "text-anchor", "middle", "fill", c.OnMark)
		}
		x += w
	}
	x = 0
	body.open("g", "class", "sep", "stroke", colSep, "stroke-width", 2)
	for _, w := range widths[:len(widths)-1] {
		x += w
		body.empty("line", "x1", x, "y1", u(0), "x2", x, "y2", u(stackHeight))
	}
	body.close("g")

	y := u(stackHeight) + u(10)
	for i, it := range parts {
		value := q.Label(it.Value) + "（" + share(it.Value, total) + "）"
		y = legendRow(&body, "mark seg-"+fmt.Sprint(i), palette[i%len(palette)].Fill, it.Label, value, y)
	}
	if len(zeros) > 0 {
		y = zeroNote(&body, "为0："+strings.Join(zeros, "、"), y)
	}
	height := y
	desc := s.finding(stackFinding(q, parts, zeros))
	var w writer
	w.frame(s, "stacked", height, desc)
	w.b.WriteString(body.b.String())
	w.close("svg")
	return Chart{SVG: w.b.String(), Desc: desc, Height: int(height / 10)}, nil
}

// fold keeps the largest maxSegments-1 items, in their order, and adds the
// others up as 其他N项.
func fold(parts []Item) []Item {
	if len(parts) <= maxSegments {
		return parts
	}
	idx := make([]int, len(parts))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(parts[b].Value, parts[a].Value) })
	keep := make([]bool, len(parts))
	for _, i := range idx[:maxSegments-1] {
		keep[i] = true
	}
	var out []Item
	var rest int64
	n := 0
	for i, it := range parts {
		if keep[i] {
			out = append(out, it)
		} else {
			rest += it.Value
			n++
		}
	}
	return append(out, Item{Label: fmt.Sprintf("其他%d项", n), Value: rest})
}

// apportion divides length among the items in proportion to their
// (positive) values, to the tenth, by largest remainder: the widths add up
// to length exactly and each is within a tenth of its exact share.
func apportion(items []Item, length px) []px {
	total := big.NewInt(sum(items))
	widths := make([]px, len(items))
	rems := make([]*big.Int, len(items))
	used := px(0)
	for i, it := range items {
		num := new(big.Int).Mul(big.NewInt(it.Value), big.NewInt(int64(length)))
		q, r := new(big.Int).QuoRem(num, total, new(big.Int))
		widths[i] = px(q.Int64())
		rems[i] = r
		used += widths[i]
	}
	for left := length - used; left > 0; left-- {
		best := -1
		for i := range items {
			if rems[i] != nil && (best < 0 || rems[i].Cmp(rems[best]) > 0) {
				best = i
			}
		}
		widths[best]++
		rems[best] = nil
	}
	return widths
}

// stackFinding describes a composition: the total and every part's share.
func stackFinding(q Quantity, parts []Item, zeros []string) string {
	total := sum(parts)
	var b strings.Builder
	if len(parts) == 1 {
		fmt.Fprintf(&b, "合计%s，全部为%s", q.Prose(total), parts[0].Label)
	} else {
		fmt.Fprintf(&b, "合计%s。", q.Prose(total))
		for i, it := range Rank(parts) {
			if i > 0 {
				b.WriteString("；")
			}
			fmt.Fprintf(&b, "%s%s，占%s", it.Label, q.Prose(it.Value), share(it.Value, total))
		}
	}
	if len(zeros) > 0 {
		fmt.Fprintf(&b, "；%s为0", strings.Join(zeros, "、"))
	}
	b.WriteString("。")
	return b.String()
}

// legendRow writes a legend entry at y: a swatch of fill with class, the
// label (wrapped, its whole text in a <title> when cut) and, at the right,
// value. It returns the y of the next row.
func legendRow(w *writer, class, fill, label, value string, y px) px {
	vw := textWidth(value, fontSmall)
	lines, cut := wrap(label, u(Width)-u(swatch)-u(6)-vw-u(8), fontSmall, maxLines)
	w.empty("rect", "class", class, "x", u(0), "y", y+(lineStep(fontSmall)-u(swatch))/2,
		"width", u(swatch), "height", u(swatch), "fill", fill)
	if cut {
		w.open("g")
		w.element("title", label)
	}
	for j, l := range lines {
		w.element("text", l, "x", u(swatch)+u(6), "y", y+ascent(fontSmall)+px(j)*lineStep(fontSmall), "font-size", fontSmall)
	}
	if cut {
		w.close("g")
	}
	w.element("text", value, "x", u(Width), "y", y+ascent(fontSmall), "font-size", fontSmall, "text-anchor", "end")
	return y + px(max(len(lines), 1))*lineStep(fontSmall) + u(4)
}

// zeroNote writes a note naming the items that are zero, up to three
// lines from y (cut with its full text in a <title>), and returns the y
// below it.
func zeroNote(w *writer, note string, y px) px {
	lines, cut := wrap(note, u(Width), fontSmall, 3)
	if cut {
		w.open("g")
		w.element("title", note)
	}
	for j, l := range lines {
		w.element("text", l, "class", "note", "x", u(0), "y", y+ascent(fontSmall)+px(j)*lineStep(fontSmall), "font-size", fontSmall, "fill", colMuted)
	}
	if cut {
		w.close("g")
	}
	return y + px(len(lines))*lineStep(fontSmall) + u(4)
}
