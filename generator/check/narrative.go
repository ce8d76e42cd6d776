package check

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/markdown"
)

// narrative is the Markdown of a disclosure as the text rules read it:
// lines outside code blocks, with data references found and masked,
// headings, and paragraphs.
type narrative struct {
	lines    []textLine
	headings []string // section titles and Markdown headings
	paras    []paragraph
}

// textLine is one line of a section with its references blanked out, so
// the digits inside {{…}} are not read as typed figures.
type textLine struct {
	text   string // masked
	src    fiscal.Source
	isHead bool
}

// paragraph is a run of lines between blank lines, with the references it
// makes and whether it states a reason (原因).
type paragraph struct {
	refs   []docRef
	reason bool
}

// docRef is a data reference of the narrative, resolved to its row when
// it names one.
type docRef struct {
	verb  string
	table *fiscal.Table
	row   *fiscal.Row
	src   fiscal.Source
}

var refRE = regexp.MustCompile(`\{\{[^{}]*\}\}`)

// braces folds the full-width braces an input method types into ASCII
// ones, rune for rune, so columns stay true.
var braces = strings.NewReplacer("｛", "{", "｝", "}")

// reasonWords mark a sentence that gives the reason for a change.
var reasonWords = []string{"原因", "由于", "因为"}

func (st *state) narrative() *narrative {
	if st.md != nil {
		return st.md
	}
	n := &narrative{}
	for _, s := range st.d.Sections {
		if s.Title != "" {
			n.headings = append(n.headings, s.Title)
		}
		var cur *paragraph
		fence := ""
		for i, line := range strings.Split(string(s.Markdown), "\n") {
			src := fiscal.Source{File: s.File, Line: s.Line + i, Col: 1}
			trimmed := strings.TrimSpace(line)
			if fence != "" {
				if strings.HasPrefix(trimmed, fence) {
					fence = ""
				}
				continue
			}
			if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
				fence = trimmed[:3]
				cur = nil
				continue
			}
			if trimmed == "" {
				cur = nil
				continue
			}
			folded := braces.Replace(line)
			masked := folded
			var refs []docRef
			for _, m := range refRE.FindAllStringIndex(folded, -1) {
				ref := markdown.ParseRef(folded[m[0]+2 : m[1]-2])
				col := utf8.RuneCountInString(folded[:m[0]]) + 1
				refs = append(refs, st.resolveDocRef(ref, fiscal.Source{File: s.File, Line: src.Line, Col: col}))
				masked = masked[:m[0]] + strings.Repeat(" ", m[1]-m[0]) + masked[m[1]:]
			}
			head := strings.HasPrefix(trimmed, "#")
			if head {
				n.headings = append(n.headings, strings.TrimSpace(strings.TrimLeft(trimmed, "#")))
				cur = nil
			}
			n.lines = append(n.lines, textLine{text: masked, src: src, isHead: head})
			if head {
				continue
			}
			if cur == nil {
				n.paras = append(n.paras, paragraph{})
				cur = &n.paras[len(n.paras)-1]
			}
			cur.refs = append(cur.refs, refs...)
			for _, w := range reasonWords {
				if strings.Contains(masked, w) {
					cur.reason = true
				}
			}
		}
	}
	st.md = n
	return n
}

// resolveDocRef finds the table and row a reference names, where it
// names one (rendering reports the references that do not resolve).
func (st *state) resolveDocRef(ref markdown.Ref, src fiscal.Source) docRef {
	out := docRef{verb: ref.Verb, src: src}
	path := strings.Split(ref.Target, ".")
	if out.table = st.d.Table(path[0]); out.table == nil || len(path) < 2 {
		return out
	}
	out.row, _ = out.table.Row(path[1])
	return out
}
