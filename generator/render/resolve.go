package render

import (
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/markdown"
	"github.com/disclose/disclose/generator/tomlpos"
)

// resolver resolves the references of one disclosure page.
type resolver struct {
	r   *Renderer
	d   *fiscal.Disclosure
	ids *markdown.IDs
	// embedded records the tables placed in the narrative; the others are
	// shown after it.
	embedded map[*fiscal.Table]bool
	terms    func() (template.HTML, error)
	charts   *pageCharts
}

// newResolver returns the resolver of the page pc prepares the charts of;
// set its terms to resolve {{名词解释}}.
func newResolver(pc *pageCharts) *resolver {
	return &resolver{r: pc.r, d: pc.d, ids: pc.ids, embedded: map[*fiscal.Table]bool{}, charts: pc}
}

// Resolve implements markdown.Resolver.
func (res *resolver) Resolve(ref markdown.Ref) (markdown.Output, error) {
	if ref.Verb == "" && (ref.Target == "名词解释" || ref.Target == "glossary") {
		html, err := res.terms()
		return markdown.Output{HTML: html, Block: true}, err
	}
	verb, ok := markdown.Verb(ref.Verb)
	if !ok {
		return markdown.Output{}, fmt.Errorf("不认识的引用 {{%s}}：“%s”不是引用的种类。可用：{{表.行}}（数值）、{{增减 表.行}}、{{增减额 表.行}}、{{增减率 表.行}}、{{占比 表.行}}、{{表 表名}}、{{图 图名或表名}}、{{名词解释}}", ref.Raw, ref.Verb)
	}
	if verb == "chart" {
		return res.charts.resolve(ref)
	}
	if v, _ := markdown.Verb(ref.Target); ref.Verb == "" && (v == "chart" || v == "table") {
		return markdown.Output{}, fmt.Errorf("引用 {{%s}} 没有写是哪个：写成 {{%s 名称}}，例如 {{%s 三公}}", ref.Raw, ref.Target, ref.Target)
	}
	if ref.Target == "" {
		return markdown.Output{}, fmt.Errorf("引用 {{%s}} 是空的：写成 {{表名.行名}}，例如 {{三公.合计}}", ref.Raw)
	}
	path := strings.Split(ref.Target, ".")
	t := res.d.Table(path[0])
	if t == nil {
		return markdown.Output{}, fmt.Errorf("引用 {{%s}}：本次公开中没有名为“%s”的表%s。可用的表：%s", ref.Raw, path[0], suggest(path[0], res.tableIDs()), strings.Join(res.tableIDs(), "、"))
	}
	if verb == "table" {
		if len(path) > 1 {
			return markdown.Output{}, fmt.Errorf("引用 {{%s}}：插入表格只写表名，例如 {{表 %s}}", ref.Raw, t.ID)
		}
		id := res.charts.anchors[t]
		if res.embedded[t] {
			id = res.ids.Unique("table-" + markdown.Slug(t.ID))
		}
		res.embedded[t] = true
		v := NewTableView(t, id)
		v.CSV = res.charts.csv[t]
		html, err := res.r.tableViewHTML(&v)
		if err != nil {
			return markdown.Output{}, layoutFailure{err}
		}
		return markdown.Output{HTML: slot(res.charts.index(t)) + html, Block: true}, nil
	}
	if len(path) < 2 || path[1] == "" {
		return markdown.Output{}, fmt.Errorf("引用 {{%s}}：请写出是哪一行，例如 {{%s.合计}}；插入整张表用 {{表 %s}}", ref.Raw, t.ID, t.ID)
	}
	if len(path) > 3 {
		return markdown.Output{}, fmt.Errorf("引用 {{%s}}：最多写 表名.行名.列名 三段", ref.Raw)
	}
	row, err := t.Row(path[1])
	if err != nil {
		return markdown.Output{}, fmt.Errorf("引用 {{%s}}：%v%s", ref.Raw, err, suggest(path[1], rowNames(t)))
	}
	part := t.PartOf(row)
	switch verb {
	case "value":
		var cell *fiscal.Cell
		if len(path) == 3 {
			col := part.Kind.Column(path[2])
			if col == nil {
				return markdown.Output{}, fmt.Errorf("引用 {{%s}}：表“%s”没有“%s”这一列。可用的列：%s", ref.Raw, t.ID, path[2], columnList(part))
			}
			cell = row.Cell(col.ID)
			if cell == nil {
				return markdown.Output{}, fmt.Errorf("引用 {{%s}}：“%s”这一行的“%s”列是空的", ref.Raw, row.Name, col.Title)
			}
		} else if cell = part.Main(row); cell == nil {
			return markdown.Output{}, fmt.Errorf("引用 {{%s}}：“%s”这一行没有数字", ref.Raw, row.Name)
		}
		return markdown.Output{Text: cell.Prose(row, t.Unit)}, nil
	case "change", "delta", "rate":
		if len(path) == 3 {
			return markdown.Output{}, fmt.Errorf("引用 {{%s}}：增减只对一行而言，不写列名", ref.Raw)
		}
		ch, ok := t.Change(row)
		if !ok {
			return markdown.Output{}, fmt.Errorf("引用 {{%s}}：“%s”这一行既没有写增减（change），也没有写上年数（previous），无从说明增减", ref.Raw, row.Name)
		}
		switch verb {
		case "change":
			return markdown.Output{Text: ch.Phrase(t.Unit)}, nil
		case "delta":
			return markdown.Output{Text: ch.Abs().Prose(t.Unit)}, nil
		}
		if !ch.HasPct {
			return markdown.Output{}, fmt.Errorf("引用 {{%s}}：“%s”这一行没有增减率：上年数为零时无法计算（写“上年无此项”），或在 data.toml 中写 change_pct", ref.Raw, row.Name)
		}
		return markdown.Output{Text: ch.AbsPct().String() + "%"}, nil
	case "share":
		col := "amount"
		if len(path) == 3 {
			c := part.Kind.Column(path[2])
			if c == nil {
				return markdown.Output{}, fmt.Errorf("引用 {{%s}}：表“%s”没有“%s”这一列。可用的列：%s", ref.Raw, t.ID, path[2], columnList(part))
			}
			col = c.ID
		} else if main := part.Main(row); main != nil {
			col = main.Column.ID
		}
		d, ok := t.Share(row, col)
		if !ok {
			return markdown.Output{}, fmt.Errorf("引用 {{%s}}：无法计算“%s”的占比：表中没有合计行，或合计为零", ref.Raw, row.Name)
		}
		return markdown.Output{Text: d.String() + "%"}, nil
	}
	return markdown.Output{}, fmt.Errorf("引用 {{%s}} 无法解析", ref.Raw)
}

func (res *resolver) tableIDs() []string {
	ids := make([]string, len(res.d.Tables))
	for i, t := range res.d.Tables {
		ids[i] = t.ID
	}
	return ids
}

func rowNames(t *fiscal.Table) []string {
	var names []string
	for _, p := range t.Parts {
		for _, r := range p.Rows {
			names = append(names, r.Name)
		}
	}
	return names
}

func columnList(p *fiscal.Part) string {
	var out []string
	for _, c := range p.Kind.Columns {
		out = append(out, c.ID+"（"+c.Title+"）")
	}
	return strings.Join(out, "、")
}

func suggest(s string, candidates []string) string {
	if slices.Contains(candidates, s) {
		return ""
	}
	if c := tomlpos.Suggest(s, candidates); c != "" {
		return fmt.Sprintf("（是否想写“%s”？）", c)
	}
	return ""
}

// layoutFailure is a reference's error that is a layout's: the table
// partial failed. DisclosurePage reports it at the layout (TemplateError),
// once a page for all the references it failed, not at each.
type layoutFailure struct{ err error }

func (e layoutFailure) Error() string { return e.err.Error() }

// tableViewHTML renders the "table" layout for v: with the theme's own
// partial, by writeTable.
func (r *Renderer) tableViewHTML(v *TableView) (template.HTML, error) {
	// A strings.Builder, sized for the cells, so the HTML is neither
	// regrown nor copied into its string.
	var b strings.Builder
	b.Grow(512 + 48*len(v.Rows)*max(1, v.Cols))
	if r.fastTable {
		writeTable(&b, v)
	} else if err := r.tmpl.ExecuteTemplate(&b, "table", v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}
