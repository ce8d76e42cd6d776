package render

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"time"

	"github.com/disclose/disclose/generator/dataset"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/glossary"
	"github.com/disclose/disclose/generator/markdown"
)

// Page is what every layout receives. Exactly one of Home, Body,
// Disclosure, Glossary, Sitemap and Search is set, by Kind (none for 404).
type Page struct {
	Site *SiteView
	// Kind is home, body, disclosure, glossary, sitemap, search or 404.
	Kind string
	// Title is the page's own title (its h1).
	Title string
	// Path is the page's path below the site root: "" for home,
	// panjin-zhcs/2020/budget/, 404.html.
	Path string
	// Crumbs lead from home to the page's parent.
	Crumbs []Link
	// Example marks a page about a synthetic body: it must say 示例数据（虚构）.
	Example bool
	// Downloads are the data files the page links to; the build writes
	// them with the page.
	Downloads []*Download
	// Scripts are the static files (js/glossary.js) the page loads, in
	// order; a page that needs none has none. Pass each through asset.
	Scripts []string

	Home       *HomeView
	Body       *BodyView
	Disclosure *DisclosureView
	Glossary   *GlossaryView
	Sitemap    *SitemapView
	Search     *SearchView
}

// sizeHint guesses the size of the page's HTML: the layout's own markup
// (some 12 KB) and a disclosure's sections and trailing tables.
func (p *Page) sizeHint() int {
	n := 12 << 10
	if d := p.Disclosure; d != nil {
		for _, s := range d.Sections {
			n += len(s.HTML)
		}
		for _, t := range d.Tables {
			n += len(t.HTML)
			for _, c := range t.Charts {
				n += len(c.HTML)
			}
		}
	}
	return n
}

// Canonical returns the page's full address (link rel=canonical), or ""
// when the base URL is only a path, and for the 404 page, which is served
// at any address.
func (p *Page) Canonical() string {
	if !p.Site.Absolute() || p.Kind == "404" {
		return ""
	}
	return p.Site.BaseURL + p.Path
}

// Column returns the page's column (栏目) for the ColumnName metadata: a
// disclosure's is its kind (部门预算, 单位决算 …); other pages have the
// site's column_name, by default 预决算公开.
func (p *Page) Column() string {
	if p.Disclosure != nil {
		return p.Disclosure.Scope + p.Disclosure.Kind
	}
	if c := p.Site.Publisher.ColumnName; c != "" {
		return c
	}
	return "预决算公开"
}

// Link is a titled site path (pass it through the url function).
type Link struct {
	Title string
	Path  string
}

// SiteView is the site as every page sees it.
type SiteView struct {
	Title       string
	Description string
	Lang        string
	BaseURL     string // as fiscal.ParseBaseURL returns it
	Publisher   fiscal.Publisher
	Bodies      []Link
	// CSP is the Content-Security-Policy to repeat in a <meta> element,
	// for CDNs that cannot send headers; empty for none.
	CSP string
}

// Absolute reports whether BaseURL is a full address (not only a path).
func (v *SiteView) Absolute() bool {
	u, err := url.Parse(v.BaseURL)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// Domain returns the SiteDomain metadata: the publisher's site_domain, else
// the base URL's host.
func (v *SiteView) Domain() string {
	if v.Publisher.SiteDomain != "" {
		return v.Publisher.SiteDomain
	}
	if u, err := url.Parse(v.BaseURL); err == nil {
		return u.Host
	}
	return ""
}

// SiteName returns the SiteName metadata: the publisher's site_name, else
// the site title.
func (v *SiteView) SiteName() string {
	if v.Publisher.SiteName != "" {
		return v.Publisher.SiteName
	}
	return v.Title
}

// HomeView lists every body with its disclosures.
type HomeView struct {
	Bodies []BodySummary
	// Charts holds the departments ranked by their latest year's spending
	// (none when no disclosure states its spending).
	Charts []ChartView
}

// BodySummary is a body with its disclosures, for lists.
type BodySummary struct {
	Slug        string
	Name        string
	Path        string
	Example     bool
	Disclosures []DisclosureSummary
}

// DisclosureSummary is a disclosure in a list: year, kind and its headline
// totals as published (empty when the disclosure states none).
type DisclosureSummary struct {
	Title       string
	Path        string
	Year        int
	Kind        string // 预算 or 决算
	Income      string
	Expenditure string
	// BodyName and BodySlug are its body's, for the list's caption and id.
	BodyName, BodySlug string
}

// BodyView is a body page.
type BodyView struct {
	Name        string
	Region      string
	Type        string
	Example     bool
	Disclosures []DisclosureSummary
	// Charts holds the body's spending across years (none with fewer than
	// two years of a kind).
	Charts []ChartView
}

// DisclosureView is a disclosure page: the whole document in order.
type DisclosureView struct {
	Title      string
	Body       Link
	Year       int
	Kind       string // 预算 or 决算
	Scope      string // 部门 or 单位
	Unit       string
	Approved   string
	ApprovalNo string
	Published  string
	Updated    string
	TOC        []TOCEntry
	Sections   []SectionView
	// Tables holds the tables not placed in the narrative by a reference;
	// the page shows them after it, under “数据表”.
	Tables []TableView
	// TablesID is the anchor of that part of the page.
	TablesID string
	// Downloads are the data of the disclosure: a CSV per table, in table
	// order, then the JSON of every amount; DownloadsID is their anchor.
	Downloads   []*Download
	DownloadsID string
	// PubDate is the publication date as 2006-01-02, for the PubDate
	// metadata; empty when the disclosure states none.
	PubDate string
	// PageTerms are the glossary terms marked in the narrative that the
	// disclosure's own 名词解释 list ({{名词解释}}) does not show on this
	// page; the page lists them last, under “本页名词解释”, so that every
	// mark's link and aria-describedby land on the page. Marks of terms
	// the 名词解释 list shows point at its entries instead: each term has
	// one entry per page.
	PageTerms []TermView
	// PageTermsID is the anchor of that list.
	PageTermsID string
}

// TOCEntry is one line of the table of contents.
type TOCEntry struct {
	Title    string
	ID       string
	Children []TOCEntry
}

// SectionView is one rendered section.
type SectionView struct {
	ID    string
	Title string
	HTML  template.HTML
	// Source is the section as written (file, line, Markdown), so that a
	// problem found in the HTML can be reported at its line.
	Source *fiscal.Section
}

// GlossaryView is the 名词解释 page.
type GlossaryView struct {
	Terms []TermView
}

// TermView is one glossary term.
type TermView struct {
	Term string
	// ID is the anchor of the term's entry (on the glossary page, and in a
	// disclosure page's lists); DefID the anchor of its definition text,
	// which marked terms name in aria-describedby.
	ID         string
	DefID      string
	Aliases    []string
	Code       string
	Years      string // the years the entry applies to, e.g. 2019年起; "" for all
	Definition string
	// GlossaryPath is the site path of the term's entry on the glossary
	// page (glossary/#term-…), "" for a disclosure's own term that the
	// site glossary lacks.
	GlossaryPath string
	// Uses lists the disclosure pages that use the term (on the glossary
	// page only): where their narrative mentions it, or their 名词解释
	// lists it; the latest years first, at most MaxBackLinks of them.
	Uses []TermUse
	// MoreUses counts the pages that use the term beyond those in Uses.
	MoreUses int
}

// MaxBackLinks is how many pages the glossary page lists for one term.
const MaxBackLinks = 20

// TermUse is a page that uses a term, with the sections that do.
type TermUse struct {
	Page Link
	// Sections link to the first marked occurrence in each section that
	// uses the term, or to the term's entry in the page's 名词解释 list.
	Sections []Link
}

// SitemapView is the 网站地图 page: every body with its disclosures.
type SitemapView struct {
	Bodies []BodySummary
}

// TermID is the anchor of a term on the glossary page and in a page's own
// 名词解释 list. Two site terms of the same name get -2, -3 … in file order.
func TermID(term string) string { return glossary.ID(term) }

func termView(t *glossary.Term) TermView {
	v := TermView{Term: t.Term.Term, ID: t.ID, DefID: t.DefID(), Aliases: t.Aliases, Code: t.Code,
		Years: years(t.From, t.To), Definition: t.Definition}
	if t.Site {
		v.GlossaryPath = "glossary/#" + t.ID
	}
	return v
}

// years says which years a term applies to.
func years(from, to int) string {
	switch {
	case from == 0 && to == 0:
		return ""
	case to == 0:
		return fmt.Sprintf("%d年起", from)
	case from == 0:
		return fmt.Sprintf("%d年及以前", to)
	case from == to:
		return fmt.Sprintf("%d年", from)
	}
	return fmt.Sprintf("%d—%d年", from, to)
}

// SiteView builds the view every page shares.
func (r *Renderer) SiteView() *SiteView {
	c := r.site.Config
	v := &SiteView{Title: c.Title, Description: c.Description, Lang: c.Language, BaseURL: c.BaseURL, Publisher: c.Publisher, CSP: r.csp}
	for _, b := range r.site.Bodies {
		v.Bodies = append(v.Bodies, Link{Title: b.DisplayName(), Path: b.Slug + "/"})
	}
	return v
}

func summary(d *fiscal.Disclosure) DisclosureSummary {
	s := DisclosureSummary{Title: title(d), Path: d.Path() + "/", Year: d.Year, Kind: d.Kind.String(),
		BodyName: d.Body.DisplayName(), BodySlug: d.Body.Slug}
	// As the tables print amounts (7,389.63), with the unit, which may
	// differ from one disclosure to the next.
	if v, u, ok := flowTotal(d, "收入"); ok {
		s.Income = fiscal.FormatAmount(v, u, u.Places()) + u.String()
	}
	if v, u, ok := flowTotal(d, "支出"); ok {
		s.Expenditure = fiscal.FormatAmount(v, u, u.Places()) + u.String()
	}
	return s
}

func title(d *fiscal.Disclosure) string {
	if d.Title != "" {
		return d.Title
	}
	return d.DefaultTitle()
}

// HomePage builds the home page.
func (r *Renderer) HomePage(site *SiteView) *Page {
	h := &HomeView{Bodies: r.bodySummaries()}
	p := &Page{Site: site, Kind: "home", Title: site.Title, Home: h}
	if f := rankingFigure(r.site); f != nil {
		v, dl, err := r.siteChart(f, "chart-ranking", dataset.Folder+"/ranking.csv", f.title+".csv", "各部门公开文件中的本年支出合计")
		if err == nil {
			h.Charts = append(h.Charts, v)
			p.Downloads = append(p.Downloads, dl)
		}
	}
	return p
}

func (r *Renderer) bodySummaries() []BodySummary {
	var list []BodySummary
	for _, b := range r.site.Bodies {
		bs := BodySummary{Slug: b.Slug, Name: b.Name, Path: b.Slug + "/", Example: b.Example}
		for _, d := range b.Disclosures {
			bs.Disclosures = append(bs.Disclosures, summary(d))
		}
		list = append(list, bs)
	}
	return list
}

// SitemapPage builds the HTML 网站地图 page.
func (r *Renderer) SitemapPage(site *SiteView) *Page {
	return &Page{Site: site, Kind: "sitemap", Title: "网站地图", Path: "sitemap/",
		Crumbs: []Link{{Title: "首页", Path: ""}}, Sitemap: &SitemapView{Bodies: r.bodySummaries()}}
}

// BodyPage builds the page of body b.
func (r *Renderer) BodyPage(site *SiteView, b *fiscal.Body) *Page {
	v := &BodyView{Name: b.Name, Region: b.Region, Type: b.Type, Example: b.Example}
	for _, d := range b.Disclosures {
		v.Disclosures = append(v.Disclosures, summary(d))
	}
	p := &Page{Site: site, Kind: "body", Title: b.Name, Path: b.Slug + "/", Example: b.Example,
		Crumbs: []Link{{Title: "首页", Path: ""}}, Body: v}
	if f := trendFigure(b); f != nil {
		cv, dl, err := r.siteChart(f, "chart-trend", b.Slug+"/"+dataset.Folder+"/totals.csv", f.title+".csv", "各年度公开文件中的本年支出合计")
		if err == nil {
			v.Charts = append(v.Charts, cv)
			p.Downloads = append(p.Downloads, dl)
		}
	}
	return p
}

// GlossaryPage builds the 名词解释 page: every site term with its
// back-links to the disclosure pages that use it. The back-links come from
// rendering those pages, so build it after every DisclosurePage.
//
// A term lists at most MaxBackLinks pages, the latest years first, and
// counts the others in MoreUses: on a site of thousands of disclosures the
// full lists would make the page megabytes long.
func (r *Renderer) GlossaryPage(site *SiteView) *Page {
	var ds []*fiscal.Disclosure
	for _, b := range r.site.Bodies {
		ds = append(ds, b.Disclosures...)
	}
	slices.SortStableFunc(ds, func(a, b *fiscal.Disclosure) int { return b.Year - a.Year })
	var paths []string
	titles := map[string]string{}
	for _, d := range ds {
		p := d.Path() + "/"
		paths = append(paths, p)
		titles[p] = title(d)
	}
	v := &GlossaryView{}
	for _, t := range r.gloss.Terms() {
		tv := termView(t)
		tv.GlossaryPath = ""
		uses := r.usage.BackLinks(t.ID, paths)
		if len(uses) > MaxBackLinks {
			tv.MoreUses = len(uses) - MaxBackLinks
			uses = uses[:MaxBackLinks]
		}
		for _, pu := range uses {
			u := TermUse{Page: Link{Title: titles[pu.Path], Path: pu.Path}}
			for _, s := range pu.Sections {
				u.Sections = append(u.Sections, Link{Title: s.Title, Path: pu.Path + "#" + s.Anchor})
			}
			tv.Uses = append(tv.Uses, u)
		}
		v.Terms = append(v.Terms, tv)
	}
	return &Page{Site: site, Kind: "glossary", Title: "名词解释", Path: "glossary/",
		Crumbs: []Link{{Title: "首页", Path: ""}}, Glossary: v}
}

// SearchView is the search page: the form, its filters, and where the
// script finds the index.
type SearchView struct {
	// Index is the site path of the index manifest the script loads; ""
	// in a preview, which writes no index.
	Index string
	// Years are the years of the disclosures, newest first.
	Years []int
	// Bodies are the disclosing bodies, for the body filter: Title is the
	// name, Path the folder name (the filter's value).
	Bodies []Link
}

// SearchPage builds the search page; index is the site path of the search
// index's manifest.
func (r *Renderer) SearchPage(site *SiteView, index string) *Page {
	v := &SearchView{Index: index}
	seen := map[int]bool{}
	for _, b := range r.site.Bodies {
		v.Bodies = append(v.Bodies, Link{Title: b.Name, Path: b.Slug})
		for _, d := range b.Disclosures {
			if !seen[d.Year] {
				seen[d.Year] = true
				v.Years = append(v.Years, d.Year)
			}
		}
	}
	slices.SortFunc(v.Years, func(a, b int) int { return b - a })
	return &Page{Site: site, Kind: "search", Title: "搜索", Path: "search/",
		Crumbs: []Link{{Title: "首页", Path: ""}}, Scripts: []string{"js/search.js"}, Search: v}
}

// NotFoundPage builds the 404 page.
func (r *Renderer) NotFoundPage(site *SiteView) *Page {
	return &Page{Site: site, Kind: "404", Title: "页面不存在", Path: "404.html"}
}

// pageAnchors returns the anchors of d's page, holding those the layout
// and the glossary may use so that headings do not take them, and the
// page's glossary.
func (r *Renderer) pageAnchors(d *fiscal.Disclosure) (*markdown.IDs, *glossary.Page) {
	ids := markdown.NewIDs()
	for _, reserved := range []string{"main", "content", "toc", "toc-title", "data-tables", "page-terms", "search", "search-input", "downloads"} {
		ids.Put([]byte(reserved))
	}
	gp := glossary.NewPage(r.gloss.Set(d.Year, d.Glossary), glossary.PageOptions{Mode: r.glossMode, GlossaryPage: r.URL("glossary/")})
	for _, t := range gp.Set().Terms {
		// Any term may get an entry on the page.
		ids.Put([]byte(t.ID))
		ids.Put([]byte(t.DefID()))
	}
	return ids, gp
}

// sectionID is the anchor of section s: its id, or one made of its title,
// unique on the page.
func sectionID(ids *markdown.IDs, s *fiscal.Section) string {
	return ids.Unique(cmp.Or(s.ID, markdown.Slug(s.Title)))
}

// DisclosurePage builds the page of disclosure d: its sections in order
// with their references resolved, and the tables no reference placed.
// Problems in the content are returned as diagnostics.
func (r *Renderer) DisclosurePage(site *SiteView, d *fiscal.Disclosure) (*Page, diag.List) {
	var diags diag.List
	// A layout's failure is said once a page, however many of the page's
	// tables it failed: a build folds it over the pages.
	var layoutErrs map[string]bool // made at the first
	layoutError := func(err error) {
		if dg := r.TemplateError("disclosure", err); !layoutErrs[dg.String()] {
			if layoutErrs == nil {
				layoutErrs = map[string]bool{}
			}
			layoutErrs[dg.String()] = true
			diags.Add(dg)
		}
	}
	ids, gp := r.pageAnchors(d)
	pc := newPageCharts(r, d, ids, &diags)
	downloads := pc.downloads()
	res := newResolver(pc)
	termsShown := false
	res.terms = func() (template.HTML, error) {
		if termsShown {
			return "", fmt.Errorf("{{名词解释}} 在本页已经用过一次：名词解释清单每页只能插入一次")
		}
		termsShown = true
		return r.termsHTML(d, gp, &diags)
	}
	v := &DisclosureView{
		Title: title(d), Body: Link{Title: d.Body.Name, Path: d.Body.Slug + "/"},
		Year: d.Year, Kind: d.Kind.String(), Scope: d.Scope.String(), Unit: d.Unit.String(),
		ApprovalNo: d.ApprovalNo,
	}
	v.Approved, v.Published, v.Updated = date(d.Approved), date(d.Published), date(d.Updated)
	if !d.Published.IsZero() {
		v.PubDate = d.Published.Format(time.DateOnly)
	}
	// One buffer for every section: it grows to the largest (the tables)
	// once, where a buffer each would regrow for each.
	var b bytes.Buffer
	for _, s := range d.Sections {
		sid := sectionID(ids, s)
		pc.file = s.File
		gp.BeginSection(sid, s.Title)
		b.Reset()
		result, err := r.md.Render(&b, markdown.Doc{Source: s.Markdown, Line: s.Line, Context: gp.Context()}, ids, res)
		if err != nil {
			diags.Errorf(s.File, 0, 0, "markdown.render", "无法生成这一节：%v", err)
			continue
		}
		for _, e := range result.Errors {
			if lf, ok := e.Err.(layoutFailure); ok {
				layoutError(lf.err)
				continue
			}
			diags.Errorf(s.File, e.Line, e.Col, e.Rule, "%s", e.Msg)
		}
		entry := TOCEntry{Title: s.Title, ID: sid}
		top := 7
		for _, h := range result.Headings {
			top = min(top, h.Level)
		}
		for _, h := range result.Headings {
			if h.Level == top {
				entry.Children = append(entry.Children, TOCEntry{Title: h.Text, ID: h.ID})
			}
		}
		v.TOC = append(v.TOC, entry)
		v.Sections = append(v.Sections, SectionView{ID: sid, Title: s.Title, HTML: template.HTML(b.String()), Source: s})
	}
	var rest []*fiscal.Table
	for _, t := range d.Tables {
		if !res.embedded[t] {
			tv := NewTableView(t, pc.anchors[t])
			tv.CSV = pc.csv[t]
			html, err := r.tableViewHTML(&tv)
			if err != nil {
				layoutError(err)
				continue
			}
			tv.HTML = html
			v.Tables = append(v.Tables, tv)
			rest = append(rest, t)
		}
	}
	if err := pc.fill(v.Sections, v.Tables, rest); err != nil {
		diags.Errorf(d.DataFile, 0, 0, "chart.render", "无法生成图表：%v", err)
	}
	if len(v.Tables) > 0 {
		v.TablesID = "data-tables"
		v.TOC = append(v.TOC, TOCEntry{Title: "数据表", ID: v.TablesID})
	}
	for _, t := range gp.Unlisted() {
		v.PageTerms = append(v.PageTerms, termView(t))
	}
	if len(v.PageTerms) > 0 {
		v.PageTermsID = "page-terms"
		v.TOC = append(v.TOC, TOCEntry{Title: "本页名词解释", ID: v.PageTermsID})
	}
	v.Downloads, v.DownloadsID = downloads, "downloads"
	v.TOC = append(v.TOC, TOCEntry{Title: "数据下载", ID: v.DownloadsID})
	p := &Page{Site: site, Kind: "disclosure", Title: v.Title, Path: d.Path() + "/", Example: d.Body.Example,
		Crumbs: []Link{{Title: "首页", Path: ""}, {Title: d.Body.DisplayName(), Path: d.Body.Slug + "/"}}, Disclosure: v,
		Downloads: downloads}
	if len(gp.Marked()) > 0 {
		p.Scripts = []string{"js/glossary.js"}
	}
	r.usage.Record(p.Path, gp.Uses())
	return p, diags
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// termsHTML renders a disclosure's own 名词解释 list in its published order;
// each definition is the disclosure's own where it has one, else the site's
// entry valid in the disclosure's year.
func (r *Renderer) termsHTML(d *fiscal.Disclosure, gp *glossary.Page, diags *diag.List) (template.HTML, error) {
	var terms []TermView
	for i, name := range d.Terms {
		t := gp.Set().Lookup(name)
		if t == nil {
			src := d.TermsSource
			msg := fmt.Sprintf("terms 第 %d 项“%s”在 glossary.toml 和本 data.toml 的 [[glossary]] 中都没有解释", i+1, name)
			for _, st := range r.gloss.Terms() {
				if glossary.Fold(st.Term.Term) == glossary.Fold(name) {
					msg = fmt.Sprintf("terms 第 %d 项“%s”：glossary.toml 中这一名词只适用于 %s，不含 %d 年；请为 %d 年补一条解释（用 from、to 写明适用年度）", i+1, name, years(st.From, st.To), d.Year, d.Year)
					break
				}
			}
			diags.Errorf(src.File, src.Line, src.Col, "glossary.unknown-term", "%s", msg)
			continue
		}
		if gp.Listed(t) {
			// Once is enough, and the entry's anchor must stay unique.
			src := d.TermsSource
			diags.Warnf(src.File, src.Line, src.Col, "glossary.duplicate", "terms 第 %d 项“%s”前面已经列过，清单中只列一次", i+1, name)
			continue
		}
		gp.List(t)
		terms = append(terms, termView(t))
	}
	var b bytes.Buffer
	if err := r.tmpl.ExecuteTemplate(&b, "terms", terms); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}
