package render

import (
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/disclose/disclose/generator/chart"
	"github.com/disclose/disclose/generator/dataset"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/markdown"
)

// ChartView is what the "chart" layout receives: a chart drawn as inline
// SVG, with what its caption says and its figures as a table.
type ChartView struct {
	// ID is the figure's anchor; the SVG's own ids start with it.
	ID string
	// Name is the name a Markdown reference {{图 …}} uses for the chart;
	// "" for the chart of a table, which is referred to by the table.
	Name string
	// Kind is bars, grouped, stacked, line or treemap.
	Kind  string
	Title string
	// SVG is the drawing: an <svg role="img"> with <title> and <desc>.
	SVG template.HTML
	// Desc is the finding the <desc> states.
	Desc string
	Unit string
	// Source is where the figures come from: a table on the page (Path is
	// its #anchor), or a description without a Path.
	Source Link
	// CSV is the download of the figures; nil if there is none.
	CSV *Download
	// Notes are printed with the caption, e.g. how a figure was derived.
	Notes []string
	// Data holds the plotted figures as a table where the page shows them
	// nowhere else (empty when the chart draws a table of the page, which
	// Source links to); Beside means the page shows it beside the chart (a
	// treemap), not folded under it.
	Data   DataTable
	Beside bool
	// HTML is the chart rendered by the "chart" layout, for pages that list
	// charts (HomeView, BodyView and TableView.Charts); empty inside it.
	HTML template.HTML
}

// DataTable is a small table of a chart's figures: a header row, and rows
// whose first cell names the row and whose other cells are numbers.
type DataTable struct {
	Head []string
	Rows []DataRow
}

// DataRow is a row of a DataTable. Class is "group" for a row that sums
// the "item" rows under it (a treemap's 类 and 款), else "".
type DataRow struct {
	Cells []string
	Class string
}

// Download is a data file a page offers; the build writes Data at Path
// beside the page.
type Download struct {
	Title string // what it holds: 2020年收入预算
	Path  string // site path: panjin-zhcs/2020/budget/data/income_list.csv
	// Href is the URL path to link to: Path under the site's sub-path.
	Href   string
	Name   string // file name offered for saving
	Format string // CSV or JSON
	Size   string // 1.2 KB
	Data   []byte
}

func (r *Renderer) newDownload(title, path, name, format string, data []byte) *Download {
	return &Download{Title: title, Path: path, Href: r.URL(path), Name: dataset.FileName(name), Format: format, Size: dataset.Size(len(data)), Data: data}
}

// chartView draws f as the chart with anchor id.
func (r *Renderer) chartView(f *figure, id string, source Link, csv *Download) (ChartView, error) {
	c, err := f.draw(id)
	if err != nil {
		return ChartView{}, err
	}
	v := ChartView{ID: id, Name: f.name, Kind: f.kind, Title: f.title, SVG: template.HTML(c.SVG), Desc: c.Desc,
		Unit: f.q.UnitName(), Source: source, CSV: csv, Notes: f.notes, Beside: f.kind == "treemap"}
	// The figures as a table, where the page does not already show them:
	// a treemap's (beside it, as it must), figures derived for the chart
	// (last year's 三公 from the stated changes), and charts across
	// disclosures. A chart of a table on the page points to that table.
	if v.Beside || f.table == nil || len(f.notes) > 0 {
		v.Data = f.data()
	}
	v.HTML, err = r.chartHTML(&v)
	return v, err
}

// chartHTML renders the "chart" layout for v: with the theme's own
// partial, by writeChart.
func (r *Renderer) chartHTML(v *ChartView) (template.HTML, error) {
	// A strings.Builder, sized for the drawing and its captions, so the
	// HTML is neither regrown nor copied into its string.
	var b strings.Builder
	b.Grow(len(v.SVG) + 1024 + 48*len(v.Data.Rows)*max(1, len(v.Data.Head)))
	if r.fastChart {
		writeChart(&b, v)
	} else if err := r.tmpl.ExecuteTemplate(&b, "chart", v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// pageCharts holds the charts of one disclosure page: the automatic ones,
// which the Markdown may place by reference, and where the others go.
type pageCharts struct {
	r       *Renderer
	d       *fiscal.Disclosure
	ids     *markdown.IDs
	auto    []*figure
	placed  map[string]bool
	anchors map[*fiscal.Table]string
	csv     map[*fiscal.Table]*Download
	diags   *diag.List
	// file is the section being rendered, for warnings.
	file string
}

// newPageCharts prepares the charts of d's page: its automatic charts and
// the anchors of its tables (taken from ids first, so a chart's caption can
// link to a table placed later).
func newPageCharts(r *Renderer, d *fiscal.Disclosure, ids *markdown.IDs, diags *diag.List) *pageCharts {
	pc := &pageCharts{r: r, d: d, ids: ids, auto: autoFigures(d), placed: map[string]bool{},
		anchors: map[*fiscal.Table]string{}, csv: map[*fiscal.Table]*Download{}, diags: diags}
	for _, t := range d.Tables {
		pc.anchors[t] = ids.Unique("table-" + markdown.Slug(t.ID))
	}
	return pc
}

// downloads makes the page's downloads, a CSV per table (in table order,
// each linked from its table and charts) and the JSON.
func (pc *pageCharts) downloads() []*Download {
	r, d := pc.r, pc.d
	docTitle := title(d)
	var downloads []*Download
	for i, name := range dataset.TableNames(d) {
		t := d.Tables[i]
		dl := r.newDownload(t.Title, dataset.Path(d, name), docTitle+"-"+t.Title+".csv", "CSV", dataset.TableCSV(t))
		pc.csv[t] = dl
		downloads = append(downloads, dl)
	}
	return append(downloads, r.newDownload("全部金额（JSON）", dataset.Path(d, dataset.JSONName), docTitle+".json", "JSON", dataset.JSON(d, docTitle)))
}

// key identifies a chart for placement: an automatic chart of a table and
// a reference to that table's chart are the same chart.
func (f *figure) key() string {
	if f.table != nil && (f.name == "" || f.ofTable) {
		return "table:" + f.table.ID
	}
	return "name:" + f.name
}

// names lists the charts a reference may name, for error messages.
func (pc *pageCharts) names() string {
	var names []string
	for _, f := range pc.auto {
		names = append(names, f.name)
	}
	if len(names) == 0 {
		return "本次公开没有自动生成的图表；可以写 {{图 表名}} 为某张表作图"
	}
	return "本页的图表：" + strings.Join(names, "、") + "；也可以写 {{图 表名}} 为某张表作图"
}

// resolve places the chart a reference {{图 target}} names: an automatic
// chart by its name, else the chart of a table (表名, or 表名.栏 for one
// side of a 收支总表). A chart whose figures are all zero is left out with a
// warning.
func (pc *pageCharts) resolve(ref markdown.Ref) (markdown.Output, error) {
	target := ref.Target
	if target == "" {
		return markdown.Output{}, fmt.Errorf("引用 {{%s}} 没有写作哪个图：写成 {{图 图名}} 或 {{图 表名}}，例如 {{图 三公}}。%s", ref.Raw, pc.names())
	}
	var f *figure
	for _, a := range autoCharts {
		if target == a.name || contains(a.aliases, target) {
			for _, x := range pc.auto {
				if x.name == a.name {
					f = x
				}
			}
			if f == nil && pc.d.Table(target) == nil {
				return markdown.Output{}, fmt.Errorf("引用 {{%s}}：本次公开没有“%s”图所需的数据。%s", ref.Raw, a.name, pc.names())
			}
		}
	}
	if f == nil {
		name, part, _ := strings.Cut(target, ".")
		t := pc.d.Table(name)
		if t == nil {
			var tables []string
			for _, t := range pc.d.Tables {
				tables = append(tables, t.ID)
			}
			return markdown.Output{}, fmt.Errorf("引用 {{%s}}：没有名为“%s”的图或表%s。%s；可作图的表：%s", ref.Raw, name,
				suggest(name, append(autoNames(), tables...)), pc.names(), strings.Join(tables, "、"))
		}
		var err error
		f, err = tableFigure(pc.d, t, part)
		if errors.Is(err, errNoChart) {
			return markdown.Output{}, fmt.Errorf("引用 {{%s}}：表“%s”没有可以作图的金额（图需要各项的金额）", ref.Raw, t.ID)
		}
		if err != nil {
			return markdown.Output{}, fmt.Errorf("引用 {{%s}}：%v", ref.Raw, err)
		}
	}
	html, err := pc.place(f)
	if errors.Is(err, chart.ErrNoData) {
		pc.diags.Add(diag.Diagnostic{File: pc.file, Line: ref.Line, Col: ref.Col, Severity: diag.Warning, Rule: "chart.empty",
			Message: fmt.Sprintf("{{%s}}：图中的金额都是0，不作图（页面上不显示这个图）", ref.Raw)})
		return markdown.Output{Block: true, BlockName: "一张图"}, nil
	}
	return markdown.Output{HTML: html, Block: true, BlockName: "一张图"}, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func autoNames() []string {
	var names []string
	for _, a := range autoCharts {
		names = append(names, a.name)
	}
	return names
}

// place draws f at the current place of the page and records it placed.
func (pc *pageCharts) place(f *figure) (template.HTML, error) {
	v, err := pc.view(f)
	if err != nil {
		return "", err
	}
	pc.placed[f.key()] = true
	return v.HTML, nil
}

// view draws f with a new anchor, its caption pointing at its table.
func (pc *pageCharts) view(f *figure) (ChartView, error) {
	base := f.name
	if base == "" {
		base = f.table.ID
	}
	id := pc.ids.Unique("chart-" + markdown.Slug(base))
	pc.ids.Put([]byte(id + "-t"))
	pc.ids.Put([]byte(id + "-d"))
	var source Link
	if f.table != nil {
		source = Link{Title: f.table.Title, Path: "#" + pc.anchors[f.table]}
	}
	return pc.r.chartView(f, id, source, pc.csv[f.table])
}

// index returns the position of t among the disclosure's tables.
func (pc *pageCharts) index(t *fiscal.Table) int {
	for i, x := range pc.d.Tables {
		if x == t {
			return i
		}
	}
	return -1
}

// slot is the mark left before a table placed in the narrative, where its
// automatic charts go once every section is rendered and it is known which
// charts the narrative placed itself.
func slot(i int) template.HTML { return template.HTML(slotPrefix + strconv.Itoa(i) + "-->") }

const slotPrefix = "<!--disclose:charts:"

// fill puts the automatic charts no reference placed before their tables:
// into the slots of tables in the narrative (the first slot of a table
// placed twice), or onto the tables shown after it. One pass over each
// section's HTML.
func (pc *pageCharts) fill(sections []SectionView, tables []TableView, rest []*fiscal.Table) error {
	byTable := map[*fiscal.Table][]*figure{}
	for _, f := range pc.auto {
		if !pc.placed[f.key()] && f.table != nil {
			byTable[f.table] = append(byTable[f.table], f)
			pc.placed[f.key()] = true
		}
	}
	views := func(t *fiscal.Table) ([]ChartView, error) {
		var out []ChartView
		for _, f := range byTable[t] {
			v, err := pc.view(f)
			if errors.Is(err, chart.ErrNoData) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	done := map[int]bool{}
	for si := range sections {
		s := string(sections[si].HTML)
		if !strings.Contains(s, slotPrefix) {
			continue
		}
		// The pieces first, joined into one string of their size: a
		// section holds its tables, and regrowing a builder for it was a
		// tenth of a build's allocation.
		var parts []string
		for {
			i := strings.Index(s, slotPrefix)
			if i < 0 {
				parts = append(parts, s)
				break
			}
			parts = append(parts, s[:i])
			s = s[i+len(slotPrefix):]
			end := strings.Index(s, "-->")
			n, err := strconv.Atoi(s[:end])
			s = s[end+len("-->"):]
			if err != nil || n < 0 || n >= len(pc.d.Tables) || done[n] {
				continue
			}
			done[n] = true
			vs, err := views(pc.d.Tables[n])
			if err != nil {
				return err
			}
			for _, v := range vs {
				parts = append(parts, string(v.HTML), "\n")
			}
		}
		sections[si].HTML = template.HTML(strings.Join(parts, ""))
	}
	for ti, t := range rest {
		vs, err := views(t)
		if err != nil {
			return err
		}
		tables[ti].Charts = vs
	}
	return nil
}

// flowTotal is the year's income or spending (flow 收入 or 支出) a
// disclosure states: its 本年收入合计 or 本年支出合计 where its 收支总表 has
// one, else the total of its headline part; ok is false when it states
// none. Every list and chart of the site shows this figure, so that a
// reader meets one number for a year's spending.
func flowTotal(d *fiscal.Disclosure, flow string) (fen int64, unit fiscal.Unit, ok bool) {
	t, p := headlinePart(d, flow)
	if p == nil {
		return 0, 0, false
	}
	col := valueColumn(p)
	for _, role := range []fiscal.Role{fiscal.Subtotal, fiscal.Total} {
		for _, r := range p.Rows {
			if r.Role == role {
				if v, ok := value(r, col); ok {
					return v, t.Unit, true
				}
			}
		}
	}
	return 0, 0, false
}

// trendFigure is a body's spending across years: one line for its budgets
// and one for its final accounts.
func trendFigure(b *fiscal.Body) *figure {
	if len(b.Disclosures) == 0 {
		return nil
	}
	first, last := b.Disclosures[0].Year, b.Disclosures[0].Year
	for _, d := range b.Disclosures {
		first, last = min(first, d.Year), max(last, d.Year)
	}
	var xs []string
	for y := first; y <= last; y++ {
		xs = append(xs, strconv.Itoa(y)+"年")
	}
	var unit fiscal.Unit
	series := []chart.LineSeries{{Name: "预算"}, {Name: "决算"}}
	for _, d := range b.Disclosures {
		v, u, ok := flowTotal(d, "支出")
		if !ok {
			continue
		}
		unit = u
		i := 0
		if d.Kind == fiscal.Final {
			i = 1
		}
		series[i].Points = append(series[i].Points, chart.Point{X: d.Year - first, Value: v})
	}
	var lines []chart.LineSeries
	enough := false
	for _, s := range series {
		if len(s.Points) > 0 {
			lines = append(lines, s)
			enough = enough || len(s.Points) >= 2
		}
	}
	if !enough {
		return nil
	}
	return &figure{kind: "line", q: chart.Money(unit), xs: xs, lines: lines, name: "历年支出",
		title: b.Name + "历年支出（" + strconv.Itoa(first) + "—" + strconv.Itoa(last) + "年）"}
}

// rankingFigure ranks the departments by their latest year's spending:
// only 部门-scope disclosures of bodies that are not units of another, so
// no department is counted with its units. A body whose latest figures are
// from another year or kind than the others says so in its label.
func rankingFigure(site *fiscal.Site) *figure {
	type entry struct {
		body  *fiscal.Body
		d     *fiscal.Disclosure
		value int64
	}
	var entries []entry
	maxV := int64(0)
	for _, b := range site.Bodies {
		if b.Parent != "" {
			continue
		}
		var best *fiscal.Disclosure
		var bestV int64
		for _, d := range b.Disclosures {
			if d.Scope != fiscal.Department {
				continue
			}
			v, _, ok := flowTotal(d, "支出")
			if !ok {
				continue
			}
			// The latest year; in a year, the budget (every body publishes
			// one, and before its final account).
			if best == nil || d.Year > best.Year || (d.Year == best.Year && d.Kind == fiscal.Budget) {
				best, bestV = d, v
			}
		}
		if best != nil {
			entries = append(entries, entry{b, best, bestV})
			maxV = max(maxV, bestV)
		}
	}
	if len(entries) == 0 {
		return nil
	}
	same := true
	for _, e := range entries {
		same = same && e.d.Year == entries[0].d.Year && e.d.Kind == entries[0].d.Kind
	}
	unit := fiscal.Wanyuan
	if maxV >= 100*fiscal.Yiyuan.Fen() {
		unit = fiscal.Yiyuan
	}
	var items []chart.Item
	for _, e := range entries {
		l := e.body.DisplayName()
		var tags []string
		if !same {
			tags = append(tags, fmt.Sprintf("%d年%s", e.d.Year, e.d.Kind))
		}
		if e.body.Example {
			tags = append(tags, "示例数据")
		}
		if len(tags) > 0 {
			l += "（" + strings.Join(tags, "，") + "）"
		}
		items = append(items, chart.Item{Label: l, Value: e.value})
	}
	items = chart.Rank(items)
	f := &figure{kind: "bars", q: chart.Money(unit), name: "部门排名", label: "部门"}
	if same {
		f.title = fmt.Sprintf("%d年各部门%s支出", entries[0].d.Year, entries[0].d.Kind)
	} else {
		f.title = "各部门最近一年支出"
		f.notes = append(f.notes, "各部门的最近一年不同，括号中注明年度和类型；不同年度的数字不相加，也不算占比。")
		f.apart = true
	}
	f.notes = append(f.notes, "只计部门（含所属单位）的公开数，单位的公开数已含在其部门中，不重复计算。")
	const shown = 20
	if len(items) > shown {
		f.more = items[shown:]
		items = items[:shown]
		f.notes = append(f.notes, fmt.Sprintf("图中列出前%d个部门，其余%d个见数据表和CSV。", shown, len(f.more)))
	}
	f.items = items
	return f
}

// csvRows writes the figure's figures for a CSV: plain numbers in its
// unit, no separators.
func (f *figure) csvRows() [][]string {
	unit := "（" + f.q.UnitName() + "）"
	plain := func(v int64) string { return fiscal.FormatPlain(v, f.q.Unit, f.q.Unit.Places()) }
	var rows [][]string
	switch f.kind {
	case "line":
		head := []string{"年度"}
		for _, l := range f.lines {
			head = append(head, l.Name+unit)
		}
		rows = append(rows, head)
		for x, name := range f.xs {
			row := []string{strings.TrimSuffix(name, "年")}
			for _, l := range f.lines {
				cell := ""
				for _, p := range l.Points {
					if p.X == x {
						cell = plain(p.Value)
					}
				}
				row = append(row, cell)
			}
			rows = append(rows, row)
		}
	default:
		label := f.label
		if label == "" {
			label = "项目"
		}
		rows = append(rows, []string{label, "金额" + unit})
		for _, it := range append(append([]chart.Item{}, f.items...), f.more...) {
			rows = append(rows, []string{it.Label, plain(it.Value)})
		}
	}
	return rows
}

// siteChart draws a chart of the body or home page, with its CSV at
// csvPath.
func (r *Renderer) siteChart(f *figure, id, csvPath, csvName, source string) (ChartView, *Download, error) {
	dl := r.newDownload(f.title, csvPath, csvName, "CSV", dataset.CSV(f.csvRows()))
	v, err := r.chartView(f, id, Link{Title: source}, dl)
	return v, dl, err
}
