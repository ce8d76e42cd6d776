package render

import (
	"strconv"
	"strings"

	"github.com/disclose/disclose/generator/fiscal"
)

// TableView is what the "table" layout receives: a table laid out as a grid
// of header rows and body rows, every cell already formatted.
type TableView struct {
	ID     string // anchor of the table, unique on the page
	Number string // 表1, 表一: as published, or ""
	Title  string
	Unit   string // 万元, 元; "" when the table holds no money
	Kind   string // the table kind's id, for styling
	Note   string
	Empty  bool
	// Head holds the header rows; a cell spans columns and rows as the
	// published header does.
	Head [][]HeadCell
	Rows []RowView
	// Cols is the number of columns.
	Cols int
}

// HeadCell is one header cell.
type HeadCell struct {
	Text    string
	ColSpan int
	RowSpan int
	// Scope is "col" for a column header, "colgroup" for a group.
	Scope string
	Num   bool // heads a numeric column (right-aligned)
}

// RowView is one body row.
type RowView struct {
	Cells []CellView
	// Class is "total" (合计), "memo" (其中) or "".
	Class string
	Level int // indentation of the row name
}

// CellView is one body cell.
type CellView struct {
	Text string
	// Header cells name the row (th scope="row").
	Header bool
	Num    bool
	Code   bool
}

// TableView lays out t. The id is the table's anchor on the page.
func NewTableView(t *fiscal.Table, id string) TableView {
	v := TableView{ID: id, Title: t.Title, Kind: t.Kind.ID, Note: t.Note, Empty: t.Empty}
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
	// Parts are laid out one after another; each brings its own header.
	// (Side-by-side 收支总表 layouts build on this grid.)
	for i, p := range t.Parts {
		if len(t.Parts) > 1 && len(p.Rows) == 0 && len(p.Columns) == 0 {
			continue
		}
		head, rows, cols := partGrid(t, p)
		if i == 0 || len(v.Head) == 0 {
			v.Head = head
		} else {
			// A later part's header becomes a header row inside the body.
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
	return v
}

// partGrid lays out one part: an optional code column, the name column,
// then the published columns under their header groups.
func partGrid(t *fiscal.Table, p *fiscal.Part) ([][]HeadCell, []RowView, int) {
	hasCode := false
	for _, r := range p.Rows {
		hasCode = hasCode || r.Code != ""
	}
	depth := 1
	for _, c := range p.Columns {
		depth = max(depth, len(c.Group)+1)
	}
	head := make([][]HeadCell, depth)
	stubs := 1
	if hasCode {
		stubs = 2
		head[0] = append(head[0], HeadCell{Text: codeTitle(p.Kind.Code), RowSpan: depth, ColSpan: 1, Scope: "col"})
	}
	nameTitle := "项目"
	if p.Kind.Title != "" {
		nameTitle = p.Kind.Title
	}
	if hasCode {
		nameTitle = "科目名称"
	}
	if t.Kind.ID == "org" {
		nameTitle = "机构名称"
	}
	head[0] = append(head[0], HeadCell{Text: nameTitle, RowSpan: depth, ColSpan: 1, Scope: "col"})
	// Group cells span the consecutive columns that share the group path.
	for level := range depth {
		for i := 0; i < len(p.Columns); {
			c := p.Columns[i]
			if level > len(c.Group) {
				i++
				continue
			}
			if level == len(c.Group) {
				head[level] = append(head[level], HeadCell{Text: columnTitle(c), RowSpan: depth - level, ColSpan: 1, Scope: "col", Num: c.Type != fiscal.TextColumn})
				i++
				continue
			}
			j := i + 1
			for j < len(p.Columns) && samePrefix(p.Columns[j].Group, c.Group, level+1) {
				j++
			}
			head[level] = append(head[level], HeadCell{Text: c.Group[level], ColSpan: j - i, RowSpan: 1, Scope: "colgroup"})
			i = j
		}
	}
	var rows []RowView
	for _, r := range p.Rows {
		rv := RowView{Level: r.Level}
		switch r.Role {
		case fiscal.Total:
			rv.Class = "total"
		case fiscal.Memo:
			rv.Class = "memo"
		}
		if hasCode {
			rv.Cells = append(rv.Cells, CellView{Text: r.Code, Code: true})
		}
		rv.Cells = append(rv.Cells, CellView{Text: r.Name, Header: true})
		for _, c := range p.Columns {
			rv.Cells = append(rv.Cells, formatCell(r, c, t.Unit))
		}
		rows = append(rows, rv)
	}
	return head, rows, stubs + len(p.Columns)
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
