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
	// inputs writes everything the page is made from besides what all
	// pages share (see keyer), so an unchanged page is reused without
	// being built.
	inputs func(hash.Hash, *keyer)
	// byView says the page data is cheap to build: when the inputs
	// changed, an unchanged digest of the page data still reuses the page.
	byView bool
}

// pageJobs lists the pages of the site. A page that comes to depend on
// something new must write it in its inputs (see Builder).
func pageJobs(r *render.Renderer, site *fiscal.Site) []job {
	sv := r.SiteView()
	static := func(f func(*render.SiteView) *render.Page) func() (*render.Page, diag.List) {
		return func() (*render.Page, diag.List) { return f(sv), nil }
	}
	allBodies := func(h hash.Hash, k *keyer) { h.Write(k.all[:]) }
	jobs := []job{
		{name: "index.html", kind: "home", r: r, page: static(r.HomePage), inputs: allBodies, byView: true},
		{name: "glossary/index.html", kind: "glossary", r: r, page: static(r.GlossaryPage), byView: true,
			inputs: func(h hash.Hash, k *keyer) {
				allBodies(h, k)
				g := k.loader.FileDigest(content.Dir + "/glossary.toml")
				h.Write(g[:])
			}},
		{name: "404.html", kind: "404", r: r, page: static(r.NotFoundPage), inputs: func(hash.Hash, *keyer) {}},
	}
	for _, b := range site.Bodies {
		jobs = append(jobs, job{name: b.Slug + "/index.html", kind: "body", r: r, byView: true,
			page:   func() (*render.Page, diag.List) { return r.BodyPage(sv, b), nil },
			inputs: func(h hash.Hash, k *keyer) { sum := k.bodies[b]; h.Write(sum[:]) }})
		for _, d := range b.Disclosures {
			jobs = append(jobs, job{name: d.Path() + "/index.html", kind: "disclosure", r: r,
				page:   func() (*render.Page, diag.List) { return r.DisclosurePage(sv, d) },
				inputs: disclosureInputs(d)})
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
