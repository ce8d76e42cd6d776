package generator

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"maps"
	"os"
	"path"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/disclose/disclose/generator/check"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/glossary"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/render"
	"github.com/disclose/disclose/generator/search"
)

// A Builder builds a site again and again, as its files change, doing only
// the work a change calls for: it loads again only the parts of the content
// that changed (see [content.Loader]) and renders and publishes again only
// the pages whose inputs changed, reusing the others as the publish stage
// wrote them. Every build writes the whole site to its sink, byte for byte
// what [Build] would write for the files as they are, provided every
// change was reported through [Builder.Changed] or [Builder.ChangedAll].
// The checks and the publish stage's site-wide work (links, sitemap,
// manifest) run on every build; into a sink that keeps its files from
// build to build (a [publish.Keeper], as the preview's), a build carries
// the last good one over and that work too is limited to what changed.
//
// How a page is known to be unchanged: every page has a key, a digest of
// everything it is made from, and equal keys give equal bytes. Every key
// digests what all pages share: the build options, site.toml, the
// catalogues, the site view, the static files' names, and the layouts the
// page's kind uses. A disclosure page adds the files of its folder, its
// body's body.toml and the glossary (terms are marked in the text). A list
// page (home, 网站地图, a body, 404) adds the body.toml and data.toml files
// its lists and dates are made from; when those changed, the page data is
// built (which is cheap) and its digest decides whether the page must be
// rendered again, so a figure no list shows renders only its own page. The
// glossary page's back-links depend on every page, so its data is always
// built and compared. Whoever makes a page depend on something new must
// add it to the key (see pageJobs and newKeyer).
//
// The slices a Builder hands to a sink are kept for later builds and never
// modified; a sink may keep them. A Builder is not safe for concurrent use:
// builds run one at a time.
type Builder struct {
	cfg    Config
	loader *content.Loader
	// keep says to remember rendered pages for the next build.
	keep   bool
	cache  map[string]*rendered // by output name
	checks map[string]checked   // by disclosure (data.toml)
	// glossary is what glossary.Findings found, for a key.
	glossary checked
	builds   uint64
	// lastFiles is how many files the last build wrote (publish.Options.SizeHint).
	lastFiles int
	// carry is the publish stage of the last build that succeeded, and
	// published its pages, for a build into a publish.Keeper to carry
	// over.
	carry     *publish.Stage
	published map[string]*rendered
	// bodyKeys are the digests of the keys of the last build, by body,
	// for the bodies whose files did not change since.
	bodyKeys map[string]bodyKeys
}

// bodyKeys are digests made for the disclosures of a body, valid while the
// body's files (its tree) and what else they digest (from) stay the same.
type bodyKeys struct {
	tree, from  content.Digest
	body        [sha256.Size]byte
	disclosures [][sha256.Size]byte // in the body's order
}

// lookup returns the keys of body b memoised in m, if still valid.
func lookup(m map[string]bodyKeys, b *fiscal.Body, tree, from content.Digest) (bodyKeys, bool) {
	k, ok := m[b.Slug]
	return k, ok && tree != content.Digest{} && k.tree == tree && k.from == from && len(k.disclosures) == len(b.Disclosures)
}

// checked is what the checks found in a disclosure, for a key.
type checked struct {
	key   key
	found diag.List
}

// rendered is a page as rendered and published for its keys.
type rendered struct {
	inputs key // digest of what the page is made from
	view   key // digest of the page data, for pages compared by view
	pub    *publish.Published
	diags  diag.List
	// path and uses are where the page marked glossary terms, recorded
	// again when the page is reused.
	path string
	uses []glossary.Use
	// files are the data files the page links to (downloads), as written
	// with it.
	files []*publish.Written
	// search is the page as prepared for the search index.
	search *search.Prepared
}

type key [sha256.Size]byte

// NewBuilder returns a Builder of cfg.Site with cfg.Theme and cfg's
// options. cfg.Sink is not used: each build takes its sink.
func NewBuilder(cfg Config) *Builder {
	return &Builder{cfg: cfg, loader: content.NewLoader(cfg.Site), keep: true}
}

// Changed reports that the files or folders at paths (slash-separated,
// relative to the site folder) were created, written, renamed or removed
// since the previous build. Layouts and the files of static/ and root/ are
// read again by every build, so only changes under content/ matter, but
// reporting every change is correct.
func (b *Builder) Changed(paths ...string) { b.loader.Changed(paths...) }

// ChangedAll makes the next build read and render everything, as the first
// did: for when changes may have been missed.
func (b *Builder) ChangedAll() {
	b.loader.ChangedAll()
	b.cache, b.checks = nil, nil
	b.carry, b.published = nil, nil
	b.bodyKeys = nil
}

// Build builds the site into sink: the files [Build] would write, in the
// same way, reusing what did not change since the previous build. Into a
// [publish.Keeper], which must then hold the files of the last build that
// succeeded (into it or not), it writes only what changed since that
// build and removes what is gone; the sink is what Build would write all
// the same. A failed build leaves a Keeper in no known state.
func (b *Builder) Build(ctx context.Context, sink publish.Sink) (Result, error) {
	cfg := b.cfg
	b.builds++
	var res Result
	// A Builder that keeps nothing (Build, the CLI's build) streams the
	// site: it loads what all pages share, then each body's disclosures in
	// turn, checks and renders them, and lets them go, so that a site of any
	// size needs the memory of a few bodies. A Builder kept for later
	// builds (the preview) loads everything, to reuse what did not change.
	var (
		site  *fiscal.Site
		diags diag.List
	)
	if b.keep {
		site, diags = b.loader.Load()
	} else {
		site, diags = content.LoadSkeleton(cfg.Site)
	}
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
	strict := cfg.Strict.Of(checker.Settings())
	if b.keep {
		res.Findings = b.check(checker, site)
		if strict && check.Fails(res.Findings, strict) {
			return res, &ChecksFailed{Errors: res.Findings.Count(diag.Error), Warnings: res.Findings.Count(diag.Warning)}
		}
	}
	theme := overlay{cfg.Site, cfg.Theme}
	stage, err := publish.NewStage(sink, publish.Options{
		BaseURL: site.Config.BaseURL, Minify: cfg.Minify, Precompress: cfg.Precompress,
		SourceDate: cfg.SourceDate, Previous: cfg.Previous, Layouts: theme, NoManifest: cfg.Preview, KeepLinks: b.keep, SizeHint: b.lastFiles,
		Carry: b.carry,
	})
	if err != nil {
		return res, err
	}
	// Static files first: pages refer to them by their hashed names.
	static, err := staticFiles(theme)
	if err != nil {
		return res, err
	}
	root, err := rootNames(cfg.Site)
	if err != nil {
		return res, err
	}
	if rd := rootProblems(cfg.Site, site, root); len(rd) > 0 {
		res.Diagnostics = append(res.Diagnostics, rd...)
		if rd.HasErrors() {
			b.checkOnly(ctx, site, checker, strict, &res)
			res.Diagnostics.Sort()
			return res, res.Diagnostics.Err()
		}
	}
	asset := func(p string) (string, error) { return stage.AssetPath("static/" + p) }
	hasAsset := stage.HasAsset
	if cfg.Preview {
		names := map[string]bool{}
		for _, f := range static {
			if err := stage.WriteFile(f.Name, f.Data); err != nil {
				return res, err
			}
			names[f.Name] = true
		}
		asset = ownNames(names)
		hasAsset = func(name string) bool { return names[name] }
	} else if err := stage.Assets(static); err != nil {
		b.checkOnly(ctx, site, checker, strict, &res)
		return res, err
	}
	if d := identityWarning(site); d != nil {
		res.Diagnostics.Add(*d)
	}
	if p := site.Config.Publisher; p.ConacID != "" && !hasAsset("static/img/conac.png") {
		res.Diagnostics.Warnf("content/site.toml", 0, 0, "site.conac-image",
			"已设置 conac_id，但站点没有 static/img/conac.png：页脚暂以文字显示党政机关网站标识；请把主管部门提供的标识图片放到站点的 static/img/conac.png")
	}
	r, ldiags := render.New(site, render.Options{Layouts: theme, Markdown: newMarkdown(site, stage.BasePath(), asset),
		Theme: cfg.Theme, CSP: stage.MetaCSP(), Asset: asset})
	res.Diagnostics = append(res.Diagnostics, ldiags...)
	if r == nil {
		b.checkOnly(ctx, site, checker, strict, &res)
		res.Diagnostics.Sort()
		return res, res.Diagnostics.Err()
	}

	// A preview writes no search index (its search page says so): the
	// index merges every page, seconds on a big site, at every save.
	var ix *search.Index
	if !cfg.Preview {
		o := searchOptions(site, cfg.Search)
		if !b.keep && o.SpillDir == "" {
			// Nothing keeps a page's postings for a later build: let them
			// wait for the index's merge on disk, not in memory.
			o.SpillDir = os.TempDir()
		}
		ix = search.New(hashedSink{stage}, o)
		defer ix.Close()
	}
	var keys *keyer
	if b.keep {
		if keys, err = b.newKeyer(site, r, theme, stage, static, ix); err != nil {
			return res, err
		}
	}
	run := &run{b: b, stage: stage, r: r, keys: keys, ix: ix}
	if stage.Carries() {
		run.carried = b.published
	}
	// Disclosure pages first: the glossary page's back-links and the
	// unused-term check need to know where they marked terms.
	var after []job
	if b.keep {
		var pages []job
		pages, after = pageJobs(r, site)
		run.dates = contentDates(site)
		run.total = len(pages) + len(after)
		err = run.jobs(ctx, pages)
	} else {
		err = run.stream(ctx, site, checker, strict, &res)
		if err == nil && res.Diagnostics.HasErrors() {
			res.Diagnostics.Sort()
			return res, res.Diagnostics.Err()
		}
		if err == nil {
			var pages []job
			pages, after = siteJobs(r, r.SiteView())
			err = run.jobs(ctx, pages)
		}
	}
	if err == nil {
		res.Diagnostics = append(res.Diagnostics, b.glossaryFindings(run, site)...)
		err = run.jobs(ctx, after)
	}
	if err == nil {
		// The search page names the index's manifest, so it comes last.
		err = run.searchPage()
		var te templateError
		if errors.As(err, &te) {
			res.Diagnostics = append(res.Diagnostics, te.d)
			err = nil
		}
	}
	if err == nil {
		var rd diag.List
		rd, err = writeRoot(stage, cfg.Site, root)
		res.Diagnostics = append(res.Diagnostics, rd...)
	}
	for name := range run.carried {
		if _, ok := run.out[name]; !ok {
			run.drop(name)
		}
	}
	res.Pages, res.Rendered = int(run.pages.Load()), int(run.fresh.Load())
	if b.keep {
		b.cache = run.out
	}
	for _, name := range slices.Sorted(maps.Keys(run.out)) {
		res.Diagnostics = append(res.Diagnostics, run.out[name].diags...)
	}
	// A layout's mistake is every page's: say it once, with how many.
	res.Diagnostics = res.Diagnostics.Folded(pagesFolded)
	res.Diagnostics.Sort()
	if err != nil {
		return res, err
	}
	if res.Diagnostics.HasErrors() {
		return res, res.Diagnostics.Err()
	}
	pd, err := stage.Finish()
	res.Diagnostics = append(res.Diagnostics, pd...)
	res.Diagnostics.Sort()
	if err != nil {
		return res, err
	}
	if res.Diagnostics.HasErrors() {
		return res, res.Diagnostics.Err()
	}
	res.Files = stage.Count()
	b.lastFiles = res.Files
	if b.keep {
		b.carry, b.published = stage, run.out
	}
	res.Retained = stage.Retained()
	res.Sitemap = stage.Absolute()
	return res, nil
}

// check runs the fiscal checks, reusing the findings of the disclosures
// whose inputs did not change: the files of every disclosure of its body
// (rules compare years) and body.toml, all in the body's digest; site.toml,
// the catalogues and the site's check rules.
func (b *Builder) check(checker *check.Checker, site *fiscal.Site) diag.List {
	base := sha256.New()
	conf := b.loader.FileDigest(content.Dir + "/site.toml")
	base.Write(conf[:])
	cat := b.loader.Digest(content.Dir + "/catalog")
	base.Write(cat[:])
	rules, _ := fs.ReadFile(b.cfg.Site, check.SiteRulesFile)
	fmt.Fprintf(base, "%x %q %d\n", sha256.Sum256(rules), site.Config.BaseURL, len(b.cfg.Rules))
	from := base.Sum(nil)
	keys := map[*fiscal.Disclosure]key{}
	for _, body := range site.Bodies {
		tree := b.loader.BodyDigest(body.Slug)
		for _, d := range body.Disclosures {
			h := sha256.New()
			h.Write(from)
			h.Write(tree[:])
			h.Write([]byte(d.DataFile))
			var k key
			h.Sum(k[:0])
			keys[d] = k
		}
	}
	var mu sync.Mutex
	next := make(map[string]checked, len(keys))
	out := checker.CheckReusing(site, func(d *fiscal.Disclosure) (diag.List, bool) {
		old, ok := b.checks[d.DataFile]
		if !ok || old.key != keys[d] {
			return nil, false
		}
		mu.Lock()
		next[d.DataFile] = old
		mu.Unlock()
		return old.found, true
	}, func(d *fiscal.Disclosure, found diag.List) {
		mu.Lock()
		next[d.DataFile] = checked{keys[d], found}
		mu.Unlock()
	})
	b.checks = next
	return out
}

// glossaryFindings returns glossary.Findings for the site, or what it found
// last time when nothing it reads changed: the glossary, the lists of terms
// and own entries (in data.toml), and where pages marked terms.
func (b *Builder) glossaryFindings(rn *run, site *fiscal.Site) diag.List {
	if rn.keys == nil {
		return glossary.Findings(site, rn.r.Usage())
	}
	rn.keys.usesChanged = rn.usesChanged.Load()
	var k key
	h := rn.keys.start("glossary")
	rn.keys.usage(h)
	h.Sum(k[:0])
	if b.glossary.key == k && b.glossary.found != nil {
		return b.glossary.found
	}
	found := glossary.Findings(site, rn.r.Usage())
	if found == nil {
		found = diag.List{}
	}
	b.glossary = checked{key: k, found: found}
	return found
}

// run is the page work of one build.
type run struct {
	b     *Builder
	stage *publish.Stage
	r     *render.Renderer
	keys  *keyer // nil: render everything, keep nothing
	// dates are the content dates of pages (see contentDates); a
	// streaming build adds each body's as it loads it.
	datesMu sync.Mutex
	dates   map[string]time.Time
	total   int
	ix      *search.Index // nil in a preview
	// carried are the pages the stage carries over, by output name: those
	// of the last build that succeeded (nil when it carries none).
	carried map[string]*rendered

	done, pages, fresh atomic.Int64
	// usesChanged says a disclosure page rendered anew marked other terms
	// than before.
	usesChanged atomic.Bool
	mu          sync.Mutex
	out         map[string]*rendered
	// checked says stream checked the site: its content loaded.
	checked bool
}

// jobs renders (or reuses) the pages of jobs in parallel, GOMAXPROCS
// workers, handing each to the publish stage. The error is the first
// failure to write.
func (rn *run) jobs(ctx context.Context, jobs []job) error {
	work := make(chan job)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range work {
				if err := rn.do(j); err != nil {
					cancel(err)
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
	return context.Cause(ctx)
}

// job renders and publishes the page of j, or republishes the previous
// build's page when its key is unchanged.
func (rn *run) job(j job) (*rendered, error) {
	var (
		inputs, view key
		old          *rendered
	)
	if rn.keys != nil {
		h := rn.keys.start(j.kind)
		j.inputs(h, rn.keys)
		h.Sum(inputs[:0])
		if old = rn.b.cache[j.name]; old != nil && old.inputs == inputs && rn.indexed(j, old) {
			return old, rn.reuse(j.name, old)
		}
	}
	page, diags := j.page()
	if rn.keys != nil && j.byView {
		h := rn.keys.start(j.kind)
		if err := digestPage(h, page, diags); err != nil {
			return nil, err
		}
		h.Sum(view[:0])
		if old != nil && old.view == view && rn.indexed(j, old) {
			p := *old
			p.inputs = inputs
			return &p, rn.reuse(j.name, &p)
		}
	}
	rn.fresh.Add(1)
	p := &rendered{inputs: inputs, view: view, diags: diags}
	if page != nil {
		p.path = page.Path
	}
	if diags.HasErrors() {
		return p, nil
	}
	data, err := rn.r.Execute(j.kind, page)
	if err != nil {
		p.diags = append(p.diags, rn.r.TemplateError(j.kind, err))
		return p, nil
	}
	if j.kind == "disclosure" {
		p.uses = rn.r.Usage().Of(page.Path)
		if old == nil || !reflect.DeepEqual(old.uses, p.uses) {
			rn.usesChanged.Store(true)
		}
	}
	rn.drop(j.name)
	// The page's downloads first: its links to them are then checked
	// as it is published (see publish.Options.KeepLinks).
	for _, f := range page.Downloads {
		w, err := rn.stage.WriteFileKept(f.Path, f.Data)
		if err != nil {
			return p, err
		}
		p.files = append(p.files, w)
	}
	pub := publishPage(j.name, j.kind, data, page, rn.modified(page))
	var ex *search.Extractor
	if rn.ix != nil && j.index != nil {
		// The search index reads the page as the page check lexes it.
		ex = search.NewExtractor(data)
		pub.Tokens = ex.Token
	}
	p.pub, err = rn.stage.PagePublished(pub)
	if err != nil {
		return p, err
	}
	rn.pages.Add(1)
	if ex != nil {
		pp, err := rn.ix.PrepareSections(*j.index, ex.Sections())
		if err != nil {
			return p, err
		}
		if err := rn.ix.AddPrepared(pp); err != nil {
			return p, err
		}
		if rn.keys != nil {
			p.search = pp
		}
	}
	return p, nil
}

// writeFiles writes again the data files a reused page links to.
func (rn *run) writeFiles(p *rendered) error {
	for _, f := range p.files {
		if err := rn.stage.Rewrite(f); err != nil {
			return err
		}
	}
	return nil
}

// reuse hands the page name of an earlier build to this build's stage,
// unless the stage carries it over as it is, and records again where it
// marked glossary terms.
func (rn *run) reuse(name string, p *rendered) error {
	if p.uses != nil {
		rn.r.Usage().Record(p.path, p.uses)
	}
	if p.pub == nil {
		return nil
	}
	rn.pages.Add(1)
	if rn.ix != nil && p.search != nil {
		if err := rn.ix.AddPrepared(p.search); err != nil {
			return err
		}
	}
	if c := rn.carried[name]; c != nil && c.pub == p.pub {
		return nil
	}
	rn.drop(name)
	if err := rn.stage.Republish(p.pub); err != nil {
		return err
	}
	return rn.writeFiles(p)
}

// drop removes from the stage the page name as it carries it over, with
// its files, before it is written anew or when it is no longer built.
func (rn *run) drop(name string) {
	c := rn.carried[name]
	if c == nil || c.pub == nil {
		return
	}
	rn.stage.Drop(c.pub.Name())
	for _, f := range c.files {
		rn.stage.Drop(f.Name())
	}
}

// indexed reports whether a page of the previous build can be reused as
// far as search goes: it needs no index, or it was prepared for one.
func (rn *run) indexed(j job, old *rendered) bool {
	return rn.ix == nil || j.index == nil || old.search != nil
}

// searchPage writes the search index (not in a preview), then the search
// page, which names the index's manifest: rendered anew only when its page
// data (with the manifest's name) or what all pages share changed.
func (rn *run) searchPage() error {
	const name = "search/index.html"
	manifest := ""
	if rn.ix != nil {
		stats, err := rn.ix.Write()
		if err != nil {
			return err
		}
		manifest = stats.Manifest
	}
	page := rn.r.SearchPage(rn.r.SiteView(), manifest)
	var view key
	if rn.keys != nil {
		h := rn.keys.start("search")
		if err := digestPage(h, page, nil); err != nil {
			return err
		}
		h.Sum(view[:0])
		if old := rn.b.cache[name]; old != nil && old.view == view {
			rn.keep(name, old)
			return rn.reuse(name, old)
		}
	}
	data, err := rn.r.Execute("search", page)
	if err != nil {
		return templateError{rn.r.TemplateError("search", err)}
	}
	p := &rendered{view: view, path: page.Path}
	rn.drop(name)
	if p.pub, err = rn.stage.PagePublished(publishPage(name, "search", data, page, rn.modified(page))); err != nil {
		return err
	}
	rn.fresh.Add(1)
	rn.pages.Add(1)
	rn.keep(name, p)
	return nil
}

// keep records a page of this build for the next.
// do runs job j, keeps the page's record and reports progress. A build
// that keeps nothing for a next one needs only the page's problems and
// what it marked: its bytes and files go.
func (rn *run) do(j job) error {
	p, err := rn.job(j)
	if p != nil {
		if rn.keys == nil {
			p.pub, p.files = nil, nil
		}
		rn.keep(j.name, p)
	}
	if rn.b.cfg.Progress != nil {
		rn.b.cfg.Progress(int(rn.done.Add(1)), rn.total)
	}
	return err
}

func (rn *run) keep(name string, p *rendered) {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	if rn.out == nil {
		rn.out = map[string]*rendered{}
	}
	rn.out[name] = p
}

// digestPage writes the page data, less the site view every page shares,
// and its diagnostics. Page data is plain data (see render.Page), so its
// JSON form holds everything a layout can read from it.
func digestPage(h hash.Hash, p *render.Page, diags diag.List) error {
	e := json.NewEncoder(h)
	if p != nil {
		v := *p
		v.Site = nil
		if err := e.Encode(v); err != nil {
			return fmt.Errorf("page %s: %w", p.Path, err)
		}
	}
	return e.Encode(diags)
}

// keyer holds what the keys of one build start from: what all pages share,
// each page kind's own layout, and digests several pages use.
type keyer struct {
	common [sha256.Size]byte
	kinds  map[string][sha256.Size]byte
	// build is unique to the build, for a page always compared by view.
	build [sha256.Size]byte
	// bodies digests, per body, its body.toml and every data.toml: what
	// the lists of disclosures are made from; all digests them all.
	bodies map[*fiscal.Body][sha256.Size]byte
	all    [sha256.Size]byte
	// disclosures digests, per disclosure, what its page is made from
	// besides what all pages share.
	disclosures map[*fiscal.Disclosure][sha256.Size]byte
	// glossary digests glossary.toml; usesChanged is set once the
	// disclosure pages are done (see usage).
	glossary    [sha256.Size]byte
	usesChanged bool
}

// usage writes what the glossary page and its findings are made from: the
// glossary, every body.toml and data.toml, and where the pages marked
// terms, which only a page rendered anew can have changed.
func (k *keyer) usage(h hash.Hash) {
	h.Write(k.all[:])
	h.Write(k.glossary[:])
	if k.usesChanged {
		h.Write(k.build[:])
	}
}

func (bld *Builder) newKeyer(site *fiscal.Site, r *render.Renderer, theme fs.FS, stage *publish.Stage, static []publish.File, ix *search.Index) (*keyer, error) {
	cfg, loader := bld.cfg, bld.loader
	h := sha256.New()
	fmt.Fprintf(h, "options minify=%t precompress=%t preview=%t base=%q date=%d\n",
		cfg.Minify, cfg.Precompress, cfg.Preview, site.Config.BaseURL, cfg.SourceDate.UnixNano())
	// A page prepared for the search index depends on the index's
	// options (the synonyms come from the glossary and the catalogues).
	if ix != nil {
		fmt.Fprintf(h, "search %x\n", ix.Fingerprint())
	}
	for _, f := range []string{content.Dir + "/site.toml"} {
		sum := loader.FileDigest(f)
		h.Write(sum[:])
	}
	cat := loader.Digest(content.Dir + "/catalog")
	h.Write(cat[:])
	if err := json.NewEncoder(h).Encode(r.SiteView()); err != nil {
		return nil, err
	}
	// Pages name static files, by content hash unless previewing.
	for _, f := range static {
		name := f.Name
		if !cfg.Preview {
			var err error
			if name, err = stage.AssetPath(f.Name); err != nil {
				return nil, err
			}
		}
		fmt.Fprintf(h, "static %s %s\n", f.Name, name)
	}
	// Every layout file is shared by all pages except the page-kind files,
	// each of which only its own pages use.
	k := &keyer{kinds: map[string][sha256.Size]byte{}, bodies: map[*fiscal.Body][sha256.Size]byte{},
		disclosures: map[*fiscal.Disclosure][sha256.Size]byte{}}
	kindFile := map[string]string{}
	for _, kind := range render.PageKinds {
		kindFile["layouts/"+kind+".html"] = kind
	}
	var files []string
	err := walkFiles(theme, "layouts", nil, func(p string) error {
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("layouts: %w", err)
	}
	slices.Sort(files)
	for _, f := range files {
		data, err := fs.ReadFile(theme, f)
		if err != nil {
			return nil, fmt.Errorf("layouts: %w", err)
		}
		sum := sha256.Sum256(data)
		if kind, ok := kindFile[f]; ok {
			k.kinds[kind] = sum
			continue
		}
		fmt.Fprintf(h, "%s\n", f)
		h.Write(sum[:])
	}
	h.Sum(k.common[:0])
	binary.LittleEndian.PutUint64(k.build[:], bld.builds)

	// Terms are marked in every disclosure's text: the whole glossary is an
	// input of every disclosure page.
	glossary := loader.FileDigest(content.Dir + "/glossary.toml")
	k.glossary = glossary
	all := sha256.New()
	memo := make(map[string]bodyKeys, len(site.Bodies))
	for _, b := range site.Bodies {
		tree := loader.BodyDigest(b.Slug)
		if m, ok := lookup(bld.bodyKeys, b, tree, glossary); ok {
			for i, d := range b.Disclosures {
				k.disclosures[d] = m.disclosures[i]
			}
			k.bodies[b] = m.body
			all.Write(m.body[:])
			memo[b.Slug] = m
			continue
		}
		m := bodyKeys{tree: tree, from: glossary}
		bh := sha256.New()
		body := loader.Digest(content.Dir + "/" + b.Slug)
		fmt.Fprintf(bh, "%s\n", b.Slug)
		bh.Write(body[:])
		for _, d := range b.Disclosures {
			data := loader.FileDigest(d.DataFile)
			fmt.Fprintf(bh, "%s\n", d.DataFile)
			bh.Write(data[:])

			folder := loader.Digest(path.Dir(d.DataFile))
			dh := sha256.New()
			fmt.Fprintf(dh, "%s\n", d.DataFile)
			dh.Write(body[:])
			dh.Write(folder[:])
			dh.Write(glossary[:])
			var sum [sha256.Size]byte
			dh.Sum(sum[:0])
			k.disclosures[d] = sum
			m.disclosures = append(m.disclosures, sum)
		}
		bh.Sum(m.body[:0])
		k.bodies[b] = m.body
		all.Write(m.body[:])
		memo[b.Slug] = m
	}
	bld.bodyKeys = memo
	all.Sum(k.all[:0])
	return k, nil
}

// start returns a hash holding the shared part of a key of a page of kind.
func (k *keyer) start(kind string) hash.Hash {
	h := sha256.New()
	h.Write(k.common[:])
	lk := k.kinds[kind]
	fmt.Fprintf(h, "%s\n", kind)
	h.Write(lk[:])
	return h
}

// modified is the content date of page p for sitemap.xml (see
// contentDates).
func (rn *run) modified(p *render.Page) time.Time {
	rn.datesMu.Lock()
	defer rn.datesMu.Unlock()
	return modified(rn.dates, p)
}

// stream loads, checks and renders the site body by body (GOMAXPROCS
// bodies at a time), letting each body's disclosures go once its pages are
// written (fiscal.Disclosure.Release): the memory a build needs then grows
// with the site's lists, not with its tables. It reports every problem of
// the content, as a build that loads everything first does: once one is
// found, bodies are still loaded and checked, but no longer rendered. Load
// problems go to res.Diagnostics, findings to res.Findings; a strict
// build's failing findings stop it with ChecksFailed.
func (rn *run) stream(ctx context.Context, site *fiscal.Site, checker *check.Checker, strict bool, res *Result) error {
	cfg := rn.b.cfg
	rn.dates = map[string]time.Time{}
	if cfg.Progress != nil {
		// Only progress reports the total: counting lists every body's
		// folders, which loading them lists again.
		rn.total = 3 + 2 // home, 网站地图, 404; the glossary and search pages
		for _, b := range site.Bodies {
			rn.total += 1 + countDisclosures(cfg.Site, b)
		}
	}
	var sv *render.SiteView
	if rn.r != nil {
		sv = rn.r.SiteView()
	}
	var (
		mu       sync.Mutex
		diags    diag.List
		findings diag.List
		// pages are what rendering the pages reported without a stage
		// (see Check): errors there leave the figures checkable.
		pages  diag.List
		failed atomic.Bool // a content error: render no more
	)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan *fiscal.Body)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for b := range work {
				d := content.LoadDisclosures(cfg.Site, site, b)
				f := checker.CheckBody(site, b)
				mu.Lock()
				diags = append(diags, d...)
				findings = append(findings, f...)
				mu.Unlock()
				if d.HasErrors() || (strict && check.Fails(f, strict)) {
					failed.Store(true)
				}
				switch {
				case failed.Load() || rn.r == nil:
				case rn.stage == nil:
					// Check: each disclosure page rendered for what it
					// reports; nothing is published.
					for _, d := range b.Disclosures {
						_, pd := rn.r.DisclosurePage(sv, d)
						own := path.Dir(d.DataFile) + "/"
						for i := range pd {
							// Listed with its findings; a layout's or
							// another shared file's, for the site.
							if strings.HasPrefix(pd[i].File, own) {
								pd[i].Disclosure = d.Path()
							}
						}
						mu.Lock()
						pages = append(pages, pd...)
						mu.Unlock()
					}
				default:
					rn.addDates(b)
					for _, j := range bodyJobs(rn.r, sv, b) {
						if err := rn.do(j); err != nil {
							cancel(err)
							break
						}
					}
				}
				for _, d := range b.Disclosures {
					d.Release()
				}
			}
		})
	}
feed:
	for _, b := range site.Bodies {
		select {
		case work <- b:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	res.Diagnostics = append(append(res.Diagnostics, diags...), pages...)
	if diags.HasErrors() {
		// Content that does not load is not checked, as in a build that
		// loads everything first.
		return context.Cause(ctx)
	}
	findings = append(findings, checker.CheckSite(site)...)
	check.Sort(findings)
	res.Findings, rn.checked = findings, true
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if strict && check.Fails(findings, strict) {
		return &ChecksFailed{Errors: findings.Count(diag.Error), Warnings: findings.Count(diag.Warning)}
	}
	return nil
}

// checkOnly, for a streaming build that stops before rendering (a layout
// that does not parse), still loads and checks every body, so the build
// reports what one that loads everything first reports.
func (b *Builder) checkOnly(ctx context.Context, site *fiscal.Site, checker *check.Checker, strict bool, res *Result) {
	if b.keep {
		return
	}
	rn := &run{b: b}
	_ = rn.stream(ctx, site, checker, strict, res)
}

// addDates adds the content dates of body b's pages (see contentDates).
func (rn *run) addDates(b *fiscal.Body) {
	rn.datesMu.Lock()
	defer rn.datesMu.Unlock()
	addDates(rn.dates, b)
}

// countDisclosures counts the disclosure folders of body b without loading
// them, for the progress line.
func countDisclosures(fsys fs.FS, b *fiscal.Body) int {
	n := 0
	years, _ := fs.ReadDir(fsys, content.Dir+"/"+b.Slug)
	for _, y := range years {
		if y.IsDir() {
			kinds, _ := fs.ReadDir(fsys, content.Dir+"/"+b.Slug+"/"+y.Name())
			n += len(kinds)
		}
	}
	return n
}
