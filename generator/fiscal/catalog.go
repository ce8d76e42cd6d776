package fiscal

import (
	_ "embed"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/tomlpos"
)

//go:embed catalog/tables.toml
var builtinTables []byte

// ColumnType says what a column holds.
type ColumnType uint8

const (
	MoneyColumn   ColumnType = iota // an amount in the table's unit
	PercentColumn                   // a stated percentage, e.g. -5.43
	CountColumn                     // a whole number of things (个, 名, 辆)
	TextColumn                      // words, e.g. 主要原因
)

var columnTypes = map[string]ColumnType{"money": MoneyColumn, "percent": PercentColumn, "count": CountColumn, "text": TextColumn}

// Column describes one column a part of a table may publish.
type Column struct {
	ID    string
	Title string
	// Group holds the header groups above Title, outermost first, e.g.
	// ["公务用车购置及运行费"] above 购置费.
	Group []string
	Type  ColumnType
	Unit  string // for counts: 名, 个, 辆
	// What the column's figures mean in the fact table; empty means the
	// row's or the part's.
	Measure, Fund, Nature, Flow string
}

// Role is what a row is to its part's arithmetic.
type Role uint8

const (
	Item     Role = iota // an ordinary row
	Total                // the total of the part (合计, 收入总计)
	Memo                 // an "of which" row (其中：政府采购) outside the sums
	Subtotal             // a total of the year's rows before carry-overs (本年收入合计)
)

var roles = map[string]Role{"": Item, "item": Item, "total": Total, "memo": Memo, "subtotal": Subtotal}

// KnownRow is a row a part knows by meaning: editors may write its id or its
// published name (or an alias) and the figure lands in the same place.
type KnownRow struct {
	ID      string
	Name    string
	Aliases []string
	Role    Role
	Parent  string // id of the row it is part of
	Fund    string
	Nature  string
	Measure string
}

// CodeScheme is the classification a part's row codes come from.
type CodeScheme string

const (
	NoCodes  CodeScheme = ""
	Function CodeScheme = "function" // 支出功能分类 类/款/项, 3/5/7 digits
	Economic CodeScheme = "economic" // 部门预算支出经济分类 类/款, 3/5 digits
)

// PartKind is one row list of a table kind.
type PartKind struct {
	Key   string // the key in data.toml: rows, income, expenditure
	Title string // heading of this side, e.g. 收入
	Flow  string // 收入 or 支出, for facts
	// Headline marks the part whose total is the disclosure's headline
	// 收入 or 支出 figure (shown on home and body pages).
	Headline string
	Code     CodeScheme
	Columns  []*Column
	Default  []string // columns shown when a table does not list its own
	Rows     []*KnownRow
	// Partial means the rows a document lists need not add up to its total
	// (资产总额 is rarely itemised in full).
	Partial bool
	// Defaults for the facts of the part's figures, where neither the column
	// nor the row says otherwise.
	Fund, Nature, Measure string
	byName                map[string]*KnownRow
}

// Column returns the column with the given id or title, or nil.
func (p *PartKind) Column(key string) *Column {
	for _, c := range p.Columns {
		if c.ID == key || c.Title == key {
			return c
		}
	}
	return nil
}

// Known returns the known row with the given id, name or alias, or nil.
func (p *PartKind) Known(key string) *KnownRow {
	return p.byName[NormName(key)]
}

// TableKind is a kind of table by meaning, such as 三公 or 部门支出总表.
type TableKind struct {
	ID     string
	Name   string // default title
	Ref    string // default reference name in Markdown
	Layout string // list, coded, summary, wide, economic-split
	Parts  []*PartKind
}

// Part returns the part with the given key, or nil.
func (k *TableKind) Part(key string) *PartKind {
	for _, p := range k.Parts {
		if p.Key == key {
			return p
		}
	}
	return nil
}

// Catalog holds the table kinds a site knows.
type Catalog struct {
	Kinds []*TableKind
	byID  map[string]*TableKind
}

// Kind returns the kind with the given id, or nil.
func (c *Catalog) Kind(id string) *TableKind { return c.byID[id] }

// IDs lists the kind ids, in catalogue order.
func (c *Catalog) IDs() []string {
	ids := make([]string, len(c.Kinds))
	for i, k := range c.Kinds {
		ids[i] = k.ID
	}
	return ids
}

// CatalogFile is one catalogue source: the built-in file, then a site's.
type CatalogFile struct {
	Name string
	Data []byte
}

// BuiltinCatalog returns the built-in catalogue file.
func BuiltinCatalog() CatalogFile {
	return CatalogFile{Name: "(内置) catalog/tables.toml", Data: builtinTables}
}

// LoadCatalog reads catalogue files in order; a later kind with an id
// already seen replaces the earlier one in place. Problems go to diags.
func LoadCatalog(diags *diag.List, files ...CatalogFile) *Catalog {
	c := &Catalog{byID: map[string]*TableKind{}}
	// Column sets are shared across files: a site's kinds may use the
	// built-in ones.
	sets := map[string][]*Column{}
	for _, f := range files {
		r, top, ok := tomlpos.Read(diags, f.Name, f.Data, "")
		if !ok {
			continue
		}
		for _, n := range top.Tables("columnset") {
			o := r.Object(n, "columnset")
			id, _ := o.String("id")
			sets[id] = readColumns(r, o, "columns")
			o.Done()
		}
		for _, n := range top.Tables("kind") {
			k := readKind(r, n, sets)
			if k == nil {
				continue
			}
			if old := c.byID[k.ID]; old != nil {
				for i := range c.Kinds {
					if c.Kinds[i] == old {
						c.Kinds[i] = k
					}
				}
			} else {
				c.Kinds = append(c.Kinds, k)
			}
			c.byID[k.ID] = k
		}
		top.Done()
	}
	return c
}

func readKind(r *tomlpos.Reader, n *tomlpos.Node, sets map[string][]*Column) *TableKind {
	o := r.Object(n, "kind")
	defer o.Done()
	k := &TableKind{}
	if !o.Require("id", `例如 id = "sangong"`) {
		return nil
	}
	k.ID, _ = o.String("id")
	k.Name, _ = o.String("name")
	k.Ref, _ = o.String("ref")
	k.Layout, _ = o.String("layout")
	if k.Layout == "" {
		k.Layout = "list"
	}
	for _, pn := range o.Tables("part") {
		po := r.Object(pn, "kind "+k.ID+" part")
		p := &PartKind{byName: map[string]*KnownRow{}}
		p.Key, _ = po.String("key")
		if p.Key == "" {
			p.Key = "rows"
		}
		p.Title, _ = po.String("title")
		p.Flow, _ = po.String("flow")
		p.Headline, _ = po.String("headline")
		code, _ := po.String("code")
		p.Code = CodeScheme(code)
		p.Partial, _ = po.Bool("partial")
		p.Fund, _ = po.String("fund")
		p.Nature, _ = po.String("nature")
		p.Measure, _ = po.String("measure")
		if set, ok := po.String("columnset"); ok {
			cols, found := sets[set]
			if !found {
				r.Errorf(po.Get("columnset").Pos, "catalog.columnset", "未知的列集合 %q", set)
			}
			p.Columns = append(p.Columns, cols...)
		}
		p.Columns = append(p.Columns, readColumns(r, po, "columns")...)
		p.Default, _ = po.Strings("default")
		for _, id := range p.Default {
			if p.Column(id) == nil {
				r.Errorf(po.Get("default").Pos, "catalog.column", "default 中的列 %q 不存在", id)
			}
		}
		if len(p.Default) == 0 {
			for _, c := range p.Columns {
				p.Default = append(p.Default, c.ID)
			}
		}
		for _, rn := range po.Tables("rows") {
			ro := r.Object(rn, "kind "+k.ID+" row")
			kr := &KnownRow{}
			kr.ID, _ = ro.String("id")
			kr.Name, _ = ro.String("name")
			kr.Aliases, _ = ro.Strings("aliases")
			role, _ := ro.String("role")
			kr.Role = roles[role]
			kr.Parent, _ = ro.String("parent")
			kr.Fund, _ = ro.String("fund")
			kr.Nature, _ = ro.String("nature")
			kr.Measure, _ = ro.String("measure")
			ro.Done()
			p.Rows = append(p.Rows, kr)
			for _, name := range append([]string{kr.ID, kr.Name}, kr.Aliases...) {
				p.byName[NormName(name)] = kr
			}
		}
		po.Done()
		k.Parts = append(k.Parts, p)
	}
	if len(k.Parts) == 0 {
		r.Errorf(n.Pos, "catalog.parts", "表格种类 %s 没有 [[kind.part]]", k.ID)
		return nil
	}
	return k
}

func readColumns(r *tomlpos.Reader, o *tomlpos.Object, key string) []*Column {
	var cols []*Column
	for _, cn := range o.Tables(key) {
		co := r.Object(cn, "column")
		c := &Column{}
		c.ID, _ = co.String("id")
		c.Title, _ = co.String("title")
		c.Group, _ = co.Strings("group")
		t, _ := co.String("type")
		ct, ok := columnTypes[t]
		if !ok {
			r.Errorf(cn.Pos, "catalog.column-type", "列 %s 的 type 应为 money、percent、count 或 text，这里是 %q", c.ID, t)
		}
		c.Type = ct
		c.Unit, _ = co.String("unit")
		c.Measure, _ = co.String("measure")
		c.Fund, _ = co.String("fund")
		c.Nature, _ = co.String("nature")
		c.Flow, _ = co.String("flow")
		co.Done()
		cols = append(cols, c)
	}
	return cols
}

// NormName folds the spellings editors use for the same name: full-width
// and ASCII brackets and quotes, spaces, and the list markers published
// tables put in front of names (一、 1. （一）).
func NormName(s string) string {
	s = trimSpace(s)
	// Most names need neither step; both are cheap to rule out, and names
	// are looked up for every row of every table.
	if hasListMarker(s) {
		s = listMarker.ReplaceAllString(s, "")
	}
	if needsFold(s) {
		s = nameFolder.Replace(s)
	}
	return s
}

// trimSpace is strings.TrimSpace, without its slow path for names that
// start or end with a letter outside ASCII, as Chinese names do.
func trimSpace(s string) string {
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if s != "" && !unicode.IsSpace(first) && !unicode.IsSpace(last) {
		return s
	}
	return strings.TrimSpace(s)
}

// hasListMarker reports whether s may start with a list marker: a bracket,
// or digits (ASCII or Chinese) followed by 、 . or ．. Names starting with
// 一 (一般公共预算) are common and have none.
func hasListMarker(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	var digit func(rune) bool
	switch {
	case r == '(' || r == '（':
		return true
	case r >= '0' && r <= '9':
		digit = func(r rune) bool { return r >= '0' && r <= '9' }
	case strings.ContainsRune("一二三四五六七八九十", r):
		digit = func(r rune) bool { return strings.ContainsRune("一二三四五六七八九十", r) }
	default:
		return false
	}
	for s = s[n:]; ; s = s[n:] {
		r, n = utf8.DecodeRuneInString(s)
		if !digit(r) {
			return r == '、' || r == '.' || r == '．'
		}
	}
}

// needsFold reports whether s holds a byte sequence nameFolder replaces.
func needsFold(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', ')', '"', '\'', ' ':
			return true
		case 0xE2: // “ ” ‘ ’ are E2 80 9C, 9D, 98, 99
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x9C || s[i+2] == 0x9D || s[i+2] == 0x98 || s[i+2] == 0x99) {
				return true
			}
		case 0xE3: // the full-width space is E3 80 80
			if i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0x80 {
				return true
			}
		}
	}
	return false
}

var listMarker = regexp.MustCompile(`^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．])\s*`)

var nameFolder = strings.NewReplacer(
	"(", "（", ")", "）", "\"", "", "“", "", "”", "", "'", "", "‘", "", "’", "",
	" ", "", "　", "",
)
