package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cleanSite is a site folder holding only the example's synthetic body,
// which checks clean; edits are applied to its files (path relative to
// the site folder, old → new; old "" appends).
func cleanSite(t *testing.T, edits ...[3]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content", "demo-00005-cgj"), os.DirFS("../../content/demo-00005-cgj")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "site.toml"), []byte("title = \"测试\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	glossary, err := os.ReadFile("../../content/glossary.toml")
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "content", "glossary.toml"), glossary, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		p := filepath.Join(dir, e[0])
		old, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s := string(old) + e[2]
		if e[1] != "" {
			if !strings.Contains(string(old), e[1]) {
				t.Fatalf("%s has no %q", e[0], e[1])
			}
			s = strings.Replace(string(old), e[1], e[2], 1)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A placeholder left in the narrative: a warning, not an error.
var placeholder = [3]string{"content/demo-00005-cgj/2024/budget/03-explanation.md", "", "\n本部门XX年度预算。\n"}

// TestCheckExitCodes: disclose check exits 1 on errors, on warnings too
// with --strict (or strict = true in site.toml), 0 otherwise, 2 on
// usage errors.
func TestCheckExitCodes(t *testing.T) {
	example := exampleSite(t)
	clean := cleanSite(t)
	warned := cleanSite(t, placeholder)
	strictSite := cleanSite(t, placeholder, [3]string{"content/site.toml", "", "\n[checks]\nstrict = true\n"})
	// A page error with no figure finding: listed as a check's finding,
	// the figures checked all the same.
	badRef := cleanSite(t, [3]string{"content/demo-00005-cgj/2024/budget/03-explanation.md", "", "\n{{三宫.合计}}\n"})
	tuned := cleanSite(t, [3]string{"content/site.toml", "", "\n[checks]\namount = \"0.05万元\"\n[checks.rule.\"sum.items\"]\namount = \"0.3万元\"\n"})
	// A finding of the site's own files, listed under 站点.
	ofSite := cleanSite(t)
	if err := os.MkdirAll(filepath.Join(ofSite, "root"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ofSite, "root", "robots.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"check", "--src", example}, exitContent, "检查了 5 份公开：3 处错误，1 处警告，1 条舍入等提示。"},
		{[]string{"check", "--src", example, "--strict"}, exitContent, "支出预算 2944.24万元 ≠ 基本支出 572.24万元 + 项目支出 2394万元 = 2966.24万元"},
		{[]string{"check", "--src", clean}, exitOK, "检查了 4 份公开：没有发现问题。"},
		{[]string{"check", "--src", clean, "--strict"}, exitOK, "没有发现问题"},
		{[]string{"check", "--src", warned}, exitOK, "0 处错误，1 处警告"},
		{[]string{"check", "--src", warned, "--strict"}, exitContent, "占位符“XX”"},
		{[]string{"check", "--src", strictSite}, exitContent, "1 处警告"},
		{[]string{"check", "--src", strictSite, "--strict=false"}, exitOK, "1 处警告"},
		{[]string{"check", "--src", warned, "--strict=true"}, exitContent, "1 处警告"},
		{[]string{"check", "--src", example, "--strict=false"}, exitContent, "3 处错误"},
		{[]string{"check", "--src", clean, "--strict=maybe"}, exitUsage, "应为 true 或 false"},
		{[]string{"check", "--src", clean, "--rules"}, exitOK, "balance.budget"},
		{[]string{"check", "--src", badRef}, exitContent, "检查了 4 份公开：1 处错误，0 处警告"},
		{[]string{"check", "--src", ofSite}, exitContent, "检查了 4 份公开：1 处错误，0 处警告，0 条舍入等提示（其中 1 条在“站点”下，不属于哪一份公开）。"},
		{[]string{"build", "--src", ofSite, "--out", filepath.Join(ofSite, "new")}, exitContent, "未创建输出文件夹 " + filepath.Join(ofSite, "new")},
		{[]string{"check", "--src", tuned, "--rules"}, exitOK, "合计等于各分项之和（金额容差 0.30万元）"},
		{[]string{"check", "--src", tuned, "--rules"}, exitOK, "金额容差 0.05万元；"},
		{[]string{"check", "--src", clean, "--format", "xml"}, exitUsage, "--format 应为 text 或 json"},
		{[]string{"check", "--src", "/does/not/exist"}, exitUsage, "不存在"},
		{[]string{"check", "-h"}, exitOK, "--strict"},
		{[]string{"help", "check"}, exitOK, "--format"},
		{[]string{"build", "-h"}, exitOK, "--strict"},
	}
	for _, tt := range tests {
		code, out, errOut := cli(t, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("disclose %q: exit %d, output:\n%s\nwant exit %d and %q", tt.args, code, out+errOut, tt.code, tt.want)
		}
	}
}

// TestCheckJSON: --format json writes one array, whatever the outcome;
// content errors come in it too.
func TestCheckJSON(t *testing.T) {
	type finding struct {
		File, Severity, Rule, Message, Disclosure, Expected, Found, Difference, Unit string
		Line, Column                                                                 int
	}
	code, out, _ := cli(t, "check", "--src", exampleSite(t), "--format", "json")
	var got []finding
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if code != exitContent || len(got) != 5 || got[2].Rule != "sum.items" || got[2].Difference != "-22.00" || got[2].Unit != "万元" || got[2].Line != 63 || got[4].Rule != "complete.tables" || got[4].Line != 122 {
		t.Errorf("exit %d, findings %+v", code, got)
	}

	code, out, _ = cli(t, "check", "--src", cleanSite(t), "--format", "json")
	if code != exitOK || strings.TrimSpace(out) != "[]" {
		t.Errorf("clean: exit %d, %q", code, out)
	}

	bad := cleanSite(t, [3]string{"content/demo-00005-cgj/2024/budget/data.toml", "amount = 4990.17", "amount = 4990.175"})
	code, out, _ = cli(t, "check", "--src", bad, "--format", "json")
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitContent || len(got) != 1 || got[0].Severity != "error" || got[0].Line == 0 {
		t.Errorf("content error: exit %d, %v, %+v", code, err, got)
	}
}

// TestBuildRunsChecks: build prints the findings and still builds; with
// --strict it stops on them and leaves the previous output as it was.
func TestBuildRunsChecks(t *testing.T) {
	src := exampleSite(t)
	code, out, errOut := cli(t, "build", "--src", src)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "content/panjin-zhcs/2020/budget/data.toml:63:43: 错误: 支出预算 2944.24万元 ≠ 基本支出") ||
		!strings.Contains(errOut, "盘锦市智慧城市运行管理中心2020年度部门预算") {
		t.Errorf("build does not print the findings by disclosure:\n%s", errOut)
	}
	if strings.Contains(errOut, "提示:") {
		t.Errorf("build prints rounding notes:\n%s", errOut)
	}
	if !strings.Contains(out, "检查：3 处错误，1 处警告，1 条舍入等提示") {
		t.Errorf("summary = %q", out)
	}
	page, err := os.ReadFile(filepath.Join(src, "public", "panjin-zhcs", "2020", "budget", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"sum.items", "相差 22.00", "未列明分项"} {
		if strings.Contains(string(page), s) {
			t.Errorf("a check finding (%q) is shown to readers", s)
		}
	}

	before := snapshot(t, filepath.Join(src, "public"))
	code, _, errOut = cli(t, "build", "--src", src, "--strict")
	if code != exitContent || !strings.Contains(errOut, "检查发现 3 处错误、1 处警告") || !strings.Contains(errOut, "未改动") {
		t.Errorf("--strict: exit %d\n%s", code, errOut)
	}
	if after := snapshot(t, filepath.Join(src, "public")); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("a strict build that failed changed the output folder")
	}

	// Warnings alone stop a strict build, not a plain one.
	warned := cleanSite(t, placeholder)
	if code, _, errOut := cli(t, "build", "--src", warned, "--quiet"); code != exitOK {
		t.Errorf("warnings: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := cli(t, "build", "--src", warned, "--strict"); code != exitContent || !strings.Contains(errOut, "占位符") {
		t.Errorf("warnings with --strict: exit %d\n%s", code, errOut)
	}
	// strict = true in site.toml stops it too; --strict=false overrides
	// that for one build.
	strictSite := cleanSite(t, placeholder, [3]string{"content/site.toml", "", "\n[checks]\nstrict = true\n"})
	if code, _, errOut := cli(t, "build", "--src", strictSite, "--quiet"); code != exitContent || !strings.Contains(errOut, "占位符") {
		t.Errorf("warnings with strict = true: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := cli(t, "build", "--src", strictSite, "--quiet", "--strict=false"); code != exitOK || !strings.Contains(errOut, "占位符") {
		t.Errorf("warnings with strict = true and --strict=false: exit %d\n%s", code, errOut)
	}
}
