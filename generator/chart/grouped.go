package chart

import (
	"fmt"
	"strings"
)

// Series names one series of a two-series chart.
type Series struct {
	// Name is shown in the legend: 2019年预算（由增减额推算）.
	Name string
	// Short is printed before each of the series' values: 上年. Empty
	// means the value alone.
	Short string
}

// Group is one item of a grouped bar chart: its values in the earlier and
// the later series.
type Group struct {
	Label  string
	Values [2]int64
}

// Grouped bar geometry, in user units.
const (
	groupBar    = 14
	groupBarGap = 4
	swatch      = 12
)

// Grouped draws two bars per group, the earlier series (last year, the
// budget) above the later one (this year, the final account), each bar
// followed by the series' short name and its value; every group states its
// change from the earlier to the later value with ▲/▼, 增加/减少 and the
// signed rate, so the direction never rests on colour. Groups zero in both
// series are named on one line below instead of drawn. ErrNoData if there
// are no groups or every value is zero.
func Grouped(s Spec, series [2]Series, groups []Group) (Chart, error) {
	if err := s.check(); err != nil {
		return Chart{}, err
	}
	var values []int64
	var prefixes []string
	var shown []Group
	var zeros []string
	for _, g := range groups {
		if g.Values == [2]int64{} {
			zeros = append(zeros, g.Label)
			continue
		}
		shown = append(shown, g)
		for i, v := range g.Values {
			values = append(values, v)
			prefixes = append(prefixes, series[i].Short)
		}
	}
	if len(shown) == 0 {
		return Chart{}, ErrNoData
	}
	q := s.Quantity
	ax, _ := valueAxis(q, values, u(0), u(Width), prefixes...)

	var body writer
	var gr grid
	y := legend(&body, []string{series[0].Name, series[1].Name}, []string{seriesFill[1], seriesFill[0]}, []string{"mark mark-alt", "mark"}, u(0))
	y += u(8)
	for _, g := range shown {
		mark := changeMark(q, g.Values[0], g.Values[1])
		mw := textWidth(mark, fontSmall)
		room := u(Width) - mw - u(8)
		if lines, cut := wrap(g.Label, room, fontLabel, 1); !cut && len(lines) == 1 {
			body.element("text", lines[0], "x", u(0), "y", y+ascent(fontLabel))
			body.element("text", mark, "class", "change", "x", u(Width), "y", y+ascent(fontLabel), "font-size", fontSmall, "text-anchor", "end", "fill", colMuted)
			y += lineStep(fontLabel)
		} else {
			y = labelBlock(&body, g.Label, y, u(Width))
			body.element("text", mark, "class", "change", "x", u(0), "y", y+ascent(fontSmall), "font-size", fontSmall, "fill", colMuted)
			y += lineStep(fontSmall)
		}
		y += u(barGap)
		gr.segments(ax, y-u(1), y+2*u(groupBar)+u(groupBarGap)+u(1))
		for i, v := range g.Values {
			drawBar(&body, q, ax, v, y, u(groupBar), 1-i, series[i].Short)
			y += u(groupBar)
			if i == 0 {
				y += u(groupBarGap)
			}
		}
		y += u(rowGap)
	}
	height := axisLabels(&body, q, ax, y-u(rowGap)+u(4))
	if len(zeros) > 0 {
		height = zeroNote(&body, "两年均为0："+strings.Join(zeros, "、"), height+u(4))
	}
	desc := s.finding(groupFinding(q, series, groups))
	var w writer
	w.frame(s, "grouped", height, desc)
	gr.write(&w)
	w.b.WriteString(body.b.String())
	w.close("svg")
	return Chart{SVG: w.b.String(), Desc: desc, Height: int(height / 10)}, nil
}

func itemsOf(values []int64) []Item {
	items := make([]Item, len(values))
	for i, v := range values {
		items[i].Value = v
	}
	return items
}

// legend writes swatches with their names, flowing onto more lines when
// they do not fit, and returns the y below it.
func legend(w *writer, names, fills, classes []string, y px) px {
	x := px(0)
	line := y
	for i, name := range names {
		name, _ = fit(name, u(Width)-u(swatch)-u(6), fontSmall)
		need := u(swatch) + u(6) + textWidth(name, fontSmall)
		if x > 0 && x+need > u(Width) {
			x = 0
			line += lineStep(fontSmall) + u(2)
		}
		top := line + (lineStep(fontSmall)-u(swatch))/2
		w.empty("rect", "class", classes[i], "x", x, "y", top, "width", u(swatch), "height", u(swatch), "fill", fills[i])
		w.element("text", name, "x", x+u(swatch)+u(6), "y", line+ascent(fontSmall), "font-size", fontSmall)
		x += need + u(16)
	}
	return line + lineStep(fontSmall)
}

// groupFinding describes a grouped chart: the totals of both series and
// their change, and the group that changed most.
func groupFinding(q Quantity, series [2]Series, groups []Group) string {
	var t0, t1 int64
	most, mostD := -1, int64(0)
	for i, g := range groups {
		t0 += g.Values[0]
		t1 += g.Values[1]
		if d := abs64(g.Values[1] - g.Values[0]); d > mostD {
			most, mostD = i, d
		}
	}
	name := func(s Series) string { return strings.TrimSpace(s.Name) }
	var b strings.Builder
	if len(groups) == 1 {
		g := groups[0]
		fmt.Fprintf(&b, "%s：%s%s，%s%s，%s。", g.Label, name(series[1]), q.Prose(g.Values[1]), name(series[0]), q.Prose(g.Values[0]), changePhrase(q, g.Values[0], g.Values[1], series[0].Name))
		return b.String()
	}
	fmt.Fprintf(&b, "%d项合计：%s%s，%s%s，%s。", len(groups), name(series[1]), q.Prose(t1), name(series[0]), q.Prose(t0), changePhrase(q, t0, t1, series[0].Name))
	if most < 0 {
		b.WriteString("各项均无变化。")
		return b.String()
	}
	g := groups[most]
	verb := "增加"
	if g.Values[1] < g.Values[0] {
		verb = "减少"
	}
	fmt.Fprintf(&b, "变化最大的是%s，由%s%s到%s。", g.Label, q.Prose(g.Values[0]), verb, q.Prose(g.Values[1]))
	return b.String()
}
