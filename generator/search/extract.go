package search

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/tdewolff/parse/v2"
	htmllex "github.com/tdewolff/parse/v2/html"
	"golang.org/x/net/html/atom"
)

// Section is one search document: a part of a page a result links to.
type Section struct {
	// Anchor is the id the result links to; "" for the top of the page.
	Anchor string
	// Title is the heading, table caption or term that starts the section;
	// for the top of the page, its h1.
	Title string
	// Level is the heading level (1 for the top of the page, 2–6 for
	// headings); tables and other marked parts are 7.
	Level int
	// Text is the text of the section as the page shows it: the title,
	// then a line break, then the rest, blocks separated by line breaks and
	// table cells by spaces.
	Text string
	// Body is the byte offset in Text where the text after the title
	// starts.
	Body int
	// Money holds the table cells of Text that are amounts, with the unit
	// their table states.
	Money []Span
}

// Span is a range of bytes of a section's Text.
type Span struct {
	Start, End int
	Unit       string
}

// Extract splits a rendered page into sections. It reads the page's <main>
// element (or <body> when there is none), and starts a section at:
//
//   - every h2–h6 element with an id (the h1 is the page's title: it starts
//     the first section, whose anchor is "");
//   - every figure or table element with an id, titled by its caption: the
//     text after it belongs to the section it interrupted;
//   - every element with an id and a data-search-section attribute, titled
//     by the attribute's value or else by its first heading, dt, dfn or
//     caption.
//
// It leaves out nav, script, style, template, noscript, svg, math, select,
// textarea and button elements, and any element that is hidden, has
// aria-hidden="true" or has a data-search-skip attribute. A table cell
// whose class includes "money" is an amount in the unit its table's
// caption states (单位：万元).
func Extract(page []byte) []Section {
	x := NewExtractor(page)
	// tdewolff's lexer reads a page three times as fast as x/net/html's
	// tokenizer and allocates next to nothing, but lower-cases names in its
	// buffer: it gets a copy.
	buf := make([]byte, len(page), len(page)+1)
	copy(buf, page)
	l := htmllex.NewLexer(parse.NewInputBytes(buf))
	for {
		tt, tok := l.Next()
		if tt == htmllex.ErrorToken {
			return x.Sections()
		}
		x.Token(tt, tok, l)
	}
}

// An Extractor does what Extract does, fed the tokens of a page by a
// lexer that reads the page anyway (the publish stage's page check), so
// that the page is lexed once.
type Extractor struct {
	e      extractor
	root   atom.Atom
	inRoot int // depth inside the root element, 0 outside
	a      atom.Atom
	inTag  bool
}

// NewExtractor returns an Extractor for page, which it only looks at to
// find its root element.
func NewExtractor(page []byte) *Extractor {
	x := &Extractor{e: extractor{titleFor: -1}, root: atom.Main}
	if !bytes.Contains(page, []byte("<main")) {
		x.root = atom.Body
	}
	return x
}

// Token takes the next token of the page from l, a tdewolff HTML lexer
// that returned tt and tok. The lexer hands over an <svg> element whole,
// which extraction leaves out anyway, and a <math> one, whose text is then
// left out too (pages have none: raw HTML in Markdown is escaped unless a
// site opts in).
func (x *Extractor) Token(tt htmllex.TokenType, tok []byte, l *htmllex.Lexer) {
	e := &x.e
	switch tt {
	case htmllex.TextToken:
		if x.inRoot > 0 && e.skip == 0 {
			e.text(textOf(tok))
		}
	case htmllex.StartTagToken:
		x.a, x.inTag = atom.Lookup(l.Text()), true
		e.attrs = attrs{}
	case htmllex.AttributeToken:
		if x.inTag {
			e.attrs.set(l.AttrKey(), l.AttrVal())
		}
	case htmllex.StartTagCloseToken, htmllex.StartTagVoidToken:
		if !x.inTag {
			return
		}
		x.inTag = false
		if x.inRoot == 0 {
			if x.a == x.root {
				x.inRoot = 1
				e.open("", 1, "")
			}
			return
		}
		if tt == htmllex.StartTagVoidToken || voidElement(x.a) {
			if x.a == atom.Br || x.a == atom.Hr {
				e.brk('\n')
			}
			return
		}
		x.inRoot++
		e.start(x.a, &e.attrs)
	case htmllex.EndTagToken:
		if x.inRoot == 0 {
			return
		}
		a := tagAtom(tok[2:])
		if a == x.root && e.depthOf(a) < 0 {
			x.inRoot = 0
			return
		}
		if e.end(a) {
			x.inRoot--
		}
	}
}

// Sections returns the sections of the page, once it has had every token.
func (x *Extractor) Sections() []Section { return x.e.finish() }

// textOf is a text token as the page shows it: character references
// decoded, CR LF and lone CR read as LF (as x/net/html's Text does).
func textOf(tok []byte) []byte {
	if bytes.IndexByte(tok, '&') < 0 && bytes.IndexByte(tok, '\r') < 0 {
		return tok
	}
	s := string(tok)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return []byte(html.UnescapeString(s))
}

// attrs are the attributes of a start tag that extraction reads; id and
// title point into the page.
type attrs struct {
	id, title                                  []byte
	section, skip, hidden, ah, money, download bool
}

// tagAtom returns the atom of the tag name at the start of b. (For an end
// tag, not atom.Lookup(l.Text()): the lexer's text of </b x> is "b x".)
func tagAtom(b []byte) atom.Atom {
	n := 0
	for n < len(b) && (b[n] >= 'a' && b[n] <= 'z' || b[n] >= 'A' && b[n] <= 'Z' || b[n] >= '0' && b[n] <= '9') {
		n++
	}
	name := b[:n]
	for i, c := range name {
		if c >= 'A' && c <= 'Z' {
			name = bytes.ToLower(name)
			break
		} else if i == len(name)-1 {
			break
		}
	}
	return atom.Lookup(name)
}

// set notes the attribute key (lower case, as the lexer gives it) with its
// value as written (quoted or not), if extraction reads it.
func (a *attrs) set(key, val []byte) {
	if n := len(val); n >= 2 && (val[0] == '"' || val[0] == '\'') && val[n-1] == val[0] {
		val = val[1 : n-1]
	}
	switch string(key) {
	case "id":
		a.id = val
	case "class":
		a.money = hasClass(val, "money")
	case "data-search-section":
		a.section, a.title = true, val
	case "data-search-skip":
		a.skip = true
	case "hidden":
		a.hidden = true
	case "aria-hidden":
		a.ah = string(val) == "true"
	case "download":
		a.download = true
	}
}

// hasClass reports whether the class list v holds name, without the
// allocation of splitting it (every cell of a table has a class).
func hasClass(v []byte, name string) bool {
	for len(v) > 0 {
		i := 0
		for i < len(v) && !isHTMLSpace(v[i]) {
			i++
		}
		if string(v[:i]) == name {
			return true
		}
		for i < len(v) && isHTMLSpace(v[i]) {
			i++
		}
		v = v[i:]
	}
	return false
}

func attrValue(v []byte) string {
	if bytes.IndexByte(v, '&') >= 0 {
		return html.UnescapeString(string(v))
	}
	return string(v)
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// frame is one open element.
type frame struct {
	tag  atom.Atom
	skip bool
	// section is the index of the section the element started or names,
	// or -1; prev is the section to go back to when it ends.
	section, prev int
	// titled marks a heading or caption that names its section;
	// titleStart is the length of the section's text when it opened.
	titled     bool
	titleStart int
	// money marks an amount cell; start is where its text begins.
	money bool
	start int
	// table marks a table element; unit is its unit, from its caption.
	table bool
	unit  string
	// figureID is the id of a figure that starts a section once a table
	// opens inside it (a chart's figure starts none).
	figureID string
}

type extractor struct {
	sections []*Section
	texts    []*strings.Builder
	cur      int // the section receiving text
	stack    []frame
	skip     int
	// White space seen since the last text is written out only before
	// more text: one line break if a block ended, else one space, and
	// nothing for a line break between two CJK characters.
	pendingSpace, pendingLine, softLine bool
	// titleFor is the section whose title the next heading, dt, dfn or
	// caption gives, or -1.
	titleFor int
	attrs    attrs
}

func voidElement(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

func skipped(a atom.Atom, at *attrs) bool {
	switch a {
	case atom.Nav, atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Svg, atom.Select,
		atom.Textarea, atom.Button:
		return true
	}
	// A link that downloads a file (a table's CSV) is no content.
	return at.hidden || at.skip || at.ah || a == atom.A && at.download
}

// blockElement reports whether a breaks the text as a block (a line) or as
// a cell (a space); other elements are inline.
func blockElement(a atom.Atom) (rune, bool) {
	switch a {
	case atom.Td, atom.Th, atom.Dt, atom.Dd:
		return ' ', true
	case atom.P, atom.Div, atom.Li, atom.Tr, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Caption, atom.Figcaption, atom.Section, atom.Article, atom.Header, atom.Footer,
		atom.Table, atom.Thead, atom.Tbody, atom.Tfoot, atom.Ul, atom.Ol, atom.Dl, atom.Blockquote,
		atom.Pre, atom.Figure, atom.Aside, atom.Address, atom.Details, atom.Summary, atom.Form,
		atom.Fieldset, atom.Legend:
		return '\n', true
	}
	return 0, false
}

func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// open starts a new section and makes it current.
func (e *extractor) open(anchor string, level int, title string) int {
	e.sections = append(e.sections, &Section{Anchor: anchor, Level: level, Title: title})
	e.texts = append(e.texts, &strings.Builder{})
	e.cur = len(e.sections) - 1
	e.pendingSpace, e.pendingLine, e.softLine = false, false, false
	return e.cur
}

func (e *extractor) start(a atom.Atom, at *attrs) {
	f := frame{tag: a, section: -1, prev: e.cur}
	if e.skip > 0 || skipped(a, at) {
		f.skip = true
		e.skip++
		e.stack = append(e.stack, f)
		return
	}
	hasID := len(at.id) > 0
	marked := at.section
	switch lvl := headingLevel(a); {
	case lvl >= 2 && hasID:
		// A heading starts a section that goes on after it.
		f.section = e.open(attrValue(at.id), lvl, "")
		f.prev = f.section
		f.titled = true
	case lvl == 1 && e.cur == 0 && e.sections[0].Title == "":
		f.section, f.prev = 0, 0
		f.titled = true
	case a == atom.Figure && hasID && !e.inFigure():
		f.figureID = attrValue(at.id)
	case a == atom.Table && !e.inFigure():
		// A table starts a section, with its own id or its figure's.
		if i := e.pendingFigure(); i >= 0 {
			fig := &e.stack[i]
			fig.section = e.open(fig.figureID, 7, "")
			e.titleFor = fig.section
		} else if hasID {
			f.section = e.open(attrValue(at.id), 7, "")
			e.titleFor = f.section
		}
	case marked && hasID:
		// The attribute's value is a title as the heading would give it:
		// white space collapsed, none around it.
		f.section = e.open(attrValue(at.id), 7, collapse(attrValue(at.title)))
		if e.sections[f.section].Title == "" {
			e.titleFor = f.section
		}
	case lvl > 0, a == atom.Dt, a == atom.Dfn, a == atom.Caption, a == atom.Figcaption:
		if e.titleFor >= 0 && e.titleFor == e.cur {
			f.section, f.prev = e.cur, e.cur
			f.titled = true
			e.titleFor = -1
		}
	}
	f.table = a == atom.Table
	f.money = a == atom.Td && at.money
	if br, ok := blockElement(a); ok {
		e.brk(br)
	}
	f.start = e.texts[e.cur].Len()
	f.titleStart = f.start
	e.stack = append(e.stack, f)
}

// inFigure reports whether a figure or table that started a section is
// open, so a table inside a figure does not start another.
func (e *extractor) inFigure() bool {
	for _, f := range e.stack {
		if (f.tag == atom.Figure || f.tag == atom.Table) && f.section >= 0 && !f.titled {
			return true
		}
	}
	return false
}

// pendingFigure returns the index in the stack of the innermost open figure
// with an id that has not started a section, or -1.
func (e *extractor) pendingFigure() int {
	for i := len(e.stack) - 1; i >= 0; i-- {
		if f := e.stack[i]; f.tag == atom.Figure && f.figureID != "" && f.section < 0 {
			return i
		}
	}
	return -1
}

func (e *extractor) depthOf(a atom.Atom) int {
	for i := len(e.stack) - 1; i >= 0; i-- {
		if e.stack[i].tag == a {
			return i
		}
	}
	return -1
}

// end closes the innermost open element a and everything opened inside
// it. It reports whether there was one.
func (e *extractor) end(a atom.Atom) bool {
	i := e.depthOf(a)
	if i < 0 {
		return false
	}
	for len(e.stack) > i {
		f := e.stack[len(e.stack)-1]
		e.stack = e.stack[:len(e.stack)-1]
		e.close(f)
	}
	return true
}

var (
	unitRE       = regexp.MustCompile(`单位\s*[:：]\s*(亿元|万元|元)`)
	unitSuffixRE = regexp.MustCompile(`\s*[（(]?单位\s*[:：]\s*(亿元|万元|元)[)）]?\s*$`)
)

func (e *extractor) close(f frame) {
	if f.skip {
		e.skip--
		return
	}
	all := e.texts[e.cur].String()
	if f.money && len(all) > f.start {
		if unit := e.tableUnit(); unit != "" {
			start := f.start
			if all[start] == ' ' || all[start] == '\n' { // the separator before the cell
				start++
			}
			s := e.sections[e.cur]
			s.Money = append(s.Money, Span{Start: start, End: len(all), Unit: unit})
		}
	}
	if f.tag == atom.Caption {
		if m := unitRE.FindStringSubmatch(all[min(f.titleStart, len(all)):]); m != nil {
			for i := len(e.stack) - 1; i >= 0; i-- {
				if e.stack[i].table {
					e.stack[i].unit = m[1]
					break
				}
			}
		}
	}
	if f.titled {
		s := e.sections[e.cur]
		if title := collapse(all[min(f.titleStart, len(all)):]); s.Title == "" && title != "" {
			// A table's caption ends with its unit (单位：万元): the text
			// keeps it, the title does not need it.
			// The expression needs 单位 (and is slow to say no).
			if strings.Contains(title, "单位") {
				if t := strings.TrimSpace(unitSuffixRE.ReplaceAllString(title, "")); t != "" {
					title = t
				}
			}
			s.Title = title
			if strings.TrimSpace(all[:f.titleStart]) == "" {
				s.Body = len(all) // the title opens the text
			}
		}
	}
	if br, ok := blockElement(f.tag); ok {
		e.brk(br)
	}
	if f.section >= 0 && f.prev != f.section {
		if e.titleFor == f.section {
			e.titleFor = -1
		}
		e.cur = f.prev
		e.pendingSpace, e.pendingLine, e.softLine = false, false, false
		e.brk('\n')
	}
}

func (e *extractor) tableUnit() string {
	for i := len(e.stack) - 1; i >= 0; i-- {
		if e.stack[i].table {
			return e.stack[i].unit
		}
	}
	return ""
}

// brk ends a block (c is '\n') or a cell (' ').
func (e *extractor) brk(c rune) {
	if c == '\n' {
		e.pendingLine = true
	}
	e.pendingSpace = true
}

// text adds the text of a text node (its entities decoded by the
// tokenizer) to the current section.
func (e *extractor) text(s []byte) {
	b := e.texts[e.cur]
	for len(s) > 0 {
		if c := s[0]; isHTMLSpace(c) {
			e.pendingSpace = true
			if c == '\n' {
				e.softLine = true
			}
			s = s[1:]
			continue
		}
		// The text up to the next space goes in one piece.
		n := 0
		for n < len(s) && !isHTMLSpace(s[n]) {
			n++
		}
		run := s[:n]
		s = s[n:]
		if e.pendingSpace && b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			r, _ := utf8.DecodeRune(run)
			switch {
			case e.pendingLine:
				b.WriteByte('\n')
			case e.softLine && IsCJK(last) && IsCJK(r):
				// A line break between two CJK characters inside a
				// paragraph is no space (CSS Text 3: segment breaks
				// between East Asian wide characters are removed).
			default:
				b.WriteByte(' ')
			}
		}
		e.pendingSpace, e.pendingLine, e.softLine = false, false, false
		if utf8.Valid(run) {
			b.Write(run)
			continue
		}
		for len(run) > 0 { // invalid bytes become U+FFFD, as they are read
			r, size := utf8.DecodeRune(run)
			b.WriteRune(r)
			run = run[size:]
		}
	}
}

func (e *extractor) finish() []Section {
	out := make([]Section, 0, len(e.sections))
	for i, s := range e.sections {
		sec := *s
		sec.Text = e.texts[i].String()
		if sec.Title != "" && sec.Body == 0 {
			// The title does not open the text (a caption below its table,
			// a title given by an attribute): put it in front, so the title
			// is always the text's first line.
			shift := len(sec.Title) + 1
			sec.Text = sec.Title + "\n" + sec.Text
			for j := range sec.Money {
				sec.Money[j].Start += shift
				sec.Money[j].End += shift
			}
			sec.Body = len(sec.Title)
		}
		out = append(out, sec)
	}
	return out
}

// collapse trims s and turns every run of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
