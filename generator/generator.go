// Package generator builds a disclosure site: it loads the content of a site
// folder, renders every page with the layouts, and hands each file to a
// [publish.Sink]. The pipeline goes one way:
//
//	fs.FS ──load──▶ fiscal.Site ──render──▶ pages ──▶ Sink
//
// Build reads only through fs.FS and writes only through the Sink, so tests
// use fstest.MapFS and publish.MapSink, and the CLI os.DirFS and a
// publish.DirSink. There is no package-level state; everything a build needs
// is in its Config.
package generator

import (
	"context"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/yuin/goldmark"

	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/glossary"
	"github.com/disclose/disclose/generator/markdown"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/render"
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
}

// Result tells what a build did.
type Result struct {
	Pages int // HTML pages
	Files int // all files handed to the sink
	// Diagnostics holds every finding, errors and warnings, sorted.
	Diagnostics diag.List
}

// Build builds the site. When the content has errors it returns a
// *diag.ContentError (and the Result with all diagnostics); the caller must
// then discard what the sink received. Other errors are failures to write.
func Build(ctx context.Context, cfg Config) (Result, error) {
	var res Result
	site, diags := content.Load(cfg.Site)
	res.Diagnostics = diags
	if site == nil || diags.HasErrors() {
		return res, diags.Err()
	}
	theme := overlay{cfg.Site, cfg.Theme}
	md := markdown.New(markdown.Options{UnsafeHTML: site.Config.UnsafeHTML, Extensions: []goldmark.Extender{glossary.Extension{}}})
	r, ldiags := render.New(site, render.Options{Layouts: theme, Markdown: md, Theme: cfg.Theme})
	res.Diagnostics = append(res.Diagnostics, ldiags...)
	if r == nil {
		res.Diagnostics.Sort()
		return res, res.Diagnostics.Err()
	}

	// Disclosure pages first: the glossary page's back-links and the
	// unused-term check need to know where they marked terms.
	pages, after := pageJobs(r, site)
	total := len(pages) + len(after)
	var done, data atomic.Int64
	found, n, err := runJobs(ctx, cfg, pages, &done, &data, total)
	res.Diagnostics = append(res.Diagnostics, found...)
	res.Pages += n
	if err == nil {
		res.Diagnostics = append(res.Diagnostics, glossary.Findings(site, r.Usage())...)
		found, n, err = runJobs(ctx, cfg, after, &done, &data, total)
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
	n, err = copyStatic(theme, cfg.Sink)
	res.Files = res.Pages + int(data.Load()) + n
	return res, err
}

// runJobs renders jobs in parallel (GOMAXPROCS workers) and hands each
// file to the sink. It returns the diagnostics found, the number of pages
// written, and the first failure to write; data counts the data files
// written with the pages.
func runJobs(ctx context.Context, cfg Config, jobs []job, done, data *atomic.Int64, total int) (diag.List, int, error) {
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
					err = cfg.Sink.WriteFile(j.name, page)
					pages.Add(1)
				}
				for _, f := range files {
					if err == nil {
						err = cfg.Sink.WriteFile(f.Path, f.Data)
						data.Add(1)
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
	render func() ([]byte, []*render.Download, diag.List, error)
}

// pageJobs returns the jobs of the site's pages: the glossary page comes in
// after, to be run once the others are done.
func pageJobs(r *render.Renderer, site *fiscal.Site) (jobs, after []job) {
	sv := r.SiteView()
	page := func(name, kind string, build func() (*render.Page, diag.List)) job {
		return job{name: name, render: func() ([]byte, []*render.Download, diag.List, error) {
			p, d := build()
			if d.HasErrors() {
				return nil, nil, d, nil
			}
			data, err := r.Execute(kind, p)
			if err != nil {
				return nil, nil, append(d, render.TemplateError(kind, err)), nil
			}
			return data, p.Downloads, d, nil
		}}
	}
	static := func(f func(*render.SiteView) *render.Page) func() (*render.Page, diag.List) {
		return func() (*render.Page, diag.List) { return f(sv), nil }
	}
	jobs = []job{
		page("index.html", "home", static(r.HomePage)),
		page("404.html", "404", static(r.NotFoundPage)),
	}
	after = []job{page("glossary/index.html", "glossary", static(r.GlossaryPage))}
	for _, b := range site.Bodies {
		jobs = append(jobs, page(b.Slug+"/index.html", "body", func() (*render.Page, diag.List) { return r.BodyPage(sv, b), nil }))
		for _, d := range b.Disclosures {
			jobs = append(jobs, page(d.Path()+"/index.html", "disclosure", func() (*render.Page, diag.List) { return r.DisclosurePage(sv, d) }))
		}
	}
	return jobs, after
}

// copyStatic writes every file under static/ of the theme and the site.
func copyStatic(fsys fs.FS, sink publish.Sink) (int, error) {
	n := 0
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
		n++
		return sink.WriteFile(p, data)
	})
	return n, err
}
