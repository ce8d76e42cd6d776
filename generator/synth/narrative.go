package synth

import (
	"fmt"
	"strings"
)

// section is one Markdown file of a disclosure.
type section struct {
	file string
	text string
}

// sections writes the narrative: 部门概况, the tables, the 情况说明 and the
// 名词解释, in the order real documents use, with the figures as data
// references so prose and tables cannot disagree.
func (g *disclosureGen) sections() []section {
	kind := g.kindWord()
	year := g.p.Year
	var out []section
	front := func(title, id string) string {
		return fmt.Sprintf("+++\ntitle = %q\nid = %q\n+++\n\n> 示例数据（虚构）：本文件由程序生成，单位与数字均不真实。\n\n", title, id)
	}

	// 第一部分 部门概况
	var b strings.Builder
	b.WriteString(front("第一部分 "+g.b.Name+"概况", "overview"))
	b.WriteString("## 一、主要职责\n\n")
	for i, d := range g.b.Dept.Duties {
		fmt.Fprintf(&b, "（%s）%s。\n\n", cnNumbers[i], d)
	}
	fmt.Fprintf(&b, "（%s）完成上级交办的其他任务。\n\n", cnNumbers[len(g.b.Dept.Duties)])
	b.WriteString("## 二、机构设置\n\n")
	names := make([]string, len(g.b.Offices))
	staff := 0
	for i, o := range g.b.Offices {
		names[i] = o.Name
		staff += o.Staff
	}
	fmt.Fprintf(&b, "根据上述职责，%s设%d个内设机构：%s，核定人员编制%d名。", g.b.Name, len(names), strings.Join(names, "、"), staff)
	first := g.b.Offices[0]
	fmt.Fprintf(&b, "其中%s人员编制{{机构.%s}}，{{机构.%s.posts}}。\n\n{{表 机构}}\n\n", first.Name, first.Name, first.Name)
	b.WriteString("## 三、部门" + kind + "单位构成\n\n")
	fmt.Fprintf(&b, "纳入%s%d年度部门%s编制范围的单位为本级，无下属二级%s单位。\n", g.b.Name, year, kind, kind)
	out = append(out, section{"01-overview.md", b.String()})

	// 第二部分 公开报表
	b.Reset()
	b.WriteString(front(fmt.Sprintf("第二部分 %s%d年度部门%s表", g.b.Name, year, kind), "tables"))
	tables := []string{"收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算支出表", "基本支出表", "三公表", "政府性基金预算支出表", "国有资本经营预算支出表"}
	if g.final {
		tables = []string{"收支总表", "收入决算表", "支出决算表", "财政拨款收支总表", "一般公共预算支出决算表", "基本支出决算表", "三公表", "政府性基金决算表", "国有资本经营决算表"}
	}
	for _, t := range tables {
		fmt.Fprintf(&b, "{{表 %s}}\n\n", t)
	}
	out = append(out, section{"02-tables.md", b.String()})

	// 第三部分 情况说明
	b.Reset()
	b.WriteString(front(fmt.Sprintf("第三部分 %s%d年度部门%s情况说明", g.b.Name, year, kind), "explanation"))
	than := "上年预算"
	if g.final {
		than = "上年决算"
	}
	fmt.Fprintf(&b, "## 一、收支%s总体情况\n\n", kind)
	fmt.Fprintf(&b, "按照综合预算的原则，%s所有收入和支出均纳入部门%s管理。%d年收入%s{{收入.合计}}，比%s{{增减 收入.合计}}，全部为财政拨款收入。", g.b.Name, kind, year, kind, than)
	fmt.Fprintf(&b, "支出%s{{支出.合计}}，比%s{{增减 支出.合计}}。其中：基本支出{{支出.基本支出}}，占{{占比 支出.基本支出}}，主要用于保障机构正常运转和人员工资福利；项目支出{{支出.项目支出}}，占{{占比 支出.项目支出}}，主要用于完成各项业务工作任务。", kind, than)
	if reason := g.changeReason(g.p.Spent(), g.prev.Spent()); reason != "" {
		fmt.Fprintf(&b, "增减变化的主要原因是%s。", reason)
	}
	b.WriteString("\n\n{{表 收入}}\n\n{{表 支出}}\n\n")

	s, ps := g.p.Sangong, g.prev.Sangong
	fmt.Fprintf(&b, "## 二、“三公”经费%s情况说明\n\n", kind)
	fmt.Fprintf(&b, "%d年度“三公”经费%s{{三公.合计}}，比%s{{增减 三公.合计}}。其中：\n\n", year, kind, than)
	fmt.Fprintf(&b, "1.因公出国（境）费{{三公.因公出国（境）费}}，比%s{{增减 三公.因公出国（境）费}}。", than)
	b.WriteString(item3(s.Abroad, ps.Abroad, "因公出国（境）任务调整", "严格控制出国（境）团组和人数") + "\n\n")
	fmt.Fprintf(&b, "2.公务接待费{{三公.公务接待费}}，比%s{{增减 三公.公务接待费}}。", than)
	b.WriteString(item3(s.Reception, ps.Reception, "上级检查调研和业务交流增加", "严格执行公务接待标准") + "\n\n")
	fmt.Fprintf(&b, "3.公务用车购置及运行费{{三公.公务用车购置及运行费}}，比%s{{增减 三公.公务用车购置及运行费}}。其中：公务用车购置费{{三公.公务用车购置费}}，公务用车运行费{{三公.公务用车运行费}}。", than)
	b.WriteString(item3(s.vehicle(), ps.vehicle(), "按规定更新公务用车", "公务用车使用管理进一步规范") + "\n\n{{表 三公}}\n\n")

	if g.b.Dept.Type == "行政" {
		fmt.Fprintf(&b, "## 三、机关运行经费%s情况说明\n\n", kind)
		fmt.Fprintf(&b, "%d年机关运行经费%s{{机关运行经费.合计}}，比%s{{增减 机关运行经费.合计}}，主要用于办公费、印刷费、邮电费、差旅费、会议费、培训费、工会经费、福利费等日常公用支出。\n\n{{表 机关运行经费}}\n\n", year, kind, than)
	} else {
		b.WriteString("## 三、机关运行经费情况说明\n\n本单位为事业单位，不适用机关运行经费的口径。\n\n")
	}

	fmt.Fprintf(&b, "## 四、政府采购%s情况说明\n\n", kind)
	fmt.Fprintf(&b, "%d年政府采购%s{{政府采购.合计}}，其中：货物类{{政府采购.货物}}，工程类{{政府采购.工程}}，服务类{{政府采购.服务}}。", year, kind)
	if g.final {
		b.WriteString("授予中小企业合同金额{{政府采购.授予中小企业合同金额}}，占政府采购支出总额的{{占比 政府采购.授予中小企业合同金额}}。\n\n{{表 政府采购}}\n\n")
	} else {
		b.WriteString("面向中小企业预留采购份额{{政府采购.授予中小企业合同金额}}。\n\n{{表 政府采购}}\n\n")
	}

	b.WriteString("## 五、国有资产占用情况说明\n\n")
	fmt.Fprintf(&b, "截至%d年12月31日，%s资产总额{{国有资产.资产总额}}，其中：流动资产{{国有资产.流动资产}}，固定资产{{国有资产.固定资产}}。", g.assetsYear(), g.b.Name)
	if g.b.Assets.Vehicles > 0 {
		b.WriteString("共有车辆{{国有资产.车辆.count}}，价值{{国有资产.车辆.amount}}。")
	} else {
		b.WriteString("本部门无公务用车。")
	}
	b.WriteString("\n\n{{表 国有资产}}\n\n")

	fmt.Fprintf(&b, "## 六、项目%s绩效情况说明\n\n", kind)
	fmt.Fprintf(&b, "根据预算绩效管理要求，%d年应编制绩效目标的项目共{{绩效.应编制绩效目标的项目}}，实际编制绩效目标的项目共{{绩效.实际编制绩效目标的项目}}，涉及资金{{绩效.涉及资金}}，绩效目标覆盖率为{{绩效.覆盖率}}。", year)
	if g.final {
		b.WriteString("各项目均已完成绩效自评，总体完成了年初设定的绩效目标。")
	} else {
		b.WriteString("各项目绩效目标已随预算一并批复。")
	}
	b.WriteString("\n\n{{表 绩效}}\n")
	out = append(out, section{"03-explanation.md", b.String()})

	// 第四部分 名词解释
	b.Reset()
	b.WriteString(front("第四部分 名词解释", "glossary"))
	b.WriteString("{{名词解释}}\n")
	out = append(out, section{"04-glossary.md", b.String()})
	return out
}

// item3 explains the change of one 三公 item, as documents must.
func item3(cur, prev amount, up, down string) string {
	switch {
	case cur > prev:
		return "主要原因是" + up + "。"
	case cur < prev:
		return "主要原因是" + down + "。"
	}
	return ""
}

func (g *disclosureGen) changeReason(cur, prev amount) string {
	switch {
	case cur > prev:
		return "人员经费按政策调整及部分业务项目资金增加"
	case cur < prev:
		return "落实过紧日子要求，压减一般性支出和非急需项目"
	}
	return ""
}
