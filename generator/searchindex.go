package generator

import (
	"cmp"
	"slices"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/render"
	"github.com/disclose/disclose/generator/search"
)

// searchOptions completes the search index options of a build with what
// the site knows: a glossary term and its aliases find each other, and so
// do the names a classification code has had over the years, in the
// catalogue and in glossary entries of one code (医疗卫生与计划生育支出 and
// 卫生健康支出), so a reader finds a term by any of its names. The first
// glossary terms are the search page's suggestions.
func searchOptions(site *fiscal.Site, o search.Options) search.Options {
	byCode := map[string][]string{} // glossary entries of one code: its names over the years
	var codes []string
	for _, t := range site.Glossary {
		if len(t.Aliases) > 0 {
			o.Synonyms = append(o.Synonyms, append([]string{t.Term}, t.Aliases...))
		}
		if t.Code != "" {
			if byCode[t.Code] == nil {
				codes = append(codes, t.Code)
			}
			byCode[t.Code] = append(byCode[t.Code], t.Term)
		}
	}
	for _, c := range codes {
		if len(byCode[c]) > 1 {
			o.Synonyms = append(o.Synonyms, byCode[c])
		}
	}
	if c := site.Classification; c != nil {
		for _, scheme := range []fiscal.CodeScheme{fiscal.Function, fiscal.Economic} {
			for _, code := range c.Codes(scheme) {
				var names []string
				for _, e := range c.Names(scheme, code) {
					if !slices.Contains(names, e.Name) {
						names = append(names, e.Name)
					}
				}
				if len(names) > 1 {
					o.Synonyms = append(o.Synonyms, names)
				}
			}
		}
	}
	for _, t := range site.Glossary {
		o.Terms = append(o.Terms, search.GlossaryTerm{Name: t.Term, Anchor: render.TermID(t.Term), Aliases: t.Aliases})
		if len(o.Suggest) < 8 {
			o.Suggest = append(o.Suggest, t.Term)
		}
	}
	return o
}

// hashedSink writes the search index's files, which are named by their
// content, through the publish stage: cached for a year, never minified.
type hashedSink struct{ stage *publish.Stage }

func (h hashedSink) WriteFile(name string, data []byte) error { return h.stage.WriteHashed(name, data) }

// templateError is a search page layout that failed to execute.
type templateError struct{ d diag.Diagnostic }

func (e templateError) Error() string { return e.d.Message }

// disclosureSearchPage describes a disclosure page to the search index.
func disclosureSearchPage(d *fiscal.Disclosure) *search.Page {
	return &search.Page{Path: d.Path() + "/", Title: cmp.Or(d.Title, d.DefaultTitle()), Body: d.Body.Name, BodySlug: d.Body.Slug,
		Year: d.Year, Kind: d.Kind.Slug(), KindName: d.Kind.String(), Example: d.Body.Example}
}
