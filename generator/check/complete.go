package check

import (
	"strings"

	"github.com/disclose/disclose/generator/fiscal"
)

func completeTables(rep *Reporter, d *fiscal.Disclosure) {
	cat := rep.st.idx.site.Catalog
	for _, q := range rep.st.rules.Require {
		if q.Kind != 0 && q.Kind != d.Kind {
			continue
		}
		var missing []string
		for _, k := range q.Tables {
			if table(d, k) == nil {
				name := k
				if tk := cat.Kind(k); tk != nil {
					name = tk.Name + "（" + k + "）"
				}
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			// At the last table, after which they go; at the top of a
			// data.toml with none.
			at, where := fiscal.Source{File: d.DataFile, Line: 1, Col: 1}, ""
			if n := len(d.Tables); n > 0 && d.Tables[n-1].Source.Line > 0 {
				at, where = d.Tables[n-1].Source, "（可接在这张表之后补上）"
			}
			rep.Reportf(at, "缺少公开报表（%d 张）：%s。标准报表都要公开%s；没有数据的表也要列出：写 empty = true，并在 note 中注明原因",
				len(missing), strings.Join(missing, "、"), where)
		}
	}
}

// hasFigures reports whether a table prints any non-zero amount.
func hasFigures(t *fiscal.Table) bool {
	for _, p := range t.Parts {
		for _, r := range p.Rows {
			for _, c := range r.Cells {
				if c.Column.Type == fiscal.MoneyColumn && c.Fig.Fen != 0 {
					return true
				}
			}
		}
	}
	return false
}

func completeEmpty(rep *Reporter, d *fiscal.Disclosure) {
	for _, t := range d.Tables {
		if isList(t) {
			continue
		}
		switch {
		case t.Empty && strings.TrimSpace(t.Note) == "":
			rep.Reportf(t.Source, "表“%s”标为空表（empty = true），须在 note 中注明原因，如 note = \"注：本部门%d年无%s，故本表为空表。\"", t.Title, d.Year, strings.TrimSuffix(t.Kind.Name, "表"))
		case t.Empty && hasFigures(t):
			rep.Reportf(t.Source, "表“%s”标为空表（empty = true），表中却有数字：核对原文，有数字的表去掉 empty", t.Title)
		case !t.Empty && !hasFigures(t):
			rep.Reportf(t.Source, "表“%s”中没有数字：公开的是空表时写 empty = true，并在 note 中注明原因", t.Title)
		}
	}
}

// covers reports whether the disclosure covers topic t.
func (st *state) covers(t *Topic) bool {
	for _, h := range st.narrative().headings {
		for _, m := range t.Match {
			if strings.Contains(h, m) {
				return true
			}
		}
	}
	for _, k := range t.Tables {
		if st.tables[k] != nil {
			return true
		}
	}
	return t.Terms && len(st.d.Terms) > 0
}

func completeTopics(rep *Reporter, d *fiscal.Disclosure) {
	var missing []string
	for _, t := range rep.st.rules.Topics {
		if (t.Kind == 0 || t.Kind == d.Kind) && !rep.st.covers(t) {
			missing = append(missing, t.Name)
		}
	}
	if len(missing) == 0 {
		return
	}
	// At the top of the text, where an editor looks for its parts.
	src := fiscal.Source{File: d.DataFile, Line: 1, Col: 1}
	if len(d.Sections) > 0 {
		src.File = d.Sections[0].File
	}
	rep.Reportf(src, "说明部分缺少：%s。每一部分在正文中写一个小标题（如“## 三、机关运行经费预算安排情况说明”）；没有的事项也要写明，如“本部门无政府采购预算”",
		strings.Join(missing, "、"))
}
