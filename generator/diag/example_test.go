package diag_test

import (
	"fmt"

	"github.com/disclose/disclose/generator/diag"
)

// A site built with --src ../site names its files from there.
func ExampleList_Within() {
	l := diag.List{
		{File: "content/czj/2024/budget/data.toml", Line: 12, Col: 3, Severity: diag.Error, Message: "未知的键 amout", Rule: "toml.unknown-key"},
		{Severity: diag.Warning, Message: "没有 site.toml"},
	}
	for _, d := range l.Within("../site") {
		fmt.Println(d)
	}
	fmt.Println(l.Within(".")[0].File)
	// Output:
	// ../site/content/czj/2024/budget/data.toml:12:3: 错误: 未知的键 amout [toml.unknown-key]
	// 警告: 没有 site.toml
	// content/czj/2024/budget/data.toml
}

func ExampleList_Folded() {
	l := diag.List{
		{File: "layouts/partials/footer.html", Line: 15, Severity: diag.Error, Rule: "layout.execute", Message: "模板执行出错"},
		{File: "content/a/2020/budget/01.md", Line: 3, Col: 1, Severity: diag.Error, Rule: "markdown.ref", Message: "引用有误"},
		{File: "layouts/partials/footer.html", Line: 15, Severity: diag.Error, Rule: "layout.execute", Message: "模板执行出错"},
	}
	for _, d := range l.Folded("（共 %d 个页面）") {
		fmt.Println(d)
	}
	// Output:
	// layouts/partials/footer.html:15: 错误: 模板执行出错（共 2 个页面） [layout.execute]
	// content/a/2020/budget/01.md:3:1: 错误: 引用有误 [markdown.ref]
}
