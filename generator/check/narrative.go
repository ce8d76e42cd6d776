package check

import (
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
	typed    []typedFigure // see typedFigures
	typedOK  bool
}

// typedFigure is an amount or a rate typed in a line of the narrative
// (typedRE): 129.11万元, 1.75%.
type typedFigure struct {
	line      *textLine
	num, unit string
	// start is where num starts in the line's text, end where the match
	// (num and unit) ends.
	start, end int
}

// typedFigures returns the figures typed in the narrative, found once for
// the rules that read them.
func (n *narrative) typedFigures() []typedFigure {
	if n.typedOK {
		return n.typed
	}
	n.typedOK = true
	for i := range n.lines {
		l := &n.lines[i]
		if !strings.Contains(l.text, "元") && !strings.Contains(l.text, "%") && !strings.Contains(l.text, "％") {
			continue
		}
		for _, m := range typedRE.FindAllStringSubmatchIndex(l.text, -1) {
			n.typed = append(n.typed, typedFigure{line: l, num: l.text[m[2]:m[3]], unit: l.text[m[4]:m[5]], start: m[2], end: m[1]})
		}
	}
	return n.typed
}

// percent reports whether f is a rate.
func (f typedFigure) percent() bool { return f.unit == "%" || f.unit == "％" }

// src is where f's number starts.
func (f typedFigure) src() fiscal.Source {
	return fiscal.Source{File: f.line.src.File, Line: f.line.src.Line, Col: utf8.RuneCountInString(f.line.text[:f.start]) + 1}
}

// textLine is one line of a section with its references blanked out, so
// the digits inside {{…}} are not read as typed figures.
type textLine struct {
	text   string // masked
	src    fiscal.Source
	isHead bool
	refs   []docRef // the references blanked out of it
}

// paragraph is a run of lines between blank lines, with the references it
// makes and whether it states a reason (原因).
type paragraph struct {
	refs   []docRef
	reason bool
}

// docRef is a data reference of the narrative: the text between its
// braces as written, parsed, and the table and row it names (nil when it
// names none), resolved once for every rule that reads it.
type docRef struct {
	inner string
	ref   markdown.Ref
	table *fiscal.Table
	row   *fiscal.Row
	src   fiscal.Source
	off   int // byte offset in its line (masked or not: masking keeps them)
}

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
		inPara := false
		fence := ""
		text := string(s.Markdown)
		for i := 0; text != ""; i++ {
			line, rest, _ := strings.Cut(text, "\n")
			text = rest
			src := fiscal.Source{File: s.File, Line: s.Line + i, Col: 1}
			trimmed := strings.TrimSpace(line)
			switch {
			case fence != "":
				if strings.HasPrefix(trimmed, fence) {
					fence = ""
				}
				continue
			case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
				fence, inPara = trimmed[:3], false
				continue
			case trimmed == "":
				inPara = false
				continue
			}
			masked, refs := maskRefs(line, src)
			for i := range refs {
				r := &refs[i]
				r.ref = markdown.ParseRef(r.inner)
				r.table, r.row = st.refRow(r.ref)
			}
			head := strings.HasPrefix(trimmed, "#")
			n.lines = append(n.lines, textLine{text: masked, src: src, isHead: head, refs: refs})
			if head {
				n.headings = append(n.headings, strings.TrimSpace(strings.TrimLeft(trimmed, "#")))
				inPara = false
				continue
			}
			if !inPara {
				n.paras = append(n.paras, paragraph{})
				inPara = true
			}
			p := &n.paras[len(n.paras)-1]
			p.refs = append(p.refs, refs...)
			for _, w := range reasonWords {
				p.reason = p.reason || strings.Contains(masked, w)
			}
		}
	}
	st.md = n
	return n
}

// maskRefs finds the data references {{…}} of a line (full-width braces
// too) and returns the line with each blanked out, so the digits inside
// are not read as typed figures.
func maskRefs(line string, src fiscal.Source) (string, []docRef) {
	folded := line
	if strings.Contains(line, "｛") || strings.Contains(line, "｝") {
		folded = braces.Replace(line)
	} else if !strings.Contains(line, "{{") {
		return line, nil
	}
	b := []byte(folded)
	var refs []docRef
	for off := 0; ; {
		i := strings.Index(folded[off:], "{{")
		if i < 0 {
			break
		}
		i += off
		j := strings.Index(folded[i+2:], "}}")
		if j < 0 {
			break
		}
		j += i + 2
		refs = append(refs, docRef{inner: folded[i+2 : j], src: fiscal.Source{File: src.File, Line: src.Line, Col: utf8.RuneCountInString(folded[:i]) + 1}, off: i})
		for k := i; k < j+2; k++ {
			b[k] = ' '
		}
		off = j + 2
	}
	return string(b), refs
}

// refRow returns the table and row a reference names (表.行 or 表.行.列);
// nil, nil when it names none.
func (st *state) refRow(r markdown.Ref) (*fiscal.Table, *fiscal.Row) {
	path := strings.Split(r.Target, ".")
	t := st.d.Table(path[0])
	if len(path) < 2 || t == nil {
		return nil, nil
	}
	row, err := t.Row(path[1])
	if err != nil {
		return nil, nil
	}
	return t, row
}
