// Package generator builds a disclosure site: it loads the content of a site
// folder, renders every page with the layouts, and hands each file through
// the publish stage to a [publish.Sink]. The pipeline goes one way:
//
//	fs.FS ──load──▶ fiscal.Site ──check──▶ findings (for editors)
//	                     └───────render──▶ pages ──publish──▶ Sink
//
// The checks (generator/check) report the figures that do not add up; a
// strict build stops on them. The publish stage ([publish.Stage]) names
// static files by content hash, checks and minifies pages, checks every
// link, and writes sitemap.xml, robots.txt, the headers hint file and
// manifest.json.
//
// Build reads only through fs.FS and writes only through the Sink, so tests
// use fstest.MapFS and publish.MapSink, and the CLI os.DirFS and a
// publish.DirSink. There is no package-level state; everything a build needs
// is in its Config.
package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark"

	"github.com/disclose/disclose/generator/check"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/glossary"
	"github.com/disclose/disclose/generator/markdown"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/render"
	"github.com/disclose/disclose/generator/search"
)

// Config is what one build needs.
type Config struct {
	// Site is the site folder: content/, and optionally layouts/ and
	// static/ whose files override the theme's.
	Site fs.FS
	// Theme is the default theme (layouts/ and static/); usually the one
	// embedded in the binary.
	Theme fs.FS
	// Sink receives every output file.
	Sink publish.Sink
	// Progress, if set, is called as pages are done (from any goroutine).
	Progress func(done, total int)
	// Strict stops the build, before anything is written, when the checks
	// find an error or a warning (also when site.toml sets [checks]
	// strict = true). Otherwise findings never stop a build.
	Strict bool
	// Rules are code rules the checks run besides the built-in ones.
	Rules []check.Rule

	// BaseURL, if set, replaces site.toml's base_url (the --base-url flag);
	// it must be in the form fiscal.ParseBaseURL returns.
	BaseURL string
	// Minify minifies HTML, CSS, JavaScript, SVG and JSON (the CLI's
	// default; off here so tests read plain HTML).
	Minify bool
	// Precompress writes .gz and .br beside large text files.
	Precompress bool
	// SourceDate (SOURCE_DATE_EPOCH) dates, in sitemap.xml, pages whose
	// content has no date. A build never reads the clock.
	SourceDate time.Time
	// Previous is the output as the last build left it, or nil; the hashed
	// assets its manifest lists are kept one more build (Result.Retained).
	Previous fs.FS
	// Search tunes the layout of the search index; the zero value suits
	// every site (tests make its files small to exercise their structure).
	Search search.Options
}

// Result tells what a build did.
type Result struct {
	Pages int // HTML pages
	Files int // all files handed to the sink
	// Diagnostics holds every problem of the content, errors and
	// warnings, sorted.
	Diagnostics diag.List
	// Findings holds what the fiscal checks found (generator/check),
	// sorted by disclosure. They are for editors, never shown on pages.
	Findings diag.List
	// Site is the loaded site, nil when it could not be read.
	Site *fiscal.Site
	// Retained names the previous build's hashed assets this build keeps:
	// pass them as the keep set of publish.DirSink.Commit.
	Retained []string
	// Sitemap reports whether sitemap.xml was written: only with a base URL
	// that is a full address.
	Sitemap bool
}

// ChecksFailed is the error of a strict build whose checks found errors
// or warnings (Result.Findings has them); nothing was written.
type ChecksFailed struct {
	Errors, Warnings int
}

func (e *ChecksFailed) Error() string {
	return fmt.Sprintf("检查发现 %d 处错误、%d 处警告（严格模式）", e.Errors, e.Warnings)
}

// Build builds the site. When the content has errors it returns a
// *diag.ContentError (and the Result with all diagnostics); the caller must
// then discard what the sink received. Other errors are failures to write.
func Build(ctx context.Context, cfg Config) (Result, error) {
	var res Result
	site, diags := content.Load(cfg.Site)
	res.Diagnostics, res.Site = diags, site
	if site == nil || diags.HasErrors() {
		return res, diags.Err()
	}
	if cfg.BaseURL != "" {
		site.Config.BaseURL = cfg.BaseURL
	}
	checker, cdiags := check.New(cfg.Site, site, cfg.Rules...)
	if len(cdiags) > 0 {
		res.Diagnostics = append(res.Diagnostics, cdiags...)
		res.Diagnostics.Sort()
		if cdiags.HasErrors() {
			return res, res.Diagnostics.Err()
		}
	}
	res.Findings = checker.Check(site)
	if strict := cfg.Strict || checker.Settings().Strict; strict && check.Fails(res.Findings, strict) {
		return res, &ChecksFailed{Errors: res.Findings.Count(diag.Error), Warnings: res.Findings.Count(diag.Warning)}
	}
	theme := overlay{cfg.Site, cfg.Theme}
	stage, err := publish.NewStage(cfg.Sink, publish.Options{
		BaseURL: site.Config.BaseURL, Minify: cfg.Minify, Precompress: cfg.Precompress,
		SourceDate: cfg.SourceDate, Previous: cfg.Previous, Layouts: theme,
	})
	if err != nil {
		return res, err
	}
	// Static files first: pages refer to them by their hashed names.
	if err := addStatic(theme, stage); err != nil {
		return res, err
	}
	if p := site.Config.Publisher; p.ConacID != "" && !stage.HasAsset("static/img/conac.png") {
		res.Diagnostics.Warnf("content/site.toml", 0, 0, "site.conac-image",
			"已设置 conac_id，但站点没有 static/img/conac.png：页脚暂以文字显示党政机关网站标识；请把主管部门提供的标识图片放到站点的 static/img/conac.png")
	}
	md := markdown.New(markdown.Options{UnsafeHTML: site.Config.UnsafeHTML,
		Extensions: []goldmark.Extender{glossary.Extension{}, markdown.SiteLinks(stage.BasePath())}})
	r, ldiags := render.New(site, render.Options{Layouts: theme, Markdown: md, Theme: cfg.Theme, CSP: stage.MetaCSP(),
		Asset: func(p string) (string, error) { return stage.AssetPath("static/" + p) }})
	res.Diagnostics = append(res.Diagnostics, ldiags...)
	if r == nil {
		res.Diagnostics.Sort()
		return res, res.Diagnostics.Err()
	}

	// Disclosure pages first: the glossary page's back-links and the
	// unused-term check need to know where they marked terms. Every page
	// that is searched goes to the search index as it is written.
	pages, after := pageJobs(r, site)
	total := len(pages) + len(after)
	var done atomic.Int64
	ix := search.New(hashedSink{stage}, searchOptions(site, cfg.Search))
	found, n, err := runJobs(ctx, cfg, stage, ix, pages, &done, total)
	res.Diagnostics = append(res.Diagnostics, found...)
	res.Pages += n
	if err == nil {
		res.Diagnostics = append(res.Diagnostics, glossary.Findings(site, r.Usage())...)
		found, n, err = runJobs(ctx, cfg, stage, ix, after, &done, total)
		res.Diagnostics = append(res.Diagnostics, found...)
		res.Pages += n
	}
	res.Diagnostics.Sort()
	if err != nil {
		return res, err
	}
	if res.Diagnostics.HasErrors() {
		return res, res.Diagnostics.Err()
	}
	// The search page names the index's manifest, so it comes last.
	if err := searchPage(r, stage, ix); err != nil {
		var te templateError
		if errors.As(err, &te) {
			res.Diagnostics = append(res.Diagnostics, te.d)
			res.Diagnostics.Sort()
			return res, res.Diagnostics.Err()
		}
		return res, err
	}
	res.Pages++
	pd, err := stage.Finish()
	res.Diagnostics = append(res.Diagnostics, pd...)
	res.Diagnostics.Sort()
	if err != nil {
		return res, err
	}
	if res.Diagnostics.HasErrors() {
		return res, res.Diagnostics.Err()
	}
	res.Files = len(stage.Names())
	res.Retained = stage.Retained()
	res.Sitemap = stage.Absolute()
	return res, nil
}

// runJobs renders jobs in parallel (GOMAXPROCS workers) and hands each
// page, and the data files it links to, to the publish stage. It returns the diagnostics found, the number
// of pages written, and the first failure to write.
func runJobs(ctx context.Context, cfg Config, stage *publish.Stage, ix *search.Index, jobs []job, done *atomic.Int64, total int) (diag.List, int, error) {
	var (
		mu    sync.Mutex
		found diag.List
		pages atomic.Int64
	)
	work := make(chan job)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range work {
				page, files, d, err := j.render()
				if len(d) > 0 {
					mu.Lock()
					found = append(found, d...)
					mu.Unlock()
				}
				if err == nil && page != nil {
					err = stage.Page(*page)
					pages.Add(1)
					if err == nil && j.index != nil {
						err = ix.Add(*j.index, page.HTML)
					}
				}
				for _, f := range files {
					if err == nil {
						err = stage.WriteFile(f.Path, f.Data)
					}
				}
				if err != nil {
					cancel(err)
				}
				if cfg.Progress != nil {
					cfg.Progress(int(done.Add(1)), total)
				}
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case work <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	return found, int(pages.Load()), context.Cause(ctx)
}

// job renders one page, and the data files it links to (written with it).
type job struct {
	name   string
	render func() (*publish.Page, []*render.Download, diag.List, error)
	// index describes the page to the search index; nil for pages that
	// are not searched.
	index *search.Page
}

// pageJobs returns the jobs of the site's pages: the glossary page comes in
// after, to be run once the others are done.
func pageJobs(r *render.Renderer, site *fiscal.Site) (jobs, after []job) {
	sv := r.SiteView()
	dates := contentDates(site)
	page := func(name, kind string, build func() (*render.Page, diag.List)) job {
		return job{name: name, render: func() (*publish.Page, []*render.Download, diag.List, error) {
			p, d := build()
			if d.HasErrors() {
				return nil, nil, d, nil
			}
			data, err := r.Execute(kind, p)
			if err != nil {
				return nil, nil, append(d, render.TemplateError(kind, err)), nil
			}
			out := &publish.Page{Name: name, HTML: data, Layout: "layouts/" + kind + ".html",
				Sitemap: kind != "404", Modified: modified(dates, p)}
			if p.Disclosure != nil {
				for _, s := range p.Disclosure.Sections {
					if s.Source != nil {
						out.Parts = append(out.Parts, publish.Part{HTML: []byte(s.HTML), File: s.Source.File, Line: s.Source.Line, Source: s.Source.Markdown})
					}
				}
			}
			return out, p.Downloads, d, nil
		}}
	}
	static := func(f func(*render.SiteView) *render.Page) func() (*render.Page, diag.List) {
		return func() (*render.Page, diag.List) { return f(sv), nil }
	}
	jobs = []job{
		page("index.html", "home", static(r.HomePage)),
		page("sitemap/index.html", "sitemap", static(r.SitemapPage)),
		page("404.html", "404", static(r.NotFoundPage)),
	}
	gj := page("glossary/index.html", "glossary", static(r.GlossaryPage))
	gj.index = &search.Page{Path: "glossary/", Title: "名词解释", Glossary: true}
	after = []job{gj}
	for _, b := range site.Bodies {
		bj := page(b.Slug+"/index.html", "body", func() (*render.Page, diag.List) { return r.BodyPage(sv, b), nil })
		bj.index = &search.Page{Path: b.Slug + "/", Title: b.Name, Body: b.Name, BodySlug: b.Slug, Example: b.Example}
		jobs = append(jobs, bj)
		for _, d := range b.Disclosures {
			dj := page(d.Path()+"/index.html", "disclosure", func() (*render.Page, diag.List) { return r.DisclosurePage(sv, d) })
			dj.index = disclosureSearchPage(d)
			jobs = append(jobs, dj)
		}
	}
	return jobs, after
}

// contentDates maps a page's path to the date of its content for
// sitemap.xml: a disclosure's update or publication date; for a body the
// latest of its disclosures'; for every other page ("") the latest of all.
// A page missing from it has no known date.
func contentDates(site *fiscal.Site) map[string]time.Time {
	dates := map[string]time.Time{}
	later := func(path string, t time.Time) {
		if t.After(dates[path]) {
			dates[path] = t
		}
	}
	for _, b := range site.Bodies {
		for _, d := range b.Disclosures {
			for _, t := range []time.Time{d.Updated, d.Published} {
				later(d.Path()+"/", t)
				later(b.Slug+"/", t)
				later("", t)
			}
		}
	}
	return dates
}

// modified is the content date of page p (see contentDates).
func modified(dates map[string]time.Time, p *render.Page) time.Time {
	if p.Body != nil || p.Disclosure != nil {
		return dates[p.Path]
	}
	return dates[""]
}

// addStatic adds every file under static/ of the theme and the site to the
// stage as a hashed asset.
func addStatic(fsys fs.FS, stage *publish.Stage) error {
	var files []publish.File
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "static" {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("static: %w", err)
		}
		files = append(files, publish.File{Name: p, Data: data})
		return nil
	})
	if err != nil {
		return err
	}
	return stage.Assets(files)
}
