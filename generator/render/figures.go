package render

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/disclose/disclose/generator/chart"
	"github.com/disclose/disclose/generator/fiscal"
)

// A figure is a chart of a page before it is drawn: the series it shows,
// read from the disclosure model by meaning (known rows, natures, funds,
// classification codes), never from a table's layout.
type figure struct {
	// name is the chart's own reference name (收入构成); "" for the chart
	// of a table, which a reference names by the table.
	name    string
	aliases []string
	// table is where the figures come from, for the caption, the CSV link
	// and where the chart stands on the page; nil for a chart across
	// disclosures (body and home pages).
	table *fiscal.Table
	title string
	kind  string // bars, grouped, stacked, line, treemap
	q     chart.Quantity

	items  []chart.Item       // bars, stacked
	series [2]chart.Series    // grouped
	groups []chart.Group      // grouped
	xs     []string           // line
	lines  []chart.LineSeries // line
	tree   []chart.TreeGroup  // treemap
	levels [2]string          // treemap

	// note is added to the finding; notes are printed under the chart.
	note  string
	notes []string
	// label heads the first column of the data table.
	label string
	// ofTable marks an automatic chart that is the chart of its table, so
	// a reference to either places both.
	ofTable bool
	// more are items left out of a long ranking but kept in its data.
	more []chart.Item
	// apart says the items are not parts of one whole: no total or shares
	// (see chart.Spec.Apart).
	apart bool
}

// errNoChart means a table has no figures a chart can show.
var errNoChart = errors.New("no figures to chart")

// draw draws the figure with the given id.
func (f *figure) draw(id string) (chart.Chart, error) {
	f.q = readable(f.q, f.values())
	s := chart.Spec{ID: id, Title: f.title, Quantity: f.q, Note: f.note, Apart: f.apart}
	switch f.kind {
	case "bars":
		return chart.Bars(s, f.items)
	case "stacked":
		c, err := chart.Stacked(s, f.items)
		if errors.Is(err, chart.ErrNegative) {
			// A composition with a negative part (a 结余 drawn down) is no
			// 100% bar: show the parts as bars around zero instead.
			f.kind = "bars"
			return chart.Bars(s, chart.Rank(f.items))
		}
		return c, err
	case "grouped":
		return chart.Grouped(s, f.series, f.groups)
	case "line":
		return chart.Line(s, f.xs, f.lines)
	case "treemap":
		return chart.Treemap(s, f.levels, f.tree)
	}
	return chart.Chart{}, fmt.Errorf("unknown chart kind %q", f.kind)
}

// readable is the quantity a chart prints its values in: a table in 元
// whose figures reach a million 元 is charted in 万元 (371,514,655.00元 is
// 37,151.47万元), as Chinese fiscal charts do; the table keeps its 元.
func readable(q chart.Quantity, values []int64) chart.Quantity {
	if q.Unit != fiscal.Yuan {
		return q
	}
	for _, v := range values {
		if abs(v) >= 100*fiscal.Wanyuan.Fen() {
			return chart.Money(fiscal.Wanyuan)
		}
	}
	return q
}

// values are every value the figure plots.
func (f *figure) values() []int64 {
	var out []int64
	for _, it := range f.items {
		out = append(out, it.Value)
	}
	for _, g := range f.groups {
		out = append(out, g.Values[0], g.Values[1])
	}
	for _, l := range f.lines {
		for _, p := range l.Points {
			out = append(out, p.Value)
		}
	}
	for _, g := range f.tree {
		for _, it := range g.Items {
			out = append(out, it.Value)
		}
	}
	return out
}

// data is the figure's figures as a table, for readers who cannot see the
// chart and for the treemap's table beside it.
func (f *figure) data() DataTable {
	unit := "（" + f.q.UnitName() + "）"
	label := f.label
	if label == "" {
		label = "项目"
	}
	var t DataTable
	switch f.kind {
	case "bars", "stacked":
		var total int64
		neg := false
		for _, it := range append(append([]chart.Item{}, f.items...), f.more...) {
			total += it.Value
			neg = neg || it.Value < 0
		}
		t.Head = []string{label, "金额" + unit}
		if f.q.Unit == 0 {
			t.Head[1] = "数量" + unit
		}
		withShare := !neg && !f.apart && total > 0 && len(f.items) > 1
		if withShare {
			t.Head = append(t.Head, "占比")
		}
		for _, it := range append(append([]chart.Item{}, f.items...), f.more...) {
			row := DataRow{Cells: []string{it.Label, f.q.Label(it.Value)}}
			if withShare {
				row.Cells = append(row.Cells, percent(it.Value, total))
			}
			t.Rows = append(t.Rows, row)
		}
	case "grouped":
		t.Head = []string{label, f.series[0].Name + unit, f.series[1].Name + unit, "增减额" + unit, "增减率"}
		for _, g := range f.groups {
			d := g.Values[1] - g.Values[0]
			rate := "—"
			if g.Values[0] != 0 {
				rate = signed(percent(d, abs(g.Values[0])))
			}
			t.Rows = append(t.Rows, DataRow{Cells: []string{g.Label, f.q.Label(g.Values[0]), f.q.Label(g.Values[1]), signed(f.q.Label(d)), rate}})
		}
	case "line":
		t.Head = []string{"年度"}
		for _, l := range f.lines {
			t.Head = append(t.Head, l.Name+unit)
		}
		for x, name := range f.xs {
			row := DataRow{Cells: []string{name}}
			for _, l := range f.lines {
				cell := "—"
				for _, p := range l.Points {
					if p.X == x {
						cell = f.q.Label(p.Value)
					}
				}
				row.Cells = append(row.Cells, cell)
			}
			t.Rows = append(t.Rows, row)
		}
	case "treemap":
		var total int64
		for _, g := range f.tree {
			for _, it := range g.Items {
				total += it.Value
			}
		}
		t.Head = []string{label, "金额" + unit, "占比"}
		for _, g := range f.tree {
			var gt int64
			for _, it := range g.Items {
				gt += it.Value
			}
			t.Rows = append(t.Rows, DataRow{Cells: []string{g.Label, f.q.Label(gt), percent(gt, total)}, Class: "group"})
			for _, it := range g.Items {
				t.Rows = append(t.Rows, DataRow{Cells: []string{it.Label, f.q.Label(it.Value), percent(it.Value, total)}, Class: "item"})
			}
		}
	}
	return t
}

func percent(v, total int64) string {
	d, ok := fiscal.Percent(v, total, 2)
	if !ok {
		return "—"
	}
	return d.String() + "%"
}

func signed(s string) string {
	if s == "—" || strings.HasPrefix(s, "-") || strings.Trim(s, "0.,%") == "" {
		return s
	}
	return "+" + s
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// The charts every disclosure page shows where its figures allow, in page
// order, with the names Markdown references use.
var autoCharts = []struct {
	name    string
	aliases []string
	make    func(d *fiscal.Disclosure) *figure
	ofTable bool // the chart of its source table
}{
	{"收入构成", []string{"income"}, incomeFigure, false},
	{"支出构成", []string{"expenditure"}, natureFigure, false},
	{"支出功能分类", []string{"function"}, functionFigure, false},
	{"支出功能分类款", []string{"function-kuan"}, kuanFigure, false},
	{"三公", []string{"sangong", "“三公”经费", "三公经费"}, sangongFigure, true},
	{"机关运行经费", []string{"running"}, listFigure("running_list"), true},
	{"政府采购", []string{"procurement"}, listFigure("procurement_list"), true},
}

// autoFigures returns the charts of d that have figures, in page order.
func autoFigures(d *fiscal.Disclosure) []*figure {
	var out []*figure
	for _, a := range autoCharts {
		f := a.make(d)
		if f == nil {
			continue
		}
		f.name, f.aliases, f.ofTable = a.name, a.aliases, a.ofTable
		out = append(out, f)
	}
	return out
}

// flowTitle is 收入预算, 支出决算 …: a flow of a disclosure's kind.
func flowTitle(d *fiscal.Disclosure, flow string) string { return flow + d.Kind.String() }

// valueColumn is the published column whose figure stands for a row in a
// chart: the amount (or 合计) where the part has one, else its first
// money column; nil if it publishes none.
func valueColumn(p *fiscal.Part) *fiscal.Column {
	for _, id := range []string{"amount", "total", "exp_total"} {
		for _, c := range p.Columns {
			if c.ID == id && c.Type == fiscal.MoneyColumn {
				return c
			}
		}
	}
	for _, c := range p.Columns {
		if c.Type == fiscal.MoneyColumn {
			return c
		}
	}
	return nil
}

func value(r *fiscal.Row, col *fiscal.Column) (int64, bool) {
	if col == nil {
		return 0, false
	}
	c := r.Cell(col.ID)
	if c == nil {
		return 0, false
	}
	if col.Type == fiscal.CountColumn {
		return c.Count, true
	}
	return c.Fig.Fen, true
}

// listMarker matches the numbering published tables put before names:
// 一、 1. （一）.
var listMarker = regexp.MustCompile(`^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．])\s*`)

// label is a row's name as a chart shows it: without its list number.
func label(r *fiscal.Row) string {
	if s := listMarker.ReplaceAllString(r.Name, ""); s != "" {
		return s
	}
	return r.Name
}

// parts returns the rows of p that divide its total without overlap: the
// top-level items (no 合计, 小计 or 其中), each replaced by its own items
// where those add up to it exactly (公务用车购置及运行费 by 购置费 and 运行费),
// but kept whole where they do not (固定资产, of which 车辆). Rows without
// a figure in col are left out.
func parts(p *fiscal.Part, col *fiscal.Column) []*fiscal.Row {
	children := map[*fiscal.Row][]*fiscal.Row{}
	for _, r := range p.Rows {
		if r.Parent != nil && r.Role == fiscal.Item {
			children[r.Parent] = append(children[r.Parent], r)
		}
	}
	var out []*fiscal.Row
	var visit func(r *fiscal.Row)
	visit = func(r *fiscal.Row) {
		v, ok := value(r, col)
		if !ok {
			return
		}
		if kids := children[r]; len(kids) > 0 {
			var s int64
			all := true
			for _, k := range kids {
				kv, ok := value(k, col)
				all = all && ok
				s += kv
			}
			if all && s == v {
				for _, k := range kids {
					visit(k)
				}
				return
			}
		}
		out = append(out, r)
	}
	for _, r := range p.Rows {
		if r.Parent == nil && r.Role == fiscal.Item {
			visit(r)
		}
	}
	return out
}

func rowItems(rows []*fiscal.Row, col *fiscal.Column) []chart.Item {
	var items []chart.Item
	for _, r := range rows {
		v, _ := value(r, col)
		items = append(items, chart.Item{Label: label(r), Value: v})
	}
	return items
}

func allZero(items []chart.Item) bool {
	for _, it := range items {
		if it.Value != 0 {
			return false
		}
	}
	return true
}

// incomeFigure is the composition of the disclosure's income: the parts of
// the 收入 total of its 收支总表, or else of its 收入 list.
func incomeFigure(d *fiscal.Disclosure) *figure {
	t, p := headlinePart(d, "收入")
	if p == nil {
		return nil
	}
	col := valueColumn(p)
	items := rowItems(parts(p, col), col)
	if len(items) == 0 || allZero(items) {
		return nil
	}
	return &figure{table: t, kind: "stacked", q: chart.Money(t.Unit), items: items,
		title: fmt.Sprintf("%d年%s构成", d.Year, flowTitle(d, "收入"))}
}

// headlinePart returns the part that states the disclosure's headline
// total of flow, preferring a 收支总表 to a narrative list.
func headlinePart(d *fiscal.Disclosure, flow string) (*fiscal.Table, *fiscal.Part) {
	var bestT *fiscal.Table
	var bestP *fiscal.Part
	for _, t := range d.Tables {
		for _, p := range t.Parts {
			if p.Kind.Headline != flow || len(p.Rows) == 0 {
				continue
			}
			if bestP == nil || (t.Kind.Layout == "summary" && bestT.Kind.Layout != "summary") {
				bestT, bestP = t, p
			}
		}
	}
	return bestT, bestP
}

// natureFigure is the expenditure by nature: 基本支出 and 项目支出 (and the
// other natures a table publishes), from the total row of the 支出总表 (all
// funds), else the 支出 list, else the 一般公共预算 table.
func natureFigure(d *fiscal.Disclosure) *figure {
	// Coded expenditure tables: the natures are columns of the total row.
	fromColumns := func(wantFund bool) *figure {
		for _, t := range d.Tables {
			for _, p := range t.Parts {
				if p.Kind.Flow != "支出" || p.Kind.Code != fiscal.Function || (p.Kind.Fund != "") != wantFund {
					continue
				}
				total := p.Total()
				if total == nil {
					continue
				}
				var items []chart.Item
				for _, c := range p.Columns {
					if c.Type != fiscal.MoneyColumn || c.Nature == "" {
						continue
					}
					if v, ok := value(total, c); ok {
						items = append(items, chart.Item{Label: c.Title, Value: v})
					}
				}
				if len(items) >= 2 && !allZero(items) {
					prefix := flowTitle(d, "支出")
					if p.Kind.Fund != "" {
						prefix = p.Kind.Fund + d.Kind.String() + "支出"
					}
					return &figure{table: t, kind: "stacked", q: chart.Money(t.Unit), items: items,
						title: fmt.Sprintf("%d年%s构成（按支出性质）", d.Year, prefix)}
				}
			}
		}
		return nil
	}
	if f := fromColumns(false); f != nil {
		return f
	}
	// The 支出 list: its rows known by nature.
	if t, p := headlinePart(d, "支出"); p != nil && t.Kind.Layout == "list" {
		col := valueColumn(p)
		var items []chart.Item
		for _, r := range p.Rows {
			if r.Role != fiscal.Item || r.Parent != nil || r.Known == nil || r.Known.Nature == "" {
				continue
			}
			if v, ok := value(r, col); ok {
				items = append(items, chart.Item{Label: label(r), Value: v})
			}
		}
		if len(items) >= 2 && !allZero(items) {
			return &figure{table: t, kind: "stacked", q: chart.Money(t.Unit), items: items,
				title: fmt.Sprintf("%d年%s构成（按支出性质）", d.Year, flowTitle(d, "支出"))}
		}
	}
	return fromColumns(true)
}

// functionSource picks the table of expenditure by 功能分类 that covers the
// most: all funds before 财政拨款 before one fund, a coded table (with 款)
// before a 收支总表's side. It returns the part and the column to read.
func functionSource(d *fiscal.Disclosure) (*fiscal.Table, *fiscal.Part, *fiscal.Column) {
	var bestT *fiscal.Table
	var bestP *fiscal.Part
	var bestC *fiscal.Column
	bestRank := 99
	for _, t := range d.Tables {
		for _, p := range t.Parts {
			if p.Kind.Flow != "支出" || p.Kind.Code != fiscal.Function {
				continue
			}
			col := valueColumn(p)
			if col == nil || !hasClass(p, col) {
				continue
			}
			fund := p.Kind.Fund
			if col.Fund != "" {
				fund = col.Fund
			}
			rank := 0
			switch fund {
			case "":
			case "财政拨款":
				rank = 2
			default:
				rank = 4
			}
			if t.Kind.Layout != "coded" {
				rank++
			}
			if rank < bestRank {
				bestT, bestP, bestC, bestRank = t, p, col, rank
			}
		}
	}
	return bestT, bestP, bestC
}

func hasClass(p *fiscal.Part, col *fiscal.Column) bool {
	for _, r := range p.Rows {
		if len(r.Code) == 3 {
			if v, ok := value(r, col); ok && v != 0 {
				return true
			}
		}
	}
	return false
}

// functionTitle names an expenditure-by-function chart: 2024年支出预算按功能分类（类）,
// 2024年一般公共预算支出按功能分类（款）.
func functionTitle(d *fiscal.Disclosure, p *fiscal.Part, col *fiscal.Column, level string) string {
	fund := p.Kind.Fund
	if col.Fund != "" {
		fund = col.Fund
	}
	what := flowTitle(d, "支出")
	if fund != "" {
		what = fund + d.Kind.String() + "支出"
	}
	return fmt.Sprintf("%d年%s按功能分类（%s）", d.Year, what, level)
}

// functionFigure ranks the expenditure by 功能分类 类.
func functionFigure(d *fiscal.Disclosure) *figure {
	t, p, col := functionSource(d)
	if p == nil {
		return nil
	}
	var items []chart.Item
	for _, r := range p.Rows {
		if len(r.Code) == 3 && r.Role == fiscal.Item {
			if v, ok := value(r, col); ok {
				items = append(items, chart.Item{Label: label(r), Value: v})
			}
		}
	}
	if allZero(items) {
		return nil
	}
	return &figure{table: t, kind: "bars", q: chart.Money(t.Unit), items: chart.Rank(items), label: "功能分类（类）",
		title: functionTitle(d, p, col, "类")}
}

// kuanFigure is an overview of the expenditure by 功能分类 款 within their
// 类, where the table breaks some 类 into more than one 款.
func kuanFigure(d *fiscal.Disclosure) *figure {
	t, p, col := functionSource(d)
	if p == nil {
		return nil
	}
	var groups []chart.TreeGroup
	split := false
	for _, r := range p.Rows {
		if len(r.Code) != 3 || r.Role != fiscal.Item {
			continue
		}
		g := chart.TreeGroup{Label: label(r)}
		for _, k := range p.Rows {
			if len(k.Code) == 5 && strings.HasPrefix(k.Code, r.Code) && k.Role == fiscal.Item {
				if v, ok := value(k, col); ok && v != 0 {
					g.Items = append(g.Items, chart.Item{Label: label(k), Value: v})
				}
			}
		}
		if len(g.Items) == 0 {
			// A 类 printed without its 款 still belongs in the whole.
			if v, ok := value(r, col); ok && v != 0 {
				g.Items = []chart.Item{{Label: label(r), Value: v}}
			}
		}
		split = split || len(g.Items) > 1
		if len(g.Items) > 0 {
			groups = append(groups, g)
		}
	}
	if !split {
		return nil
	}
	slices.SortStableFunc(groups, func(a, b chart.TreeGroup) int { return cmp.Compare(sumOf(b.Items), sumOf(a.Items)) })
	return &figure{table: t, kind: "treemap", q: chart.Money(t.Unit), tree: groups, levels: [2]string{"类", "款"}, label: "功能分类（类、款）",
		title: functionTitle(d, p, col, "款")}
}

func sumOf(items []chart.Item) int64 {
	var s int64
	for _, it := range items {
		s += it.Value
	}
	return s
}

// sangongFigure compares the 三公 of this year with last year's: from the
// 三公 table of a budget (上年预算数 beside 本年预算数), else the 三公 list
// (its stated previous figures, or previous = current − stated change),
// else a final account's 预算数 beside its 决算数.
func sangongFigure(d *fiscal.Disclosure) *figure {
	var wide, list, final *fiscal.Table
	for _, t := range d.Tables {
		switch t.Kind.ID {
		case "budget_sangong":
			if wide == nil && len(t.Parts[0].Rows) >= 2 {
				wide = t
			}
		case "sangong_list":
			if list == nil {
				list = t
			}
		case "final_sangong":
			if final == nil && len(t.Parts[0].Rows) >= 2 {
				final = t
			}
		}
	}
	for _, t := range []*fiscal.Table{wide, list, final} {
		if t == nil {
			continue
		}
		if f, err := tableFigure(d, t, ""); err == nil {
			return f
		}
	}
	return nil
}

// listFigure is the chart of the first table of the given kind.
func listFigure(kind string) func(d *fiscal.Disclosure) *figure {
	return func(d *fiscal.Disclosure) *figure {
		for _, t := range d.Tables {
			if t.Kind.ID == kind {
				if f, err := tableFigure(d, t, ""); err == nil {
					return f
				}
				return nil
			}
		}
		return nil
	}
}

// tableFigure is the chart of any table, chosen by its shape: the items
// of a list (this year beside last year's where the list states either the
// previous figures or the changes), the 类 of a coded table, the parts of
// a 收支总表's side (partName, or its first), the measures of a 三公 table
// side by side. errNoChart if the table has nothing to draw.
func tableFigure(d *fiscal.Disclosure, t *fiscal.Table, partName string) (*figure, error) {
	p := t.Parts[0]
	if partName != "" {
		p = nil
		for _, x := range t.Parts {
			if x.Kind.Key == partName || x.Kind.Title == partName {
				p = x
			}
		}
		if p == nil {
			var names []string
			for _, x := range t.Parts {
				names = append(names, x.Kind.Title)
			}
			return nil, fmt.Errorf("表“%s”没有“%s”这一栏，可写：%s", t.ID, partName, strings.Join(names, "、"))
		}
	}
	if t.Empty || len(p.Rows) == 0 {
		return nil, errNoChart
	}
	switch t.Kind.Layout {
	case "wide":
		return wideFigure(d, t, p)
	case "summary":
		col := valueColumn(p)
		items := rowItems(parts(p, col), col)
		if col == nil || len(items) == 0 {
			return nil, errNoChart
		}
		return &figure{table: t, kind: "stacked", q: chart.Money(t.Unit), items: items,
			title: fmt.Sprintf("%s：%s构成", t.Title, p.Kind.Title)}, nil
	case "coded", "split":
		col := valueColumn(p)
		if col == nil {
			return nil, errNoChart
		}
		var rows []*fiscal.Row
		for _, r := range p.Rows {
			if len(r.Code) == 3 && r.Role == fiscal.Item {
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			rows = parts(p, col)
		}
		items := rowItems(rows, col)
		if len(items) == 0 {
			return nil, errNoChart
		}
		return &figure{table: t, kind: "bars", q: chart.Money(t.Unit), items: chart.Rank(items), label: "科目（类）",
			title: t.Title}, nil
	}
	return listTableFigure(d, t, p)
}

// listTableFigure charts a narrative list.
func listTableFigure(d *fiscal.Disclosure, t *fiscal.Table, p *fiscal.Part) (*figure, error) {
	col := valueColumn(p)
	q := chart.Money(t.Unit)
	if col == nil {
		// A list of counts (人员编制 of 机构): chart the first count column.
		for _, c := range p.Columns {
			if c.Type == fiscal.CountColumn {
				col, q = c, chart.Count(c.Unit)
				break
			}
		}
	}
	if col == nil {
		return nil, errNoChart
	}
	rows := parts(p, col)
	if len(rows) == 0 || (len(rows) < 2 && p.Total() == nil) {
		return nil, errNoChart
	}
	// Last year's figures: stated (previous), or derived from the stated
	// change (previous = amount − change).
	stated, derived := 0, 0
	var groups []chart.Group
	for _, r := range rows {
		cur, _ := value(r, col)
		if prev := r.Cell("previous"); prev != nil {
			groups = append(groups, chart.Group{Label: label(r), Values: [2]int64{prev.Fig.Fen, cur}})
			stated++
		} else if ch := r.Cell("change"); ch != nil {
			groups = append(groups, chart.Group{Label: label(r), Values: [2]int64{cur - ch.Fig.Fen, cur}})
			derived++
		}
	}
	if col.Type == fiscal.MoneyColumn && len(groups) == len(rows) {
		f := &figure{table: t, kind: "grouped", q: q, groups: groups, title: t.Title + "与上年比较"}
		prev, cur := yearNames(d, t)
		f.series = [2]chart.Series{{Name: prev, Short: "上年"}, {Name: cur, Short: "本年"}}
		if derived > 0 {
			f.series[0].Name += "（由增减额推算）"
			f.note = "上年数由公开的增减额推算：上年数 = 本年数 − 增减额。"
			f.notes = append(f.notes, "上年数未单独公开，由公开的增减额推算：上年数 = 本年数 − 增减额。")
		}
		return f, nil
	}
	f := &figure{table: t, kind: "bars", q: q, items: chart.Rank(rowItems(rows, col)), title: t.Title}
	if t.Kind.ID == "org" {
		f.label = "机构"
	}
	return f, nil
}

// yearNames names last year's and this year's series of a disclosure's
// table: 2019年预算 and 2020年预算, by the base the table's changes compare
// with (上年预算, 上年执行数 or 上年决算).
func yearNames(d *fiscal.Disclosure, t *fiscal.Table) (prev, cur string) {
	base := t.Base
	if base == "" {
		base = "上年" + d.Kind.String()
	}
	cur = fmt.Sprintf("%d年%s", d.Year, d.Kind)
	prev = fmt.Sprintf("%d年%s", d.Year-1, strings.TrimPrefix(base, "上年"))
	return prev, cur
}

// wideFigure charts a table whose rows are measures (上年预算数, 本年预算数;
// 预算数, 决算数) over the same columns: the measures side by side for each
// item, or the items ranked where there is one measure.
func wideFigure(d *fiscal.Disclosure, t *fiscal.Table, p *fiscal.Part) (*figure, error) {
	cols := itemColumns(p)
	if len(cols) == 0 {
		return nil, errNoChart
	}
	colLabel := func(c *fiscal.Column) string {
		if c.Nature != "" {
			return c.Nature
		}
		return c.Title
	}
	q := chart.Money(t.Unit)
	if len(p.Rows) == 1 {
		var items []chart.Item
		for _, c := range cols {
			if v, ok := value(p.Rows[0], c); ok {
				items = append(items, chart.Item{Label: colLabel(c), Value: v})
			}
		}
		if len(items) == 0 {
			return nil, errNoChart
		}
		return &figure{table: t, kind: "bars", q: q, items: chart.Rank(items), title: t.Title}, nil
	}
	a, b := p.Rows[0], p.Rows[len(p.Rows)-1]
	var groups []chart.Group
	for _, c := range cols {
		va, oka := value(a, c)
		vb, okb := value(b, c)
		if oka || okb {
			groups = append(groups, chart.Group{Label: colLabel(c), Values: [2]int64{va, vb}})
		}
	}
	if len(groups) == 0 {
		return nil, errNoChart
	}
	f := &figure{table: t, kind: "grouped", q: q, groups: groups, title: t.Title,
		series: [2]chart.Series{{Name: a.Name, Short: measureShort(a)}, {Name: b.Name, Short: measureShort(b)}}}
	return f, nil
}

// itemColumns are the money columns of a wide table that are items, not
// totals: 合计 is left out, a 小计 when the columns it adds up are there,
// and columns outside the table's column group (机关运行经费 beside 三公).
func itemColumns(p *fiscal.Part) []*fiscal.Column {
	grouped := false
	for _, c := range p.Columns {
		grouped = grouped || len(c.Group) > 0
	}
	var out []*fiscal.Column
	for _, c := range p.Columns {
		if c.Type != fiscal.MoneyColumn || c.ID == "total" || c.Title == "合计" || (grouped && len(c.Group) == 0) {
			continue
		}
		if c.Title == "小计" {
			covered := false
			for _, o := range p.Columns {
				covered = covered || (o != c && slices.Equal(o.Group, c.Group))
			}
			if covered {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// measureShort is the word printed before a measure's values: 上年, 本年,
// 预算, 决算.
func measureShort(r *fiscal.Row) string {
	if r.Known != nil {
		switch r.Known.ID {
		case "previous":
			return "上年"
		case "current":
			return "本年"
		case "budget":
			return "预算"
		case "final":
			return "决算"
		}
	}
	return strings.TrimSuffix(r.Name, "数")
}
