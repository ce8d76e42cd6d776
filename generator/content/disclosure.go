package content

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/tomlpos"
)

// loadDisclosure reads data.toml and the sections of the disclosure in dir
// into d. It reports false when the folder is not a disclosure at all.
func loadDisclosure(fsys fs.FS, dir string, d *fiscal.Disclosure, cat *fiscal.Catalog, diags *diag.List) bool {
	file := dir + "/data.toml"
	d.DataFile = file
	data, ok := readText(fsys, file, diags, true)
	if !ok {
		if _, err := fs.Stat(fsys, file); errors.Is(err, fs.ErrNotExist) {
			diags.Errorf(dir, 0, 0, "content.data-missing", "文件夹 %s 中缺少 data.toml（本次公开的数字）", dir)
		}
		return false
	}
	r, o, ok := tomlpos.Read(diags, file, data, "")
	if !ok {
		return false
	}
	if o.Require("unit", `写明本次公开金额的单位：unit = "万元" 或 unit = "元"`) {
		if s, ok := o.String("unit"); ok {
			u, ok := fiscal.ParseUnit(s)
			if !ok || u == fiscal.Yiyuan {
				r.Errorf(o.Get("unit").Pos, "data.unit", "unit 应为 \"万元\" 或 \"元\"，这里是 %q", s)
			}
			d.Unit = u
		}
	}
	if d.Unit == 0 {
		d.Unit = fiscal.Wanyuan // keep reading so later errors are found too
	}
	if s, ok := o.String("scope"); ok {
		switch s {
		case "部门":
			d.Scope = fiscal.Department
		case "单位":
			d.Scope = fiscal.UnitScope
		default:
			r.Errorf(o.Get("scope").Pos, "data.scope", "scope 应为 \"部门\"（含所属单位）或 \"单位\"（一个预算单位），这里是 %q", s)
		}
	}
	d.Title, _ = o.String("title")
	d.Approved, _ = o.Date("approved")
	d.ApprovalNo, _ = o.String("approval_no")
	d.Published, _ = o.Date("published")
	d.Updated, _ = o.Date("updated")
	for _, k := range []string{"title", "approved", "published", "updated"} {
		if v := o.Get(k); v != nil {
			if d.Sources == nil {
				d.Sources = map[string]fiscal.Source{}
			}
			d.Sources[k] = source(file, v.Pos)
		}
	}
	if v := o.Get("terms"); v != nil {
		d.TermsSource = source(file, v.Pos)
		d.Terms, _ = o.Strings("terms")
	}
	d.Glossary = readTerms(r, o, "glossary")
	ids := map[string]tomlpos.Pos{}
	for i, n := range o.Tables("table") {
		t := readTable(r, n, i, d, cat)
		if t == nil {
			continue
		}
		if first, dup := ids[t.ID]; dup {
			r.Errorf(n.Pos, "data.table-id", "表的引用名 %q 与第 %d 行的表重复：请用 id = \"…\" 给其中一张另起名字", t.ID, first.Line)
			continue
		}
		ids[t.ID] = n.Pos
		d.Tables = append(d.Tables, t)
	}
	o.Done()
	d.Sections = loadSections(fsys, dir, diags)
	return true
}

func readTable(r *tomlpos.Reader, n *tomlpos.Node, index int, d *fiscal.Disclosure, cat *fiscal.Catalog) *fiscal.Table {
	o := r.Object(n, fmt.Sprintf("第 %d 张表", index+1))
	defer o.Done()
	t := &fiscal.Table{Unit: d.Unit, Source: source(r.File, n.Pos)}
	if !o.Require("kind", `写明表的种类，例如 kind = "sangong_list"；种类见编辑指南（disclose 源代码中的 content/README.md）第六节`) {
		return nil
	}
	kindName, _ := o.String("kind")
	t.Kind = cat.Kind(kindName)
	if t.Kind == nil {
		msg := fmt.Sprintf("未知的表格种类 %q", kindName)
		if s := tomlpos.Suggest(kindName, cat.IDs()); s != "" {
			msg += fmt.Sprintf("，是否想写 %q？", s)
		} else {
			msg += "。"
		}
		r.Errorf(o.Get("kind").Pos, "data.kind", "%s可用的种类：%s", msg, strings.Join(cat.IDs(), "、"))
		return nil
	}
	id := cmp.Or(t.Kind.Ref, t.Kind.ID)
	if s, ok := o.String("id"); ok {
		if s == "" || strings.ContainsAny(s, ".．。 　{}｛｝|") {
			r.Errorf(o.Get("id").Pos, "data.table-id", "表的引用名 %q 不能为空，也不能含点号、空格、花括号或竖线", s)
		}
		id = s
	}
	t.SetID(id)
	t.Title = cmp.Or(t.Kind.Name, t.Kind.ID)
	if s, ok := o.String("title"); ok {
		t.Title = s
		t.TitleSource = source(r.File, o.Get("title").Pos)
	}
	if v := o.Get("number"); v != nil {
		switch v.Kind {
		case tomlpos.String:
			t.Number = v.Str
		case tomlpos.Integer:
			t.Number = v.Raw
		default:
			r.Errorf(v.Pos, "toml.type", "number（表号）应为数字或文字，例如 number = 1 或 number = \"表一\"")
		}
	}
	if s, ok := o.String("unit"); ok {
		u, ok := fiscal.ParseUnit(s)
		if !ok || u == fiscal.Yiyuan {
			r.Errorf(o.Get("unit").Pos, "data.unit", "unit 应为 \"万元\" 或 \"元\"，这里是 %q", s)
		} else {
			t.Unit = u
		}
	}
	t.Note, _ = o.String("note")
	t.Empty, _ = o.Bool("empty")
	t.Base, _ = o.String("base")
	if t.Base != "" {
		checkBase(r, o.Get("base"), t.Base)
	}
	var columns []string
	var columnsPos tomlpos.Pos
	if v := o.Get("columns"); v != nil {
		columns, _ = o.Strings("columns")
		columnsPos = v.Pos
		for _, c := range columns {
			found := false
			for _, p := range t.Kind.Parts {
				found = found || p.Column(c) != nil
			}
			if !found {
				r.Errorf(columnsPos, "data.column", "表 %s 没有列 %q。可用的列：%s", t.ID, c, columnIDs(t.Kind))
			}
		}
	}
	for _, pk := range t.Kind.Parts {
		p := &fiscal.Part{Kind: pk}
		what := "表 " + t.ID
		if pk.Key != "rows" {
			what += " " + pk.Key
		}
		for i, rn := range o.Tables(pk.Key) {
			if row := readRow(r, rn, rowName{what, i + 1}, t, pk); row != nil {
				p.Rows = append(p.Rows, row)
			}
		}
		p.Columns = publishedColumns(pk, columns, p.Rows, t.Kind.Layout)
		if len(columns) > 0 {
			for _, row := range p.Rows {
				for _, c := range row.Cells {
					if !slices.Contains(p.Columns, c.Column) {
						r.Errorf(pos(c.Source), "data.column", "列 %s 不在本表 columns 列出的公开列中：请把它加进 columns，或删去这个值", c.Column.ID)
					}
				}
			}
		}
		linkRows(r, t, p)
		t.Parts = append(t.Parts, p)
	}
	return t
}

func columnIDs(k *fiscal.TableKind) string {
	var ids []string
	for _, p := range k.Parts {
		for _, c := range p.Columns {
			if !slices.Contains(ids, c.ID) {
				ids = append(ids, c.ID+"（"+c.Title+"）")
			}
		}
	}
	return strings.Join(ids, "、")
}

// publishedColumns chooses the columns a part shows: those the table lists,
// in its order; else, for a narrative list, the columns any row fills; else
// the kind's default columns and any other column a row fills.
func publishedColumns(pk *fiscal.PartKind, listed []string, rows []*fiscal.Row, layout string) []*fiscal.Column {
	var out []*fiscal.Column
	if len(listed) > 0 {
		for _, id := range listed {
			if c := pk.Column(id); c != nil {
				out = append(out, c)
			}
		}
		return out
	}
	used := func(c *fiscal.Column) bool {
		for _, r := range rows {
			if r.Cell(c.ID) != nil {
				return true
			}
		}
		return false
	}
	for _, c := range pk.Columns {
		if used(c) || (layout != "list" && slices.Contains(pk.Default, c.ID)) {
			out = append(out, c)
		}
	}
	return out
}

var bases = []string{"上年预算", "上年执行数", "上年决算"}

func checkBase(r *tomlpos.Reader, v *tomlpos.Node, s string) {
	if !slices.Contains(bases, s) {
		r.Errorf(v.Pos, "data.base", "base（增减比较的基数）应为 %s 之一，这里是 %q", strings.Join(bases, "、"), s)
	}
}

// rowName names a row in messages (表 三公 第 3 行); it is put together
// only for a message.
type rowName struct {
	table string // 表 三公, or 表 三公 rows_b for a table of two parts
	row   int    // from 1
}

func (w rowName) String() string { return tomlpos.RowName(w.table, w.row) }

func readRow(r *tomlpos.Reader, n *tomlpos.Node, what rowName, t *fiscal.Table, pk *fiscal.PartKind) *fiscal.Row {
	o := r.Row(n, what.table, what.row)
	defer o.Done()
	row := &fiscal.Row{Source: source(r.File, n.Pos), Level: -1}
	row.ID, _ = o.String("id")
	row.Name, _ = o.String("name")
	if code, ok := o.String("code"); ok {
		row.Code = normCode(code)
		if !fiscal.ValidCode(row.Code, pk.Code) {
			r.Errorf(o.Get("code").Pos, "data.code", "编码 %q 不是有效的%s（%s）", code, schemeName(pk.Code), codeShape(pk.Code))
		}
	} else if v := o.Get("code"); v != nil && v.Kind == tomlpos.Integer {
		// A bare number is what editors type; accept it.
		row.Code = v.Raw
	}
	if row.ID != "" {
		row.Known = pk.Known(row.ID)
	}
	if row.Known == nil && row.Name != "" {
		row.Known = pk.Known(row.Name)
	}
	if row.Known != nil {
		row.ID = cmp.Or(row.ID, row.Known.ID)
		row.Name = cmp.Or(row.Name, row.Known.Name)
		row.Role = row.Known.Role
	}
	if row.Name == "" {
		if row.ID != "" && len(pk.Rows) > 0 {
			var ids []string
			for _, k := range pk.Rows {
				ids = append(ids, k.ID+"（"+k.Name+"）")
			}
			r.Errorf(n.Pos, "data.row", "%s：id %q 不是本表认识的行，请写 name = \"…\"（公开的名称）。认识的行：%s", what, row.ID, strings.Join(ids, "、"))
		} else {
			r.Errorf(n.Pos, "toml.missing-key", "缺少必填的键 name（%s）。写上公开时的名称，例如 name = \"基本支出\"", what)
		}
	}
	if v, ok := o.Int("level"); ok {
		if v < 0 || v > 5 {
			r.Errorf(o.Get("level").Pos, "data.level", "level（缩进层级）应为 0 到 5")
		} else {
			row.Level = int(v)
		}
	}
	if s, ok := o.String("role"); ok {
		switch s {
		case "total":
			row.Role = fiscal.Total
		case "memo":
			row.Role = fiscal.Memo
		case "item":
			row.Role = fiscal.Item
		default:
			r.Errorf(o.Get("role").Pos, "data.role", "role 应为 \"total\"（合计行）、\"memo\"（“其中”项，不计入合计）或 \"item\"，这里是 %q", s)
		}
	}
	row.CountUnit, _ = o.String("count_unit")
	if s, ok := o.String("base"); ok {
		checkBase(r, o.Get("base"), s)
		row.Base = s
	}
	for _, c := range pk.Columns {
		v := o.Get(c.ID)
		if v == nil {
			continue
		}
		if cell := readCell(r, v, c, t.Unit, what); cell != nil {
			row.Cells = append(row.Cells, cell)
		}
	}
	return row
}

func readCell(r *tomlpos.Reader, v *tomlpos.Node, c *fiscal.Column, unit fiscal.Unit, what rowName) *fiscal.Cell {
	cell := &fiscal.Cell{Column: c, Source: source(r.File, v.Pos)}
	literal := v.Raw
	switch v.Kind {
	case tomlpos.String:
		literal = v.Str
	case tomlpos.Integer, tomlpos.Float:
	default:
		if c.Type != fiscal.TextColumn {
			r.Errorf(v.Pos, "toml.type", "%s（%s）的 %s 应为数字，这里写的是%s", c.ID, c.Title, what, v.Kind)
			return nil
		}
	}
	if v.Kind == tomlpos.String && strings.TrimSpace(literal) == "" && c.Type != fiscal.TextColumn {
		return nil // a published blank cell: "" in any figure column
	}
	switch c.Type {
	case fiscal.MoneyColumn:
		fig, err := fiscal.ParseFigure(literal, unit)
		if err != nil {
			r.Errorf(v.Pos, "data.amount", "%s 的 %s（%s）：%s", what, c.ID, c.Title, moneyError(err, literal, unit))
			return nil
		}
		cell.Fig = fig
	case fiscal.PercentColumn:
		dec, err := fiscal.ParseDecimal(literal, 4)
		if err != nil {
			r.Errorf(v.Pos, "data.percent", "%s 的 %s（%s）应为百分数的数值，例如 -5.43 表示 −5.43%%：%v", what, c.ID, c.Title, err)
			return nil
		}
		cell.Dec = dec
	case fiscal.CountColumn:
		if v.Kind != tomlpos.Integer {
			r.Errorf(v.Pos, "toml.type", "%s 的 %s（%s）应为整数，这里是 %s", what, c.ID, c.Title, v.Raw)
			return nil
		}
		n, err := v.Int()
		if err != nil {
			r.Errorf(v.Pos, "toml.range", "%s 的 %s 超出范围", what, c.ID)
			return nil
		}
		cell.Count = n
	case fiscal.TextColumn:
		if v.Kind != tomlpos.String {
			r.Errorf(v.Pos, "toml.type", "%s 的 %s（%s）应为文字（加英文双引号）", what, c.ID, c.Title)
			return nil
		}
		cell.Text = v.Str
	}
	return cell
}

func moneyError(err error, literal string, u fiscal.Unit) string {
	switch {
	case errors.Is(err, fiscal.ErrTooManyPlaces):
		return fmt.Sprintf("金额 %s 的小数位数过多，单位为%s时最多 %d 位小数", literal, u, u.Places())
	case errors.Is(err, fiscal.ErrOutOfRange):
		return fmt.Sprintf("金额 %s 超出范围", literal)
	case errors.Is(err, fiscal.ErrGrouping):
		return fmt.Sprintf("金额 %s 的千位分隔符位置不对：逗号应从个位起每三位一个（如 \"1,677.00\"），或不写逗号（1677.00）", literal)
	}
	return fmt.Sprintf("%q 不是金额：请写数字，如 2966.24；可带千分位逗号（写成文字：\"2,966.24\"）；不写科学计数法", literal)
}

// linkRows sets each row's level and parent: from its code (类/款/项), from
// the kind's known parent, from an explicit level, in that order. It also
// reports duplicate codes and known rows.
func linkRows(r *tomlpos.Reader, t *fiscal.Table, p *fiscal.Part) {
	seenCode := map[string]*fiscal.Row{}
	seenKnown := map[*fiscal.KnownRow]*fiscal.Row{}
	for i, row := range p.Rows {
		if row.Code != "" {
			if first := seenCode[row.Code]; first != nil {
				r.Errorf(pos(row.Source), "data.duplicate-code", "表 %s 中编码 %s 出现两次（第一次在第 %d 行）", t.ID, row.Code, first.Source.Line)
			}
			seenCode[row.Code] = row
		}
		if row.Known != nil {
			if first := seenKnown[row.Known]; first != nil {
				r.Errorf(pos(row.Source), "data.duplicate-row", "表 %s 中“%s”出现两次（第一次在第 %d 行）", t.ID, row.Name, first.Source.Line)
			}
			seenKnown[row.Known] = row
		}
		explicit := row.Level >= 0
		switch {
		case row.Role == fiscal.Total:
			if !explicit {
				row.Level = 0
			}
		case row.Code != "":
			for j := i - 1; j >= 0; j-- {
				if c := p.Rows[j].Code; c != "" && len(c) < len(row.Code) && strings.HasPrefix(row.Code, c) {
					row.Parent = p.Rows[j]
					break
				}
			}
			if !explicit {
				row.Level = codeLevel(row.Code)
			}
		case row.Known != nil && row.Known.Parent != "":
			for j := i - 1; j >= 0; j-- {
				if k := p.Rows[j].Known; k != nil && k.ID == row.Known.Parent {
					row.Parent = p.Rows[j]
					break
				}
			}
			if !explicit {
				row.Level = 1
				if row.Parent != nil {
					row.Level = row.Parent.Level + 1
				}
			}
		case explicit && row.Level > 0:
			for j := i - 1; j >= 0; j-- {
				if p.Rows[j].Level == row.Level-1 && p.Rows[j].Role != fiscal.Total {
					row.Parent = p.Rows[j]
					break
				}
			}
		}
		if row.Level < 0 {
			row.Level = 0
		}
	}
}

func codeLevel(code string) int {
	switch {
	case len(code) <= 3:
		return 0
	case len(code) <= 5:
		return 1
	}
	return 2
}

// normCode turns the ways codes are printed (201 06 01, 201-06-01,
// 201.06.01) into digits.
func normCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '　', '-', '.', '\t':
			return -1
		}
		return r
	}, s)
}

func schemeName(s fiscal.CodeScheme) string {
	if s == fiscal.Economic {
		return "经济分类科目编码"
	}
	return "功能分类科目编码"
}

func codeShape(s fiscal.CodeScheme) string {
	if s == fiscal.Economic {
		return "类 3 位、款 5 位数字，如 301、30101"
	}
	return "类 3 位、款 5 位、项 7 位数字，如 201、20106、2010601"
}

func source(file string, p tomlpos.Pos) fiscal.Source {
	return fiscal.Source{File: file, Line: p.Line, Col: p.Col}
}

func pos(s fiscal.Source) tomlpos.Pos { return tomlpos.Pos{Line: s.Line, Col: s.Col} }

// loadSections reads the Markdown sections of a disclosure, ordered by
// weight, then file name.
func loadSections(fsys fs.FS, dir string, diags *diag.List) []*fiscal.Section {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil
	}
	var out []*fiscal.Section
	for _, e := range entries {
		// Names that start with a dot are editors' and systems' own
		// (.#x.md, an Emacs lock; ._x.md, macOS's resource fork); .MD is
		// Markdown as much as .md is.
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || !strings.EqualFold(path.Ext(e.Name()), ".md") {
			continue
		}
		file := dir + "/" + e.Name()
		data, ok := readText(fsys, file, diags, false)
		if !ok {
			continue
		}
		if s := parseSection(file, data, diags); s != nil {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b *fiscal.Section) int {
		return cmp.Or(cmp.Compare(a.Weight, b.Weight), cmp.Compare(a.File, b.File))
	})
	// The page numbers a repeated id (explanation-2), which no link
	// written as #explanation reaches: most likely a file copied whole.
	first := map[string]*fiscal.Section{}
	for _, s := range out {
		if s.ID == "" {
			continue
		}
		if f, dup := first[s.ID]; dup {
			diags.Warnf(s.IDSource.File, s.IDSource.Line, s.IDSource.Col, "section.duplicate-id",
				"id = %q 已用于 %s：本页的锚点不能重名，这一部分的锚点会加上编号（如 %s-2），指向 #%s 的链接只到前一个；请改一个 id", s.ID, path.Base(f.File), s.ID, s.ID)
			continue
		}
		first[s.ID] = s
	}
	return out
}

// parseSection splits TOML front matter (between +++ lines) from the
// Markdown. Without front matter, a first line "# 标题" gives the title.
func parseSection(file string, data []byte, diags *diag.List) *fiscal.Section {
	s := &fiscal.Section{File: file, Markdown: data, Line: 1}
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	if string(bytes.TrimSpace(first)) == "+++" {
		front, body, found := cutFence(rest)
		if !found {
			diags.Errorf(file, 1, 1, "section.front-matter", "开头的 +++ 没有对应的结束行 +++：标题等设置写在两行 +++ 之间")
			return nil
		}
		s.Markdown = body
		s.Line = 3 + bytes.Count(front, []byte("\n"))
		sub := diag.List{}
		if _, o, ok := tomlpos.Read(&sub, file, front, "文件开头的设置"); ok {
			s.Title, _ = o.String("title")
			if v := o.Get("title"); v != nil {
				s.TitleSource = fiscal.Source{File: file, Line: v.Pos.Line + 1, Col: v.Pos.Col} // front matter starts on line 2
			}
			if v, ok := o.Int("weight"); ok {
				s.Weight = int(v)
			}
			s.ID, _ = o.String("id")
			if v := o.Get("id"); v != nil {
				s.IDSource = fiscal.Source{File: file, Line: v.Pos.Line + 1, Col: v.Pos.Col}
			}
			o.Done()
		}
		for _, d := range sub {
			if d.Line > 0 {
				d.Line++ // front matter starts on line 2
			}
			diags.Add(d)
		}
	} else if t, ok := bytes.CutPrefix(bytes.TrimSpace(first), []byte("# ")); ok {
		s.Title = string(bytes.TrimSpace(t))
		s.TitleSource = fiscal.Source{File: file, Line: 1, Col: 3}
		s.Markdown = rest
		s.Line = 2
	}
	if s.Title == "" {
		empty := ""
		if len(bytes.TrimSpace(data)) == 0 {
			empty = "文件是空的。"
		}
		diags.Errorf(file, 1, 1, "section.title", "%s这一节没有标题：在文件开头写\n+++\ntitle = \"部门概况\"\n+++\n或第一行写 # 部门概况", empty)
	}
	return s
}

// cutFence splits at the first line that is exactly +++.
func cutFence(b []byte) (front, body []byte, found bool) {
	off := 0
	for off <= len(b) {
		end := bytes.IndexByte(b[off:], '\n')
		line := b[off:]
		next := len(b)
		if end >= 0 {
			line = b[off : off+end]
			next = off + end + 1
		}
		if string(bytes.TrimSpace(line)) == "+++" {
			return b[:off], b[min(next, len(b)):], true
		}
		if end < 0 {
			break
		}
		off = next
	}
	return nil, nil, false
}
