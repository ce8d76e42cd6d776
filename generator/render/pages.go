package render

import (
	"bytes"
	"fmt"
	"html/template"
	"time"

	"github.com/disclose/disclose/generator/dataset"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/markdown"
)

// Page is what every layout receives. Exactly one of Home, Body,
// Disclosure and Glossary is set, by Kind.
type Page struct {
	Site *SiteView
	// Kind is home, body, disclosure, glossary or 404.
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

	Home       *HomeView
	Body       *BodyView
	Disclosure *DisclosureView
	Glossary   *GlossaryView
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
	BaseURL     string
	Publisher   fiscal.Publisher
	Bodies      []Link
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
}

// GlossaryView is the 名词解释 page.
type GlossaryView struct {
	Terms []TermView
}

// TermView is one glossary term.
type TermView struct {
	Term       string
	ID         string
	Aliases    []string
	Code       string
	Definition string
	// Uses are the disclosures whose 名词解释 lists the term.
	Uses []Link
}

// TermID is the anchor of a term on the glossary page and in a page's own
// 名词解释 list.
func TermID(term string) string { return "term-" + markdown.Slug(term) }

// SiteView builds the view every page shares.
func (r *Renderer) SiteView() *SiteView {
	c := r.site.Config
	v := &SiteView{Title: c.Title, Description: c.Description, Lang: c.Language, BaseURL: c.BaseURL, Publisher: c.Publisher}
	for _, b := range r.site.Bodies {
		v.Bodies = append(v.Bodies, Link{Title: b.DisplayName(), Path: b.Slug + "/"})
	}
	return v
}

func summary(d *fiscal.Disclosure) DisclosureSummary {
	s := DisclosureSummary{Title: title(d), Path: d.Path() + "/", Year: d.Year, Kind: d.Kind.String()}
	if c, t := d.Headline("收入"); c != nil {
		s.Income = c.Fig.Prose(t.Unit)
	}
	if c, t := d.Headline("支出"); c != nil {
		s.Expenditure = c.Fig.Prose(t.Unit)
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
	h := &HomeView{}
	for _, b := range r.site.Bodies {
		bs := BodySummary{Slug: b.Slug, Name: b.Name, Path: b.Slug + "/", Example: b.Example}
		for _, d := range b.Disclosures {
			bs.Disclosures = append(bs.Disclosures, summary(d))
		}
		h.Bodies = append(h.Bodies, bs)
	}
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

// GlossaryPage builds the 名词解释 page.
func (r *Renderer) GlossaryPage(site *SiteView) *Page {
	uses := map[string][]Link{}
	for _, b := range r.site.Bodies {
		for _, d := range b.Disclosures {
			for _, t := range d.Terms {
				uses[t] = append(uses[t], Link{Title: title(d), Path: d.Path() + "/#" + TermID(t)})
			}
		}
	}
	v := &GlossaryView{}
	for _, t := range r.site.Glossary {
		v.Terms = append(v.Terms, TermView{Term: t.Term, ID: TermID(t.Term), Aliases: t.Aliases, Code: t.Code, Definition: t.Definition, Uses: uses[t.Term]})
	}
	return &Page{Site: site, Kind: "glossary", Title: "名词解释", Path: "glossary/",
		Crumbs: []Link{{Title: "首页", Path: ""}}, Glossary: v}
}

// NotFoundPage builds the 404 page.
func (r *Renderer) NotFoundPage(site *SiteView) *Page {
	return &Page{Site: site, Kind: "404", Title: "页面不存在", Path: "404.html"}
}

// DisclosurePage builds the page of disclosure d: its sections in order
// with their references resolved, and the tables no reference placed.
// Problems in the content are returned as diagnostics.
func (r *Renderer) DisclosurePage(site *SiteView, d *fiscal.Disclosure) (*Page, diag.List) {
	var diags diag.List
	ids := markdown.NewIDs()
	for _, reserved := range []string{"main", "content", "toc", "toc-title", "data-tables", "page-terms", "search", "downloads"} {
		ids.Put([]byte(reserved))
	}
	pc, downloads := newPageCharts(r, d, ids, &diags)
	res := &resolver{r: r, d: d, ids: ids, embedded: map[*fiscal.Table]bool{}, charts: pc}
	res.terms = func() (template.HTML, error) { return r.termsHTML(d, &diags) }
	v := &DisclosureView{
		Title: title(d), Body: Link{Title: d.Body.Name, Path: d.Body.Slug + "/"},
		Year: d.Year, Kind: d.Kind.String(), Scope: d.Scope.String(), Unit: d.Unit.String(),
		ApprovalNo: d.ApprovalNo,
	}
	v.Approved, v.Published, v.Updated = date(d.Approved), date(d.Published), date(d.Updated)
	for _, s := range d.Sections {
		sid := s.ID
		if sid == "" {
			sid = markdown.Slug(s.Title)
		}
		sid = ids.Unique(sid)
		pc.file = s.File
		var b bytes.Buffer
		result, err := r.md.Render(&b, markdown.Doc{Source: s.Markdown, Line: s.Line}, ids, res)
		if err != nil {
			diags.Errorf(s.File, 0, 0, "markdown.render", "无法生成这一节：%v", err)
			continue
		}
		for _, e := range result.Errors {
			diags.Errorf(s.File, e.Line, e.Col, "markdown.ref", "%s", e.Msg)
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
		v.Sections = append(v.Sections, SectionView{ID: sid, Title: s.Title, HTML: template.HTML(b.String())})
	}
	var rest []*fiscal.Table
	for _, t := range d.Tables {
		if !res.embedded[t] {
			tv := NewTableView(t, pc.anchors[t])
			tv.CSV = pc.csv[t]
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
	v.Downloads, v.DownloadsID = downloads, "downloads"
	v.TOC = append(v.TOC, TOCEntry{Title: "数据下载", ID: v.DownloadsID})
	p := &Page{Site: site, Kind: "disclosure", Title: v.Title, Path: d.Path() + "/", Example: d.Body.Example,
		Crumbs: []Link{{Title: "首页", Path: ""}, {Title: d.Body.DisplayName(), Path: d.Body.Slug + "/"}}, Disclosure: v,
		Downloads: downloads}
	return p, diags
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// termsHTML renders a disclosure's own 名词解释 list in its published order;
// each definition is the disclosure's own where it has one, else the site's.
func (r *Renderer) termsHTML(d *fiscal.Disclosure, diags *diag.List) (template.HTML, error) {
	var terms []TermView
	for i, name := range d.Terms {
		t := lookupTerm(name, d.Glossary, r.site.Glossary)
		if t == nil {
			src := d.TermsSource
			diags.Errorf(src.File, src.Line, src.Col, "glossary.unknown-term", "terms 第 %d 项“%s”在 glossary.toml 和本 data.toml 的 [[glossary]] 中都没有解释", i+1, name)
			continue
		}
		terms = append(terms, TermView{Term: t.Term, ID: TermID(t.Term), Definition: t.Definition, Code: t.Code, Aliases: t.Aliases})
	}
	var b bytes.Buffer
	if err := r.tmpl.ExecuteTemplate(&b, "terms", terms); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

func lookupTerm(name string, own, site []*fiscal.Term) *fiscal.Term {
	for _, list := range [][]*fiscal.Term{own, site} {
		for _, t := range list {
			if t.Term == name {
				return t
			}
		}
	}
	return nil
}
