package render

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/disclose/disclose/generator/fiscal"
)

// TableView is what the "table" layout receives: a table laid out as a grid
// of header rows and body rows, every cell already formatted, in the shape
// the table was published in.
type TableView struct {
	ID     string // anchor of the table, unique on the page
	Number string // 表1, 表一: as published, or ""
	Title  string
	Unit   string // 万元, 元; "" when the table holds no money
	Kind   string // the table kind's id, for styling
	Layout string // list, coded, summary, wide, split
	Note   string
	Empty  bool
	// Head holds the header rows; a cell spans columns and rows as the
	// published header does.
	Head [][]HeadCell
	Rows []RowView
	// Cols is the number of columns.
	Cols int
	// CSV is the download of the table's figures; nil if there is none.
	CSV *Download
	// Charts are the charts shown before the table (only for tables the
	// narrative does not place: those it places get theirs in the
	// narrative).
	Charts []ChartView
	// HTML is the table rendered by the "table" layout, for pages that
	// list tables (DisclosureView.Tables); empty inside that layout.
	HTML template.HTML
}

// HeadCell is one header cell.
type HeadCell struct {
	Text    string
	ColSpan int
	RowSpan int
	// Scope is "col": a header spanning columns (a group, 收入 over its
	// columns) applies to each of them. Not "colgroup", which names a
	// <colgroup> the table does not have.
	Scope string
	Num   bool // heads a numeric column (right-aligned)
}

// RowView is one body row.
type RowView struct {
	Cells []CellView
	// Class is "total" (合计), "subtotal" (本年收入合计), "memo" (其中),
	// "part-head" or "".
	Class string
}

// CellView is one body cell.
type CellView struct {
	Text string
	// Header cells name the row (th scope="row").
	Header bool
	// Level indents a row header: 1 for a 款 under its 类, 2 for a 项.
	Level int
	Num   bool
	Money bool // an amount (a fact), not a percentage or a count
	Code  bool
}

// NewTableView lays out t. The id is the table's anchor on the page.
func NewTableView(t *fiscal.Table, id string) TableView {
	v := TableView{ID: id, Title: t.Title, Kind: t.Kind.ID, Layout: t.Kind.Layout, Note: t.Note, Empty: t.Empty}
	if n := t.Number; n != "" {
		if _, err := strconv.Atoi(n); err == nil {
			n = "表" + n
		}
		v.Number = n
	}
	hasMoney := false
	for _, p := range t.Parts {
		for _, c := range p.Columns {
			hasMoney = hasMoney || c.Type == fiscal.MoneyColumn
		}
	}
	if hasMoney {
		v.Unit = t.Unit.String()
	}
	switch {
	case t.Kind.Layout == "summary" && len(t.Parts) == 2:
		v.Head, v.Rows, v.Cols = sideBySide(t, t.Parts[0], t.Parts[1])
	case t.Kind.Layout == "wide" && len(t.Parts) == 1:
		v.Head, v.Rows, v.Cols = wide(t, t.Parts[0])
	case t.Kind.Layout == "split" && len(t.Parts) == 1:
		v.Head, v.Rows, v.Cols = split(t, t.Parts[0])
	default:
		stacked(&v, t)
	}
	return v
}

// stacked lays parts out one after another; a later part's header becomes
// a header row inside the body.
func stacked(v *TableView, t *fiscal.Table) {
	for i, p := range t.Parts {
		if len(t.Parts) > 1 && len(p.Rows) == 0 {
			continue
		}
		head, rows, cols := partGrid(t, p)
		if i == 0 || len(v.Head) == 0 {
			v.Head = head
		} else {
			for _, hr := range head {
				var cells []CellView
				for _, h := range hr {
					cells = append(cells, CellView{Text: h.Text, Header: true})
				}
				v.Rows = append(v.Rows, RowView{Cells: cells, Class: "part-head"})
			}
		}
		v.Rows = append(v.Rows, rows...)
		v.Cols = max(v.Cols, cols)
	}
}

// partGrid lays out one part: an optional code column, the name column,
// then the published columns under their header groups.
func partGrid(t *fiscal.Table, p *fiscal.Part) ([][]HeadCell, []RowView, int) {
	hasCode := false
	for _, r := range p.Rows {
		hasCode = hasCode || r.Code != ""
	}
	depth := groupDepth(p.Columns)
	head := make([][]HeadCell, depth)
	stubs := 1
	if hasCode {
		stubs = 2
		head[0] = append(head[0], HeadCell{Text: codeTitle(p.Kind.Code), RowSpan: depth, ColSpan: 1, Scope: "col"})
	}
	head[0] = append(head[0], HeadCell{Text: t.NameHeading(hasCode), RowSpan: depth, ColSpan: 1, Scope: "col"})
	addColumnHeads(head, 0, p.Columns)
	rows := make([]RowView, 0, len(p.Rows))
	for _, r := range p.Rows {
		rv := RowView{Class: rowClass(r), Cells: make([]CellView, 0, stubs+len(p.Columns))}
		if hasCode {
			rv.Cells = append(rv.Cells, CellView{Text: r.Code, Code: true})
		}
		rv.Cells = append(rv.Cells, nameCell(r))
		for _, c := range p.Columns {
			rv.Cells = append(rv.Cells, formatCell(r, c, t.Unit))
		}
		rows = append(rows, rv)
	}
	return head, rows, stubs + len(p.Columns)
}

func nameCell(r *fiscal.Row) CellView {
	return CellView{Text: r.Name, Header: true, Level: r.Level}
}

func rowClass(r *fiscal.Row) string {
	switch r.Role {
	case fiscal.Total:
		return "total"
	case fiscal.Subtotal:
		return "subtotal"
	case fiscal.Memo:
		return "memo"
	}
	return ""
}

// groupDepth is the number of header rows the columns need.
func groupDepth(cols []*fiscal.Column) int {
	depth := 1
	for _, c := range cols {
		depth = max(depth, len(c.Group)+1)
	}
	return depth
}

// addColumnHeads adds the headers of cols to head, starting at header row
// top: group cells span the consecutive columns that share the group path,
// and a column's own title spans down to the last header row.
func addColumnHeads(head [][]HeadCell, top int, cols []*fiscal.Column) {
	depth := len(head) - top
	for level := range depth {
		for i := 0; i < len(cols); {
			c := cols[i]
			switch {
			case level > len(c.Group):
				i++
			case level == len(c.Group):
				head[top+level] = append(head[top+level], HeadCell{Text: columnTitle(c), RowSpan: depth - level, ColSpan: 1, Scope: "col", Num: c.Type != fiscal.TextColumn})
				i++
			default:
				j := i + 1
				for j < len(cols) && samePrefix(cols[j].Group, c.Group, level+1) {
					j++
				}
				head[top+level] = append(head[top+level], HeadCell{Text: c.Group[level], ColSpan: j - i, RowSpan: 1, Scope: "col"})
				i = j
			}
		}
	}
}

// sideBySide lays out a 收支总表: income on the left, expenditure on the
// right, row by row as published, with the closing totals (本年收入合计 …
// 收入总计 and 本年支出合计 … 支出总计) aligned at the bottom.
func sideBySide(t *fiscal.Table, left, right *fiscal.Part) ([][]HeadCell, []RowView, int) {
	lw, rw := 1+len(left.Columns), 1+len(right.Columns)
	head := [][]HeadCell{
		{
			{Text: left.Heading(), ColSpan: lw, RowSpan: 1, Scope: "col"},
			{Text: right.Heading(), ColSpan: rw, RowSpan: 1, Scope: "col"},
		},
		{},
	}
	for _, side := range []*fiscal.Part{left, right} {
		head[1] = append(head[1], HeadCell{Text: "项目", ColSpan: 1, RowSpan: 1, Scope: "col"})
		for _, c := range side.Columns {
			head[1] = append(head[1], HeadCell{Text: columnTitle(c), ColSpan: 1, RowSpan: 1, Scope: "col", Num: c.Type != fiscal.TextColumn})
		}
	}
	lBody, lTail := splitTail(left.Rows)
	rBody, rTail := splitTail(right.Rows)
	n := max(len(lBody), len(rBody))
	lRows := append(pad(lBody, n), pad(lTail, max(len(lTail), len(rTail)))...)
	rRows := append(pad(rBody, n), pad(rTail, max(len(lTail), len(rTail)))...)
	var rows []RowView
	for i := range lRows {
		rv := RowView{}
		for s, r := range []*fiscal.Row{lRows[i], rRows[i]} {
			part := []*fiscal.Part{left, right}[s]
			if r == nil {
				rv.Cells = append(rv.Cells, CellView{Header: true})
				for _, c := range part.Columns {
					rv.Cells = append(rv.Cells, CellView{Num: c.Type != fiscal.TextColumn})
				}
				continue
			}
			if c := rowClass(r); c == "total" || (c == "subtotal" && rv.Class == "") {
				rv.Class = c
			}
			rv.Cells = append(rv.Cells, nameCell(r))
			for _, c := range part.Columns {
				rv.Cells = append(rv.Cells, formatCell(r, c, t.Unit))
			}
		}
		rows = append(rows, rv)
	}
	return head, rows, lw + rw
}

// splitTail cuts rows before the first subtotal or total: the tail holds the
// closing lines a 收支总表 aligns at its bottom.
func splitTail(rows []*fiscal.Row) (body, tail []*fiscal.Row) {
	for i, r := range rows {
		if r.Role == fiscal.Total || r.Role == fiscal.Subtotal {
			return rows[:i], rows[i:]
		}
	}
	return rows, nil
}

func pad(rows []*fiscal.Row, n int) []*fiscal.Row {
	out := make([]*fiscal.Row, n)
	copy(out, rows)
	return out
}

// wide lays out a table whose rows are measures (上年预算数, 本年预算数) side
// by side as published: one header group per measure over the column groups,
// and one row of figures. A single measure needs no group of its own.
func wide(t *fiscal.Table, p *fiscal.Part) ([][]HeadCell, []RowView, int) {
	top := 0
	if len(p.Rows) > 1 {
		top = 1
	}
	depth := groupDepth(p.Columns)
	head := make([][]HeadCell, top+depth)
	rv := RowView{}
	for _, r := range p.Rows {
		if top == 1 {
			head[0] = append(head[0], HeadCell{Text: r.Name, ColSpan: len(p.Columns), RowSpan: 1, Scope: "col"})
		}
		addColumnHeads(head, top, p.Columns)
		for _, c := range p.Columns {
			rv.Cells = append(rv.Cells, formatCell(r, c, t.Unit))
		}
	}
	var rows []RowView
	if len(p.Rows) > 0 {
		rows = append(rows, rv)
	}
	return head, rows, max(1, len(p.Rows)) * len(p.Columns)
}

// split lays out a 基本支出决算表: 人员经费 (301, 303) on the left and 公用经费
// (302, 310 and the rest) on the right, each side's 合计 in the footer.
func split(t *fiscal.Table, p *fiscal.Part) ([][]HeadCell, []RowView, int) {
	var left, right, lTail, rTail []*fiscal.Row
	for _, r := range p.Rows {
		personnel := strings.HasPrefix(r.Code, "301") || strings.HasPrefix(r.Code, "303") ||
			(r.Known != nil && r.Known.Nature == "人员经费")
		switch {
		case r.Role == fiscal.Total && personnel:
			lTail = append(lTail, r)
		case r.Role == fiscal.Total:
			rTail = append(rTail, r)
		case personnel:
			left = append(left, r)
		default:
			right = append(right, r)
		}
	}
	side := 2 + len(p.Columns)
	head := [][]HeadCell{
		{{Text: "人员经费", ColSpan: side, RowSpan: 1, Scope: "col"}, {Text: "公用经费", ColSpan: side, RowSpan: 1, Scope: "col"}},
		{},
	}
	for range 2 {
		head[1] = append(head[1], HeadCell{Text: codeTitle(fiscal.Economic), ColSpan: 1, RowSpan: 1, Scope: "col"}, HeadCell{Text: "科目名称", ColSpan: 1, RowSpan: 1, Scope: "col"})
		for _, c := range p.Columns {
			head[1] = append(head[1], HeadCell{Text: columnTitle(c), ColSpan: 1, RowSpan: 1, Scope: "col", Num: true})
		}
	}
	n := max(len(left), len(right))
	tn := max(len(lTail), len(rTail))
	ls := append(pad(left, n), pad(lTail, tn)...)
	rs := append(pad(right, n), pad(rTail, tn)...)
	var rows []RowView
	for i := range ls {
		rv := RowView{}
		for _, r := range []*fiscal.Row{ls[i], rs[i]} {
			if r == nil {
				rv.Cells = append(rv.Cells, CellView{Code: true}, CellView{Header: true})
				for range p.Columns {
					rv.Cells = append(rv.Cells, CellView{Num: true})
				}
				continue
			}
			if r.Role == fiscal.Total {
				rv.Class = "total"
			}
			rv.Cells = append(rv.Cells, CellView{Text: r.Code, Code: true}, nameCell(r))
			for _, c := range p.Columns {
				rv.Cells = append(rv.Cells, formatCell(r, c, t.Unit))
			}
		}
		rows = append(rows, rv)
	}
	return head, rows, 2 * side
}

func samePrefix(a, b []string, n int) bool {
	if len(a) < n || len(b) < n {
		return false
	}
	for i := range n {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func codeTitle(s fiscal.CodeScheme) string {
	if s == fiscal.Economic {
		return "经济分类科目编码"
	}
	return "功能分类科目编码"
}

// columnTitle puts a column's unit in its header: 人员编制（名）, 增减率（%）.
func columnTitle(c *fiscal.Column) string {
	switch {
	case c.Type == fiscal.PercentColumn:
		return c.Title + "（%）"
	case c.Type == fiscal.CountColumn && c.Unit != "":
		return c.Title + "（" + c.Unit + "）"
	}
	return c.Title
}

// formatCell is the one formatter of table cells: money with separators
// and the table's two decimals, percentages as stated, counts with the
// row's own unit where the column has none.
func formatCell(r *fiscal.Row, c *fiscal.Column, u fiscal.Unit) CellView {
	cell := r.Cell(c.ID)
	cv := CellView{Num: c.Type != fiscal.TextColumn}
	if cell == nil {
		return cv
	}
	switch c.Type {
	case fiscal.MoneyColumn:
		cv.Text = fiscal.FormatAmount(cell.Fig.Fen, u, u.Places())
		cv.Money = true
	case fiscal.PercentColumn:
		cv.Text = cell.Dec.String()
	case fiscal.CountColumn:
		cv.Text = strconv.FormatInt(cell.Count, 10)
		if c.Unit == "" {
			cv.Text += r.CountUnit
		}
	default:
		cv.Text = strings.TrimSpace(cell.Text)
	}
	return cv
}
