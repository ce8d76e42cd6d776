package glossary

import (
	"fmt"
	"slices"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
)

// Findings returns what an editor should know about the glossaries of site,
// as warnings with file:line:
//
//   - glossary.duplicate: a name or alias defined twice in glossary.toml, or
//     in one data.toml's [[glossary]], for overlapping years (only the first
//     is used); a classification code given to two entries for overlapping
//     years;
//   - glossary.years: an entry whose from is after its to (it applies to no
//     year);
//   - glossary.unused: with usage (from a build), an entry that no page uses:
//     a site term that no narrative mentions and no disclosure's terms list
//     names, or a disclosure's own term that its page does not use.
//
// A disclosure's own entry of a site term's name is not a duplicate: it
// replaces the site's definition on that page. With usage nil, only the
// first two kinds are reported.
func Findings(site *fiscal.Site, usage *Usage) diag.List {
	var out diag.List
	// An entry that repeats another's name is reported as that; it is not
	// also unused.
	repeated := map[*fiscal.Term]bool{}
	duplicates(&out, site.Glossary, "glossary.toml", repeated)
	for _, b := range site.Bodies {
		for _, d := range b.Disclosures {
			duplicates(&out, d.Glossary, "本文件的 [[glossary]]", repeated)
		}
	}
	if usage == nil {
		out.Sort()
		return out
	}
	usedIDs := map[string]bool{}
	usedEntries := map[*fiscal.Term]bool{}
	usage.mu.Lock()
	for _, uses := range usage.pages {
		for _, u := range uses {
			usedEntries[u.Term.Term] = true
			if u.Term.Site {
				usedIDs[u.Term.ID] = true
			}
		}
	}
	usage.mu.Unlock()
	listed := map[string]bool{}
	for _, b := range site.Bodies {
		for _, d := range b.Disclosures {
			for _, name := range d.Terms {
				listed[Fold(name)] = true
			}
		}
	}
	for _, t := range New(site.Glossary).Terms() {
		if !repeated[t.Term] && !usedIDs[t.ID] && !usedEntries[t.Term] && !slices.ContainsFunc(keys(t.Term), func(k string) bool { return listed[k] }) {
			out.Warnf(t.Source.File, t.Source.Line, t.Source.Col, "glossary.unused",
				"名词“%s”没有用到：没有哪一页的正文提到它，也没有哪份公开文件的 terms 列出它。不再需要时可以删除", t.Term.Term)
		}
	}
	for _, b := range site.Bodies {
		for _, d := range b.Disclosures {
			for _, t := range d.Glossary {
				if !repeated[t] && !usedEntries[t] {
					out.Warnf(t.Source.File, t.Source.Line, t.Source.Col, "glossary.unused",
						"本文件的名词“%s”没有用到：正文没有提到它，terms 也没有列出它", t.Term)
				}
			}
		}
	}
	out.Sort()
	return out
}

// duplicates reports the entries of one list that repeat an earlier one.
// Entries whose name repeats an earlier one go in repeated.
func duplicates(out *diag.List, terms []*fiscal.Term, where string, repeated map[*fiscal.Term]bool) {
	type first struct {
		t    *fiscal.Term
		name string // as written
	}
	byKey := map[string][]first{}
	byCode := map[string][]*fiscal.Term{}
	for _, t := range terms {
		src := t.Source
		if t.From != 0 && t.To != 0 && t.From > t.To {
			out.Warnf(src.File, src.Line, src.Col, "glossary.years",
				"名词“%s”的 from = %d 晚于 to = %d，它不适用于任何年度", t.Term, t.From, t.To)
		}
		reported := false
		for _, name := range append([]string{t.Term}, t.Aliases...) {
			k := Fold(name)
			if k == "" {
				continue
			}
			for _, f := range byKey[k] {
				if f.t == t || !overlap(f.t, t) || reported {
					continue
				}
				reported = true
				what := "名词"
				if name != t.Term {
					what = "别名"
				} else {
					repeated[t] = true
				}
				other := fmt.Sprintf("第 %d 行的名词“%s”", f.t.Source.Line, f.t.Term)
				if f.name != f.t.Term {
					other += fmt.Sprintf("（别名“%s”）", f.name)
				}
				out.Warnf(src.File, src.Line, src.Col, "glossary.duplicate",
					"%s“%s”与%s重复（在 %s 中定义了两次）：正文中只按第一处定义标注。请删去一处，或用 from、to 分开适用年度", what, name, other, where)
			}
			if !slices.ContainsFunc(byKey[k], func(f first) bool { return f.t == t }) {
				byKey[k] = append(byKey[k], first{t, name})
			}
		}
		if t.Code != "" {
			for _, f := range byCode[t.Code] {
				if overlap(f, t) {
					out.Warnf(src.File, src.Line, src.Col, "glossary.duplicate",
						"科目编码 %s 已用于第 %d 行的名词“%s”，适用年度重叠：同一科目在同一年度只能有一个名称。改名的科目请用 from、to 写明各自的适用年度", t.Code, f.Source.Line, f.Term)
					break
				}
			}
			byCode[t.Code] = append(byCode[t.Code], t)
		}
	}
}
