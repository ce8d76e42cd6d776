package glossary

import (
	"fmt"
	"slices"
	"sync"

	"github.com/yuin/goldmark/parser"
)

// Mode says which occurrences of a term a page marks.
type Mode uint8

const (
	// PerSection marks the first occurrence of each term in every section
	// of the page (one Markdown file). It is the default.
	PerSection Mode = iota
	// PerHeading marks the first occurrence after every heading as well.
	PerHeading
	// PerPage marks only the first occurrence on the page.
	PerPage
	// Off marks nothing; where terms are mentioned is still recorded, for
	// the glossary page.
	Off
)

var modeNames = [...]string{"section", "heading", "page", "off"}

// ParseMode reads a mode as site.toml writes it: section, heading, page or
// off.
func ParseMode(s string) (Mode, bool) {
	for i, n := range modeNames {
		if s == n {
			return Mode(i), true
		}
	}
	return 0, false
}

// ModeNames lists the modes as site.toml writes them.
func ModeNames() []string { return modeNames[:] }

func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", m)
}

// PageOptions configure a [Page].
type PageOptions struct {
	Mode Mode
	// GlossaryPage is the URL of the glossary page (/glossary/). Marked
	// site terms carry the URL of their entry there in data-glossary, for
	// the script's bubble; "" leaves it out.
	GlossaryPage string
}

// Section is a part of a page: its anchor and title.
type Section struct {
	ID    string
	Title string
}

// Use is a place where a page uses a term: its first mention in a section
// of the narrative, or its entry in the page's own 名词解释 list.
type Use struct {
	Term    *Term
	Section Section
	// Anchor is the id to link to: the marked occurrence, or the term's
	// entry in the list; "" when the mention is not marked.
	Anchor string
	// Listed reports a use by the page's 名词解释 list.
	Listed bool
}

// Page is the glossary state of one page while its sections are rendered
// one after another: the page's terms, what has been marked and where. It
// is not safe for concurrent use.
type Page struct {
	set  *Set
	opts PageOptions

	section   Section
	inScope   map[*Term]bool // marked since the scope (section, heading) began
	marked    []*Term        // in order of first mark
	isMarked  map[*Term]bool
	mentioned map[*Term]bool // mentioned in the current section
	listed    map[*Term]bool
	uses      []Use
	matches   []Match // scratch
}

// NewPage returns the state of a page whose terms are set.
func NewPage(set *Set, o PageOptions) *Page {
	return &Page{set: set, opts: o, inScope: map[*Term]bool{}, isMarked: map[*Term]bool{},
		mentioned: map[*Term]bool{}, listed: map[*Term]bool{}}
}

// Set returns the page's terms.
func (p *Page) Set() *Set { return p.set }

// BeginSection starts a section of the page; call it before rendering the
// section's Markdown.
func (p *Page) BeginSection(id, title string) {
	p.section = Section{ID: id, Title: title}
	clear(p.mentioned)
	if p.opts.Mode != PerPage {
		clear(p.inScope)
	}
}

var pageKey = parser.NewContextKey()

// Context returns the values to put in the goldmark parser context of each
// section of the page (markdown.Doc.Context), through which [Extension]
// finds the page.
func (p *Page) Context() map[parser.ContextKey]any {
	return map[parser.ContextKey]any{pageKey: p}
}

// List records that the page's own 名词解释 list, in the current section,
// shows t: its marks link there, and it is not listed again.
func (p *Page) List(t *Term) {
	if p.listed[t] {
		return
	}
	p.listed[t] = true
	p.uses = append(p.uses, Use{Term: t, Section: p.section, Anchor: t.ID, Listed: true})
}

// Listed reports whether the page's 名词解释 list shows t.
func (p *Page) Listed(t *Term) bool { return p.listed[t] }

// Marked returns the terms marked on the page, in the order of their first
// mark.
func (p *Page) Marked() []*Term { return p.marked }

// Unlisted returns the terms marked on the page that its 名词解释 list does
// not show: they need a list of their own (本页名词解释) for their links and
// descriptions to land.
func (p *Page) Unlisted() []*Term {
	var out []*Term
	for _, t := range p.marked {
		if !p.listed[t] {
			out = append(out, t)
		}
	}
	return out
}

// Uses returns where the page uses its terms, in page order: the first
// mention of each term in each section, and the 名词解释 list's entries.
func (p *Page) Uses() []Use { return p.uses }

// headingScope is called at every heading of a section.
func (p *Page) headingScope() {
	if p.opts.Mode == PerHeading {
		clear(p.inScope)
	}
}

// mention records a mention of t and reports whether to mark it.
func (p *Page) mention(t *Term) (mark bool) {
	mark = p.opts.Mode != Off && !p.inScope[t]
	if !p.mentioned[t] {
		p.mentioned[t] = true
		p.uses = append(p.uses, Use{Term: t, Section: p.section})
	}
	return mark
}

// marked records that the mention just recorded was marked with anchor.
func (p *Page) markedAt(t *Term, anchor string) {
	p.inScope[t] = true
	if !p.isMarked[t] {
		p.isMarked[t] = true
		p.marked = append(p.marked, t)
	}
	// The section's use links to its first mark.
	for i := len(p.uses) - 1; i >= 0; i-- {
		u := &p.uses[i]
		if u.Term == t && !u.Listed && u.Section == p.section {
			if u.Anchor == "" {
				u.Anchor = anchor
			}
			break
		}
	}
}

// Usage collects the uses of terms by every page of a build, for the
// glossary page's back-links and the unused-term check. It is safe for
// concurrent use.
type Usage struct {
	mu    sync.Mutex
	pages map[string][]Use
}

// NewUsage returns an empty Usage.
func NewUsage() *Usage { return &Usage{pages: map[string][]Use{}} }

// Record sets the uses of the page at path, replacing what an earlier
// rendering of the page recorded.
func (u *Usage) Record(path string, uses []Use) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.pages[path] = uses
}

// Of returns the uses recorded for the page at path.
func (u *Usage) Of(path string) []Use {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.pages[path]
}

// PageUses is one page's uses of a term, for a back-link.
type PageUses struct {
	Path string
	// Sections lists the sections of the page that use the term, each
	// once, in page order, with the anchor to link to (the first marked
	// occurrence, the list entry, or the section itself).
	Sections []SectionUse
}

// SectionUse is a section of a page that uses a term.
type SectionUse struct {
	Section
	Anchor string
	listed bool
}

// BackLinks returns the pages among paths (in their order) that use the
// site term whose anchor is id.
func (u *Usage) BackLinks(id string, paths []string) []PageUses {
	var out []PageUses
	for _, path := range paths {
		var pu PageUses
		for _, use := range u.Of(path) {
			if use.Term.ID != id || !use.Term.Site {
				continue
			}
			i := slices.IndexFunc(pu.Sections, func(s SectionUse) bool { return s.ID == use.Section.ID })
			if i < 0 {
				pu.Sections = append(pu.Sections, SectionUse{Section: use.Section})
				i = len(pu.Sections) - 1
			}
			s := &pu.Sections[i]
			// Link to a marked occurrence rather than the list entry,
			// to either rather than the section's top.
			switch {
			case use.Anchor == "":
			case !use.Listed && (s.Anchor == "" || s.listed):
				s.Anchor, s.listed = use.Anchor, false
			case use.Listed && s.Anchor == "":
				s.Anchor, s.listed = use.Anchor, true
			}
		}
		for i := range pu.Sections {
			if pu.Sections[i].Anchor == "" {
				pu.Sections[i].Anchor = pu.Sections[i].ID
			}
		}
		if len(pu.Sections) > 0 {
			pu.Path = path
			out = append(out, pu)
		}
	}
	return out
}
