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
//
// Build builds once. A [Builder] builds again as files change, reusing what
// did not change; its output equals Build's byte for byte, and Build is a
// Builder's first build, so there is one pipeline.
package generator

import (
	"context"
	"fmt"
	"hash"
	"io/fs"
	"strings"

	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
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
	// Rendered counts the pages rendered anew; a Builder reuses the others
	// from its previous build.
	Rendered int
	// BaseURL is the site's base URL (site.toml base_url, ending in "/");
	// its path is where the site lives on its server.
	BaseURL string
	// Diagnostics holds every finding, errors and warnings, sorted.
	Diagnostics diag.List
}

// Build builds the site. When the content has errors it returns a
// *diag.ContentError (and the Result with all diagnostics); the caller must
// then discard what the sink received. Other errors are failures to write.
// It is the first build of a [Builder] that keeps nothing for a next one.
func Build(ctx context.Context, cfg Config) (Result, error) {
	b := NewBuilder(cfg)
	b.keep = false
	return b.Build(ctx, cfg.Sink)
}

// job renders one page.
type job struct {
	name string
	kind string
	r    *render.Renderer
	// page builds the page's data and reports problems in the content.
	page func() (*render.Page, diag.List)
	// inputs, when set, writes everything the page is made from besides
	// what all pages share (see keyer), so an unchanged page can be reused
	// without building it. Without it the key digests the built page data.
	inputs func(hash.Hash)
}

// pageJobs lists the pages of the site. A page kind whose data is costly
// to build gives an inputs function; one that depends on a new input must
// write it there (see Builder).
func pageJobs(r *render.Renderer, site *fiscal.Site, loader *content.Loader) []job {
	sv := r.SiteView()
	static := func(f func(*render.SiteView) *render.Page) func() (*render.Page, diag.List) {
		return func() (*render.Page, diag.List) { return f(sv), nil }
	}
	jobs := []job{
		{name: "index.html", kind: "home", r: r, page: static(r.HomePage)},
		{name: "glossary/index.html", kind: "glossary", r: r, page: static(r.GlossaryPage)},
		{name: "404.html", kind: "404", r: r, page: static(r.NotFoundPage)},
	}
	for _, b := range site.Bodies {
		jobs = append(jobs, job{name: b.Slug + "/index.html", kind: "body", r: r,
			page: func() (*render.Page, diag.List) { return r.BodyPage(sv, b), nil }})
		for _, d := range b.Disclosures {
			jobs = append(jobs, job{name: d.Path() + "/index.html", kind: "disclosure", r: r,
				page:   func() (*render.Page, diag.List) { return r.DisclosurePage(sv, d) },
				inputs: disclosureInputs(loader, site, d)})
		}
	}
	return jobs
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
