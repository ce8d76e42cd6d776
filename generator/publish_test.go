package generator_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"text/tabwriter"
	"time"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/publish"
)

// The checks of this file read the output with their own regular
// expressions, not with the publish stage's scanner: they must be able to
// catch it wrong.
var (
	startTagRE = regexp.MustCompile(`(?s)<([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>`)
	attrPairRE = regexp.MustCompile(`(?s)\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>` + "`" + `]+)))?`)
	cssURLRE   = regexp.MustCompile(`url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s*['"]([^'"]+)['"]`)
	// An asset's hash is in its name (site.3f9c2a1b.css); a search index
	// file's name is its hash (search/t/4e6uaope5z65q.bin).
	hashedName = regexp.MustCompile(`\.[0-9a-f]{8}\.[a-z0-9]+$|^search/([tbpd]/|index\.)[a-z2-7]{13}\.(bin|json)$`)
)

// element is a start tag of a page as the tests read it.
type element struct {
	name  string
	attrs map[string]string
}

func elements(page []byte) []element {
	var out []element
	for _, m := range startTagRE.FindAllSubmatch(page, -1) {
		e := element{name: strings.ToLower(string(m[1])), attrs: map[string]string{}}
		for _, a := range attrPairRE.FindAllSubmatch(m[2], -1) {
			v := string(a[2]) + string(a[3]) + string(a[4])
			e.attrs[strings.ToLower(string(a[1]))] = strings.NewReplacer("&amp;", "&", "&#39;", "'", "&quot;", `"`).Replace(v)
		}
		out = append(out, e)
	}
	return out
}

// publishedBuild builds the example as the CLI does (minified,
// precompressed) with the base URL base ("" for site.toml's).
func publishedBuild(t *testing.T, site fs.FS, sink publish.Sink, base string) generator.Result {
	t.Helper()
	res, err := generator.Build(context.Background(), generator.Config{Site: site, Theme: disclose.Theme(), Sink: sink,
		BaseURL: base, Minify: true, Precompress: true})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res
}

func sri(data []byte) string {
	sum := sha512.Sum384(data)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// TestPublishedExample scans the whole built example (must show 1): no
// inline script or style, no style= or on…= attribute, every asset
// reference hashed with a matching SRI, manifest.json right about every
// file, sitemap.xml listing every page.
func TestPublishedExample(t *testing.T) {
	sink := publish.NewMapSink()
	publishedBuild(t, os.DirFS(".."), sink, "")
	var pages []string
	for _, name := range sink.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages = append(pages, name)
		page := sink.Files[name]
		if bytes.Contains(page, []byte("\n<")) {
			t.Errorf("%s is not minified", name)
		}
		for _, e := range elements(page) {
			where := fmt.Sprintf("%s <%s>", name, e.name)
			if e.name == "style" {
				t.Errorf("%s: a <style> element", where)
			}
			if _, ok := e.attrs["src"]; e.name == "script" && !ok {
				t.Errorf("%s: an inline script", where)
			}
			for k := range e.attrs {
				if k == "style" || (strings.HasPrefix(k, "on") && len(k) > 2) {
					t.Errorf("%s: attribute %s", where, k)
				}
			}
			ref := ""
			switch {
			case e.name == "script":
				ref = e.attrs["src"]
			case e.name == "link" && strings.Contains(e.attrs["rel"], "stylesheet"):
				ref = e.attrs["href"]
			case e.name == "img":
				ref = e.attrs["src"]
			default:
				continue
			}
			file := strings.TrimPrefix(ref, "/")
			data, ok := sink.Files[file]
			if !ok || !hashedName.MatchString(file) {
				t.Errorf("%s: %s is not a hashed file of the site", where, ref)
				continue
			}
			if e.name != "img" && e.attrs["integrity"] != sri(data) {
				t.Errorf("%s: integrity %q, want %q", where, e.attrs["integrity"], sri(data))
			}
		}
	}
	if len(pages) < 6 {
		t.Fatalf("only %d pages: %v", len(pages), pages)
	}

	var m struct {
		Files []struct {
			Path, SHA256, Class string
			Size                int
		}
	}
	if err := json.Unmarshal(sink.Files["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, e := range m.Files {
		listed[e.Path] = true
		sum := sha256.Sum256(sink.Files[e.Path])
		if e.SHA256 != hex.EncodeToString(sum[:]) || e.Size != len(sink.Files[e.Path]) {
			t.Errorf("manifest.json is wrong about %s", e.Path)
		}
		if hashed := hashedName.MatchString(strings.TrimSuffix(strings.TrimSuffix(e.Path, ".gz"), ".br")); hashed != (e.Class == "immutable") {
			t.Errorf("%s has class %s", e.Path, e.Class)
		}
	}
	for _, name := range sink.Names() {
		if !listed[name] && name != "manifest.json" {
			t.Errorf("manifest.json does not list %s", name)
		}
	}

	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(sink.Files["sitemap.xml"], &sm); err != nil {
		t.Fatal(err)
	}
	var locs, want []string
	for _, u := range sm.URLs {
		locs = append(locs, u.Loc)
	}
	for _, p := range pages {
		if p != "404.html" {
			want = append(want, "https://yjsgk.example.gov.cn/"+strings.TrimSuffix(p, "index.html"))
		}
	}
	slices.Sort(want)
	if strings.Join(locs, "\n") != strings.Join(want, "\n") {
		t.Errorf("sitemap.xml lists\n%s\nwant every page but 404.html:\n%s", strings.Join(locs, "\n"), strings.Join(want, "\n"))
	}
}

// tree reads every file under dir.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// buildDir builds site into dir as the CLI does: through a DirSink,
// committed with the retained assets kept.
func buildDir(t *testing.T, site fs.FS, dir string) (generator.Result, publish.Stats) {
	t.Helper()
	sink, err := publish.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := generator.Build(context.Background(), generator.Config{Site: site, Theme: disclose.Theme(), Sink: sink,
		Minify: true, Precompress: true, Previous: os.DirFS(dir), SourceDate: time.Unix(1584000000, 0)})
	if err != nil {
		sink.Abort()
		t.Fatalf("build: %v", err)
	}
	st, err := sink.Commit(func(n string) bool { return slices.Contains(res.Retained, n) })
	if err != nil {
		t.Fatal(err)
	}
	return res, st
}

// TestReproducibleTree (must show 2): two builds into fresh folders, one
// with GOMAXPROCS=1 and one with 8, give byte-identical trees.
func TestReproducibleTree(t *testing.T) {
	site := os.DirFS("..")
	a, b := t.TempDir(), t.TempDir()
	prev := runtime.GOMAXPROCS(1)
	buildDir(t, site, a)
	runtime.GOMAXPROCS(8)
	buildDir(t, site, b)
	runtime.GOMAXPROCS(prev)
	ta, tb := tree(t, a), tree(t, b)
	if len(ta) < 20 {
		t.Fatalf("only %d files", len(ta))
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between GOMAXPROCS=1 and 8", name)
		}
	}
	for name := range tb {
		if _, ok := ta[name]; !ok {
			t.Errorf("%s only in one build", name)
		}
	}
	for name, data := range ta {
		if strings.HasSuffix(name, ".gz") {
			if zr, err := gzip.NewReader(bytes.NewReader(data)); err != nil || !zr.ModTime.IsZero() || zr.Name != "" {
				t.Errorf("%s: gzip header carries a name or a time", name)
			}
		}
	}
}

// exampleCopy copies the example content into a site folder that a test
// may change.
func exampleCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS("../content")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// snapshot is every file under dir with its content and mtime.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// A folder's mtime changes when a build stages files inside
			// it; sync tools compare files.
			fmt.Fprintf(&b, "%s/\n", p)
			return nil
		}
		info, _ := d.Info()
		data, _ := os.ReadFile(p)
		sum := sha256.Sum256(data)
		fmt.Fprintf(&b, "%s %x %d\n", p, sum[:8], info.ModTime().UnixNano())
		return nil
	})
	return b.String()
}

// failingSink passes the first n files to a sink, then fails.
type failingSink struct {
	publish.Sink
	n  int
	mu chanMutex
}

type chanMutex chan struct{}

func (f *failingSink) WriteFile(name string, data []byte) error {
	f.mu <- struct{}{}
	defer func() { <-f.mu }()
	if f.n == 0 {
		return errors.New("disk full (injected)")
	}
	f.n--
	return f.Sink.WriteFile(name, data)
}

// TestFailedBuildLeavesOutput (must show 3): a build that fails after any
// number of files, or is interrupted, leaves the previous output exactly
// as it was (bytes and mtimes); a removed page disappears after the next
// build; a replaced stylesheet's old hashed file is kept one more build.
func TestFailedBuildLeavesOutput(t *testing.T) {
	src := exampleCopy(t)
	out := filepath.Join(src, "public")
	res, _ := buildDir(t, os.DirFS(src), out)
	before := snapshot(t, out)

	// Change the content, so a failed build would have had things to write.
	data := filepath.Join(src, "content/panjin-zhcs/2020/budget/01-overview.md")
	old, _ := os.ReadFile(data)
	os.WriteFile(data, append(old, []byte("\n补充说明。\n")...), 0o644)

	for n := 0; n < res.Files; n += 3 {
		sink, err := publish.OpenDir(out)
		if err != nil {
			t.Fatal(err)
		}
		_, err = generator.Build(context.Background(), generator.Config{Site: os.DirFS(src), Theme: disclose.Theme(),
			Sink: &failingSink{Sink: sink, n: n, mu: make(chanMutex, 1)}, Minify: true, Precompress: true, Previous: os.DirFS(out),
			// As buildDir: without the date, sitemap.xml is too small to
			// precompress and the build writes two files fewer than n may ask.
			SourceDate: time.Unix(1584000000, 0)})
		if err == nil || !strings.Contains(err.Error(), "injected") {
			t.Fatalf("failing after %d files: err = %v", n, err)
		}
		sink.Abort()
		if after := snapshot(t, out); after != before {
			t.Fatalf("a build failing after %d of %d files changed the output", n, res.Files)
		}
	}

	// Interrupted: the context ends after the first page.
	sink, _ := publish.OpenDir(out)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := generator.Build(ctx, generator.Config{Site: os.DirFS(src), Theme: disclose.Theme(), Sink: sink,
		Progress: func(done, total int) { cancel() }, Minify: true, Previous: os.DirFS(out)})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted build: err = %v", err)
	}
	sink.Abort()
	if snapshot(t, out) != before {
		t.Fatal("an interrupted build changed the output")
	}

	// A removed disclosure's page goes; the body page no longer links it.
	os.RemoveAll(filepath.Join(src, "content/panjin-zhcs/2020"))
	buildDir(t, os.DirFS(src), out)
	if _, err := os.Stat(filepath.Join(out, "panjin-zhcs/2020/budget/index.html")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the removed disclosure's page is still there (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(out, "panjin-zhcs/2020")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("the removed disclosure's folder is still there")
	}

	// A changed stylesheet: the old hashed file stays one more build.
	oldCSS, _ := filepath.Glob(filepath.Join(out, "static/css/site.*.css"))
	if len(oldCSS) != 1 {
		t.Fatalf("stylesheets %v", oldCSS)
	}
	os.MkdirAll(filepath.Join(src, "static/css"), 0o755)
	css, _ := fs.ReadFile(disclose.Theme(), "static/css/site.css")
	os.WriteFile(filepath.Join(src, "static/css/site.css"), append(css, "\n.new { color: #000; }\n"...), 0o644)
	res, _ = buildDir(t, os.DirFS(src), out)
	rel, _ := filepath.Rel(out, oldCSS[0])
	if !slices.Contains(res.Retained, filepath.ToSlash(rel)) {
		t.Errorf("retained %v, want %s", res.Retained, rel)
	}
	if _, err := os.Stat(oldCSS[0]); err != nil {
		t.Errorf("the previous stylesheet was removed at once: %v", err)
	}
	os.WriteFile(filepath.Join(src, "static/css/site.css"), append(css, "\n.newer { color: #000; }\n"...), 0o644)
	buildDir(t, os.DirFS(src), out)
	if _, err := os.Stat(oldCSS[0]); !errors.Is(err, fs.ErrNotExist) {
		t.Error("the stylesheet of two builds ago is still there")
	}
	if now, _ := filepath.Glob(filepath.Join(out, "static/css/site.*.css")); len(now) != 2 {
		t.Errorf("stylesheets after three builds: %v, want the current and the previous", now)
	}
}

// TestSubPathBaseURL (must show 4): built for
// https://czj.example.gov.cn/yjsgk/, every internal reference of every
// page, stylesheet, sitemap and headers rule is under /yjsgk/ and resolves
// to a file of the output, and every #anchor to an element of its page.
func TestSubPathBaseURL(t *testing.T) {
	const base = "https://czj.example.gov.cn/yjsgk/"
	for _, minify := range []bool{false, true} {
		sink := publish.NewMapSink()
		_, err := generator.Build(context.Background(), generator.Config{Site: os.DirFS(".."), Theme: disclose.Theme(), Sink: sink,
			BaseURL: base, Minify: minify})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]map[string]bool{}
		idRE := regexp.MustCompile(`\sid=(?:"([^"]*)"|([^\s>"]+))`)
		for name, data := range sink.Files {
			if strings.HasSuffix(name, ".html") {
				ids[name] = map[string]bool{}
				for _, m := range idRE.FindAllSubmatch(data, -1) {
					ids[name][string(m[1])+string(m[2])] = true
				}
			}
		}
		checked := 0
		check := func(from, ref string) {
			checked++
			u, err := url.Parse(ref)
			if err != nil {
				t.Errorf("%s: bad URL %q", from, ref)
				return
			}
			if u.Scheme == "mailto" || (u.Host != "" && u.Host != "czj.example.gov.cn") {
				return
			}
			target := from
			if u.Path != "" || u.Host != "" {
				p := u.Path
				if !strings.HasPrefix(p, "/") {
					p = path.Join("/yjsgk/", path.Dir(from), p) + map[bool]string{true: "/"}[strings.HasSuffix(p, "/")]
				}
				if !strings.HasPrefix(p, "/yjsgk/") {
					t.Errorf("%s: %s is not under /yjsgk/", from, ref)
					return
				}
				target = strings.TrimPrefix(p, "/yjsgk/")
				if target == "" || strings.HasSuffix(target, "/") {
					target += "index.html"
				}
			}
			if _, ok := sink.Files[target]; !ok {
				t.Errorf("%s: %s → %s does not exist", from, ref, target)
				return
			}
			if u.Fragment != "" && ids[target] != nil && !ids[target][u.Fragment] {
				t.Errorf("%s: %s: no id %q on %s", from, ref, u.Fragment, target)
			}
		}
		for name, data := range sink.Files {
			switch {
			case strings.HasSuffix(name, ".html"):
				for _, e := range elements(data) {
					for _, k := range []string{"href", "src"} {
						if v, ok := e.attrs[k]; ok {
							check(name, v)
						}
					}
				}
			case strings.HasSuffix(name, ".css"):
				for _, m := range cssURLRE.FindAllSubmatch(data, -1) {
					check(name, string(m[1])+string(m[2]))
				}
			case name == "sitemap.xml":
				for _, m := range regexp.MustCompile(`<loc>([^<]+)</loc>`).FindAllSubmatch(data, -1) {
					if !strings.HasPrefix(string(m[1]), base) {
						t.Errorf("sitemap.xml: %s is not under %s", m[1], base)
					}
					check(name, string(m[1]))
				}
			case name == "robots.txt":
				if !bytes.Contains(data, []byte("Sitemap: "+base+"sitemap.xml")) {
					t.Errorf("robots.txt: %s", data)
				}
			case name == "_headers":
				for _, line := range strings.Split(string(data), "\n") {
					if strings.HasPrefix(line, "/") && !strings.HasPrefix(line, "/yjsgk/") {
						t.Errorf("_headers rule %s is not under /yjsgk/", line)
					}
				}
			}
		}
		if checked < 100 {
			t.Errorf("only %d references checked", checked)
		}
		home := string(sink.Files["index.html"])
		if !strings.Contains(home, base) || !strings.Contains(home, "/yjsgk/static/css/site.") {
			t.Errorf("home page lacks the canonical address or the sub-path stylesheet")
		}
	}
}

// site is a small site folder for link and CSP errors.
func site(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"content/site.toml":                  {Data: []byte("title = \"测试站\"\nbase_url = \"https://czj.example.gov.cn/yjsgk/\"\n")},
		"content/demo/body.toml":             {Data: []byte("name = \"示例局\"\n")},
		"content/demo/2020/budget/data.toml": {Data: []byte("unit = \"万元\"\n")},
	}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

// TestBuildRejectsBadLinks: a broken link or anchor, or what a strict CSP
// blocks, fails the build with the Markdown file and line, or the layout
// line, that wrote it; nothing reaches a DirSink.
func TestBuildRejectsBadLinks(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"markdown links", map[string]string{
			"content/demo/2020/budget/01.md": "+++\ntitle = \"概况\"\n+++\n\n## 职责\n\n见[名词解释](/glossary/)、[职责](#职责)和[上年](/demo/2019/budget/)。\n\n另见[说明](#说明)，[总表](02-tables.md)。\n",
		}, []string{
			"content/demo/2020/budget/01.md:7:36: 错误: 链接 /demo/2019/budget/ 指向的页面或文件 demo/2019/budget/index.html 不存在 [link.broken]",
			"content/demo/2020/budget/01.md:9:8: 错误: 链接 #说明 指向本页的锚点，但本页没有 id 为 \"说明\" 的位置（小标题的锚点是去掉标点的标题文字，也可以用 {#id} 指定） [link.anchor]",
			"content/demo/2020/budget/01.md:9:18: 错误: 链接 02-tables.md 指向 Markdown 文件：网站上一份公开文件的各部分合为一页，请改为指向页面或锚点（如 #overview） [link.markdown]",
		}},
		{"raw html the site allowed", map[string]string{
			"content/site.toml":              "title = \"测试站\"\n[markdown]\nunsafe_html = true\n",
			"content/demo/2020/budget/01.md": "+++\ntitle = \"概况\"\n+++\n\n<p style=\"color:red\">红字</p>\n\n<script>alert(1)</script>\n",
		}, []string{
			"content/demo/2020/budget/01.md:5:4: 错误: style 属性会被内容安全策略（CSP）拦截：样式请写在 static/ 下的 CSS 文件中，用 class 引用 [csp.style-attr]",
			"content/demo/2020/budget/01.md:7:1: 错误: 内联 <script> 会被内容安全策略（CSP）拦截：脚本请放在 static/ 下的 .js 文件中，用 <script src=\"{{asset \"js/….js\"}}\"> 引用 [csp.inline-script]",
		}},
		{"a site's layout", map[string]string{
			"content/demo/2020/budget/01.md": "+++\ntitle = \"概况\"\n+++\n\n正文。\n",
			"layouts/partials/header.html":   "{{define \"header\"}}\n<header>\n<a href=\"{{url \"about/\"}}\">关于</a>\n<img src=\"https://tongji.example.com/t.gif\" alt=\"\">\n</header>\n{{end}}\n",
		}, []string{
			"layouts/partials/header.html:3:17: 错误: 链接 /yjsgk/about/ 指向的页面或文件 about/index.html 不存在（生成的页面 404.html 第 18 行，共 7 个页面） [link.broken]",
			"layouts/partials/header.html:4:11: 错误: 引用了外部网站的资源 https://tongji.example.com/t.gif：政府网站不应加载第三方资源，内容安全策略（CSP）也会拦截它；请把文件放到站点的 static/ 下（生成的页面 404.html 第 19 行，共 7 个页面） [csp.third-party]",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			sink, _ := publish.OpenDir(out)
			res, err := generator.Build(context.Background(), generator.Config{Site: site(tt.files), Theme: disclose.Theme(), Sink: sink})
			sink.Abort()
			if err == nil {
				t.Fatal("the build succeeded")
			}
			var got []string
			for _, d := range res.Diagnostics {
				got = append(got, d.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Errorf("the output folder has %d entries", len(entries))
			}
		})
	}
}

// TestGovernmentFooter: the publisher's facts from site.toml are in every
// page's metadata and footer, with their links; the 党政机关网站标识 is the
// site's own image, or a text badge and a warning until there is one.
func TestGovernmentFooter(t *testing.T) {
	files := map[string]string{
		"content/site.toml": `title = "某市预决算公开平台"
base_url = "https://czj.example.gov.cn/yjsgk/"
[publisher]
name = "某市财政局"
site_name = "某市财政局网站"
site_id_code = "2100000001"
icp = "辽ICP备00000001号"
public_security = "辽公网安备 21000000000001号"
contact = "0427-0000000"
column_name = "预决算公开"
conac_id = "bm00000001"
`,
		"content/demo/2020/budget/data.toml": "unit = \"万元\"\npublished = 2020-03-30\n",
		"content/demo/2020/budget/01.md":     "+++\ntitle = \"概况\"\n+++\n\n正文。\n",
	}
	for _, withImage := range []bool{false, true} {
		fsys := site(files)
		if withImage {
			fsys["static/img/conac.png"] = &fstest.MapFile{Data: []byte("\x89PNG official badge")}
		}
		sink := publish.NewMapSink()
		res, err := generator.Build(context.Background(), generator.Config{Site: fsys, Theme: disclose.Theme(), Sink: sink})
		if err != nil {
			t.Fatal(err)
		}
		page := string(sink.Files["demo/2020/budget/index.html"])
		for _, want := range []string{
			`<meta name="SiteName" content="某市财政局网站">`, `<meta name="SiteDomain" content="czj.example.gov.cn">`,
			`<meta name="SiteIDCode" content="2100000001">`, `<meta name="ColumnName" content="部门预算">`,
			`<meta name="ArticleTitle" content="示例局2020年度部门预算">`, `<meta name="PubDate" content="2020-03-30">`,
			`<meta name="ContentSource" content="示例局">`, `<link rel="canonical" href="https://czj.example.gov.cn/yjsgk/demo/2020/budget/">`,
			`主办单位：某市财政局`, `网站标识码：2100000001`, `<a href="https://beian.miit.gov.cn/" rel="noopener">辽ICP备00000001号</a>`,
			`<a href="https://beian.mps.gov.cn/#/query/webSearch?code=21000000000001" rel="noopener">辽公网安备 21000000000001号</a>`,
			`<a class="conac" href="https://bszs.conac.cn/sitename?method=show&amp;id=bm00000001" rel="noopener">`,
			`<a href="/yjsgk/sitemap/">网站地图</a>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("image %v: page lacks %s", withImage, want)
			}
		}
		warned := strings.Contains(fmt.Sprint(res.Diagnostics), "site.conac-image")
		image := regexp.MustCompile(`<img src="/yjsgk/static/img/conac\.[0-9a-f]{8}\.png" alt="党政机关网站标识"`).MatchString(page)
		text := strings.Contains(page, `<span class="conac-text">党政机关</span>`)
		if warned == withImage || image != withImage || text == withImage {
			t.Errorf("image %v: warned %v, image shown %v, text badge %v", withImage, warned, image, text)
		}
		if home := string(sink.Files["index.html"]); !strings.Contains(home, `<meta name="ColumnName" content="预决算公开">`) || strings.Contains(home, "ArticleTitle") {
			t.Error("home page metadata")
		}
	}
}

// TestOutputSizes prints the bytes of HTML, CSS and JS per page type
// before and after minifying and gzip (must show 6); run with -v to see
// the table. Minifying must shrink every type.
func TestOutputSizes(t *testing.T) {
	build := func(minify bool) *publish.MapSink {
		sink := publish.NewMapSink()
		if _, err := generator.Build(context.Background(), generator.Config{Site: os.DirFS(".."), Theme: disclose.Theme(), Sink: sink, Minify: minify}); err != nil {
			t.Fatal(err)
		}
		return sink
	}
	raw, min := build(false), build(true)
	gz := func(data []byte) int {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(data)
		w.Close()
		return b.Len()
	}
	// kind names the type of an output file: the page kind, or the asset.
	kind := func(name string) string {
		switch parts := strings.Split(name, "/"); {
		case name == "index.html":
			return "HTML home"
		case name == "404.html":
			return "HTML 404"
		case name == "glossary/index.html", name == "sitemap/index.html":
			return "HTML " + parts[0]
		case len(parts) == 2 && parts[1] == "index.html":
			return "HTML body"
		case len(parts) == 4 && parts[3] == "index.html":
			return "HTML disclosure"
		case strings.HasSuffix(name, ".css"), strings.HasSuffix(name, ".js"):
			stem := hashedName.ReplaceAllString(path.Base(name), path.Ext(name))
			return strings.ToUpper(strings.TrimPrefix(path.Ext(name), ".")) + " " + stem
		}
		return ""
	}
	type sizes struct{ files, raw, min, rawGz, minGz int }
	rows := map[string]*sizes{}
	add := func(sink *publish.MapSink, minified bool) {
		for _, name := range sink.Names() {
			k := kind(name)
			if k == "" {
				continue
			}
			r := rows[k]
			if r == nil {
				r = &sizes{}
				rows[k] = r
			}
			data := sink.Files[name]
			if minified {
				r.min += len(data)
				r.minGz += gz(data)
			} else {
				r.files++
				r.raw += len(data)
				r.rawGz += gz(data)
			}
		}
	}
	add(raw, false)
	add(min, true)
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "type\tfiles\tbytes\tminified\tgzip\tminified+gzip\t")
	kinds := slices.Sorted(maps.Keys(rows))
	for _, k := range kinds {
		r := rows[k]
		pct := func(n int) string { return fmt.Sprintf("%d (%.0f%%)", n, 100*float64(n)/float64(r.raw)) }
		fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%s\t%s\t\n", k, r.files, r.raw, pct(r.min), pct(r.rawGz), pct(r.minGz))
		if r.min == 0 || r.min >= r.raw || r.minGz >= r.min || r.minGz > r.rawGz {
			t.Errorf("%s: %+v", k, *r)
		}
	}
	w.Flush()
	for _, want := range []string{"HTML home", "HTML body", "HTML disclosure", "HTML glossary", "HTML sitemap", "HTML 404", "CSS site.css"} {
		if rows[want] == nil {
			t.Errorf("no %s in the build", want)
		}
	}
	t.Logf("output sizes, bytes summed over the files of each type (go test ./generator -run TestOutputSizes -v):\n%s", b.String())
}
