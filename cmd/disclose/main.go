// Command disclose builds a government fiscal disclosure site (部门预算/决算
// 公开) from TOML figures and Markdown narrative.
//
// Usage:
//
//	disclose build [--src DIR] [--out DIR] [--base-url URL] [--no-minify] [--precompress] [--quiet] [--strict] [--cache DIR] [--no-cache]
//	disclose serve [--src DIR] [--addr HOST:PORT] [--open] [--poll DURATION]
//	disclose check [--src DIR] [--format text|json] [--strict] [--rules]
//	disclose version
//	disclose help [command]
//
// Exit codes: 0 built (checked), 1 content errors, check errors (or
// warnings with --strict), or a failure to write, 2 usage errors.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/buildcache"
	"github.com/disclose/disclose/generator/check"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/publish"
)

// Exit codes.
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

func main() {
	// Ctrl+C, or a service manager's TERM: a build leaves the output as it
	// was, the preview stops and says so.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"build", "生成网站（build the site）", "disclose build [--src DIR] [--out DIR] [--base-url URL] [--no-minify] [--precompress] [--quiet] [--strict] [--cache DIR] [--no-cache]", runBuild},
		{"serve", "预览网站，保存即刷新（live preview）", "disclose serve [--src DIR] [--addr 127.0.0.1:1313] [--open] [--poll DURATION]", runServe},
		{"check", "检查数字是否相符（check the figures）", "disclose check [--src DIR] [--format text|json] [--strict] [--rules]", runCheck},
		{"version", "显示版本（print the version）", "disclose version", runVersion},
		{"help", "显示帮助（show help）", "disclose help [command]", nil},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && name == "help" {
			for _, c := range commands() {
				if c.name == args[1] && c.run != nil {
					return c.run(ctx, []string{"-h"}, stdout, stderr)
				}
			}
			fmt.Fprintf(stderr, "disclose: 没有命令 %q\n", args[1])
			return exitUsage
		}
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "disclose: 没有命令 %q（unknown command）\n\n", name)
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "disclose：部门预算、决算公开网站生成器（static site generator for fiscal disclosures）")
	fmt.Fprintln(w, "\n用法（usage）:")
	for _, c := range commands() {
		if len(c.usage) > 52 {
			// A long usage line gets its summary on the next line.
			fmt.Fprintf(w, "  %s\n  %-52s %s\n", c.usage, "", c.summary)
			continue
		}
		fmt.Fprintf(w, "  %-52s %s\n", c.usage, c.summary)
	}
	fmt.Fprintln(w, "\n每个命令都可加 -h 查看说明。退出码：0 成功，1 内容有错误（或检查发现错误），2 用法错误。")
}

// newFlags returns a flag set that prints its usage in the command's words
// and reports errors instead of exiting.
func newFlags(c string, stdout, stderr io.Writer, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(c, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "用法（usage）: disclose %s [选项]\n\n%s\n", c, about)
		printFlags(stdout, fs)
	}
	return fs
}

// strictFlag defines --strict, which is on (--strict, --strict=true), off
// (--strict=false: over [checks] strict = true in site.toml) or, when not
// given, as site.toml says.
func strictFlag(fs *flag.FlagSet, usage string) *check.Strictness {
	v := new(check.Strictness)
	fs.Var((*strictValue)(v), "strict", usage)
	return v
}

type strictValue check.Strictness

func (v *strictValue) IsBoolFlag() bool { return true }

func (v *strictValue) String() string {
	if v == nil {
		return ""
	}
	switch check.Strictness(*v) {
	case check.StrictOn:
		return "true"
	case check.StrictOff:
		return "false"
	}
	return ""
}

func (v *strictValue) Set(s string) error {
	on, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("应为 true 或 false")
	}
	*v = strictValue(check.StrictOff)
	if on {
		*v = strictValue(check.StrictOn)
	}
	return nil
}

// printFlags lists the options in the --name form the README uses, their
// descriptions in one column. A zero default (false, 0s) goes unsaid.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	type line struct{ name, text string }
	var lines []line
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if arg != "" {
			name += " " + arg
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0s" {
			usage += fmt.Sprintf("（默认 %s）", f.DefValue)
		}
		lines = append(lines, line{name, usage})
		width = max(width, len(name))
	})
	if len(lines) > 0 {
		fmt.Fprintln(w, "\n选项（options）:")
	}
	for _, l := range lines {
		fmt.Fprintf(w, "  %-*s  %s\n", width, l.name, l.text)
	}
}

// checkSiteDir says what is wrong with src as a site folder: it must be
// a folder that holds content/. Run from content/ itself, or given it, it
// says to go one folder up.
func checkSiteDir(src string) error {
	if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
		return fmt.Errorf("站点文件夹 %s 不存在", src)
	}
	if fi, err := os.Stat(filepath.Join(src, "content")); err == nil && fi.IsDir() {
		return nil
	}
	if _, err := os.Stat(filepath.Join(src, "site.toml")); err == nil {
		return fmt.Errorf("%s 像是 content/ 文件夹本身：站点文件夹是它的上一级（含 content/ 的那个），请在那里运行，或用 --src 指定它", src)
	}
	return fmt.Errorf("站点文件夹 %s 中没有 content/：请在站点文件夹（含 content/ 的那个）中运行，或用 --src 指定它", src)
}

// checkOutDir refuses an output folder a build would damage: a build
// removes from its output every file it did not write, so the output must
// not hold the site (the site folder itself, a folder above it, or one in
// its content/, layouts/ or static/), and a folder that already holds
// files (names that start with a dot aside) must be one a build wrote:
// see publish.ForeignFile.
func checkOutDir(src, out string) error {
	s, err := realPath(src)
	if err != nil {
		return err
	}
	o, err := realPath(out)
	if err != nil {
		return err
	}
	within := func(dir, parent string) bool {
		rel, err := filepath.Rel(parent, dir)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	if within(s, o) {
		return fmt.Errorf("输出文件夹 %s 含有站点文件夹 %s：生成时会删除其中不属于网站的文件。请用 --out 指定另一个文件夹（默认 <站点>/public）", out, src)
	}
	for _, d := range []string{"content", "layouts", "static", "root"} {
		if within(o, filepath.Join(s, d)) {
			return fmt.Errorf("输出文件夹 %s 在站点的 %s/ 中：生成的文件会被当作站点内容读入。请用 --out 指定 %s/ 以外的文件夹（默认 <站点>/public）", out, d, d)
		}
	}
	if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
		return fmt.Errorf("输出文件夹 %s 是一个文件，不是文件夹：请用 --out 指定一个文件夹", out)
	}
	if name := publish.ForeignFile(out); name != "" {
		return fmt.Errorf("输出文件夹 %s 已有文件（如 %s），但不是 disclose 生成的（没有 disclose 写的 %s）：生成时会删除其中不属于网站的文件（以 . 开头的除外）。请换一个空文件夹，或确认无用后先清空它", out, name, publish.ManifestFile)
	}
	return nil
}

// realPath is path made absolute, with the symbolic links of its longest
// existing part resolved, so that two names of one folder compare equal.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rest := ""
	for p := abs; ; p = filepath.Dir(p) {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest), nil
		}
		if filepath.Dir(p) == p {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// parse parses flags; ok false means exit with code.
func parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	// The flag package would print its error in English and then the
	// whole usage; say what is wrong in the command's words instead.
	stderr, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	fs.Usage = usage
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage()
			return exitOK, false
		}
		fmt.Fprintf(stderr, "disclose %s: %s；全部选项见 disclose %s -h\n", fs.Name(), flagError(err), fs.Name())
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "disclose %s: 多余的参数 %q\n", fs.Name(), fs.Args())
		return exitUsage, false
	}
	return 0, true
}

// flagError says a flag package error in Chinese, keeping its own words
// for what it names.
func flagError(err error) string {
	msg := err.Error()
	for _, t := range []struct{ prefix, say string }{
		{"flag provided but not defined: ", "没有这个选项："},
		{"flag needs an argument: ", "这个选项后面要写值："},
		{"bad flag syntax: ", "选项的写法有误："},
	} {
		if rest, ok := strings.CutPrefix(msg, t.prefix); ok {
			return t.say + "--" + strings.TrimLeft(rest, "-")
		}
	}
	if strings.HasPrefix(msg, "invalid ") {
		return "选项的值有误（" + msg + "）"
	}
	return msg
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", stdout, stderr, "读取站点文件夹中的 content/（以及可选的 layouts/、static/），生成网站到输出文件夹。\n内容有错误时不改动输出文件夹，列出每处错误的文件:行:列，退出码为 1。")
	src := fs.String("src", ".", "站点文件夹 `DIR`（site folder）")
	out := fs.String("out", "", "输出文件夹 `DIR`（output folder），默认 <src>/public")
	quiet := fs.Bool("quiet", false, "只报告错误和警告，不显示进度与汇总（for scripts）")
	baseURL := fs.String("base-url", "", "网站发布地址 `URL`（site address），代替 site.toml 的 base_url，如 https://czj.example.gov.cn/yjsgk/")
	noMinify := fs.Bool("no-minify", false, "不压缩 HTML、CSS、JS、SVG 和 static/ 中的 JSON，便于调试（no minifying）")
	precompress := fs.Bool("precompress", false, "在较大的文本文件旁另写 .gz 和 .br 预压缩文件（precompressed copies）")
	strict := strictFlag(fs, "检查发现错误或警告时不生成网站，退出码为 1（fail on check findings）；--strict=false 时不论 site.toml 的 strict 都照常生成")
	cacheDir := fs.String("cache", "", "构建缓存文件夹 `DIR`（build cache），默认为用户缓存目录下的 disclose")
	noCache := fs.Bool("no-cache", false, "不使用也不更新构建缓存：即使内容未变也完整生成（always rebuild）")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	tuneGC()
	if *out == "" {
		*out = filepath.Join(*src, "public")
	}
	if *baseURL != "" {
		u, err := fiscal.ParseBaseURL(*baseURL)
		if err != nil {
			fmt.Fprintf(stderr, "disclose build: --base-url：%v\n", err)
			return exitUsage
		}
		*baseURL = u
	}
	sourceDate, err := sourceDateEpoch(os.Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		fmt.Fprintf(stderr, "disclose build: %v\n", err)
		return exitUsage
	}
	if err := checkSiteDir(*src); err != nil {
		fmt.Fprintf(stderr, "disclose build: %v\n", err)
		return exitUsage
	}
	if err := checkOutDir(*src, *out); err != nil {
		fmt.Fprintf(stderr, "disclose build: %v\n", err)
		return exitUsage
	}
	start := time.Now()
	// The build cache: a build whose inputs, program, options and output
	// folder are all as the last successful build left them would write
	// the same bytes, so it only reports again (see package buildcache).
	var cache *buildcache.Cache
	var key [32]byte
	if !*noCache {
		dir := *cacheDir
		if dir == "" {
			dir, err = buildcache.DefaultDir()
		}
		if err == nil {
			// Src as given: the stored report names files from it.
			key, err = buildcache.Key(struct {
				BaseURL             string
				Minify, Precompress bool
				SourceDate          time.Time
				Strict              check.Strictness
				Src                 string
			}{*baseURL, !*noMinify, *precompress, sourceDate, *strict, *src})
		}
		if err == nil {
			cache = buildcache.Open(dir)
		}
	}
	// The sink holds the output folder locked from here on, so that a
	// build writing it meanwhile is not taken for one that left it so.
	// It writes nothing there until a file differs.
	sink, err := publish.OpenDir(*out)
	if err != nil {
		fmt.Fprintf(stderr, "disclose build: 无法打开输出文件夹：%v\n", err)
		return exitContent
	}
	if cache != nil {
		if rec := cache.Load(*out); rec.Fresh(key, os.DirFS(*src), *out) {
			var rep buildReport
			if json.Unmarshal(rec.Report, &rep) == nil {
				sink.Abort()
				cache.Used(*out)
				rep.print(stdout, stderr, *quiet, publish.Stats{Unchanged: rec.Files()}, 0, time.Since(start), *out, true)
				return exitOK
			}
		}
	}
	site := iofs.FS(os.DirFS(*src))
	var recorder *buildcache.Recorder
	if cache != nil {
		recorder = buildcache.NewRecorder(site)
		site = recorder
	}
	progress := newProgress(stderr, *quiet, start)
	res, err := generator.Build(ctx, generator.Config{
		Site:        site,
		Theme:       disclose.Theme(),
		Sink:        sink,
		Progress:    progress.update,
		BaseURL:     *baseURL,
		Minify:      !*noMinify,
		Precompress: *precompress,
		SourceDate:  sourceDate,
		Previous:    os.DirFS(*out),
		Strict:      *strict,
	})
	progress.stop()
	// Check findings are printed grouped by disclosure, without rounding
	// notes (disclose check shows those), with or without --quiet.
	var findings strings.Builder
	check.WriteText(&findings, res.Findings.Within(*src), res.Site, false)
	diags := res.Diagnostics.Within(*src)
	report := func(quiet bool) string {
		var b strings.Builder
		printDiagnostics(&b, diags, quiet)
		b.WriteString(findings.String())
		return b.String()
	}
	rep := buildReport{Pages: res.Pages, Files: res.Files, Warnings: res.Diagnostics.Count(diag.Warning),
		Checks: check.Summary(res.Findings), NoSitemap: !res.Sitemap, Text: report(false), QuietText: report(true)}
	if *quiet {
		io.WriteString(stderr, rep.QuietText)
	} else {
		io.WriteString(stderr, rep.Text)
	}
	if err != nil {
		// A failed build leaves an output folder that was there as it
		// was, and removes one it made.
		untouched := "输出文件夹 " + *out + " 未改动"
		if sink.Made() {
			untouched = "未创建输出文件夹 " + *out
		}
		sink.Abort()
		var ce *diag.ContentError
		var cf *generator.ChecksFailed
		switch {
		case errors.As(err, &ce):
			// The checks' errors, listed too, do not stop a build: say
			// they are not the ones counted.
			also := ""
			if n := res.Findings.Count(diag.Error); n > 0 {
				also = fmt.Sprintf("（数字检查的 %d 处错误另计，它们不阻止生成）", n)
			}
			fmt.Fprintf(stderr, "构建失败：%d 处错误%s，%s。\n", ce.List.Count(diag.Error), also, untouched)
		case errors.As(err, &cf):
			fmt.Fprintf(stderr, "构建失败：%v，%s。\n", err, untouched)
		default:
			fmt.Fprintf(stderr, "构建失败：%v（%s）\n", err, untouched)
		}
		return exitContent
	}
	retained := map[string]bool{}
	for _, n := range res.Retained {
		retained[n] = true
	}
	st, err := sink.Commit(func(name string) bool { return retained[name] })
	if err != nil {
		fmt.Fprintf(stderr, "disclose build: 写入输出文件夹失败：%v\n", err)
		return exitContent
	}
	if cache != nil {
		// A build that kept last build's assets for one more build leaves
		// no record: the next one drops them, so it is not a no-op.
		var err error
		if len(res.Retained) == 0 {
			err = storeRecord(cache, key, recorder, *out, rep)
		} else {
			cache.Forget(*out)
		}
		if err != nil && !*quiet {
			fmt.Fprintf(stderr, "提示：构建缓存未能保存（%v），下次仍会完整生成。\n", err)
		}
	}
	rep.print(stdout, stderr, *quiet, st, len(res.Retained), time.Since(start), *out, false)
	return exitOK
}

// A build allocates some 4 MB per disclosure but keeps little (its
// memory grows with the site's lists, not its pages), so the default
// collector (GOGC=100) runs every few megabytes and takes a third of the
// CPU. gcPercent lets the heap grow eightfold between collections, and
// the soft limit makes the collector work harder instead when the heap
// nears it: a 10,000-disclosure build takes 58 s instead of 67 s and
// peaks at 825 MB resident. Measured with /usr/bin/time on cmd/synth
// sites; see README, Speed and memory.
const (
	gcPercent = 800
	gcLimit   = 800 << 20
)

// tuneGC sets the collector for a build or check process, unless the user set
// GOGC or GOMEMLIMIT. (Not for serve: a preview keeps every page of the
// site for its incremental rebuilds, and runs for hours.)
func tuneGC() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(gcPercent)
		debug.SetMemoryLimit(gcLimit)
	}
}

// buildReport is what a build prints, kept in the build cache to print
// again when the next build has nothing to do.
type buildReport struct {
	Pages, Files, Warnings int
	Checks                 string
	NoSitemap              bool
	// Text is the problems and findings as printed; QuietText without
	// notes, as --quiet prints them.
	Text, QuietText string
}

// print prints the summary (the problems and findings are printed as the
// build finds them; cached says they are printed here, from the cache).
func (r *buildReport) print(stdout, stderr io.Writer, quiet bool, st publish.Stats, retained int, took time.Duration, out string, cached bool) {
	if cached {
		if quiet {
			io.WriteString(stderr, r.QuietText)
		} else {
			io.WriteString(stderr, r.Text)
		}
	}
	if quiet {
		return
	}
	if r.NoSitemap {
		fmt.Fprintln(stderr, "提示：base_url 不是完整网址（如 https://czj.example.gov.cn/yjsgk/），页面没有规范网址（canonical），也没有生成 sitemap.xml。")
	}
	kept := ""
	if retained > 0 {
		// Said so that a second build removing them is no surprise.
		kept = fmt.Sprintf("，上次的带哈希文件 %d 个保留到下次构建（供仍缓存旧页面的浏览器、CDN 使用）", retained)
	}
	how := ""
	if cached {
		how = "；站点文件与选项均未改动，输出文件夹与上次生成时相同，未重新生成（构建缓存；--no-cache 强制重新生成）"
	}
	fmt.Fprintf(stdout, "已生成 %d 个页面，共 %d 个文件：写入 %d，未变 %d，删除 %d%s；构建警告 %d；数字检查：%s；用时 %s → %s%s\n",
		r.Pages, r.Files, st.Written, st.Unchanged, st.Removed, kept, r.Warnings, r.Checks, took.Round(time.Millisecond), out, how)
}

// storeRecord keeps the build just committed to out in the cache.
func storeRecord(cache *buildcache.Cache, key [32]byte, recorder *buildcache.Recorder, out string, rep buildReport) error {
	outputs, err := buildcache.Snapshot(out)
	if err != nil {
		return err
	}
	data, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	return cache.Store(out, &buildcache.Record{Key: key, Inputs: recorder.Inputs(), Outputs: outputs, Report: data})
}

// sourceDateEpoch reads SOURCE_DATE_EPOCH (reproducible-builds.org): whole
// seconds since 1970; empty means unset. A date after the year 9999 is
// refused: sitemap.xml's W3C dates have four-digit years.
func sourceDateEpoch(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n >= maxSourceDate {
		return time.Time{}, fmt.Errorf("环境变量 SOURCE_DATE_EPOCH=%q 应为自 1970-01-01 起的整数秒（早于 10000 年）", v)
	}
	return time.Unix(n, 0).UTC(), nil
}

// maxSourceDate is 10000-01-01T00:00:00Z in seconds since 1970.
const maxSourceDate = 253402300800

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stdout, stderr, "检查站点中每份公开的数字：合计与分项、表与表、说明与报表、增减与占比、上年与本年、预算与决算、科目编码、\n报表与说明是否齐全；并像生成网站时那样处理正文，列出引用、名词解释、图表中的错误（链接只在 build 时检查）。\n每处问题列出文件:行:列、规则编号、应为与实为。不生成网站。\n退出码：0 没有错误；1 有错误（--strict 时有警告也算）或内容无法读取；2 用法错误。")
	src := fs.String("src", ".", "站点文件夹 `DIR`（site folder）")
	format := fs.String("format", "text", "输出格式 `text|json`：text 按公开分组，json 为数组（for tools）")
	strict := strictFlag(fs, "有警告也以退出码 1 结束（fail on warnings too）；--strict=false 时不论 site.toml 的 strict，只有错误才算不通过")
	rules := fs.Bool("rules", false, "列出全部检查规则及其严重程度，不做检查（list the rules）")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "disclose check: --format 应为 text 或 json，这里是 %q\n", *format)
		return exitUsage
	}
	if err := checkSiteDir(*src); err != nil {
		fmt.Fprintf(stderr, "disclose check: %v\n", err)
		return exitUsage
	}
	fsys := os.DirFS(*src)
	// The skeleton (site, bodies, each disclosure's metadata) first; the
	// disclosures then body by body, as a build streams them, so that a
	// site of 10,000 disclosures is checked in the memory of a few bodies.
	site, diags := content.LoadSkeleton(fsys)
	var checker *check.Checker
	if site != nil && !diags.HasErrors() {
		var cd diag.List
		checker, cd = check.New(fsys, site)
		diags = append(diags, cd...)
	}
	cannot := func() int {
		diags.Sort()
		if *format == "json" {
			check.WriteJSON(stdout, diags)
		} else {
			printDiagnostics(stderr, diags.Within(*src), false)
			fmt.Fprintf(stderr, "无法检查：内容有 %d 处错误，请先改正。\n", diags.Count(diag.Error))
		}
		return exitContent
	}
	if diags.HasErrors() {
		return cannot()
	}
	if *rules {
		printRules(stdout, checker)
		return exitOK
	}
	tuneGC()
	cr, err := generator.Check(ctx, fsys, disclose.Theme(), site, checker)
	diags = append(diags, cr.Loaded...)
	if !cr.Checked && diags.HasErrors() {
		return cannot() // the content does not load: nothing was checked
	}
	if err != nil {
		fmt.Fprintf(stderr, "disclose check: %v\n", err)
		return exitContent
	}
	findings := append(diags, cr.Findings...)
	check.Sort(findings)
	if *format == "json" {
		check.WriteJSON(stdout, findings)
	} else {
		check.WriteText(stdout, findings.Within(*src), site, true)
		n := 0
		for _, b := range site.Bodies {
			n += len(b.Disclosures)
		}
		if len(findings) > 0 {
			fmt.Fprintln(stdout)
		}
		// Findings of the site's own files (site.toml, root/, layouts)
		// are listed under 站点, not under a disclosure.
		k := 0
		for _, d := range findings {
			if d.Disclosure == "" {
				k++
			}
		}
		ofSite := ""
		if k > 0 {
			ofSite = fmt.Sprintf("（其中 %d 条在“站点”下，不属于哪一份公开）", k)
		}
		fmt.Fprintf(stdout, "检查了 %d 份公开：%s%s。\n", n, check.Summary(findings), ofSite)
	}
	if check.Fails(findings, strict.Of(checker.Settings())) {
		return exitContent
	}
	return exitOK
}

// printRules lists the rules with their ids, severities and what they check.
func printRules(w io.Writer, c *check.Checker) {
	rules := c.Rules()
	slices.SortStableFunc(rules, func(a, b check.RuleInfo) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range rules {
		sev := r.Severity.String()
		if r.Off {
			sev = "关闭"
		}
		name := r.Name
		if r.Tolerance != "" {
			name += "（" + r.Tolerance + "）"
		}
		fmt.Fprintf(w, "%-22s %s  %s\n", r.ID, sev, name)
	}
	fmt.Fprintf(w, "\n%s。规则编号或组名（点号前的部分）可在 site.toml 的 [checks] 中设置，见编辑指南（disclose 源代码中的 content/README.md）第八节。\n", c.Settings())
}

func printDiagnostics(w io.Writer, l diag.List, quiet bool) {
	for _, d := range l {
		if quiet && d.Severity == diag.Note {
			continue
		}
		fmt.Fprintln(w, d.String())
	}
}

// progress prints a progress line on a terminal once a build has taken more
// than a second.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	start   time.Time
	shown   bool
	lastOut time.Time
}

func newProgress(w io.Writer, quiet bool, start time.Time) *progress {
	p := &progress{w: w, start: start}
	if f, ok := w.(*os.File); ok && !quiet {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) update(done, total int) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.start) < time.Second || now.Sub(p.lastOut) < 100*time.Millisecond {
		return
	}
	p.lastOut, p.shown = now, true
	fmt.Fprintf(p.w, "\r正在生成 %d/%d 页…", done, total)
}

func (p *progress) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
	p.on = false
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", stdout, stderr, "显示 disclose 的版本。")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	fmt.Fprintf(stdout, "disclose %s (%s %s/%s)\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

// version is the module version, or the VCS revision of a build from a
// checkout.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if (v == "" || v == "(devel)") && rev != "" {
		v = "dev-" + rev[:min(12, len(rev))]
		if dirty {
			v += "-dirty"
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return v
}
