package chart

import (
	"fmt"
	"strings"

	"github.com/disclose/disclose/generator/fiscal"
)

// The findings are the <desc> of the charts: one or two Chinese sentences
// a screen reader reads instead of the picture, stating what the chart
// shows first (the largest item and its share, the change against last
// year).

// share writes v's share of total: 80.71%; "" when total is not positive.
func share(v, total int64) string {
	if total <= 0 {
		return ""
	}
	d, ok := fiscal.Percent(v, total, 2)
	if !ok {
		return ""
	}
	return d.String() + "%"
}

func sum(items []Item) int64 {
	var t int64
	for _, it := range items {
		t += it.Value
	}
	return t
}

// rankFinding describes a bar chart: the total, the largest items with
// their shares, and how many are zero; for items apart (not parts of one
// whole), the largest and the smallest.
func rankFinding(q Quantity, items []Item, apart bool) string {
	neg, zeros := false, 0
	for _, it := range items {
		neg = neg || it.Value < 0
		if it.Value == 0 {
			zeros++
		}
	}
	top := Rank(items)
	var b strings.Builder
	if neg || apart && len(items) > 1 {
		last := top[len(top)-1]
		fmt.Fprintf(&b, "共%d项。最大的是%s，为%s；最小的是%s，为%s。", len(items), top[0].Label, q.Prose(top[0].Value), last.Label, q.Prose(last.Value))
		return b.String()
	}
	total := sum(items)
	if len(items) == 1 {
		fmt.Fprintf(&b, "%s为%s。", top[0].Label, q.Prose(top[0].Value))
		return b.String()
	}
	fmt.Fprintf(&b, "共%d项，合计%s。%s最多，为%s，占%s", len(items), q.Prose(total), top[0].Label, q.Prose(top[0].Value), share(top[0].Value, total))
	if len(top) > 1 && top[1].Value > 0 {
		fmt.Fprintf(&b, "；其次是%s，为%s，占%s", top[1].Label, q.Prose(top[1].Value), share(top[1].Value, total))
	}
	if zeros > 0 {
		fmt.Fprintf(&b, "；%d项为0", zeros)
	}
	b.WriteString("。")
	return b.String()
}

// changePhrase writes the change from prev to cur as documents do:
// 减少4.00万元，下降44.44%; 增加0.10万元（上年为0）; 持平. base names prev
// where no rate exists against zero.
func changePhrase(q Quantity, prev, cur int64, base string) string {
	d := cur - prev
	if d == 0 {
		return "持平"
	}
	verb, rate, abs := "增加", "增长", d
	if d < 0 {
		verb, rate, abs = "减少", "下降", -d
	}
	s := verb + q.Prose(abs)
	if prev == 0 {
		return s + "（" + base + "为0）"
	}
	if p, ok := fiscal.Percent(abs, abs64(prev), 2); ok {
		s += "，" + rate + p.String() + "%"
	}
	return s
}

// changeMark is the short form printed in a chart: ▲ 增加4.00（+12.50%）,
// ▼ 减少4.00（-44.44%）, ＝ 持平. Sign, arrow and word all say which way.
func changeMark(q Quantity, prev, cur int64) string {
	d := cur - prev
	if d == 0 {
		return "＝ 持平"
	}
	arrow, verb, abs := "▲", "增加", d
	if d < 0 {
		arrow, verb, abs = "▼", "减少", -d
	}
	s := arrow + " " + verb + q.Label(abs)
	if prev == 0 {
		return s + "（上年为0）"
	}
	if p, ok := fiscal.Percent(d, abs64(prev), 2); ok {
		sign := ""
		if d > 0 {
			sign = "+"
		}
		s += "（" + sign + p.String() + "%）"
	}
	return s
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
