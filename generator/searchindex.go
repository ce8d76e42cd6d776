package generator

import (
	"cmp"
	"slices"

	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/render"
	"github.com/disclose/disclose/generator/search"
)

// searchOptions completes the search index options of a build with what
// the site knows: glossary terms find each other's aliases, and a
// classification code's names across the years find each other
// (医疗卫生与计划生育支出 and 卫生健康支出), so a reader finds a term by any
// of its names. The first glossary terms are the search page's suggestions.
func searchOptions(site *fiscal.Site, o search.Options) search.Options {
	for _, t := range site.Glossary {
		if len(t.Aliases) > 0 {
			o.Synonyms = append(o.Synonyms, append([]string{t.Term}, t.Aliases...))
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

// disclosureSearchPage describes a disclosure page to the search index.
func disclosureSearchPage(d *fiscal.Disclosure) *search.Page {
	return &search.Page{Path: d.Path() + "/", Title: cmp.Or(d.Title, d.DefaultTitle()), Body: d.Body.Name, BodySlug: d.Body.Slug,
		Year: d.Year, Kind: d.Kind.Slug(), KindName: d.Kind.String(), Example: d.Body.Example}
}
