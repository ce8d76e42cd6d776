package check

import (
	"fmt"

	"github.com/disclose/disclose/generator/fiscal"
)

// scheme is the classification of a part's codes; lists without one use
// 功能分类, as the loader does.
func scheme(p *fiscal.Part) fiscal.CodeScheme {
	if p.Kind.Code == fiscal.NoCodes {
		return fiscal.Function
	}
	return p.Kind.Code
}

func schemeWord(s fiscal.CodeScheme) string {
	if s == fiscal.Economic {
		return "经济分类"
	}
	return "功能分类"
}

// forCodes calls f for every row with a classification code.
func forCodes(d *fiscal.Disclosure, f func(t *fiscal.Table, p *fiscal.Part, r *fiscal.Row)) {
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		for _, r := range p.Rows {
			if r.Code != "" {
				f(t, p, r)
			}
		}
	})
}

func codeKnown(rep *Reporter, d *fiscal.Disclosure) {
	cls := rep.st.idx.site.Classification
	forCodes(d, func(t *fiscal.Table, p *fiscal.Part, r *fiscal.Row) {
		if s := scheme(p); !cls.Known(s, r.Code) && !listedParent(cls, s, r.Code) {
			rep.Reportf(r.Source, "%s科目编码 %s（%s）不在分类目录中，它的上级也不在：请核对编码；确实存在的科目可在 content/catalog/classification.toml 中补充", schemeWord(s), r.Code, r.Name)
		}
	})
}

// codeUnlisted reports the codes code.known lets pass: not in the
// catalogue, under a 类 or 款 that is. The built-in catalogue holds the
// 类 and the 款 and 项 seen in published documents, not every 项 of the
// national one, so such a code is more often right than not.
func codeUnlisted(rep *Reporter, d *fiscal.Disclosure) {
	cls := rep.st.idx.site.Classification
	forCodes(d, func(t *fiscal.Table, p *fiscal.Part, r *fiscal.Row) {
		if s := scheme(p); !cls.Known(s, r.Code) && listedParent(cls, s, r.Code) {
			rep.Reportf(r.Source, "%s科目编码 %s（%s）不在内置的分类目录中（它的上级 %s 在）：内置目录只列常见科目，请核对编码；确实存在的科目可在 content/catalog/classification.toml 中补充，以后就不再提示", schemeWord(s), r.Code, r.Name, parentCode(r.Code))
		}
	})
}

// listedParent reports whether the catalogue holds the 类 of a 款, or the
// 款 of a 项.
func listedParent(cls *fiscal.Classification, s fiscal.CodeScheme, code string) bool {
	parent := parentCode(code)
	return parent != "" && cls.Known(s, parent)
}

// parentCode returns the 类 of a 款 code and the 款 of a 项 code, "" for a
// 类 (or any other length).
func parentCode(code string) string {
	switch len(code) {
	case 5, 7:
		return code[:len(code)-2]
	}
	return ""
}

// years describes the years a name is valid.
func years(e fiscal.ClassEntry) string {
	switch {
	case e.From != 0 && e.To != 0:
		return fmt.Sprintf("%d–%d 年", e.From, e.To)
	case e.From != 0:
		return fmt.Sprintf("%d 年起", e.From)
	case e.To != 0:
		return fmt.Sprintf("%d 年及以前", e.To)
	}
	return "各年"
}

func codeName(rep *Reporter, d *fiscal.Disclosure) {
	cls := rep.st.idx.site.Classification
	forCodes(d, func(t *fiscal.Table, p *fiscal.Part, r *fiscal.Row) {
		s := scheme(p)
		names := cls.Names(s, r.Code)
		if len(names) == 0 || r.Name == "" {
			return
		}
		for _, e := range names {
			if e.Name == r.Name && e.ValidIn(d.Year) {
				return // as most rows are
			}
		}
		name := fiscal.NormName(r.Name)
		var valid *fiscal.ClassEntry
		for i, e := range names {
			if !e.ValidIn(d.Year) {
				continue
			}
			if fiscal.NormName(e.Name) == name {
				return
			}
			if valid == nil {
				valid = &names[i]
			}
		}
		for _, e := range names {
			if fiscal.NormName(e.Name) == name {
				if valid == nil {
					rep.Reportf(r.Source, "科目 %s“%s”是 %s的名称，%d 年的分类目录中没有这一科目", r.Code, r.Name, years(e), d.Year)
				} else {
					rep.Reportf(r.Source, "科目 %s 的名称“%s”是 %s的名称，%d 年应为“%s”", r.Code, r.Name, years(e), d.Year, valid.Name)
				}
				return
			}
		}
		if valid == nil {
			rep.Reportf(r.Source, "科目 %s“%s”在 %d 年的分类目录中没有（目录中的名称：%s，%s）", r.Code, r.Name, d.Year, names[0].Name, years(names[0]))
			return
		}
		rep.Reportf(r.Source, "科目 %s 的名称“%s”与 %d 年分类目录中的名称“%s”不符", r.Code, r.Name, d.Year, valid.Name)
	})
}

func codeParent(rep *Reporter, d *fiscal.Disclosure) {
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		lengths := map[int]bool{}
		for _, r := range p.Rows {
			lengths[len(r.Code)] = true
		}
		for i, r := range p.Rows {
			n := len(r.Code)
			if n <= 3 || !lengths[n-2] {
				continue
			}
			want := r.Code[:n-2]
			// The row a reader sees it under: the nearest row above with a
			// shorter code.
			var above *fiscal.Row
			for j := i - 1; j >= 0; j-- {
				if c := p.Rows[j].Code; c != "" && len(c) < n {
					above = p.Rows[j]
					break
				}
			}
			lvl, up := levelName(r.Code), levelName(want)
			switch {
			case above != nil && above.Code == want:
			case findRow(p, want) == nil:
				rep.Reportf(r.Source, "%s %s“%s”所属的%s %s 没有列出：表 %s 列出了%s，请补上 %s 这一行", lvl, r.Code, r.Name, up, want, t.ID, up, want)
			default:
				rep.Reportf(r.Source, "%s %s“%s”列在了 %s“%s”下面，应列在所属的%s %s 之下", lvl, r.Code, r.Name, above.Code, above.Name, up, want)
			}
		}
	})
}

// itemSources are the tables a narrative list's coded rows are figures
// of: 功能分类 项 are 财政拨款 spending (一般公共预算, 政府性基金 and 国有资本
// 经营预算 tables together); 经济分类 款 are basic spending.
func itemSources(d *fiscal.Disclosure, s fiscal.CodeScheme) (kinds []string, col string) {
	switch {
	case s == fiscal.Economic && d.Kind == fiscal.Budget:
		return []string{"budget_gpb_basic"}, "total"
	case s == fiscal.Economic:
		return []string{"final_gpb_basic"}, "amount"
	case d.Kind == fiscal.Budget:
		return []string{"budget_gpb", "budget_fund", "budget_soe"}, "total"
	}
	return []string{"final_gpb", "final_fund", "final_soe"}, ""
}

func crossItems(rep *Reporter, d *fiscal.Disclosure) {
	st := rep.st
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		if !isList(t) {
			return
		}
		amountCol := p.Kind.Column("amount")
		if amountCol == nil {
			return
		}
		kinds, col := itemSources(d, scheme(p))
		for _, r := range p.Rows {
			if r.Code == "" || r.Role != fiscal.Item {
				continue
			}
			item := cellOperand(d, t, p, r, amountCol)
			if !item.present {
				continue
			}
			var ops []operand
			for _, k := range kinds {
				src := table(d, k)
				if src == nil {
					continue
				}
				sp := src.Parts[0]
				c := col
				if c == "" {
					c = "total"
					if sp.Kind.Column(c) == nil {
						c = "exp_total"
					}
				}
				sc := sp.Kind.Column(c)
				if sc == nil {
					continue
				}
				if row := findRow(sp, r.Code); row != nil {
					ops = append(ops, cellOperand(d, src, sp, row, sc))
				} else if k == kinds[0] {
					ops = append(ops, operand{d: d, t: src, part: sp, col: sc, rowKey: r.Code})
				}
			}
			if len(ops) == 0 {
				continue
			}
			st.judge(rep, judgement{name: "说明中的科目金额与报表一致"}, sumOf(item), sumOf(ops...))
		}
	})
}
