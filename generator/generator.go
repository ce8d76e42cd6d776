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
//
// Build builds once. A [Builder] builds again as files change, reusing what
// did not change; its output equals Build's byte for byte, and Build is a
// Builder's first build, so there is one pipeline.
package generator

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yuin/goldmark"

	"github.com/disclose/disclose/generator/check"
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
	// Strict says whether the checks' findings (an error or a warning)
	// stop the build, before anything is written: check.StrictOn and
	// check.StrictOff decide; the zero value, check.StrictAsSite, follows
	// [checks] strict in site.toml. Otherwise findings never stop a build.
	Strict check.Strictness
	// Rules are code rules the checks run besides the built-in ones.
	Rules []check.Rule

	// BaseURL, if set, replaces site.toml's base_url (the --base-url flag);
	// it must be in the form fiscal.ParseBaseURL returns.
	BaseURL string
	// Minify minifies HTML, CSS, JavaScript, SVG, and the JSON of
	// static/ (the CLI's default; off here so tests read plain HTML). The
	// build's own JSON is written as it is.
	Minify bool
	// Precompress writes .gz and .br beside large text files.
	Precompress bool
	// SourceDate (SOURCE_DATE_EPOCH) dates, in sitemap.xml, pages whose
	// content has no date. A build never reads the clock.
	SourceDate time.Time
	// Previous is the output as the last build left it, or nil; the hashed
	// assets its manifest lists are kept one more build (Result.Retained).
	Previous fs.FS
	// Preview builds for the live preview (disclose serve): static files
	// keep their names instead of being named by content hash, so a
	// stylesheet edit changes no page and can be swapped into open pages,
	// and there is no manifest.json or headers hint file (only a CDN reads
	// them).
	Preview bool
	// Search tunes the layout of the search index; the zero value suits
	// every site (tests make its files small to exercise their structure).
	// A preview writes no index: its search page says so.
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
	// Rendered counts the pages rendered anew; a Builder reuses the others
	// from its previous build.
	Rendered int
}

// ChecksFailed is the error of a strict build whose checks found errors
// or warnings (Result.Findings has them); nothing was written.
type ChecksFailed struct {
	Errors, Warnings int
}

func (e *ChecksFailed) Error() string {
	return fmt.Sprintf("检查发现 %d 处错误、%d 处警告（严格模式）", e.Errors, e.Warnings)
}

// A CheckResult is what Check reports.
type CheckResult struct {
	// Loaded are what loading the disclosures, rendering their pages and
	// reading the root/ names reported.
	Loaded diag.List
	// Findings are the checks' findings, sorted.
	Findings diag.List
	// Checked says the content loaded without errors, so every body was
	// checked (whatever the pages reported).
	Checked bool
}

// Check loads the disclosures of site, a skeleton from content.LoadSkeleton
// of fsys, and checks them with checker as a streaming build does:
// GOMAXPROCS bodies at a time, each checked as it is loaded and its tables
// let go once checked (fiscal.Disclosure.Release keeps what listing it
// needs), so checking a site of any size takes the memory of a few bodies.
// With a theme, it also renders each disclosure page, writing nothing, for
// what a build would report of its text (references to figures, glossary
// terms, charts, the site's layouts); links between pages only a build
// checks. Layouts that do not parse are reported, and the figures checked
// all the same: what checker.Check finds on the site loaded whole.
func Check(ctx context.Context, fsys, theme fs.FS, site *fiscal.Site, checker *check.Checker) (CheckResult, error) {
	var out CheckResult
	rn := &run{b: &Builder{cfg: Config{Site: fsys}}}
	if theme != nil {
		var err error
		if rn.r, out.Loaded, err = checkRenderer(fsys, theme, site); err != nil {
			return out, err
		}
	}
	// The root/ files' names, judged as a build judges them (their bytes
	// are not needed).
	root, err := rootNames(fsys)
	if err != nil {
		return out, err
	}
	out.Loaded = append(out.Loaded, rootProblems(fsys, site, root)...)
	var res Result
	err = rn.stream(ctx, site, checker, false, &res)
	out.Loaded = append(out.Loaded, res.Diagnostics.Folded(pagesFolded)...)
	out.Loaded.Sort()
	out.Findings, out.Checked = res.Findings, rn.checked
	return out, err
}

// pagesFolded is how a diagnostic repeated on many pages (a layout's
// mistake is every page's) is said once: see diag.List.Folded.
const pagesFolded = "（共 %d 个页面）"

// checkRenderer is the renderer of Check: a build's, with the static files
// at their own names, as in a preview (nothing is published).
func checkRenderer(fsys, theme fs.FS, site *fiscal.Site) (*render.Renderer, diag.List, error) {
	layouts := overlay{fsys, theme}
	// Names alone: a check reads no image or PDF of static/.
	names := map[string]bool{}
	if err := walkFiles(layouts, "static", hidden, func(p string) error { names[p] = true; return nil }); err != nil {
		return nil, nil, err
	}
	asset := ownNames(names)
	md := newMarkdown(site, fiscal.BasePath(site.Config.BaseURL), asset)
	r, diags := render.New(site, render.Options{Layouts: layouts, Markdown: md, Theme: theme, Asset: asset})
	return r, diags, nil
}

// newMarkdown is the Markdown renderer of a build of site: with glossary
// marks, and links from the site's root put under base, to the names
// asset gives the files of static/.
func newMarkdown(site *fiscal.Site, base string, asset func(string) (string, error)) *markdown.Renderer {
	return markdown.New(markdown.Options{UnsafeHTML: site.Config.UnsafeHTML,
		Extensions: []goldmark.Extender{glossary.Extension{}, markdown.SiteLinks(base, asset)}})
}

// ownNames names the files of static/ (names holds them: static/css/a.css)
// by their own names (static/p), as a preview and a check do, which
// publish nothing.
func ownNames(names map[string]bool) func(p string) (string, error) {
	return func(p string) (string, error) {
		if !names["static/"+p] {
			return "", fmt.Errorf("no static file %s", p)
		}
		return "static/" + p, nil
	}
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
	// page builds the page's data and reports problems in the content.
	page func() (*render.Page, diag.List)
	// inputs writes everything the page is made from besides what all
	// pages share (see keyer), so an unchanged page is reused without
	// being built.
	inputs func(hash.Hash, *keyer)
	// byView says the page data is cheap to build: when the inputs
	// changed, an unchanged digest of the page data still reuses the page.
	byView bool
	// index describes the page to the search index; nil for pages that
	// are not searched.
	index *search.Page
}

// pageJobs returns the jobs of the site's pages: the glossary page comes in
// after, to be run once the others are done. A page that comes to depend on
// something new must write it in its inputs (see Builder).
func pageJobs(r *render.Renderer, site *fiscal.Site) (jobs, after []job) {
	sv := r.SiteView()
	jobs, after = siteJobs(r, sv)
	for _, b := range site.Bodies {
		jobs = append(jobs, bodyJobs(r, sv, b)...)
	}
	return jobs, after
}

// siteJobs returns the jobs of the pages that list the whole site (home,
// 网站地图, 404) and, in after, the glossary page.
func siteJobs(r *render.Renderer, sv *render.SiteView) (jobs, after []job) {
	static := func(f func(*render.SiteView) *render.Page) func() (*render.Page, diag.List) {
		return func() (*render.Page, diag.List) { return f(sv), nil }
	}
	// Lists of disclosures, and the sitemap dates of pages without their
	// own, come from every body.toml and data.toml.
	allBodies := func(h hash.Hash, k *keyer) { h.Write(k.all[:]) }
	jobs = []job{
		{name: "index.html", kind: "home", page: static(r.HomePage), inputs: allBodies, byView: true},
		{name: "sitemap/index.html", kind: "sitemap", page: static(r.SitemapPage), inputs: allBodies, byView: true},
		{name: "404.html", kind: "404", page: static(r.NotFoundPage), inputs: allBodies, byView: true},
	}
	// The glossary page's back-links come from where every disclosure page
	// marked terms.
	after = []job{{name: "glossary/index.html", kind: "glossary", page: static(r.GlossaryPage), byView: true,
		inputs: func(h hash.Hash, k *keyer) { k.usage(h) },
		index:  &search.Page{Path: "glossary/", Title: "名词解释", Glossary: true}}}
	return jobs, after
}

// bodyJobs returns the jobs of body b's page and of its disclosures' pages.
func bodyJobs(r *render.Renderer, sv *render.SiteView, b *fiscal.Body) (jobs []job) {
	{
		jobs = append(jobs, job{name: b.Slug + "/index.html", kind: "body", byView: true,
			page:   func() (*render.Page, diag.List) { return r.BodyPage(sv, b), nil },
			inputs: func(h hash.Hash, k *keyer) { sum := k.bodies[b]; h.Write(sum[:]) },
			index:  &search.Page{Path: b.Slug + "/", Title: b.Name, Body: b.Name, BodySlug: b.Slug, Example: b.Example}})
		for _, d := range b.Disclosures {
			jobs = append(jobs, job{name: d.Path() + "/index.html", kind: "disclosure",
				page: func() (*render.Page, diag.List) { return r.DisclosurePage(sv, d) },
				inputs: func(h hash.Hash, k *keyer) {
					sum := k.disclosures[d]
					h.Write(sum[:])
				},
				index: disclosureSearchPage(d)})
		}
	}
	return jobs
}

// publishPage is what the publish stage gets of a rendered page, whose
// content date is modified.
func publishPage(name, kind string, html []byte, p *render.Page, modified time.Time) publish.Page {
	out := publish.Page{Name: name, HTML: html, Layout: "layouts/" + kind + ".html",
		Sitemap: kind != "404", Modified: modified}
	if p.Disclosure != nil {
		for _, s := range p.Disclosure.Sections {
			if s.Source != nil {
				out.Parts = append(out.Parts, publish.Part{HTML: []byte(s.HTML), File: s.Source.File, Line: s.Source.Line, Source: s.Source.Markdown})
			}
		}
	}
	return out
}

// contentDates maps a page's path to the date of its content for
// sitemap.xml: a disclosure's update or publication date; for a body the
// latest of its disclosures'; for every other page ("") the latest of all.
// A page missing from it has no known date.
func contentDates(site *fiscal.Site) map[string]time.Time {
	dates := map[string]time.Time{}
	for _, b := range site.Bodies {
		addDates(dates, b)
	}
	return dates
}

// addDates adds body b's pages to dates (see contentDates).
func addDates(dates map[string]time.Time, b *fiscal.Body) {
	later := func(path string, t time.Time) {
		if t.After(dates[path]) {
			dates[path] = t
		}
	}
	for _, d := range b.Disclosures {
		for _, t := range []time.Time{d.Updated, d.Published} {
			later(d.Path()+"/", t)
			later(b.Slug+"/", t)
			later("", t)
		}
	}
}

// modified is the content date of page p (see contentDates).
func modified(dates map[string]time.Time, p *render.Page) time.Time {
	if p.Body != nil || p.Disclosure != nil {
		return dates[p.Path]
	}
	return dates[""]
}

// staticFiles reads every file under static/ of the theme and the site.
// Names that start with a dot are not published (the output's are the
// deployer's, .well-known, .htaccess: see publish.DirSink.Commit).
func staticFiles(theme fs.FS) ([]publish.File, error) {
	var files []publish.File
	err := walkFiles(theme, "static", hidden, func(p string) error {
		data, err := fs.ReadFile(theme, p)
		if err != nil {
			return fmt.Errorf("static: %w", err)
		}
		files = append(files, publish.File{Name: p, Data: data})
		return nil
	})
	return files, err
}

// rootNames lists the files of the site's root/ folder (paths from the
// site folder), published under the same path from the output's root as
// they are; dot names are left out, as in static/. writeRoot reads them
// when it writes them: they may be large, and are written last.
func rootNames(site fs.FS) ([]string, error) {
	var names []string
	err := walkFiles(site, "root", hidden, func(p string) error {
		names = append(names, p)
		return nil
	})
	return names, err
}

// rootProblems judges the names of the site's root/ files (paths from the
// site folder) before anything is built, for build and check alike: a
// name the build writes at the output's root, or one in a folder it owns
// there, would clash (compared without case: a Windows or macOS disk, or
// a CDN, may not tell INDEX.HTML from index.html); a name must read the
// same as a URL path (no space, ? or #, no letters outside ASCII) and be
// one Windows can hold (windowsReserved); two names must differ in more
// than case (root.case); and a .well-known folder, left out with every dot
// name, is said so.
func rootProblems(fsys fs.FS, site *fiscal.Site, names []string) diag.List {
	var diags diag.List
	// Each file and folder so far, by its name in lower case: a file whose
	// path differs from another file's or a folder's only in case would
	// overwrite it, or fail to be written, on a server or disk that ignores
	// case (Windows, macOS, some object stores).
	files, folders := map[string]string{}, map[string]string{}
	for _, file := range names {
		name := strings.TrimPrefix(file, "root/")
		if bad := strings.TrimLeft(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/"); bad != "" {
			r, _ := utf8.DecodeRuneInString(bad)
			diags.Errorf(file, 0, 0, "root.name", "%s 的名字中有“%c”：root/ 中的文件按原名作网址，名字只能用英文字母、数字和 - _ . ~；请改名（中文名的文件放在 static/ 中）", file, r)
			continue
		}
		if seg := windowsReserved(name); seg != "" {
			diags.Errorf(file, 0, 0, "root.name", "%s 中的“%s”在 Windows 上不能作文件或文件夹名（以 . 结尾，或是 CON、NUL、COM1 这类设备名），部署到 Windows 服务器时无法存放；请改名", file, seg)
			continue
		}
		lower := strings.ToLower(file)
		other, clash := files[lower]
		if !clash {
			other, clash = folders[lower]
		}
		for dir := path.Dir(file); !clash && dir != "root"; dir = path.Dir(dir) {
			other, clash = files[strings.ToLower(dir)]
		}
		if clash {
			diags.Errorf(file, 0, 0, "root.case", "%s 与 %s 只差大小写：部署到不分大小写的服务器或电脑（Windows、macOS、部分对象存储）时，一个会覆盖另一个；请给其中一个改名", file, other)
			continue
		}
		files[lower] = file
		for dir := path.Dir(file); dir != "root"; dir = path.Dir(dir) {
			folders[strings.ToLower(dir)] = dir
		}
		if built, ok := builtRoot(site, name); ok {
			how := ""
			if !strings.HasPrefix(name, strings.TrimSuffix(built, "/")) {
				how = "（大小写不同也算同名）"
			}
			diags.Errorf(file, 0, 0, "root.generated", "%s 与 disclose 生成的网站内容冲突：网站中的 %s 由 disclose 生成或留作生成之用%s；请删去它，或给它改名",
				file, built, how)
		}
	}
	if fi, err := fs.Stat(fsys, "root/.well-known"); err == nil && fi.IsDir() {
		diags.Warnf("root/.well-known", 0, 0, "root.hidden", "root/.well-known 不会发布：输出文件夹中以 . 开头的名字归部署方管理，disclose 不写也不删；请在部署时把它放到网站上")
	}
	return diags
}

// windowsReserved returns the first part of the path name that Windows
// cannot hold as a file or folder name, or "": one that ends in a dot
// (Windows drops it, so x. would be x), or a device name (CON, PRN, AUX,
// NUL, COM1–COM9, LPT1–LPT9) with or without an extension. Many government
// sites are served from Windows.
func windowsReserved(name string) string {
	for _, seg := range strings.Split(name, "/") {
		if strings.HasSuffix(seg, ".") {
			return seg
		}
		base, _, _ := strings.Cut(strings.ToUpper(seg), ".")
		switch {
		case base == "CON" || base == "PRN" || base == "AUX" || base == "NUL",
			len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) && base[3] >= '1' && base[3] <= '9':
			return seg
		}
	}
	return ""
}

// builtRoot reports whether a build writes the file name (a path from the
// output's root) or owns the folder it would go in, and that name: the
// files publish.Generated names, and the folders of assets, the search
// index, the site's pages and each body (TestRootFiles holds the list to a
// built site).
func builtRoot(site *fiscal.Site, name string) (string, bool) {
	top, _, _ := strings.Cut(name, "/")
	lower := strings.ToLower(top)
	if publish.Generated(top) {
		return lower, true
	}
	switch lower {
	case "static", "search", "glossary", "sitemap", "data":
		return lower + "/", true
	}
	for _, b := range site.Bodies {
		if lower == b.Slug {
			return lower + "/", true
		}
	}
	return "", false
}

// writeRoot reads and publishes the root/ files names lists, after
// everything the build writes itself. rootProblems has judged their names;
// a clash it could not foresee is told the same way.
func writeRoot(stage *publish.Stage, site fs.FS, names []string) (diag.List, error) {
	var diags diag.List
	for _, file := range names {
		data, err := fs.ReadFile(site, file)
		if err != nil {
			return diags, fmt.Errorf("root: %w", err)
		}
		switch err := stage.WriteAsIs(strings.TrimPrefix(file, "root/"), data); {
		case errors.Is(err, publish.ErrGenerated):
			diags.Errorf(file, 0, 0, "root.generated", "%s 与 disclose 生成的网站内容冲突：请删去它，或给它改名", file)
		case err != nil:
			return diags, err
		}
	}
	return diags, nil
}

// hidden reports whether a file name starts with a dot: such files of
// static/ and root/ are not published.
func hidden(name string) bool { return strings.HasPrefix(name, ".") }

// walkFiles calls fn for each file under root (none if there is no root),
// in lexical order, leaving out the names skip reports true for (skip may
// be nil). It follows symbolic links to folders, as reading a linked file
// does, eight deep at most, so that a link to a folder above it ends in an
// error.
func walkFiles(fsys fs.FS, root string, skip func(name string) bool, fn func(name string) error) error {
	var walk func(dir string, links int) error
	walk = func(dir string, links int) error {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if skip != nil && skip(e.Name()) {
				continue
			}
			p := dir + "/" + e.Name()
			isDir, depth := e.IsDir(), links
			if e.Type()&fs.ModeSymlink != 0 {
				fi, err := fs.Stat(fsys, p)
				if err != nil {
					return err
				}
				if isDir, depth = fi.IsDir(), links+1; isDir && depth > 8 {
					return fmt.Errorf("%s: 文件夹的符号链接套了太多层（可能指向它自己所在的文件夹）", p)
				}
			}
			if isDir {
				err = walk(p, depth)
			} else {
				err = fn(p)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	err := walk(root, 0)
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := fs.Stat(fsys, root); errors.Is(serr, fs.ErrNotExist) {
			return nil
		}
	}
	return err
}

// identityWarning warns a site published under .gov.cn whose site.toml
// leaves out a number the footer of a government site must show
// (《政府网站发展指引》: 网站标识码, ICP 备案编号, 公安机关备案号), or nil. A
// host with an "example" label (yjsgk.example.gov.cn, the example site's)
// is a placeholder, not a government site.
func identityWarning(site *fiscal.Site) *diag.Diagnostic {
	u, err := url.Parse(site.Config.BaseURL)
	if err != nil {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	if !strings.HasSuffix(host, ".gov.cn") || slices.Contains(strings.Split(host, "."), "example") {
		return nil
	}
	p := site.Config.Publisher
	var missing []string
	for _, k := range []struct{ value, key, name string }{
		{p.SiteIDCode, "site_id_code", "网站标识码"}, {p.ICP, "icp", "ICP 备案编号"}, {p.PublicSec, "public_security", "公安机关备案号"},
	} {
		if k.value == "" {
			missing = append(missing, k.name+"（"+k.key+"）")
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return &diag.Diagnostic{File: "content/site.toml", Severity: diag.Warning, Rule: "site.identity",
		Message: "政府网站的页脚须显示网站标识码、ICP 备案编号和公安机关备案号（《政府网站发展指引》），这里缺少" +
			strings.Join(missing, "、") + "：请在 site.toml 的 [publisher] 中填写"}
}
