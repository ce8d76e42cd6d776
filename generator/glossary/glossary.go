// Package glossary marks 名词解释 terms in the narrative of a disclosure and
// tells where each term is used.
//
// A [Glossary] holds the site's terms (content/glossary.toml) with stable
// anchors. [Glossary.Set] gives the terms of one page: the site terms valid
// in the page's year, with the disclosure's own [[glossary]] entries taking
// the place of site terms of the same name. A [Set] finds its terms and
// aliases in text with a [Matcher] (leftmost-longest, linear time, quotation
// marks folded).
//
// [Extension] is a goldmark extension (an AST transformer and a node
// renderer) that marks the terms of a page. The page's [Page] reaches it
// through the goldmark parser context: pass [Page.Context] with each
// document. A marked term is a link to its definition on the page, with
// aria-describedby pointing at the definition's text:
//
//	<a class="gl-term" href="#term-基本支出" id="use-基本支出"
//	   aria-describedby="term-基本支出-def" data-glossary="/glossary/#term-基本支出">基本支出</a>
//
// Only text is marked, never headings, links, images, code, raw HTML, table
// header cells, or the output of other extensions (data references, tables,
// charts), and never text already marked. Which occurrences are marked is
// the page's [Mode]: by default the first in each section.
//
// [Usage] collects, across the pages of a build, where each term was used,
// for the glossary page's back-links; [Findings] reports terms defined twice
// and terms no page uses.
package glossary

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/markdown"
)

// A Term is a glossary entry as pages see it.
type Term struct {
	*fiscal.Term
	// ID is the anchor of the entry, on the glossary page and in a page's
	// lists of terms: term-基本支出. It is unique among the site's terms.
	ID string
	// Site reports that the glossary page has an entry at ID: the term is
	// the site's, or a disclosure's own definition of a site term.
	Site bool

	frag string // ID percent-encoded for a URL fragment
}

func newTerm(t *fiscal.Term, id string, site bool) *Term {
	return &Term{Term: t, ID: id, Site: site, frag: fragment(id)}
}

// fragment returns the ID as marks write it in href: percent-encoded.
func (t *Term) fragment() string {
	if t.frag == "" {
		return fragment(t.ID)
	}
	return t.frag
}

// DefID is the anchor of the term's definition text, which marked terms
// name in aria-describedby.
func (t *Term) DefID() string { return t.ID + "-def" }

// ValidIn reports whether the term applies to year y (From and To are
// inclusive; 0 leaves a side open).
func ValidIn(t *fiscal.Term, y int) bool {
	return (t.From == 0 || t.From <= y) && (t.To == 0 || y <= t.To)
}

// Glossary is the site glossary. It is safe for concurrent use.
type Glossary struct {
	terms []*Term
	ids   map[string]bool

	mu       sync.Mutex
	years    map[int]*Set        // sets of pages with no terms of their own
	matchers map[string]*Matcher // of pages with own terms, by year and names
}

// New returns the glossary of the site's terms, in their order. Terms whose
// anchors would collide (the same name twice) get -2, -3 … in order.
func New(terms []*fiscal.Term) *Glossary {
	g := &Glossary{ids: map[string]bool{}, years: map[int]*Set{}, matchers: map[string]*Matcher{}}
	for _, t := range terms {
		g.terms = append(g.terms, newTerm(t, uniqueID(g.ids, ID(t.Term)), true))
	}
	return g
}

// ID returns the anchor of a term name: term- and the name's readable slug
// ([markdown.Slug]: letters and digits of any script kept, punctuation
// dropped), the rule of the page's heading anchors.
func ID(name string) string { return "term-" + markdown.Slug(name) }

func uniqueID(used map[string]bool, base string) string {
	id := base
	for i := 2; used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	used[id] = true
	return id
}

// Terms returns the site's terms in file order.
func (g *Glossary) Terms() []*Term { return g.terms }

// Set returns the terms of a page of year y whose disclosure has the own
// definitions own (nil for none). Sets of pages without own terms are
// shared by year; pages whose own terms have the same names share the
// matcher, which is the costly part.
func (g *Glossary) Set(y int, own []*fiscal.Term) *Set {
	if len(own) == 0 {
		g.mu.Lock()
		defer g.mu.Unlock()
		if s := g.years[y]; s != nil {
			return s
		}
		s := g.newSet(y, nil)
		g.years[y] = s
		return s
	}
	return g.newSet(y, own)
}

// matcherFor returns the matcher of patterns, built once per key.
func (g *Glossary) matcherFor(key string, patterns []Pattern) *Matcher {
	g.mu.Lock()
	m := g.matchers[key]
	g.mu.Unlock()
	if m != nil {
		return m
	}
	m = NewMatcher(patterns)
	g.mu.Lock()
	defer g.mu.Unlock()
	if prev := g.matchers[key]; prev != nil {
		return prev
	}
	g.matchers[key] = m
	return m
}

// Set is the terms of one page and the matcher that finds them. It is
// immutable and safe for concurrent use.
type Set struct {
	// Terms holds the disclosure's own terms first, then the site's terms
	// valid in the year that no own term replaces, each in file order.
	Terms   []*Term
	byKey   map[string]*Term
	byCode  map[string]*Term
	g       *Glossary
	matcher *Matcher
}

func (g *Glossary) newSet(y int, own []*fiscal.Term) *Set {
	s := &Set{byKey: map[string]*Term{}, byCode: map[string]*Term{}, g: g}
	replaced := map[string]bool{}
	siteByName := map[string]*Term{}
	for _, t := range g.terms {
		if ValidIn(t.Term, y) {
			if k := Fold(t.Term.Term); siteByName[k] == nil {
				siteByName[k] = t
			}
		}
	}
	ownIDs := map[string]bool{}
	for _, t := range own {
		if !ValidIn(t, y) {
			continue
		}
		k := Fold(t.Term)
		var pt *Term
		if st := siteByName[k]; st != nil && !replaced[k] {
			pt = newTerm(t, st.ID, true)
			replaced[k] = true
			ownIDs[pt.ID] = true
		} else {
			// Unique among the site's anchors and this page's others.
			base := ID(t.Term)
			id := base
			for i := 2; g.ids[id] || ownIDs[id]; i++ {
				id = base + "-" + strconv.Itoa(i)
			}
			ownIDs[id] = true
			pt = newTerm(t, id, false)
		}
		s.Terms = append(s.Terms, pt)
	}
	for _, t := range g.terms {
		if ValidIn(t.Term, y) && !(replaced[Fold(t.Term.Term)] && siteByName[Fold(t.Term.Term)] == t) {
			s.Terms = append(s.Terms, t)
		}
	}
	var patterns []Pattern
	for _, t := range s.Terms {
		if t.Code != "" && s.byCode[t.Code] == nil {
			s.byCode[t.Code] = t
		}
	}
	for i, t := range s.Terms {
		for _, name := range append([]string{t.Term.Term}, t.Aliases...) {
			k := Fold(name)
			if k == "" || s.byKey[k] != nil {
				continue
			}
			s.byKey[k] = t
			patterns = append(patterns, Pattern{Text: name, Value: i})
		}
	}
	if len(own) == 0 {
		s.matcher = NewMatcher(patterns)
		return s
	}
	// The patterns, and which term each finds, follow from the year and
	// the own terms' names: pages that define the same terms in their own
	// words share a matcher.
	var key strings.Builder
	key.WriteString(strconv.Itoa(y))
	for _, t := range own {
		if ValidIn(t, y) {
			for _, k := range keys(t) {
				key.WriteString("\x00")
				key.WriteString(k)
			}
			key.WriteString("\x01")
		}
	}
	s.matcher = g.matcherFor(key.String(), patterns)
	return s
}

// Lookup returns the term whose name or alias is name (compared folded:
// “三公”经费 finds 三公经费), or nil. Classification terms are keyed by
// their code: name may be the code (2010601), or the name the code has in
// another year, and Lookup returns the entry valid in the set's year.
func (s *Set) Lookup(name string) *Term {
	if t := s.byKey[Fold(name)]; t != nil {
		return t
	}
	if t := s.byCode[strings.ReplaceAll(name, " ", "")]; t != nil {
		return t
	}
	k := Fold(name)
	for _, t := range s.g.terms {
		if t.Code != "" && slices.Contains(keys(t.Term), k) {
			return s.byCode[t.Code]
		}
	}
	return nil
}

// Matcher returns the matcher of the set's names and aliases; a match's
// Value indexes Terms.
func (s *Set) Matcher() *Matcher { return s.matcher }

// overlap reports whether two terms' year ranges share a year.
func overlap(a, b *fiscal.Term) bool {
	lo := max(a.From, b.From)
	hiA, hiB := a.To, b.To
	if hiA == 0 {
		hiA = 1 << 30
	}
	if hiB == 0 {
		hiB = 1 << 30
	}
	return lo <= min(hiA, hiB)
}

// keys returns the folded name and aliases of t, without repeats.
func keys(t *fiscal.Term) []string {
	var out []string
	for _, n := range append([]string{t.Term}, t.Aliases...) {
		if k := Fold(n); k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}
