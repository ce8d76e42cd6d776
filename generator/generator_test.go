package generator_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/publish"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// buildExample builds the repository's example site into memory.
func buildExample(t *testing.T) (*publish.MapSink, generator.Result) {
	t.Helper()
	sink := publish.NewMapSink()
	res, err := generator.Build(context.Background(), generator.Config{Site: os.DirFS(".."), Theme: disclose.Theme(), Sink: sink})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return sink, res
}

// TestExampleGolden compares every page of the example with its golden
// file. Run go test ./generator -update to accept a change.
func TestExampleGolden(t *testing.T) {
	sink, _ := buildExample(t)
	for _, name := range sink.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(name, "/", "__"))
		got := sink.Files[name]
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: no golden file (run go test ./generator -update): %v", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run go test ./generator -update to accept):\n%s", name, golden, firstDiff(want, got))
		}
	}
}

func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n- " + w + "\n+ " + g
		}
	}
	return ""
}

// TestExamplePages checks what the foundation issue asks of the example:
// every kind of page, and the 盘锦 2020 figures as published.
func TestExamplePages(t *testing.T) {
	sink, res := buildExample(t)
	for _, name := range []string{"index.html", "panjin-zhcs/index.html", "panjin-zhcs/2020/budget/index.html", "glossary/index.html", "sitemap/index.html", "search/index.html", "404.html"} {
		if sink.Files[name] == nil {
			t.Errorf("missing %s", name)
		}
	}
	if css, _ := fs.Glob(sink.FS(), "static/css/site.*.css"); len(css) != 1 {
		t.Errorf("static/css/site.css is published as %v, want one hashed name", css)
	}
	// home, glossary, sitemap, search, 404; two bodies; the 盘锦 budget and
	// the synthetic body's two budgets and two final accounts.
	if res.Pages != 12 {
		t.Errorf("pages = %d, want 12", res.Pages)
	}
	for _, name := range []string{"demo-00005-cgj/2023/budget/index.html", "demo-00005-cgj/2023/final/index.html", "demo-00005-cgj/2024/budget/index.html", "demo-00005-cgj/2024/final/index.html"} {
		if !bytes.Contains(sink.Files[name], []byte("示例数据（虚构）")) {
			t.Errorf("%s missing or not marked 示例数据（虚构）", name)
		}
	}
	// The figures as readers read them: glossary marks are links around
	// words, not part of the text.
	page := termLinks.ReplaceAllString(string(sink.Files["panjin-zhcs/2020/budget/index.html"]), "$1")
	for _, want := range []string{
		"收入预算2966.24万元", "基本支出572.24万元", "项目支出2394万元", "（二）支出预算2944.24万元",
		"收入减少168.97万元，增下降5.43%", "支出减少168.97万元，减少5.43%",
		// 三公, as published, with its 2019 comparison
		"“三公”经费预算支出安排5万元，比2019年度减少4万元，下降44.44%",
		"因公出国（境）费0万元，与2019年持平", "公务接待费0万元，比2019年度持平",
		"公务用车运行费5万元，比2019年度减少4万元，下降44.44%",
		// 机关运行经费 and its 9 items
		"机关运行经费预算安排51.23万元，比2019年预算减少0.39万元，下降0.76%",
		"办公费16万元、印刷费4.52万元、差旅费8万元、维修费5万元、工会经费7.03万元、会议费2万元、委托业务费3万元、福利费0.68万元、公务用车运行维护费5万元",
		"政府采购预算582万元", "容灾备份中心购买服务320万元", "资产总额920.37万元", "涉及资金2394万元", "为100%",
		`<td class="num money">2,966.24</td>`, `<td class="num money">2,944.24</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("disclosure page lacks %q", want)
		}
	}
	units := []struct {
		name  string
		staff string
	}{{"综合办公室", "11"}, {"发展规划科", "6"}, {"网络安全科", "6"}, {"数据资源科", "6"}, {"智慧应用科", "8"},
		{"网格管理科", "6"}, {"城市运管科", "9"}, {"社会信用科", "5"}, {"大数据设施管理科", "6"}}
	for _, u := range units {
		row := `<th scope="row">` + u.name + `</th>`
		i := strings.Index(page, row)
		if i < 0 {
			t.Errorf("机构 table lacks %s", u.name)
			continue
		}
		if !strings.Contains(page[i:i+300], `<td class="num">`+u.staff+`</td>`) {
			t.Errorf("%s: 人员编制 %s not in its row", u.name, u.staff)
		}
	}
	glossary := string(sink.Files["glossary/index.html"])
	if n := strings.Count(glossary, `<div class="term" id="term-`); n != 19 {
		t.Errorf("glossary page has %d terms, want the seed's 19", n)
	}
	home := string(sink.Files["index.html"])
	if !strings.Contains(home, "2,966.24万元") {
		t.Error("home page does not show the disclosure's income total")
	}
	// A final account's spending is its 本年支出合计 (7,017.51), as the
	// body page's chart has it, not 支出总计 with 年末结转和结余 (8,232.37).
	if !strings.Contains(home, `<td class="num">7,017.51万元</td></tr>`) || strings.Contains(home, "8,232.37") {
		t.Error("home page does not show the 2024 final account's 本年支出合计")
	}
}

// termLinks matches a glossary mark, capturing its text.
var termLinks = regexp.MustCompile(`<a class="gl-term"[^>]*>([^<]*)</a>`)

// TestDeterministic builds the example twice, with different parallelism,
// and expects the same bytes.
func TestDeterministic(t *testing.T) {
	a, _ := buildExample(t)
	prev := runtime.GOMAXPROCS(1)
	b, _ := buildExample(t)
	runtime.GOMAXPROCS(8)
	c, _ := buildExample(t)
	runtime.GOMAXPROCS(prev)
	for _, other := range []*publish.MapSink{b, c} {
		if strings.Join(a.Names(), "\n") != strings.Join(other.Names(), "\n") {
			t.Fatal("builds wrote different file sets")
		}
		for name, data := range a.Files {
			if !bytes.Equal(data, other.Files[name]) {
				t.Errorf("%s differs between builds", name)
			}
		}
	}
}

// TestContentErrorStopsBuild: a reference to a missing figure fails the
// build with file:line:column, and no page reaches the sink.
func TestContentErrorStopsBuild(t *testing.T) {
	fsys := fstest.MapFS{
		"content/site.toml":                  {Data: []byte("title = \"t\"\n")},
		"content/demo/body.toml":             {Data: []byte("name = \"示例局\"\n")},
		"content/demo/2020/budget/data.toml": {Data: []byte("unit = \"万元\"\n[[table]]\nkind = \"sangong_list\"\nrows = [{ id = \"total\", amount = 5 }]\n")},
		"content/demo/2020/budget/01.md":     {Data: []byte("+++\ntitle = \"说明\"\n+++\n\n三公{{三公.合计}}，接待{{三公.公务招待费}}。\n")},
	}
	sink := publish.NewMapSink()
	res, err := generator.Build(context.Background(), generator.Config{Site: fsys, Theme: disclose.Theme(), Sink: sink})
	var ce *diag.ContentError
	if err == nil || !strings.Contains(err.Error(), "content/demo/2020/budget/01.md:5:15: 错误: 引用 {{三公.公务招待费}}") {
		t.Fatalf("err = %v", err)
	}
	if !errors.As(err, &ce) || res.Diagnostics.Count(diag.Error) != 1 {
		t.Errorf("want one content error, got %v", res.Diagnostics)
	}
	for _, n := range sink.Names() {
		if n == "demo/2020/budget/index.html" {
			t.Error("the failing page was written")
		}
	}
}

// TestMarkdownImage: an image of the site's static/ folder, written in a
// section as the editor's guide shows it, is published at its hashed name,
// under the site's sub-path; in the preview, at its own name.
func TestMarkdownImage(t *testing.T) {
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>`)
	fsys := fstest.MapFS{
		"content/site.toml":                  {Data: []byte("title = \"t\"\nbase_url = \"https://czj.example.gov.cn/yjsgk/\"\n")},
		"content/demo/body.toml":             {Data: []byte("name = \"示例局\"\n")},
		"content/demo/2020/budget/data.toml": {Data: []byte("unit = \"万元\"\n[[table]]\nkind = \"sangong_list\"\nrows = [{ id = \"total\", amount = 5 }]\n")},
		"content/demo/2020/budget/01.md":     {Data: []byte("+++\ntitle = \"概况\"\n+++\n\n![组织机构图](/static/img/org.svg)\n")},
		"static/img/org.svg":                 {Data: svg},
	}
	for _, preview := range []bool{false, true} {
		sink := publish.NewMapSink()
		if _, err := generator.Build(context.Background(), generator.Config{Site: fsys, Theme: disclose.Theme(), Sink: sink, Preview: preview}); err != nil {
			t.Fatalf("preview %t: %v", preview, err)
		}
		img := regexp.MustCompile(`<img src="(/yjsgk/static/img/org[^"]*)"`).FindStringSubmatch(string(sink.Files["demo/2020/budget/index.html"]))
		if img == nil {
			t.Fatalf("preview %t: no image in the page", preview)
		}
		if name := strings.TrimPrefix(img[1], "/yjsgk/"); sink.Files[name] == nil || !preview && name == "static/img/org.svg" {
			t.Errorf("preview %t: the image is at %s, files %v", preview, img[1], sink.Names())
		}
	}
}

// TestRootFiles: the files of the site's root/ folder are published at
// the same path from the site's root, byte for byte (a search engine
// compares a verification file so), but for names that start with a dot;
// a page may link to them. One where the build writes a file or a folder
// stops the build, named as the root/ file.
func TestRootFiles(t *testing.T) {
	verify := []byte("<html>  baidu-site-verification: codeva-ABC  </html>\n")
	site := func(extra ...string) fstest.MapFS {
		fsys := fstest.MapFS{
			"content/site.toml":                  {Data: []byte("title = \"t\"\nbase_url = \"https://czj.example.gov.cn/\"\n")},
			"content/demo/body.toml":             {Data: []byte("name = \"示例局\"\n")},
			"content/demo/2020/budget/data.toml": {Data: []byte("unit = \"万元\"\n[[table]]\nkind = \"sangong_list\"\nrows = [{ id = \"total\", amount = 5 }]\n")},
			"content/demo/2020/budget/01.md":     {Data: []byte("+++\ntitle = \"概况\"\n+++\n\n[批复文件](/files/pifu.txt)\n")},
			"root/baidu_verify_codeva-ABC.html":  {Data: verify},
			"root/favicon.ico":                   {Data: []byte{0, 0, 1, 0}},
			"root/files/pifu.txt":                {Data: []byte("批复")},
			"root/.well-known/security.txt":      {Data: []byte("Contact: x")},
			"root/.DS_Store":                     {Data: []byte("x")},
		}
		for _, name := range extra {
			fsys[name] = &fstest.MapFile{Data: []byte("x")}
		}
		return fsys
	}
	for _, preview := range []bool{false, true} {
		sink := publish.NewMapSink()
		if _, err := generator.Build(context.Background(), generator.Config{Site: site(), Theme: disclose.Theme(), Sink: sink, Minify: true, Precompress: true, Preview: preview}); err != nil {
			t.Fatalf("preview %t: %v", preview, err)
		}
		for name, want := range map[string][]byte{"baidu_verify_codeva-ABC.html": verify, "favicon.ico": {0, 0, 1, 0}, "files/pifu.txt": []byte("批复")} {
			if got := sink.Files[name]; !bytes.Equal(got, want) {
				t.Errorf("preview %t: %s = %q, want %q", preview, name, got, want)
			}
		}
		for _, name := range sink.Names() {
			if strings.Contains(name, ".well-known") || strings.Contains(name, "DS_Store") || strings.HasPrefix(name, "root/") {
				t.Errorf("preview %t: published %s", preview, name)
			}
		}
	}

	// Every name at the root of a built site, file or folder, and a file
	// in each folder, clashes; so do other cases of a name, precompressed
	// copies and sitemap parts. check says so as build does.
	sink := publish.NewMapSink()
	if _, err := generator.Build(context.Background(), generator.Config{Site: site(), Theme: disclose.Theme(), Sink: sink}); err != nil {
		t.Fatal(err)
	}
	clashes := map[string]bool{"root/INDEX.HTML": true, "root/Robots.txt": true, "root/robots.txt.gz": true, "root/sitemap-2.xml": true, "root/Sitemap-3.XML.br": true, "root/index.html/x": true,
		"root/demo/2020/budget/index.html/x": true}
	for _, name := range sink.Names() {
		top, _, nested := strings.Cut(name, "/")
		if !strings.HasPrefix(name, "favicon") && !strings.HasPrefix(name, "baidu") && top != "files" {
			clashes["root/"+top] = true
			if nested {
				clashes["root/"+top+"/x.txt"] = true
			}
		}
	}
	if len(clashes) < 20 {
		t.Fatalf("only %d names to try: %v", len(clashes), sink.Names())
	}
	for _, clash := range slices.Sorted(maps.Keys(clashes)) {
		_, err := generator.Build(context.Background(), generator.Config{Site: site(clash), Theme: disclose.Theme(), Sink: publish.NewMapSink(), Minify: true})
		var ce *diag.ContentError
		if !errors.As(err, &ce) || !oneError(ce.List, clash, "root.generated") {
			t.Errorf("build with %s: %v", clash, err)
		}
		if loaded := checkLoaded(t, site(clash), disclose.Theme()); !oneError(loaded, clash, "root.generated") {
			t.Errorf("check with %s: %v", clash, loaded)
		}
	}
	// Names a URL does not carry as they are.
	// And names Windows cannot hold: a trailing dot, a device name.
	for _, bad := range []string{"root/a b.txt", "root/批复.pdf", "root/q?x.txt", "root/files/#1.txt",
		"root/x.", "root/files./a.txt", "root/CON", "root/nul.txt", "root/com1.html", "root/Lpt9/a.txt"} {
		_, err := generator.Build(context.Background(), generator.Config{Site: site(bad), Theme: disclose.Theme(), Sink: publish.NewMapSink()})
		var ce *diag.ContentError
		if !errors.As(err, &ce) || !oneError(ce.List, bad, "root.name") {
			t.Errorf("build with %s: %v", bad, err)
		}
	}
	// Names that differ only in case would overwrite each other where case
	// is ignored: the later of the two is an error, naming the earlier.
	for _, tt := range []struct{ extra, later, named string }{
		{"root/Favicon.ico", "root/favicon.ico", "root/Favicon.ico"},
		{"root/Files/Pifu.TXT", "root/files/pifu.txt", "root/Files/Pifu.TXT"},
		{"root/FAVICON.ICO/x.txt", "root/favicon.ico", "root/FAVICON.ICO"},
	} {
		extra, later := tt.extra, tt.later
		_, err := generator.Build(context.Background(), generator.Config{Site: site(extra), Theme: disclose.Theme(), Sink: publish.NewMapSink()})
		var ce *diag.ContentError
		if !errors.As(err, &ce) || !oneError(ce.List, later, "root.case") || !slices.ContainsFunc(ce.List, func(d diag.Diagnostic) bool {
			return d.Rule == "root.case" && strings.Contains(d.Message, tt.named+" 只差大小写")
		}) {
			t.Errorf("build with %s: %v", extra, err)
		}
		if loaded := checkLoaded(t, site(extra), disclose.Theme()); !oneError(loaded, later, "root.case") {
			t.Errorf("check with %s: %v", extra, loaded)
		}
	}
	// Folders that differ in case hold different files: nothing is lost.
	// Names like a device's are not one.
	for _, fine := range []string{"root/FILES/other.txt", "root/console.txt", "root/com10.txt", "root/lpt0", "root/a.b.c"} {
		if _, err := generator.Build(context.Background(), generator.Config{Site: site(fine), Theme: disclose.Theme(), Sink: publish.NewMapSink()}); err != nil {
			t.Errorf("build with %s: %v", fine, err)
		}
	}
	// A .well-known folder is left out, and said so.
	res, err := generator.Build(context.Background(), generator.Config{Site: site(), Theme: disclose.Theme(), Sink: publish.NewMapSink()})
	if err != nil || !slices.ContainsFunc(res.Diagnostics, func(d diag.Diagnostic) bool { return d.Rule == "root.hidden" && d.Severity == diag.Warning }) {
		t.Errorf("no warning for root/.well-known: %v %v", err, res.Diagnostics)
	}
}

// oneError reports whether ds holds one error, of rule at file.
func oneError(ds diag.List, file, rule string) bool {
	return ds.Count(diag.Error) == 1 && slices.ContainsFunc(ds, func(d diag.Diagnostic) bool {
		return d.File == file && d.Rule == rule && d.Severity == diag.Error
	})
}

// TestLayoutErrorOnce: a mistake in a partial every page uses is one
// error, with the number of pages, not one a page, at its line and column.
func TestLayoutErrorOnce(t *testing.T) {
	fsys := exampleFS(t, 0)
	fsys["layouts/partials/footer.html"] = &fstest.MapFile{Data: []byte(`{{define "footer"}}<footer>页脚{{.Site.Nope}}</footer>{{end}}`)}
	res, err := generator.Build(context.Background(), generator.Config{Site: fsys, Theme: disclose.Theme(), Sink: publish.NewMapSink()})
	if err == nil {
		t.Fatal("built with a broken layout")
	}
	layoutOnce(t, "build", res.Diagnostics, "layouts/partials/footer.html:1:37: ", 12)
	// disclose check renders the disclosure pages' tables too (not the
	// base layout), and says a table partial's mistake once.
	fsys["layouts/partials/table.html"] = &fstest.MapFile{Data: []byte(`{{define "table"}}<table>{{.Nope}}</table>{{end}}`)}
	delete(fsys, "layouts/partials/footer.html")
	// A table the Markdown places fails as the layout, not as the reference.
	res, _ = generator.Build(context.Background(), generator.Config{Site: fsys, Theme: disclose.Theme(), Sink: publish.NewMapSink()})
	layoutOnce(t, "build, table partial", res.Diagnostics, "layouts/partials/table.html:1:", 5)
	layoutOnce(t, "check", checkLoaded(t, fsys, disclose.Theme()), "layouts/partials/table.html:1:", 5)
}

// layoutOnce fails the test unless diags hold one layout error, folded
// over the pages it failed, at place, and listed for the site, not one
// disclosure.
func layoutOnce(t *testing.T, what string, diags diag.List, place string, pages int) {
	t.Helper()
	var layout diag.List
	for _, d := range diags {
		if strings.HasPrefix(d.Rule, "layout.") {
			layout = append(layout, d)
		}
	}
	// At the action's column in characters (text/template counts bytes).
	if len(layout) != 1 || !strings.HasSuffix(layout[0].Message, fmt.Sprintf("（共 %d 个页面）", pages)) || !strings.HasPrefix(layout[0].String(), place) || layout[0].Disclosure != "" {
		t.Errorf("%s: layout errors: %v", what, layout)
	}
}

// TestIdentityWarning: a site on a .gov.cn host is told which of the
// numbers a government site's footer must show it leaves out; the
// example's placeholder host and a site with all three are not.
func TestIdentityWarning(t *testing.T) {
	for _, tt := range []struct {
		site string
		want string // "" for no warning
	}{
		{"title = \"t\"\nbase_url = \"https://yjsgk.sy.gov.cn/\"\n", "这里缺少网站标识码（site_id_code）、ICP 备案编号（icp）、公安机关备案号（public_security）"},
		{"title = \"t\"\nbase_url = \"https://yjsgk.sy.gov.cn/\"\n[publisher]\nsite_id_code = \"2100000001\"\nicp = \"辽ICP备00000001号\"\n", "这里缺少公安机关备案号（public_security）"},
		{"title = \"t\"\nbase_url = \"https://yjsgk.sy.gov.cn/\"\n[publisher]\nsite_id_code = \"2100000001\"\nicp = \"辽ICP备00000001号\"\npublic_security = \"辽公网安备 21000000000001号\"\n", ""},
		{"title = \"t\"\nbase_url = \"https://yjsgk.example.gov.cn/\"\n", ""},
		{"title = \"t\"\nbase_url = \"https://budget.example.com/\"\n", ""},
	} {
		fsys := fstest.MapFS{
			"content/site.toml":                  {Data: []byte(tt.site)},
			"content/demo/body.toml":             {Data: []byte("name = \"示例局\"\n")},
			"content/demo/2020/budget/data.toml": {Data: []byte("unit = \"万元\"\n[[table]]\nkind = \"sangong_list\"\nrows = [{ id = \"total\", amount = 5 }]\n")},
		}
		res, err := generator.Build(context.Background(), generator.Config{Site: fsys, Theme: disclose.Theme(), Sink: publish.NewMapSink()})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		for _, d := range res.Diagnostics {
			if d.Rule == "site.identity" {
				got = d.Message
			}
		}
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("%s: warned %q, want %q", tt.site, got, tt.want)
		}
	}
}
