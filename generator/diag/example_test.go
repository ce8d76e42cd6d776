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
