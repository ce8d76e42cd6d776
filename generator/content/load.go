// Package content loads a site folder into the fiscal model, strictly: every
// unknown key, wrong type, missing field, over-precise amount or badly encoded
// file is reported with file:line:column, all of them in one run.
//
// # Layout
//
//	content/site.toml                   the site
//	content/glossary.toml               the site-wide 名词解释 (optional)
//	content/catalog/tables.toml         extra table kinds (optional)
//	content/catalog/classification.toml extra classification codes (optional)
//	content/<body>/body.toml            one disclosing body; <body> is its URL slug
//	content/<body>/<year>/<kind>/       one disclosure; kind is budget or final
//	    data.toml                       its figures and statements
//	    *.md                            its sections, with TOML front matter
//
// The editors' guide is content/README.md.
package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/glossary"
	"github.com/disclose/disclose/generator/tomlpos"
)

// Dir is the folder of a site that holds its content.
const Dir = "content"

// Load reads the site in fsys (a site folder: content/, layouts/, static/).
// It returns the site and every problem found; the site is nil only when
// nothing could be read at all. Callers stop when diags has errors.
func Load(fsys fs.FS) (*fiscal.Site, diag.List) {
	return NewLoader(fsys).Load()
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

func loadConfig(fsys fs.FS, diags *diag.List) fiscal.Config {
	cfg := fiscal.Config{Title: "预决算公开", BaseURL: "/", Language: "zh-CN"}
	file := Dir + "/site.toml"
	data, ok := readText(fsys, file, diags, false)
	if !ok {
		return cfg
	}
	r, o, ok := tomlpos.Read(diags, file, data, "")
	if !ok {
		return cfg
	}
	if o.Require("title", `例如 title = "某某市预决算公开"`) {
		cfg.Title, _ = o.String("title")
	}
	if s, ok := o.String("base_url"); ok {
		if u, err := fiscal.ParseBaseURL(s); err != nil {
			r.Errorf(o.Get("base_url").Pos, "site.base-url", "base_url：%v", err)
		} else {
			cfg.BaseURL = u
		}
	}
	if s, ok := o.String("language"); ok {
		cfg.Language = s
	}
	cfg.Description, _ = o.String("description")
	if n := o.Table("publisher"); n != nil {
		p := r.Object(n, "publisher")
		cfg.Publisher.Name, _ = p.String("name")
		cfg.Publisher.SiteName, _ = p.String("site_name")
		cfg.Publisher.SiteIDCode, _ = p.String("site_id_code")
		cfg.Publisher.ICP, _ = p.String("icp")
		cfg.Publisher.PublicSec, _ = p.String("public_security")
		cfg.Publisher.Contact, _ = p.String("contact")
		cfg.Publisher.SiteDomain, _ = p.String("site_domain")
		cfg.Publisher.ColumnName, _ = p.String("column_name")
		cfg.Publisher.PublicSecLink, _ = p.String("public_security_link")
		cfg.Publisher.ConacID, _ = p.String("conac_id")
		p.Done()
	}
	if n := o.Table("markdown"); n != nil {
		m := r.Object(n, "markdown")
		cfg.UnsafeHTML, _ = m.Bool("unsafe_html")
		m.Done()
	}
	if n := o.Table("glossary"); n != nil {
		g := r.Object(n, "glossary")
		if s, ok := g.String("mark"); ok {
			if _, ok := glossary.ParseMode(s); !ok {
				r.Errorf(g.Get("mark").Pos, "site.glossary-mark", "[glossary] mark 应为 \"section\"（每一部分中第一次出现时标注，默认）、\"heading\"（每个小标题下第一次出现时标注）、\"page\"（全页只标注第一次）或 \"off\"（不标注），这里是 %q", s)
			}
			cfg.GlossaryMark = s
		}
		g.Done()
	}
	// [checks] belongs to the checker, which decodes it with positions.
	cfg.Checks = o.Table("checks")
	o.Done()
	return cfg
}

// loadGlossary reads [[key]] entries of term, aliases, definition, code,
// from, to.
func loadGlossary(fsys fs.FS, file, key string, diags *diag.List) []*fiscal.Term {
	data, ok := readText(fsys, file, diags, true)
	if !ok {
		return nil
	}
	r, o, ok := tomlpos.Read(diags, file, data, "")
	if !ok {
		return nil
	}
	terms := readTerms(r, o, key)
	o.Done()
	return terms
}

func readTerms(r *tomlpos.Reader, o *tomlpos.Object, key string) []*fiscal.Term {
	var terms []*fiscal.Term
	for i, n := range o.Tables(key) {
		t := r.Object(n, fmt.Sprintf("第 %d 个名词", i+1))
		term := &fiscal.Term{Source: fiscal.Source{File: r.File, Line: n.Pos.Line, Col: n.Pos.Col}}
		if t.Require("term", `例如 term = "基本支出"`) {
			term.Term, _ = t.String("term")
		}
		term.Aliases, _ = t.Strings("aliases")
		if t.Require("definition", `例如 definition = "指……"`) {
			term.Definition, _ = t.String("definition")
		}
		term.Code, _ = t.String("code")
		if v, ok := t.Int("from"); ok {
			term.From = int(v)
		}
		if v, ok := t.Int("to"); ok {
			term.To = int(v)
		}
		t.Done()
		terms = append(terms, term)
	}
	return terms
}

// loadBody reads body.toml of the body folder dir (not its disclosures).
func loadBody(fsys fs.FS, dir string, diags *diag.List) *fiscal.Body {
	slug := path.Base(dir)
	file := dir + "/body.toml"
	if !slugRE.MatchString(slug) {
		diags.Errorf(dir, 0, 0, "content.slug", "文件夹名 %q 会成为网址的一部分，只能用小写英文字母、数字和连字符（例如 panjin-zhcs）", slug)
		return nil
	}
	data, ok := readText(fsys, file, diags, true)
	if !ok {
		if _, err := fs.Stat(fsys, file); err != nil {
			diags.Errorf(dir, 0, 0, "content.body-missing", "文件夹 %s 中缺少 body.toml（单位名称等信息）", dir)
		}
		return nil
	}
	r, o, ok := tomlpos.Read(diags, file, data, "")
	if !ok {
		return nil
	}
	b := &fiscal.Body{Slug: slug, Source: fiscal.Source{File: file}}
	if o.Require("name", `例如 name = "某某市财政局"`) {
		b.Name, _ = o.String("name")
	}
	b.ShortName, _ = o.String("short_name")
	b.Code, _ = o.String("code")
	if t, ok := o.String("type"); ok {
		if !slices.Contains([]string{"行政", "参公", "事业"}, t) {
			r.Errorf(o.Get("type").Pos, "body.type", "type 应为 \"行政\"、\"参公\" 或 \"事业\"，这里是 %q", t)
		}
		b.Type = t
	}
	b.Parent, _ = o.String("parent")
	b.Region, _ = o.String("region")
	b.Example, _ = o.Bool("example")
	o.Done()
	return b
}

// loadDisclosures loads the disclosures of body b, whose folder is dir.
func loadDisclosures(fsys fs.FS, b *fiscal.Body, dir string, cat *fiscal.Catalog, diags *diag.List) {
	years, err := fs.ReadDir(fsys, dir)
	if err != nil {
		diags.Errorf(dir, 0, 0, "content.read", "无法读取文件夹：%v", err)
		return
	}
	for _, y := range years {
		if strings.HasPrefix(y.Name(), ".") || !isDir(fsys, dir, y) {
			continue
		}
		ydir := dir + "/" + y.Name()
		year, err := strconv.Atoi(y.Name())
		if err != nil || year < 1990 || year > 2100 {
			diags.Errorf(ydir, 0, 0, "content.year", "文件夹 %s 应以年份命名（如 2020），其下放 budget（预算）或 final（决算）文件夹", y.Name())
			continue
		}
		kinds, err := fs.ReadDir(fsys, ydir)
		if err != nil {
			diags.Errorf(ydir, 0, 0, "content.read", "无法读取文件夹：%v", err)
			continue
		}
		for _, k := range kinds {
			if strings.HasPrefix(k.Name(), ".") || !isDir(fsys, ydir, k) {
				continue
			}
			kind, ok := fiscal.ParseKind(k.Name())
			if !ok {
				diags.Errorf(ydir+"/"+k.Name(), 0, 0, "content.kind", "文件夹 %s 应为 budget（预算）或 final（决算）", k.Name())
				continue
			}
			d := &fiscal.Disclosure{Body: b, Year: year, Kind: kind}
			if loadDisclosure(fsys, ydir+"/"+k.Name(), d, cat, diags) {
				b.Disclosures = append(b.Disclosures, d)
			}
		}
	}
	slices.SortStableFunc(b.Disclosures, func(x, y *fiscal.Disclosure) int {
		if x.Year != y.Year {
			return x.Year - y.Year
		}
		return int(x.Kind) - int(y.Kind)
	})
}

// LoadSkeleton loads what every page of a site shares (site.toml, the
// glossary, the catalogues) and each body's body.toml, but not the bodies'
// disclosures: a build that streams a site loads each body's disclosures
// with [LoadDisclosures] when it comes to it, and lets them go once its
// pages are written. Problems are reported as [Load] reports them.
func LoadSkeleton(fsys fs.FS) (*fiscal.Site, diag.List) {
	l := NewLoader(fsys)
	l.skeleton = true
	return l.Load()
}

// LoadDisclosures loads the disclosures of body b of site, as
// [LoadSkeleton] left it, into b.Disclosures and returns the problems
// found; with LoadSkeleton's, they are those [Load] reports.
func LoadDisclosures(fsys fs.FS, site *fiscal.Site, b *fiscal.Body) diag.List {
	var diags diag.List
	loadDisclosures(fsys, b, Dir+"/"+b.Slug, site.Catalog, &diags)
	return diags
}

// isDir reports whether entry e of folder dir is a folder, or a symbolic
// link to one: a folder linked into content/ is read like the others (a
// linked file always was).
func isDir(fsys fs.FS, dir string, e fs.DirEntry) bool {
	if e.Type()&fs.ModeSymlink == 0 {
		return e.IsDir()
	}
	fi, err := fs.Stat(fsys, dir+"/"+e.Name())
	return err == nil && fi.IsDir()
}

// readText reads a text file, strips a UTF-8 byte-order mark and rejects
// other encodings with a message that says what to do. With optional set, a
// missing file is not an error.
func readText(fsys fs.FS, name string, diags *diag.List, optional bool) ([]byte, bool) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		if optional && isNotExist(err) {
			return nil, false
		}
		diags.Errorf(name, 0, 0, "content.read", "无法读取文件：%v", err)
		return nil, false
	}
	// A Word or WPS document renamed .md or .toml: "save as UTF-8" would
	// not help, saving it as text would.
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		diags.Errorf(name, 1, 1, "content.encoding", "这是 Word、WPS 或 Excel 文档，不是纯文本文件（只改了文件名不行）：请在 Word/WPS 中“另存为”纯文本（.txt，编码选 UTF-8）再改名，或把文字复制到记事本等文本编辑器中保存")
		return nil, false
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) ||
		(len(data) > 1 && (data[0] == 0 || data[1] == 0)) {
		diags.Errorf(name, 1, 1, "content.encoding", "文件是 UTF-16 编码。请在编辑器中选择“另存为”，编码选 UTF-8")
		return nil, false
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(data) {
		line, col := 1, 1
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
			i += size
		}
		diags.Errorf(name, line, col, "content.encoding", "文件不是 UTF-8 编码（多半是 GBK/GB2312）。请在编辑器中选择“另存为”，编码选 UTF-8")
		return nil, false
	}
	return data, true
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
