package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/serve"
)

// TestMain keeps the build cache of the tests' builds away from the
// user's: os.UserCacheDir reads XDG_CACHE_HOME (Linux, BSD) or HOME.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "disclose-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	os.Setenv("HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// exampleSite copies the repository's example content into a temporary
// site folder.
func exampleSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

// snapshot records every file of dir with its content hash and mtime.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			snap[rel+"/"] = "dir"
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		snap[rel] = fmt.Sprintf("%x %d", sha256.Sum256(data), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestBuildExample(t *testing.T) {
	src := exampleSite(t)
	code, out, errOut := cli(t, "build", "--src", src)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.Contains(out, "已生成 12 个页面") {
		t.Errorf("summary = %q", out)
	}
	for _, f := range []string{"index.html", "panjin-zhcs/index.html", "panjin-zhcs/2020/budget/index.html", "glossary/index.html", "search/index.html", "404.html"} {
		if _, err := os.Stat(filepath.Join(src, "public", f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	// A second build with no change rewrites nothing, with the build
	// cache or without.
	before := snapshot(t, filepath.Join(src, "public"))
	for _, args := range [][]string{{"--quiet"}, {"--quiet", "--no-cache"}} {
		code, out, _ = cli(t, append([]string{"build", "--src", src}, args...)...)
		if code != exitOK || out != "" {
			t.Fatalf("quiet rebuild %v: exit %d, stdout %q", args, code, out)
		}
		if after := snapshot(t, filepath.Join(src, "public")); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("an unchanged rebuild %v touched the output", args)
		}
	}
}

// TestBuildCache: a build with nothing changed since the last one reports
// what it reported and writes nothing; a change to the content, the
// output folder or the options builds again.
func TestBuildCache(t *testing.T) {
	src := exampleSite(t)
	cache := t.TempDir()
	build := func(args ...string) (string, string) {
		t.Helper()
		code, out, errOut := cli(t, append([]string{"build", "--src", src, "--cache", cache}, args...)...)
		if code != exitOK {
			t.Fatalf("build %v: exit %d\n%s", args, code, errOut)
		}
		return out, errOut
	}
	const cached = "未重新生成"
	out1, err1 := build()
	if strings.Contains(out1, cached) {
		t.Fatalf("first build said %q", out1)
	}
	public := filepath.Join(src, "public")
	before := snapshot(t, public)
	out2, err2 := build()
	if !strings.Contains(out2, cached) || !strings.Contains(out2, "写入 0") {
		t.Errorf("second build: %q", out2)
	}
	// It counts the files of the site, as the first build did.
	files := regexp.MustCompile(`共 (\d+) 个文件`)
	if n1, n2 := files.FindStringSubmatch(out1), files.FindStringSubmatch(out2); n1 == nil || n2 == nil || n1[1] != n2[1] ||
		!strings.Contains(out2, "未变 "+n1[1]) {
		t.Errorf("second build counts %v files, the first %v: %q", n2, n1, out2)
	}
	if err2 != err1 {
		t.Errorf("second build reported\n%s\nnot as the first\n%s", err2, err1)
	}
	if after := snapshot(t, public); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("a cached build touched the output")
	}
	// A deploy repository in the output is the deployer's: a commit there
	// is no reason to build, and its files are not counted as the site's.
	os.MkdirAll(filepath.Join(public, ".git"), 0o755)
	os.WriteFile(filepath.Join(public, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
	took := regexp.MustCompile(`用时 [^ ]+`)
	if out3, _ := build(); took.ReplaceAllString(out3, "") != took.ReplaceAllString(out2, "") {
		t.Errorf("with a .git in the output: %q, want %q", out3, out2)
	}
	// An empty folder made in the output is not the site's: the next build
	// builds, and removes it.
	empty := filepath.Join(public, "glossary", "empty")
	os.Mkdir(empty, 0o755)
	if out4, _ := build(); strings.Contains(out4, cached) {
		t.Errorf("with an empty folder made in the output: %q", out4)
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Errorf("the empty folder made in the output is still there: %v", err)
	}
	// Nor does a build that finds nothing to do look while another writes.
	if runtime.GOOS != "windows" {
		other, err := publish.OpenDir(public)
		if err != nil {
			t.Fatal(err)
		}
		code, _, e := cli(t, "build", "--src", src, "--cache", cache)
		other.Abort()
		if code != exitContent || !strings.Contains(e, "另一个 disclose build 正在写这个输出文件夹") {
			t.Errorf("build while another writes the folder: exit %d, %q", code, e)
		}
	}

	section := filepath.Join(src, "content", "panjin-zhcs", "2020", "budget", "03-explanation.md")
	tests := []struct {
		name   string
		change func()
		args   []string
	}{
		{"a section edited", func() {
			data, _ := os.ReadFile(section)
			os.WriteFile(section, append(data, "\n补充一句。\n"...), 0o644)
		}, nil},
		{"an output file removed", func() { os.Remove(filepath.Join(public, "404.html")) }, nil},
		{"an output file edited", func() { os.WriteFile(filepath.Join(public, "index.html"), []byte("x"), 0o644) }, nil},
		{"a layout added over the theme", func() {
			os.MkdirAll(filepath.Join(src, "layouts", "partials"), 0o755)
			os.WriteFile(filepath.Join(src, "layouts", "partials", "footer.html"), []byte(`{{define "footer"}}<footer>本站页脚</footer>{{end}}`), 0o644)
		}, nil},
		{"other options", func() {}, []string{"--no-minify"}},
		{"no cache", func() {}, []string{"--no-cache"}},
	}
	for _, tt := range tests {
		tt.change()
		out, _ := build(tt.args...)
		if strings.Contains(out, cached) {
			t.Errorf("%s: the build was skipped: %q", tt.name, out)
		}
		if tt.name == "no cache" {
			continue
		}
		// A build that kept the previous build's assets for one more
		// build is followed by one that removes them; then nothing is
		// left to do.
		if strings.Contains(out, "保留到下次构建") {
			if out, _ = build(tt.args...); strings.Contains(out, cached) || !strings.Contains(out, "删除") {
				t.Errorf("%s: the build after one that kept assets: %q", tt.name, out)
			}
		}
		if out, _ := build(tt.args...); !strings.Contains(out, cached) {
			t.Errorf("%s: the same build again was not skipped: %q", tt.name, out)
		}
	}
}

// TestBadInputLeavesOutput: each kind of bad input exits 1, names the file
// and line, and leaves the previous output exactly as it was.
func TestBadInputLeavesOutput(t *testing.T) {
	data := filepath.Join("content", "panjin-zhcs", "2020", "budget", "data.toml")
	section := filepath.Join("content", "panjin-zhcs", "2020", "budget", "03-explanation.md")
	tests := []struct {
		name string
		file string
		edit func(string) string
		want string
	}{
		{"unknown key appended to data.toml", data, func(s string) string { return s + "\namout = 1\n" },
			"content/panjin-zhcs/2020/budget/data.toml:132:1: 错误: 未知的键 amout"},
		{"TOML syntax error", data, func(s string) string { return strings.Replace(s, `unit = "万元"`, `unit = "万元`, 1) },
			"content/panjin-zhcs/2020/budget/data.toml:4:"},
		{"amount with three decimals", data, func(s string) string { return strings.Replace(s, "amount = 572.24", "amount = 572.245", 1) },
			"content/panjin-zhcs/2020/budget/data.toml:64:29: 错误: 表 支出 第 2 行 的 amount（金额）：金额 572.245 的小数位数过多"},
		{"reference to a missing figure", section, func(s string) string {
			return strings.Replace(s, "{{收入.非税收入}}", "{{收入.非税收人}}", 1)
		},
			"content/panjin-zhcs/2020/budget/03-explanation.md:14:7: 错误: 引用 {{收入.非税收人}}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := exampleSite(t)
			if code, _, e := cli(t, "build", "--src", src, "--quiet"); code != exitOK {
				t.Fatalf("first build failed: %s", e)
			}
			before := snapshot(t, filepath.Join(src, "public"))
			path := filepath.Join(src, tt.file)
			old, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tt.edit(string(old))), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := cli(t, "build", "--src", src)
			if code != exitContent {
				t.Errorf("exit %d, want %d", code, exitContent)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, errOut)
			}
			if !strings.Contains(errOut, "未改动") {
				t.Errorf("stderr does not say the output is untouched:\n%s", errOut)
			}
			if after := snapshot(t, filepath.Join(src, "public")); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("the failed build changed the output folder")
			}
		})
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, exitUsage, "用法"},
		{[]string{"help"}, exitOK, "disclose build"},
		{[]string{"-h"}, exitOK, "disclose build"},
		{[]string{"help", "build"}, exitOK, "--out"},
		{[]string{"build", "-h"}, exitOK, "--src"},
		{[]string{"version", "-h"}, exitOK, "版本"},
		{[]string{"version"}, exitOK, "disclose "},
		{[]string{"frobnicate"}, exitUsage, "没有命令"},
		{[]string{"build", "--nope"}, exitUsage, "没有这个选项：--nope；全部选项见 disclose build -h"},
		{[]string{"serve", "--poll", "often"}, exitUsage, "选项的值有误"},
		{[]string{"check", "--src"}, exitUsage, "这个选项后面要写值：--src"},
		{[]string{"build", "extra"}, exitUsage, "多余的参数"},
		{[]string{"build", "--src", "/does/not/exist"}, exitUsage, "不存在"},
	}
	for _, tt := range tests {
		code, out, errOut := cli(t, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("disclose %q: exit %d, output %q; want exit %d and %q", tt.args, code, out+errOut, tt.code, tt.want)
		}
	}
}

// startServe runs disclose serve with args until it prints its address;
// stop ends it as Ctrl-C does and returns its exit code and stderr.
func startServe(t *testing.T, args ...string) (url string, stop func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	out, w := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), w, &errOut)
		w.Close()
	}()
	lines := bufio.NewScanner(out)
	var log []string
	for url == "" && lines.Scan() {
		log = append(log, lines.Text())
		if rest, ok := strings.CutPrefix(lines.Text(), "预览地址："); ok {
			url, _, _ = strings.Cut(rest, "（")
		}
	}
	go io.Copy(io.Discard, out)
	stop = func() (int, string) {
		cancel()
		code := <-done
		return code, errOut.String()
	}
	if url == "" {
		_, e := stop()
		t.Fatalf("no address printed:\n%s\n%s", strings.Join(log, "\n"), e)
	}
	return url, stop
}

// TestServe runs disclose serve as an editor would, then stops it as
// Ctrl-C does.
func TestServe(t *testing.T) {
	src := exampleSite(t)
	url, stop := startServe(t, "--src", src, "--addr", "127.0.0.1:0")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("serving at %s", url)
	}
	resp, err := http.Get(url + "panjin-zhcs/2020/budget/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "收入预算2966.24万元") || !strings.Contains(string(body), "/__disclose/live.js") {
		t.Errorf("disclosure page: %d\n%.300s", resp.StatusCode, body)
	}
	if code, errOut := stop(); code != exitOK {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(src, "public")); err == nil {
		t.Error("serve wrote the output folder")
	}
}

// With the default port taken, serve takes the next and says so.
func TestServeSaysPortTaken(t *testing.T) {
	if ln, err := net.Listen("tcp", serve.DefaultAddr); err == nil {
		defer ln.Close()
	} // else it is taken already
	_, stop := startServe(t, "--src", exampleSite(t))
	if _, errOut := stop(); !strings.Contains(errOut, "端口 "+serve.DefaultAddr+" 已被占用") {
		t.Errorf("stderr does not say the port was taken:\n%s", errOut)
	}
}

func TestServeUsage(t *testing.T) {
	if code, out, _ := cli(t, "serve", "-h"); code != exitOK || !strings.Contains(out, "--addr HOST:PORT") || !strings.Contains(out, "127.0.0.1:1313") {
		t.Errorf("serve -h: exit %d\n%s", code, out)
	}
	if code, _, errOut := cli(t, "serve", "--src", "/does/not/exist"); code != exitUsage || !strings.Contains(errOut, "不存在") {
		t.Errorf("missing site folder: exit %d, %s", code, errOut)
	}
	if code, _, errOut := cli(t, "serve", "--src", exampleSite(t), "--addr", "no-port"); code != exitUsage || !strings.Contains(errOut, "无法监听") {
		t.Errorf("bad address: exit %d, %s", code, errOut)
	}
}

// TestPublishFlags: --base-url, --no-minify, --precompress and
// SOURCE_DATE_EPOCH, and the previous build's hashed assets kept one more
// build.
func TestPublishFlags(t *testing.T) {
	src := exampleSite(t)
	out := filepath.Join(src, "public")
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	if code, _, e := cli(t, "build", "--src", src, "--quiet"); code != exitOK {
		t.Fatal(e)
	}
	if home := read("index.html"); strings.Contains(home, "\n<") || !strings.Contains(home, `<link rel=canonical href=https://yjsgk.example.gov.cn/>`) {
		t.Errorf("default build: not minified, or no canonical address:\n%.300s", home)
	}
	if _, err := os.Stat(filepath.Join(out, "index.html.gz")); err == nil {
		t.Error("index.html.gz without --precompress")
	}

	t.Setenv("SOURCE_DATE_EPOCH", "1585526400") // 2020-03-30
	code, _, e := cli(t, "build", "--src", src, "--quiet", "--no-minify", "--precompress", "--base-url", "https://czj.example.gov.cn/yjsgk")
	if code != exitOK {
		t.Fatal(e)
	}
	home := read("index.html")
	for _, want := range []string{"\n<", `<link rel="canonical" href="https://czj.example.gov.cn/yjsgk/">`, `href="/yjsgk/glossary/"`} {
		if !strings.Contains(home, want) {
			t.Errorf("--no-minify --base-url: home page lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "index.html.gz")); err != nil {
		t.Errorf("--precompress: %v", err)
	}
	if sm := read("sitemap.xml"); !strings.Contains(sm, "<loc>https://czj.example.gov.cn/yjsgk/panjin-zhcs/2020/budget/</loc><lastmod>2020-03-30</lastmod>") {
		t.Errorf("sitemap.xml does not use SOURCE_DATE_EPOCH for an undated page:\n%s", sm)
	}

	// The stylesheet changes: the old hashed file (and its .gz and .br,
	// and the scripts that are minified now) stay for one build.
	cssRE := regexp.MustCompile(`href="/yjsgk/(static/css/site\.[0-9a-f]{8}\.css)"`)
	m := cssRE.FindStringSubmatch(home)
	if m == nil {
		t.Fatalf("no stylesheet link on the home page")
	}
	old := []string{filepath.Join(out, m[1])}
	os.MkdirAll(filepath.Join(src, "static/css"), 0o755)
	os.WriteFile(filepath.Join(src, "static/css/site.css"), []byte("body { color: #000; }\n"), 0o644)
	code, stdout, e := cli(t, "build", "--src", src)
	if code != exitOK || !strings.Contains(stdout, "保留到下次构建") {
		t.Fatalf("exit %d: %s%s", code, stdout, e)
	}
	if _, err := os.Stat(old[0]); err != nil {
		t.Errorf("the previous stylesheet is gone at once: %v", err)
	}
	os.WriteFile(filepath.Join(src, "static/css/site.css"), []byte("body { color: #111; }\n"), 0o644)
	if code, _, e := cli(t, "build", "--src", src, "--quiet"); code != exitOK {
		t.Fatal(e)
	}
	if _, err := os.Stat(old[0]); err == nil {
		t.Error("the stylesheet of two builds ago is still there")
	}

	for _, tt := range []struct {
		env, flag, want string
	}{
		{"", "ftp://x.gov.cn/", "--base-url：网址 \"ftp://x.gov.cn/\" 应以 https:// 或 http:// 开头"},
		{"", "yjsgk/", "应以 https:// 或 / 开头"},
		{"yesterday", "", "SOURCE_DATE_EPOCH=\"yesterday\" 应为自 1970-01-01 起的整数秒"},
		{"253402300800", "", "SOURCE_DATE_EPOCH=\"253402300800\" 应为自 1970-01-01 起的整数秒（早于 10000 年）"},
	} {
		t.Setenv("SOURCE_DATE_EPOCH", tt.env)
		args := []string{"build", "--src", src}
		if tt.flag != "" {
			args = append(args, "--base-url", tt.flag)
		}
		if code, _, e := cli(t, args...); code != exitUsage || !strings.Contains(e, tt.want) {
			t.Errorf("%v (SOURCE_DATE_EPOCH=%q): exit %d, %q; want exit 2 and %q", args, tt.env, code, e, tt.want)
		}
	}
}

// TestBuildWarnsAboutGlossary: a term defined twice and a term nothing uses
// are printed as warnings with file:line; the build succeeds.
func TestBuildWarnsAboutGlossary(t *testing.T) {
	src := exampleSite(t)
	f, err := os.OpenFile(filepath.Join(src, "content", "glossary.toml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	extra := "\n[[term]]\nterm = \"基本支出\"\ndefinition = \"又一个解释。\"\n\n[[term]]\nterm = \"债务还本支出\"\ndefinition = \"没有用到。\"\n"
	if _, err := f.WriteString(extra); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, out, errOut := cli(t, "build", "--src", src)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		"content/glossary.toml:", ": 警告: 名词“基本支出”与第 9 行的名词“基本支出”重复", "[glossary.duplicate]",
		": 警告: 名词“债务还本支出”没有用到", "[glossary.unused]",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(out, "警告 2") {
		t.Errorf("summary = %q", out)
	}
}

// TestOutDirRefused: a build removes from its output the files it did not
// write, so it refuses an output folder that holds the site, lies in it
// where the site is read from, or holds files no build wrote; and a build
// that fails leaves no output folder it made.
func TestOutDirRefused(t *testing.T) {
	src := exampleSite(t)
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "报告.docx"), []byte("x"), 0o644)
	webapp := t.TempDir()
	os.WriteFile(filepath.Join(webapp, "manifest.json"), []byte(`{"name":"My PWA"}`), 0o644)
	os.WriteFile(filepath.Join(webapp, "app.js"), []byte("x"), 0o644)
	tests := []struct {
		name string
		out  string
		want string
	}{
		{"the site folder", src, "含有站点文件夹"},
		{"a folder above it", filepath.Dir(src), "含有站点文件夹"},
		{"the site folder by another name", filepath.Join(src, "content", ".."), "含有站点文件夹"},
		{"inside content/", filepath.Join(src, "content", "public"), "在站点的 content/ 中"},
		{"inside static/", filepath.Join(src, "static", "out"), "在站点的 static/ 中"},
		{"inside root/", filepath.Join(src, "root", "out"), "在站点的 root/ 中"},
		{"a folder of other files", foreign, "不是 disclose 生成的（没有 disclose 写的 manifest.json）"},
		{"a web app with its own manifest.json", webapp, "不是 disclose 生成的"},
		{"a file", filepath.Join(foreign, "报告.docx"), "是一个文件，不是文件夹"},
	}
	before := snapshot(t, src)
	for _, tt := range tests {
		code, _, errOut := cli(t, "build", "--src", src, "--out", tt.out)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, %s\nwant exit %d and %q", tt.name, code, errOut, exitUsage, tt.want)
		}
	}
	if after := snapshot(t, src); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("a refused build changed the site folder")
	}
	if _, err := os.Stat(filepath.Join(foreign, "报告.docx")); err != nil {
		t.Error("a refused build removed a file of the output folder")
	}

	// The content/ folder taken for the site: refused before anything is
	// made (a content/public left behind would be read as a body).
	for _, cmd := range []string{"build", "check", "serve"} {
		code, _, errOut := cli(t, cmd, "--src", filepath.Join(src, "content"))
		if code != exitUsage || !strings.Contains(errOut, "像是 content/ 文件夹本身") {
			t.Errorf("%s --src content/: exit %d, %s", cmd, code, errOut)
		}
	}
	if code, _, errOut := cli(t, "build", "--src", t.TempDir()); code != exitUsage || !strings.Contains(errOut, "中没有 content/") {
		t.Errorf("--src a folder without content/: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(src, "content", "public")); !os.IsNotExist(err) {
		t.Error("a refused build made an output folder")
	}

	// A build that fails leaves no output folder it made.
	broken := exampleSite(t)
	data := filepath.Join(broken, "content", "panjin-zhcs", "2020", "budget", "data.toml")
	old, _ := os.ReadFile(data)
	os.WriteFile(data, append(old, "\namout = 1\n"...), 0o644)
	fresh := filepath.Join(t.TempDir(), "new", "public")
	if code, _, errOut := cli(t, "build", "--src", broken, "--out", fresh); code != exitContent {
		t.Errorf("broken site: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Dir(fresh)); !os.IsNotExist(err) {
		t.Error("a failed build left the output folder it made")
	}

	if code, _, errOut := cli(t, "build", "--src", src, "--quiet"); code != exitOK {
		t.Errorf("the next build: exit %d\n%s", code, errOut)
	}
	// Its own output is the build's to replace.
	if code, _, errOut := cli(t, "build", "--src", src, "--quiet"); code != exitOK {
		t.Errorf("building again: exit %d\n%s", code, errOut)
	}
}

// TestPathsFromSrc: text output names files from the site folder as --src
// names it, so that they open from where the user is; JSON keeps them
// relative to the site folder, as documented.
func TestPathsFromSrc(t *testing.T) {
	src := exampleSite(t)
	want := filepath.ToSlash(src) + "/content/panjin-zhcs/2020/budget/data.toml:63:43: 错误: 支出预算"
	if _, _, errOut := cli(t, "build", "--src", src); !strings.Contains(errOut, want) {
		t.Errorf("build does not name the file from --src:\n%s", errOut)
	}
	if _, out, _ := cli(t, "check", "--src", src); !strings.Contains(out, want) {
		t.Errorf("check does not name the file from --src:\n%s", out)
	}
	if _, out, _ := cli(t, "check", "--src", src, "--format", "json"); !strings.Contains(out, `"file": "content/panjin-zhcs/2020/budget/data.toml"`) {
		t.Errorf("check --format json changed its file names:\n%.400s", out)
	}
	data := filepath.Join(src, "content", "panjin-zhcs", "2020", "budget", "data.toml")
	old, _ := os.ReadFile(data)
	os.WriteFile(data, append(old, "\namout = 1\n"...), 0o644)
	if _, _, errOut := cli(t, "build", "--src", src); !strings.Contains(errOut, filepath.ToSlash(src)+"/content/panjin-zhcs/2020/budget/data.toml:132:1: 错误: 未知的键") {
		t.Errorf("a failed build does not name the file from --src:\n%s", errOut)
	}
	if _, _, errOut := cli(t, "check", "--src", src); !strings.Contains(errOut, filepath.ToSlash(src)+"/content/panjin-zhcs/2020/budget/data.toml:132:1") {
		t.Errorf("check of a site that does not load does not name the file from --src:\n%s", errOut)
	}
}
