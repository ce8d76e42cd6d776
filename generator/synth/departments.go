package synth

// dept is a kind of department the generator can make: its name, type, the
// 功能分类 项 its basic and project spending fall under, its projects, and
// the duties its narrative lists. Codes are real codes of the built-in
// classification catalogue (fiscal-domain.md §2).
type dept struct {
	Suffix   string // 财政局, 商务局 …
	Slug     string // ASCII, for the folder name
	Type     string // 行政, 事业
	Run      string // 项 of its 行政运行 (or 事业运行)
	Projects []project
	Duties   []string
	Units    []string // 内设机构
	// Fund, when set, is a 政府性基金 项 the department spends on.
	Fund string
	// Admin is the 项 of its general administration (一般行政管理事务),
	// where a car purchase goes.
	Admin string
}

type project struct {
	Code string
	Name string
}

var depts = []dept{
	{Suffix: "财政局", Slug: "czj", Admin: "2010602", Type: "行政", Run: "2010601",
		Projects: []project{{"2010602", "财政业务管理"}, {"2010604", "预算管理改革"}, {"2010605", "国库集中支付运行维护"}, {"2010607", "财政信息化建设"}, {"2010699", "财政监督检查"}},
		Duties:   []string{"拟订全市财政发展规划和政策措施", "编制年度预决算草案并组织执行", "管理全市各项财政收支", "组织实施国库集中收付制度", "负责政府采购监督管理", "指导和监督预算绩效管理"},
		Units:    []string{"办公室", "预算科", "国库科", "综合科", "政府采购监督管理科", "绩效评价科", "财政监督科"}},
	{Suffix: "商务局", Slug: "swj", Admin: "2011302", Type: "行政", Run: "2011301",
		Projects: []project{{"2011302", "商贸流通管理"}, {"2011399", "消费促进活动"}, {"2150899", "中小企业发展扶持"}, {"2169999", "菜市场标准化改造"}},
		Duties:   []string{"拟订本市内外贸易发展规划", "推进流通产业结构调整", "承担重要消费品市场调控", "指导商贸服务业发展", "负责对外经济合作相关工作"},
		Units:    []string{"办公室", "市场运行科", "商贸发展科", "对外贸易科", "外资管理科"}},
	{Suffix: "司法局", Slug: "sfj", Admin: "2040699", Type: "行政", Run: "2040601",
		Projects: []project{{"2040604", "基层司法所建设"}, {"2040605", "普法宣传"}, {"2040607", "公共法律服务体系建设"}, {"2040613", "司法行政信息化"}, {"2040699", "人民调解工作"}},
		Duties:   []string{"承担全面依法治市的统筹协调", "负责行政规范性文件合法性审核", "组织实施法治宣传教育", "指导人民调解和基层法治建设", "负责律师、公证等法律服务管理"},
		Units:    []string{"办公室", "法治督察科", "普法与依法治理科", "人民参与和促进法治科", "公共法律服务管理科"}},
	{Suffix: "科学技术局", Slug: "kjj", Admin: "2010302", Type: "行政", Run: "2010301",
		Projects: []project{{"2060503", "科技条件平台建设"}, {"2060702", "科普活动"}, {"2010302", "科技项目管理"}},
		Duties:   []string{"拟订科技发展规划和政策", "组织实施科技计划项目", "推进科技成果转化", "负责科学技术普及工作"},
		Units:    []string{"办公室", "规划与资源配置科", "高新技术科", "成果转化科"}},
	{Suffix: "城市管理局", Slug: "cgj", Admin: "2120102", Type: "行政", Run: "2120101", Fund: "2129999",
		Projects: []project{{"2120102", "城市管理综合业务"}, {"2120104", "城管执法"}, {"2120501", "环境卫生作业"}, {"2120399", "市政设施维护"}},
		Duties:   []string{"负责市容环境卫生管理", "组织城市管理综合执法", "负责市政公用设施运行管理", "推进垃圾分类工作"},
		Units:    []string{"办公室", "市容科", "环境卫生科", "执法监督科", "市政设施科", "垃圾分类管理科"}},
	{Suffix: "网信办", Slug: "wxb", Admin: "2013704", Type: "行政", Run: "2013701",
		Projects: []project{{"2013704", "网络安全保障"}, {"2013750", "网络舆情监测"}},
		Duties:   []string{"统筹协调网络安全和信息化工作", "负责网络信息内容管理", "组织开展网络安全检查", "推进数字政府建设"},
		Units:    []string{"办公室", "网络安全协调科", "网络传播科", "信息化发展科"}},
	{Suffix: "市场监督管理局", Slug: "scjgj", Admin: "2013802", Type: "行政", Run: "2010301",
		Projects: []project{{"2013802", "市场监管执法"}, {"2010302", "食品安全抽检"}},
		Duties:   []string{"负责市场综合监督管理", "负责市场主体统一登记注册", "组织实施食品安全监督管理", "负责产品质量安全监督"},
		Units:    []string{"办公室", "登记注册科", "食品安全协调科", "产品质量安全监督管理科", "价格监督检查科"}},
	{Suffix: "体育局", Slug: "tyj", Admin: "2010302", Type: "行政", Run: "2010301",
		Projects: []project{{"2070308", "全民健身活动"}, {"2010302", "体育赛事组织"}},
		Duties:   []string{"统筹推进全民健身", "组织开展群众性体育活动", "负责体育场地设施建设管理"},
		Units:    []string{"办公室", "群众体育科", "竞技体育科"}},
	{Suffix: "卫生健康委员会", Slug: "wjw", Admin: "2010302", Type: "行政", Run: "2010301",
		Projects: []project{{"2100717", "计划生育服务"}, {"2010302", "卫生健康监督"}},
		Duties:   []string{"拟订卫生健康事业发展规划", "协调推进深化医药卫生体制改革", "负责疾病预防控制工作", "负责计划生育管理和服务"},
		Units:    []string{"办公室", "规划发展科", "医政医管科", "疾病预防控制科", "人口家庭科"}},
	{Suffix: "人力资源和社会保障局", Slug: "rsj", Admin: "2010302", Type: "行政", Run: "2010301",
		Projects: []project{{"2080705", "公益性岗位补贴"}, {"2089999", "职业技能培训"}},
		Duties:   []string{"拟订人力资源和社会保障政策", "促进就业创业", "统筹建立社会保障体系", "负责劳动保障监察"},
		Units:    []string{"办公室", "就业促进科", "社会保险科", "劳动关系科", "人才开发科"}},
	{Suffix: "政务服务中心", Slug: "zwfw", Admin: "2010302", Type: "事业", Run: "2010350",
		Projects: []project{{"2010302", "政务服务大厅运行"}, {"2010399", "一网通办平台运维"}},
		Duties:   []string{"负责政务服务大厅的运行管理", "承担政务服务事项进驻和标准化工作", "负责政务服务平台的运行维护"},
		Units:    []string{"综合科", "窗口管理科", "信息技术科"}},
	{Suffix: "红十字会", Slug: "hszh", Admin: "2081602", Type: "行政", Run: "2010301",
		Projects: []project{{"2081602", "应急救护培训"}},
		Duties:   []string{"开展救灾和人道救助工作", "普及应急救护知识", "推动无偿献血和造血干细胞捐献"},
		Units:    []string{"办公室", "赈济救护科"}},
}

// regions name the places synthetic bodies are in, after 示例市 itself.
var regions = []string{"示例市", "示例市东城区", "示例市西城区", "示例市南湖区", "示例市北山区", "示例县", "示例市高新区", "示例市滨江区"}

// reasons of a change, by sign.
var (
	upReasons = []string{
		"重点项目资金增加", "人员经费按政策标准调整增加", "新增信息化建设项目", "业务工作量增加相应安排资金",
	}
	downReasons = []string{
		"项目资金进一步压缩", "严格落实过紧日子要求压减一般性支出", "部分项目已完成，本年不再安排", "公用经费定额调整",
	}
)
