// Package render turns the fiscal model into HTML pages with html/template
// layouts: it builds the documented page data model, renders the Markdown
// sections with their data references, and lays out tables.
//
// # Layouts
//
// A theme is an fs.FS holding layouts/base.html, layouts/partials/*.html and
// one file per page kind (home.html, body.html, disclosure.html,
// glossary.html, sitemap.html, search.html, 404.html), each defining
// "main". A site overrides any of them by putting a file of the same path
// in its own layouts/ folder.
// Every page template receives a [*Page].
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/glossary"
	"github.com/disclose/disclose/generator/markdown"
)

// tablePartial is the layout of a data table, chartPartial of a chart.
const (
	tablePartial = "layouts/partials/table.html"
	chartPartial = "layouts/partials/chart.html"
)

// PageKinds are the page layouts a theme provides.
var PageKinds = []string{"home", "body", "disclosure", "glossary", "sitemap", "search", "404"}

// Renderer renders the pages of one site. It is safe for concurrent use.
type Renderer struct {
	fastTable bool // the theme's table partial is in use: see writeTable
	fastChart bool // the theme's chart partial is in use: see writeChart
	site      *fiscal.Site
	tmpl      *template.Template // base and partials
	pages     map[string]*template.Template
	md        *markdown.Renderer
	basePath  string
	assets    func(string) (string, error)
	csp       string
	// gloss is the site glossary; usage collects where disclosure pages
	// use its terms, for the glossary page.
	gloss     *glossary.Glossary
	usage     *glossary.Usage
	glossMode glossary.Mode
	// sources holds the layout files as parsed, by name
	// (layouts/partials/table.html): to place template errors.
	sources map[string][]byte
}

// Options configure a Renderer.
type Options struct {
	// Layouts holds layouts/… (a site's own files over the theme's).
	Layouts fs.FS
	// Markdown renders sections; one per build.
	Markdown *markdown.Renderer
	// Asset maps a static file path (css/site.css) to its path below the
	// site root (static/css/site.3f9c2a1b.css), or an error when there is
	// no such file; nil means static/<path>.
	Asset func(string) (string, error)
	// CSP is the site's Content-Security-Policy for a <meta> element
	// (SiteView.CSP); empty means none.
	CSP string
	// Theme is the built-in theme. While Layouts holds the theme's own
	// table partial, tables are written without executing it (same bytes).
	Theme fs.FS
}

// New parses the layouts. Template errors are returned as diagnostics with
// the file and line.
func New(site *fiscal.Site, o Options) (*Renderer, diag.List) {
	var diags diag.List
	r := &Renderer{site: site, pages: map[string]*template.Template{}, md: o.Markdown, assets: o.Asset, csp: o.CSP,
		gloss: glossary.New(site.Glossary), usage: glossary.NewUsage()}
	if m, ok := glossary.ParseMode(site.Config.GlossaryMark); ok {
		r.glossMode = m
	}
	if r.assets == nil {
		r.assets = func(p string) (string, error) { return "static/" + p, nil }
	}
	r.sources = map[string][]byte{}
	r.basePath = fiscal.BasePath(site.Config.BaseURL)
	base := template.New("base").Funcs(r.funcs())
	files := []string{"layouts/base.html"}
	partials, _ := fs.Glob(o.Layouts, "layouts/partials/*.html")
	files = append(files, partials...)
	for _, f := range files {
		if !r.parseInto(base, o.Layouts, f, &diags) {
			return nil, diags
		}
	}
	if o.Theme != nil {
		same := func(file string) bool {
			theirs, err := fs.ReadFile(o.Theme, file)
			return err == nil && r.sources[file] != nil && bytes.Equal(r.sources[file], theirs)
		}
		r.fastTable, r.fastChart = same(tablePartial), same(chartPartial)
	}
	r.tmpl = base
	for _, kind := range PageKinds {
		t, err := base.Clone()
		if err != nil {
			diags.Errorf("layouts/"+kind+".html", 0, 0, "layout.parse", "%v", err)
			continue
		}
		if r.parseInto(t, o.Layouts, "layouts/"+kind+".html", &diags) {
			r.pages[kind] = t
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return r, diags
}

// parseInto parses the layout file of fsys into t, and keeps its source.
func (r *Renderer) parseInto(t *template.Template, fsys fs.FS, file string, diags *diag.List) bool {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		diags.Errorf(file, 0, 0, "layout.missing", "找不到模板文件：%v", err)
		return false
	}
	r.sources[file] = data
	if _, err := t.New(strings.TrimPrefix(file, "layouts/")).Parse(string(data)); err != nil {
		line, col := templatePlace(err, data)
		diags.Errorf(file, line, col, "layout.parse", "模板错误：%v", err)
		return false
	}
	return true
}

var templateLineRE = regexp.MustCompile(`template: [^:]+:(\d+)(?::(\d+))?`)

// templatePlace is the line and column (in characters from 1, as every
// position disclose gives) of a template error of the file data.
// text/template gives an execution error's column as a byte offset from 0
// ({{.Nope}} at the start of a line is 1:2, its dot the third character),
// and a parse error none: 0.
func templatePlace(err error, data []byte) (line, col int) {
	m := templateLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, 0
	}
	line, _ = strconv.Atoi(m[1])
	if m[2] == "" || data == nil || line < 1 {
		return line, 0
	}
	offset, _ := strconv.Atoi(m[2])
	rest := data
	for range line - 1 {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return line, 0
		}
		rest = rest[i+1:]
	}
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	if offset > len(rest) {
		return line, 0
	}
	return line, utf8.RuneCount(rest[:offset]) + 1
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		// url makes a site path absolute under the site's sub-path.
		"url": func(p string) string { return r.URL(p) },
		// asset returns the URL of a static file, e.g. asset "css/site.css";
		// a file that does not exist is an error.
		"asset": func(p string) (string, error) {
			a, err := r.assets(p)
			if err != nil {
				return "", err
			}
			return r.URL(a), nil
		},
		// hasAsset reports whether the site has a static file, for optional
		// images such as static/img/conac.png.
		"hasAsset": func(p string) bool {
			_, err := r.assets(p)
			return err == nil
		},
		// date formats a date as 2020年3月15日.
		"date": date,
	}
}

// Usage returns where the disclosure pages rendered so far use the
// glossary's terms.
func (r *Renderer) Usage() *glossary.Usage { return r.usage }

// URL returns the URL path of a site path: /yjsgk/panjin-zhcs/.
func (r *Renderer) URL(p string) string {
	return r.basePath + strings.TrimPrefix(p, "/")
}

// Execute renders the page of the given kind.
func (r *Renderer) Execute(kind string, p *Page) ([]byte, error) {
	t := r.pages[kind]
	if t == nil {
		return nil, fmt.Errorf("no layout for %s pages", kind)
	}
	var b bytes.Buffer
	// html/template writes in small pieces; a disclosure page is mostly
	// its sections, so room for them spares the buffer its doublings.
	b.Grow(p.sizeHint())
	if err := t.ExecuteTemplate(&b, "base", p); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// TemplateError turns an error of Execute into a diagnostic naming the
// layout file, line and column.
func (r *Renderer) TemplateError(kind string, err error) diag.Diagnostic {
	file := "layouts/" + kind + ".html"
	if m := templateNameRE.FindStringSubmatch(err.Error()); m != nil {
		file = "layouts/" + m[1]
	}
	line, col := templatePlace(err, r.sources[file])
	return diag.Diagnostic{File: file, Line: line, Col: col, Severity: diag.Error, Rule: "layout.execute", Message: "模板执行出错：" + err.Error()}
}

var templateNameRE = regexp.MustCompile(`template: ([^:]+):`)
