// Command disclose builds a government fiscal disclosure site (部门预算/决算
// 公开) from TOML figures and Markdown narrative.
//
// Usage:
//
//	disclose build [--src DIR] [--out DIR] [--quiet]
//	disclose serve [--src DIR] [--addr HOST:PORT] [--open] [--poll DURATION]
//	disclose version
//	disclose help [command]
//
// Exit codes: 0 built, 1 content errors (or a failure to write), 2 usage
// errors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/publish"
)

// Exit codes.
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
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
		{"build", "生成网站（build the site）", "disclose build [--src DIR] [--out DIR] [--quiet]", runBuild},
		{"serve", "预览网站，保存即刷新（live preview）", "disclose serve [--src DIR] [--addr 127.0.0.1:1313] [--open]", runServe},
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
		fmt.Fprintf(w, "  %-52s %s\n", c.usage, c.summary)
	}
	fmt.Fprintln(w, "\n每个命令都可加 -h 查看说明。退出码：0 成功，1 内容有错误，2 用法错误。")
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

// printFlags lists the options in the --name form the README uses.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprintln(w, "\n选项（options）:")
			first = false
		}
		arg, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if arg != "" {
			name += " " + arg
		}
		def := ""
		if f.DefValue != "" && f.DefValue != "false" {
			def = fmt.Sprintf("（默认 %s）", f.DefValue)
		}
		fmt.Fprintf(w, "  %-14s %s%s\n", name, usage, def)
	})
}

// parse parses flags; ok false means exit with code.
func parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "disclose %s: 多余的参数 %q\n", fs.Name(), fs.Args())
		return exitUsage, false
	}
	return 0, true
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", stdout, stderr, "读取站点文件夹中的 content/（以及可选的 layouts/、static/），生成网站到输出文件夹。\n内容有错误时不改动输出文件夹，列出每处错误的文件:行:列，退出码为 1。")
	src := fs.String("src", ".", "站点文件夹 `DIR`（site folder）")
	out := fs.String("out", "", "输出文件夹 `DIR`（output folder），默认 <src>/public")
	quiet := fs.Bool("quiet", false, "只报告错误和警告，不显示进度与汇总（for scripts）")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *out == "" {
		*out = filepath.Join(*src, "public")
	}
	if fi, err := os.Stat(*src); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "disclose build: 站点文件夹 %s 不存在\n", *src)
		return exitUsage
	}
	start := time.Now()
	sink, err := publish.OpenDir(*out)
	if err != nil {
		fmt.Fprintf(stderr, "disclose build: 无法打开输出文件夹：%v\n", err)
		return exitContent
	}
	progress := newProgress(stderr, *quiet, start)
	res, err := generator.Build(ctx, generator.Config{
		Site:     os.DirFS(*src),
		Theme:    disclose.Theme(),
		Sink:     sink,
		Progress: progress.update,
	})
	progress.stop()
	printDiagnostics(stderr, res.Diagnostics, *quiet)
	if err != nil {
		sink.Abort()
		var ce *diag.ContentError
		if errors.As(err, &ce) {
			fmt.Fprintf(stderr, "构建失败：%d 处错误，输出文件夹 %s 未改动。\n", ce.List.Count(diag.Error), *out)
		} else {
			fmt.Fprintf(stderr, "构建失败：%v（输出文件夹 %s 未改动）\n", err, *out)
		}
		return exitContent
	}
	st, err := sink.Commit(nil)
	if err != nil {
		fmt.Fprintf(stderr, "disclose build: 写入输出文件夹失败：%v\n", err)
		return exitContent
	}
	if !*quiet {
		fmt.Fprintf(stdout, "已生成 %d 个页面，共 %d 个文件：写入 %d，未变 %d，删除 %d；警告 %d；用时 %s → %s\n",
			res.Pages, res.Files, st.Written, st.Unchanged, st.Removed, res.Diagnostics.Count(diag.Warning),
			time.Since(start).Round(time.Millisecond), *out)
	}
	return exitOK
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
