package check

import (
	"cmp"
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/tomlpos"
)

//go:embed rules.toml
var builtinRules []byte

// BuiltinRules returns the built-in rule file.
func BuiltinRules() fiscal.CatalogFile {
	return fiscal.CatalogFile{Name: "(内置) check/rules.toml", Data: builtinRules}
}

// SiteRulesFile is where a site adds or replaces relations and requirements.
const SiteRulesFile = "content/catalog/checks.toml"

// Relation is a declarative rule: arithmetic the figures of every
// disclosure must satisfy, written in the language of [ParseExpr].
type Relation struct {
	ID   string // group.name, e.g. balance.budget
	Name string // what it checks, in Chinese
	// Hint explains the rule to an editor; it ends the message of a finding.
	Hint string
	// Kind restricts the relation to budgets or final accounts (0: both).
	Kind fiscal.Kind
	// Body restricts it to bodies of these types (行政, 参公, 事业).
	Body []string
	// Severity of a difference beyond tolerance (Error unless the file
	// says otherwise).
	Severity diag.Severity
	// Each is "" (the relation names its figures), "row" (every row of
	// Tables, whose refs are column ids) or "code" (every classification
	// code the tables list, for refs with the row {code}).
	Each   string
	Tables []TableRef
	Checks []*Expr
	Source fiscal.Source
}

// TableRef is a table kind and one of its parts.
type TableRef struct {
	Kind *fiscal.TableKind
	Part *fiscal.PartKind
}

// Requirement lists the standard tables a disclosure of a kind publishes.
type Requirement struct {
	Kind   fiscal.Kind
	Tables []string
	Source fiscal.Source
}

// Topic is a part of the narrative every disclosure covers (职责, 三公 …):
// present when a section title or heading contains one of Match, or when
// the disclosure has a table of one of Tables (or, with Terms, a 名词解释
// list).
type Topic struct {
	Name   string
	Kind   fiscal.Kind
	Match  []string
	Tables []string
	Terms  bool
	Source fiscal.Source
}

// Rules is everything the rule files declare.
type Rules struct {
	Relations []*Relation
	Require   []*Requirement
	Topics    []*Topic
}

// LoadRules reads rule files in order against the table catalogue: a later
// relation, requirement or topic with an id (kind, name) already seen
// replaces the earlier one in place. Problems go to diags with file:line.
func LoadRules(diags *diag.List, cat *fiscal.Catalog, files ...fiscal.CatalogFile) *Rules {
	rs := &Rules{}
	for _, f := range files {
		r, top, ok := tomlpos.Read(diags, f.Name, f.Data, "")
		if !ok {
			continue
		}
		// A later file replaces a relation by its id; within one file an
		// id twice is a slip that would drop the first rule unseen.
		seen := map[string]*Relation{}
		for i, n := range top.Tables("relation") {
			rel := readRelation(r, n, i, cat)
			if rel == nil {
				continue
			}
			if first, dup := seen[rel.ID]; dup {
				diags.Errorf(rel.Source.File, rel.Source.Line, rel.Source.Col, "checks.rules",
					"规则编号 %s 在第 %d 行已经用过：同一文件中每条规则的编号不能重复", rel.ID, first.Source.Line)
				continue
			}
			seen[rel.ID] = rel
			rs.Relations = replaceOrAdd(rs.Relations, rel, func(x *Relation) bool { return x.ID == rel.ID })
		}
		for i, n := range top.Tables("require") {
			o := r.Object(n, fmt.Sprintf("第 %d 个 [[require]]", i+1))
			q := &Requirement{Source: fiscal.Source{File: f.Name, Line: n.Pos.Line, Col: n.Pos.Col}}
			q.Kind = readKind(r, o)
			if o.Require("tables", `例如 tables = ["budget_summary", "budget_income"]`) {
				q.Tables, _ = o.Strings("tables")
				checkKinds(r, o.Get("tables").Pos, cat, q.Tables)
			}
			o.Done()
			rs.Require = replaceOrAdd(rs.Require, q, func(x *Requirement) bool { return x.Kind == q.Kind })
		}
		for i, n := range top.Tables("topic") {
			o := r.Object(n, fmt.Sprintf("第 %d 个 [[topic]]", i+1))
			t := &Topic{Source: fiscal.Source{File: f.Name, Line: n.Pos.Line, Col: n.Pos.Col}}
			if o.Require("name", `例如 name = "“三公”经费"`) {
				t.Name, _ = o.String("name")
			}
			t.Kind = readKind(r, o)
			t.Match, _ = o.Strings("match")
			if v := o.Get("tables"); v != nil {
				t.Tables, _ = o.Strings("tables")
				checkKinds(r, v.Pos, cat, t.Tables)
			}
			t.Terms, _ = o.Bool("terms")
			o.Done()
			rs.Topics = replaceOrAdd(rs.Topics, t, func(x *Topic) bool { return x.Name == t.Name && x.Kind == t.Kind })
		}
		top.Done()
	}
	return rs
}

func replaceOrAdd[T any](list []T, v T, same func(T) bool) []T {
	if i := slices.IndexFunc(list, same); i >= 0 {
		list[i] = v
		return list
	}
	return append(list, v)
}

func readKind(r *tomlpos.Reader, o *tomlpos.Object) fiscal.Kind {
	s, ok := o.String("kind")
	if !ok || s == "" {
		return 0
	}
	k, ok := fiscal.ParseKind(s)
	if !ok {
		r.Errorf(o.Get("kind").Pos, "checks.rules", "kind 应为 \"budget\"（预算）或 \"final\"（决算），这里是 %q", s)
	}
	return k
}

func checkKinds(r *tomlpos.Reader, pos tomlpos.Pos, cat *fiscal.Catalog, kinds []string) {
	for _, k := range kinds {
		if cat.Kind(k) == nil {
			r.Errorf(pos, "checks.rules", "未知的表格种类 %q%s", k, suggestion(k, cat.IDs()))
		}
	}
}

func suggestion(s string, candidates []string) string {
	if c := tomlpos.Suggest(s, candidates); c != "" {
		return fmt.Sprintf("，是否想写 %q？", c)
	}
	return ""
}

var bodyTypes = []string{"行政", "参公", "事业"}

func readRelation(r *tomlpos.Reader, n *tomlpos.Node, index int, cat *fiscal.Catalog) *Relation {
	o := r.Object(n, fmt.Sprintf("第 %d 个 [[relation]]", index+1))
	defer o.Done()
	rel := &Relation{Source: fiscal.Source{File: r.File, Line: n.Pos.Line, Col: n.Pos.Col}}
	ok := o.Require("id", `例如 id = "balance.budget"`)
	rel.ID, _ = o.String("id")
	if ok && !validID(rel.ID) {
		r.Errorf(o.Get("id").Pos, "checks.rules", "规则编号 %q 应写成“组.名称”，只用小写英文字母、数字和连字符，如 balance.budget", rel.ID)
	}
	if o.Require("name", `例如 name = "预算收支平衡"`) {
		rel.Name, _ = o.String("name")
	}
	rel.Hint, _ = o.String("hint")
	rel.Kind = readKind(r, o)
	if v := o.Get("body"); v != nil {
		rel.Body, _ = o.Strings("body")
		for _, b := range rel.Body {
			if !slices.Contains(bodyTypes, b) {
				r.Errorf(v.Pos, "checks.rules", "body 中的单位类型应为 \"行政\"、\"参公\" 或 \"事业\"，这里是 %q", b)
			}
		}
	}
	rel.Severity = diag.Error
	if s, ok := o.String("severity"); ok {
		sev, ok := parseSeverity(s)
		if !ok || sev == severityOff {
			r.Errorf(o.Get("severity").Pos, "checks.rules", "severity 应为 \"error\"、\"warning\" 或 \"note\"，这里是 %q", s)
		}
		rel.Severity = sev
	}
	if s, ok := o.String("each"); ok {
		if s != "row" && s != "code" && s != "" {
			r.Errorf(o.Get("each").Pos, "checks.rules", "each 应为 \"row\"（表中每一行）或 \"code\"（每个科目编码），这里是 %q", s)
		}
		rel.Each = s
	}
	// A misspelt table is reported once: the errors that follow from it
	// (no tables left, no such column) would send the editor elsewhere.
	tablesBad := false
	if v := o.Get("tables"); v != nil {
		names, _ := o.Strings("tables")
		for _, name := range names {
			kind, part, _ := strings.Cut(name, ".")
			k := cat.Kind(kind)
			if k == nil {
				r.Errorf(v.Pos, "checks.rules", "未知的表格种类 %q%s", kind, suggestion(kind, cat.IDs()))
				tablesBad = true
				continue
			}
			for _, p := range k.Parts {
				if part == "" || p.Key == part {
					rel.Tables = append(rel.Tables, TableRef{Kind: k, Part: p})
				}
			}
			if part != "" && k.Part(part) == nil {
				r.Errorf(v.Pos, "checks.rules", "表格种类 %s 没有 %q 这一部分", kind, part)
				tablesBad = true
			}
		}
	}
	rowsBad := rel.Each == "row" && tablesBad // its columns cannot be judged
	if rel.Each == "row" && len(rel.Tables) == 0 && !tablesBad {
		r.Errorf(n.Pos, "checks.rules", "each = \"row\" 的规则须用 tables 写明对哪些表的每一行检查")
	}
	if !o.Require("check", `例如 check = ["budget_summary.expenditure.total.amount = budget_summary.income.total.amount"]`) {
		return nil
	}
	v := o.Get("check")
	texts, _ := o.Strings("check")
	bad := false
	for i, text := range texts {
		pos := v.Pos
		if i < len(v.Elems) {
			pos = v.Elems[i].Pos
		}
		e, err := ParseExpr(text)
		if err == nil && rowsBad {
			bad = true // reported at tables; the syntax is still checked
			continue
		}
		if err == nil {
			err = compile(e, rel, cat)
		}
		if err != nil {
			r.Errorf(pos, "checks.rules", "规则 %s 的式子 %q 有误：%v", rel.ID, text, err)
			bad = true
			continue
		}
		rel.Checks = append(rel.Checks, e)
	}
	if bad || rel.ID == "" {
		return nil
	}
	return rel
}

// validID reports whether id is group.name in lower-case ASCII.
func validID(id string) bool {
	g, name, ok := strings.Cut(id, ".")
	if !ok || g == "" || name == "" {
		return false
	}
	for _, c := range g + name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// compile resolves the refs of e against the catalogue for the relation's
// mode and records what each names.
func compile(e *Expr, rel *Relation, cat *fiscal.Catalog) error {
	var err error
	money, count := false, false
	hasCode := false
	e.Refs(func(ref *Ref) {
		if err != nil {
			return
		}
		var c *fiscal.Column
		if rel.Each == "row" {
			if ref.Qual != "" || len(ref.Path) != 1 {
				err = fmt.Errorf("each = \"row\" 的式子只写本行的列名（如 total、basic），这里是 %q", ref.Text)
				return
			}
			ref.col = ref.Path[0]
			for _, t := range rel.Tables {
				tc := t.Part.Column(ref.col)
				if tc == nil && !ref.Optional {
					err = fmt.Errorf("表格种类 %s 没有列 %q（某些表没有的列，写成 %s?）", t.Kind.ID, ref.col, ref.col)
					return
				}
				c = cmp.Or(c, tc)
			}
			if c == nil {
				err = fmt.Errorf("tables 中的表都没有列 %q", ref.col)
				return
			}
		} else {
			c, err = compilePath(ref, rel, cat)
			if err != nil {
				return
			}
			hasCode = hasCode || ref.row == codeRow
		}
		switch {
		case c == nil: // a wildcard column: money
			money = true
		case c.Type == fiscal.MoneyColumn:
			money = true
		case c.Type == fiscal.CountColumn:
			count = true
		default:
			err = fmt.Errorf("%q 不是金额或数量列：百分比、文字不能参与运算", ref.Text)
		}
	})
	switch {
	case err != nil:
		return err
	case money && count:
		return fmt.Errorf("金额和数量不能在同一个式子中比较")
	case rel.Each == "code" && !hasCode:
		return fmt.Errorf("each = \"code\" 的式子须在行的位置写 {code}")
	}
	e.count = count
	// The tables a relation cannot do without: those of its plain,
	// required figures (not alternatives, optional ones or another
	// disclosure's), so a disclosure without them is skipped at once.
	for _, side := range []Side{e.Left, e.Right} {
		for _, t := range side {
			if r := t.Ref; r != nil && r.kind != nil && r.Qual == "" && !r.Optional && !slices.Contains(e.needs, r.kind.ID) {
				e.needs = append(e.needs, r.kind.ID)
			}
		}
	}
	e.Refs(func(r *Ref) { e.wild = e.wild || r.col == "*" })
	return nil
}

// codeRow is the row placeholder of each = "code" relations.
const codeRow = "{code}"

func compilePath(ref *Ref, rel *Relation, cat *fiscal.Catalog) (*fiscal.Column, error) {
	p := ref.Path
	if len(p) != 3 && len(p) != 4 {
		return nil, fmt.Errorf("%q 应写成 表格种类.行.列 或 表格种类.部分.行.列（如 budget_summary.income.total.amount）", ref.Text)
	}
	k := cat.Kind(p[0])
	if k == nil {
		return nil, fmt.Errorf("未知的表格种类 %q%s", p[0], suggestion(p[0], cat.IDs()))
	}
	var part *fiscal.PartKind
	if len(p) == 4 {
		if part = k.Part(p[1]); part == nil {
			var keys []string
			for _, x := range k.Parts {
				keys = append(keys, x.Key)
			}
			return nil, fmt.Errorf("表格种类 %s 没有 %q 这一部分（有：%s）", k.ID, p[1], strings.Join(keys, "、"))
		}
	} else {
		if len(k.Parts) != 1 {
			var keys []string
			for _, x := range k.Parts {
				keys = append(keys, x.Key)
			}
			return nil, fmt.Errorf("表格种类 %s 分为 %s 几部分：写成 %s.部分.行.列", k.ID, strings.Join(keys, "、"), k.ID)
		}
		part = k.Parts[0]
	}
	row, col := p[len(p)-2], p[len(p)-1]
	switch {
	case row == codeRow:
		if rel.Each != "code" {
			return nil, fmt.Errorf("行 {code} 只能用在 each = \"code\" 的规则中")
		}
		if part.Code == fiscal.NoCodes {
			return nil, fmt.Errorf("表格种类 %s 的行没有科目编码，不能写 {code}", k.ID)
		}
	case isDigits(row):
		if !fiscal.ValidCode(row, part.Code) {
			return nil, fmt.Errorf("%q 不是 %s 的有效科目编码", row, k.ID)
		}
	default:
		if part.Known(row) == nil {
			var ids []string
			for _, kr := range part.Rows {
				ids = append(ids, kr.ID)
			}
			return nil, fmt.Errorf("表格种类 %s 不认识行 %q%s（认识的行：%s；也可写科目编码）", k.ID, row, suggestion(row, ids), strings.Join(ids, "、"))
		}
		row = part.Known(row).ID
	}
	ref.qual, ref.kind, ref.part, ref.row, ref.col = ref.Qual, k, part, row, col
	if col == "*" {
		return nil, nil
	}
	c := part.Column(col)
	if c == nil {
		var ids []string
		for _, x := range part.Columns {
			ids = append(ids, x.ID)
		}
		return nil, fmt.Errorf("表格种类 %s 没有列 %q%s（有：%s）", k.ID, col, suggestion(col, ids), strings.Join(ids, "、"))
	}
	return c, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
