// The .html reader: saved government pages (fixtures made by fixtures/formats/make-html.mjs) read
// through parseDocument, and the reader's parts (article finder, chrome removal, tables, meta) on
// small pages written here.

import { readFileSync } from "node:fs";
import path from "node:path";
import { type DocTable, type Plan, type ReadDocument, parseDocument, parsePlanFile, renderDocument } from "@taizhang/core";
import { describe, expect, it } from "vitest";
import { readHtml } from "../src/readers/html.js";
import { expectFormatGolden, expectQuotesAtOffsets, FIXTURES } from "./golden.js";

const FORMATS = path.join(FIXTURES, "formats");
const SEEDS = path.join(FIXTURES, "seeds");

async function parseFixture(name: string) {
  const file = path.join(FORMATS, name);
  return { file, result: await parseDocument(new Uint8Array(readFileSync(file)), { source: name }) };
}

/** What a plan says, without offsets: a page and its .txt seed must say the same. */
function content(plan: Plan) {
  return {
    title: plan.title,
    issuer: plan.issuer,
    doc_number: plan.doc_number,
    year: plan.year,
    sections: plan.sections.map((s) => `${s.path} ${s.title}`),
    tasks: plan.tasks.map((t) => ({
      path: t.path,
      title: t.title,
      measures: t.measures,
      units: t.units,
      lead_units: t.lead_units,
      deadlines: t.deadlines.map((d) => `${oneSpace(d.quote)}→${d.date}`),
      // A page collapses a run of spaces (or an &nbsp;) to one space; a .txt keeps them.
      targets: t.targets.map((g) => `${oneSpace(g.quote)}=${g.value}${g.value_max === undefined ? "" : `-${g.value_max}`}${g.unit}`),
    })),
  };
}

const oneSpace = (s: string) => s.replace(/\s+/g, " ");

function seedPlans(prefix: string): Plan[] {
  const name = `${prefix}.txt`;
  return parsePlanFile(readFileSync(path.join(SEEDS, name)), { source: name }).plans;
}


/** Site furniture every fixture page carries around its article. */
const CHROME_WORDS = [
  "当前位置", "您现在的位置", "首页 >", "分享到", "微博", "扫一扫", "打印", "关闭", "上一篇", "下一篇", "相关链接",
  "相关阅读", "网站标识码", "ICP备", "版权所有", "技术支持", "主办", "索引号", "发布时间", "浏览", "字号", "字体",
  "栏目导航", "设为首页", "统计代码", "编辑器脚本", "内部审核意见", "热点新闻", "责任编辑",
];

function expectNoChrome(text: string): void {
  for (const word of CHROME_WORDS) expect(text, word).not.toContain(word);
}

// ---------------------------------------------------------------------------------------------
// Fixtures through parseDocument

describe("html fixtures", () => {
  it("003-page.html: a 政务公开 page around a TRS_Editor body reads as the seed does", async () => {
    const { file, result } = await parseFixture("003-page.html");
    expect(result.format).toBe("html");
    expect(result.encoding).toBe("utf-8");
    const [plan] = result.plans;
    expect(result.plans).toHaveLength(1);
    expect(plan?.title).toBe("2024年营口市推动新时代基础教育扩优提质任务分解方案");
    expect(plan?.doc_number).toBe("营教发【2024】12号");
    expect(plan?.issuer).toBe("营口市教育局、营口市发展和改革委员会、营口市财政局");
    expect(plan?.date).toBe("2024-06-03");
    expect(plan?.tasks).toHaveLength(21);
    expect(plan?.sections).toHaveLength(8);
    expect(plan?.tasks[3]?.units).toEqual(["市教育局"]);
    expect(result.text.split("\n")[0]).toBe("营教发【2024】12号--关于印发《2024年营口市推动新时代基础教育扩优提质任务分解方案》的通知");
    expectNoChrome(result.text);
    expect(content(plan as Plan)).toEqual(content(seedPlans("003_d9e5581cac34f553")[0] as Plan));
    expectFormatGolden(file, result.plans);
  });

  it("002-table.html: the task list as a <table> gives every row its units and measures", async () => {
    const { file, result } = await parseFixture("002-table.html");
    const [plan] = result.plans;
    expect(result.plans).toHaveLength(1);
    expect(plan?.title).toBe("衡阳市进一步提高义务教育质量任务清单");
    expect(plan?.doc_number).toBe("衡政办函〔2023〕21号");
    expect(plan?.issuer).toBe("衡阳市人民政府办公室");
    expect(plan?.date).toBe("2023-06-08");
    expect(plan?.tasks).toHaveLength(17);
    expect(plan?.sections.map((s) => s.path)).toEqual(["一", "二", "三", "四", "五"]);
    expect(plan?.tasks[12]?.title).toBe("优化城乡一体化布");
    expect(plan?.tasks[12]?.units).toEqual(["市教育局", "市自然资源和规划局", "市住房和城乡建设局", "市财政局", "市统计局", "各县市区人民政府"]);
    expect(plan?.tasks.map((t) => t.measures)).toEqual([6, 3, 6, 3, 6, 5, 2, 5, 6, 5, 3, 4, 5, 3, 3, 4, 4]);
    expectNoChrome(result.text);
    expect(content(plan as Plan)).toEqual(content(seedPlans("002_4f73318976e71334")[0] as Plan));
    expectFormatGolden(file, result.plans);
  });

  it("002-table.html: the <table> is read as one table, category cells merged down", () => {
    const doc = readFixture("002-table.html");
    const tables = doc.blocks.filter((b): b is DocTable => b.kind === "table");
    expect(tables).toHaveLength(1);
    const table = tables[0] as DocTable;
    expect(table.headerRows).toBe(1);
    expect(table.rows[0]).toEqual([{ text: "工作任务", span: 2 }, { text: "具体措施" }, { text: "责任单位" }]);
    expect(table.rows).toHaveLength(18);
    expect(table.rows.slice(1).map((r) => r[0]?.continued ? "~" : r[0]?.text.slice(0, 2))).toEqual([
      "一、", "二、", "~", "~", "三、", "~", "~", "四、", "~", "~", "~", "~", "五、", "~", "~", "~", "~",
    ]);
    // Measures are the cell's paragraphs, one a line.
    expect(table.rows[2]?.[2]?.text.split("\n").map((l) => l.slice(0, 3))).toEqual(["(1)", "(2)", "(3)"]);
    expect(table.rows[2]?.[3]?.text).toBe("市教育局\n各县市区人民政府");
    expect(doc.meta).toEqual({
      title: "衡阳市人民政府办公室 关于印发《衡阳市进一步提高义务教育质量 任务清单》的通知",
      date: "2023-07-19",
      docNumber: "衡政办函〔2023〕21号",
      issuer: "衡阳市人民政府办公室",
    });
  });

  it("000-page-gbk.html: a GB18030 page on a table-layout site", async () => {
    const bytes = readFileSync(path.join(FORMATS, "000-page-gbk.html"));
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    expect(bytes.toString("latin1")).toContain('charset="gb2312"');
    const { file, result } = await parseFixture("000-page-gbk.html");
    expect(result.format).toBe("html");
    expect(result.encoding).toBe("gb18030");
    const [plan] = result.plans;
    expect(result.plans).toHaveLength(1);
    expect(plan?.title).toBe("哈市召开2023年教育工作会议,推进义务教育优质均衡发展");
    expect(plan?.issuer).toBe("哈尔滨市教育局");
    expect(plan?.doc_number).toBeNull();
    expect(plan?.date).toBe("2023-02-24");
    expect(plan?.tasks).toHaveLength(11);
    expect(plan?.tasks[3]?.targets.map((t) => t.value)).toEqual([30, 60, 20, 5]);
    // The auction notice stands in the side column, not in the article.
    expect(result.text).not.toContain("拍卖");
    expectNoChrome(result.text);
    expect(content(plan as Plan)).toEqual(content(seedPlans("000_12fb43dfee53bd9a")[0] as Plan));
    expectFormatGolden(file, result.plans);
  });

  it("notaplan.html: a news page reads fine and has no tasks", async () => {
    const { result } = await parseFixture("notaplan.html");
    expect(result.format).toBe("html");
    expect(result.plans).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["NO_TASKS"]);
    expect(result.text.split("\n\n")).toEqual([
      "我区第十届中小学生田径运动会圆满落幕",
      expect.stringMatching(/^10月20日至21日/),
      expect.stringMatching(/^开幕式上/),
      expect.stringMatching(/^本届运动会/),
      expect.stringMatching(/^赛场上/),
      expect.stringMatching(/^闭幕式上/),
      "",
    ]);
    expectNoChrome(result.text);
  });
});

function readFixture(name: string): ReadDocument {
  return readHtml(readFileSync(path.join(FORMATS, name), "utf8"));
}

// ---------------------------------------------------------------------------------------------
// The reader's parts

const BODY = "为深入贯彻落实全国教育大会精神,结合我市实际,制定本方案。";
const LONG = BODY.repeat(3);

/** The document's paragraphs, one string each (tables as "[table]"). */
const paragraphs = (doc: ReadDocument) => doc.blocks.map((b) => (b.kind === "paragraph" ? b.text : "[table]"));
const read = (html: string) => readHtml(html);

describe("article finder", () => {
  it("takes the container a CMS names for the article", () => {
    const doc = read(`<body>
      <div class="header"><ul><li><a>首页</a></li><li><a>政务公开</a></li><li><a>教育动态</a></li></ul></div>
      <div class="wrap"><div class="left"><p>本站声明:本网站所载文章仅供参考,转载请注明出处,谢谢合作与支持。</p></div>
      <div class="TRS_Editor"><p>一、总体要求</p><p>${LONG}</p></div></div></body>`);
    expect(paragraphs(doc)).toEqual(["一、总体要求", LONG]);
  });

  it("takes the innermost named container that holds most of the text", () => {
    const doc = read(`<div class="content"><h1 class="title">测试方案标题文字</h1>
      <div class="info">发布时间:2024-03-01 来源:市教育局</div>
      <div id="zoom"><p>${LONG}</p><p>${LONG}</p></div></div>`);
    expect(paragraphs(doc)).toEqual(["测试方案标题文字", LONG, LONG]);
    expect(doc.meta.title).toBe("测试方案标题文字");
  });

  it("falls back to the block with the most Chinese text, not the whole body", () => {
    const doc = read(`<body><div id="a"><p>欢迎访问本站</p></div>
      <div id="b"><ul><li><a>通知公告文章链接一</a></li><li><a>通知公告文章链接二</a></li><li><a>通知公告文章链接三</a></li></ul></div>
      <div id="c"><p>${LONG}</p><p>二、主要任务</p><p>${LONG}</p></div>
      <div id="d">联系电话:0417-1234567 地址:某某路1号</div></body>`);
    expect(paragraphs(doc)).toEqual([LONG, "二、主要任务", LONG]);
  });

  it("passes over a named container that holds little of the text", () => {
    const doc = read(`<div class="con">栏目简介文字</div><div><p>${LONG}</p><p>${LONG}</p></div>`);
    expect(paragraphs(doc)).toEqual([LONG, LONG]);
  });

  it("reads a page that never closes its <head>", () => {
    const doc = read(`<html><head><title>某某方案 - 某某网</title><meta charset="utf-8"><div class="zw"><p>${LONG}</p></div>`);
    expect(paragraphs(doc)).toEqual(["某某方案", LONG]);
  });

  it("reads an ASP.NET page whose <form> wraps the whole body", () => {
    const doc = read(`<body><form id="form1" method="post"><input type="hidden" value="x">
      <div class="zw"><p>${LONG}</p></div><div><input type="text"><button>搜索本站内容</button></div></form></body>`);
    expect(paragraphs(doc)).toEqual([LONG]);
  });
});

describe("chrome removal", () => {
  it("reads nothing from scripts, styles, nav, header, footer, aside, small forms or hidden elements", () => {
    const doc = read(`<html><head><title>页面标题</title><style>p{color:red}</style></head><body>
      <header><p>网站页头文字内容</p></header><nav><p>导航菜单文字内容</p></nav>
      <div class="TRS_Editor"><p>${LONG}</p>
        <script>var a = "脚本里的中文";</script><noscript>请启用浏览器脚本</noscript>
        <div style="display: none">隐藏的审核意见文字</div><p hidden>隐藏属性的文字</p><span aria-hidden="true">图标文字</span>
        <aside>侧栏文字内容</aside><form><p>站内搜索表单文字</p></form>
        <select><option>友情链接选项</option></select>
        <p>${BODY}</p></div>
      <footer><p>页脚版权文字</p></footer></body></html>`);
    expect(paragraphs(doc)).toEqual(["页面标题", LONG, BODY]);
  });

  it("drops chrome named by class or id inside the article", () => {
    const doc = read(`<div class="article"><div class="breadcrumb">首页 教育动态</div><p>${LONG}</p>
      <div class="bdsharebuttonbox"><a>微信</a><a>微博</a></div><div id="print-bar"><a>打印本页</a></div><p>${BODY}</p></div>`);
    expect(paragraphs(doc)).toEqual([LONG, BODY]);
  });

  it("tells chrome words from parts of content names", () => {
    const doc = read(`<div class="article"><div class="article-header"><h1>某某学校2024年工作计划</h1></div>
      <div class="zw"><p>${LONG}</p><p class="hidden-xs">${BODY}</p><p class="hidden">隐藏段落文字</p></div></div>`);
    expect(doc.meta.title).toBe("某某学校2024年工作计划");
    expect(paragraphs(doc)).toEqual(["某某学校2024年工作计划", LONG, BODY]);
  });

  it("drops furniture told by its wording, in full-width or ASCII punctuation", () => {
    const doc = read(`<div class="TRS_Editor">
      <p>当前位置：首页 &gt; 政务公开 &gt; 通知公告</p><p>首页 &gt; 教育新闻</p>
      <p>发布时间：2024-06-13 来源：市教育局 浏览次数：12</p><p>【字号：大 中 小】</p><p>分享到：</p><p>微信 微博 QQ空间</p>
      <p>${LONG}</p><p>文 号：营教发〔2024〕12号</p>
      <p>【打印本页】【关闭窗口】</p><p>上一篇：关于做好中考工作的通知</p><p>扫一扫在手机打开当前页</p>
      <p>主办单位：某某市教育局 地址：某某路1号</p><p>网站标识码：2108000012 辽ICP备05012345号</p></div>`);
    expect(paragraphs(doc)).toEqual([LONG]);
  });

  it("keeps body lines that only mention such words", () => {
    const line = "依托微信公众号、微博等平台,广泛宣传“双减”政策,组织家长扫一扫参与满意度调查,并及时公布调查结果。";
    const doc = read(`<div class="TRS_Editor"><p>${LONG}</p><p>${line}</p><p>主办单位:市教育局</p></div>`);
    expect(paragraphs(doc)).toEqual([LONG, line, "主办单位:市教育局"]);
  });

  it("ends the article at a 相关链接 heading and drops link lists", () => {
    const doc = read(`<div class="TRS_Editor"><p>${LONG}</p>
      <ul><li><a href="#">关于印发某某方案的通知</a></li><li><a href="#">关于开展某某活动的通知</a></li><li><a href="#">关于做好某某工作的通知</a></li></ul>
      <p>${BODY}</p><h3>相关链接</h3><p>某某市人民政府门户网站</p></div>`);
    expect(paragraphs(doc)).toEqual([LONG, BODY]);
  });

  it("keeps nothing of a whole saved page but its article (renderDocument)", () => {
    for (const name of ["003-page.html", "002-table.html", "notaplan.html"]) {
      const text = renderDocument(readFixture(name)).text;
      expectNoChrome(text);
      expect(text).not.toMatch(/机构概况|政务服务|互动交流|网站地图|联系我们|加入收藏|公网安备/);
    }
  });
});

describe("paragraphs", () => {
  it("joins inline elements and source line breaks without spaces between Chinese characters", () => {
    const doc = read(`<div class="zw"><p>
        <strong>1.扩大普惠性</strong><span style="font-family:仿宋">学前
        教育</span>资源。${BODY}</p></div>`);
    expect(paragraphs(doc)).toEqual([`1.扩大普惠性学前教育资源。${BODY}`]);
  });

  it("collapses &nbsp; and full-width spaces to one space and trims a paragraph's indent", () => {
    const doc = read(`<div class="zw"><p>　　${BODY}</p><p style="text-align:right">营口市教育局&nbsp;&nbsp;&nbsp;营口市财政局　　营口市发展和改革委员会&ensp;</p></div>`);
    expect(paragraphs(doc)).toEqual([BODY, "营口市教育局 营口市财政局 营口市发展和改革委员会"]);
  });

  it("keeps a space between Latin words and a <br> as a line break inside the paragraph", () => {
    const doc = read(`<div class="zw"><p>${BODY}<br>联系人:张三<br/>Email:
      zhang@example.com</p></div>`);
    expect(doc.blocks).toEqual([{ kind: "paragraph", text: `${BODY}\n联系人:张三\nEmail: zhang@example.com` }]);
  });

  it("gives headings their level and blocks their order", () => {
    const doc = read(`<div class="zw"><h2>一、总体要求</h2><div>${BODY}<p>${LONG}</p>${BODY}</div><h3>(一)目标</h3></div>`);
    expect(doc.blocks).toEqual([
      { kind: "paragraph", text: "一、总体要求", heading: 2 },
      { kind: "paragraph", text: BODY },
      { kind: "paragraph", text: LONG },
      { kind: "paragraph", text: BODY },
      { kind: "paragraph", text: "(一)目标", heading: 3 },
    ]);
  });

  it("writes the number an <ol> shows, unless the item carries its own", () => {
    const doc = read(`<div class="zw"><p>${LONG}</p><ol start="2"><li>加强课程建设。</li><li>3.提升教学质量。</li><li>完善评价体系。</li></ol></div>`);
    expect(paragraphs(doc)).toEqual([LONG, "2.加强课程建设。", "3.提升教学质量。", "4.完善评价体系。"]);
  });
});

describe("tables", () => {
  const table = (doc: ReadDocument) => doc.blocks.find((b): b is DocTable => b.kind === "table");

  it("turns rowspan into continued cells, colspan into span and <th> rows into header rows", () => {
    const doc = read(`<div class="zw"><p>${LONG}</p><table>
      <tr><th>序号</th><th colspan="2">工作任务</th><th>责任单位</th></tr>
      <tr><td rowspan="2">一、基础教育</td><td>1</td><td><p>(1)扩大资源</p><p>(2)提升质量</p></td><td rowspan="3">市教育局<br>市财政局</td></tr>
      <tr><td>2</td><td>规范管理</td></tr>
      <tr><td colspan="3">二、职业教育</td></tr>
    </table></div>`);
    expect(table(doc)).toEqual({
      kind: "table",
      headerRows: 1,
      rows: [
        [{ text: "序号" }, { text: "工作任务", span: 2 }, { text: "责任单位" }],
        [{ text: "一、基础教育" }, { text: "1" }, { text: "(1)扩大资源\n(2)提升质量" }, { text: "市教育局\n市财政局" }],
        [{ text: "", continued: true }, { text: "2" }, { text: "规范管理" }, { text: "", continued: true }],
        [{ text: "二、职业教育", span: 3 }, { text: "", continued: true }],
      ],
    });
  });

  it("counts <thead> rows as header rows and clamps spans past the table's end", () => {
    const doc = read(`<div class="zw"><p>${LONG}</p><table>
      <thead><tr><td>工作任务</td><td>具体措施</td></tr><tr><td>任务</td><td>措施</td></tr></thead>
      <tbody><tr><td rowspan="99999">任务一</td><td colspan="99999">措施一</td></tr><tr><td>措施二</td></tr></tbody>
    </table></div>`);
    expect(table(doc)).toEqual({
      kind: "table",
      headerRows: 2,
      rows: [
        [{ text: "工作任务" }, { text: "具体措施" }],
        [{ text: "任务" }, { text: "措施" }],
        [{ text: "任务一" }, { text: "措施一", span: 100 }],
        [{ text: "", continued: true }, { text: "措施二" }],
      ],
    });
  });

  it("reads a layout table's content as paragraphs", () => {
    const one = read(`<table><tr><td><p>${LONG}</p><p>${BODY}</p></td></tr></table>`);
    expect(one.blocks).toEqual([{ kind: "paragraph", text: LONG }, { kind: "paragraph", text: BODY }]);
    const nested = read(`<div class="zw"><table width="980"><tr><td><p>${LONG}</p>
      <table><tr><td>任务</td><td>单位</td></tr><tr><td>加强管理</td><td>市教育局</td></tr></table></td><td>${BODY}</td></tr></table></div>`);
    expect(paragraphs(nested)).toEqual([LONG, "[table]", BODY]);
  });

  it("keeps a data table whose header names 名称 and 文号", () => {
    const doc = read(`<div class="zw"><p>${LONG}</p><table><tr><td>名称</td><td>文号</td></tr>
      <tr><td>关于加强管理的通知</td><td>某教发〔2023〕1号</td></tr><tr><td>关于做好工作的通知</td><td>某教发〔2023〕2号</td></tr></table></div>`);
    expect(table(doc)?.rows.map((r) => r.map((c) => c.text))).toEqual([
      ["名称", "文号"],
      ["关于加强管理的通知", "某教发〔2023〕1号"],
      ["关于做好工作的通知", "某教发〔2023〕2号"],
    ]);
    expect(doc.meta).toEqual({});
  });

  it("takes an info table for meta, not for text", () => {
    const doc = read(`<table class="xxgk"><tr><td>索 引 号：</td><td>000014349/2023-00012</td><td>发文机关：</td><td>某某市教育局</td></tr>
      <tr><td>文&emsp;&emsp;号：</td><td>某教发〔2023〕5号</td><td>成文日期：</td><td>2023年03月05日</td></tr></table>
      <div class="TRS_Editor"><p>${LONG}</p></div>`);
    expect(paragraphs(doc)).toEqual([LONG]);
    expect(doc.meta).toEqual({ date: "2023-03-05", docNumber: "某教发〔2023〕5号", issuer: "某某市教育局" });
    const inside = read(`<div class="zw"><table><tr><td>发文机关</td><td>某某市教育局</td></tr><tr><td>发文字号</td><td>某教发〔2023〕6号</td></tr></table><p>${LONG}</p></div>`);
    expect(paragraphs(inside)).toEqual([LONG]);
    expect(inside.meta).toEqual({ docNumber: "某教发〔2023〕6号", issuer: "某某市教育局" });
  });
});

describe("meta", () => {
  it("prefers <meta name=ArticleTitle> and PubDate", () => {
    const doc = read(`<head><meta name="ArticleTitle" content="关于印发某某方案的通知"><meta name="PubDate" content="2024-6-3 10:30">
      <title>别的标题 - 某某网</title></head><body><div class="zw"><p>${LONG}</p></div></body>`);
    expect(doc.meta).toEqual({ title: "关于印发某某方案的通知", date: "2024-06-03" });
    expect(doc.blocks[0]).toEqual({ kind: "paragraph", text: "关于印发某某方案的通知", heading: 1 });
  });

  it("takes <title> without the site's name when the page has no title element", () => {
    const doc = read(`<title>2024年全市教育工作要点_通知公告_某某市教育局</title><div class="zw"><p>${LONG}</p></div>`);
    expect(doc.meta.title).toBe("2024年全市教育工作要点");
    const dashed = read(`<title>某某区2024年工作要点 - 某某区人民政府网</title><div class="zw"><p>${LONG}</p></div>`);
    expect(dashed.meta.title).toBe("某某区2024年工作要点");
    const doubled = read(`<title>营教发【2024】12号--关于印发《方案》的通知--营口市教育局</title><div class="zw"><p>${LONG}</p></div>`);
    expect(doubled.meta.title).toBe("营教发【2024】12号--关于印发《方案》的通知");
  });

  it("takes the heading the <title> agrees with over a column heading", () => {
    const doc = read(`<title>2024年工作要点 - 某某网</title><div class="side"><h2 class="title">通知公告栏目</h2></div>
      <h1>2024年工作要点</h1><h3 class="title">相关文件说明</h3><div class="zw"><p>${LONG}</p></div>`);
    expect(doc.meta.title).toBe("2024年工作要点");
  });

  it("reads 发布时间 and 来源 from the line under the title; a 来源 that is no body is no issuer", () => {
    const doc = read(`<h1>某某方案标题</h1><div class="info">发布时间：2024年6月3日 09:30　来源：新华网　【字号：大 中 小】</div><div class="zw"><p>${LONG}</p></div>`);
    expect(doc.meta).toEqual({ title: "某某方案标题", date: "2024-06-03" });
    const body = read(`<div class="info">发布日期: 2023/07/19 来源: 某某市教育局 浏览量: 9</div><div class="zw"><p>${LONG}</p></div>`);
    expect(body.meta).toEqual({ date: "2023-07-19", issuer: "某某市教育局" });
  });

  it("emits the title once when the article already opens with it", () => {
    const doc = read(`<head><meta name="ArticleTitle" content="某某方案"></head><div class="content"><h1>某某 方案</h1><div class="zw2"><p>${LONG}</p></div></div>`);
    expect(paragraphs(doc)).toEqual(["某某 方案", LONG]);
  });
});

describe("bad input", () => {
  it("never throws on empty or garbage HTML", () => {
    for (const html of ["", " ", "<", "<<<>>>", "<html>", "<p>", "</div></table></td>", "<table><tr><td rowspan=-3 colspan=abc>x", "\u0000\uffff<p>\ud800</p>", "<!--", "<![CDATA[ x"]) {
      const doc = readHtml(html);
      expect(doc.format).toBe("html");
      expect(doc.diagnostics).toEqual([]);
    }
  });

  it("gives NO_TEXT_IN_DOCUMENT for a page with no text and NO_TASKS for a page that is no plan", async () => {
    const empty = await parseDocument(new TextEncoder().encode("<html><body><script>x()</script></body></html>"), { source: "a.html" });
    expect(empty.diagnostics.map((d) => d.code)).toEqual(["NO_TEXT_IN_DOCUMENT"]);
    const news = await parseDocument(new TextEncoder().encode(`<html><body><div class="zw"><p>${LONG}</p></div></body></html>`), { source: "b.html" });
    expect(news.format).toBe("html");
    expect(news.diagnostics.map((d) => d.code)).toEqual(["NO_TASKS"]);
  });

  it("reads deep nesting, and reports hostile nesting in bounded time", () => {
    const nested = (depth: number) => `<div class="zw">${"<div><span>".repeat(depth)}${LONG}${"</span></div>".repeat(depth)}</div>`;
    expect(paragraphs(readHtml(nested(2_000)))).toEqual([LONG]);
    const tables = readHtml(`${"<table><tr><td>".repeat(1_500)}${LONG}`);
    expect(renderDocument(tables).text).toBe(`${LONG}\n\n`);
    const started = performance.now();
    const hostile = readHtml(nested(100_000));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(hostile.blocks).toEqual([]);
    expect(hostile.diagnostics.map((d) => [d.code, d.severity])).toEqual([["DOCUMENT_TOO_COMPLEX", "error"]]);
  });

  it("reads a large page in linear time", () => {
    const row = `<tr><td>加强管理</td><td>${BODY}</td><td>市教育局</td></tr>`;
    const html = `<div class="zw"><table><tr><th>任务</th><th>措施</th><th>单位</th></tr>${row.repeat(20_000)}</table></div>`;
    const started = performance.now();
    const doc = readHtml(html);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((doc.blocks[0] as DocTable).rows).toHaveLength(20_001);
  });
});
