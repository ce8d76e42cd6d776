package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
	if !strings.Contains(out, "已生成 10 个页面") {
		t.Errorf("summary = %q", out)
	}
	for _, f := range []string{"index.html", "panjin-zhcs/index.html", "panjin-zhcs/2020/budget/index.html", "glossary/index.html", "404.html"} {
		if _, err := os.Stat(filepath.Join(src, "public", f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	// A second build with no change rewrites nothing.
	before := snapshot(t, filepath.Join(src, "public"))
	code, out, _ = cli(t, "build", "--src", src, "--quiet")
	if code != exitOK || out != "" {
		t.Fatalf("quiet rebuild: exit %d, stdout %q", code, out)
	}
	if after := snapshot(t, filepath.Join(src, "public")); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("an unchanged rebuild touched the output")
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
		{[]string{"build", "--nope"}, exitUsage, "flag provided but not defined"},
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

// TestServe runs disclose serve as an editor would, then stops it as
// Ctrl-C does.
func TestServe(t *testing.T) {
	src := exampleSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--src", src, "--addr", "127.0.0.1:0"}, w, &errOut)
		w.Close()
	}()
	lines := bufio.NewScanner(out)
	var url string
	var log []string
	for url == "" && lines.Scan() {
		log = append(log, lines.Text())
		if rest, ok := strings.CutPrefix(lines.Text(), "预览地址："); ok {
			url, _, _ = strings.Cut(rest, "（")
		}
	}
	if url == "" {
		t.Fatalf("no address printed:\n%s\n%s", strings.Join(log, "\n"), errOut.String())
	}
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
	cancel()
	go io.Copy(io.Discard, out)
	if code := <-done; code != exitOK {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
	if _, err := os.Stat(filepath.Join(src, "public")); err == nil {
		t.Error("serve wrote the output folder")
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
